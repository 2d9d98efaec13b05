"""Reads for the quality assurance of partners and statutory assessment moderation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts import permissions
from core.calendar import academic_year_label, year_span
from schools import ofsted
from schools.access import maintained_in_remit
from schools.models import School
from support import quality, system_leaders
from support.models import (
    SYSTEM_LEADER_PROVIDERS,
    AssessmentModeration,
    BrokeredSupport,
    PartnerProfile,
    PartnerQualityRecord,
    PartnerTraining,
    SupportPackage,
    Visit,
)
from support.selectors import half_terms, partner_profile

KS2_WRITING = AssessmentModeration.Stage.KS2_WRITING


# System leaders (seed 003) ------------------------------------------------------------------------------


def leader_facts(profile: PartnerProfile) -> system_leaders.LeaderFacts:
    """A profile's designations and headship; its school's inspections are read from
    ``head_of__inspections`` (prefetched by ``partners`` and ``partner_profile``)."""
    school = profile.head_of
    latest = ofsted.latest_full([i.facts for i in school.inspections.all()]) if school else None
    return system_leaders.LeaderFacts(
        national_leader=profile.national_leader,
        local_leader=profile.local_leader,
        ofsted_inspector=profile.ofsted_inspector,
        school_name=school.name if school else "",
        school_inspection=latest,
        retired_on=profile.retired_as_head_on,
    )


def system_leader_of(profile: PartnerProfile, on: date | None = None) -> system_leaders.Verdict:
    """Whether the partner meets the system leader criteria on ``on`` (today by default)."""
    return system_leaders.system_leader(leader_facts(profile), on or timezone.localdate())


def leader_warning(item: BrokeredSupport) -> str:
    """Why the NLE or LLE named for brokered support is not a system leader when it starts (or "")."""
    if item.provider_type not in SYSTEM_LEADER_PROVIDERS or item.leader is None:
        return ""
    verdict = system_leader_of(item.leader, item.starts)
    if verdict.meets:
        return ""
    return f"{item.leader} may not meet the system leader criteria: {verdict.reason}"


def brokered_with_warnings(school: School, year: int) -> list[tuple[BrokeredSupport, str]]:
    """A school's brokered support in ``year``, each with its system leader warning, in three queries."""
    items = (
        BrokeredSupport.objects.filter(school=school, academic_year=year)
        .select_related("leader__user", "leader__head_of")
        .prefetch_related("leader__head_of__inspections")
    )
    return [(item, leader_warning(item)) for item in items]


# Partners' quality assurance ------------------------------------------------------------------------


def readable_profile(user, pk: int) -> PartnerProfile:
    """The partner's profile, for an officer, or for the partner themselves; 404 for anyone else."""
    profile = partner_profile(pk)
    if not permissions.can_manage_support(user) and profile.user_id != user.pk:
        raise Http404("No partner found")
    return profile


def quality_record(profile: PartnerProfile, year: int) -> PartnerQualityRecord | None:
    return (
        PartnerQualityRecord.objects.filter(partner=profile, academic_year=year)
        .select_related("shadowed_visit__school", "shadowed_by", "reviewed_by")
        .prefetch_related("training")
        .first()
    )


def facts_of(record: PartnerQualityRecord | None) -> quality.QualityFacts:
    if record is None:
        return quality.QualityFacts()
    return quality.QualityFacts(
        inducted_on=record.inducted_on,
        keep_in_touch=tuple(
            t.attended_on for t in record.training.all() if t.kind == PartnerTraining.Kind.KEEP_IN_TOUCH
        ),
        shadowed=record.shadowed_visit_id is not None,
        self_assessed_on=record.self_assessed_on,
        reviewed_on=record.reviewed_on,
        questionnaire_returned=record.questionnaire_responses is not None,
    )


def gaps_of(record: PartnerQualityRecord | None, year: int, today: date | None = None) -> list[quality.Gap]:
    return quality.gaps(facts_of(record), half_terms(year), today or timezone.localdate())


