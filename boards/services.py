"""Writes for the advisory board. Each checks who may act, validates, writes in one transaction
and says clearly why it refuses when it does."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext

from accounts import notifications
from accounts import selectors as people
from accounts.access import has_role, require
from accounts.audit import attributed
from accounts.audit import bulk as audit
from accounts.authorities import copy_as_shipped, in_wales
from accounts.models import SchoolAssignment, User
from accounts.policy import ADMIN, BOARD_READERS, OFFICER, OFFICERS, PARTNER, roles
from boards import agenda, merge, notices, selectors, tasks
from boards.models import (
    AgendaItem,
    Attendance,
    BoardMeeting,
    ConcernAction,
    ConcernMeeting,
    Decision,
    Escalation,
    InspectionNotice,
    Letter,
    LetterKind,
    LetterLanguage,
    LetterTemplate,
    PriorityEntry,
    VulnerabilityVisit,
    WarningNotice,
)
from categorisation.models import SchoolCategory
from categorisation.services import agree_category, enqueue_recategorisation
from core.calendar import academic_year_label, year_span
from core.concurrency import bump, claim
from operations import jobs
from operations.jobs import Enqueued
from schools import ofsted
from schools import selectors as school_selectors
from schools.access import current_authority, maintained_in_remit, visible_schools
from schools.filters import forget_choices
from schools.imports import refresh_latest_inspections
from schools.models import GovernanceContact, Inspection, School
from support import selectors as support_selectors
from support import services as support_services
from support.models import EntitlementKind, SelfReferral, SupportPackage

STALE_WEEKS = getattr(settings, "BOARD_REVIEW_WEEKS", 8)
OFFICERS_REFUSED = "Only LA officers can do this."
DECISIONS_REFUSED = "Only board members and LA officers record the board's decisions."
ESCALATION_REFUSED = "Only the school's priority partner or an LA officer escalates a school."


def _required(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ValidationError({field: message})
    return value.strip()


# The annual cycle -------------------------------------------------------------------------------------------


@attributed
def propose_annual_list(*, year: int, by: User, la_id: int | None = None) -> int:
    """Propose the year's priority list from the facts: maintained schools whose latest
    inspection is a concern, good or better maintained schools in the framework's most
    supported category (to be agreed vulnerable), and agreed self-referrals. Schools already
    with an entry for the year (carried forward, say) are left alone. Returns how many were
    proposed."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    today = timezone.localdate()
    schools = School.objects.filter(maintained_in_remit()).exclude(status_name__icontains="closed")
    if la_id:
        schools = schools.filter(la_id=la_id)
    taken = set(PriorityEntry.objects.filter(academic_year=year).values_list("school_id", flat=True))
    proposals: dict[int, tuple[str, str]] = {}
    concern = {"inadequate": "inadequate", "rc_urgent_improvement": "urgent improvement in a report card"}
    ri = {"requires_improvement": "requires improvement", "rc_needs_attention": "an area needing attention"}
    for pk, outcome in schools.filter(ofsted_outcome__in=[*concern, *ri]).values_list("pk", "ofsted_outcome"):
        if outcome in concern:
            proposals[pk] = (PriorityEntry.Reason.OFSTED_CONCERN, f"Latest inspection: {concern[outcome]}")
        else:
            proposals[pk] = (PriorityEntry.Reason.OFSTED_RI, f"Latest inspection: {ri[outcome]}")
    # September 2024 to November 2025: key judgements, no overall grade. An inadequate key judgement
    # is a concern and one requiring improvement is RI, never "good or better but vulnerable".
    judged = schools.filter(ofsted_outcome=ofsted.Outcome.JUDGEMENTS_ONLY, latest_inspection__isnull=False)
    for pk, *grades in judged.values_list(
        "pk", *[f"latest_inspection__{f}" for f, _ in ofsted.GRADED_JUDGEMENT_LABELS]
    ):
        worst = max((g for g in grades if g is not None), default=None)
        if worst == 4:
            proposals[pk] = (PriorityEntry.Reason.OFSTED_CONCERN, "Latest inspection: a key judgement inadequate")
        elif worst == 3:
            proposals[pk] = (PriorityEntry.Reason.OFSTED_RI, "Latest inspection: a key judgement requires improvement")
    top = (
        SchoolCategory.objects.filter(framework__is_active=True, school__in=schools)
        .exclude(school_id__in=proposals)
        .select_related("category")
    )
    highest = max((s.category.rank for s in top if s.category), default=None)
    # A head already visited this year who agreed the school is not a priority (seed 004) is not asked again.
    agreed_not = set(
        VulnerabilityVisit.objects.filter(
            academic_year=year, outcome=VulnerabilityVisit.Outcome.AGREED_NOT_PRIORITY
        ).values_list("school_id", flat=True)
    )
    for standing in top:
        if standing.school_id in agreed_not:
            continue
        if standing.category and standing.category.rank == highest and highest is not None:
            proposals[standing.school_id] = (
                PriorityEntry.Reason.VULNERABLE,
                f"Agreed category {standing.category.label}: to be agreed vulnerable with the headteacher",
            )
    referred = SelfReferral.objects.filter(school__in=schools, status=SelfReferral.Status.CONSIDERED).exclude(
        school_id__in=proposals
    )
    for referral in referred:
        proposals[referral.school_id] = (PriorityEntry.Reason.SELF_REFERRAL, f"Self-referral: {referral.response}")
    entries = [
        PriorityEntry(
            school_id=pk,
            academic_year=year,
            reason=reason,
            evidence=evidence,
            status=PriorityEntry.Status.PROPOSED,
            source=PriorityEntry.Source.ANNUAL,
            proposed_on=today,
        )
        for pk, (reason, evidence) in sorted(proposals.items())
        if pk not in taken
    ]
    audit.bulk_create(PriorityEntry, entries, batch_size=1000)
    return len(entries)


