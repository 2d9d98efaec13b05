"""A Welsh authority's school-improvement processes (issue 21, seed 001, the Vale of Glamorgan with the
Central South Consortium): informal warning notices and recovery plans before the statutory notice
(School Standards and Organisation (Wales) Act 2013, ss. 2–3), monthly risk management conferences,
termly target reviews by the challenge adviser, and consultant governors for amber and red schools.
Each end to end, its refusals, who may open what, and an authority in England that sees none of it."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts import permissions
from accounts.models import Authority, Role, SchoolAssignment
from boards import notices as notice_rules
from boards import services as board_services
from boards import welsh_selectors as selectors
from boards import welsh_services as services
from boards.models import (
    ConcernAction,
    ConcernMeeting,
    InformalWarningNotice,
    TargetReview,
    WarningNotice,
)
from categorisation import services as categorisation
from categorisation.models import Framework
from support.calendar import HalfTerm
from support.forms import BrokeredForm
from support.models import ActionPlan, BrokeredSupport
from tests.factories import SchoolAssignmentFactory, SchoolFactory, UserFactory
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

CONCERNS = "Reading at the end of key stage 2 has fallen for two years; self-evaluation by leaders is generous."
IMPROVE = "Accurate self-evaluation; a recovery plan with measurable reading targets agreed with governors."


def _date(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def dafydd(in_wales):
    """Hamadryad's challenge adviser (its priority partner)."""
    user = UserFactory(email="dafydd@csc.example", full_name="Dafydd Adviser", role=Role.PRIORITY_PARTNER)
    SchoolAssignmentFactory(user=user, school=in_wales, relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER)
    return user


@pytest.fixture
def ninian(in_wales, cardiff):
    """A second Cardiff school of the Welsh authority."""
    return SchoolFactory(
        urn=401999,
        name="Ninian Park Primary School",
        la=cardiff,
        establishment_number=2999,
        type_name="Welsh establishment",
        type_group_name="Welsh schools",
    )


def _welsh_category(school, code, *, by, admin):
    categorisation.set_active_framework(framework=Framework.objects.get(code="wales"), by=admin)
    categorisation.agree_category(school=school, by=by, category_code=code, rationale="Agreed at the annual review")


def _issue(school, by, today):
    return services.issue_informal_notice(
        school=school, by=by, issued_on=today, concerns=CONCERNS, improvements=IMPROVE, improve_by=today + timedelta(90)
    )


# Informal warning notices and recovery plans -------------------------------------------------------------------


def test_seed_001_informal_warning_notices_and_recovery_plans_are_lifted_or_escalated(client, olivia, in_wales, today):
    client.force_login(olivia)
    response = client.post(
        reverse("boards:new-informal-notice", args=[in_wales.urn]),
        {**_date("issued_on", today), "concerns": CONCERNS, "improvements": IMPROVE, **_date("improve_by", today)},
    )
    notice = InformalWarningNotice.objects.get(school=in_wales)
    assert response.status_code == 302
    assert response["Location"] == notice.get_absolute_url()
    # The school's action plan for the year is its recovery plan.
    assert notice.recovery_plan == ActionPlan.objects.get(school=in_wales)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "Recovery plan" in page
    assert CONCERNS in page

    lifted = services.lift_informal_notice(notice=notice, by=olivia, lifted_on=today, reason="Reading is back on track")
    assert lifted.status == InformalWarningNotice.Status.LIFTED
    assert notice.history.count() == 2  # issued, then lifted: audited

    second = _issue(in_wales, olivia, today)
    assert client.get(reverse("boards:informal-notice-step", args=[second.pk, "lift"])).status_code == 200
    assert client.get(reverse("boards:informal-notice-step", args=[second.pk, "withdraw"])).status_code == 404
    assert second.recovery_plan == notice.recovery_plan  # one plan a year, linked again
    response = client.post(
        reverse("boards:informal-notice-step", args=[second.pk, "escalate"]),
        {**_date("escalated_on", today), "rationale": "No improvement by the date set"},
    )
    second.refresh_from_db()
    formal = second.formal_notice
    assert second.status == InformalWarningNotice.Status.ESCALATED
    assert response["Location"] == formal.get_absolute_url()
    assert formal.status == WarningNotice.Status.RECOMMENDED
    assert formal.legislation == "School Standards and Organisation (Wales) Act 2013, ss. 2–3"

    # The formal notice follows WarningNotice's path, on the 2013 Act's grounds, copied to the Welsh Ministers.
    board_services.notice_step(notice=formal, step="accept", by=olivia, on=today)
    board_services.notice_step(
        notice=formal,
        step="issue",
        by=olivia,
        on=today,
        grounds=["w1_low_standards"],
        required_action="Raise standards in reading",
        compliance_period_days=60,
    )
    formal.refresh_from_db()
    assert formal.grounds_display() == [notice_rules.WALES_GROUNDS["w1_low_standards"]]
    assert "The Welsh Ministers" in formal.recipients
    page = client.get(formal.get_absolute_url()).content.decode()
    assert "School Standards and Organisation (Wales) Act 2013" in page
    assert "Education and Inspections Act 2006" not in page
    notice = " ".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(client.get(reverse("boards:notice-pdf", args=[formal.pk])).content)).pages
    )
    assert "School Standards and Organisation (Wales) Act 2013" in " ".join(notice.split())
    assert "Education and Inspections Act 2006" not in notice
    form = client.get(reverse("boards:notice-step", args=[formal.pk, "comply"]))
    assert form.status_code == 200


