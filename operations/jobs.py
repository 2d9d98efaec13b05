"""Handing background jobs to the broker without ever losing one or keeping a page waiting.

Every piece of work the portal queues (an import, a recategorisation, a board pack, a monthly
report) goes through :func:`enqueue` or :func:`enqueue_on_commit`. Each first asks whether the
broker answers within a second (``operations.health.broker_reachable``) and sends with a bounded
retry policy (settings: ``CELERY_TASK_PUBLISH_RETRY_POLICY``); when the broker is down the job is
written to the outbox (``PendingJob``) instead and the caller is told, so it can say the work will
run when the background service is back. Waiting jobs are sent, oldest first and each once, when a
worker starts (``operations.signals``), every minute (``operations.tasks.send_pending_jobs``) and
before the next job that reaches the broker.

Without a broker (tasks run inline) a job simply runs, as it always has.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django_scopes import get_scope

from operations import health
from operations.models import PendingJob

logger = logging.getLogger(__name__)

WAITING = "waiting for its transaction to commit"
SENT = "sent"
HELD = "held until the background service is back"
# How many waiting jobs one sweep sends; the next sweep takes the rest.
SWEEP = 200


@dataclass
class Enqueued:
    """What became of a job: sent (or run inline), or held in the outbox. A job queued with
    :func:`enqueue_on_commit` stays ``WAITING`` until its transaction commits."""

    task: str
    state: str = WAITING
    result: Any = None  # the AsyncResult (an EagerResult when tasks run inline) once sent
    job: PendingJob | None = field(default=None, repr=False)

    @property
    def sent(self) -> bool:
        return self.state == SENT

    @property
    def held(self) -> bool:
        return self.state == HELD

    def became(self, other: Enqueued) -> None:
        self.state, self.result, self.job = other.state, other.result, other.job


def enqueue(task, *args, **kwargs) -> Enqueued:
    """Send ``task`` with these arguments now (they must be JSON), or keep it in the outbox when
    the broker does not answer; either way within about two seconds. A task that works in one
    authority (``carries_authority``) is sent the authority the code queuing it works in, unless
    the arguments name one (``authority_id=None``: every authority)."""
    if getattr(task, "carries_authority", False) and "authority_id" not in kwargs:
        kwargs["authority_id"] = get_scope().get("authority") or None
    if health.tasks_run_inline():
        return Enqueued(task.name, SENT, result=task.delay(*args, **kwargs))
    if not health.broker_reachable():
        return _hold(task.name, args, kwargs, "The broker did not answer")
    send_pending()
    try:
        result = _publish(task.name, list(args), kwargs)
    except health.broker_errors() as exc:
        return _hold(task.name, args, kwargs, _describe(exc))
    return Enqueued(task.name, SENT, result=result)


def enqueue_on_commit(task, *args, **kwargs) -> Enqueued:
    """:func:`enqueue` once the current transaction commits (a task never sees uncommitted rows);
    the answer fills in then (at once outside a transaction)."""
    outcome = Enqueued(task.name)
    transaction.on_commit(lambda: outcome.became(enqueue(task, *args, **kwargs)))
    return outcome


def send_pending(*, limit: int = SWEEP) -> int:
    """Send the jobs waiting in the outbox, oldest first, and mark each sent; stop at the first the
    broker refuses. Rows are locked while they are sent (skipping rows another process holds, on
    PostgreSQL), so two processes sweeping at once never send the same job. Returns how many were sent."""
    if health.tasks_run_inline() or not PendingJob.objects.filter(sent_at__isnull=True).exists():
        return 0
    errors = health.broker_errors()
    sent = 0
    with transaction.atomic():
        waiting = PendingJob.objects.filter(sent_at__isnull=True).order_by("created_at", "pk")
        if connection.features.has_select_for_update:
            waiting = waiting.select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)
        for job in waiting[:limit]:
            job.attempts += 1
            try:
                _publish(job.task, job.args, job.kwargs)
            except errors as exc:
                job.last_error = _describe(exc)
                job.save(update_fields=["attempts", "last_error"])
                logger.warning("Job %s (%s) is still waiting: %s", job.pk, job.task, job.last_error)
                break
            job.sent_at = timezone.now()
            job.save(update_fields=["attempts", "sent_at"])
            sent += 1
    if sent:
        logger.info("Sent %s job(s) that were waiting for the background service", sent)
    return sent


def waiting_jobs() -> int:
    return PendingJob.objects.filter(sent_at__isnull=True).count()


def _publish(name: str, args: list, kwargs: dict):
    """Hand one message to the broker (the settings bound its retries and timeouts)."""
    return health.celery_app().send_task(name, args=args, kwargs=kwargs)


def _hold(name: str, args: tuple, kwargs: dict, error: str) -> Enqueued:
    job = PendingJob.objects.create(task=name, args=list(args), kwargs=kwargs, attempts=1, last_error=error)
    logger.warning("The broker is unavailable: job %s (%s) is kept until it is back", job.pk, name)
    return Enqueued(name, HELD, job=job)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()[:1000]
