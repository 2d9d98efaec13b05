"""The School Improvement Board (seed 002, Warwickshire 2013, section 7): its members are two lead
members of each consortium plus the LA's representation; each decision is voted on, the LA holding
a single vote, and carries when more vote for it than against; carried decisions feed the priority
list exactly as the advisory board's do. An authority without one keeps its advisory board."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards import demo as board_demo
from boards import improvement_board as board
from boards.models import BoardConstitution, Decision, DecisionVote, LARepresentative, PriorityEntry
from schools import services as school_services
from schools.models import ConsortiumMember
from support.selectors import current_year
from tests.factories import AgendaItemFactory, BoardMeetingFactory, SchoolFactory, UserFactory
from tests.roles import NOT_OFFICERS, OFFICERS, status_by_role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = current_year(TODAY)
BOARD_READERS = OFFICERS | NOT_OFFICERS | {"bella": 200}


@pytest.fixture
def priya(db):
    return UserFactory(full_name="Priya Shah", email="priya.shah@council.example")


@pytest.fixture
def leads(olivia):
    """Two consortia, two leads each who meet the criteria, and one nominated lead who does not."""
    north = school_services.create_consortium(name="North Primary", phase="primary", by=olivia)
    rugby = school_services.create_consortium(name="Rugby Secondary", phase="secondary", by=olivia)
    made = [
        school_services.add_consortium_lead(consortium=north, by=olivia, name="Amira Khan", criterion="nle"),
        school_services.add_consortium_lead(consortium=north, by=olivia, name="Ben Ward", criterion="lle"),
        school_services.add_consortium_lead(consortium=rugby, by=olivia, name="Cara Lee", criterion="nle"),
        school_services.add_consortium_lead(consortium=rugby, by=olivia, name="Dev Patel", criterion="lle"),
    ]
    return made


@pytest.fixture
def sib(olivia, priya, adam, leads):
    """The authority's board is a School Improvement Board; three officers represent the LA."""
    return board.constitute(kind="school_improvement", la_representatives=[olivia, priya, adam], by=olivia)


@pytest.fixture
def item(ashfield):
    meeting = BoardMeetingFactory(meets_on=TODAY, created_by=None)
    return AgendaItemFactory(meeting=meeting, school=ashfield, reasons=["New inspection: inadequate"], kinds=[])


def votes(leads, *cast: str) -> dict[int, str]:
    return {lead.pk: vote for lead, vote in zip(leads, cast, strict=False)}


def add(item, by, lead_votes, la_vote="", **extra):
    return board.decide_by_vote(
        school=item.school,
        meeting=item.meeting,
        item=item,
        kind=Decision.Kind.ADD,
        reason="ofsted_concern",
        rationale="Inadequate at its last inspection",
        by=by,
        lead_votes=lead_votes,
        la_vote=la_vote,
        **extra,
    )


def listed(school) -> bool:
    return PriorityEntry.objects.filter(school=school, academic_year=YEAR, status=PriorityEntry.Status.ON_LIST).exists()


# The rule, without the database --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lead_votes", "la_votes", "carried"),
    [
        (["for", "for", "against"], [], True),
        (["for", "against"], [], False),  # a tie does not carry
        (["for", "abstain", "abstain"], [], True),  # abstentions count neither way
        (["against"], ["for"], False),
        ([], ["for"], True),
    ],
)
def test_seed_002_a_decision_carries_when_more_vote_for_it_than_against(lead_votes, la_votes, carried):
    assert board.tally(lead_votes, la_votes).carried is carried


def test_seed_002_the_la_representative_holds_a_single_vote():
    """Seed 002, 7.6: "the LA representative will only hold a single vote ensuring that the model is
    owned and driven by schools": three officers' votes count as one."""
    result = board.tally(["against", "against"], ["for", "for", "for"])
    assert (result.votes_for, result.against, result.carried) == (1, 2, False)


def test_a_vote_that_is_not_one_is_refused():
    with pytest.raises(ValueError, match="Not a vote"):
        board.tally(["maybe"])


# The board's members -----------------------------------------------------------------------------------------------


def test_seed_002_the_board_is_two_leads_of_each_consortium_and_the_la(olivia, priya, adam, sib, leads):
    """Seed 002, 7.4: "made up of two lead members from each consortia ... plus LA representation"."""
    south = school_services.create_consortium(name="South Primary", phase="primary", by=olivia)
    school_services.add_consortium_lead(consortium=south, by=olivia, name="No Seat", criterion="none")
    members = board.members()
    assert [lead.name for lead in members.leads] == ["Amira Khan", "Ben Ward", "Cara Lee", "Dev Patel"]
    assert [c.name for c in members.consortia] == ["North Primary", "South Primary", "Rugby Secondary"]
    assert set(members.la_representatives) == {olivia, priya, adam}
    assert members.kind == BoardConstitution.Kind.SCHOOL_IMPROVEMENT


