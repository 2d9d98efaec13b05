"""Background work for support delivery."""

from celery import shared_task
from django.utils import timezone

from support import reminders


@shared_task(name="support.send_reminders")
def send_reminders() -> int:
    """Email today's reminders; a reminder already sent is never sent again."""
    return reminders.send_due(timezone.localdate())
