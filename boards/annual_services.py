"""Writes for Birmingham's annual identification (seed 004, stage 1): the visit that agrees with
the head of a newly vulnerable school whether it is a priority, and the September notification
of academies of concern to the regional director and the Education Improvement Group."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.access import require
from accounts.audit import attributed
from accounts.models import User
from accounts.policy import OFFICERS
from boards import annual_selectors as selectors
from boards.models import AcademyNotification, Decision, PriorityEntry, VulnerabilityVisit
from schools.models import School

OFFICERS_REFUSED = "Only LA officers can do this."


def _text(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ValidationError({field: message})
    return value.strip()


@attributed
def record_vulnerability_visit(
    *,
    school: School,
    year: int,
    contacted_on: date,
    visited_on: date,
    visited_by: User,
    outcome: str,
    reasons: str,
    by: User,
) -> VulnerabilityVisit:
    """Record the visit to the head of a good or outstanding maintained school found vulnerable
    for the first time, and let what was agreed feed the list (seed 004, stage 1): agreed a
    priority, the school is proposed as vulnerable; agreed not a priority, its proposal is not
    added, with the reasons as the decision's rationale; not agreed, it stays proposed for the
    board to decide."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    reasons = _text(reasons, "reasons", "Enter what was discussed and why this was agreed")
    if not school.is_maintained or school.ofsted_outcome not in selectors.GOOD_OR_BETTER:
        raise ValidationError("This visit is for maintained schools whose latest inspection is good or outstanding.")
    if visited_on < contacted_on:
        raise ValidationError({"visited_on": "The visit must be on or after the day the head was contacted"})
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": "The visit must be today or in the past"})
    if outcome not in VulnerabilityVisit.Outcome.values:
        raise ValidationError({"outcome": "Select what was agreed"})
    if VulnerabilityVisit.objects.filter(school=school, academic_year=year).exists():
        raise ValidationError("The visit for this school this year is already recorded.")
    today = timezone.localdate()
    with transaction.atomic():
        visit = VulnerabilityVisit.objects.create(
            school=school,
            academic_year=year,
            contacted_on=contacted_on,
            visited_on=visited_on,
            visited_by=visited_by,
            outcome=outcome,
            reasons=reasons,
        )
        said = f"Headteacher visited {visited_on:%-d %B %Y}. {visit.get_outcome_display()}. {reasons}"
        entry = PriorityEntry.objects.select_for_update().filter(school=school, academic_year=year).first()
        if outcome == VulnerabilityVisit.Outcome.AGREED_NOT_PRIORITY:
            if entry and entry.status == PriorityEntry.Status.PROPOSED:
                entry.status, entry.evidence = PriorityEntry.Status.NOT_ADDED, f"{entry.evidence}\n{said}".strip()
                entry.save(update_fields=["status", "evidence", "updated_at"])
                Decision.objects.create(
                    school=school,
                    academic_year=year,
                    kind=Decision.Kind.NO_CHANGE,
                    rationale=reasons,
                    outcome="Agreed with the headteacher: not a priority for support; not added to the list",
                    decided_by=by,
                )
        elif entry is None:
            PriorityEntry.objects.create(
                school=school,
                academic_year=year,
                reason=PriorityEntry.Reason.VULNERABLE,
                evidence=said,
                status=PriorityEntry.Status.PROPOSED,
                source=PriorityEntry.Source.ANNUAL,
                proposed_on=today,
            )
        elif entry.status == PriorityEntry.Status.PROPOSED:
            entry.evidence = f"{entry.evidence}\n{said}".strip()
            entry.save(update_fields=["evidence", "updated_at"])
    return visit


@attributed
def notify_academy_concerns(
    *,
    year: int,
    notified_on: date,
    schools: list[School],
    summary: str,
    to_regional_director: bool,
    to_improvement_group: bool,
    by: User,
) -> AcademyNotification:
    """Record that the academies of significant concern were notified to the DfE regional director
    and the Education Improvement Group (seed 004: "in September"), with the concerns each had
    when notified, so the record stands when the assessments move on."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    summary = _text(summary, "summary", "Enter the letter or summary sent")
    if not schools:
        raise ValidationError({"schools": "Select the academies notified"})
    if not (to_regional_director or to_improvement_group):
        raise ValidationError({"to_regional_director": "Select who was notified"})
    if notified_on > timezone.localdate():
        raise ValidationError({"notified_on": "The date notified must be today or in the past"})
    concerns = {c.school.pk: c.concerns for c in selectors.academy_concerns()}
    with transaction.atomic():
        notification = AcademyNotification.objects.create(
            academic_year=year,
            notified_on=notified_on,
            notified_by=by,
            to_regional_director=to_regional_director,
            to_improvement_group=to_improvement_group,
            summary=summary,
            concerns={str(s.urn): list(concerns.get(s.pk, ())) for s in schools},
        )
        notification.schools.set(schools)
    return notification
