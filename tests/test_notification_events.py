"""Each event the portal notifies reaches the right people, and only them, from the service that
records it; each once, however often it is reported (issue 23)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, Role, SchoolAssignment
from boards import services as boards
from boards import tasks as board_tasks
from boards.models import BoardMeeting, PriorityEntry, WarningNotice
from reporting import services as reporting
from reporting.models import MonthlyReport
from schools import imports
from schools import services as schools
from schools.models import ImportRun
from support import services as support
from support.models import ActionPlan, Visit
from support.selectors import current_year
from tests.conftest import queued
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    BoardMeetingFactory,
    PriorityEntryFactory,
    SchoolAssignmentFactory,
    UserFactory,
    VisitFactory,
    WarningNoticeFactory,
)

Kind = Notification.Kind
TODAY = timezone.localdate()


def told(kind: str) -> dict[str, str]:
    """Who has a notification of this kind: their email, and its link."""
    return dict(Notification.objects.filter(kind=kind).values_list("recipient__email", "url"))


@pytest.fixture
def pat(ashfield):
    """A second partner of Ashfield."""
    partner = UserFactory(email="pat@partners.example", full_name="Pat Partner", role=Role.PRIORITY_PARTNER)
    SchoolAssignmentFactory(user=partner, school=ashfield, relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER)
    return partner


@pytest.fixture
def shared_report(everyone, pat, ashfield):
    alice = everyone["alice"]
    visit = VisitFactory(school=ashfield, visitor=alice, status=Visit.Status.HELD, held_on=TODAY - timedelta(days=3))
    report = support.start_report(visit=visit, by=alice)
    support.edit_report(report=report, by=alice, findings="Reading is improving.", next_steps="Observe year 3.")
    support.submit_report(report=report, by=alice)
    support.share_report(report=report, by=alice)
    return report


def test_a_shared_report_tells_the_schools_heads_only(shared_report, everyone):
    assert told(Kind.REPORT_SHARED) == {
        "hannah@school.example": reverse("support:respond", args=[shared_report.visit_id])
    }


def test_a_heads_response_tells_the_author_and_the_schools_partners_only(shared_report, everyone):
    support.respond_to_report(report=shared_report, by=everyone["hannah"], response="accurate")
    url = reverse("support:visit", args=[shared_report.visit_id])
    assert told(Kind.REPORT_RESPONSE) == {"alice@partners.example": url, "pat@partners.example": url}
    title = Notification.objects.filter(kind=Kind.REPORT_RESPONSE).first().title
    assert title == "Hannah Head responded to the visit report on Ashfield Primary School: accurate"


def test_an_agreed_plan_tells_the_schools_partners_and_the_authoritys_officers_only(everyone, pat, ashfield):
    plan = ActionPlanFactory(school=ashfield, academic_year=current_year(TODAY), due_by=TODAY + timedelta(days=30))
    ActionFactory(priority__plan=plan)
    support.agree_plan(plan=plan, by=everyone["hannah"])
    url = reverse("support:plan", args=[ashfield.urn])
    assert told(Kind.PLAN_AGREED) == {
        "alice@partners.example": url,
        "pat@partners.example": url,
        "olivia@council.example": url,
    }
    # Reopened and agreed again: a new event.
    support.reopen_plan(plan=plan, by=everyone["olivia"])
    support.agree_plan(plan=plan, by=everyone["hannah"])
    assert Notification.objects.filter(kind=Kind.PLAN_AGREED).count() == 6


def test_a_board_decision_tells_the_schools_partners_and_the_officers_not_the_member(everyone, ashfield):
    PriorityEntryFactory(
        school=ashfield,
        academic_year=current_year(TODAY),
        reason=PriorityEntry.Reason.OFSTED_RI,
        status=PriorityEntry.Status.ON_LIST,
        added_on=TODAY,
    )
    meeting = BoardMeetingFactory(meets_on=TODAY, created_by=None, status=BoardMeeting.Status.SCHEDULED)
    boards.decide(
        school=ashfield, kind="no_change", rationale="Progress is good.", by=everyone["bella"], meeting=meeting
    )
    url = reverse("schools:detail", args=[ashfield.urn])
    assert told(Kind.DECISION) == {"alice@partners.example": url, "olivia@council.example": url}
    boards.decide(school=ashfield, kind="no_change", rationale="Still good.", by=everyone["olivia"], meeting=meeting)
    assert told(Kind.DECISION) == {"alice@partners.example": url, "olivia@council.example": url}
    assert Notification.objects.filter(kind=Kind.DECISION, recipient=everyone["olivia"]).count() == 1


def test_a_finished_import_tells_the_person_who_started_it_only(everyone):
    raw = b"not,a,file,the,portal,reads\n1,2,3,4,5,6\n"
    run = schools.start_command_import(
        kind=ImportRun.Kind.GIAS_ESTABLISHMENTS,
        file_name="wrong.csv",
        raw=raw,
        dry_run=False,
        academic_year=None,
        by=everyone["olivia"],
    )
    imports.run_import(run=run, raw=raw)
    imports.run_import(run=run, raw=raw)  # delivered twice: the run is finished, nobody is told again
    assert told(Kind.IMPORT_FINISHED) == {"olivia@council.example": reverse("schools:import-detail", args=[run.pk])}
    assert Notification.objects.get(kind=Kind.IMPORT_FINISHED).title.startswith("Your import of wrong.csv")


def test_a_new_monthly_report_tells_the_authoritys_commissioners_only(everyone):
    report, created = reporting.generate(date(2026, 10, 1), trigger=MonthlyReport.Trigger.ON_DEMAND)
    reporting.generate(date(2026, 10, 1), trigger=MonthlyReport.Trigger.ON_DEMAND)  # unchanged: no new version
    assert created
    assert told(Kind.MONTHLY_REPORT) == {"colin@council.example": reverse("reporting:report", args=[report.pk])}
    assert Notification.objects.get(kind=Kind.MONTHLY_REPORT).title == "The monthly report for October 2026 is ready"


def test_deadlines_near_and_passed_are_notified_once_each_by_the_daily_task(everyone, pat, ashfield, beacon_hill):
    notice = WarningNoticeFactory(
        school=beacon_hill,
        status=WarningNotice.Status.ISSUED,
        recommended_on=TODAY - timedelta(days=40),
        dcs_response_on=TODAY - timedelta(days=35),
        issued_on=TODAY - timedelta(days=30),
        compliance_period_days=33,
        compliance_deadline=TODAY + timedelta(days=3),
    )
    WarningNoticeFactory(  # weeks away: nothing yet
        school=ashfield,
        status=WarningNotice.Status.ISSUED,
        recommended_on=TODAY - timedelta(days=10),
        dcs_response_on=TODAY - timedelta(days=9),
        issued_on=TODAY - timedelta(days=8),
        compliance_period_days=60,
        compliance_deadline=TODAY + timedelta(days=52),
    )
    late = ActionPlanFactory(school=ashfield, academic_year=current_year(TODAY), due_by=TODAY - timedelta(days=1))
    ActionPlanFactory(  # agreed: no deadline to tell anyone of
        school=beacon_hill, academic_year=current_year(TODAY), due_by=TODAY, status=ActionPlan.Status.AGREED
    )
    assert queued(board_tasks.notify_deadlines, TODAY.isoformat()).get() == {"notified": 4}
    assert queued(board_tasks.notify_deadlines, TODAY.isoformat()).get() == {"notified": 0}
    assert told(Kind.DEADLINE_NEAR) == {"olivia@council.example": reverse("boards:notice", args=[notice.pk])}
    url = reverse("support:plan", args=[ashfield.urn])
    assert told(Kind.DEADLINE_PASSED) == {
        "olivia@council.example": url,
        "alice@partners.example": url,
        "pat@partners.example": url,
    }
    assert Notification.objects.get(kind=Kind.DEADLINE_NEAR).key == (
        f"deadline-near:notice:{notice.pk}:{notice.compliance_deadline}"
    )
    assert Notification.objects.get(kind=Kind.DEADLINE_PASSED, recipient=everyone["olivia"]).key == (
        f"deadline-passed:plan:{late.pk}:{late.due_by}"
    )
    # The next day, the notice's deadline is still near: nobody is told again.
    tomorrow = TODAY + timedelta(days=1)
    assert queued(board_tasks.notify_deadlines, tomorrow.isoformat()).get() == {"notified": 0}