def test_an_english_ground_is_refused_for_a_welsh_school(olivia, in_wales, today):
    formal = services.escalate_informal_notice(
        notice=_issue(in_wales, olivia, today), by=olivia, escalated_on=today, rationale="No progress"
    )
    board_services.notice_step(notice=formal, step="accept", by=olivia, on=today)
    with pytest.raises(ValidationError, match="ground"):
        board_services.notice_step(
            notice=formal, step="issue", by=olivia, on=today, grounds=["low_standards"], compliance_period_days=60
        )


def test_informal_notice_refusals(olivia, dafydd, in_wales, today):
    with pytest.raises(PermissionDenied):
        _issue(in_wales, dafydd, today)
    with pytest.raises(ValidationError, match="improve by"):
        services.issue_informal_notice(
            school=in_wales,
            by=olivia,
            issued_on=today,
            concerns=CONCERNS,
            improvements=IMPROVE,
            improve_by=today - timedelta(1),
        )
    with pytest.raises(ValidationError, match="concerns"):
        services.issue_informal_notice(
            school=in_wales, by=olivia, issued_on=today, concerns=" ", improvements=IMPROVE, improve_by=today
        )
    notice = _issue(in_wales, olivia, today)
    with pytest.raises(ValidationError, match="already has an informal warning notice in force"):
        _issue(in_wales, olivia, today)
    with pytest.raises(ValidationError, match="why"):
        services.lift_informal_notice(notice=notice, by=olivia, lifted_on=today, reason="")
    services.lift_informal_notice(notice=notice, by=olivia, lifted_on=today, reason="Improved")
    with pytest.raises(ValidationError, match="lifted already"):
        services.escalate_informal_notice(notice=notice, by=olivia, escalated_on=today, rationale="Too late")


# Risk management conferences --------------------------------------------------------------------------------------