@attributed
def agree_annual_list(
    *, year: int, by: User, rationale: str, meeting: BoardMeeting | None = None, leave_out: dict[int, str] | None = None
) -> int:
    """The board agrees the proposed list: every proposal goes on the list except those left out
    (entry id → why); each school gets a decision with the rationale. Returns how many were added."""
    require(by, BOARD_READERS, DECISIONS_REFUSED)
    rationale = _required(rationale, "rationale", "Enter the rationale for the list")
    leave_out = leave_out or {}
    for why in leave_out.values():
        if not (why or "").strip():
            raise ValidationError({"leave_out": "Say why each school left off the list is left off"})
    today = timezone.localdate()
    added = 0
    with transaction.atomic():
        for entry in PriorityEntry.objects.filter(
            academic_year=year, status=PriorityEntry.Status.PROPOSED
        ).select_related("school"):
            if entry.pk in leave_out:
                entry.status = PriorityEntry.Status.NOT_ADDED
                entry.save(update_fields=["status", "updated_at"])
                Decision.objects.create(
                    school=entry.school,
                    meeting=meeting,
                    academic_year=year,
                    kind=Decision.Kind.NO_CHANGE,
                    rationale=leave_out[entry.pk].strip(),
                    outcome="Proposed for the priority list; not added",
                    decided_by=by,
                )
                continue
            entry.status, entry.added_on = PriorityEntry.Status.ON_LIST, today
            entry.save(update_fields=["status", "added_on", "updated_at"])
            Decision.objects.create(
                school=entry.school,
                meeting=meeting,
                academic_year=year,
                kind=Decision.Kind.ADD,
                reason=entry.reason,
                rationale=rationale,
                outcome=f"Added to the {academic_year_label(year)} priority list: {entry.get_reason_display()}",
                decided_by=by,
            )
            added += 1
    return added


@attributed
def carry_forward(*, from_year: int, keep: list[int], by: User, rationale: str) -> int:
    """The year-end review: the schools kept (entry ids of ``from_year``) go on next year's list,
    with a decision each; the rest are not carried forward. Returns how many were carried."""
    require(by, BOARD_READERS, DECISIONS_REFUSED)
    rationale = _required(rationale, "rationale", "Enter the rationale for the review")
    to_year, today = from_year + 1, timezone.localdate()
    label = academic_year_label(to_year)
    carried = 0
    with transaction.atomic():
        for entry in PriorityEntry.objects.filter(
            academic_year=from_year, status=PriorityEntry.Status.ON_LIST
        ).select_related("school"):
            kept = entry.pk in keep
            if kept:
                PriorityEntry.objects.update_or_create(
                    school=entry.school,
                    academic_year=to_year,
                    defaults={
                        "reason": entry.reason,
                        "evidence": entry.evidence,
                        "status": PriorityEntry.Status.ON_LIST,
                        "source": PriorityEntry.Source.CARRIED_FORWARD,
                        "added_on": today,
                    },
                )
                carried += 1
            Decision.objects.create(
                school=entry.school,
                academic_year=to_year,
                kind=Decision.Kind.ADD if kept else Decision.Kind.NO_CHANGE,
                reason=entry.reason if kept else "",
                rationale=rationale,
                outcome=f"Carried forward into {label}" if kept else f"Not carried forward into {label}",
                decided_by=by,
            )
    return carried


# Meetings and agendas -----------------------------------------------------------------------------------------


@attributed
def schedule_meetings(*, first: date, until: date, by: User) -> list[BoardMeeting]:
    """Fortnightly meetings from ``first`` to ``until``, skipping school holidays; dates that
    already have a meeting are left as they are."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    if until < first:
        raise ValidationError({"until": "The last date must be after the first"})
    if (until - first).days > 400:
        raise ValidationError({"until": "Schedule at most a year of meetings at a time"})
    terms = []
    for year in range(support_selectors.current_year(first), support_selectors.current_year(until) + 1):
        terms += [(t.starts, t.ends) for t in support_selectors.half_terms(year)]

    days = agenda.fortnightly(first, until, terms)
    existing = set(BoardMeeting.objects.filter(meets_on__in=days).values_list("meets_on", flat=True))
    made = [BoardMeeting(meets_on=day, created_by=by) for day in days if day not in existing]
    return audit.bulk_create(BoardMeeting, made)


@attributed
def generate_agenda(*, meeting: BoardMeeting, by: User | None = None) -> int:
    """Put on the agenda every school with something new since the board last reviewed it (or
    not reviewed for a while), with the reasons. Generating again refreshes the reasons: items
    added or dropped by officers, and items with decisions, are kept. Returns the number of
    generated items."""
    if by is not None:
        require(by, OFFICERS, OFFICERS_REFUSED)
    if meeting.status != BoardMeeting.Status.SCHEDULED:
        raise ValidationError("The agenda of a meeting that has been held or cancelled cannot change.")
    found = selectors.with_news(meeting, STALE_WEEKS)
    with transaction.atomic():
        items = {i.school_id: i for i in meeting.items.all()}
        decided = selectors.has_decisions([i.pk for i in items.values()])
        stale = [
            i.pk
            for school_id, i in items.items()
            if i.origin == AgendaItem.Origin.GENERATED
            and not i.dropped
            and school_id not in found
            and i.pk not in decided
        ]
        AgendaItem.objects.filter(pk__in=stale).delete()
        position = max((i.position for i in items.values()), default=0)
        new, changed = [], []
        for school_id, reasons in found.items():
            texts, kinds = [r.text for r in reasons], [r.kind.value for r in reasons]
            item = items.get(school_id)
            if item is None:
                position += 1
                new.append(
                    AgendaItem(meeting=meeting, school_id=school_id, reasons=texts, kinds=kinds, position=position)
                )
            elif item.origin == AgendaItem.Origin.GENERATED and (item.reasons, item.kinds) != (texts, kinds):
                if agenda.PULLED in item.kinds:  # a routine review pulled out of the consent list stays out
                    kinds = [*kinds, agenda.PULLED]
                    if (item.reasons, item.kinds) == (texts, kinds):
                        continue
                item.reasons, item.kinds = texts, kinds
                changed.append(item)
        audit.bulk_create(AgendaItem, new)
        audit.bulk_update(AgendaItem, changed, ["reasons", "kinds"])
        meeting.agenda_generated_at = timezone.now()
        meeting.save(update_fields=["agenda_generated_at"])
    return len(found)


@attributed
def add_item(*, meeting: BoardMeeting, school: School, reason: str, by: User) -> AgendaItem:
    require(by, OFFICERS, OFFICERS_REFUSED)
    reason = _required(reason, "reason", "Say why the school is added to the agenda")
    item = meeting.items.filter(school=school).first()
    if item and not item.dropped:
        raise ValidationError({"urn": f"{school.name} is already on the agenda"})
    if item:
        item.dropped, item.drop_reason, item.origin, item.added_reason, item.added_by = (
            False,
            "",
            AgendaItem.Origin.ADDED,
            reason,
            by,
        )
        with transaction.atomic():
            bump(item, by=by)
            item.save()
        return item
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    return AgendaItem.objects.create(
        meeting=meeting,
        school=school,
        origin=AgendaItem.Origin.ADDED,
        reasons=[f"Added by {by}: {reason}"],
        kinds=["added"],
        added_reason=reason,
        added_by=by,
        position=position,
    )


@attributed
def drop_item(*, item: AgendaItem, reason: str, by: User) -> AgendaItem:
    require(by, OFFICERS, OFFICERS_REFUSED)
    reason = _required(reason, "reason", "Say why the school is dropped from the agenda")
    if item.decisions.exists():
        raise ValidationError("The board has decided on this school at this meeting; it stays on the agenda.")
    item.dropped, item.drop_reason, item.dropped_by = True, reason, by
    with transaction.atomic():
        bump(item, by=by)
        item.save(update_fields=["dropped", "drop_reason", "dropped_by"])
    return item


@attributed
def record_meeting(
    *, meeting: BoardMeeting, by: User, present: list[int], minutes: str, seen_version: int | None = None
) -> BoardMeeting:
    """Record the meeting as held: who attended, and the minutes. Refused with ``StaleEdit``
    when someone recorded it since the form was opened at ``seen_version``."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    if meeting.meets_on > timezone.localdate():
        raise ValidationError("A meeting cannot be recorded as held before its date.")
    with transaction.atomic():
        claim(meeting, seen=seen_version, by=by, what="meeting record")
        members = User.objects.filter(role="board", is_active=True)
        Attendance.objects.filter(meeting=meeting).delete()
        Attendance.objects.bulk_create(Attendance(meeting=meeting, member=m, present=m.pk in present) for m in members)
        meeting.status, meeting.minutes = BoardMeeting.Status.HELD, minutes.strip()
        meeting.save(update_fields=["status", "minutes"])
    return meeting


