"""Pages for the quality assurance of partners (seed 004), statutory assessment moderation and an
Overview school's single school or partnership option (seed 000)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse

from accounts import permissions
from accounts.access import permission
from core import exports
from core.calendar import academic_year_label
from core.exports import Column
from core.pages import form_page
from core.query import year_asked
from schools.access import get_for, remit
from schools.models import School
from support import quality, quality_selectors, quality_services, selectors
from support.quality_forms import ModerationForm, OverviewOptionForm, QualityRecordForm, TrainingForm


def _year(request) -> int:
    return year_asked(request, default=selectors.current_year())


def _record_url(pk: int, year: int) -> str:
    return reverse("support:partner-quality", args=[pk]) + f"?year={year}"


# A partner's year -----------------------------------------------------------------------------------------


@permission("support:partner-quality-list")
def partner_quality_list(request):
    year = _year(request)
    rows = quality_selectors.quality_overview(year)
    context = {
        "year": year,
        "label": academic_year_label(year),
        "partners": rows,
        "elements": quality.ELEMENTS,
        "missing": quality_selectors.missing_counts(rows),
    }
    return render(request, "support/partner_quality_list.html", context)


@permission("support:partner-quality")
def partner_quality(request, pk: int):
    profile = quality_selectors.readable_profile(request.user, pk)
    year = _year(request)
    record = quality_selectors.quality_record(profile, year)
    context = {
        "profile": profile,
        "year": year,
        "label": academic_year_label(year),
        "record": record,
        "gaps": quality_selectors.gaps_of(record, year),
        "is_officer": permissions.can_manage_support(request.user),
    }
    return render(request, "support/partner_quality.html", context)


@permission("support:edit-partner-quality")
def edit_partner_quality(request, pk: int):
    profile = selectors.partner_profile(pk)
    year = _year(request)
    form = QualityRecordForm(
        request.POST or None,
        record=quality_selectors.quality_record(profile, year),
        visits=quality_selectors.visits_to_shadow(profile, year),
    )
    return form_page(
        request,
        form=form,
        title=f"{profile.user}'s quality assurance, {academic_year_label(year)}",
        back=_record_url(pk, year),
        save=lambda d: quality_services.save_quality_record(partner=profile, year=year, by=request.user, **d),
        success="Quality assurance record saved",
    )


@permission("support:add-partner-training")
def add_partner_training(request, pk: int):
    profile = selectors.partner_profile(pk)
    year = _year(request)
    return form_page(
        request,
        form=TrainingForm(request.POST or None),
        title=f"Add training {profile.user} attended in {academic_year_label(year)}",
        back=_record_url(pk, year),
        save=lambda d: quality_services.record_training(partner=profile, year=year, by=request.user, **d),
        success="Training added",
    )


# Statutory assessment moderation ---------------------------------------------------------------------------

MODERATION_COLUMNS = [
    *exports.school_columns(),
    Column("Academic year", lambda m: academic_year_label(m.academic_year)),
    Column("Assessment", lambda m: m.get_stage_display()),
    Column("Moderated on", lambda m: m.moderated_on),
    Column("Outcome", lambda m: m.get_outcome_display()),
    Column("Moderator", lambda m: m.moderator),
]


@permission("support:moderations")
def moderations(request):
    year = _year(request)
    found = quality_selectors.moderations(year)
    label = academic_year_label(year)
    if exports.requested(request):
        return exports.download(request, found, MODERATION_COLUMNS, name="moderation", title=f"Moderation {label}")
    context = {
        "year": year,
        "label": label,
        "moderations": found,
        "sample": quality_selectors.ks2_writing_sample(year),
        "query": exports.links_query(request),
    }
    return render(request, "support/moderations.html", context)


@permission("support:record-moderation")
def record_moderation(request):
    year = _year(request)

    def save(data):
        school = remit().filter(urn=data.pop("urn")).first()
        if school is None:
            raise ValidationError({"urn": "Enter the URN of a school the authority supports"})
        return quality_services.record_moderation(school=school, year=year, by=request.user, **data)

    return form_page(
        request,
        form=ModerationForm(request.POST or None),
        title=f"Record a moderation, {academic_year_label(year)}",
        back=reverse("support:moderations") + f"?year={year}",
        save=save,
        success=lambda m: f"Moderation of {m.school.name} recorded",
    )


# An Overview school's option ---------------------------------------------------------------------------------


@permission("support:overview-option")
def overview_option(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    year = _year(request)
    package = quality_selectors.package_of(school, year)

    def save(data):
        return quality_services.choose_overview_option(
            package=package, option=data["option"], partner_urns=data["partner_urns"], by=request.user
        )

    return form_page(
        request,
        form=OverviewOptionForm(request.POST or None, package=package),
        title="Single school or partnership option",
        school=school,
        back=reverse("support:support", args=[urn]) + f"?year={year}",
        save=save,
        success="Option saved",
    )
