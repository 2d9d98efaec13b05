"""Support pages for every role: who may open what, what heads never see, the workflow through the
pages, and query counts that stay the same as the caseload and the plan grow."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from boards import services as board_services
from boards.models import PriorityEntry
from categorisation import services as categorisation
from support import selectors, services
from support.models import (
    ActionPlan,
    EntitlementKind,
    NetworkMeeting,
    PartnerProfile,
    SelfReferral,
    Visit,
    VisitReport,
)
from tests.factories import (
    ActionFactory,
    IntelligenceNoteFactory,
    MeetingFactory,
    PartnerProfileFactory,
    PriorityFactory,
    SchoolAssignmentFactory,
    SchoolFactory,
    SchoolGroupFactory,
    SelfReferralFactory,
    VisitFactory,
    VisitReportFactory,
)
from tests.roles import NOT_OFFICERS, OFFICERS, ROLES, assert_each_page_by_role

pytestmark = pytest.mark.django_db

# Pages about Ashfield: officers see every school; Alice is its partner and Hannah its head.
ASHFIELD_ONLY = dict.fromkeys(ROLES, 404) | OFFICERS


@pytest.fixture
def intensive(ashfield, olivia):
    categorisation.recategorise(trigger="manual")
    categorisation.agree_category(school=ashfield, by=olivia, category_code="intensive", rationale="Agreed at panel")
    return ashfield


@pytest.fixture
def package(intensive, olivia):
    return services.create_package(school=intensive, year=selectors.current_year(), by=olivia)


@pytest.fixture
def held_visit(ashfield, alice):
    return VisitFactory(school=ashfield, visitor=alice, status=Visit.Status.HELD, held_on=date(2026, 11, 10))


@pytest.fixture
def shared_visit(held_visit, alice):
    report = services.start_report(visit=held_visit, by=alice)
    services.edit_report(report=report, by=alice, findings="Phonics is secure in year 1.", next_steps="Year 3 next.")
    services.submit_report(report=report, by=alice)
    services.share_report(report=report, by=alice)
    return held_visit


@pytest.fixture
def draft_visit(ashfield, alice):
    visit = VisitFactory(school=ashfield, visitor=alice, status=Visit.Status.HELD, held_on=date(2026, 11, 12))
    services.start_report(visit=visit, by=alice)
    return visit


@pytest.fixture
def plan(ashfield, alice):
    plan = services.create_plan(school=ashfield, year=selectors.current_year(), by=alice)
    priority = services.add_priority(plan=plan, by=alice, title="Reading")
    services.add_action(
        priority=priority, by=alice, description="Train staff", owner="Deputy", deadline=date(2027, 1, 8)
    )
    return plan


@pytest.fixture
def pages(everyone, ashfield, alice, package, shared_visit, draft_visit, plan):
    profile = PartnerProfileFactory(user=alice)
    meeting = MeetingFactory(school=ashfield)
    network = NetworkMeeting.objects.create(held_on=date(2026, 11, 20), topic="Budgets")
    referral = SelfReferralFactory(school=ashfield, submitted_by=everyone["hannah"])
    priority = plan.priorities.get()
    action = priority.actions.get()
    can_visit_ashfield = OFFICERS | {"alice": 200, "hannah": 403}
    urn = ashfield.urn
    return {
        "caseload": (reverse("support:caseload"), dict.fromkeys(ROLES, 403) | {"alice": 200, "bob": 200}),
        "partners": (reverse("support:partners"), OFFICERS | NOT_OFFICERS),
        "a partner": (reverse("support:partner", args=[profile.pk]), OFFICERS | NOT_OFFICERS),
        "add a partner": (reverse("support:add-partner"), OFFICERS | NOT_OFFICERS),
        "change a partner": (reverse("support:edit-partner", args=[profile.pk]), OFFICERS | NOT_OFFICERS),
        "declare an interest": (reverse("support:declare-interest", args=[profile.pk]), OFFICERS | NOT_OFFICERS),
        "partners' quality assurance": (reverse("support:partner-quality-list"), OFFICERS | NOT_OFFICERS),
        # Alice reads her own quality record; Bob, another partner, gets 404 for hers.
        "a partner's quality record": (
            reverse("support:partner-quality", args=[profile.pk]),
            dict.fromkeys(ROLES, 403) | OFFICERS | {"alice": 200, "bob": 404},
        ),
        "update a quality record": (
            reverse("support:edit-partner-quality", args=[profile.pk]),
            OFFICERS | NOT_OFFICERS,
        ),
        "add training": (reverse("support:add-partner-training", args=[profile.pk]), OFFICERS | NOT_OFFICERS),
        "moderation": (reverse("support:moderations"), OFFICERS | NOT_OFFICERS),
        "record a moderation": (reverse("support:record-moderation"), OFFICERS | NOT_OFFICERS),
        "overview option": (reverse("support:overview-option", args=[urn]), OFFICERS | NOT_OFFICERS),
        "quality assurance": (reverse("support:quality-assurance"), OFFICERS | NOT_OFFICERS),
        "self-referrals": (reverse("support:self-referrals"), OFFICERS | NOT_OFFICERS),
        "decide on a self-referral": (
            reverse("support:consider-referral", args=[referral.pk]),
            OFFICERS | NOT_OFFICERS,
        ),
        "calendar": (reverse("support:calendar"), OFFICERS | NOT_OFFICERS),
        "annual review visits": (reverse("support:annual-reviews"), OFFICERS | NOT_OFFICERS),
        "Ashfield's support": (
            reverse("support:support", args=[urn]),
            ASHFIELD_ONLY | {"alice": 200, "hannah": 200},
        ),
        "adjust the entitlement": (reverse("support:adjust", args=[urn]), OFFICERS | NOT_OFFICERS),
        "allocate days": (reverse("support:allocate", args=[urn]), OFFICERS | NOT_OFFICERS),
        "brokered support": (reverse("support:brokered", args=[urn]), OFFICERS | NOT_OFFICERS),
        "traded service": (reverse("support:traded", args=[urn]), OFFICERS | NOT_OFFICERS),
        "new headteacher": (reverse("support:new-head", args=[urn]), OFFICERS | NOT_OFFICERS),
        "headteacher recruitment": (reverse("support:recruitment", args=[urn]), OFFICERS | NOT_OFFICERS),
        "schedule a visit": (reverse("support:new-visit", args=[urn]), ASHFIELD_ONLY | can_visit_ashfield),
        "a shared visit report": (
            reverse("support:visit", args=[shared_visit.pk]),
            ASHFIELD_ONLY | {"alice": 200, "hannah": 200},
        ),
        "a draft visit report": (reverse("support:visit", args=[draft_visit.pk]), ASHFIELD_ONLY | {"alice": 200}),
        "edit the draft": (
            reverse("support:report-edit", args=[draft_visit.pk]),
            dict.fromkeys(ROLES, 404) | {"alice": 200},
        ),
        "the report PDF": (
            reverse("support:report-pdf", args=[shared_visit.pk]),
            ASHFIELD_ONLY | {"alice": 200, "hannah": 200},
        ),
        "the draft's PDF": (reverse("support:report-pdf", args=[draft_visit.pk]), ASHFIELD_ONLY | {"alice": 200}),
        "respond to the report": (
            reverse("support:respond", args=[shared_visit.pk]),
            dict.fromkeys(ROLES, 404) | {"olivia": 403, "adam": 403, "alice": 403, "hannah": 200},
        ),
        "quality-assure the report": (
            reverse("support:quality", args=[shared_visit.pk]),
            OFFICERS | NOT_OFFICERS,
        ),
        "the plan": (reverse("support:plan", args=[urn]), ASHFIELD_ONLY | {"alice": 200, "hannah": 200}),
        "agree the plan": (
            reverse("support:agree-plan", args=[urn]),
            ASHFIELD_ONLY | {"olivia": 403, "adam": 403, "alice": 403, "hannah": 200},
        ),
        "add a priority": (reverse("support:add-priority", args=[urn]), ASHFIELD_ONLY | can_visit_ashfield),
        "add an action": (
            reverse("support:add-action", args=[urn, priority.pk]),
            ASHFIELD_ONLY | can_visit_ashfield,
        ),
        "update an action": (
            reverse("support:update-action", args=[urn, action.pk]),
            ASHFIELD_ONLY | can_visit_ashfield,
        ),
        "add a milestone": (reverse("support:add-milestone", args=[urn]), ASHFIELD_ONLY | can_visit_ashfield),
        "academy order": (reverse("support:academy-order", args=[urn]), OFFICERS | NOT_OFFICERS),
        "record a meeting": (reverse("support:meeting", args=[meeting.pk]), ASHFIELD_ONLY | can_visit_ashfield),
        "self-referral": (
            reverse("support:self-referral", args=[urn]),
            ASHFIELD_ONLY | {"olivia": 403, "adam": 403, "alice": 403, "hannah": 200},
        ),
        # Oxfordshire's processes (seed 003)
        "strategy meetings": (reverse("support:strategy-meetings"), OFFICERS | NOT_OFFICERS),
        "schedule a strategy meeting": (
            reverse("support:arrange-strategy-meeting", args=[urn]),
            OFFICERS | NOT_OFFICERS,
        ),
        "RI to Good": (reverse("support:ri-to-good"), OFFICERS | NOT_OFFICERS),
        "lowest quartile for P8 and A8": (reverse("support:lowest-quartile"), OFFICERS | NOT_OFFICERS),
        "review progress to Good": (reverse("support:ri-review", args=[urn]), ASHFIELD_ONLY | can_visit_ashfield),
        "new headteachers' network": (reverse("support:network"), OFFICERS | NOT_OFFICERS),
        "add a network meeting": (reverse("support:network-meeting-new"), OFFICERS | NOT_OFFICERS),
        "a network meeting": (reverse("support:network-meeting", args=[network.pk]), OFFICERS | NOT_OFFICERS),
        "academies' conversations": (reverse("support:academy-conversations"), OFFICERS | NOT_OFFICERS),
        "record a conversation": (reverse("support:academy-conversation-new"), OFFICERS | NOT_OFFICERS),
    }


PAGE_NAMES = [
    "caseload",
    "partners",
    "a partner",
    "add a partner",
    "change a partner",
    "declare an interest",
    "partners' quality assurance",
    "a partner's quality record",
    "update a quality record",
    "add training",
    "moderation",
    "record a moderation",
    "overview option",
    "quality assurance",
    "self-referrals",
    "decide on a self-referral",
    "calendar",
    "annual review visits",
    "Ashfield's support",
    "adjust the entitlement",
    "allocate days",
    "brokered support",
    "traded service",
    "new headteacher",
    "schedule a visit",
    "a shared visit report",
    "a draft visit report",
    "edit the draft",
    "the report PDF",
    "the draft's PDF",
    "respond to the report",
    "quality-assure the report",
    "the plan",
    "agree the plan",
    "add a priority",
    "add an action",
    "update an action",
    "add a milestone",
    "academy order",
    "record a meeting",
    "self-referral",
    "strategy meetings",
    "schedule a strategy meeting",
    "RI to Good",
    "review progress to Good",
    "new headteachers' network",
    "add a network meeting",
    "a network meeting",
    "academies' conversations",
    "record a conversation",
]


def test_every_role_gets_exactly_what_it_may_see(client, everyone, pages):
    assert_each_page_by_role(client, everyone, pages, PAGE_NAMES)


def test_the_matrix_covers_every_support_page(pages):
    from support.urls import urlpatterns

    # Steps that only take POST are tested below; every page that answers GET is in the matrix.
    post_only = {"create-package", "schedule-meetings", "visit-step", "plan-step"}
    # Assigning and removing a school's partner are checked role by role in their own file.
    elsewhere = {"assign-partner", "unassign-partner"}  # tests/support/test_partner_assignment.py
    covered = {resolve(url).url_name for url, _ in pages.values()}
    assert {p.name for p in urlpatterns} - post_only - elsewhere == covered


# Partners ------------------------------------------------------------------------------------------------


def test_an_officer_adds_a_partner_with_a_new_organisation(client, olivia, bob):
    client.force_login(olivia)
    page = client.get(reverse("support:add-partner")).content.decode()
    assert "Bob Partner" in page
    response = client.post(
        reverse("support:add-partner"),
        {
            "user": bob.pk,
            "new_organisation": "Midlands Learning Partnership",
            "specialisms": "Secondary maths",
            "capacity_days": "30",
            "contract_starts_0": "1",
            "contract_starts_1": "9",
            "contract_starts_2": "2026",
            "contract_ends_0": "31",
            "contract_ends_1": "8",
            "contract_ends_2": "2026",
        },
    )
    assert response.status_code == 200
    assert "The contract must end after it starts" in response.content.decode()
    assert not PartnerProfile.objects.exists()

    response = client.post(
        reverse("support:add-partner"),
        {"user": bob.pk, "new_organisation": "Midlands Learning Partnership", "capacity_days": "30"},
        follow=True,
    )
    assert "Partner added" in response.content.decode()
    profile = PartnerProfile.objects.get(user=bob)
    assert (profile.organisation.name, profile.capacity_days) == ("Midlands Learning Partnership", 30)
    # Bob has a profile now, so he is no longer offered.
    assert "Bob Partner" not in client.get(reverse("support:add-partner")).content.decode()


def test_a_declared_interest_flags_an_assignment_in_the_same_trust(client, olivia, bob, beacon_hill, ashfield):
    trust = SchoolGroupFactory(name="Northfield Trust")
    beacon_hill.trust = trust
    beacon_hill.save()
    ashfield.trust = trust
    ashfield.save()
    profile = PartnerProfileFactory(user=bob)
    client.force_login(olivia)
    response = client.post(
        reverse("support:declare-interest", args=[profile.pk]),
        {"urn": beacon_hill.urn, "relationship": "governor"},
        follow=True,
    )
    assert "Interest declared" in response.content.decode()
    response = client.post(reverse("support:partner", args=[profile.pk]), {"urn": ashfield.urn})
    page = response.content.decode()
    assert "Conflict of interest" in page
    assert "Northfield Trust" in page
    assert not bob.school_assignments.filter(school=ashfield).exists()
    client.post(
        reverse("support:partner", args=[profile.pk]),
        {"urn": ashfield.urn, "justification": "No one else has secondary experience; the LA will moderate."},
    )
    assignment = bob.school_assignments.get(school=ashfield)
    assert "Northfield Trust" in assignment.conflict
    assert assignment.assigned_by == olivia


def test_declaring_an_interest_in_an_unknown_school_says_so(client, olivia, bob):
    profile = PartnerProfileFactory(user=bob)
    client.force_login(olivia)
    response = client.post(
        reverse("support:declare-interest", args=[profile.pk]), {"urn": 999999, "relationship": "governor"}
    )
    assert "There is no school with that URN" in response.content.decode()
    assert not profile.interests.exists()


# Unsafe steps by the wrong people --------------------------------------------------------------------


def test_another_schools_partner_cannot_share_or_submit_by_posting(client, bob, draft_visit):
    client.force_login(bob)
    for step in ("submit", "share", "revise", "held", "start"):
        assert client.post(reverse("support:visit-step", args=[draft_visit.pk, step])).status_code == 404
    assert selectors.current_report(draft_visit).status == VisitReport.Status.DRAFT


def test_a_head_cannot_see_or_submit_a_draft(client, hannah, draft_visit):
    client.force_login(hannah)
    assert client.post(reverse("support:visit-step", args=[draft_visit.pk, "submit"])).status_code == 404
    assert selectors.current_report(draft_visit).status == VisitReport.Status.DRAFT


def test_another_partner_cannot_change_ashfields_plan(client, bob, plan):
    client.force_login(bob)
    url = reverse("support:add-priority", args=[plan.school.urn])
    assert client.post(url, {"title": "Hijacked"}).status_code == 404
    assert client.post(reverse("support:plan-step", args=[plan.school.urn, "reopen"])).status_code == 404
    assert list(plan.priorities.values_list("title", flat=True)) == ["Reading"]


def test_a_partner_cannot_set_up_a_package(client, alice, intensive):
    client.force_login(alice)
    assert client.post(reverse("support:create-package", args=[intensive.urn])).status_code == 403
    assert not intensive.support_packages.exists()


def test_only_the_head_agrees_the_plan_after_confirming(client, alice, hannah, plan):
    url = reverse("support:agree-plan", args=[plan.school.urn])
    client.force_login(alice)
    assert client.post(url).status_code == 403
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.DRAFT

    client.force_login(hannah)
    page = client.get(reverse("support:plan", args=[plan.school.urn])).content.decode()
    assert f'href="{url}?version={plan.version}"' in page
    page = client.get(f"{url}?version={plan.version}").content.decode()
    assert "Are you sure you want to agree the plan?" in page
    assert "Reading (1 action)" in page
    assert "the plan changes only if your priority partner or the local authority reopens it" in page
    assert ActionPlan.objects.get(pk=plan.pk).status == ActionPlan.Status.DRAFT

    response = client.post(url, {"version": plan.version}, follow=True)
    assert "You have agreed the plan" in response.content.decode()
    plan.refresh_from_db()
    assert (plan.status, plan.agreed_by) == (ActionPlan.Status.AGREED, hannah)


# The workflow through the pages ------------------------------------------------------------------------


def test_a_submitted_report_cannot_be_edited_in_place_through_the_page(client, alice, draft_visit):
    client.force_login(alice)
    report = selectors.current_report(draft_visit)
    services.edit_report(report=report, by=alice, findings="Original", next_steps="Next")
    client.post(reverse("support:visit-step", args=[draft_visit.pk, "submit"]))
    response = client.post(
        reverse("support:report-edit", args=[draft_visit.pk]),
        {"purpose": "x", "findings": "Changed", "next_steps": "Next"},
    )
    assert response.status_code == 200
    assert "Start a new version to change it" in response.content.decode()
    report.refresh_from_db()
    assert (report.findings, report.status) == ("Original", VisitReport.Status.SUBMITTED)


def test_a_head_responding_to_an_unshared_report_is_refused(client, hannah, alice, draft_visit):
    # The page does not exist for the head until a version is shared with them.
    client.force_login(hannah)
    response = client.post(reverse("support:respond", args=[draft_visit.pk]), {"response": "accurate"})
    assert response.status_code == 404
    assert selectors.current_report(draft_visit).head_response == ""


def test_not_accurate_without_a_comment_shows_the_error(client, hannah, shared_visit):
    client.force_login(hannah)
    response = client.post(reverse("support:respond", args=[shared_visit.pk]), {"response": "not_accurate"})
    assert response.status_code == 200
    assert "Say what is not accurate" in response.content.decode()
    assert selectors.current_report(shared_visit).status == VisitReport.Status.SHARED


def test_the_head_responds_and_the_officer_quality_assures(client, hannah, olivia, shared_visit):
    client.force_login(hannah)
    response = client.post(
        reverse("support:respond", args=[shared_visit.pk]),
        {"response": "accurate", "comment": "A fair account"},
        follow=True,
    )
    assert "Your response has been sent" in response.content.decode()
    client.force_login(olivia)
    response = client.post(reverse("support:quality", args=[shared_visit.pk]), {"outcome": "secure"}, follow=True)
    page = response.content.decode()
    assert "Quality assurance recorded" in page
    assert "Olivia Officer" in page
    report = selectors.current_report(shared_visit)
    assert (report.status, report.qa_by) == (VisitReport.Status.QUALITY_ASSURED, olivia)


def test_the_pdf_is_a_download_named_after_the_school_and_date(client, alice, shared_visit):
    client.force_login(alice)
    response = client.get(reverse("support:report-pdf", args=[shared_visit.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="visit-report-103001-20261110-v1.pdf"'
    assert response.content.startswith(b"%PDF")


# What heads never see ------------------------------------------------------------------------------------


def test_the_head_sees_shared_reports_but_not_drafts_visits_or_traded_services(
    client, hannah, alice, package, shared_visit, draft_visit
):
    client.force_login(hannah)
    page = client.get(reverse("support:support", args=[shared_visit.school.urn])).content.decode()
    assert "Review of the reading curriculum" in page
    assert reverse("support:visit", args=[shared_visit.pk]) in page
    assert reverse("support:visit", args=[draft_visit.pk]) not in page
    assert "Traded services" not in page


def test_the_head_sees_the_shared_version_not_the_draft_that_revises_it(client, hannah, alice, shared_visit):
    revision = services.revise_report(report=selectors.current_report(shared_visit), by=alice)
    services.edit_report(report=revision, by=alice, findings="Unshared second thoughts")
    client.force_login(hannah)
    page = client.get(reverse("support:visit", args=[shared_visit.pk])).content.decode()
    assert "Phonics is secure in year 1." in page
    assert "Unshared second thoughts" not in page


def test_the_heads_home_page_holds_no_intelligence(client, hannah, ashfield, olivia):
    IntelligenceNoteFactory(school=ashfield, text="Governors in dispute with the head", author=olivia)
    client.force_login(hannah)
    page = client.get("/").content.decode()
    assert "Ashfield Primary School" in page
    assert "Governors in dispute" not in page


def test_a_self_referral_reaches_the_officers_list(client, hannah, olivia, ashfield):
    client.force_login(hannah)
    response = client.post(
        reverse("support:self-referral", args=[ashfield.urn]),
        {"reason": "Our deputy and SENCo leave at Christmas."},
        follow=True,
    )
    assert "Your self-referral has been sent" in response.content.decode()
    assert SelfReferral.objects.get().submitted_by == hannah
    client.force_login(olivia)
    page = client.get(reverse("support:self-referrals")).content.decode()
    assert "Our deputy and SENCo leave at Christmas." in page


def test_an_officer_s_decision_on_a_self_referral_puts_the_school_forward_for_the_priority_list(
    client, hannah, olivia, ashfield
):
    referral = services.self_refer(school=ashfield, by=hannah, reason="Our deputy and SENCo leave at Christmas.")
    client.force_login(olivia)
    page = client.get(reverse("support:self-referrals")).content.decode()
    decide = reverse("support:consider-referral", args=[referral.pk])
    assert decide in page
    assert "Our deputy and SENCo leave at Christmas." in client.get(decide).content.decode()
    refused = client.post(decide, {"response": "  "})
    assert "Record what was decided" in refused.content.decode()
    response = client.post(decide, {"response": "Agreed with the head: two extra days a term."}, follow=True)
    assert "goes forward to the priority list proposal" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == SelfReferral.Status.CONSIDERED
    assert referral.response == "Agreed with the head: two extra days a term."
    # A good maintained school, proposed for the next list because of the referral alone.
    ashfield.type_group_name, ashfield.ofsted_outcome = "Local authority maintained schools", "good"
    ashfield.save()
    year = selectors.current_year() + 1
    assert board_services.propose_annual_list(year=year, by=olivia) == 1
    entry = PriorityEntry.objects.get(school=ashfield, academic_year=year)
    assert entry.reason == PriorityEntry.Reason.SELF_REFERRAL
    assert entry.evidence == "Self-referral: Agreed with the head: two extra days a term."


def test_a_decision_on_a_self_referral_that_does_not_exist_is_not_found(client, olivia):
    client.force_login(olivia)
    assert client.get(reverse("support:consider-referral", args=[9999])).status_code == 404


# Query counts as rows grow ----------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add_caseload_school(partner, n: int):
    school = SchoolFactory(name=f"School {n:03d}")
    SchoolAssignmentFactory(user=partner, school=school, relationship="priority_partner")
    today = timezone.localdate()
    VisitFactory(school=school, visitor=partner, scheduled_for=today + timedelta(days=7))
    held = VisitFactory(school=school, visitor=partner, status=Visit.Status.HELD, held_on=today)
    VisitReportFactory(visit=held, status=VisitReport.Status.SHARED, shared_at=timezone.now())
    action = ActionFactory(
        priority__plan__school=school,
        priority__plan__academic_year=selectors.current_year(),
        deadline=today - timedelta(days=3),
    )
    return action


def test_the_caseload_runs_the_same_queries_for_2_or_30_schools(client, alice):
    client.force_login(alice)
    for n in range(2):
        _add_caseload_school(alice, n)
    small = _queries(client, reverse("support:caseload"))
    for n in range(2, 30):
        _add_caseload_school(alice, n)
    page = client.get(reverse("support:caseload")).content.decode()
    assert "School 029" in page
    assert _queries(client, reverse("support:caseload")) == small
    assert small <= 10


def _grow_plan(plan, priorities: int, actions: int):
    for p in range(priorities):
        priority = PriorityFactory(plan=plan, title=f"Priority {plan.priorities.count() + 1}")
        for a in range(actions):
            ActionFactory(priority=priority, description=f"Action {p}.{a}")


@pytest.mark.parametrize("who", ["alice", "hannah", "olivia"])
def test_the_plan_runs_the_same_queries_for_1_or_40_actions(client, everyone, plan, who):
    services.comment_on_plan(plan=plan, by=everyone["hannah"], text="Looks right")
    client.force_login(everyone[who])
    url = reverse("support:plan", args=[plan.school.urn])
    small = _queries(client, url)
    _grow_plan(plan, priorities=4, actions=10)
    services.comment_on_plan(plan=plan, by=everyone["alice"], text="Added the maths priority")
    services.add_milestone(plan=plan, by=everyone["alice"], title="Mock results", due=date(2027, 2, 1))
    assert "Action 3.9" in client.get(url).content.decode()
    assert _queries(client, url) == small
    assert small <= 15


# Meetings and academy orders -------------------------------------------------------------------------------


def _date_fields(name: str, day: date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def test_a_partner_records_a_meeting_with_its_actions(client, alice, hannah, ashfield):
    meeting = MeetingFactory(school=ashfield, scheduled_for=date(2026, 11, 16))
    client.force_login(alice)
    url = reverse("support:meeting", args=[meeting.pk])
    form = {
        **_date_fields("held_on", date(2026, 11, 16)),
        "attendees": "Headteacher, chair of governors, Alice Partner",
        "notes": "Reviewed the reading priority; on track.",
        "action_1": "Share the attendance plan with the LA",
        "owner_1": "Headteacher",
    }
    response = client.post(url, form)
    assert "Enter the deadline for action 1" in response.content.decode()
    assert meeting.actions.count() == 0

    response = client.post(url, form | _date_fields("deadline_1", date(2026, 12, 11)), follow=True)
    assert "Meeting recorded" in response.content.decode()
    action = meeting.actions.get()
    assert (action.owner, action.deadline) == ("Headteacher", date(2026, 12, 11))
    client.force_login(hannah)
    page = client.get(reverse("support:support", args=[ashfield.urn])).content.decode()
    assert "Share the attendance plan with the LA" in page
    assert "record it" not in page


def test_an_officer_tracks_the_academy_order_of_a_statement_of_action(client, olivia, alice, ashfield):
    ashfield.ofsted_outcome, ashfield.type_group_name = "inadequate", "Local authority maintained schools"
    ashfield.save()
    plan = services.create_plan(school=ashfield, year=selectors.current_year(), by=alice)
    assert plan.kind == ActionPlan.Kind.STATEMENT_OF_ACTION
    client.force_login(olivia)
    response = client.post(
        reverse("support:academy-order", args=[ashfield.urn]),
        {**_date_fields("academy_order_on", date(2026, 10, 2)), "academy_trust": "Northfield Learning Trust"},
        follow=True,
    )
    assert "Academy order saved" in response.content.decode()
    page = client.get(reverse("support:plan", args=[ashfield.urn])).content.decode()
    assert "Made 2 October 2026; trust: Northfield Learning Trust" in page


def test_an_action_plan_has_no_academy_order(client, olivia, plan):
    client.force_login(olivia)
    response = client.post(
        reverse("support:academy-order", args=[plan.school.urn]), _date_fields("academy_order_on", date(2026, 10, 2))
    )
    assert "tracked on a Statement of Action only" in response.content.decode()
    plan.refresh_from_db()
    assert plan.academy_order_on is None


# Forms -----------------------------------------------------------------------------------------------------


def test_a_visit_held_without_a_date_shows_the_error_at_the_field(client, alice, ashfield):
    visit = VisitFactory(school=ashfield, visitor=alice, scheduled_for=timezone.localdate())
    client.force_login(alice)
    response = client.post(reverse("support:visit-step", args=[visit.pk, "held"]), {})
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("govuk-error-summary") >= 1
    assert "<title>Error: " in page
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SCHEDULED


def test_a_day_the_month_does_not_have_is_named_at_the_day(client, alice, ashfield):
    visit = VisitFactory(school=ashfield, visitor=alice, scheduled_for=timezone.localdate())
    client.force_login(alice)
    response = client.post(
        reverse("support:visit-step", args=[visit.pk, "held"]),
        {"held_on_0": "40", "held_on_1": "2", "held_on_2": "2026"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_held_on_0">The date the visit took place must be a real date</a>' in page
    assert "out of range" not in page
    # Only the day is highlighted.
    assert re.search(r'<input[^>]*name="held_on_0"[^>]*govuk-input--error', page)
    assert not re.search(r'<input[^>]*name="held_on_1"[^>]*govuk-input--error', page)


def test_an_empty_comment_on_the_plan_is_shown_in_the_error_summary_and_at_the_field(client, alice, plan):
    client.force_login(alice)
    response = client.post(reverse("support:plan-step", args=[plan.school.urn, "comment"]), {"text": "  "})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in page
    assert 'href="#id_text">Enter your comment</a>' in page
    assert re.search(
        r'class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span> Enter your comment', page
    )
    assert not plan.comments.exists()


def test_recording_a_visit_as_held_offers_the_day_it_was_planned_for_or_today_if_later(client, alice, ashfield):
    today = timezone.localdate()
    last_week = VisitFactory(school=ashfield, visitor=alice, scheduled_for=today - timedelta(days=7))
    next_week = VisitFactory(school=ashfield, visitor=alice, scheduled_for=today + timedelta(days=7))
    client.force_login(alice)

    def offered(visit) -> tuple[str, str, str]:
        page = client.get(reverse("support:visit", args=[visit.pk])).content.decode()
        found = (re.search(rf'name="held_on_{i}" value="(\d+)"', page) for i in range(3))
        return tuple(match.group(1) for match in found)

    planned = last_week.scheduled_for
    assert offered(last_week) == (str(planned.day), str(planned.month), str(planned.year))
    assert offered(next_week) == (str(today.day), str(today.month), str(today.year))


def test_a_visit_in_the_future_cannot_be_recorded_as_held(client, alice, ashfield):
    tomorrow = timezone.localdate() + timedelta(days=1)
    visit = VisitFactory(school=ashfield, visitor=alice, scheduled_for=tomorrow)
    client.force_login(alice)
    response = client.post(
        reverse("support:visit-step", args=[visit.pk, "held"]),
        {"held_on_0": tomorrow.day, "held_on_1": tomorrow.month, "held_on_2": tomorrow.year},
    )
    assert response.status_code == 400
    assert "A visit cannot be held in the future" in response.content.decode()


def test_a_report_waits_until_the_visit_is_held(client, alice, ashfield):
    visit = VisitFactory(school=ashfield, visitor=alice, scheduled_for=timezone.localdate())
    client.force_login(alice)
    page = client.get(reverse("support:visit", args=[visit.pk])).content.decode()
    assert "Write the report" not in page
    response = client.post(reverse("support:visit-step", args=[visit.pk, "start"]), follow=True)
    assert "Record the visit as held before writing its report" in response.content.decode()
    assert not visit.reports.exists()


def test_number_boxes_have_the_govuk_style(client, alice, ashfield):
    client.force_login(alice)
    page = client.get(reverse("support:new-visit", args=[ashfield.urn])).content.decode()
    assert 'class="govuk-input govuk-input--width-4' in page


def test_each_partners_caseload_holds_only_their_schools(client, alice, bob, ashfield, beacon_hill):
    client.force_login(bob)
    page = client.get(reverse("support:caseload")).content.decode()
    assert "Beacon Hill Academy" in page
    assert "Ashfield Primary School" not in page
    client.force_login(alice)
    page = client.get(reverse("support:caseload")).content.decode()
    assert "Ashfield Primary School" in page
    assert "Beacon Hill Academy" not in page


def test_officers_see_the_days_left_to_allocate_and_delivery_beyond_the_entitlement(
    client, olivia, alice, intensive, package
):
    year = package.academic_year
    adviser = next(b for b in selectors.package_view(intensive, year).balances if b.kind == EntitlementKind.ADVISER)
    entitled = adviser.balance.entitled
    services.allocate(package=package, kind=EntitlementKind.ADVISER, partner=alice, days=Decimal(1), by=olivia)
    client.force_login(olivia)
    page = client.get(reverse("support:support", args=[intensive.urn])).content.decode()
    assert f"{floatformat(entitled - 1)} to allocate" in page
    assert "more than entitled" not in page
    VisitFactory(
        school=intensive,
        visitor=alice,
        kind=EntitlementKind.ADVISER,
        status=Visit.Status.HELD,
        held_on=timezone.localdate(),
        days=entitled + 1,
    )
    page = client.get(reverse("support:support", args=[intensive.urn])).content.decode()
    assert "more than entitled" in page


def test_a_partner_sees_their_spare_days(client, olivia, alice, intensive, package):
    PartnerProfileFactory(user=alice, capacity_days=40)
    services.allocate(package=package, kind=EntitlementKind.ADVISER, partner=alice, days=Decimal("2.5"), by=olivia)
    client.force_login(alice)
    page = client.get(reverse("support:caseload")).content.decode()
    assert "2.5 of your 40 days this year are allocated: 37.5 spare." in page
