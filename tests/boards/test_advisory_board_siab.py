"""Birmingham's School Improvement Advisory Board as seed 004 writes it: its independent chair and
recently serving headteachers across all phases, its categorisation decisions, and the Education
Improvement Group whose notes the schools causing concern meeting reviews."""

import html
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from accounts.models import Authority, Role
from boards import services, siab
from boards.models import BoardMembership, Decision, Escalation
from categorisation import services as categorisation
from categorisation.models import CategoryDecision, SchoolCategory
from support.calendar import HalfTerm
from support.selectors import current_year
from tests.builtin_data import DEFAULT_AUTHORITY
from tests.factories import (
    AgendaItemFactory,
    BoardMeetingFactory,
    ConcernMeetingFactory,
    EscalationFactory,
    UserFactory,
)
from tests.roles import status_by_role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
Basis, Phase = BoardMembership.Basis, BoardMembership.Phase


def _text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def _board_member(name: str):
    return UserFactory(full_name=name, role=Role.BOARD_MEMBER)


# B94: "an external, independent Chair and recently serving Birmingham expert head teachers across all phases"


def test_seed_004_the_board_has_an_independent_chair_and_recent_heads_across_all_phases(olivia, bella):
    assert siab.membership().gaps == [
        "No chair is recorded",
        "No recently serving headteacher for: Primary, Secondary, Special",
    ]
    siab.set_membership(by=olivia, member=bella, basis=Basis.EXPERT, chair=True)
    siab.set_membership(by=olivia, member=_board_member("Pat Primary"), basis=Basis.RECENT_HEAD, phase=Phase.PRIMARY)
    assert siab.membership().gaps == [
        "The chair, Bella Board, is not recorded as external and independent",
        "No recently serving headteacher for: Secondary, Special",
    ]
    siab.set_membership(by=olivia, member=bella, basis=Basis.EXPERT, chair=True, independent=True)
    for name, phase in [("Sam Secondary", Phase.SECONDARY), ("Sue Special", Phase.SPECIAL)]:
        siab.set_membership(by=olivia, member=_board_member(name), basis=Basis.RECENT_HEAD, phase=phase)
    found = siab.membership()
    assert found.gaps == []
    assert next((str(m.member), m.chair) for m in found.members) == ("Bella Board", True)
    # A new chair takes the chair: the board has one.
    siab.set_membership(by=olivia, member=found.members[1].member, basis=Basis.RECENT_HEAD, phase="primary", chair=True)
    assert BoardMembership.objects.filter(chair=True).count() == 1
    assert "The chair, Pat Primary, is not recorded as external and independent" in siab.membership().gaps


def test_only_board_members_sit_and_only_officers_record_them(olivia, bella, alice):
    with pytest.raises(ValidationError, match="board member role"):
        siab.set_membership(by=olivia, member=alice, basis=Basis.EXPERT)
    with pytest.raises(ValidationError, match="phase"):
        siab.set_membership(by=olivia, member=bella, basis=Basis.RECENT_HEAD)
    with pytest.raises(PermissionDenied):
        siab.set_membership(by=bella, member=bella, basis=Basis.EXPERT)
    siab.set_membership(by=olivia, member=bella, basis=Basis.EXPERT)
    bella.role = Role.LA_OFFICER
    bella.save()
    assert siab.membership().members == []  # no longer a board member, no longer sits


def test_the_board_page_shows_the_chair_basis_and_gaps_and_officers_edit(client, everyone, olivia, bella):
    url = reverse("boards:board-membership")
    allowed = {"olivia": 200, "adam": 200, "bella": 200}
    assert status_by_role(client, everyone, url) == {r: allowed.get(r, 403) for r in everyone}
    client.force_login(olivia)
    response = client.post(url, {"member": bella.pk, "basis": Basis.HMI, "chair": "on", "independent": "on"})
    assert response.status_code == 302
    client.force_login(bella)
    page = _text(client.get(reverse("boards:improvement-board")))
    assert "Bella Board HMI – – Chair external and independent" in page
    assert "No recently serving headteacher for: Primary, Secondary, Special" in page
    assert "Save the membership" not in _text(client.get(url))