def test_seed_001_monthly_risk_management_conferences_record_attendees_decisions_and_actions(
    client, olivia, in_wales, ninian, today
):
    client.force_login(olivia)
    form = client.get(reverse("boards:new-risk-conference")).content.decode()
    for role in ("Head of Legal Services", "Education Portfolio Lead", "Chief Education Officer"):
        assert role in form  # the seed's roles, offered
    names = ["Lowri Legal", "Huw HR", "Siân School Improvement", "Cllr Evans", "Rhys CEO", "Mair Director"]
    data = {**_date("held_on", today), "notes": "Two schools discussed"}
    roles = [
        "Head of Legal Services",
        "Human Resources",
        "School Improvement",
        "Education Portfolio Lead",
        "Chief Education Officer",
        "Director of Education",
    ]
    for n, (name, role) in enumerate(zip(names, roles, strict=True), 1):
        data |= {f"name_{n}": name, f"role_{n}": role}
    data |= {
        "urn_1": in_wales.urn,
        "risks_1": "Falling reading; acting head",
        "decision_1": "Brokered literacy support",
    }
    data |= {"urn_2": ninian.urn, "risks_2": "Budget deficit", "decision_2": "Finance review"}
    data |= {"action_1": "Write to the governors", "owner_1": "Siân", **_date("deadline_1", today + timedelta(14))}
    data |= {"action_urn_1": in_wales.urn}
    response = client.post(reverse("boards:new-risk-conference"), data)
    meeting = ConcernMeeting.objects.get(kind=ConcernMeeting.Kind.RISK_CONFERENCE)
    assert response["Location"] == meeting.get_absolute_url()
    assert [(a.name, a.role) for a in meeting.attendee_list.all()] == list(zip(names, roles, strict=True))
    assert {r.school_id: r.decision for r in meeting.school_risks.all()} == {
        in_wales.pk: "Brokered literacy support",
        ninian.pk: "Finance review",
    }
    assert set(meeting.schools.all()) == {in_wales, ninian}
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Lowri Legal, Head of Legal Services" in page
    assert "Budget deficit" in page

    action = ConcernAction.objects.get(meeting=meeting)
    client.post(reverse("boards:conference-action-done", args=[action.pk]))
    action.refresh_from_db()
    assert action.done
    listing = client.get(reverse("boards:risk-conferences")).content.decode()
    assert "This month&#x27;s conference is not recorded yet" not in listing
    # The schools-causing-concern list keeps to its own meetings.
    assert meeting.get_absolute_url() not in client.get(reverse("boards:concern-meetings")).content.decode()


def test_a_risk_conference_needs_attendees_with_roles_and_schools_with_risks(olivia, in_wales, today):
    with pytest.raises(ValidationError, match="who attended"):
        services.record_risk_conference(by=olivia, held_on=today, attendees=[], risks=[(in_wales.pk, "Risk", "")])
    with pytest.raises(ValidationError, match="role"):
        services.record_risk_conference(
            by=olivia, held_on=today, attendees=[("Huw", "")], risks=[(in_wales.pk, "Risk", "")]
        )
    with pytest.raises(ValidationError, match="at least one school"):
        services.record_risk_conference(by=olivia, held_on=today, attendees=[("Huw", "HR")], risks=[])
    with pytest.raises(ValidationError, match="future"):
        services.record_risk_conference(
            by=olivia, held_on=today + timedelta(1), attendees=[("Huw", "HR")], risks=[(in_wales.pk, "Risk", "")]
        )


# Termly target reviews ------------------------------------------------------------------------------------------


TARGETS = [
    {"level": "school", "target": "KS2 reading at expected", "baseline": "62%", "current": "70%", "on_track": True},
    {"level": "pupil", "target": "FSM pupils' reading age", "baseline": "8.1", "current": "8.3", "on_track": False},
]


def test_seed_001_the_challenge_adviser_reviews_school_and_pupil_targets_termly(
    client, olivia, dafydd, in_wales, ninian, today
):
    year, term = selectors.current_term(today)
    missing = list(selectors.missing_target_reviews(year, term))
    assert [s.name for s in missing] == [ninian.name, in_wales.name]
    assert {s.name: s.challenge_adviser for s in missing}[in_wales.name] == "Dafydd Adviser"

    client.force_login(dafydd)
    data = {**_date("reviewed_on", today), "comment": "Good progress in reading"}
    for n, t in enumerate(TARGETS, 1):
        data |= {f"{k}_{n}": v for k, v in t.items() if k != "on_track"}
        data[f"on_track_{n}"] = "yes" if t["on_track"] else "no"
    response = client.post(reverse("boards:new-target-review", args=[in_wales.urn]), data)
    assert response.status_code == 302
    review = TargetReview.objects.get(school=in_wales)
    assert (review.academic_year, review.term, review.reviewed_by) == (year, term, dafydd)
    assert [(t.level, t.on_track) for t in review.targets.all()] == [("pupil", False), ("school", True)]
    page = client.get(reverse("boards:school-target-reviews", args=[in_wales.urn])).content.decode()
    assert "Not on track" in page
    assert "FSM pupils&#x27; reading age" in page

    with pytest.raises(ValidationError, match="already has its target review"):
        services.record_target_review(school=in_wales, by=olivia, reviewed_on=today, targets=TARGETS)
    # The adviser reviews only their own schools.
    with pytest.raises(PermissionDenied):
        services.record_target_review(school=ninian, by=dafydd, reviewed_on=today, targets=TARGETS)

    client.force_login(olivia)
    listing = client.get(reverse("boards:target-reviews")).content.decode()
    assert ninian.name in listing
    assert in_wales.name not in listing


