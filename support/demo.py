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
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from schools.access import visible_schools
from schools.models import School
from support import quality_services, selectors, services
from support.models import EntitlementKind, PartnerProfile, PartnerQualityRecord, PartnerTraining, Visit

KEEP_IN_TOUCH = PartnerTraining.Kind.KEEP_IN_TOUCH
# The chair of the demo head's governing body, named at the school's strategy meeting and on its letters.
HEAD_SCHOOL_CHAIR = "Mrs Gwen Gray"
# The partner whose allocation runs over their capacity, so the partner's page shows the warning.
OVER_CAPACITY = 2
SPECIALISMS = [
    "Primary leadership; curriculum",
    "Secondary leadership; attendance",
    "Early years; phonics",
    "SEND and inclusion",
    "Secondary English; governance",
    "Primary mathematics; assessment",
    "Special schools; safeguarding",
    "Governance; school finance",
]

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
        services.see_response(report=report, by=partner)  # read weeks ago: off the partner's work queue

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
        school_members=[("headteacher", str(head or "")), ("chair_of_governors", HEAD_SCHOOL_CHAIR)],
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


def name_partners(*, officer: User, partners: list[User], schools: list[School], year: int, today: date) -> None:
    """Name a priority partner for each of ``schools`` (seed 004: "Each school on the priority list
    will be allocated an individual priority partner"), shared in turn among ``partners``, with each
    school's support package and its adviser days allocated to its partner. Each partner's capacity
    is a little above the days they are given, save one whose allocation runs two days over."""
    if not partners or PartnerProfile.objects.filter(user__in=partners).exists():
        return
    shares: dict[int, list[tuple]] = {partner.pk: [] for partner in partners}
    for index, school in enumerate(schools):
        partner = partners[index % len(partners)]
        services.assign_partner(school=school, partner=partner, by=officer)
        try:
            package = services.create_package(school=school, year=year, by=officer)
        except ValidationError:
            continue  # no agreed category yet, or a package already: the officer allocates its days
        if package.adviser_days:
            shares[partner.pk].append((package, min(package.adviser_days, Decimal(6))))
    for index, partner in enumerate(partners):
        days = sum((d for _, d in shares[partner.pk]), Decimal(0))
        if index == OVER_CAPACITY:
            capacity = max(Decimal(1), (days - 2).to_integral_value(rounding=ROUND_FLOOR))
        else:
            capacity = ((days + 5) / 5).to_integral_value(rounding=ROUND_CEILING) * 5
        services.save_partner_profile(
            by=officer,
            user=partner,
            new_organisation=partner.organisation,
            specialisms=SPECIALISMS[index % len(SPECIALISMS)],
            capacity_days=capacity,
            dbs_checked_on=date(today.year - 1, 3 + index, 10),
            contract_starts=date(year, 9, 1),
            contract_ends=date(year + 1, 8, 31),
        )
        for package, allocated in shares[partner.pk]:
            services.allocate(
                package=package, kind=EntitlementKind.ADVISER, partner=partner, days=allocated, by=officer
            )


def _monday_from(day: date) -> date:
    return day + timedelta(days=-day.weekday() % 7)


def load_quality(*, officer: User, shadow: User, year: int, today: date) -> None:
    """The partners' quality assurance (seed 004): this year's induction day and autumn Keep in Touch
    event for each; for the first partner (Daniel Okafor), a visit shadowed by ``shadow`` and this
    autumn's heads' and chairs' questionnaire, and last year's record closed by his performance
    review after his self-assessment."""
    if PartnerQualityRecord.objects.exists():
        return
    profiles = list(PartnerProfile.objects.select_related("user").order_by("pk"))
    if not profiles:
        return
    induction = min(today, _monday_from(date(year, 9, 8)))
    keep_in_touch = min(today, _monday_from(date(year, 10, 12)))
    for profile in profiles:
        quality_services.save_quality_record(partner=profile, year=year, by=officer, inducted_on=induction)
        quality_services.record_training(
            partner=profile, year=year, by=officer, kind=KEEP_IN_TOUCH, attended_on=keep_in_touch, title="Autumn"
        )
    first = profiles[0]
    start = date(year, 9, 1)
    shadowed = (
        Visit.objects.filter(visitor=first.user, status=Visit.Status.HELD, scheduled_for__gte=start)
        .order_by("scheduled_for")
        .first()
    )
    quality_services.save_quality_record(
        partner=first,
        year=year,
        by=officer,
        shadowed_visit=shadowed,
        shadowed_by=shadow if shadowed else None,
        shadowing_feedback="Well-prepared visit; the feedback to the headteacher was clear and tied to the plan."
        if shadowed
        else "",
        questionnaires_sent=6,
        questionnaire_responses=5,
        questionnaire_score=Decimal("4.4"),
        questionnaire_summary="Heads and chairs value the partner's challenge on reading; two asked for "
        "earlier notice of visits.",
    )
    # Last year, the partner's first with the authority: inducted, at each term's Keep in Touch event,
    # the autumn questionnaire returned and the year closed with a review; no visit was shadowed.
    for term, month in (("Autumn", 10), ("Spring", 2), ("Summer", 6)):
        on = _monday_from(date(year - 1 if month > 8 else year, month, 12))
        quality_services.record_training(
            partner=first, year=year - 1, by=officer, kind=KEEP_IN_TOUCH, attended_on=on, title=term
        )
    quality_services.save_quality_record(
        partner=first,
        year=year - 1,
        by=officer,
        inducted_on=_monday_from(date(year - 1, 9, 8)),
        questionnaires_sent=5,
        questionnaire_responses=4,
        questionnaire_score=Decimal("4.1"),
        questionnaire_summary="Heads found the visits useful; chairs asked for a summary they could share with "
        "the full governing body.",
        self_assessed_on=date(year, 7, 1),
        reviewed_on=date(year, 7, 15),
        reviewed_by=officer,
        review_outcome="Targets met for four of five schools; continue for another year with a focus on attendance.",
    )