# B114: "recently serving Birmingham expert head teachers"


def test_seed_004_siab_heads_are_recently_serving_heads_of_the_authoritys_schools(
    client, olivia, bella, ashfield, castle, birmingham
):
    Authority.objects.filter(pk=DEFAULT_AUTHORITY).update(la_codes=[birmingham.code])  # Castle is in Warwickshire
    this_year = current_year()
    client.force_login(olivia)
    url = reverse("boards:board-membership")
    head = {"basis": Basis.RECENT_HEAD, "phase": Phase.PRIMARY, "headship_urn": ashfield.urn}
    refused = _text(client.post(url, {"member": bella.pk, **head, "headship_ended": this_year + 2}))
    assert "The year the headship ended must be this year or before" in refused
    refused = _text(client.post(url, {"member": bella.pk, **head, "headship_urn": 999999}))
    assert "There is no school with that URN in the register" in refused
    assert client.post(url, {"member": bella.pk, **head}).status_code == 302
    siab.set_membership(
        by=olivia,
        member=_board_member("Sam Secondary"),
        basis=Basis.RECENT_HEAD,
        phase=Phase.SECONDARY,
        headship_urn=ashfield.urn,
        headship_ended=this_year - 1,  # the summer before last: still recent
    )
    siab.set_membership(
        by=olivia,
        member=_board_member("Sue Special"),
        basis=Basis.RECENT_HEAD,
        phase=Phase.SPECIAL,
        headship_urn=castle.urn,
        headship_ended=this_year - 2,
    )
    # An expert sits on no headship, whatever the form held.
    expert = siab.set_membership(
        by=olivia, member=_board_member("Eve Expert"), basis=Basis.EXPERT, headship_urn=castle.urn, headship_ended=2001
    )
    assert (expert.headship_school, expert.headship_ended, expert.phase) == (None, None, "")

    page = _text(client.get(url))
    assert "Bella Board Recently serving headteacher Primary Serving head of Ashfield Primary School Member" in page
    assert f"Head of Ashfield Primary School until {this_year - 1} Member" in page
    assert f"Head of Castle Secondary School until {this_year - 2} Check Headship ended in {this_year - 2}" in page
    assert f"Sue Special: Headship ended in {this_year - 2}, more than two academic years ago" in page
    assert "Sue Special: Castle Secondary School is not one of the authority's schools" in page
    assert "Sam Secondary:" not in page
    assert "Bella Board:" not in page


# B95: "acting as the decision-making body in respect of school categorisation"


def test_seed_004_the_board_agrees_a_school_category_at_a_meeting(client, bella, ashfield):
    meeting = BoardMeetingFactory(meets_on=TODAY, created_by=None)
    item = AgendaItemFactory(meeting=meeting, school=ashfield, reasons=["New data"], kinds=[])
    client.force_login(bella)
    form = _text(client.get(reverse("boards:decide", args=[item.pk])))
    assert "Agree the category" in form
    assert "Choose the category" in form
    decision = services.decide(
        school=ashfield,
        kind=Decision.Kind.AGREE_CATEGORY,
        category_code="focused",
        rationale="Falling attainment and a new head",
        by=bella,
        meeting=meeting,
        item=item,
    )
    made = decision.category_decision
    assert made.kind == CategoryDecision.Kind.BOARD
    assert made.decided_by == bella
    assert (
        made.rationale == f"Agreed by the board at its meeting of {TODAY:%-d %B %Y}: Falling attainment and a new head"
    )
    agreed = SchoolCategory.objects.get(school=ashfield).category
    assert agreed.code == "focused"
    shown = client.get(reverse("boards:decide", args=[item.pk])).content.decode()
    assert f'id="category">{agreed.label}' in shown
    assert decision.outcome.startswith("Category agreed")
    assert decision.category_code == "focused"


