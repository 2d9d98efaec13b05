"""Background work for operations: the outbox's sweep. Safe to run twice (a sent job is marked)."""

from celery import shared_task

from operations import jobs


@shared_task(name="operations.send_pending_jobs")
def send_pending_jobs() -> int:
    """Run every minute: send the jobs that waited for the broker, once it is back."""
    return jobs.send_pending()
