"""Two people recording the board's decision on the same agenda item, or writing up the same
meeting, at once: the second is refused with a message naming the first, keeps their input on
the page, and the first decision or record stands."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from boards import services
from boards.models import AgendaItem, BoardMeeting, Decision
from core.concurrency import StaleEdit
from support.selectors import current_year
from tests.concurrency import opened_at, refused_by, signed_in
from tests.factories import AgendaItemFactory, BoardMeetingFactory, PriorityEntryFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def ruth(db):
    """A second board member."""
    return UserFactory(full_name="Ruth Adeyemi", email="ruth.adeyemi@council.example", role=Role.BOARD_MEMBER)


@pytest.fixture
def meeting(db):
    return BoardMeetingFactory(meets_on=TODAY, created_by=None)


@pytest.fixture
def item(meeting, ashfield):
    PriorityEntryFactory(school=ashfield, academic_year=current_year(TODAY), reason="ofsted_ri", added_on=TODAY)
    return AgendaItemFactory(meeting=meeting, school=ashfield, reasons=["New inspection: inadequate"], kinds=[])


# The services --------------------------------------------------------------------------------------------


def test_a_decision_from_a_stale_agenda_item_is_refused(item, bella, ruth):
    opened = item.version
    services.decide(
        school=item.school,
        meeting=item.meeting,
        item=item,
        kind="letter_of_concern",
        rationale="Governors have not met",
        by=bella,
        seen_version=opened,
    )
    with pytest.raises(StaleEdit) as refused:
        services.decide(
            school=item.school,
            meeting=item.meeting,
            item=AgendaItem.objects.get(pk=item.pk),
            kind="no_change",
            rationale="Improving",
            by=ruth,
            seen_version=opened,
        )
    assert refused.value.messages[0] == (
        f"{refused_by(item, bella, 'agenda item')} Your decision has not been recorded: it is shown below so you "
        "can copy it; reload to see the decisions recorded since."
    )
    assert list(Decision.objects.values_list("kind", "decided_by")) == [("letter_of_concern", bella.pk)]
    assert Decision.objects.get().history.first().history_user == bella


def test_recording_a_meeting_from_a_stale_version_is_refused(meeting, olivia, priya):
    opened = meeting.version
    services.record_meeting(meeting=meeting, by=olivia, present=[], minutes="Olivia's minutes", seen_version=opened)
    with pytest.raises(StaleEdit) as refused:
        services.record_meeting(
            meeting=BoardMeeting.objects.get(pk=meeting.pk),
            by=priya,
            present=[],
            minutes="Priya's minutes",
            seen_version=opened,
        )
    assert refused.value.messages[0].startswith(refused_by(meeting, olivia, "meeting record"))
    assert meeting.minutes == "Olivia's minutes"
    assert meeting.history.first().history_user == olivia


# The pages ------------------------------------------------------------------------------------------------


def test_two_board_members_decide_the_same_item_and_the_second_is_refused(item, bella, ruth):
    url = reverse("boards:decide", args=[item.pk])
    bellas, ruths = signed_in(bella), signed_in(ruth)
    bella_opened, ruth_opened = opened_at(bellas.get(url)), opened_at(ruths.get(url))

    posted = {"kind": "letter_of_concern", "rationale": "Governors have not met the partner", "version": bella_opened}
    assert bellas.post(url, posted).status_code == 302
    response = ruths.post(url, {"kind": "no_change", "rationale": "Results are improving", "version": ruth_opened})

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert refused_by(item, bella, "agenda item") in page
    assert "Results are improving</textarea>" in page
    assert list(Decision.objects.values_list("kind", flat=True)) == ["letter_of_concern"]


def test_two_officers_record_the_same_meeting_and_the_second_is_refused(meeting, olivia, priya):
    url = reverse("boards:record-meeting", args=[meeting.pk])
    olivias, priyas = signed_in(olivia), signed_in(priya)
    olivia_opened, priya_opened = opened_at(olivias.get(url)), opened_at(priyas.get(url))

    assert olivias.post(url, {"minutes": "Agreed the priority list", "version": olivia_opened}).status_code == 302
    response = priyas.post(url, {"minutes": "Deferred the priority list", "version": priya_opened})

    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert refused_by(meeting, olivia, "meeting record") in page
    assert "Deferred the priority list</textarea>" in page
    assert meeting.minutes == "Agreed the priority list"
