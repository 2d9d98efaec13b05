"""Background work for support delivery."""

from celery import shared_task
from django.utils import timezone

from accounts.authorities import every_authority_id, working_in
from support import reminders


@shared_task(name="support.send_reminders")
def send_reminders() -> int:
    """Email today's reminders, each authority's; a reminder already sent is never sent again."""
    sent = 0
    for authority_id in every_authority_id():
        with working_in(authority_id):
            sent += reminders.send_due(timezone.localdate())
    return sent
