"""The monthly report as Celery tasks: inline on a bare machine, on a real worker with Redis."""

from datetime import date

import pytest

from reporting.models import MonthlyReport
from reporting.tasks import build_monthly_report, monthly_report_if_due
from tests.conftest import queued
from tests.factories import InspectionFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_monthly_task_twice_makes_one_version_and_changed_data_a_second(ashfield, castle):
    InspectionFactory(school=ashfield, overall_effectiveness=3, publication_date=date(2024, 1, 10))
    first = queued(monthly_report_if_due, "2026-11-02").get(timeout=180)
    assert first["due"]
    assert first["created"]
    assert first["version"] == 1
    again = queued(monthly_report_if_due, "2026-11-02").get(timeout=180)
    assert again == {**first, "created": False}
    assert MonthlyReport.objects.count() == 1

    InspectionFactory(school=castle, overall_effectiveness=2, publication_date=date(2026, 10, 12))
    second = queued(build_monthly_report, "2026-10-01").get(timeout=180)
    assert second["created"]
    assert second["version"] == 2
    assert list(MonthlyReport.objects.order_by("version").values_list("version", "trigger")) == [
        (1, "scheduled"),
        (2, "on_demand"),
    ]
    assert queued(monthly_report_if_due, "2026-11-03").get(timeout=180) == {"due": False}