def test_only_officers_change_a_category_directly_or_the_board_through_its_own_decision(bella, olivia, ashfield):
    meeting = BoardMeetingFactory(meets_on=TODAY, created_by=None)
    AgendaItemFactory(meeting=meeting, school=ashfield, reasons=["x"], kinds=[])
    with pytest.raises(PermissionDenied):
        categorisation.agree_category(school=ashfield, by=bella, category_code="focused", rationale="x")
    someone_elses = Decision(school=ashfield, meeting=meeting, decided_by=olivia, kind=Decision.Kind.AGREE_CATEGORY)
    with pytest.raises(PermissionDenied):
        categorisation.agree_category(
            school=ashfield, by=bella, category_code="focused", rationale="x", board_decision=someone_elses
        )
    with pytest.raises(ValidationError, match="Select a category from the list"):
        services.decide(
            school=ashfield, kind="agree_category", category_code="nope", rationale="x", by=bella, meeting=meeting
        )
    with pytest.raises(ValidationError, match="at one of its meetings"):
        services.decide(
            school=ashfield, kind=Decision.Kind.AGREE_CATEGORY, category_code="focused", rationale="x", by=bella
        )
    assert not SchoolCategory.objects.filter(school=ashfield, category__isnull=False).exists()


# B50 and stage 5: the Education Improvement Group


def test_seed_004_the_concern_meeting_reviews_the_latest_eig_notes(client, everyone, olivia, ashfield):
    escalation = EscalationFactory(school=ashfield)
    eig = siab.record_eig_meeting(
        by=olivia,
        held_on=TODAY - timedelta(days=7),
        notes="Governance in three schools discussed",
        themes="Governor turnover",
        actions="Governor services to attend each school's next full governing body meeting",
        outcomes={escalation.pk: "The diocese will write to the governors"},
    )
    escalation.refresh_from_db()
    assert (escalation.eig_meeting, escalation.status) == (eig, Escalation.Status.TO_EIG)
    assert escalation.outcome == "The diocese will write to the governors"
    concern = ConcernMeetingFactory(held_on=TODAY)
    client.force_login(olivia)
    page = _text(client.get(reverse("boards:concern-meeting", args=[concern.pk])))
    assert "the meeting of" in page
    assert "Governor turnover" in page
    assert f"{ashfield.name}: The diocese will write to the governors" in page
    url = reverse("boards:eig-meetings")
    assert status_by_role(client, everyone, url) == {r: 200 if r in {"olivia", "adam"} else 403 for r in everyone}


def test_seed_004_escalations_waiting_for_the_eig_longer_than_a_half_term_are_flagged(client, olivia, ashfield):
    terms = [
        HalfTerm(1, "Autumn 1", date(2026, 9, 2), date(2026, 10, 23)),
        HalfTerm(2, "Autumn 2", date(2026, 11, 2), date(2026, 12, 18)),
    ]
    assert not siab.waiting_too_long(date(2026, 9, 10), date(2026, 12, 1), terms)
    assert siab.waiting_too_long(date(2026, 9, 10), date(2026, 12, 21), terms)
    assert siab.waiting_too_long(date(2026, 10, 28), date(2026, 12, 21), terms)  # raised in the holiday
    old, new = EscalationFactory(school=ashfield), EscalationFactory(school=ashfield)
    Escalation.objects.filter(pk=old.pk).update(raised_on=TODAY - timedelta(days=200))
    assert [(e.pk, e.overdue) for e in siab.waiting_for_eig()] == [(old.pk, True), (new.pk, False)]
    client.force_login(olivia)
    page = _text(client.get(reverse("boards:escalations")))
    assert "1 escalation has waited for the Education Improvement Group longer than a half-term" in page
