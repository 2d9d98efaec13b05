"""Writes for a Welsh authority's school-improvement processes (seed 001): informal warning notices and
recovery plans before the statutory warning notice (School Standards and Organisation (Wales) Act 2013,
ss. 2–3), monthly risk management conferences, termly target reviews by the challenge adviser, and
consultant governors for amber and red schools. Each checks who may act and that the authority (and
the school) is in Wales, validates, writes in one transaction and is audited (``@attributed``)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.access import has_role, require
from accounts.audit import attributed
from accounts.audit import bulk as audit
from accounts.authorities import in_wales
from accounts.models import User
from accounts.policy import OFFICERS, PARTNER, roles
from boards import welsh_selectors as selectors
from boards.models import (
    ConcernAction,
    ConcernMeeting,
    ConferenceAttendee,
    InformalWarningNotice,
    SchoolRisk,
    TargetProgress,
    TargetReview,
    WarningNotice,
)
from schools.access import remit, visible_schools
from schools.models import School
from support import services as support_services
from support.models import ActionPlan, BrokeredSupport
from support.selectors import current_year

OFFICERS_REFUSED = "Only LA officers can do this."
WALES_ONLY = "Only a local authority in Wales does this."
REVIEWERS_REFUSED = "Only the school's challenge adviser or an LA officer reviews its targets."


def _required(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ValidationError({field: message})
    return value.strip()


def _not_future(day: date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{what} cannot be in the future"})


def _in_wales(school: School | None = None) -> None:
    if not in_wales():
        raise ValidationError(WALES_ONLY)
    if school is not None and not school.is_welsh:
        raise ValidationError(f"{school.name} is not a school in Wales.")


def _in_remit(school: School) -> None:
    if not remit().filter(pk=school.pk).exists():
        raise ValidationError(f"{school.name} is not one of the authority's schools.")


# Informal warning notices and recovery plans ---------------------------------------------------------------


@attributed
def issue_informal_notice(
    *, school: School, by: User, issued_on: date, concerns: str, improvements: str, improve_by: date
) -> InformalWarningNotice:
    """An officer issues an informal warning notice (seed 001), before any statutory warning notice
    under the 2013 Act, s3. The school's action plan for the year is linked as its recovery plan, made
    now if the school has none (one plan per school and year: the recovery plan is that plan)."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    _in_wales(school)
    _in_remit(school)
    concerns = _required(concerns, "concerns", "Enter the concerns")
    improvements = _required(improvements, "improvements", "Enter what must improve")
    _not_future(issued_on, "issued_on", "The date of issue")
    if improve_by < issued_on:
        raise ValidationError({"improve_by": "The date to improve by must be on or after the date of issue"})
    with transaction.atomic():
        if (
            InformalWarningNotice.objects.select_for_update()
            .filter(school=school, status=InformalWarningNotice.Status.ISSUED)
            .exists()
        ):
            raise ValidationError(
                f"{school.name} already has an informal warning notice in force: lift or escalate it."
            )
        year = current_year(issued_on)
        plan = ActionPlan.objects.filter(school=school, academic_year=year).first()
        if plan is None:
            plan = support_services.create_plan(school=school, year=year, by=by)
        return InformalWarningNotice.objects.create(
            school=school,
            issued_on=issued_on,
            concerns=concerns,
            improvements=improvements,
            improve_by=improve_by,
            recovery_plan=plan,
            issued_by=by,
        )


def _in_force(notice: InformalWarningNotice) -> None:
    _in_wales(notice.school)
    if notice.status != InformalWarningNotice.Status.ISSUED:
        raise ValidationError(f"This informal warning notice is {notice.get_status_display().lower()} already.")


