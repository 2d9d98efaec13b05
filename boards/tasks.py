"""Background work for the advisory board."""

from celery import shared_task

from accounts.authorities import task_in
from boards import pack


@shared_task(name="boards.build_board_pack", carries_authority=True)
def build_board_pack(meeting_id: int, authority_id: int | None = None) -> dict:
    """Build the meeting's pack (PDF); unchanged facts leave the existing pack as it is."""
    with task_in(authority_id):
        return pack.build(meeting_id)
