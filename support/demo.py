"""Demo support: partner profiles, packages, visits with reports at each step of the workflow,
action plans, meetings, a new headteacher and a self-referral, all written through the services
so the demo obeys the same rules as the portal. The people and their words are invented.

The demo head's school gets the richest picture: a report waiting for the head's response, one
already quality-assured, a plan waiting for the head's agreement with an overdue action, and
progress meetings for the year.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from schools.access import visible_schools
from schools.models import School
from support import selectors, services
from support.models import EntitlementKind, PartnerProfile, Visit

REPORTS = [
    {
        "purpose": "Review of reading in key stage 1 and progress on the action plan",
        "evidence": "Lesson visits in years 1 and 2 with the English lead; a sample of reading records; "
        "discussion with the headteacher and two governors.",
        "findings": "Phonics teaching now follows the school's programme consistently; pupils who fall "
        "behind are identified within a week and receive daily catch-up.",
        "strengths": "Clear leadership of early reading; staff training has been well received.",
        "areas_for_development": "Reading for pleasure in key stage 2; governors' oversight of attendance.",
        "next_steps": "Extend the reading programme to year 3 by February half-term; attendance governor to "
        "report termly.",
    },
    {
        "purpose": "Leadership review with the headteacher",
        "evidence": "Meeting with the headteacher and chair of governors; review of the school development "
        "plan and the latest attendance figures.",
        "findings": "Senior leaders have an accurate view of the school's weaknesses; attendance is improving "
        "but persistent absence remains above the LA average.",
        "strengths": "Accurate self-evaluation; a stable staff team.",
        "areas_for_development": "Persistent absence; middle leaders' monitoring of the curriculum.",
        "next_steps": "Attendance plan to be shared with the LA attendance team before the next visit.",
    },
]


def load(*, officer: User, partners: list[User], head_school: School, executive_head: User | None = None) -> None:
    """Add the demo's support records once; a second run leaves them as they are."""
    if Visit.objects.exists():
        return
    today = timezone.localdate()
    year = selectors.current_year(today)
    with transaction.atomic():
        services.ensure_calendar(year)
        _profiles(officer, partners, today)
        for partner in partners:
            for school in School.objects.filter(assignments__user=partner).order_by("urn"):
                _package(school, partner, officer, year)
        daniel = partners[0]
        _head_school(head_school, daniel, officer, year, today)
        others = list(School.objects.filter(assignments__user=daniel).exclude(pk=head_school.pk).order_by("urn"))
        if others:
            _draft_elsewhere(others[0], daniel, today)
            sam = services.record_new_headteacher(
                school=others[0], by=officer, name="Mr Sam Price", starts_on=today - timedelta(days=20), acting=True
            )
            services.arrange_network_meeting(
                by=officer,
                held_on=today + timedelta(days=21),
                topic="Your first year: budgets and governance",
                heads=[sam],
            )
        if executive_head is not None:
            school = visible_schools(executive_head).order_by("urn").first()
            if school is not None:
                services.self_refer(
                    school=school,
                    by=executive_head,
                    reason="Our deputy headteacher and SENCo both leave at Christmas and we have not been able "
                    "to recruit; we are worried about provision for pupils with SEND next term.",
                )
        for school in others[1:3]:
            _schedule(school, daniel, "First visit: agree the plan's priorities", today + timedelta(days=10))


def _profiles(officer: User, partners: list[User], today: date) -> None:
    # Seed 003's system leaders: a recently retired NLE meets the criteria; an LLE with no headship does not.
    designations = (
        {"national_leader": True, "retired_as_head_on": today - timedelta(days=400)},
        {"local_leader": True, "ofsted_inspector": False},
    )
    for user, capacity, specialisms, designated in zip(
        partners,
        (Decimal(60), Decimal(40)),
        ("Primary leadership; early reading", "Secondary maths; SEND"),
        designations,
        strict=False,
    ):
        if PartnerProfile.objects.filter(user=user).exists():
            continue
        services.save_partner_profile(
            by=officer,
            user=user,
            new_organisation="Midlands Improvement Partners",
            specialisms=specialisms,
            capacity_days=capacity,
            dbs_checked_on=date(today.year - 1, 6, 12),
            contract_starts=date(selectors.current_year(today), 9, 1),
            contract_ends=date(selectors.current_year(today) + 1, 8, 31),
            **designated,
        )


