"""Background work for the advisory board."""

from celery import shared_task

from boards import pack


@shared_task(name="boards.build_board_pack")
def build_board_pack(meeting_id: int) -> dict:
    """Build the meeting's pack (PDF); unchanged facts leave the existing pack as it is."""
    return pack.build(meeting_id)
