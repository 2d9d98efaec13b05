"""Writes for support delivery. Each validates, writes in one transaction, and says clearly why
it refuses when it does."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from accounts import notifications
from accounts import selectors as people
from accounts.access import has_role, require
from accounts.audit import acting as audit_reason
from accounts.audit import attributed
from accounts.audit import bulk as audit
from accounts.models import Role, SchoolAssignment, User
from accounts.policy import ADMIN, HEAD, OFFICER, OFFICERS, PARTNER, roles
from accounts.selectors import working_here
from categorisation.selectors import entitled_category
from core.calendar import academic_year_of
from core.concurrency import bump, claim
from schools.access import visible_schools
from schools.models import School, SchoolLink
from support import calendar, entitlements, selectors, workflow
from support.models import (
    SYSTEM_LEADER_PROVIDERS,
    AcademicYear,
    AcademyConversation,
    Action,
    ActionPlan,
    ActionUpdate,
    Allocation,
    BrokeredSupport,
    EntitlementAdjustment,
    HalfTerm,
    HeadteacherRecruitment,
    Meeting,
    MeetingAction,
    MeetingMember,
    Milestone,
    NetworkInvitation,
    NetworkMeeting,
    NewHeadteacher,
    PartnerInterest,
    PartnerOrganisation,
    PartnerProfile,
    PlanComment,
    Priority,
    RiToGoodReview,
    SelfReferral,
    SupportPackage,
    TradedService,
    Visit,
    VisitReport,
)


def _may_work_on(by: User, school: School) -> None:
    """Officers, or the school's own priority partner."""
    if has_role(by, OFFICERS):
        return
    if has_role(by, roles(PARTNER)) and visible_schools(by).filter(pk=school.pk).exists():
        return
    raise PermissionDenied("Only LA officers and the school's priority partner can do this.")


# The calendar ------------------------------------------------------------------------------------


def ensure_calendar(start_year: int) -> AcademicYear:
    """Store the year's half-terms (England's defaults) so officers can change them."""
    with transaction.atomic():
        year, created = AcademicYear.objects.get_or_create(start_year=start_year)
        if created or not year.half_terms.exists():
            HalfTerm.objects.bulk_create(
                HalfTerm(year=year, number=h.number, name=h.name, starts=h.starts, ends=h.ends)
                for h in calendar.england_half_terms(start_year)
            )
    return year


def half_term_problems(*, start_year: int, half_terms: list[calendar.HalfTerm]) -> list[str]:
    """What stops these dates from being the year's half-terms, in words: six of them, numbered 1
    to 6, each ending on or after it starts and before the next starts, within the academic year."""
    if not half_terms:
        return []
    if sorted(h.number for h in half_terms) != [1, 2, 3, 4, 5, 6]:
        return ["Enter all six half-terms, numbered 1 (autumn 1) to 6 (summer 2)"]
    terms = sorted(half_terms, key=lambda h: h.number)
    problems = [f"{h.name or h.number} must end on or after the day it starts" for h in terms if h.ends < h.starts]
    problems += [
        f"{later.name or later.number} must start after {earlier.name or earlier.number} ends"
        for earlier, later in pairwise(terms)
        if later.starts <= earlier.ends
    ]
    first_day, last_day = date(start_year, 8, 1), date(start_year + 1, 8, 31)
    if terms[0].starts < first_day or terms[-1].ends > last_day:
        problems.append(f"The half-terms must fall between 1 August {start_year} and 31 August {start_year + 1}")
    return problems


@attributed
def set_half_terms(*, start_year: int, half_terms: list[calendar.HalfTerm], by: User) -> AcademicYear:
    """Set a year's half-terms as the authority has them (none: England's defaults), replacing those
    it had. Support packages started later share out their days by these dates."""
    require(by, OFFICERS, "Only LA officers can do this.")
    problems = half_term_problems(start_year=start_year, half_terms=half_terms)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        year, _ = AcademicYear.objects.get_or_create(start_year=start_year)
        year.half_terms.all().delete()
        HalfTerm.objects.bulk_create(
            HalfTerm(year=year, number=h.number, name=h.name, starts=h.starts, ends=h.ends) for h in half_terms
        )
    return year


# Partners and assignments --------------------------------------------------------------------------


def _conflict(partner: User, relationship: str, other: School, school: School, linked: set[int]) -> str | None:
    """Why the partner's interest in ``other`` (a ``relationship`` such as "governor") conflicts with
    their working for ``school`` (whose predecessor and successor URNs are ``linked``), or None."""
    if other.pk == school.pk:
        return f"{partner} is {relationship} of {school.name} itself."
    if school.trust_id and other.trust_id == school.trust_id:
        return f"{partner} is {relationship} of {other.name}, in the same trust ({school.trust})."
    if school.federation_id and other.federation_id == school.federation_id:
        return f"{partner} is {relationship} of {other.name}, in the same federation ({school.federation})."
    if other.urn in linked:
        return f"{partner} is {relationship} of {other.name}, a predecessor or successor of this school."
    return None


def conflicts_of_interest(partner: User, school: School) -> list[str]:
    """Where the partner leads, governs or works for this school, a school in the same trust or
    federation, or a predecessor or successor school."""
    return conflicts_by_school(partner, [school]).get(school.pk, [])


def conflicts_by_school(partner: User, schools: Sequence[School]) -> dict[int, list[str]]:
    """``conflicts_of_interest`` for many schools at once (by school pk; schools without a conflict
    are left out), in a fixed number of queries."""
    profile = PartnerProfile.objects.filter(user=partner).first()
    if profile is None or not schools:
        return {}
    interests = list(profile.interests.select_related("school", "school__trust", "school__federation"))
    if not interests:
        return {}
    ids = [s.pk for s in schools]
    linked: dict[int, set[int]] = defaultdict(set)
    for school_id, urn in SchoolLink.objects.filter(school_id__in=ids).values_list("school_id", "linked_urn"):
        linked[school_id].add(urn)
    found: dict[int, list[str]] = {}
    for school in School.objects.filter(pk__in=ids).select_related("trust", "federation"):
        reasons = [
            _conflict(partner, i.get_relationship_display().lower(), i.school, school, linked[school.pk])
            for i in interests
        ]
        if any(reasons):
            found[school.pk] = [r for r in reasons if r]
    return found


