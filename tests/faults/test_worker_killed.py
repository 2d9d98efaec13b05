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
    send(portal, RECATEGORISE, trigger="manual")
    # The run assesses every school inside its one transaction: kill the worker there.
    wait_for(
        lambda: runs(cluster, "succeeded") or (runs(cluster, "running") and writing(cluster)),
        timeout=60,
        what="the run's transaction",
        interval=0.02,
    )
    first.kill()
    killed_at = time.monotonic()
    # A COMMIT the worker sent just before it died is still carried out by the server: wait until
    # the server has finished with the worker's transaction, one way or the other.
    wait_for(lambda: not writing(cluster), timeout=30, what="the killed worker's transaction to end")
    assert first.succeeded(RECATEGORISE) == 0
    committed = runs(cluster, "succeeded")
    assessed = cluster.value("SELECT count(*) FROM categorisation_riskassessment")
    if committed:
        # Killed after its commit reached the server: the results and "succeeded" came together.
        assert (runs(cluster, "running"), assessed) == (0, schools)
    else:
        # Rolled back with the worker: the run still says running, and nothing is written.
        assert (runs(cluster, "running"), assessed) == (1, 0)

    second = portal.worker("second", **REDELIVER_AT_ONCE)
    wait_for(lambda: runs(cluster, "succeeded") == committed + 1, timeout=120, what="the re-delivered run to finish")
    measured("recategorisation_completed_after_kill", time.monotonic() - killed_at)
    assert second.received(RECATEGORISE) == 1
    assert one_of_each_per_school(cluster) == (schools, schools, schools, schools)
    # The killed run's row stays as it was left.
    assert runs(cluster, "running") == (0 if committed else 1)

    send(portal, RECATEGORISE, trigger="manual")
    wait_for(lambda: runs(cluster, "succeeded") == committed + 2, timeout=120, what="the second run")
    assert cluster.sql(
        "SELECT assessed, unchanged FROM categorisation_recategorisationrun WHERE status = 'succeeded' ORDER BY id"
    ) == [(schools, 0), *[(0, schools)] * (committed + 1)]
    assert one_of_each_per_school(cluster) == (schools, schools, schools, schools)


def writing(cluster) -> bool:
    """A connection (the worker's) is inside a transaction that has written: between its statements,
    or running one (a transaction id is assigned at the first write and held until the end). Polled
    from a busy machine (the suite over both cores), a state between statements alone can be missed."""
    return bool(
        cluster.value(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND (state LIKE 'idle in transaction%%' OR backend_xid IS NOT NULL)"
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