@attributed
def queue_pack(*, meeting: BoardMeeting, by: User) -> Enqueued:
    """Queue the meeting's pack; the answer says whether it reached the broker or waits for it."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    meeting.pack_status = BoardMeeting.PackStatus.QUEUED
    meeting.save(update_fields=["pack_status"])
    return jobs.enqueue_on_commit(tasks.build_board_pack, meeting.pk)


# Decisions ----------------------------------------------------------------------------------------------------

DECISION_ADVICE = (
    "Your decision has not been recorded: it is shown below so you can copy it; reload to see the decisions "
    "recorded since."
)


@attributed
def decide(
    *,
    school: School,
    kind: str,
    rationale: str,
    by: User,
    meeting: BoardMeeting | None = None,
    item: AgendaItem | None = None,
    reason: str = "",
    confirm_removal: bool = False,
    removal_override: str = "",
    support_kind: str = "",
    support_days: Decimal | None = None,
    category_code: str = "",
    seen_version: int | None = None,
) -> Decision:
    """Record the board's decision about a school and apply it: to the priority list, the
    support package, a letter of concern, a warning-notice recommendation or the school's category
    (seed 004: the board is "the decision-making body in respect of school categorisation"). On an agenda item,
    refused with ``StaleEdit`` when a decision was recorded on it (or it was dropped) since the
    form was opened at ``seen_version``."""
    require(by, BOARD_READERS, DECISIONS_REFUSED)
    if not visible_schools(by).filter(pk=school.pk).exists():
        raise PermissionDenied("This school is not on the board's list or agenda.")
    if kind not in Decision.Kind.values:
        raise ValidationError({"kind": "Choose the decision"})
    rationale = _required(rationale, "rationale", "Enter the rationale for the decision")
    year = support_selectors.current_year(meeting.meets_on if meeting else None)
    entry = selectors.entry_for(school, year)
    decision = Decision(
        school=school, meeting=meeting, item=item, academic_year=year, kind=kind, rationale=rationale, decided_by=by
    )
    with transaction.atomic():
        if item is not None:
            claim(item, seen=seen_version, by=by, what="agenda item", advice=DECISION_ADVICE)
        if kind == Decision.Kind.ADD:
            decision.outcome = _add(school, entry, year, reason, decision)
        elif kind == Decision.Kind.REMOVE:
            decision.outcome = _remove(school, entry, confirm_removal, removal_override, decision)
        elif kind == Decision.Kind.CHANGE_SUPPORT:
            decision.outcome = _change_support(school, year, support_kind, support_days, rationale, by, decision)
        elif kind == Decision.Kind.AGREE_CATEGORY:
            decision.outcome = _agree_category(school, category_code, rationale, by, decision)
        elif kind == Decision.Kind.NO_CHANGE:
            decision.outcome = "No change"
        decision.save()
        if kind == Decision.Kind.ADD:
            draft_letter(school=school, kind=LetterKind.PRIORITY, by=by, decision=decision, force=True)
        elif kind == Decision.Kind.REMOVE:
            draft_letter(school=school, kind=LetterKind.REMOVED, by=by, decision=decision, force=True)
        elif kind == Decision.Kind.LETTER_OF_CONCERN:
            letter = draft_letter(school=school, kind=LetterKind.CONCERN, by=by, decision=decision, force=True)
            decision.outcome = f"Letter of concern drafted for {letter.recipients.splitlines()[0]} and others"
            decision.save(update_fields=["outcome"])
        elif kind == Decision.Kind.RECOMMEND_WARNING_NOTICE:
            notice = WarningNotice.objects.create(
                school=school,
                decision=decision,
                rationale=rationale,
                recommended_on=_recommended_on(meeting),
                updated_by=by,
            )
            decision.outcome = (
                "Recommendation referred to the DfE regional director (academy)"
                if not school.is_maintained
                else "Recommendation sent to the Director of Children's Services"
            )
            decision.save(update_fields=["outcome"])
            notice.notes = decision.outcome
            notice.save(update_fields=["notes"])
        what = decision.get_kind_display()
        notifications.notify(
            {*people.partners_of(school.pk), *people.officers_here()} - {by.pk},
            kind=notifications.Kind.DECISION,
            key=f"decision:{decision.pk}",
            title=f"The board decided on {school.name}: {what[0].lower()}{what[1:]}",
            url=reverse("schools:detail", args=[school.urn]),
        )
    return decision


CONSENT_RATIONALE = (
    "Agreed on the consent list: a routine review. The board notes the school's progress and its support continues."
)
CONSENT_OUTCOME = "No change: agreed on the consent list"


@dataclass(frozen=True)
class Consent:
    agreed: int
    pulled: int


@attributed
def agree_consent_list(*, meeting: BoardMeeting, by: User, pull: Iterable[int] = ()) -> Consent:
    """Agree the meeting's routine reviews in one decision: a "no change" decision on each routine item
    not yet decided, audited each, written in bulk. The items in ``pull`` (their ids) are pulled out of
    the consent list instead, to be decided one by one with the other decision items."""
    require(by, BOARD_READERS, DECISIONS_REFUSED)
    pull = set(pull)
    year = support_selectors.current_year(meeting.meets_on)
    with transaction.atomic():
        BoardMeeting.objects.select_for_update().filter(pk=meeting.pk).first()  # two members agreeing at once
        routine = [
            item
            for item in meeting.items.filter(dropped=False)
            .annotate(decided=Exists(Decision.objects.filter(item=OuterRef("pk"))))
            .filter(decided=False)
            if agenda.kind_of(item.kinds) == agenda.Kind.ROUTINE
        ]
        if not routine:
            raise ValidationError("Every routine review on the consent list already has a decision.")
        pulled = [item for item in routine if item.pk in pull]
        agreed = [item for item in routine if item.pk not in pull]
        for item in pulled:
            item.kinds = [*item.kinds, agenda.PULLED]
        audit.bulk_update(AgendaItem, pulled, ["kinds"])
        audit.bulk_create(
            Decision,
            [
                Decision(
                    school_id=item.school_id,
                    meeting=meeting,
                    item=item,
                    academic_year=year,
                    kind=Decision.Kind.NO_CHANGE,
                    rationale=CONSENT_RATIONALE,
                    outcome=CONSENT_OUTCOME,
                    decided_by=by,
                )
                for item in agreed
            ],
        )
        # An open decision form on any of them now refuses to save over the consent list.
        bump(*routine, by=by)
    return Consent(agreed=len(agreed), pulled=len(pulled))


def _agree_category(school: School, code: str, rationale: str, by: User, decision: Decision) -> str:
    """The board agrees the school's category at a meeting, through the service officers use."""
    if decision.meeting is None:
        raise ValidationError({"kind": "The board agrees a category at one of its meetings"})
    if not code:
        raise ValidationError({"category_code": "Choose the category the board agrees"})
    try:
        made = agree_category(school=school, by=by, category_code=code, rationale=rationale, board_decision=decision)
    except ValidationError as exc:  # the category service names its field "category"
        raise ValidationError({"category_code": exc.messages}) from exc
    decision.category_code, decision.category_decision = made.category.code, made
    return f"Category agreed: {made.category}"