def conflicts_by_partner(school: School, partners: Sequence[User]) -> dict[int, list[str]]:
    """The conflicts of interest of each of these partners with one school (by user pk; partners
    without one are left out), in a fixed number of queries: what the assignment page shows
    beside each partner before the officer chooses."""
    linked = set(school.links.values_list("linked_urn", flat=True))
    interests = PartnerInterest.objects.filter(partner__user__in=[p.pk for p in partners]).select_related(
        "partner__user", "school__trust", "school__federation"
    )
    found: dict[int, list[str]] = defaultdict(list)
    for interest in interests.order_by("pk"):
        user = interest.partner.user
        reason = _conflict(user, interest.get_relationship_display().lower(), interest.school, school, linked)
        if reason:
            found[user.pk].append(reason)
    return dict(found)


@attributed
def save_partner_profile(*, by: User, profile: PartnerProfile | None = None, **fields) -> PartnerProfile:
    """Add a partner's profile or change it. ``new_organisation`` names an organisation to add."""
    require(by, OFFICERS, "Only LA officers can do this.")
    new_organisation = (fields.pop("new_organisation", "") or "").strip()
    user = fields.pop("user", None) if profile is None else profile.user
    if user is None or not working_here(Role.PRIORITY_PARTNER).filter(pk=user.pk).exists():
        raise ValidationError({"user": "Choose a priority partner who works for the authority"})
    if profile is None and PartnerProfile.objects.filter(user=user).exists():
        raise ValidationError({"user": f"{user} already has a profile"})
    starts, ends = fields.get("contract_starts"), fields.get("contract_ends")
    if starts and ends and ends < starts:
        raise ValidationError({"contract_ends": "The contract must end after it starts"})
    if "head_of_urn" in fields:
        fields["head_of"] = _head_of(fields.pop("head_of_urn"), fields.get("retired_as_head_on"))
    with transaction.atomic():
        if new_organisation:
            fields["organisation"], _ = PartnerOrganisation.objects.get_or_create(name=new_organisation)
        profile = profile or PartnerProfile(user=user)
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.save()
    return profile


def _head_of(urn: int | None, retired_on: date | None) -> School | None:
    """The school a partner is practising headteacher of (seed 003's system leaders), by URN."""
    if urn is None:
        return None
    if retired_on is not None:
        raise ValidationError({"head_of_urn": "A retired headteacher has no school: leave the URN empty"})
    school = School.objects.filter(urn=urn).first()
    if school is None:
        raise ValidationError({"head_of_urn": "There is no school with that URN in the register"})
    return school


@attributed
def declare_interest(*, profile: PartnerProfile, school: School, relationship: str, by: User) -> PartnerInterest:
    require(by, OFFICERS, "Only LA officers can do this.")
    interest, created = PartnerInterest.objects.get_or_create(partner=profile, school=school, relationship=relationship)
    if not created:
        raise ValidationError({"urn": f"This interest in {school.name} is already declared"})
    return interest


def check_partner_assignment(*, school: School, partner: User, justification: str = "") -> list[str]:
    """Refuse (at ``partner`` or ``justification``) what ``assign_partner`` would refuse: someone who
    is not a priority partner, or a conflict of interest without a justification. Returns the
    conflicts the justification answers."""
    if not working_here(Role.PRIORITY_PARTNER).filter(pk=partner.pk).exists():
        raise ValidationError({"partner": "Choose a priority partner who works for the authority"})
    conflicts = conflicts_of_interest(partner, school)
    if conflicts and not justification.strip():
        raise ValidationError(
            {"justification": ["Explain why this partner should work with the school despite:", *conflicts]}
        )
    return conflicts


PRIORITY_PARTNER = SchoolAssignment.Relationship.PRIORITY_PARTNER


def _reopen(assignment: SchoolAssignment, today: date) -> None:
    """An assignment that had ended starts again today, so the record of who could see the school
    when does not claim the gap."""
    if assignment.ends_on is not None and assignment.ends_on < today:
        assignment.starts_on = today
    assignment.ends_on = None


@attributed
def assign_partner(*, school: School, partner: User, by: User, justification: str = "") -> SchoolAssignment:
    """Make the partner the school's priority partner. A conflict of interest is refused unless
    the officer justifies the assignment; the conflict and the justification are kept."""
    require(by, OFFICERS, "Only LA officers can do this.")
    conflicts = check_partner_assignment(school=school, partner=partner, justification=justification)
    with transaction.atomic():
        assignment, created = SchoolAssignment.objects.get_or_create(
            user=partner,
            school=school,
            relationship=PRIORITY_PARTNER,
            defaults={"assigned_by": by, "conflict": "\n".join(conflicts), "justification": justification.strip()},
        )
        if not created:
            _reopen(assignment, timezone.localdate())
            assignment.conflict, assignment.justification = "\n".join(conflicts), justification.strip()
            assignment.save(update_fields=["starts_on", "ends_on", "conflict", "justification"])
    return assignment


def current_partner_assignment(school: School, partner: User) -> SchoolAssignment | None:
    """The partner's assignment to the school in force today, if any."""
    today = timezone.localdate()
    return (
        SchoolAssignment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            school=school,
            user=partner,
            relationship=PRIORITY_PARTNER,
            starts_on__lte=today,
        )
        .select_related("user")
        .first()
    )


@attributed
def unassign_partner(*, school: School, partner: User, by: User, reason: str = "") -> SchoolAssignment:
    """Stop the partner being the school's priority partner, from now: they no longer see the
    school. The assignment is kept, ended yesterday (its last day of access), so who could see the
    school when stays on record; one that started today is deleted, its history keeping it. The
    reason, when given, goes with the history row."""
    require(by, OFFICERS, "Only LA officers can do this.")
    today = timezone.localdate()
    with audit_reason(reason=reason.strip() or None), transaction.atomic():
        found = current_partner_assignment(school, partner)
        if found is None:
            raise ValidationError({"partner": f"{partner} is not {school.name}'s priority partner"})
        assignment = SchoolAssignment.objects.select_for_update().get(pk=found.pk)
        if assignment.starts_on >= today:
            assignment.delete()
        else:
            assignment.ends_on = today - timedelta(days=1)
            assignment.save(update_fields=["ends_on"])
    return assignment


