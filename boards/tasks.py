"""Background work for the advisory board."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from accounts.authorities import fan_out, spans_authorities, task_in
from boards import deadline_alerts, pack


@shared_task(name="boards.build_board_pack", carries_authority=True)
def build_board_pack(meeting_id: int, authority_id: int | None = None) -> dict:
    """Build the meeting's pack (PDF); unchanged facts leave the existing pack as it is."""
    with task_in(authority_id):
        return pack.build(meeting_id)


@shared_task(name="boards.notify_deadlines", carries_authority=True)
def notify_deadlines(today: str | None = None, authority_id: int | None = None) -> dict:
    """Each morning: tell officers (and partners, for plans) of deadlines near or passed, in each
    authority (queued from the schedule once for each). Safe to run twice: each deadline once."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    if spans_authorities(authority_id):
        return fan_out(notify_deadlines, day.isoformat())
    with task_in(authority_id):
        return {"notified": deadline_alerts.notify_deadlines(day)}