def _add(school: School, entry: PriorityEntry | None, year: int, reason: str, decision: Decision) -> str:
    if reason not in PriorityEntry.Reason.values:
        raise ValidationError({"reason": "Choose the reason the school is a priority"})
    if entry and entry.status == PriorityEntry.Status.ON_LIST:
        raise ValidationError({"kind": f"{school.name} is already on the priority list"})
    decision.reason = reason
    today = timezone.localdate()
    source = (
        PriorityEntry.Source.IN_YEAR
        if today > selectors.october_half_term(year) or (entry and entry.source != PriorityEntry.Source.ANNUAL)
        else PriorityEntry.Source.ANNUAL
    )
    PriorityEntry.objects.update_or_create(
        school=school,
        academic_year=year,
        defaults={
            "reason": reason,
            "status": PriorityEntry.Status.ON_LIST,
            "source": entry.source if entry else source,
            "added_on": today,
            "removed_on": None,
        },
    )
    return f"Added to the priority list: {PriorityEntry.Reason(reason).label}"


def _remove(school: School, entry: PriorityEntry | None, confirmed: bool, override: str, decision: Decision) -> str:
    if entry is None or entry.status != PriorityEntry.Status.ON_LIST:
        raise ValidationError({"kind": f"{school.name} is not on the priority list"})
    verdict = selectors.removal_verdict(school, entry)
    decision.removal_criterion_met = verdict.met
    if not verdict.met:
        if not confirmed or not override.strip():
            raise ValidationError(
                {
                    "confirm_removal": "The removal criterion is not met: "
                    f"{verdict.why} To remove the school anyway, confirm and say why."
                }
            )
        decision.removal_override = override.strip()
    entry.status, entry.removed_on = PriorityEntry.Status.REMOVED, timezone.localdate()
    entry.save(update_fields=["status", "removed_on", "updated_at"])
    return "Removed from the priority list" + ("" if verdict.met else " (removal criterion not met; confirmed)")


def _change_support(
    school: School, year: int, kind: str, days: Decimal | None, rationale: str, by: User, decision: Decision
) -> str:
    if kind not in EntitlementKind.values:
        raise ValidationError({"support_kind": "Choose the kind of support that changes"})
    if not days:
        raise ValidationError({"support_days": "Enter the days to add or take away"})
    decision.support_kind, decision.support_days = kind, days
    package = SupportPackage.objects.filter(school=school, academic_year=year).first()
    label = EntitlementKind(kind).label.lower()
    if package is None:
        return (
            f"{days:+g} {label}: the school has no support package this year, so officers apply the change "
            "when they set it up"
        )
    support_services.adjust_entitlement(
        package=package, kind=kind, change=days, reason=f"Board decision: {rationale}", by=by, board_decision=True
    )
    return f"Entitlement changed by {days:+g} {label}"


# Letters ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _About:
    """What a letter says of its school beyond the school's own record."""

    partner: SchoolAssignment | None
    chair: GovernanceContact | None
    plan_due: date


def _about(schools: list[School], dated: date, year: int) -> dict[int, _About]:
    """For each school, by id, in the same few queries however many schools (the annual letters
    of a whole LA): the partner the letter names, the chair it is addressed to, and when the
    school's plan for the year is due as of the letter's date (``support_selectors.plans_due_on``)."""
    started = defaultdict(list)
    for assignment in SchoolAssignment.objects.filter(
        school__in=schools, relationship="priority_partner", starts_on__lte=dated
    ).select_related("user"):
        started[assignment.school_id].append(assignment)
    chairs = school_selectors.chairs_of(schools)
    due = support_selectors.plans_due_on(schools, year, dated)
    return {
        school.pk: _About(
            partner=_partner(started[school.pk], dated, year), chair=chairs.get(school.pk), plan_due=due[school.pk]
        )
        for school in schools
    }