@attributed
def lift_informal_notice(*, notice: InformalWarningNotice, by: User, lifted_on: date, reason: str):
    """The school has improved: the notice is lifted, with when and why (seed 001: "two informal
    warning notices ... were lifted")."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    _in_force(notice)
    reason = _required(reason, "reason", "Enter why the notice is lifted")
    _not_future(lifted_on, "lifted_on", "The date the notice is lifted")
    if lifted_on < notice.issued_on:
        raise ValidationError({"lifted_on": "A notice cannot be lifted before it was issued"})
    notice.status, notice.lifted_on, notice.lift_reason, notice.updated_by = (
        InformalWarningNotice.Status.LIFTED,
        lifted_on,
        reason,
        by,
    )
    notice.save()
    return notice


@attributed
def escalate_informal_notice(
    *, notice: InformalWarningNotice, by: User, escalated_on: date, rationale: str
) -> WarningNotice:
    """The school has not improved enough: a formal warning notice is recommended, which then follows
    the warning notice's path (response, issue on grounds 1 to 6 of the 2013 Act's s2, compliance,
    lifting or escalation) as any other, citing the 2013 Act because the school is in Wales."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    _in_force(notice)
    rationale = _required(rationale, "rationale", "Enter why a formal warning notice is needed")
    _not_future(escalated_on, "escalated_on", "The date of the escalation")
    if escalated_on < notice.issued_on:
        raise ValidationError({"escalated_on": "A notice cannot be escalated before it was issued"})
    with transaction.atomic():
        formal = WarningNotice.objects.create(
            school=notice.school,
            rationale=f"Escalated from the informal warning notice of {notice.issued_on:%-d %B %Y}: {rationale}",
            recommended_on=escalated_on,
            updated_by=by,
        )
        notice.status, notice.escalated_on, notice.formal_notice, notice.updated_by = (
            InformalWarningNotice.Status.ESCALATED,
            escalated_on,
            formal,
            by,
        )
        notice.save()
    return formal


# Risk management conferences ----------------------------------------------------------------------------------


@attributed
def record_risk_conference(
    *,
    by: User,
    held_on: date,
    attendees: list[tuple[str, str]],
    risks: list[tuple[int, str, str]],
    actions: list[tuple[str, str, date, int | None]] = (),
    notes: str = "",
) -> ConcernMeeting:
    """The monthly risk management conference (seed 001): who attended in which role (name, role), the
    schools with identified risks and what was decided for each (school id, risks, decision), and the
    actions agreed (description, owner, due date, school id or None). It is a ``ConcernMeeting`` of
    the risk-conference kind, so its actions are ``ConcernAction`` rows like any concern meeting's."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    _in_wales()
    _not_future(held_on, "held_on", "The date of the conference")
    attendees = [(n.strip(), r.strip()) for n, r in attendees if n.strip()]
    if not attendees:
        raise ValidationError({"attendees": "Enter who attended"})
    if any(not r for _, r in attendees):
        raise ValidationError({"attendees": "Enter the role of each person who attended"})
    if not risks:
        raise ValidationError({"risks": "Enter at least one school discussed, with its risks"})
    school_ids = [s for s, _, _ in risks]
    if len(set(school_ids)) != len(school_ids):
        raise ValidationError({"risks": "Enter each school once"})
    if remit().filter(pk__in=school_ids).count() != len(school_ids):
        raise ValidationError({"risks": "Every school discussed must be one of the authority's schools"})
    if any(not r.strip() for _, r, _ in risks):
        raise ValidationError({"risks": "Enter the risks identified for each school"})
    with transaction.atomic():
        meeting = ConcernMeeting.objects.create(
            kind=ConcernMeeting.Kind.RISK_CONFERENCE,
            held_on=held_on,
            attendees="\n".join(f"{name}, {role}" for name, role in attendees),
            notes=notes.strip(),
            created_by=by,
        )
        meeting.schools.set(school_ids)
        audit.bulk_create(
            ConferenceAttendee, [ConferenceAttendee(meeting=meeting, name=n, role=r) for n, r in attendees]
        )
        audit.bulk_create(
            SchoolRisk,
            [SchoolRisk(meeting=meeting, school_id=s, risks=r.strip(), decision=d.strip()) for s, r, d in risks],
        )
        audit.bulk_create(
            ConcernAction,
            [
                ConcernAction(meeting=meeting, description=d.strip(), owner=o.strip(), deadline=when, school_id=s)
                for d, o, when, s in actions
            ],
        )
    return meeting


@attributed
def complete_conference_action(*, action: ConcernAction, by: User) -> ConcernAction:
    """Mark an action agreed at a risk management conference as done (reviewed at the next one)."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    _in_wales()
    if action.done:
        raise ValidationError("This action is already done.")
    action.done = True
    action.save(update_fields=["done"])
    return action


# Termly target reviews ----------------------------------------------------------------------------------------