def test_only_officers_constitute_the_board_and_represent_the_la(olivia, bella, hannah):
    with pytest.raises(PermissionDenied):
        board.constitute(kind="school_improvement", la_representatives=[], by=bella)
    with pytest.raises(ValidationError, match="Only LA officers represent the LA: Hannah Head"):
        board.constitute(kind="school_improvement", la_representatives=[hannah], by=olivia)
    with pytest.raises(ValidationError, match="Choose what the authority's board is"):
        board.constitute(kind="cabinet", la_representatives=[], by=olivia)


def test_constituting_again_changes_the_one_record_and_the_trail_says_who_left(olivia, priya, sib):
    board.constitute(kind="advisory", la_representatives=[olivia], by=olivia)
    assert BoardConstitution.objects.count() == 1
    assert not board.votes_on_decisions()
    assert board.members().la_representatives == [olivia]
    left = LARepresentative.history.filter(history_type="-").values_list("officer__full_name", flat=True)
    assert sorted(left) == ["Adam Admin", "Priya Shah"]


# Decisions with votes ----------------------------------------------------------------------------------------------


def test_seed_002_a_carried_decision_feeds_the_priority_list(olivia, sib, leads, item):
    """The board's decisions feed the priority list as Birmingham's board's do (the same service)."""
    decision = add(item, olivia, votes(leads, "for", "for", "against", "abstain"), la_vote="for")
    assert decision.kind == Decision.Kind.ADD
    assert listed(item.school)
    assert decision.outcome.endswith("Carried by the School Improvement Board: 3 for, 1 against, 1 abstaining")
    tally = sorted((v.member, v.vote) for v in decision.votes.all())
    assert tally == [
        ("Amira Khan", "for"),
        ("Ben Ward", "for"),
        ("Cara Lee", "against"),
        ("Dev Patel", "abstain"),
        ("LA representation", "for"),
    ]


def test_a_decision_not_carried_changes_nothing_and_keeps_the_votes(olivia, sib, leads, item):
    decision = add(item, olivia, votes(leads, "for", "against", "against", "abstain"), la_vote="for")
    assert decision.kind == Decision.Kind.NO_CHANGE
    assert decision.outcome == (
        "No change: the motion (Add to the priority list) was not carried, 2 for, 2 against, 1 abstaining"
    )
    assert not listed(item.school)
    assert decision.votes.count() == 5


def test_seed_002_however_many_officers_attend_the_la_has_one_vote(olivia, sib, leads, item):
    """Three officers represent the LA; two leads vote against, one for: the LA's vote for makes it
    a tie, which does not carry (counted per officer it would have carried, 4 to 2)."""
    decision = add(item, olivia, votes(leads, "for", "against", "against"), la_vote="for")
    assert decision.kind == Decision.Kind.NO_CHANGE
    assert decision.votes.filter(for_la=True).count() == 1


def test_the_database_holds_the_la_to_one_vote(olivia, sib, leads, item):
    decision = add(item, olivia, votes(leads, "for", "for"), la_vote="for")
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionVote.objects.create(decision=decision, for_la=True, member="Another officer", vote="for")
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionVote.objects.create(decision=decision, lead=leads[0], member="Amira Khan", vote="against")


def test_only_the_boards_members_vote(olivia, sib, leads, item):
    rugby = leads[2].consortium
    school_services.remove_consortium_lead(lead=leads[3], by=olivia)
    unseated = school_services.add_consortium_lead(consortium=rugby, by=olivia, name="No Seat", criterion="none")
    with pytest.raises(ValidationError, match="Only the board's members vote"):
        add(item, olivia, {leads[0].pk: "for", unseated.pk: "for"})
    with pytest.raises(ValidationError, match="Record the members' votes"):
        add(item, olivia, votes(leads, "", ""))
    with pytest.raises(ValidationError, match="for, against or abstain"):
        add(item, olivia, votes(leads, "for"), la_vote="maybe")
    assert not Decision.objects.filter(school=item.school).exists()


def test_a_lead_who_stands_down_keeps_their_name_on_their_votes(olivia, sib, leads, item):
    decision = add(item, olivia, votes(leads, "for", "for"))
    school_services.remove_consortium_lead(lead=leads[0], by=olivia)
    assert sorted(decision.votes.values_list("member", "consortium")) == [
        ("Amira Khan", "North Primary"),
        ("Ben Ward", "North Primary"),
    ]


