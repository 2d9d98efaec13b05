"""Birmingham's School Improvement Advisory Board and Education Improvement Group (seed 004).

The board "is made up of an external, independent Chair and recently serving Birmingham expert head
teachers across all phases": ``BoardMembership`` records each member's basis, and ``membership_gaps``
says what falls short of that. Its categorisation decisions go through ``boards.services.decide``.
The Education Improvement Group meets half-termly: BCC escalates there what BEP reports
(stage 5), and the schools causing concern meeting reviews its notes "to determine any themes or
issues" (stage 4). ``waiting_too_long`` says when an escalation has waited longer than a half-term.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.access import require
from accounts.audit import attributed
from accounts.models import Role, User
from accounts.policy import OFFICERS
from boards.models import BoardMembership, EIGMeeting, Escalation
from categorisation import selectors as category_selectors
from categorisation.models import Category, Framework, FrameworkVersion, SchoolCategory
from schools.access import remit
from schools.models import School
from support import calendar
from support.selectors import current_year, half_terms

OFFICERS_REFUSED = "Only LA officers record the board's members and the Education Improvement Group's meetings."
Basis = BoardMembership.Basis
Phase = BoardMembership.Phase


# The rules, without the database -----------------------------------------------------------------------------


def membership_gaps(memberships: Iterable[BoardMembership]) -> list[str]:
    """What the board's membership lacks against "an external, independent Chair and recently
    serving Birmingham expert head teachers across all phases"."""
    held = list(memberships)
    gaps = []
    chair = next((m for m in held if m.chair), None)
    if chair is None:
        gaps.append("No chair is recorded")
    elif not chair.independent:
        gaps.append(f"The chair, {chair.member}, is not recorded as external and independent")
    covered = {m.phase for m in held if m.basis == Basis.RECENT_HEAD}
    missing = [label for value, label in Phase.choices if value not in covered]
    if missing:
        gaps.append(f"No recently serving headteacher for: {', '.join(missing)}")
    return gaps


RECENT_YEARS = 2  # a headteacher is "recently serving" whose headship ended in the last two academic years


def headship_text(membership: BoardMembership) -> str:
    """ "Serving head of X" or "Head of X until 2024", for a member who sits as a headteacher."""
    if membership.basis != Basis.RECENT_HEAD:
        return ""
    school = membership.headship_school
    if membership.headship_ended is None:
        return f"Serving head of {school.name}" if school else "Serving headteacher (school not recorded)"
    return (
        f"Head of {school.name} until {membership.headship_ended}"
        if school
        else (f"Headteacher until {membership.headship_ended} (school not recorded)")
    )


def headship_flags(membership: BoardMembership, *, this_year: int, school_in_remit: bool) -> list[str]:
    """Why a member who sits as a recently serving headteacher may not be one (seed 004: "recently
    serving Birmingham expert head teachers"): a headship that ended before the last two academic
    years (``this_year`` is the current academic year's first calendar year, so in 2026/27 a
    headship that ended in the summer of 2025 or 2026 is recent, one that ended in 2024 is not), or
    a school outside the authority's remit."""
    if membership.basis != Basis.RECENT_HEAD:
        return []
    flags = []
    ended = membership.headship_ended
    if ended is not None and this_year - ended >= RECENT_YEARS:
        flags.append(f"Headship ended in {ended}, more than two academic years ago")
    if membership.headship_school is not None and not school_in_remit:
        flags.append(f"{membership.headship_school.name} is not one of the authority's schools")
    return flags


def waiting_too_long(raised_on: date, today: date, terms: Iterable[calendar.HalfTerm]) -> bool:
    """An escalation waits for the half-termly Education Improvement Group; it has waited longer
    than a half-term when a whole half-term began after it was raised and ended before today."""
    return any(t.starts > raised_on and t.ends < today for t in terms)


# Reads --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Membership:
    """The members (each with ``headship`` text and its ``flags``) and what the membership lacks."""

    members: list[BoardMembership]
    gaps: list[str]


def membership(today: date | None = None) -> Membership:
    this_year = current_year(today)
    sitting = BoardMembership.objects.filter(member__role=Role.BOARD_MEMBER, member__is_active=True)
    held = list(
        sitting.select_related("member", "headship_school").annotate(
            school_in_remit=Exists(remit().filter(pk=OuterRef("headship_school")))
        )
    )
    flagged = []
    for m in held:
        m.headship = headship_text(m)
        m.flags = headship_flags(m, this_year=this_year, school_in_remit=m.school_in_remit)
        flagged += [f"{m.member}: {flag}" for flag in m.flags]
    return Membership(held, membership_gaps(held) + flagged)


def categories_to_agree() -> list[Category]:
    """The active framework's categories, which the board may agree for a school; none without one."""
    try:
        return list(category_selectors.active_version().categories.all())
    except (Framework.DoesNotExist, FrameworkVersion.DoesNotExist):
        return []


