"""Oxfordshire's processes (seed 003): half-termly strategy meetings chaired by a senior officer,
the new headteachers' network and the annual structured conversations with academies."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from categorisation import selectors as categorisation_selectors
from categorisation import services as categorisation
from categorisation.models import Category
from support import selectors, services
from support.models import Meeting, MeetingMember
from tests.factories import NewHeadteacherFactory

pytestmark = pytest.mark.django_db

YEAR = 2026


@pytest.fixture
def half_termly(ashfield, olivia):
    """Ashfield agreed as Intensive support, a category that meets half-termly."""
    categorisation.recategorise(trigger="manual")
    Category.objects.filter(code="intensive").update(meeting_cadence="half_termly")
    categorisation.agree_category(school=ashfield, by=olivia, category_code="intensive", rationale="Agreed at panel")
    return ashfield


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 11, 23))
    return date(2026, 11, 23)


def test_seed_003_strategy_meetings_are_convened_half_termly_from_the_category(half_termly, beacon_hill, olivia, today):
    assert selectors.missing_strategy_meeting(today) == [(half_termly, selectors.half_terms(YEAR)[1])]
    made = services.schedule_strategy_meetings(year=YEAR, by=olivia)
    # Autumn 2 is under way: its meeting is within the week; then one in each half-term to come.
    assert [m.scheduled_for for m in made] == [
        date(2026, 11, 30),
        date(2027, 1, 18),
        date(2027, 3, 8),
        date(2027, 4, 26),
        date(2027, 6, 21),
    ]
    assert {m.school for m in made} == {half_termly}  # Beacon Hill has no half-termly category
    assert services.schedule_strategy_meetings(year=YEAR, by=olivia) == []
    assert selectors.missing_strategy_meeting(today) == []


def test_seed_003_a_strategy_meeting_is_chaired_by_a_senior_local_authority_officer(
    half_termly, olivia, priya, alice, bob, today
):
    with pytest.raises(ValidationError, match="senior officer"):
        services.arrange_strategy_meeting(
            school=half_termly, by=olivia, scheduled_for=date(2026, 12, 2), chair=alice, people=[]
        )
    with pytest.raises(ValidationError, match="own partners"):
        services.arrange_strategy_meeting(
            school=half_termly, by=olivia, scheduled_for=date(2026, 12, 2), chair=olivia, people=[bob]
        )
    with pytest.raises(PermissionDenied):
        services.arrange_strategy_meeting(
            school=half_termly, by=alice, scheduled_for=date(2026, 12, 2), chair=olivia, people=[]
        )


def test_seed_003_the_strategy_group_has_the_authority_s_people_and_the_school_s_members_by_role(
    half_termly, olivia, priya, alice, today
):
    services.schedule_strategy_meetings(year=YEAR, by=olivia)
    meeting = services.arrange_strategy_meeting(
        school=half_termly,
        by=olivia,
        scheduled_for=date(2026, 12, 2),
        chair=priya,
        people=[priya, olivia, alice],
        school_members=[("headteacher", "Hannah Head"), ("chair_of_governors", "Gwen Gray"), ("mat", " ")],
    )
    # The half-term's scheduled meeting moves to the day rather than a second one being made.
    assert Meeting.objects.filter(school=half_termly, scheduled_for__range=(today, date(2026, 12, 18))).count() == 1
    assert meeting.chair == priya
    assert sorted((m.role, str(m.person or m.name)) for m in meeting.members.all()) == [
        (MeetingMember.Role.CHAIR_OF_GOVERNORS, "Gwen Gray"),
        (MeetingMember.Role.HEADTEACHER, "Hannah Head"),
        (MeetingMember.Role.OFFICER, "Olivia Officer"),
        (MeetingMember.Role.PARTNER, "Alice Partner"),
    ]
    services.record_meeting(
        meeting=meeting,
        by=olivia,
        held_on=today,
        attendees="As listed",
        notes="Reading is improving.",
        actions=[("Book phonics training", "Deputy headteacher", date(2027, 1, 15))],
        progress="to_be_good",
        support_timely=True,
        impact="Phonics screening up 12 points.",
    )
    meeting.refresh_from_db()
    assert (meeting.get_progress_display(), meeting.support_timely) == ("On track to be Good", True)
    assert meeting.actions.get().owner == "Deputy headteacher"


def test_seed_003_the_network_for_new_headteachers_shows_who_is_not_yet_invited_or_attended(ashfield, olivia, today):
    jo = NewHeadteacherFactory(school=ashfield, name="Jo Rahman", starts_on=date(2026, 9, 1))
    sam = NewHeadteacherFactory(school=ashfield, name="Sam Okafor", starts_on=date(2026, 11, 2))
    NewHeadteacherFactory(school=ashfield, name="Long Serving", starts_on=date(2024, 9, 1))
    assert [(h.name, h.invited) for h in selectors.new_heads_for_network(today)] == [
        ("Jo Rahman", False),
        ("Sam Okafor", False),
    ]
    meeting = services.arrange_network_meeting(by=olivia, held_on=date(2026, 11, 20), topic="Budgets", heads=[jo, sam])
    services.record_network_attendance(meeting=meeting, by=olivia, attended=[jo])
    assert [(h.name, h.invited, h.attended) for h in selectors.new_heads_for_network(today)] == [
        ("Jo Rahman", True, True),
        ("Sam Okafor", True, False),
    ]


def test_seed_003_an_annual_structured_conversation_with_academies_causing_concern(
    ashfield, beacon_hill, olivia, today
):
    beacon_hill.ofsted_outcome = "requires_improvement"
    beacon_hill.save()
    ashfield.ofsted_outcome = "requires_improvement"  # maintained: not an academy
    ashfield.save()
    assert list(selectors.academies_due_conversation(YEAR)) == [beacon_hill]
    services.record_academy_conversation(
        by=olivia,
        with_whom="Beacon Learning Trust",
        held_on=date(2026, 11, 10),
        leaders_met="CEO, director of education",
        schools=[beacon_hill],
    )
    assert list(selectors.academies_due_conversation(YEAR)) == []
    assert list(selectors.academies_due_conversation(YEAR + 1)) == [beacon_hill]  # once a year


def test_seed_003_an_inadequate_school_s_strategy_group_adds_a_mat_representative_and_the_diocese(
    half_termly, olivia, today
):
    half_termly.ofsted_outcome = "inadequate"
    half_termly.save()
    meeting = services.arrange_strategy_meeting(
        school=half_termly,
        by=olivia,
        scheduled_for=date(2026, 12, 2),
        chair=olivia,
        people=[olivia],  # the chair is not listed twice
        school_members=[("mat", "Dr Ravi Mehta, Cherwell Learning Trust"), ("diocese", "Revd Ann Lee")],
    )
    assert [str(m) for m in meeting.members.all()] == [
        "Dr Ravi Mehta, Cherwell Learning Trust, MAT representative",
        "Revd Ann Lee, diocese link adviser",
    ]
    services.record_meeting(
        meeting=meeting,
        by=olivia,
        held_on=today,
        attendees="As listed",
        notes="Statement of Action reviewed.",
        progress="improving_rapidly",
        support_timely=False,
        impact="Too early to judge.",
    )
    meeting.refresh_from_db()
    assert meeting.get_progress_display() == "Quality of education improving rapidly"


def test_strategy_meetings_follow_the_cadence_of_the_adopted_version(ashfield, olivia, adam, today):
    categorisation.recategorise(trigger="manual")
    categorisation.agree_category(school=ashfield, by=olivia, category_code="intensive", rationale="Agreed at panel")
    assert list(selectors.strategy_meeting_schools()) == []
    draft = categorisation.create_draft(version=categorisation_selectors.active_version(), by=adam)
    intensive = draft.categories.get(code="intensive")
    categorisation.update_support(category=intensive, by=adam, values={"meeting_cadence": "half_termly"})
    categorisation.adopt_draft(version=draft, by=adam)
    assert list(selectors.strategy_meeting_schools()) == [ashfield]