@attributed
def change_partner(
    *, school: School, old: User, new: User, by: User, justification: str = "", reason: str = ""
) -> SchoolAssignment:
    """Replace the school's priority partner ``old`` with ``new`` in one transaction: both happen
    or neither. ``new`` passes the same checks as ``assign_partner`` (a conflict of interest needs
    a justification) before ``old`` is unassigned."""
    require(by, OFFICERS, "Only LA officers can do this.")
    if old.pk == new.pk:
        raise ValidationError({"partner": f"{new} is already the school's priority partner: choose another"})
    check_partner_assignment(school=school, partner=new, justification=justification)
    with transaction.atomic():
        unassign_partner(school=school, partner=old, by=by, reason=reason or f"Replaced by {new}")
        return assign_partner(school=school, partner=new, by=by, justification=justification)


@dataclass(frozen=True)
class BulkAssignment:
    """What assigning one partner to many schools did: the schools assigned, those left out for a
    conflict of interest, and each conflicted school's conflicts (by school pk)."""

    assigned: list[School]
    left_out: list[School] = field(default_factory=list)
    conflicts: dict[int, list[str]] = field(default_factory=dict)


def check_bulk_assignment(
    *, schools: Sequence[School], partner: User, justification: str = "", leave_out_conflicted: bool = False
) -> dict[int, list[str]]:
    """Refuse what ``assign_partner_to_schools`` would refuse: no school, someone who is not a
    priority partner, or schools with a conflict of interest neither justified nor left out.
    Returns the conflicts by school pk."""
    if not schools:
        raise ValidationError({"schools": "Select the schools to assign a priority partner to"})
    if not working_here(Role.PRIORITY_PARTNER).filter(pk=partner.pk).exists():
        raise ValidationError({"partner": "Choose a priority partner who works for the authority"})
    conflicts = conflicts_by_school(partner, schools)
    if conflicts and not leave_out_conflicted and not justification.strip():
        names = [s.name for s in schools if s.pk in conflicts]
        raise ValidationError(
            {"justification": [f"Explain why {partner} should work with {', '.join(names)} despite the conflict"]}
        )
    return conflicts


@attributed
def assign_partner_to_schools(
    *,
    schools: Sequence[School],
    partner: User,
    by: User,
    justification: str = "",
    leave_out_conflicted: bool = False,
) -> BulkAssignment:
    """Make the partner priority partner of each school (the priority list's bulk action), in one
    transaction with bulk writes and one history row per school. A school where the partner has a
    conflict of interest is never assigned silently: the justification answers for every conflicted
    school and is kept on each, or ``leave_out_conflicted`` assigns only the others."""
    require(by, OFFICERS, "Only LA officers can do this.")
    conflicts = check_bulk_assignment(
        schools=schools, partner=partner, justification=justification, leave_out_conflicted=leave_out_conflicted
    )
    left_out = [s for s in schools if leave_out_conflicted and s.pk in conflicts]
    chosen = [s for s in schools if s not in left_out]
    today, note = timezone.localdate(), justification.strip()
    with transaction.atomic():
        existing = {
            a.school_id: a
            for a in SchoolAssignment.objects.select_for_update().filter(
                user=partner, relationship=PRIORITY_PARTNER, school__in=chosen
            )
        }
        new, changed = [], []
        for school in chosen:
            conflict = "\n".join(conflicts.get(school.pk, []))
            kept = note if conflict else ""
            assignment = existing.get(school.pk)
            if assignment is None:
                new.append(
                    SchoolAssignment(
                        user=partner,
                        school=school,
                        relationship=PRIORITY_PARTNER,
                        assigned_by=by,
                        conflict=conflict,
                        justification=kept,
                    )
                )
                continue
            before = (assignment.starts_on, assignment.ends_on, assignment.conflict, assignment.justification)
            _reopen(assignment, today)
            assignment.conflict, assignment.justification = conflict, kept
            if (assignment.starts_on, assignment.ends_on, assignment.conflict, assignment.justification) != before:
                changed.append(assignment)
        audit.bulk_create(SchoolAssignment, new)
        audit.bulk_update(SchoolAssignment, changed, ["starts_on", "ends_on", "conflict", "justification"])
    return BulkAssignment(assigned=chosen, left_out=left_out, conflicts=conflicts)


def check_headteacher_assignment(*, head: User) -> None:
    """Refuse (at ``head``) someone who is not a headteacher."""
    if head.role != Role.HEADTEACHER:
        raise ValidationError({"head": "Choose a person with the headteacher role"})


@attributed
def assign_headteacher(*, school: School, head: User, by: User) -> SchoolAssignment:
    """Link a headteacher to a school they lead (one link per school for an executive headteacher),
    from today; a link that had ended starts again."""
    require(by, OFFICERS, "Only LA officers can do this.")
    check_headteacher_assignment(head=head)
    with transaction.atomic():
        assignment, created = SchoolAssignment.objects.get_or_create(
            user=head,
            school=school,
            relationship=SchoolAssignment.Relationship.HEADTEACHER,
            defaults={"assigned_by": by},
        )
        if not created and assignment.ends_on is not None:
            assignment.starts_on, assignment.ends_on = timezone.localdate(), None
            assignment.save(update_fields=["starts_on", "ends_on"])
    return assignment


def check_assignment_end(*, assignment: SchoolAssignment, ends_on: date | None) -> None:
    """Refuse (at ``ends_on``) an end before the assignment started, and any change to one that has
    already ended: reopening it is assigning again (for a partner, with the conflict-of-interest check)."""
    if assignment.ends_on is not None and assignment.ends_on < timezone.localdate():
        raise ValidationError({"ends_on": "This assignment has ended. To start it again, assign the person again"})
    if ends_on is not None and ends_on < assignment.starts_on:
        raise ValidationError({"ends_on": "The assignment must end on or after the day it started"})


@attributed
def end_assignment(*, assignment: SchoolAssignment, ends_on: date | None, by: User) -> SchoolAssignment:
    """Set the last day a partner's or headteacher's link to a school gives access (none: no end yet).
    The link is kept, so who could see the school when stays on record."""
    require(by, OFFICERS, "Only LA officers can do this.")
    with transaction.atomic():
        assignment = SchoolAssignment.objects.select_for_update().get(pk=assignment.pk)
        check_assignment_end(assignment=assignment, ends_on=ends_on)
        assignment.ends_on = ends_on
        assignment.save(update_fields=["ends_on"])
    return assignment


# Support packages --------------------------------------------------------------------------------------