@dataclass
class PartnerYear:
    profile: PartnerProfile
    record: PartnerQualityRecord | None
    gaps: list[quality.Gap]

    @property
    def cells(self) -> list[tuple[str, list[quality.Gap]]]:
        """What is missing of each part of the year, in the order of ``quality.ELEMENTS``."""
        return [(element, [g for g in self.gaps if g.element == element]) for element in quality.ELEMENTS]


def missing_counts(rows: list[PartnerYear]) -> list[tuple[str, int]]:
    """For each part of the year, in words, how many partners lack it."""
    return [
        (text, sum(1 for row in rows if any(g.element == element for g in row.gaps)))
        for element, text in quality.ELEMENTS.items()
    ]


def quality_overview(year: int, today: date | None = None) -> list[PartnerYear]:
    """Every partner with the year's record and what it still lacks, in a fixed number of queries."""
    today = today or timezone.localdate()
    terms = half_terms(year)
    records = PartnerQualityRecord.objects.filter(academic_year=year).prefetch_related("training")
    profiles = (
        PartnerProfile.objects.select_related("user")
        .prefetch_related(Prefetch("quality_records", queryset=records, to_attr="this_year"))
        .order_by("user__full_name")
    )
    found = []
    for profile in profiles:
        record = profile.this_year[0] if profile.this_year else None
        found.append(PartnerYear(profile, record, quality.gaps(facts_of(record), terms, today)))
    return found


def visits_to_shadow(profile: PartnerProfile, year: int) -> QuerySet[Visit]:
    """The partner's visits in the year: the one the DCSI or a board member shadows is one of them."""
    return (
        Visit.objects.filter(visitor=profile.user, scheduled_for__range=year_span(year))
        .exclude(status=Visit.Status.CANCELLED)
        .select_related("school")
        .order_by("scheduled_for")
    )


def package_of(school: School, year: int) -> SupportPackage | None:
    """The school's support package for the year, with its category and partnership schools."""
    return (
        SupportPackage.objects.filter(school=school, academic_year=year)
        .select_related("category", "school")
        .prefetch_related("partner_schools")
        .first()
    )


# Statutory assessment moderation --------------------------------------------------------------------


def moderations(year: int) -> QuerySet[AssessmentModeration]:
    return AssessmentModeration.objects.filter(academic_year=year).select_related("school__la")


def teaching_year_6() -> Q:
    """Schools whose statutory age range includes year 6, where key stage 2 is assessed."""
    return Q(statutory_low_age__lte=10, statutory_high_age__gte=11)


@dataclass
class ModerationSample:
    schools: int  # maintained schools with year 6
    required: int  # at least a quarter of them
    moderated: int  # moderated for key stage 2 writing this year
    due: list[tuple[School, str]]  # not moderated this year, with the year last moderated: never or longest ago first


def ks2_writing_sample(year: int) -> ModerationSample:
    """The year's key stage 2 writing moderation against the STA's quarter of maintained schools,
    and the schools not moderated this year, those never or longest ago moderated first."""
    schools = School.objects.filter(maintained_in_remit(), teaching_year_6())
    done = AssessmentModeration.objects.filter(academic_year=year, stage=KS2_WRITING).values("school_id")
    due = (
        schools.exclude(pk__in=done)
        .annotate(
            last_moderated=Max(
                "moderations__academic_year",
                filter=Q(moderations__stage=KS2_WRITING, moderations__academic_year__lt=year),
            )
        )
        .select_related("la")
        .order_by(F("last_moderated").asc(nulls_first=True), "name")
    )
    total = schools.count()
    return ModerationSample(
        total,
        quality.moderation_sample(total),
        schools.filter(pk__in=done).count(),
        [(s, academic_year_label(s.last_moderated) if s.last_moderated else "") for s in due],
    )
