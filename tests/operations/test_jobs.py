"""The outbox: a job the broker cannot take is kept, and sent once, oldest first, when it is back."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from django_celery_beat.models import PeriodicTask
from kombu.exceptions import OperationalError

from operations import jobs, signals, tasks
from operations.models import PendingJob
from reporting import tasks as reporting_tasks
from reporting.models import MonthlyReport
from tests.builtin_data import DEFAULT_AUTHORITY
from tests.factories import PendingJobFactory

LAST_MONTH = "2026-10-01"


@pytest.fixture
def broker_back(broker_down, monkeypatch):
    """The broker answers again: what is handed to it is recorded instead of sent."""
    published = []

    def publish(name, args, kwargs):
        published.append((name, list(args), dict(kwargs)))
        return f"result of {name}"

    monkeypatch.setattr(jobs.health, "broker_reachable", lambda timeout=1.0: True)
    monkeypatch.setattr(jobs, "_publish", publish)
    return published


def test_with_tasks_inline_a_job_runs_at_once_and_nothing_is_kept(db):
    outcome = jobs.enqueue(reporting_tasks.build_monthly_report, LAST_MONTH)
    assert (outcome.sent, outcome.held) == (True, False)
    assert outcome.result.get()["version"] == 1
    assert MonthlyReport.objects.count() == 1
    assert not PendingJob.objects.exists()


def test_a_broker_that_is_down_keeps_the_job_within_two_seconds(db, broker_down):
    started = time.monotonic()
    outcome = jobs.enqueue(reporting_tasks.build_monthly_report, LAST_MONTH, by_id=7)
    assert time.monotonic() - started < 2
    assert (outcome.held, outcome.sent, outcome.result) == (True, False, None)
    job = PendingJob.objects.get()
    assert outcome.job == job
    assert (job.task, job.args, job.kwargs) == (
        "reporting.build_monthly_report",
        [LAST_MONTH],
        {"by_id": 7, "authority_id": DEFAULT_AUTHORITY},
    )
    assert job.attempts == 1
    assert job.sent_at is None
    assert "did not answer" in job.last_error
    assert not MonthlyReport.objects.exists()


def test_a_broker_that_never_answers_keeps_the_job_within_two_seconds(db, silent_broker):
    started = time.monotonic()
    assert jobs.enqueue(reporting_tasks.build_monthly_report, LAST_MONTH).held
    assert time.monotonic() - started < 2


def test_a_broker_that_fails_while_sending_keeps_the_job(db, broker_down, monkeypatch):
    def refuse(name, args, kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(jobs.health, "broker_reachable", lambda timeout=1.0: True)
    monkeypatch.setattr(jobs, "_publish", refuse)
    outcome = jobs.enqueue(reporting_tasks.build_monthly_report, LAST_MONTH)
    assert outcome.held
    assert PendingJob.objects.get().last_error == (
        "OperationalError: Error 111 connecting to 127.0.0.1:6379. Connection refused."
    )


def test_a_job_queued_on_commit_is_waiting_until_its_transaction_commits(db, broker_down):
    with transaction.atomic():
        outcome = jobs.enqueue_on_commit(reporting_tasks.build_monthly_report, LAST_MONTH)
        assert outcome.state == jobs.WAITING
    # The test's own transaction never commits: the callback runs when it is captured.
    assert not PendingJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_on_commit_is_kept_once_the_transaction_commits(broker_down):
    with transaction.atomic():
        outcome = jobs.enqueue_on_commit(reporting_tasks.build_monthly_report, LAST_MONTH)
    assert outcome.held
    assert PendingJob.objects.get().task == "reporting.build_monthly_report"


def test_waiting_jobs_are_sent_oldest_first_and_each_once(db, broker_back):
    first, second = PendingJobFactory(args=["2026-09-01"]), PendingJobFactory(args=["2026-10-01"])
    assert jobs.waiting_jobs() == 2
    assert jobs.send_pending() == 2
    assert broker_back == [
        ("reporting.build_monthly_report", ["2026-09-01"], {}),
        ("reporting.build_monthly_report", ["2026-10-01"], {}),
    ]
    for job in (first, second):
        job.refresh_from_db()
        assert job.sent_at is not None
        assert job.attempts == 2
    assert jobs.send_pending() == 0
    assert len(broker_back) == 2
    assert jobs.waiting_jobs() == 0


def test_a_sweep_stops_at_the_first_job_the_broker_refuses(db, broker_down, monkeypatch):
    first, second = PendingJobFactory(), PendingJobFactory()
    sent = []

    def publish(name, args, kwargs):
        if sent:
            raise OperationalError("Connection refused.")
        sent.append(name)

    monkeypatch.setattr(jobs, "_publish", publish)
    assert jobs.send_pending() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.sent_at is not None
    assert (second.sent_at, second.attempts, second.last_error) == (None, 2, "OperationalError: Connection refused.")


def test_the_next_job_the_broker_takes_sends_those_waiting_first(db, broker_back):
    waiting = PendingJobFactory(task="schools.import_file", args=[12])
    outcome = jobs.enqueue(reporting_tasks.build_monthly_report, LAST_MONTH)
    assert outcome.sent
    assert outcome.result == "result of reporting.build_monthly_report"
    assert [name for name, _, _ in broker_back] == ["schools.import_file", "reporting.build_monthly_report"]
    waiting.refresh_from_db()
    assert waiting.sent_at is not None


def test_with_tasks_inline_the_outbox_is_left_alone(db, monkeypatch):
    job = PendingJobFactory()
    monkeypatch.setattr(jobs, "_publish", lambda *a: pytest.fail("nothing is sent when tasks run inline"))
    assert jobs.send_pending() == 0
    job.refresh_from_db()
    assert job.sent_at is None


@pytest.mark.django_db(transaction=True)  # the worker's receiver closes its connections afterwards
def test_a_worker_that_starts_sends_the_waiting_jobs(broker_back):
    PendingJobFactory()
    signals.worker_ready.send(sender=None)
    assert len(broker_back) == 1
    assert jobs.waiting_jobs() == 0


@pytest.mark.django_db(transaction=True)
def test_a_worker_starts_even_when_the_outbox_cannot_be_read(broker_back, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("the database is down too")

    monkeypatch.setattr(jobs, "send_pending", broken)
    signals.worker_ready.send(sender=None)
    assert "could not be sent at start" in caplog.text


def test_the_sweep_task_runs_every_minute(db, broker_back):
    schedule = PeriodicTask.objects.get(task="operations.send_pending_jobs")
    assert (schedule.interval.every, schedule.interval.period, schedule.enabled) == (1, "minutes", True)
    PendingJobFactory()
    assert tasks.send_pending_jobs.apply().get() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite has none)")
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_never_send_the_same_job(broker_back):
    """One sweep holds the rows it is sending; another at the same moment skips them."""
    job = PendingJobFactory()
    locked, release = threading.Event(), threading.Event()

    def first_sweep():
        from django.db import connections

        try:
            with transaction.atomic():
                list(PendingJob.objects.select_for_update().filter(pk=job.pk))
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    sweeping = threading.Thread(target=first_sweep)
    sweeping.start()
    try:
        assert locked.wait(10)
        assert jobs.send_pending() == 0
        assert broker_back == []
    finally:
        release.set()
        sweeping.join(10)
    assert jobs.send_pending() == 1
    assert jobs.send_pending() == 0
    assert len(broker_back) == 1