@attributed
def create_package(*, school: School, year: int, by: User, starts_on: date | None = None) -> SupportPackage:
    """Set up a school's support for a year from its agreed category's entitlement, shared out by
    the half-terms left when it starts."""
    require(by, OFFICERS, "Only LA officers can do this.")
    # The agreed category as the active version has it: a draft adopted since the decision
    # brings its entitlement (categorisation.selectors.in_active_version).
    category = entitled_category(school)
    if category is None:
        raise ValidationError("Agree the school's category first: its support comes from its category.")
    if SupportPackage.objects.filter(school=school, academic_year=year).exists():
        raise ValidationError("The school already has a support package for this year.")
    starts_on = starts_on or max(timezone.localdate(), date(year, 9, 1))
    remaining, of = calendar.fraction_remaining(starts_on, selectors.half_terms(year))

    def share(days) -> Decimal:
        return entitlements.prorate(Decimal(days), remaining, of)

    return SupportPackage.objects.create(
        school=school,
        academic_year=year,
        category=category,
        starts_on=starts_on,
        adviser_days=share(category.adviser_days),
        teaching_adviser_days=share(category.teaching_adviser_days),
        progress_meetings=share(category.progress_meetings_per_year),
        brokered_days=Decimal(0),
        created_by=by,
    )


@attributed
def adjust_entitlement(
    *, package: SupportPackage, kind: str, change: Decimal, reason: str, by: User, board_decision: bool = False
):
    """Change a package's entitlement with a reason: officers, or the advisory board through a
    recorded decision (``board_decision``, whose caller has checked the board's permission)."""
    if not board_decision:
        require(by, OFFICERS, "Only LA officers can do this.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the entitlement changes"})
    if change == 0:
        raise ValidationError({"change": "Enter a number of days other than 0"})
    return EntitlementAdjustment.objects.create(
        package=package, kind=kind, change=change, reason=reason.strip(), made_by=by
    )


@attributed
def allocate(*, package: SupportPackage, kind: str, partner: User, days: Decimal, by: User) -> list[str]:
    """Give days to a partner; returns warnings when the school or the partner is over-allocated."""
    require(by, OFFICERS, "Only LA officers can do this.")
    if days <= 0:
        raise ValidationError({"days": "Enter a number of days greater than 0"})
    Allocation.objects.create(package=package, kind=kind, partner=partner, days=days, made_by=by)
    warnings = []
    school = next(b for b in selectors.package_view(package.school, package.academic_year).balances if b.kind == kind)
    if school.balance.over_allocated:
        warnings.append(
            f"{package.school.name} now has {_days(school.balance.allocated)} {school.label.lower()} allocated but "
            f"is entitled to {_days(school.balance.entitled)}."
        )
    if PartnerProfile.objects.filter(user=partner).exists():
        load = selectors.partner_load(partner, package.academic_year)
        if load.over_allocated:
            warnings.append(
                f"{partner} now has {_days(load.allocated)} days allocated, "
                f"more than their {_days(load.capacity)} days."
            )
    return warnings


def _days(value: Decimal) -> str:
    """10.0 → 10, 9.5 → 9.5."""
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"


@attributed
def record_brokered_support(*, school: School, by: User, **fields) -> BrokeredSupport:
    require(by, OFFICERS, "Only LA officers can do this.")
    if fields.get("provider_type") == BrokeredSupport.Provider.CONSULTANT_GOVERNOR:
        # Only a Welsh authority brokers one, for an amber or red school: boards.welsh_services checks both.
        raise ValidationError({"provider_type": "Broker a consultant governor from the consultant governors page"})
    if fields.get("leader") is not None and fields.get("provider_type") not in SYSTEM_LEADER_PROVIDERS:
        raise ValidationError({"leader": "Name a partner only for support from an NLE or LLE"})
    item = BrokeredSupport(school=school, recorded_by=by, **fields)
    item.full_clean()
    item.save()
    return item


@attributed
def record_traded_service(*, school: School, by: User, **fields) -> TradedService:
    require(by, OFFICERS, "Only LA officers can do this.")
    item = TradedService(school=school, recorded_by=by, **fields)
    item.full_clean()
    item.save()
    return item


# Visits and reports -------------------------------------------------------------------------------------


@attributed
def schedule_visit(
    *, school: School, by: User, visitor: User, kind: str, purpose: str, scheduled_for: date, days: Decimal
) -> Visit:
    _may_work_on(by, school)
    if not has_role(by, OFFICERS) and visitor != by:
        raise PermissionDenied("A partner schedules their own visits.")
    visit = Visit(
        school=school,
        visitor=visitor,
        kind=kind,
        purpose=purpose,
        scheduled_for=scheduled_for,
        days=days,
        created_by=by,
    )
    visit.full_clean()
    visit.save()
    return visit


@attributed
def record_visit_held(*, visit: Visit, by: User, held_on: date, attended: Sequence[str] = ()) -> Visit:
    """The visit took place; ``attended`` names who from the school met the visitor ("headteacher",
    "chair"): an annual review visit is with both (seed 003)."""
    _may_work_on(by, visit.school)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "A visit cannot be held in the future"})
    visit.status, visit.held_on = Visit.Status.HELD, held_on
    visit.headteacher_attended, visit.chair_attended = "headteacher" in attended, "chair" in attended
    visit.save(update_fields=["status", "held_on", "headteacher_attended", "chair_attended"])
    return visit


def _actor(report: VisitReport, by: User) -> workflow.Actor:
    if by.pk == report.author_id:
        return workflow.Actor.AUTHOR
    if has_role(by, OFFICERS):
        return workflow.Actor.OFFICER
    if has_role(by, roles(HEAD)) and visible_schools(by).filter(pk=report.visit.school_id).exists():
        return workflow.Actor.HEAD
    return workflow.Actor.OTHER


def _step(report: VisitReport, by: User, step: workflow.Step) -> workflow.Status | None:
    try:
        return workflow.check(step, report.status, _actor(report, by))
    except workflow.NotAllowed as exc:
        raise ValidationError(str(exc)) from exc


REPORT_FIELDS = ["purpose", "evidence", "findings", "strengths", "areas_for_development", "next_steps"]


@attributed
def start_report(*, visit: Visit, by: User) -> VisitReport:
    """The visitor starts the report, as a draft only they can edit."""
    if by.pk != visit.visitor_id:
        raise PermissionDenied("Only the person who made the visit writes its report.")
    if visit.status != Visit.Status.HELD:
        raise ValidationError("Record the visit as held before writing its report.")
    existing = selectors.current_report(visit)
    if existing is not None:
        return existing
    return VisitReport.objects.create(visit=visit, author=by, purpose=visit.purpose)


