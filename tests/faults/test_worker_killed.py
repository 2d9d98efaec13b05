"""A worker killed (SIGKILL) in the middle of recategorisation or of a monthly report: the task was
not acknowledged (CELERY_TASK_ACKS_LATE), so Redis gives it to the next worker, which completes
it with no duplicate rows; running it again changes nothing.

Redis re-delivers an unacknowledged task after the visibility timeout (an hour and more in
production, so that a long task is never given out twice): the workers that pick up after a kill
are started with one of a second (CELERY_VISIBILITY_TIMEOUT), as an operator would after a crash.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

import psycopg
import pytest
from django.utils import timezone

from tests.faults.conftest import MEASURED
from tests.faults.servers import Portal, wait_for

pytestmark = pytest.mark.faults

SCHOOLS = 2000
RECATEGORISE, REPORT = "categorisation.recategorise_all_schools", "reporting.build_monthly_report"
RESULTS = (
    "categorisation_schoolcategory",
    "categorisation_categorydecision",
    "categorisation_riskassessment",
    "categorisation_recategorisationrun",
)
REDELIVER_AT_ONCE = {"CELERY_VISIBILITY_TIMEOUT": "1"}


@pytest.fixture(scope="module")
def generated(cluster, tmp_path_factory):
    """A generated national data set of 2,000 schools (made once for the module)."""
    started = time.monotonic()
    maker = Portal(database_url=cluster.url, broker_url="", workdir=tmp_path_factory.mktemp("faults-generate"))
    maker.run(
        "generate_national_dataset",
        "--settings",
        "benchmarks.bench_settings",
        "--schools",
        str(SCHOOLS),
        "--years",
        "3",
        "--replace",
        timeout=300,
    )
    MEASURED.append(("generated", "generate_national_dataset", time.monotonic() - started))
    return cluster.value("SELECT count(*) FROM schools_school")


@pytest.fixture
def schools(cluster, generated):
    """The generated schools, none of them assessed yet."""
    cluster.sql(f"TRUNCATE {', '.join(RESULTS)} RESTART IDENTITY CASCADE")
    return generated


def send(portal, task: str, *args, **kwargs) -> None:
    portal.run("-m", "tests.faults.portal", "send", task, json.dumps(args), json.dumps(kwargs))


def runs(cluster, status: str) -> int:
    return cluster.value("SELECT count(*) FROM categorisation_recategorisationrun WHERE status = %s", (status,))


def test_recategorisation_killed_mid_run_is_completed_by_the_next_worker_without_duplicates(
    cluster, portal, schools, measured
):
    first = portal.worker("first")
    # Kill the worker inside the run's one transaction, deterministically: a lock the test holds
    # stops the run at its first write (the assessments), after it has read every school's facts
    # and opened its transaction. (Killed at a moment chosen by polling, a loaded machine let the
    # run finish first, or let a COMMIT already sent reach the server after the kill.)
    with psycopg.connect(cluster.url, connect_timeout=5) as holder:
        holder.execute("LOCK TABLE categorisation_riskassessment IN SHARE MODE")
        send(portal, RECATEGORISE, trigger="manual")
        wait_for(lambda: waiting_for_a_lock(cluster), timeout=60, what="the run's first write", interval=0.05)
        first.kill()
        killed_at = time.monotonic()
        holder.rollback()
    wait_for(lambda: not waiting_for_a_lock(cluster), timeout=30, what="the killed worker's transaction to end")
    assert first.succeeded(RECATEGORISE) == 0
    assert runs(cluster, "succeeded") == 0
    assert runs(cluster, "running") == 1
    assert cluster.value("SELECT count(*) FROM categorisation_riskassessment") == 0  # rolled back with the worker

    second = portal.worker("second", **REDELIVER_AT_ONCE)
    wait_for(lambda: runs(cluster, "succeeded"), timeout=120, what="the re-delivered run to finish")
    measured("recategorisation_completed_after_kill", time.monotonic() - killed_at)
    assert second.received(RECATEGORISE) == 1
    assert one_of_each_per_school(cluster) == (schools, schools, schools, schools)
    # The killed run's row stays as it was left: running, nothing written.
    assert runs(cluster, "running") == 1

    send(portal, RECATEGORISE, trigger="manual")
    wait_for(lambda: runs(cluster, "succeeded") == 2, timeout=120, what="the second run")
    assert cluster.sql(
        "SELECT assessed, unchanged FROM categorisation_recategorisationrun WHERE status = 'succeeded' ORDER BY id"
    ) == [(schools, 0), (0, schools)]
    assert one_of_each_per_school(cluster) == (schools, schools, schools, schools)


def waiting_for_a_lock(cluster) -> bool:
    """Another connection (the worker's) waits for a lock."""
    return bool(
        cluster.value(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
        )
    )


def one_of_each_per_school(cluster) -> tuple[int, int, int, int]:
    """Assessments and schools assessed; standings and schools with a standing."""
    return cluster.sql(
        """
        SELECT (SELECT count(*) FROM categorisation_riskassessment),
               (SELECT count(DISTINCT school_id) FROM categorisation_riskassessment),
               (SELECT count(*) FROM categorisation_schoolcategory),
               (SELECT count(DISTINCT (school_id, framework_id)) FROM categorisation_schoolcategory)
        """
    )[0]


def test_a_monthly_report_killed_mid_build_is_completed_once(cluster, portal, schools, measured):
    period = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)

    def versions() -> list[int]:
        rows = cluster.sql("SELECT version FROM reporting_monthlyreport WHERE period = %s ORDER BY version", (period,))
        return [version for (version,) in rows]

    cluster.sql("DELETE FROM reporting_monthlyreport WHERE period = %s", (period,))
    first = portal.worker("first")
    send(portal, REPORT, period.isoformat())
    wait_for(lambda: first.received(REPORT), timeout=60, what="the report to start", interval=0.02)
    time.sleep(0.3)  # into the build: reading the inputs, drawing the PDF
    first.kill()
    killed_at = time.monotonic()
    assert first.succeeded(REPORT) == 0, "the report was built before the kill"

    second = portal.worker("second", **REDELIVER_AT_ONCE)
    wait_for(lambda: second.succeeded(REPORT), timeout=120, what="the re-delivered report")
    measured("report_completed_after_kill", time.monotonic() - killed_at)
    assert second.received(REPORT) == 1
    assert versions() == [1]

    send(portal, REPORT, period.isoformat())
    wait_for(lambda: second.succeeded(REPORT) == 2, timeout=120, what="the report asked for again")
    assert versions() == [1]