def category_standing(school) -> SchoolCategory | None:
    """The school's category and proposal under the active framework, for the board's decision page."""
    try:
        return category_selectors.standing_for_decision(school)
    except Framework.DoesNotExist:
        return None


def waiting_for_eig(today: date | None = None) -> list[Escalation]:
    """Escalations not yet discussed at the Education Improvement Group, oldest first, each marked
    ``overdue`` when it has waited longer than a half-term."""
    today = today or timezone.localdate()
    rows = list(
        Escalation.objects.filter(eig_meeting__isnull=True)
        .exclude(status=Escalation.Status.RESOLVED)
        .select_related("school", "raised_by")
        .order_by("raised_on", "pk")
    )
    rows = [e for e in rows if e.eig_meeting_on is None or e.eig_meeting_on > today]
    if rows:
        years = range(current_year(rows[0].raised_on), current_year(today) + 1)
        terms = [t for year in years for t in half_terms(year)]
        for row in rows:
            row.overdue = waiting_too_long(row.raised_on, today, terms)
    return rows


def eig_meetings() -> list[EIGMeeting]:
    return list(EIGMeeting.objects.prefetch_related("escalations__school"))


def latest_eig_meeting(before: date | None = None) -> EIGMeeting | None:
    """The notes the schools causing concern meeting reviews: the latest on or before its date."""
    found = EIGMeeting.objects.prefetch_related("escalations__school")
    return (found.filter(held_on__lte=before) if before else found).first()


# Writes -------------------------------------------------------------------------------------------------------


@attributed
def set_membership(
    *,
    by: User,
    member: User,
    basis: str,
    phase: str = "",
    headship_urn: int | None = None,
    headship_ended: int | None = None,
    chair: bool = False,
    independent: bool = False,
) -> BoardMembership:
    """Record a board member's basis for sitting (and, for a headteacher, their phase, the school
    they lead or led by its URN and the year their headship ended); a new chair takes the chair
    from the one before."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    if member.role != Role.BOARD_MEMBER:
        raise ValidationError({"member": "Only a user with the board member role sits on the board"})
    if basis not in Basis.values:
        raise ValidationError({"basis": "Choose the basis on which they sit"})
    school = None
    if basis == Basis.RECENT_HEAD:
        if phase not in Phase.values:
            raise ValidationError({"phase": "Choose the phase in which the headteacher served"})
        school = _headship_school(headship_urn)
        if headship_ended is not None and headship_ended > timezone.localdate().year:
            raise ValidationError({"headship_ended": "The year the headship ended must be this year or before"})
    else:
        phase, headship_ended = "", None
    values = {
        "basis": basis,
        "phase": phase,
        "headship_school": school,
        "headship_ended": headship_ended,
        "chair": chair,
        "independent": independent,
        "updated_by": by,
    }
    with transaction.atomic():
        if chair:
            for former in BoardMembership.objects.filter(chair=True).exclude(member=member):
                former.chair, former.updated_by = False, by
                former.save(update_fields=["chair", "updated_by", "updated_at"])
        made, _ = BoardMembership.objects.update_or_create(member=member, defaults=values)
    return made


def _headship_school(urn: int | None) -> School | None:
    if urn is None:
        return None
    school = School.objects.filter(urn=urn).first()
    if school is None:
        raise ValidationError({"headship_urn": "There is no school with that URN in the register"})
    return school


@attributed
def end_membership(*, by: User, member: User) -> None:
    require(by, OFFICERS, OFFICERS_REFUSED)
    for held in BoardMembership.objects.filter(member=member):
        held.delete()


@attributed
def record_eig_meeting(
    *,
    by: User,
    held_on: date,
    notes: str,
    themes: str = "",
    actions: str = "",
    outcomes: Mapping[int, str] | None = None,
) -> EIGMeeting:
    """Record an Education Improvement Group meeting, and the escalations it discussed with their
    outcome (an escalation with no outcome given was not discussed)."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "A meeting cannot be held in the future"})
    if not notes.strip():
        raise ValidationError({"notes": "Enter the notes of the meeting"})
    discussed = {pk: text.strip() for pk, text in (outcomes or {}).items() if text.strip()}
    with transaction.atomic():
        meeting = EIGMeeting.objects.create(
            held_on=held_on, notes=notes.strip(), themes=themes.strip(), actions=actions.strip(), recorded_by=by
        )
        for escalation in Escalation.objects.filter(pk__in=discussed, eig_meeting__isnull=True):
            escalation.eig_meeting, escalation.eig_meeting_on = meeting, held_on
            escalation.status, escalation.outcome = Escalation.Status.TO_EIG, discussed[escalation.pk]
            escalation.updated_by = by
            escalation.save()
    return meeting