@attributed
def edit_report(*, report: VisitReport, by: User, updates: dict[int, tuple[str, str]] | None = None, **fields):
    """Change a draft (its author only) and the action-plan updates it records."""
    _step(report, by, workflow.Step.EDIT)
    with transaction.atomic():
        for name in REPORT_FIELDS:
            if name in fields:
                setattr(report, name, fields[name].strip())
        report.save()
        for action_id, (rag, comment) in (updates or {}).items():
            ActionUpdate.objects.update_or_create(
                report=report, action_id=action_id, defaults={"rag": rag, "comment": comment}
            )
    return report


@attributed
def submit_report(*, report: VisitReport, by: User) -> VisitReport:
    new = _step(report, by, workflow.Step.SUBMIT)
    missing = [n.replace("_", " ") for n in ("findings", "next_steps") if not getattr(report, n).strip()]
    if missing:
        raise ValidationError(f"Enter the {' and the '.join(missing)} before submitting the report.")
    with transaction.atomic():
        report.status, report.submitted_at = new, timezone.now()
        report.save(update_fields=["status", "submitted_at", "updated_at"])
        # The actions take the status the visit found.
        updates = list(report.action_updates.select_related("action__priority__plan"))
        bump(*(u.action for u in updates), by=by)
        for update in updates:
            update.action.rag = update.rag
            if update.comment:
                update.action.evidence = f"{update.action.evidence}\n{update.comment}".strip()
            update.action.save(update_fields=["rag", "evidence", "updated_at"])
        bump(*(u.action.priority.plan for u in updates), by=by)
    return report


@attributed
def share_report(*, report: VisitReport, by: User) -> VisitReport:
    new = _step(report, by, workflow.Step.SHARE)
    report.status, report.shared_at, report.shared_by = new, timezone.now(), by
    with transaction.atomic():
        report.save(update_fields=["status", "shared_at", "shared_by", "updated_at"])
        school = report.visit.school
        notifications.notify(
            people.heads_of(school.pk),
            kind=notifications.Kind.REPORT_SHARED,
            key=f"report-shared:{report.pk}",
            title=f"A visit report on {school.name} is shared with you: say whether it is accurate",
            url=reverse("support:respond", args=[report.visit_id]),
        )
    return report


@attributed
def respond_to_report(*, report: VisitReport, by: User, response: str, comment: str = "") -> VisitReport:
    new = _step(report, by, workflow.Step.RESPOND)
    if response not in VisitReport.Accuracy.values:
        raise ValidationError({"response": "Select whether the report is accurate"})
    if response == VisitReport.Accuracy.NOT_ACCURATE and not comment.strip():
        raise ValidationError({"comment": "Say what is not accurate"})
    report.status, report.head_response, report.head_comment = new, response, comment.strip()
    report.responded_by, report.responded_at = by, timezone.now()
    with transaction.atomic():
        report.save()
        school = report.visit.school
        notifications.notify(
            {report.author_id, *people.partners_of(school.pk)} - {by.pk},
            kind=notifications.Kind.REPORT_RESPONSE,
            key=f"head-responded:{report.pk}",
            title=f"{by.full_name} responded to the visit report on {school.name}: "
            f"{report.get_head_response_display().lower()}",
            url=reverse("support:visit", args=[report.visit_id]),
        )
    return report


def see_response(*, report: VisitReport | None, by: User) -> bool:
    """The report's author (or the visit's visitor) has opened the visit since the head responded:
    the response leaves their work queue. Marked once, by a conditional update, so two tabs opened
    at once do not both mark it; True when this call marked it. Anyone else's look changes nothing."""
    if report is None or report.responded_at is None or report.response_seen_at is not None:
        return False
    if by.pk not in (report.author_id, report.visit.visitor_id):
        return False
    seen = timezone.now()
    marked = VisitReport.objects.filter(pk=report.pk, response_seen_at__isnull=True).update(response_seen_at=seen)
    if marked:
        report.response_seen_at = seen
    return bool(marked)


@attributed
def quality_assure(*, report: VisitReport, by: User, outcome: str, comment: str = "") -> VisitReport:
    new = _step(report, by, workflow.Step.QUALITY_ASSURE)
    if outcome not in VisitReport.Moderation.values:
        raise ValidationError({"outcome": "Select the moderation outcome"})
    report.status, report.qa_outcome, report.qa_comment = new, outcome, comment.strip()
    report.qa_by, report.qa_at, report.selected_for_qa = by, timezone.now(), True
    report.save()
    return report


@attributed
def revise_report(*, report: VisitReport, by: User) -> VisitReport:
    """A submitted report changes only as a new version: a draft copy, the old one kept."""
    _step(report, by, workflow.Step.REVISE)
    with transaction.atomic():
        report.status = VisitReport.Status.SUPERSEDED
        report.save(update_fields=["status", "updated_at"])
        version = report.visit.reports.aggregate(n=Max("version"))["n"] + 1
        copy = VisitReport.objects.create(
            visit=report.visit, version=version, author=by, **{n: getattr(report, n) for n in REPORT_FIELDS}
        )
        ActionUpdate.objects.bulk_create(
            ActionUpdate(report=copy, action_id=u.action_id, rag=u.rag, comment=u.comment)
            for u in report.action_updates.all()
        )
    return copy


@attributed
def draw_quality_assurance_sample(*, by: User, share: Decimal = Decimal("0.2"), seed: int | None = None) -> int:
    """Select a share (at least one) of the responded reports not yet selected, at random, for
    moderation; returns how many were selected."""
    require(by, OFFICERS, "Only LA officers can do this.")
    waiting = list(
        VisitReport.objects.filter(status=VisitReport.Status.RESPONDED, selected_for_qa=False).values_list(
            "pk", flat=True
        )
    )
    if not waiting:
        return 0
    size = max(1, round(len(waiting) * share))
    chosen = random.Random(seed).sample(waiting, min(size, len(waiting)))  # noqa: S311 - a moderation sample
    return audit.update(VisitReport.objects.filter(pk__in=chosen), selected_for_qa=True)


# Action plans ------------------------------------------------------------------------------------------