def _package(school: School, partner: User, officer: User, year: int) -> None:
    try:
        package = services.create_package(school=school, year=year, by=officer)
    except ValidationError:
        return  # no agreed category yet: the officer sets the package up once it is agreed
    days = package.adviser_days
    if days:
        services.allocate(
            package=package, kind=EntitlementKind.ADVISER, partner=partner, days=min(days, Decimal(6)), by=officer
        )


def _schedule(school: School, partner: User, purpose: str, on: date) -> Visit:
    return services.schedule_visit(
        school=school,
        by=partner,
        visitor=partner,
        kind=EntitlementKind.ADVISER,
        purpose=purpose,
        scheduled_for=on,
        days=Decimal(1),
    )


def _held_visit(school: School, partner: User, purpose: str, on: date) -> Visit:
    visit = _schedule(school, partner, purpose, on)
    return services.record_visit_held(visit=visit, by=partner, held_on=on)


def _head_school(school: School, partner: User, officer: User, year: int, today: date) -> None:
    head = User.objects.filter(role=Role.HEADTEACHER, school_assignments__school=school).first()
    plan = services.create_plan(school=school, year=year, by=partner)
    reading = services.add_priority(plan=plan, by=partner, title="Improve early reading")
    services.add_action(
        priority=reading,
        by=partner,
        description="Train all key stage 1 staff in the phonics programme",
        owner="English lead",
        resources="Two LA English adviser days",
        starts=today - timedelta(days=60),
        deadline=today - timedelta(days=5),
        success_criteria="Every KS1 lesson observed follows the programme",
        impact_measure="Phonics screening check pass rate",
        rag="amber",
    )
    services.add_action(
        priority=reading,
        by=partner,
        description="Daily catch-up for pupils behind in phonics",
        owner="Deputy headteacher",
        deadline=today + timedelta(days=70),
        success_criteria="Nine in ten pupils in catch-up reach the expected level",
        impact_measure="Half-termly phonics assessments",
    )
    attendance = services.add_priority(plan=plan, by=partner, title="Reduce persistent absence")
    services.add_action(
        priority=attendance,
        by=partner,
        description="Weekly attendance panel with the attendance lead and a governor",
        owner="Headteacher",
        deadline=today + timedelta(days=120),
        success_criteria="Persistent absence below 15%",
        impact_measure="Termly attendance returns",
    )
    services.add_milestone(plan=plan, by=partner, title="Phonics check rehearsal", due=today + timedelta(days=90))

    earlier = _held_visit(school, partner, REPORTS[1]["purpose"], today - timedelta(days=40))
    report = services.start_report(visit=earlier, by=partner)
    services.edit_report(report=report, by=partner, **REPORTS[1])
    services.submit_report(report=report, by=partner)
    services.share_report(report=report, by=partner)
    if head:
        services.respond_to_report(
            report=report, by=head, response="accurate", comment="A fair picture; the attendance plan is in hand."
        )
        report.selected_for_qa = True
        report.save(update_fields=["selected_for_qa"])
        services.quality_assure(report=report, by=officer, outcome="secure", comment="Clear and evidenced.")

    latest = _held_visit(school, partner, REPORTS[0]["purpose"], today - timedelta(days=6))
    report = services.start_report(visit=latest, by=partner)
    first_action = reading.actions.order_by("deadline").first()
    update = {first_action.pk: ("amber", "Half the staff trained")}
    services.edit_report(report=report, by=partner, updates=update, **REPORTS[0])
    services.submit_report(report=report, by=partner)
    services.share_report(report=report, by=partner)

    _schedule(school, partner, "Follow-up on reading in year 3", today + timedelta(days=14))
    with contextlib.suppress(ValidationError):  # no agreed category: meetings wait until it is agreed
        services.schedule_meetings(school=school, year=year, by=officer)
    # Seed 003: a strategy meeting chaired by a senior officer, with the school's side named.
    services.arrange_strategy_meeting(
        school=school,
        by=officer,
        scheduled_for=today + timedelta(days=7),
        chair=officer,
        people=[partner],
        school_members=[("headteacher", str(head or "")), ("chair_of_governors", "Mrs Gwen Gray")],
    )


def _draft_elsewhere(school: School, partner: User, today: date) -> None:
    visit = _held_visit(school, partner, "Review of the school's self-evaluation", today - timedelta(days=2))
    report = services.start_report(visit=visit, by=partner)
    services.edit_report(
        report=report,
        by=partner,
        purpose="Review of the school's self-evaluation",
        findings="Self-evaluation is broadly accurate; the curriculum in foundation subjects is at an early stage.",
    )
