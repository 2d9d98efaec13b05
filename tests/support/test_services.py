"""Support delivery through the database: packages, conflicts of interest, the report workflow,
plans, meetings, self-referrals and reminders."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from categorisation import services as categorisation
from schools import services as schools_services
from support import reminders, selectors, services
from support.models import ActionPlan, Meeting, NewHeadteacher, ReminderSent, SupportPackage, Visit, VisitReport
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    InspectionFactory,
    NewHeadteacherFactory,
    PartnerInterestFactory,
    PartnerProfileFactory,
    PriorityFactory,
    SchoolFactory,
    SchoolGroupFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

YEAR = 2026


@pytest.fixture
def intensive(ashfield, olivia):
    """Ashfield agreed as Intensive support."""
    categorisation.recategorise(trigger="manual")
    categorisation.agree_category(school=ashfield, by=olivia, category_code="intensive", rationale="Agreed at panel")
    return ashfield


# Packages and entitlements -------------------------------------------------------------------


class TestPackages:
    def test_a_package_takes_the_entitlement_of_the_agreed_category(self, intensive, olivia):
        package = services.create_package(school=intensive, year=YEAR, by=olivia, starts_on=date(2026, 9, 2))
        assert (package.adviser_days, package.teaching_adviser_days, package.progress_meetings) == (7, 6, 6)
        assert package.category.code == "intensive"

    def test_a_school_joining_in_the_spring_gets_its_share(self, intensive, olivia):
        package = services.create_package(school=intensive, year=YEAR, by=olivia, starts_on=date(2027, 1, 11))
        # Spring 1 of six half-terms: four are left; 7 × 4/6 = 4.67 → 4.5 days.
        assert (package.adviser_days, package.teaching_adviser_days, package.progress_meetings) == (
            Decimal("4.5"),
            4,
            4,
        )

    def test_a_package_needs_an_agreed_category(self, ashfield, olivia):
        with pytest.raises(ValidationError, match="Agree the school's category first"):
            services.create_package(school=ashfield, year=YEAR, by=olivia)

    def test_only_officers_set_up_and_change_packages(self, intensive, alice, hannah):
        for person in (alice, hannah):
            with pytest.raises(PermissionDenied):
                services.create_package(school=intensive, year=YEAR, by=person)

    def test_balances_count_adjustments_allocations_and_held_visits(self, intensive, olivia, alice):
        package = services.create_package(school=intensive, year=YEAR, by=olivia, starts_on=date(2026, 9, 2))
        services.adjust_entitlement(package=package, kind="adviser", change=Decimal(2), reason="New head", by=olivia)
        warnings = services.allocate(package=package, kind="adviser", partner=alice, days=Decimal(10), by=olivia)
        assert warnings == [
            "Ashfield Primary School now has 10 school improvement adviser days allocated but is entitled to 9."
        ]
        VisitFactory(school=intensive, visitor=alice, status=Visit.Status.HELD, held_on=date(2026, 10, 5), days=1)
        VisitFactory(school=intensive, visitor=alice, status=Visit.Status.SCHEDULED, days=1)
        adviser = selectors.package_view(intensive, YEAR).balances[0]
        assert (adviser.balance.entitled, adviser.balance.allocated, adviser.balance.delivered) == (9, 10, 1)
        assert adviser.balance.remaining == 8
        assert adviser.balance.over_allocated is True

    def test_an_adjustment_needs_a_reason(self, intensive, olivia):
        package = services.create_package(school=intensive, year=YEAR, by=olivia)
        with pytest.raises(ValidationError):
            services.adjust_entitlement(package=package, kind="adviser", change=Decimal(1), reason=" ", by=olivia)

    def test_a_partner_over_their_capacity_is_warned_about(self, intensive, olivia, alice):
        PartnerProfileFactory(user=alice, capacity_days=3)
        package = services.create_package(school=intensive, year=YEAR, by=olivia)
        warnings = services.allocate(package=package, kind="adviser", partner=alice, days=Decimal(4), by=olivia)
        assert "Alice Partner now has 4 days allocated, more than their 3 days." in warnings


# Conflicts of interest ---------------------------------------------------------------------------


class TestConflictsOfInterest:
    def test_a_governor_of_a_school_in_the_same_trust_must_be_justified(self, beacon_hill, olivia, birmingham):
        trust = SchoolGroupFactory(name="Oak Learning Trust")
        beacon_hill.trust = trust
        beacon_hill.save()
        sister = SchoolFactory(la=birmingham, name="Oak Hill Primary", trust=trust)
        partner = PartnerProfileFactory(user__full_name="Pat Partner")
        PartnerInterestFactory(partner=partner, school=sister, relationship="governor")
        with pytest.raises(ValidationError) as refused:
            services.assign_partner(school=beacon_hill, partner=partner.user, by=olivia)
        text = " ".join(refused.value.message_dict["justification"])
        assert "Pat Partner is governor of Oak Hill Primary, in the same trust (Oak Learning Trust)." in text
        assignment = services.assign_partner(
            school=beacon_hill, partner=partner.user, by=olivia, justification="No other partner speaks Welsh"
        )
        assert "same trust" in assignment.conflict
        assert assignment.justification == "No other partner speaks Welsh"

    def test_no_conflict_needs_no_justification(self, castle, olivia):
        partner = PartnerProfileFactory()
        assignment = services.assign_partner(school=castle, partner=partner.user, by=olivia)
        assert (assignment.conflict, assignment.relationship) == ("", "priority_partner")
        assert selectors.visible_schools(partner.user).get() == castle


# The report workflow through the database ------------------------------------------------------------


@pytest.fixture
def visit(ashfield, alice):
    return VisitFactory(school=ashfield, visitor=alice, status=Visit.Status.HELD, held_on=date(2026, 11, 10))


class TestReports:
    def test_the_whole_workflow(self, visit, alice, hannah, olivia):
        report = services.start_report(visit=visit, by=alice)
        services.edit_report(report=report, by=alice, findings="Reading is improving.", next_steps="Observe year 3.")
        services.submit_report(report=report, by=alice)
        services.share_report(report=report, by=alice)
        services.respond_to_report(report=report, by=hannah, response="accurate", comment="A fair account")
        services.quality_assure(report=report, by=olivia, outcome="secure")
        report.refresh_from_db()
        assert report.status == VisitReport.Status.QUALITY_ASSURED
        assert (report.head_response, report.head_comment, report.responded_by) == (
            "accurate",
            "A fair account",
            hannah,
        )
        assert (report.qa_outcome, report.qa_by) == ("secure", olivia)

    def test_a_head_cannot_respond_to_an_unshared_report(self, visit, alice, hannah):
        report = services.start_report(visit=visit, by=alice)
        with pytest.raises(ValidationError, match="respond only to a report shared with them"):
            services.respond_to_report(report=report, by=hannah, response="accurate")

    def test_a_submitted_report_cannot_be_edited_in_place(self, visit, alice):
        report = services.start_report(visit=visit, by=alice)
        services.edit_report(report=report, by=alice, findings="First findings", next_steps="Next")
        services.submit_report(report=report, by=alice)
        with pytest.raises(ValidationError, match="Start a new version to change it"):
            services.edit_report(report=report, by=alice, findings="Changed")
        report.refresh_from_db()
        assert report.findings == "First findings"

    def test_a_change_after_submission_is_a_new_version(self, visit, alice):
        report = services.start_report(visit=visit, by=alice)
        services.edit_report(report=report, by=alice, findings="First findings", next_steps="Next")
        services.submit_report(report=report, by=alice)
        second = services.revise_report(report=report, by=alice)
        services.edit_report(report=second, by=alice, findings="Corrected findings")
        report.refresh_from_db()
        assert (report.status, report.findings) == ("superseded", "First findings")
        assert (second.version, second.status, second.findings) == (2, "draft", "Corrected findings")

    def test_only_the_author_edits_a_draft(self, visit, alice, olivia):
        report = services.start_report(visit=visit, by=alice)
        with pytest.raises(ValidationError, match="Only the report's author can edit a draft"):
            services.edit_report(report=report, by=olivia, findings="An officer's words")

    def test_a_report_needs_findings_and_next_steps_to_be_submitted(self, visit, alice):
        report = services.start_report(visit=visit, by=alice)
        with pytest.raises(ValidationError, match="Enter the findings and the next steps"):
            services.submit_report(report=report, by=alice)

    def test_not_accurate_needs_a_comment(self, visit, alice, hannah):
        report = services.start_report(visit=visit, by=alice)
        services.edit_report(report=report, by=alice, findings="F", next_steps="N")
        services.submit_report(report=report, by=alice)
        services.share_report(report=report, by=alice)
        with pytest.raises(ValidationError):
            services.respond_to_report(report=report, by=hannah, response="not_accurate")

    def test_submitting_a_report_records_the_actions_status(self, visit, alice, ashfield):
        action = ActionFactory(priority=PriorityFactory(plan__school=ashfield))
        report = services.start_report(visit=visit, by=alice)
        services.edit_report(
            report=report, by=alice, findings="F", next_steps="N", updates={action.pk: ("amber", "Two staff trained")}
        )
        services.submit_report(report=report, by=alice)
        action.refresh_from_db()
        assert action.rag == "amber"
        assert "Two staff trained" in action.evidence

    def test_a_sample_of_responded_reports_is_drawn_for_quality_assurance(self, visit, alice, hannah, olivia):
        report = services.start_report(visit=visit, by=alice)
        services.edit_report(report=report, by=alice, findings="F", next_steps="N")
        for step in (services.submit_report, services.share_report):
            step(report=report, by=alice)
        services.respond_to_report(report=report, by=hannah, response="accurate")
        assert services.draw_quality_assurance_sample(by=olivia, seed=1) == 1
        assert list(selectors.quality_assurance_queue()) == [report]


# Plans -------------------------------------------------------------------------------------------------


class TestPlans:
    def test_seed_004_a_carried_forward_priority_schools_plan_is_due_by_october_half_term(
        self, ashfield, alice, monkeypatch
    ):
        ActionPlanFactory(school=ashfield, academic_year=YEAR - 1, due_by=date(2025, 10, 25))
        monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 9, 10))
        plan = services.create_plan(school=ashfield, year=YEAR, by=alice)
        assert plan.due_by == date(2026, 10, 24)
        assert plan.kind == ActionPlan.Kind.PLAN

    def test_a_plan_made_in_december_is_due_on_the_next_deadline_the_policy_gives_not_in_the_past(
        self, ashfield, alice, monkeypatch
    ):
        ActionPlanFactory(school=ashfield, academic_year=YEAR - 1, due_by=date(2025, 10, 25))
        monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 12, 4))
        plan = services.create_plan(school=ashfield, year=YEAR, by=alice)
        assert plan.due_by == date(2027, 2, 12)  # the end of Spring 1, not 24 October
        assert not selectors.caseload(alice, today=date(2026, 12, 4)).get().plan_overdue

    def test_seed_003_a_statement_of_action_is_due_ten_working_days_after_the_report(
        self, ashfield, olivia, monkeypatch
    ):
        ashfield.ofsted_outcome = "inadequate"
        ashfield.save()
        InspectionFactory(school=ashfield, start_date=date(2026, 10, 6), publication_date=date(2026, 11, 5))
        monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 11, 9))
        plan = services.create_plan(school=ashfield, year=YEAR, by=olivia)
        assert (plan.kind, plan.due_by) == (ActionPlan.Kind.STATEMENT_OF_ACTION, date(2026, 11, 19))

    def test_a_priority_school_with_no_plan_after_its_due_date_is_overdue_on_the_caseload(self, ashfield, alice):
        # Alice has worked with Ashfield since before the year: a new priority school's plan is due
        # by the end of Autumn 1; carried forward (a plan last year), by October half-term.
        before, after = (selectors.caseload(alice, today=day).get() for day in (date(2026, 10, 1), date(2026, 11, 2)))
        assert (before.plan_overdue, after.plan_overdue, after.missing_plan_due) == (False, True, date(2026, 10, 23))
        ActionPlanFactory(school=ashfield, academic_year=YEAR - 1, due_by=date(2025, 10, 25))
        assert selectors.caseload(alice, today=date(2026, 11, 2)).get().missing_plan_due == date(2026, 10, 24)

    def test_an_inadequate_maintained_school_gets_a_statement_of_action(self, ashfield, olivia):
        ashfield.ofsted_outcome = "inadequate"
        ashfield.save()
        assert services.create_plan(school=ashfield, year=YEAR, by=olivia).kind == ActionPlan.Kind.STATEMENT_OF_ACTION

    def test_the_head_agrees_the_plan_and_it_then_changes_only_after_reopening(self, ashfield, alice, hannah):
        plan = services.create_plan(school=ashfield, year=YEAR, by=alice)
        priority = services.add_priority(plan=plan, by=alice, title="Reading")
        services.add_action(
            priority=priority, by=alice, description="Train staff", owner="Deputy", deadline=date(2027, 1, 8)
        )
        with pytest.raises(PermissionDenied):
            services.agree_plan(plan=plan, by=alice)
        services.agree_plan(plan=plan, by=hannah)
        assert (plan.status, plan.agreed_by) == ("agreed", hannah)
        with pytest.raises(ValidationError, match="Reopen it for review"):
            services.add_priority(plan=plan, by=alice, title="Maths")
        services.reopen_plan(plan=plan, by=alice)
        assert plan.status == "under_review"

    def test_an_empty_plan_cannot_be_agreed(self, ashfield, alice, hannah):
        plan = services.create_plan(school=ashfield, year=YEAR, by=alice)
        with pytest.raises(ValidationError, match="at least one priority with an action"):
            services.agree_plan(plan=plan, by=hannah)

    def test_the_head_comments_on_the_plan(self, ashfield, alice, hannah):
        plan = services.create_plan(school=ashfield, year=YEAR, by=alice)
        comment = services.comment_on_plan(plan=plan, by=hannah, text="We would add attendance.")
        assert (comment.author, comment.text) == (hannah, "We would add attendance.")

    def test_another_schools_partner_cannot_touch_the_plan(self, ashfield, alice, bob):
        plan = services.create_plan(school=ashfield, year=YEAR, by=alice)
        with pytest.raises(PermissionDenied):
            services.add_priority(plan=plan, by=bob, title="Intrusion")
        with pytest.raises(PermissionDenied):
            services.comment_on_plan(plan=plan, by=bob, text="Intrusion")


# Meetings, self-referrals ------------------------------------------------------------------------------------


def test_intensive_support_schedules_half_termly_progress_meetings(intensive, olivia, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 8, 20))
    made = services.schedule_meetings(school=intensive, year=YEAR, by=olivia)
    assert len(made) == 6
    assert [m.scheduled_for for m in made][:2] == [date(2026, 9, 16), date(2026, 11, 16)]
    assert services.schedule_meetings(school=intensive, year=YEAR, by=olivia) == []  # never twice


def test_seed_000_focused_support_brings_a_progress_meeting_each_term(ashfield, olivia, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 8, 20))
    categorisation.recategorise(trigger="manual")
    categorisation.agree_category(school=ashfield, by=olivia, category_code="focused", rationale="Agreed at panel")
    made = services.schedule_meetings(school=ashfield, year=YEAR, by=olivia)
    assert [m.kind for m in made] == [Meeting.Kind.PROGRESS] * 3
    assert [m.scheduled_for.month for m in made] == [9, 1, 4]  # autumn, spring and summer


def test_the_half_term_under_way_gets_a_meeting_next_week_once(intensive, olivia, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 11, 23))
    made = services.schedule_meetings(school=intensive, year=YEAR, by=olivia)
    assert [m.scheduled_for for m in made][:2] == [date(2026, 11, 30), date(2027, 1, 18)]
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 11, 25))
    assert services.schedule_meetings(school=intensive, year=YEAR, by=olivia) == []


def test_a_school_that_requires_improvement_meets_half_termly_whatever_its_category(ashfield, olivia, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 8, 20))
    categorisation.recategorise(trigger="manual")
    categorisation.agree_category(school=ashfield, by=olivia, category_code="overview", rationale="Test")
    ashfield.ofsted_outcome = "requires_improvement"
    ashfield.save()
    assert len(services.schedule_meetings(school=ashfield, year=YEAR, by=olivia)) == 6
    assert Meeting.objects.filter(school=ashfield).count() == 6


def test_a_head_refers_their_own_school_only(ashfield, beacon_hill, hannah):
    referral = services.self_refer(school=ashfield, by=hannah, reason="Staffing crisis")
    assert referral.status == "new"
    with pytest.raises(PermissionDenied):
        services.self_refer(school=beacon_hill, by=hannah, reason="Not my school")


def test_a_new_headteachers_first_visit_is_due_by_the_end_of_their_first_half_term(ashfield, alice):
    head = NewHeadteacherFactory(school=ashfield, starts_on=date(2026, 11, 2))
    assert selectors.new_head_visit_due_by(head) == date(2026, 12, 18)
    assert list(selectors.new_heads_without_visit(date(2026, 11, 20))) == [head]
    VisitFactory(school=ashfield, visitor=alice, status=Visit.Status.HELD, held_on=date(2026, 11, 12))
    assert list(selectors.new_heads_without_visit(date(2026, 11, 20))) == []


def test_a_new_headteacher_noted_in_intelligence_schedules_the_new_head_visit(ashfield, olivia):
    note = schools_services.add_intelligence_note(
        school=ashfield,
        by=olivia,
        area="new_headteacher",
        noted_on=date(2026, 11, 2),
        source="Chair of governors",
        risk_grade="low",
        visibility="restricted",
        text="Mr Evans is acting headteacher from November",
    )
    head = NewHeadteacher.objects.get(school=ashfield)
    assert (head.starts_on, head.recorded_by) == (note.noted_on, olivia)
    assert head.who == "New headteacher noted from intelligence on 2 November 2026"  # the note's words are no name
    assert list(selectors.new_heads_without_visit(date(2026, 11, 20))) == [head]
    # Noted again (or recorded by an officer) within six months: one visit, not two.
    schools_services.add_intelligence_note(
        school=ashfield,
        by=olivia,
        area="new_headteacher",
        noted_on=date(2026, 11, 20),
        source="Headteacher",
        risk_grade="low",
        visibility="restricted",
        text="Confirmed",
    )
    assert NewHeadteacher.objects.filter(school=ashfield).count() == 1


# Reminders -------------------------------------------------------------------------------------------------


def test_running_the_reminders_twice_sends_each_reminder_once(ashfield, alice, hannah):
    today = date(2026, 11, 23)
    ActionFactory(priority=PriorityFactory(plan__school=ashfield), deadline=today - timedelta(days=3))
    VisitFactory(school=ashfield, visitor=alice, scheduled_for=today + timedelta(days=2))
    NewHeadteacherFactory(school=ashfield, starts_on=today - timedelta(days=10))
    # The overdue action and the plan not agreed by its date, each to partner and head; the visit
    # to its visitor; the new head's first visit to the partner.
    assert reminders.send_due(today) == 6
    sent = sorted((m.subject, m.to[0]) for m in mail.outbox)
    assert sent == [
        ("A visit is due at Ashfield Primary School for its new headteacher", alice.email),
        ("Overdue action at Ashfield Primary School", alice.email),
        ("Overdue action at Ashfield Primary School", hannah.email),
        ("The action plan for Ashfield Primary School is due", alice.email),
        ("The action plan for Ashfield Primary School is due", hannah.email),
        (f"Visit to Ashfield Primary School on {(today + timedelta(days=2)):%d %B %Y}", alice.email),
    ]
    assert reminders.send_due(today) == 0
    assert len(mail.outbox) == 6
    assert ReminderSent.objects.count() == 6


def test_a_report_waiting_a_week_reminds_the_head(ashfield, alice, hannah):
    from tests.factories import VisitReportFactory

    report = VisitReportFactory(visit__school=ashfield, visit__visitor=alice, status="shared")
    VisitReport.objects.filter(pk=report.pk).update(shared_at=timezone.now() - timedelta(days=8))
    assert reminders.send_due(timezone.localdate()) == 1
    assert mail.outbox[0].to == [hannah.email]
    assert "awaits your response" in mail.outbox[0].subject


def test_packages_are_one_per_school_and_year(intensive, olivia):
    services.create_package(school=intensive, year=YEAR, by=olivia)
    with pytest.raises(ValidationError, match="already has a support package"):
        services.create_package(school=intensive, year=YEAR, by=olivia)
    assert SupportPackage.objects.count() == 1