@attributed
def create_plan(*, school: School, year: int, by: User) -> ActionPlan:
    """One plan per school and year, due on the next deadline the policy gives from today
    (``support.deadlines``: October half-term for a school carried forward). An inadequate
    maintained school gets a Statement of Action instead, with its academy-order tracking."""
    _may_work_on(by, school)
    if ActionPlan.objects.filter(school=school, academic_year=year).exists():
        raise ValidationError("The school already has a plan for this year.")
    kind = selectors.plan_kind(school)
    due = selectors.plan_due(school, year, kind=kind, made_on=timezone.localdate())
    return ActionPlan.objects.create(school=school, academic_year=year, kind=kind, due_by=due, created_by=by)


def _editable(plan: ActionPlan, by: User) -> None:
    _may_work_on(by, plan.school)
    if plan.status == ActionPlan.Status.AGREED:
        raise ValidationError("The plan has been agreed. Reopen it for review to change it.")


AGREE_ADVICE = "The plan has not been agreed: check the current plan below and agree it again if it is right."
REOPEN_ADVICE = "The plan has not been reopened: check the current plan below first."
# Who comments on a plan (for a school they may see): officers, the school's partner and its head.
PLAN_COMMENTERS = roles(OFFICER, ADMIN, PARTNER, HEAD)


@attributed
def add_priority(*, plan: ActionPlan, by: User, title: str, description: str = "") -> Priority:
    """Add a priority. Two people adding at once both keep theirs; the plan moves on a version."""
    _editable(plan, by)
    with transaction.atomic():
        bump(plan, by=by)
        order = (plan.priorities.aggregate(n=Max("order"))["n"] or 0) + 1
        return Priority.objects.create(plan=plan, order=order, title=title.strip(), description=description.strip())


@attributed
def add_action(*, priority: Priority, by: User, **fields) -> Action:
    _editable(priority.plan, by)
    action = Action(priority=priority, **fields)
    action.full_clean()
    with transaction.atomic():
        bump(priority.plan, by=by)
        action.save()
    return action


@attributed
def update_action(*, action: Action, by: User, rag: str, evidence: str = "", seen_version: int | None = None) -> Action:
    """Progress on an action can be recorded at any time, agreed plan or not. Refused with
    ``StaleEdit`` when someone changed the action since ``seen_version`` (the form's)."""
    _may_work_on(by, action.priority.plan.school)
    action.rag, action.evidence = rag, evidence.strip() or action.evidence
    action.full_clean()
    with transaction.atomic():
        claim(action, seen=seen_version, by=by, what="action")
        bump(action.priority.plan, by=by)
        action.save(update_fields=["rag", "evidence", "updated_at"])
    return action


@attributed
def add_milestone(*, plan: ActionPlan, by: User, title: str, due: date) -> Milestone:
    _editable(plan, by)
    with transaction.atomic():
        bump(plan, by=by)
        return Milestone.objects.create(plan=plan, title=title.strip(), due=due)


@attributed
def comment_on_plan(*, plan: ActionPlan, by: User, text: str) -> PlanComment:
    if not has_role(by, PLAN_COMMENTERS) or not visible_schools(by).filter(pk=plan.school_id).exists():
        raise PermissionDenied("You cannot comment on this plan.")
    if not text.strip():
        raise ValidationError({"text": "Enter your comment"})
    return PlanComment.objects.create(plan=plan, author=by, text=text.strip())


@attributed
def agree_plan(*, plan: ActionPlan, by: User, seen_version: int | None = None) -> ActionPlan:
    """The headteacher agrees the plan: it is then co-owned and changes only after reopening.
    Refused when the plan changed since the head opened it (``seen_version``): they agree what
    they read."""
    if not (has_role(by, roles(HEAD)) and visible_schools(by).filter(pk=plan.school_id).exists()):
        raise PermissionDenied("Only the school's headteacher agrees its plan.")
    with transaction.atomic():
        claim(plan, seen=seen_version, by=by, what="plan", advice=AGREE_ADVICE)
        if plan.status == ActionPlan.Status.AGREED:
            raise ValidationError("The plan is already agreed.")
        if not Action.objects.filter(priority__plan=plan).exists():
            raise ValidationError("A plan needs at least one priority with an action before it can be agreed.")
        plan.status, plan.agreed_by, plan.agreed_at = ActionPlan.Status.AGREED, by, timezone.now()
        plan.save(update_fields=["status", "agreed_by", "agreed_at", "updated_at"])
        notifications.notify(
            {*people.partners_of(plan.school_id), *people.officers_here()} - {by.pk},
            kind=notifications.Kind.PLAN_AGREED,
            # Agreed again after a review is another event: the version the head agreed names it.
            key=f"plan-agreed:{plan.pk}:{plan.version}",
            title=f"{by.full_name} agreed the {_plan_kind(plan)} for {plan.school.name}",
            url=reverse("support:plan", args=[plan.school.urn]),
        )
    return plan


def _plan_kind(plan: ActionPlan) -> str:
    kind = plan.get_kind_display()
    return kind.lower() if plan.kind == ActionPlan.Kind.PLAN else kind


@attributed
def reopen_plan(*, plan: ActionPlan, by: User, seen_version: int | None = None) -> ActionPlan:
    _may_work_on(by, plan.school)
    with transaction.atomic():
        claim(plan, seen=seen_version, by=by, what="plan", advice=REOPEN_ADVICE)
        if plan.status != ActionPlan.Status.AGREED:
            raise ValidationError("Only an agreed plan is reopened for review.")
        plan.status = ActionPlan.Status.UNDER_REVIEW
        plan.save(update_fields=["status", "updated_at"])
    return plan


# Meetings, new headteachers, self-referrals -------------------------------------------------------------


def meetings_a_year(school: School) -> int:
    """As the category sets, but half-termly for a school that requires improvement or is
    inadequate (seed 003: strategy meetings half-termly for RI and inadequate schools)."""
    category = entitled_category(school)
    per_year = category.progress_meetings_per_year if category else 0
    if school.ofsted_outcome in ("requires_improvement", "inadequate", "rc_urgent_improvement"):
        per_year = 6
    return min(per_year, 6)