def _partner(started: list[SchoolAssignment], dated: date, year: int) -> SchoolAssignment | None:
    """Of a school's priority partners who had started by the letter's date, the one on that date
    (the first to start), whom the letter names; failing that, the last partner who worked with the
    school in the letter's academic year (a removed school's assignment has ended by the time the
    removal letter thanks its partner)."""
    current = [a for a in started if a.ends_on is None or a.ends_on >= dated]
    if current:
        return min(current, key=lambda a: (a.starts_on, a.pk))
    this_year = [a for a in started if a.ends_on >= year_span(year)[0]]
    return max(this_year, key=lambda a: (a.ends_on, a.pk), default=None)


def _partner_name(partner: SchoolAssignment | None, kind: str) -> str:
    """The partner a letter names; with none, words that still read in the letter's sentence (a
    removal letter thanks the school for its work with its partner, never with "to be confirmed")."""
    if partner is not None:
        return str(partner.user)
    return gettext("your priority partner") if kind == LetterKind.REMOVED else gettext("to be confirmed")


def _chair_line(chair: GovernanceContact | None, school: School) -> str:
    """The chair a letter is addressed to, by name when the authority has recorded them."""
    if chair is None:
        return gettext("The chair of governors, %(school)s") % {"school": school.name}
    return gettext("%(name)s, chair of governors, %(school)s") % {"name": chair.name, "school": school.name}


def _letter_values(
    school: School, *, decision: Decision | None, dated: date, year: int, about: _About, kind: str, authority: str
) -> dict[str, str]:
    """The merge fields' values, in the active language (dates, the reason, the fall-backs)."""
    meeting = decision.meeting if decision else None
    chair = about.chair
    return {
        "school_name": school.name,
        "urn": str(school.urn),
        "headteacher": school.headteacher_name or gettext("Headteacher"),
        "chair": chair.name if chair else gettext("the chair of governors"),
        "la_name": school.la.name,
        "authority": authority,
        "academic_year": academic_year_label(year),
        "date": dateformat.format(dated, "j F Y"),
        "rationale": decision.rationale if decision else "",
        "reason": gettext(PriorityEntry.Reason(decision.reason).label) if decision and decision.reason else "",
        "partner": _partner_name(about.partner, kind),
        "meeting_date": dateformat.format(meeting.meets_on, "j F Y") if meeting else "",
        "plan_due": dateformat.format(about.plan_due, "j F Y"),
    }


def letter_recipients(school: School, chair: GovernanceContact | None = None) -> list[str]:
    """Who the letter is addressed to, in the active language: the headteacher and the chair of the
    school's board, by name when known."""
    head = (
        gettext("%(name)s, headteacher") % {"name": school.headteacher_name}
        if school.headteacher_name
        else gettext("The headteacher")
    )
    return [gettext("%(head)s, %(school)s") % {"head": head, "school": school.name}, _chair_line(chair, school)]


# The letter templates as shipped, which the migration loaded for the first authority, and their
# Welsh wording, for authorities in Wales.
_TEMPLATES = "boards.migrations.0002_letter_templates"
_WELSH_TEMPLATES = "boards.migrations.0008_welsh_letter_templates"
_DEADLINES_IN_TEMPLATES = "boards.migrations.0011_letter_deadlines"
WELSH_ONLY_IN_WALES = "Letters of an authority in England are written in English."