def test_term_of_follows_the_half_terms():
    terms = [
        HalfTerm(
            n, f"H{n}", date(2026, 9, 1) + timedelta(days=60 * (n - 1)), date(2026, 9, 1) + timedelta(days=60 * n - 10)
        )
        for n in range(1, 7)
    ]
    assert selectors.term_of(date(2026, 8, 1), terms) == TargetReview.Term.AUTUMN
    assert selectors.term_of(date(2026, 10, 1), terms) == TargetReview.Term.AUTUMN
    assert selectors.term_of(terms[2].starts, terms) == TargetReview.Term.SPRING
    assert selectors.term_of(terms[5].ends + timedelta(5), terms) == TargetReview.Term.SUMMER


# Consultant governors ----------------------------------------------------------------------------------------


def test_seed_001_consultant_governors_for_amber_schools_with_a_peer_review_of_the_governing_body(
    client, olivia, adam, in_wales, ninian, today
):
    _welsh_category(in_wales, "amber", by=olivia, admin=adam)
    _welsh_category(ninian, "red", by=olivia, admin=adam)
    assert {s.school for s in selectors.without_consultant_governor()} == {in_wales, ninian}

    client.force_login(olivia)
    response = client.post(
        reverse("boards:new-consultant-governor", args=[in_wales.urn]),
        {"name": "Gareth Governor", **_date("starts", today), "funding_source": "la"},
    )
    assert response.status_code == 302
    governor = BrokeredSupport.objects.get(school=in_wales)
    assert governor.provider_type == BrokeredSupport.Provider.CONSULTANT_GOVERNOR
    assert {s.school for s in selectors.without_consultant_governor()} == {ninian}

    client.post(reverse("boards:governor-peer-review", args=[governor.pk]), _date("done_on", today))
    governor.refresh_from_db()
    assert governor.peer_review_on == today
    page = client.get(in_wales.get_absolute_url()).content.decode()
    assert "Gareth Governor" in page
    assert "peer review of the governing body done on" in page
    listing = client.get(reverse("boards:consultant-governors")).content.decode()
    assert ninian.name in listing


def test_a_consultant_governor_is_only_for_an_amber_or_red_school(olivia, adam, in_wales, today):
    with pytest.raises(ValidationError, match="not amber or red"):
        services.broker_consultant_governor(school=in_wales, by=olivia, name="Gareth", starts=today)
    _welsh_category(in_wales, "yellow", by=olivia, admin=adam)
    with pytest.raises(ValidationError, match="not amber or red"):
        services.broker_consultant_governor(school=in_wales, by=olivia, name="Gareth", starts=today)
    # Nor through the general brokered-support form or service.
    assert "consultant_governor" not in dict(BrokeredForm().fields["provider_type"].choices)


# An authority in England ---------------------------------------------------------------------------------------


WALES_PAGES = [
    "boards:wales",
    "boards:informal-notices",
    "boards:risk-conferences",
    "boards:new-risk-conference",
    "boards:target-reviews",
    "boards:consultant-governors",
]


