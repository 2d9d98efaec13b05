"""The board pack as a Celery task: inline on a bare machine, on a real worker with Redis."""

import pytest
from django.utils import timezone

from boards.models import AgendaItem
from boards.tasks import build_board_pack
from tests.conftest import queued
from tests.factories import AgendaItemFactory, BoardMeetingFactory
from tests.pdfs import pdf_text


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_building_the_pack_twice_with_nothing_new_keeps_the_first(ashfield):
    meeting = BoardMeetingFactory(meets_on=timezone.localdate(), created_by=None)
    AgendaItemFactory(meeting=meeting, school=ashfield, reasons=["Self-referral: the head has resigned"], kinds=[])
    assert queued(build_board_pack, meeting.pk).get(timeout=120) == {"meeting": meeting.pk, "built": True}
    meeting.refresh_from_db()
    first = (meeting.pack.name, meeting.pack_built_at, meeting.pack_hash)
    text = pdf_text(meeting.pack.path)
    assert "Ashfield Primary School" in text
    assert "the head has resigned" in text
    assert queued(build_board_pack, meeting.pk).get(timeout=120) == {"meeting": meeting.pk, "built": False}
    meeting.refresh_from_db()
    assert (meeting.pack.name, meeting.pack_built_at, meeting.pack_hash) == first

    AgendaItem.objects.filter(meeting=meeting).update(reasons=["Self-referral: the head has resigned", "New data"])
    assert queued(build_board_pack, meeting.pk).get(timeout=120)["built"] is True
    meeting.refresh_from_db()
    assert meeting.pack_hash != first[2]