def give_letter_templates(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """A new authority gets its own copy of the letter templates, which its officers change; one
    in Wales gets their Welsh wording too."""
    if not created or raw:
        return
    copy_as_shipped(_TEMPLATES, instance)
    if in_wales(instance):
        copy_as_shipped(_WELSH_TEMPLATES, instance)
    copy_as_shipped(_DEADLINES_IN_TEMPLATES, instance)


def _language(template: LetterTemplate, language: str | None) -> str:
    """The language a letter is written in: the one chosen, or the authority's default (bilingual
    in Wales, unless the template has no Welsh wording yet)."""
    if language is None:
        language = selectors.default_letter_language()
        return language if template.has_welsh else LetterLanguage.ENGLISH
    if language not in LetterLanguage.values:
        raise ValidationError({"language": "Choose the language of the letter"})
    if language != LetterLanguage.ENGLISH:
        if not in_wales():
            raise ValidationError({"language": WELSH_ONLY_IN_WALES})
        if not template.has_welsh:
            raise ValidationError(
                {
                    "language": f"The template '{template.get_kind_display()}' has no Welsh wording yet: add it "
                    "on the letter templates page, or write the letter in English"
                }
            )
    return language


@attributed
def draft_letter(
    *,
    school: School,
    kind: str,
    by: User,
    decision: Decision | None = None,
    dated: date | None = None,
    force: bool = False,
    language: str | None = None,
) -> Letter:
    """A letter from the kind's template, merged with the school's and the decision's values
    and frozen; sent later. ``force`` is for services that have checked permission already.
    An authority in Wales writes it in English, Welsh or both (``LetterLanguage``; bilingual
    unless chosen otherwise): the Welsh text is merged with Welsh values (dates, the reason) and
    frozen beside the English."""
    if not force:
        require(by, OFFICERS, OFFICERS_REFUSED)
    template = _template(kind, _templates([kind]))
    dated = dated or timezone.localdate()
    letter = Letter(
        school=school,
        kind=kind,
        decision=decision,
        academic_year=decision.academic_year if decision else support_selectors.current_year(dated),
        language=_language(template, language),
        dated=dated,
        created_by=by,
    )
    _write(letter, template)
    letter.save()
    return letter


def _templates(kinds: list[str]) -> dict[str, LetterTemplate]:
    return {t.kind: t for t in LetterTemplate.objects.filter(kind__in=kinds)}


def _template(kind: str, templates: dict[str, LetterTemplate]) -> LetterTemplate:
    """The kind's template, of those read; a letter without one is refused."""
    if kind not in templates:
        raise ValidationError(f"There is no template for '{LetterKind(kind).label}'.")
    return templates[kind]


def _write(letter: Letter, template: LetterTemplate, about: _About | None = None, authority: str = "") -> None:
    """Merge the template into the letter in its language: the English with English values, the
    Welsh (of a Welsh or bilingual letter) with Welsh ones; addressed in its first language. The
    salutation names the chair when the authority has recorded them. ``about`` and ``authority``
    are read here for one letter; the annual letters read them once for the LA."""
    about = about or _about([letter.school], letter.dated, letter.academic_year)[letter.school.pk]
    chair = about.chair
    merged = {
        "decision": letter.decision,
        "dated": letter.dated,
        "year": letter.academic_year,
        "about": about,
        "kind": letter.kind,
        "authority": authority or str(current_authority()),
    }
    with translation.override("en-gb"):
        values = _letter_values(letter.school, **merged)
        recipients = letter_recipients(letter.school, chair)
    chair_name = chair.name if chair else ""
    body = merge.name_the_chair(template.body, chair_name)
    letter.subject, letter.body = merge.merge(template.subject, values), merge.merge(body, values)
    letter.subject_cy = letter.body_cy = ""
    if letter.language != LetterLanguage.ENGLISH:
        with translation.override("cy"):
            values = _letter_values(letter.school, **merged)
            if letter.language == LetterLanguage.WELSH:
                recipients = letter_recipients(letter.school, chair)
        letter.subject_cy = merge.merge(template.subject_cy, values)
        letter.body_cy = merge.merge(merge.name_the_chair(template.body_cy, chair_name, welsh=True), values)
    letter.recipients = "\n".join(recipients)


@attributed
def rewrite_letter(*, letter: Letter, language: str, by: User) -> Letter:
    """Write a draft again, from its template as it is now, in another language (an authority in
    Wales: a board's decision drafts its letter bilingually). Refused once the letter is sent: its
    words are then the ones the school read."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    if letter.sent_on:
        raise ValidationError("This letter has been sent: it keeps the words it was sent with.")
    template = _template(letter.kind, _templates([letter.kind]))
    letter.language = _language(template, language)
    _write(letter, template)
    letter.save(update_fields=["language", "subject", "body", "subject_cy", "body_cy", "recipients"])
    return letter


@attributed
def update_template(
    *,
    template: LetterTemplate,
    subject: str,
    body: str,
    by: User,
    subject_cy: str | None = None,
    body_cy: str | None = None,
) -> LetterTemplate:
    """Change a letter template. An authority in Wales changes its Welsh wording with it (both the
    subject and the letter, or neither: without them its letters are written in English only);
    ``None`` leaves the Welsh as it is."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    subject = _required(subject, "subject", "Enter the subject")
    body = _required(body, "body", "Enter the letter")
    texts = {"subject": subject, "body": body}
    if subject_cy is not None or body_cy is not None:
        subject_cy, body_cy = (subject_cy or "").strip(), (body_cy or "").strip()
        if (subject_cy or body_cy) and not in_wales():
            raise ValidationError(WELSH_ONLY_IN_WALES)
        if body_cy and not subject_cy:
            raise ValidationError({"subject_cy": "Enter the subject in Welsh, or clear the letter in Welsh"})
        if subject_cy and not body_cy:
            raise ValidationError({"body_cy": "Enter the letter in Welsh, or clear the subject in Welsh"})
        texts |= {"subject_cy": subject_cy, "body_cy": body_cy}
    errors = {}
    for field, text in texts.items():
        unknown = merge.unknown_fields(text)
        if unknown:
            names = ", ".join(u if u == merge.STRAY else "{" + u + "}" for u in unknown)
            errors[field] = f"Unknown merge fields: {names}. Use only those listed."
    if errors:
        raise ValidationError(errors)
    for field, text in texts.items():
        setattr(template, field, text)
    template.updated_by = by
    template.save()
    return template


@attributed
def mark_sent(*, letter: Letter, by: User, sent_on: date, recipients: str) -> Letter:
    """Record the letter as sent; the decision it carries is then communicated to the school."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    if letter.sent_on:
        raise ValidationError("This letter has already been sent.")
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": "A letter cannot be sent in the future"})
    if sent_on < letter.dated:
        raise ValidationError({"sent_on": f"A letter cannot be sent before its date ({letter.dated:%-d %B %Y})"})
    recipients = _required(recipients, "recipients", "Enter who the letter goes to")
    with transaction.atomic():
        letter.sent_on, letter.sent_by, letter.recipients = sent_on, by, recipients
        letter.save(update_fields=["sent_on", "sent_by", "recipients"])
        if letter.decision and not letter.decision.communicated_on:
            letter.decision.communicated_on = sent_on
            letter.decision.save(update_fields=["communicated_on"])
    return letter


@attributed
def annual_letters(*, year: int, by: User, la_id: int, language: str | None = None) -> int:
    """Letters to every maintained school of the LA saying whether it is a priority for support
    this year and why (seed 004): from the templates, not yet sent, in ``language`` (an authority
    in Wales; bilingual by default). Returns how many."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    on_list = {
        e.school_id: e
        for e in PriorityEntry.objects.filter(
            academic_year=year, status=PriorityEntry.Status.ON_LIST, school__la_id=la_id
        )
    }
    latest = {
        d.school_id: d
        for d in Decision.objects.filter(academic_year=year, kind=Decision.Kind.ADD, school_id__in=on_list)
        .select_related("meeting")
        .order_by("decided_at")
    }
    kinds = [LetterKind.PRIORITY, LetterKind.NOT_PRIORITY]
    already = set(
        Letter.objects.filter(academic_year=year, kind__in=kinds, school__la_id=la_id).values_list(
            "school_id", flat=True
        )
    )
    schools = list(
        School.objects.filter(maintained_in_remit(), la_id=la_id).exclude(pk__in=already).select_related("la")
    )
    templates = _templates(kinds)
    languages: dict[str, str] = {}
    dated = timezone.localdate()
    about = _about(schools, dated, year)
    authority = str(current_authority())
    letters = []
    for school in schools:
        kind = LetterKind.PRIORITY if school.pk in on_list else LetterKind.NOT_PRIORITY
        template = _template(kind, templates)
        if kind not in languages:
            languages[kind] = _language(template, language)
        letter = Letter(
            school=school,
            kind=kind,
            decision=latest.get(school.pk),
            academic_year=year,
            language=languages[kind],
            dated=dated,
            created_by=by,
        )
        _write(letter, template, about[school.pk], authority)
        letters.append(letter)
    with transaction.atomic():
        audit.bulk_create(Letter, letters)
    return len(letters)