def test_an_english_authority_sees_none_of_it(client, olivia, ashfield, today):
    client.force_login(olivia)
    for name in WALES_PAGES:
        response = client.get(reverse(name))
        assert (name, response.status_code, response["Location"]) == (name, 302, reverse("home"))
    response = client.get(reverse("boards:new-informal-notice", args=[ashfield.urn]))
    assert response.status_code == 302
    page = client.get(ashfield.get_absolute_url()).content.decode()
    for text in ("informal warning notice", "consultant governor", "target review", "Consultant governors"):
        assert text not in page
    with pytest.raises(ValidationError, match="in Wales"):
        _issue(ashfield, olivia, today)
    with pytest.raises(ValidationError, match="in Wales"):
        services.record_risk_conference(
            by=olivia, held_on=today, attendees=[("Huw", "HR")], risks=[(ashfield.pk, "R", "")]
        )
    with pytest.raises(ValidationError, match="in Wales"):
        services.broker_consultant_governor(school=ashfield, by=olivia, name="Gareth", starts=today)


def test_only_officers_of_an_authority_in_wales_run_the_processes(olivia, dafydd, everyone, in_wales):
    olivia.refresh_from_db()
    assert permissions.can_run_welsh_processes(olivia)
    assert not permissions.can_run_welsh_processes(dafydd)
    Authority.objects.filter(pk=olivia.authority_id).update(nation=Authority.Nation.ENGLAND)
    olivia.refresh_from_db()
    assert not permissions.can_run_welsh_processes(olivia)


def test_a_school_in_england_gets_none_of_it_even_for_a_welsh_authority(olivia, in_wales, ashfield, today):
    with pytest.raises(ValidationError):
        _issue(ashfield, olivia, today)


# Who may open what --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", WALES_PAGES)
def test_officers_only_on_the_welsh_lists(client, everyone, in_wales, name):
    got = {}
    for role in ROLES:
        client.force_login(everyone[role])
        got[role] = client.get(reverse(name)).status_code
    assert got == {"olivia": 200, "adam": 200} | dict.fromkeys(
        ["alice", "bob", "hannah", "ezra", "bella", "colin"], 403
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("boards:new-informal-notice", {"olivia": 200, "adam": 200, "dafydd": 403, "alice": 403, "hannah": 403}),
        ("boards:new-consultant-governor", {"olivia": 200, "adam": 200, "dafydd": 403, "alice": 403, "hannah": 403}),
        ("boards:school-target-reviews", {"olivia": 200, "adam": 200, "dafydd": 200, "alice": 404, "hannah": 404}),
        ("boards:new-target-review", {"olivia": 200, "adam": 200, "dafydd": 200, "alice": 404, "hannah": 404}),
    ],
)
def test_who_may_open_a_welsh_schools_pages(client, everyone, dafydd, in_wales, name, expected):
    people = {**everyone, "dafydd": dafydd}
    got = {}
    for who in expected:
        client.force_login(people[who])
        got[who] = client.get(reverse(name, args=[in_wales.urn])).status_code
    assert got == expected


def test_the_school_page_links_for_officers_and_the_challenge_adviser(client, olivia, dafydd, in_wales):
    client.force_login(olivia)
    page = client.get(in_wales.get_absolute_url()).content.decode()
    assert reverse("boards:new-informal-notice", args=[in_wales.urn]) in page
    assert reverse("boards:new-consultant-governor", args=[in_wales.urn]) in page
    assert reverse("boards:wales") in page
    client.force_login(dafydd)
    page = client.get(in_wales.get_absolute_url()).content.decode()
    assert reverse("boards:school-target-reviews", args=[in_wales.urn]) in page
    assert reverse("boards:new-informal-notice", args=[in_wales.urn]) not in page


def test_the_lists_are_bounded_in_queries(client, olivia, adam, in_wales, ninian, today, django_assert_max_num_queries):
    _welsh_category(in_wales, "amber", by=olivia, admin=adam)
    _welsh_category(ninian, "red", by=olivia, admin=adam)
    for school in (in_wales, ninian):
        _issue(school, olivia, today)
        services.record_risk_conference(
            by=olivia, held_on=today, attendees=[("Huw", "HR")], risks=[(school.pk, "R", "")]
        )
    client.force_login(olivia)
    for name in WALES_PAGES:
        with django_assert_max_num_queries(20):
            assert client.get(reverse(name)).status_code == 200