@attributed
def record_target_review(
    *,
    school: School,
    by: User,
    reviewed_on: date,
    targets: list[dict],
    comment: str = "",
) -> TargetReview:
    """The challenge adviser (the school's priority partner) or an officer records the term's review
    of progress towards the school's school-level and pupil-level targets (seed 001: "reviewed in each
    school termly by the Challenge Adviser"). Each target: level, target, baseline, current, on_track,
    comment. One review a school a term: the term is the one ``reviewed_on`` falls in."""
    if not has_role(by, OFFICERS | roles(PARTNER)):
        raise PermissionDenied(REVIEWERS_REFUSED)
    if not visible_schools(by).filter(pk=school.pk).exists():
        raise PermissionDenied(REVIEWERS_REFUSED)
    _in_wales(school)
    _not_future(reviewed_on, "reviewed_on", "The date of the review")
    if not targets:
        raise ValidationError({"targets": "Enter at least one target"})
    for n, t in enumerate(targets, 1):
        for name, what in (("target", "the target"), ("baseline", "the baseline"), ("current", "where it is now")):
            if not str(t.get(name, "")).strip():
                raise ValidationError({"targets": f"Enter {what} for target {n}"})
        if t.get("level") not in TargetProgress.Level.values:
            raise ValidationError({"targets": f"Say whether target {n} is a school-level or a pupil-level target"})
        if t.get("on_track") is None:
            raise ValidationError({"targets": f"Say whether target {n} is on track"})
    year = current_year(reviewed_on)
    term = selectors.term_of(reviewed_on, selectors.half_terms(year))
    with transaction.atomic():
        if TargetReview.objects.filter(school=school, academic_year=year, term=term).exists():
            label = TargetReview.Term(term).label.lower()
            raise ValidationError({"reviewed_on": f"{school.name} already has its target review for the {label}"})
        review = TargetReview.objects.create(
            school=school,
            academic_year=year,
            term=term,
            reviewed_on=reviewed_on,
            reviewed_by=by,
            comment=comment.strip(),
        )
        audit.bulk_create(
            TargetProgress,
            [
                TargetProgress(
                    review=review,
                    level=t["level"],
                    target=t["target"].strip(),
                    baseline=t["baseline"].strip(),
                    current=t["current"].strip(),
                    on_track=bool(t["on_track"]),
                    comment=(t.get("comment") or "").strip(),
                )
                for t in targets
            ],
        )
    return review


# Consultant governors --------------------------------------------------------------------------------------


@attributed
def broker_consultant_governor(
    *,
    school: School,
    by: User,
    name: str,
    starts: date,
    ends: date | None = None,
    purpose: str = "",
    funding_source: str = BrokeredSupport.Funding.LOCAL_AUTHORITY,
) -> BrokeredSupport:
    """Broker a consultant governor to support the governing body of an amber or red school (agreed
    category) and to peer review it (seed 001: "Facilitate the brokering of consultant governors to
    support the Governing Bodies of all amber schools and to provide a peer review of the Governing
    Body"). Recorded as brokered support, so it counts with the school's other brokered support."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    _in_wales(school)
    _in_remit(school)
    code = selectors.agreed_category_code(school)
    if code not in selectors.GOVERNOR_CATEGORIES:
        raise ValidationError(
            f"{school.name} is not amber or red: consultant governors are brokered for amber and red schools."
        )
    name = _required(name, "name", "Enter the consultant governor's name")
    if ends is not None and ends < starts:
        raise ValidationError({"ends": "The end date must be on or after the start date"})
    item = BrokeredSupport(
        school=school,
        academic_year=current_year(starts),
        provider_type=BrokeredSupport.Provider.CONSULTANT_GOVERNOR,
        provider=name,
        purpose=purpose.strip() or "Support and peer review of the governing body",
        starts=starts,
        ends=ends,
        funding_source=funding_source,
        recorded_by=by,
    )
    item.full_clean()
    item.save()
    return item


@attributed
def record_governor_peer_review(*, governor: BrokeredSupport, by: User, done_on: date) -> BrokeredSupport:
    """The consultant governor's peer review of the governing body is done."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    _in_wales(governor.school)
    if governor.provider_type != BrokeredSupport.Provider.CONSULTANT_GOVERNOR:
        raise ValidationError("Only a consultant governor peer reviews the governing body.")
    _not_future(done_on, "done_on", "The date of the peer review")
    if done_on < governor.starts:
        raise ValidationError({"done_on": "The peer review cannot be done before the consultant governor starts"})
    governor.peer_review_on = done_on
    governor.save(update_fields=["peer_review_on"])
    return governor