# Warning notices ------------------------------------------------------------------------------------------------


def _recommended_on(meeting: BoardMeeting | None) -> date:
    """The date of the board's recommendation (seed 004: SIAB recommends, BEP informs the DCS): the meeting's date,
    or today when the decision is recorded outside a meeting or ahead of the meeting's date."""
    today = timezone.localdate()
    return min(meeting.meets_on, today) if meeting else today


@attributed
def notice_step(
    *,
    notice: WarningNotice,
    step: str,
    by: User,
    on: date,
    comment: str = "",
    grounds: list[str] | None = None,
    compliance_period_days: int | None = None,
    required_action: str = "",
    recipients: str = "",
    escalation: str = "",
    comply_by: date | None = None,
    outcome: str = "",
) -> WarningNotice:
    """Take the next step of a warning notice, dated ``on``. Refused (ValidationError naming both dates) when
    the step's date is before the step it follows, or in the future. The DCS's response is reported back to the
    board on the decision (seed 004: "the DCS response ... and the actions taken")."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    academy = not notice.school.is_maintained
    try:
        after = notices.check(step, notice.status, academy=academy)
    except notices.NotAllowed as exc:
        raise ValidationError(str(exc)) from exc
    step = notices.Step(step)
    field = _STEP_DATE[step]
    setattr(notice, field, on)
    if step in (notices.Step.ACCEPT, notices.Step.DECLINE):
        notice.dcs_comment = comment.strip()
    elif step == notices.Step.ISSUE:
        _issue(notice, grounds, compliance_period_days, required_action, recipients)
    elif step == notices.Step.ESCALATE:
        if escalation not in WarningNotice.Escalation.values:
            raise ValidationError({"escalation": "Choose how the notice is escalated"})
        notice.escalation = escalation
    elif step == notices.Step.RD_ISSUE:
        if comply_by is None:
            raise ValidationError({"comply_by": "Enter the date the regional director's notice is to be complied with"})
        notice.rd_comply_by = comply_by
    elif step == notices.Step.RD_CLOSE:
        if outcome not in WarningNotice.RdOutcome.values:
            raise ValidationError({"outcome": "Choose the outcome of the regional director's notice"})
        notice.rd_outcome = outcome
    problems = notices.date_problems(notice.dates(), timezone.localdate())
    if problems:
        form_field = {field: "on", "compliance_deadline": "compliance_period_days", "rd_comply_by": "comply_by"}
        raise ValidationError({form_field.get(name, NON_FIELD_ERRORS): message for name, message in problems.items()})
    if comment.strip() and step not in (notices.Step.ACCEPT, notices.Step.DECLINE):
        notice.notes = (notice.notes + "\n" if notice.notes else "") + f"{on:%d/%m/%Y}: {comment.strip()}"
    notice.status, notice.updated_by = after.value, by
    with transaction.atomic():
        if notice.decision_id and step in _REPORTED:
            _report_back(notice, step, on)
        notice.save()
    return notice


_STEP_DATE = {
    notices.Step.ACCEPT: "dcs_response_on",
    notices.Step.DECLINE: "dcs_response_on",
    notices.Step.REFER: "referred_on",
    notices.Step.ISSUE: "issued_on",
    notices.Step.COMPLY: "complied_on",
    notices.Step.LIFT: "lifted_on",
    notices.Step.ESCALATE: "escalated_on",
    notices.Step.RD_ISSUE: "rd_notice_on",
    notices.Step.RD_NO_NOTICE: "rd_outcome_on",
    notices.Step.RD_CLOSE: "rd_outcome_on",
}


def _issue(
    notice: WarningNotice, grounds: list[str] | None, period: int | None, required_action: str, recipients: str
) -> None:
    """What the notice must say (s60(4); Wales: 2013 Act s3(2)): the grounds, the action required and the
    compliance period, which the LA sets (s60(1)(b) as amended in 2016); the deadline counts from the issue date."""
    welsh = notice.school.is_welsh
    if not grounds or any(g not in dict(WarningNotice.ground_choices(welsh=welsh)) for g in grounds):
        raise ValidationError({"grounds": "Choose at least one ground for the notice"})
    if not period or period < 1:
        raise ValidationError({"compliance_period_days": "Enter the compliance period in days"})
    notice.required_action = _required(
        required_action, "required_action", "Enter what the governing body must do to comply"
    )
    notice.grounds, notice.compliance_period_days = list(grounds), period
    notice.compliance_deadline = notices.compliance_deadline(notice.issued_on, period)
    notice.recipients = recipients.strip() or "\n".join(
        notices.default_recipients(
            school_name=notice.school.name,
            head=notice.school.headteacher_name,
            church_school=notice.school.is_church_school,
            diocese=notice.school.diocese_name,
            welsh=welsh,
        )
    )


_REPORTED = {
    notices.Step.ACCEPT: "The DCS accepted the recommendation on {on}",
    notices.Step.DECLINE: "The DCS declined the recommendation on {on}",
    notices.Step.ISSUE: "The warning notice was issued on {on}",
    notices.Step.RD_ISSUE: "The regional director gave a termination warning notice on {on}",
    notices.Step.RD_NO_NOTICE: "The regional director gave no notice ({on})",
    notices.Step.RD_CLOSE: "The regional director's notice concluded on {on}: {outcome}",
}


def _report_back(notice: WarningNotice, step: notices.Step, on: date) -> None:
    """Seed 004: the DCS's response and the action taken are reported back to the board, on its decision (for an
    academy, what the regional director did)."""
    outcome = notice.get_rd_outcome_display().lower() if notice.rd_outcome else ""
    said = _REPORTED[step].format(on=f"{on.day} {on:%B %Y}", outcome=outcome)
    decision = notice.decision
    decision.outcome = f"{decision.outcome.rstrip('.')}. {said}" if decision.outcome else said
    decision.save(update_fields=["outcome"])


# Escalations, concern meetings, inspections of priority schools -------------------------------------------------


@attributed
def escalate(*, school: School, by: User, reason: str) -> Escalation:
    """A partner (or officer) reports that engagement or progress has stalled."""
    require(by, roles(OFFICER, ADMIN, PARTNER), ESCALATION_REFUSED)
    if not visible_schools(by).filter(pk=school.pk).exists():
        raise PermissionDenied(ESCALATION_REFUSED)
    reason = _required(reason, "reason", "Say what is preventing progress")
    return Escalation.objects.create(school=school, raised_by=by, reason=reason)


@attributed
def update_escalation(
    *, escalation: Escalation, by: User, status: str, outcome: str, eig_meeting_on: date | None
) -> Escalation:
    require(by, OFFICERS, OFFICERS_REFUSED)
    if status not in Escalation.Status.values:
        raise ValidationError({"status": "Choose where the escalation stands"})
    if status == Escalation.Status.TO_EIG and not eig_meeting_on:
        raise ValidationError({"eig_meeting_on": "Enter the date of the Education Improvement Group meeting"})
    if status == Escalation.Status.RESOLVED and not outcome.strip():
        raise ValidationError({"outcome": "Record how the escalation was resolved"})
    escalation.status, escalation.outcome, escalation.eig_meeting_on = status, outcome.strip(), eig_meeting_on
    escalation.updated_by = by
    escalation.save()
    return escalation


@attributed
def recommend_notice_after_escalation(*, escalation: Escalation, by: User, rationale: str) -> WarningNotice:
    """The escalation did not unblock the school: officers recommend a formal warning notice (seed 004:
    "If there is non-compliance or a lack of progress, the issues will be escalated and the issue of
    a formal warning notice considered"), which then follows the warning notice's path as one the
    board recommends; the notice and the escalation name each other. Once per escalation."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    rationale = _required(rationale, "rationale", "Enter why a formal warning notice is needed")
    sent_to = (
        "the DfE regional director (academy)"
        if not escalation.school.is_maintained
        else "the Director of Children's Services"
    )
    with transaction.atomic():
        if WarningNotice.objects.filter(from_escalation=escalation).exists():  # and unique in the database
            raise ValidationError("A warning notice has already been recommended after this escalation.")
        return WarningNotice.objects.create(
            school=escalation.school,
            from_escalation=escalation,
            rationale=rationale,
            recommended_on=timezone.localdate(),
            notes=f"Recommended after the escalation of {escalation.raised_on:%-d %B %Y}; sent to {sent_to}",
            updated_by=by,
        )


@attributed
def record_concern_meeting(
    *,
    by: User,
    held_on: date,
    attendees: str,
    notes: str,
    school_ids: list[int],
    actions: list[tuple[str, str, date, int | None]] = (),
) -> ConcernMeeting:
    require(by, OFFICERS, OFFICERS_REFUSED)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "A meeting cannot be held in the future"})
    attendees = _required(attendees, "attendees", "Enter who attended")
    with transaction.atomic():
        meeting = ConcernMeeting.objects.create(
            held_on=held_on, attendees=attendees, notes=notes.strip(), created_by=by
        )
        meeting.schools.set(school_ids)
        audit.bulk_create(
            ConcernAction,
            (
                ConcernAction(
                    meeting=meeting, description=d.strip(), owner=o.strip(), deadline=when, school_id=school_id
                )
                for d, o, when, school_id in actions
            ),
        )
    return meeting