def test_an_advisory_board_does_not_vote(olivia, leads, item):
    """Birmingham's board is unchanged: without a School Improvement Board nothing is voted on."""
    assert not board.votes_on_decisions()
    with pytest.raises(PermissionDenied, match="advisory board"):
        add(item, olivia, votes(leads, "for"))


# Pages ----------------------------------------------------------------------------------------------------------------


def test_every_role_gets_what_it_may_of_the_boards_members(client, everyone, sib):
    assert status_by_role(client, everyone, reverse("boards:improvement-board")) == BOARD_READERS


def test_every_role_gets_what_it_may_of_the_vote(client, everyone, sib, item):
    bella_sees = PriorityEntry.objects.create(
        school=item.school, academic_year=YEAR, reason="ofsted_ri", status=PriorityEntry.Status.ON_LIST
    )
    assert bella_sees
    assert status_by_role(client, everyone, reverse("boards:vote", args=[item.pk])) == BOARD_READERS


def test_an_officer_makes_the_board_a_school_improvement_board(client, olivia, priya):
    client.force_login(olivia)
    response = client.post(
        reverse("boards:improvement-board"), {"kind": "school_improvement", "la_representatives": [priya.pk]}
    )
    assert response.status_code == 302
    assert board.votes_on_decisions()
    page = client.get(reverse("boards:improvement-board")).text
    assert "Priya Shah – a single vote" in page


def test_a_board_member_reads_the_members_but_does_not_constitute(client, bella, sib):
    client.force_login(bella)
    page = client.get(reverse("boards:improvement-board"))
    assert "Amira Khan" in page.text
    assert "What the authority&#x27;s board is" not in page.text
    assert client.post(reverse("boards:improvement-board"), {"kind": "advisory"}).status_code == 403


def test_the_decision_is_voted_on_the_page(client, olivia, sib, leads, item):
    client.force_login(olivia)
    assert client.get(reverse("boards:decide", args=[item.pk]))["Location"] == reverse("boards:vote", args=[item.pk])
    url = reverse("boards:vote", args=[item.pk])
    page = client.get(url).text
    assert "Amira Khan (North Primary)" in page
    assert "However many of them attend" in page
    data = {
        "kind": "add",
        "reason": "ofsted_concern",
        "rationale": "Inadequate",
        "la_vote": "against",
        "version": item.version,
        **{f"vote_{lead.pk}": "for" for lead in leads[:2]},
    }
    assert client.post(url, data).status_code == 302
    assert listed(item.school)
    meeting = client.get(item.meeting.get_absolute_url()).text
    assert "School Improvement Board" in meeting
    assert "Carried by the School Improvement Board: 2 for, 1 against, 0 abstaining" in meeting


def test_an_advisory_boards_decision_page_is_unchanged(client, olivia, item):
    client.force_login(olivia)
    assert client.get(reverse("boards:decide", args=[item.pk])).status_code == 200
    assert client.get(reverse("boards:vote", args=[item.pk]))["Location"] == reverse("boards:decide", args=[item.pk])
    assert "Record a decision and the votes" not in client.get(item.meeting.get_absolute_url()).text


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_members_page_takes_the_same_queries_however_many_consortia(client, olivia, sib):
    client.force_login(olivia)
    url = reverse("boards:improvement-board")
    few = _queries(client, url)
    for n in range(3):
        more = school_services.create_consortium(name=f"Area {n}", phase="primary", by=olivia)
        school_services.add_consortium_lead(consortium=more, by=olivia, name=f"Lead {n}", criterion="nle")
        school_services.add_school_to_consortium(consortium=more, school=SchoolFactory(), by=olivia)
    assert _queries(client, url) == few


# The demo ---------------------------------------------------------------------------------------------------------


def test_the_demo_gives_warwickshire_consortia_and_a_school_improvement_board(olivia, warwickshire):
    SchoolFactory(name="Atherstone Primary", la=warwickshire, town="Atherstone", ofsted_outcome="outstanding")
    SchoolFactory(name="Rugby High", la=warwickshire, town="Rugby", phase_name="Secondary")
    for _ in range(2):  # a second run leaves it as it is
        board_demo.load_school_improvement_board(officer=olivia)
    members = board.members()
    assert members.kind == BoardConstitution.Kind.SCHOOL_IMPROVEMENT
    assert members.la_representatives == [olivia]
    assert len(members.consortia) == 8
    north = next(c for c in members.consortia if c.name == "North Warwickshire primary")
    assert [lead.get_criterion_display() for lead in north.leads.all()] == [
        "Headteacher of an outstanding school",
        "Local leader of education (LLE)",
    ]
    assert len(members.leads) == 15  # Rugby secondary's second lead does not yet meet the criteria
    assert ConsortiumMember.objects.filter(consortium__name="Rugby secondary", school__name="Rugby High").exists()
