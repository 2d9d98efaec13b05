"""Redis down: every action that queues work saves what it saves, keeps the job in the outbox, and
says the work will run when the background service is back; pages still render.

These run with a real transaction (the job is queued when it commits, as in production)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from boards.models import BoardMeeting
from operations.models import PendingJob
from reporting.models import MonthlyReport
from schools.models import ImportRun
from tests.conftest import DATA

pytestmark = pytest.mark.django_db(transaction=True)


def messages_on(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_page_renders(client, olivia, broker_down):
    client.force_login(olivia)
    assert client.get(reverse("schools:list")).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_an_upload_is_saved_and_its_import_waits(client, olivia, broker_down):
    client.force_login(olivia)
    with (DATA / "reference" / "la_and_region_codes_meta.csv").open("rb") as handle:
        response = client.post(reverse("schools:imports"), {"kind": "local_authorities", "file": handle}, follow=True)
    run = ImportRun.objects.get()
    assert response.redirect_chain[-1][0] == run.get_absolute_url()
    assert "The import is saved; it will run when the background service is back." in messages_on(response)
    assert run.status == ImportRun.Status.QUEUED
    assert run.file.size == (DATA / "reference" / "la_and_region_codes_meta.csv").stat().st_size
    job = PendingJob.objects.get()
    assert (job.task, job.args, job.sent_at) == ("schools.import_file", [run.pk], None)


def test_a_report_waits(client, olivia, broker_down):
    client.force_login(olivia)
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    response = client.post(reverse("reporting:reports"), {"period": last_month.isoformat()}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reporting:reports")
    label = f"{last_month:%B %Y}"
    assert f"The report for {label} will be built when the background service is back." in messages_on(response)
    assert not MonthlyReport.objects.exists()
    job = PendingJob.objects.get()
    assert (job.task, job.args) == ("reporting.build_monthly_report", [last_month.isoformat(), olivia.pk])


def test_a_recategorisation_waits(client, olivia, broker_down):
    client.force_login(olivia)
    response = client.post(reverse("categorisation:runs"), follow=True)
    assert "Recategorisation is saved; it will run when the background service is back." in messages_on(response)
    job = PendingJob.objects.get()
    assert (job.task, job.kwargs) == (
        "categorisation.recategorise_all_schools",
        # The job carries the authority it was queued in, to run in it.
        {"trigger": "manual", "started_by_id": olivia.pk, "authority_id": olivia.authority_id},
    )


def test_a_board_pack_waits(client, olivia, broker_down):
    meeting = BoardMeeting.objects.create(meets_on=timezone.localdate())
    client.force_login(olivia)
    response = client.post(reverse("boards:build-pack", args=[meeting.pk]), follow=True)
    assert "The board pack will be built when the background service is back." in messages_on(response)
    meeting.refresh_from_db()
    assert meeting.pack_status == BoardMeeting.PackStatus.QUEUED
    assert (PendingJob.objects.get().task, PendingJob.objects.get().args) == ("boards.build_board_pack", [meeting.pk])


def test_with_tasks_inline_nothing_changes(client, olivia):
    """No broker (the demo): the report is built at once, as before, and the outbox stays empty."""
    client.force_login(olivia)
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    response = client.post(reverse("reporting:reports"), {"period": last_month.isoformat()}, follow=True)
    assert f"Report for {last_month:%B %Y} built: version 1" in response.content.decode()
    assert not PendingJob.objects.exists()