@attributed
def schedule_meetings(*, school: School, year: int, by: User) -> list[Meeting]:
    """Progress meetings for the rest of the year at the frequency the category sets: one at the
    start of every half-term (6), of every term (3), or fewer."""
    _may_work_on(by, school)
    per_year = meetings_a_year(school)
    if per_year == 0:
        raise ValidationError("The school's category includes no progress meetings.")
    terms = selectors.half_terms(year)
    step = max(1, 6 // per_year)
    today = timezone.localdate()
    created = []
    for term in terms[::step][:per_year]:
        day = min(term.starts + timedelta(days=14), term.ends)
        if day < today <= term.ends:
            day = min(today + timedelta(days=7), term.ends)  # the half-term under way still gets its meeting
        already = school.meetings.filter(kind=Meeting.Kind.PROGRESS, scheduled_for__range=(term.starts, term.ends))
        if day < today or already.exists():
            continue
        created.append(
            Meeting.objects.create(school=school, kind=Meeting.Kind.PROGRESS, scheduled_for=day, created_by=by)
        )
    return created


@attributed
def record_meeting(
    *,
    meeting: Meeting,
    by: User,
    held_on: date,
    attendees: str,
    notes: str,
    actions: list[tuple[str, str, date]] = (),
    progress: str = "",
    support_timely: bool | None = None,
    impact: str = "",
) -> Meeting:
    """Record the meeting as held, with who came, the notes and the actions agreed
    (description, owner, deadline), in one go; a strategy meeting also records whether the school
    is on track to retain Good or to be Good, whether support is timely and its impact (seed 003)."""
    _may_work_on(by, meeting.school)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "A meeting cannot be held in the future"})
    with transaction.atomic():
        meeting.held_on, meeting.attendees, meeting.notes = held_on, attendees.strip(), notes.strip()
        meeting.progress, meeting.support_timely, meeting.impact = progress, support_timely, impact.strip()
        meeting.save(update_fields=["held_on", "attendees", "notes", "progress", "support_timely", "impact"])
        audit.bulk_create(
            MeetingAction,
            (
                MeetingAction(meeting=meeting, description=d.strip(), owner=o.strip(), deadline=when)
                for d, o, when in actions
            ),
        )
    return meeting


@attributed
def record_academy_order(
    *,
    plan: ActionPlan,
    by: User,
    academy_order_on: date | None,
    academy_trust: str,
    conversion_expected_on: date | None,
    seen_version: int | None = None,
) -> ActionPlan:
    """Track the academy order of a school under a Statement of Action; refused when the plan
    changed since the officer opened the form (``seen_version``)."""
    require(by, OFFICERS, "Only LA officers can do this.")
    if plan.kind != ActionPlan.Kind.STATEMENT_OF_ACTION:
        raise ValidationError("Academy orders are tracked on a Statement of Action only.")
    if academy_order_on and conversion_expected_on and conversion_expected_on < academy_order_on:
        raise ValidationError({"conversion_expected_on": "Conversion must be expected after the order is made"})
    with transaction.atomic():
        claim(plan, seen=seen_version, by=by, what="plan")
        plan.academy_order_on, plan.academy_trust = academy_order_on, academy_trust.strip()
        plan.conversion_expected_on = conversion_expected_on
        plan.save(update_fields=["academy_order_on", "academy_trust", "conversion_expected_on", "updated_at"])
    return plan


@attributed
def record_new_headteacher(*, school: School, by: User, name: str, starts_on: date, acting: bool) -> NewHeadteacher:
    require(by, OFFICERS, "Only LA officers can do this.")
    return NewHeadteacher.objects.create(
        school=school, name=name.strip(), starts_on=starts_on, acting=acting, recorded_by=by
    )


@attributed
def save_recruitment(
    *, school: School, by: User, recruitment: HeadteacherRecruitment | None = None, **fields
) -> HeadteacherRecruitment:
    """Record the authority's support for a school's headteacher recruitment, or move it on (seed 000).
    The appointment notes the new head once, which makes their first half-term's visit due."""
    require(by, OFFICERS, "Only LA officers can do this.")
    recruitment = recruitment or HeadteacherRecruitment(school=school, recorded_by=by)
    for name, value in fields.items():
        setattr(recruitment, name, value)
    if recruitment.stage == HeadteacherRecruitment.Stage.APPOINTED:
        missing = {
            name: text
            for name, text in (
                ("appointed_name", "Enter the appointed headteacher's name"),
                ("appointed_starts_on", "Enter the date the appointed headteacher starts"),
            )
            if not fields.get(name)
        }
        if missing:
            raise ValidationError(missing)
    recruitment.full_clean()
    with transaction.atomic():
        if recruitment.stage == HeadteacherRecruitment.Stage.APPOINTED and recruitment.new_head is None:
            recruitment.new_head = record_new_headteacher(
                school=school,
                by=by,
                name=recruitment.appointed_name,
                starts_on=recruitment.appointed_starts_on,
                acting=False,
            )
        recruitment.save()
    return recruitment


def schedule_new_head_visit(sender, *, note, **kwargs) -> NewHeadteacher | None:
    """An intelligence note says the school has a new or acting headteacher: the new-head visit is
    due in their first half-term, as when an officer records the head (unless one was recorded in
    the six months around the note)."""
    around = (note.noted_on - timedelta(days=183), note.noted_on + timedelta(days=183))
    if NewHeadteacher.objects.filter(school=note.school, starts_on__range=around).exists():
        return None
    return NewHeadteacher.objects.create(
        school=note.school, from_intelligence=True, starts_on=note.noted_on, acting=False, recorded_by=note.author
    )


@attributed
def self_refer(*, school: School, by: User, reason: str) -> SelfReferral:
    """A headteacher tells the authority the school is vulnerable; officers (and the board) see it."""
    if not (has_role(by, roles(HEAD)) and visible_schools(by).filter(pk=school.pk).exists()):
        raise PermissionDenied("Only the school's headteacher can refer the school.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the school is vulnerable"})
    return SelfReferral.objects.create(school=school, submitted_by=by, reason=reason.strip())


@attributed
def consider_self_referral(*, referral: SelfReferral, by: User, response: str) -> SelfReferral:
    require(by, OFFICERS, "Only LA officers can do this.")
    if not response.strip():
        raise ValidationError({"response": "Record what was decided"})
    referral.status, referral.response = SelfReferral.Status.CONSIDERED, response.strip()
    referral.save(update_fields=["status", "response"])
    return referral


# Oxfordshire: strategy meetings (seed 003) ------------------------------------------------------------------


def _strategy_day(term: calendar.HalfTerm, today: date) -> date | None:
    """A half-term's meeting two weeks in, or within a week for the half-term under way; None for
    a half-term already over."""
    day = min(term.starts + timedelta(days=14), term.ends)
    if day < today <= term.ends:
        day = min(today + timedelta(days=7), term.ends)
    return None if day < today else day


