"""Writes for the quality assurance of partners (seed 004), statutory assessment moderation and an
Overview school's single school or partnership option (seed 000)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.access import has_role, require
from accounts.audit import attributed
from accounts.models import User
from accounts.policy import BOARD, OFFICERS, roles
from core.calendar import academic_year_label, year_span
from schools.access import remit
from schools.models import School
from support.models import (
    AssessmentModeration,
    OverviewOption,
    PartnerProfile,
    PartnerQualityRecord,
    PartnerTraining,
    SupportPackage,
)

ONLY_OFFICERS = "Only LA officers can do this."
# Who may shadow a partner's visit: "the DCSI or one of the SIAB" (seed 004).
SHADOWERS = OFFICERS | roles(BOARD)
OVERVIEW = "overview"


def _in_year(value: date | None, year: int, field: str, errors: dict) -> None:
    start, end = year_span(year)
    if value is not None and not start <= value <= end:
        errors[field] = f"Enter a date in {academic_year_label(year)}"


def _check_record(record: PartnerQualityRecord) -> None:
    """The record as seed 004 has it: a review after the partner's own self-assessment and by
    someone named, a visit of the partner's own shadowed by an officer or a board member, and no
    more questionnaire responses than were sent."""
    errors: dict[str, str] = {}
    year = record.academic_year
    for field in ("inducted_on", "self_assessed_on", "reviewed_on"):
        _in_year(getattr(record, field), year, field, errors)
    if record.reviewed_on is not None:
        if record.self_assessed_on is None or record.self_assessed_on > record.reviewed_on:
            errors["self_assessed_on"] = "Enter the date of the partner's self-assessment, on or before the review"
        if record.reviewed_by is None:
            errors["reviewed_by"] = "Choose who held the review"
    visit = record.shadowed_visit
    if visit is not None:
        start, end = year_span(year)
        if visit.visitor_id != record.partner.user_id or not start <= visit.scheduled_for <= end:
            errors["shadowed_visit"] = "Choose one of the partner's visits this year"
        if record.shadowed_by is None or not has_role(record.shadowed_by, SHADOWERS):
            errors["shadowed_by"] = "Choose the officer or board member who shadowed the visit"
    sent, responses = record.questionnaires_sent, record.questionnaire_responses
    if sent is not None and responses is not None and responses > sent:
        errors["questionnaire_responses"] = "Enter no more responses than questionnaires sent"
    if record.questionnaire_score is not None and not responses:
        errors["questionnaire_score"] = "Enter the number of responses the score comes from"
    if errors:
        raise ValidationError(errors)


@attributed
def save_quality_record(*, partner: PartnerProfile, year: int, by: User, **fields) -> PartnerQualityRecord:
    """Record the partner's quality assurance for the year (induction, shadowing, performance
    review, the heads' questionnaire results): seed 004, "Quality Assurance of the work of
    Priority Partners"."""
    require(by, OFFICERS, ONLY_OFFICERS)
    with transaction.atomic():
        record = PartnerQualityRecord.objects.select_for_update().filter(partner=partner, academic_year=year).first()
        record = record or PartnerQualityRecord(partner=partner, academic_year=year)
        for name, value in fields.items():
            setattr(record, name, value)
        _check_record(record)
        record.save()
    return record


@attributed
def record_training(
    *, partner: PartnerProfile, year: int, by: User, kind: str, attended_on: date, title: str = ""
) -> PartnerTraining:
    """Record training the partner attended in the year: a Keep in Touch event (at least termly),
    local Ofsted training, a conference or team meeting."""
    require(by, OFFICERS, ONLY_OFFICERS)
    errors: dict[str, str] = {}
    _in_year(attended_on, year, "attended_on", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record, _ = PartnerQualityRecord.objects.get_or_create(partner=partner, academic_year=year)
        return PartnerTraining.objects.create(record=record, kind=kind, title=title.strip(), attended_on=attended_on)


@attributed
def record_moderation(
    *,
    school: School,
    year: int,
    stage: str,
    moderated_on: date,
    outcome: str,
    moderator: str,
    by: User,
    notes: str = "",
) -> AssessmentModeration:
    """Record the statutory moderation of a school's teacher assessment (seed 000: "statutory
    moderation processes"), once per school, year and assessment."""
    require(by, OFFICERS, ONLY_OFFICERS)
    errors: dict[str, str] = {}
    _in_year(moderated_on, year, "moderated_on", errors)
    if not remit().filter(pk=school.pk).exists():
        errors["urn"] = "Enter the URN of a school the authority supports"
    if AssessmentModeration.objects.filter(school=school, academic_year=year, stage=stage).exists():
        errors["stage"] = f"{school.name} already has this moderation recorded for {academic_year_label(year)}"
    if errors:
        raise ValidationError(errors)
    return AssessmentModeration.objects.create(
        school=school,
        academic_year=year,
        stage=stage,
        moderated_on=moderated_on,
        outcome=outcome,
        moderator=moderator.strip(),
        notes=notes.strip(),
        recorded_by=by,
    )


@attributed
def choose_overview_option(
    *, package: SupportPackage | None, option: str, by: User, partner_urns: list[int] | None = None
) -> SupportPackage:
    """How an Overview school takes its adviser's day (seed 000: "One day support from the School
    Improvement Adviser. This can be either a single school option or a partnership option"): alone,
    or shared with the partner schools named by URN (schools of the authority's remit)."""
    require(by, OFFICERS, ONLY_OFFICERS)
    if package is None:
        raise ValidationError("Set up the school's support for the year first.")
    if package.category.code != OVERVIEW:
        raise ValidationError("Only an Overview school's support has a single school or partnership option.")
    others: list[School] = []
    if option == OverviewOption.PARTNERSHIP:
        urns = set(partner_urns or []) - {package.school.urn}
        others = list(remit().filter(urn__in=urns))
        if missing := urns - {s.urn for s in others}:
            raise ValidationError({"partner_urns": f"No school the authority supports has URN {min(missing)}"})
        if not others:
            raise ValidationError({"partner_urns": "Enter the URNs of the schools in the partnership"})
    with transaction.atomic():
        package.overview_option = option
        package.save(update_fields=["overview_option"])
        package.partner_schools.set(others)
    return package