@attributed
def log_inspection_notice(
    *, school: School, by: User, notified_on: date, starts_on: date, partner_attending: User | None
) -> InspectionNotice:
    require(by, OFFICERS, OFFICERS_REFUSED)
    if starts_on < notified_on:
        raise ValidationError({"starts_on": "The inspection starts on or after the day of notification"})
    return InspectionNotice.objects.create(
        school=school, notified_on=notified_on, starts_on=starts_on, partner_attending=partner_attending, recorded_by=by
    )


@attributed
def record_inspection_feedback(
    *, notice: InspectionNotice, by: User, feedback_notes: str, further_support_indicated: bool | None
) -> InspectionNotice:
    """The partner who attended (or an officer) records the verbal feedback."""
    if not (has_role(by, OFFICERS) or by.pk == notice.partner_attending_id):
        raise PermissionDenied("Only the partner who attended or an LA officer records the feedback.")
    notice.feedback_notes = _required(feedback_notes, "feedback_notes", "Enter the notes of the feedback")
    notice.further_support_indicated = further_support_indicated
    notice.save(update_fields=["feedback_notes", "further_support_indicated"])
    return notice


@attributed
def record_inspection_outcome(*, notice: InspectionNotice, by: User, grades: dict[str, int], safeguarding_met: bool):
    """Enter a report-card outcome before the Ofsted file brings it: the inspection is recorded
    (numbered after the notice, so the published record can be told apart) and the school is
    reassessed."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    if selectors.published_inspection(notice) is not None:
        raise ValidationError("The outcome of this inspection is already recorded.")
    missing = [area for area in ofsted.REPORT_CARD_AREAS_REQUIRED if grades.get(area) is None]
    if missing:
        raise ValidationError({missing[0]: "Enter the grade of every evaluation area"})
    concern = ofsted.report_card_concern(grades, safeguarding_met)
    with transaction.atomic():
        inspection = Inspection.objects.create(
            inspection_number=f"LA-{notice.pk}",
            school=notice.school,
            shape=ofsted.Shape.REPORT_CARD,
            inspection_type="Report card inspection (entered by the LA)",
            start_date=notice.starts_on,
            category_of_concern=concern,
            rc_safeguarding_met=safeguarding_met,
            **{area: grade for area, grade in grades.items() if grade is not None},
        )
        notice.inspection = inspection
        notice.save(update_fields=["inspection"])
        refresh_latest_inspections({notice.school_id})
        # The school's latest outcome changed: the register's figures kept are read again.
        transaction.on_commit(forget_choices)
        enqueue_recategorisation(trigger="school", school_ids=[notice.school_id])
    return inspection


def next_meeting(today: date | None = None) -> BoardMeeting | None:
    today = today or timezone.localdate()
    return (
        BoardMeeting.objects.filter(meets_on__gte=today, status=BoardMeeting.Status.SCHEDULED)
        .order_by("meets_on")
        .first()
    )


def default_first_meeting(today: date | None = None) -> date:
    """The next Wednesday, a usual board day."""
    today = today or timezone.localdate()
    return today + timedelta(days=(2 - today.weekday()) % 7 or 7)