@attributed
def schedule_strategy_meetings(*, year: int, by: User) -> list[Meeting]:
    """A strategy meeting in every half-term left in the year for each school whose category meets
    half-termly ("convened on a half-termly basis", seed 003). Safe to run again: a half-term that
    has a school's strategy meeting already gets no other."""
    require(by, OFFICERS, "Only LA officers can do this.")
    today = timezone.localdate()
    terms = selectors.half_terms(year)
    schools = list(selectors.strategy_meeting_schools())
    have = set(
        Meeting.objects.filter(kind=Meeting.Kind.STRATEGY, school__in=schools).values_list("school", "scheduled_for")
    )
    made = []
    for term in terms:
        day = _strategy_day(term, today)
        if day is None:
            continue
        for school in schools:
            if any(s == school.pk and term.starts <= d <= term.ends for s, d in have):
                continue
            made.append(Meeting(school=school, kind=Meeting.Kind.STRATEGY, scheduled_for=day, created_by=by))
    with transaction.atomic():
        return audit.bulk_create(Meeting, made)


@attributed
def arrange_strategy_meeting(
    *,
    school: School,
    by: User,
    scheduled_for: date,
    chair: User,
    people: list[User],
    school_members: list[tuple[str, str]] = (),
) -> Meeting:
    """Set a school's strategy meeting for a day with its chair, the authority's people on it and
    the school's members by role (role, name). The chair must be one of the authority's officers
    ("chaired by a senior local authority officer", seed 003). The half-term's meeting, when one is
    scheduled and not yet held, moves to the day rather than being doubled."""
    require(by, OFFICERS, "Only LA officers can do this.")
    if chair not in selectors.authority_officers():
        raise ValidationError({"chair": "The chair must be a senior officer of the local authority"})
    allowed = set(selectors.authority_people(school).values_list("pk", flat=True))
    if any(p.pk not in allowed for p in people):
        raise ValidationError({"people": "Choose the authority's officers or the school's own partners"})
    term = calendar.half_term_of(scheduled_for, selectors.half_terms(academic_year_of(scheduled_for)))
    with transaction.atomic():
        meeting = None
        if term is not None:
            meeting = school.meetings.filter(
                kind=Meeting.Kind.STRATEGY, held_on__isnull=True, scheduled_for__range=(term.starts, term.ends)
            ).first()
        if meeting is None:
            meeting = Meeting(school=school, kind=Meeting.Kind.STRATEGY, created_by=by)
        meeting.scheduled_for, meeting.chair = scheduled_for, chair
        meeting.save()
        meeting.members.all().delete()
        members = [
            MeetingMember(
                meeting=meeting,
                person=p,
                role=MeetingMember.Role.OFFICER if has_role(p, OFFICERS) else MeetingMember.Role.PARTNER,
            )
            for p in people
            if p != chair
        ]
        members += [MeetingMember(meeting=meeting, role=r, name=n.strip()) for r, n in school_members if n.strip()]
        audit.bulk_create(MeetingMember, members)
    return meeting


# Oxfordshire: RI to Good within four terms (seed 003) --------------------------------------------------------


@attributed
def review_ri_to_good(*, school: School, by: User, reviewed_on: date, judgement: str, evidence: str) -> RiToGoodReview:
    """Review a school's progress to meet the criteria for Good within four terms of its RI
    inspection. Only an officer records that it meets the criteria (which ends the tracking)."""
    _may_work_on(by, school)
    if judgement == RiToGoodReview.Judgement.MEETS_GOOD and not has_role(by, OFFICERS):
        raise PermissionDenied("Only an LA officer can record that the school meets the criteria for Good.")
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "A review cannot be in the future"})
    if not evidence.strip():
        raise ValidationError({"evidence": "Enter the evidence for the judgement"})
    case = selectors.ri_to_good_case(school, timezone.localdate())
    if case is None:
        raise ValidationError("The school's latest graded inspection is not requires improvement.")
    review = RiToGoodReview.objects.create(
        school=school,
        inspection=case.inspection,
        reviewed_on=reviewed_on,
        reviewed_by=by,
        judgement=judgement,
        evidence=evidence.strip(),
    )
    transaction.on_commit(selectors.forget_ri_to_good_overdue)
    return review


# Oxfordshire: the new headteachers' network and academies' conversations (seed 003) -------------------------


@attributed
def arrange_network_meeting(*, by: User, held_on: date, topic: str, heads: list[NewHeadteacher]) -> NetworkMeeting:
    """A meeting of the new headteachers' network, with the new heads invited to it."""
    require(by, OFFICERS, "Only LA officers can do this.")
    if not topic.strip():
        raise ValidationError({"topic": "Enter the topic"})
    with transaction.atomic():
        meeting = NetworkMeeting.objects.create(held_on=held_on, topic=topic.strip(), created_by=by)
        audit.bulk_create(NetworkInvitation, (NetworkInvitation(meeting=meeting, head=h) for h in heads))
    return meeting


@attributed
def record_network_attendance(*, meeting: NetworkMeeting, by: User, attended: list[NewHeadteacher]) -> int:
    """Who came to a network meeting, of those invited; the others are recorded as absent."""
    require(by, OFFICERS, "Only LA officers can do this.")
    if meeting.held_on > timezone.localdate():
        raise ValidationError("Attendance is recorded once the meeting has been held.")
    came = {h.pk for h in attended}
    with transaction.atomic():
        invitations = list(meeting.invitations.select_for_update())
        for invitation in invitations:
            invitation.attended = invitation.head_id in came
            invitation.save(update_fields=["attended"])
    return len(came)


@attributed
def record_academy_conversation(
    *, by: User, with_whom: str, held_on: date, leaders_met: str, schools: list[School], notes: str = ""
) -> AcademyConversation:
    """The annual structured conversation with a trust's (or an academy's) leaders about its
    schools causing concern (seed 003)."""
    require(by, OFFICERS, "Only LA officers can do this.")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "A conversation cannot be in the future"})
    if not schools:
        raise ValidationError({"schools": "Choose the schools discussed"})
    with transaction.atomic():
        conversation = AcademyConversation.objects.create(
            with_whom=with_whom.strip(),
            held_on=held_on,
            leaders_met=leaders_met.strip(),
            notes=notes.strip(),
            recorded_by=by,
        )
        conversation.schools.set(schools)
    return conversation
