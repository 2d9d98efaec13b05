"""A priority partner's quality assurance (seed 004), statutory assessment moderation and an
Overview school's single school or partnership option (seed 000): the rules, the services that
refuse what the seeds do not allow, and who may open each page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from categorisation.models import Category
from support import calendar, quality, quality_selectors, quality_services, selectors
from support.models import AssessmentModeration, OverviewOption, PartnerTraining, SupportPackage
from support.quality import QualityFacts
from tests.factories import PartnerProfileFactory, VisitFactory

YEAR = 2026
TERMS = calendar.england_half_terms(YEAR)
AUTUMN_2, SUMMER_2 = TERMS[1], TERMS[5]


def elements(facts: QualityFacts, today: date) -> list[tuple[str, bool]]:
    return [(g.element, g.overdue) for g in quality.gaps(facts, TERMS, today)]


# The rules, without a database ------------------------------------------------------------------------------


def test_seed_004_a_day_of_formal_induction_is_due_at_the_start_of_each_year():
    after_first_half_term = TERMS[0].ends + timedelta(days=1)
    assert ("induction", True) in elements(QualityFacts(), after_first_half_term)
    assert "induction" not in dict(elements(QualityFacts(inducted_on=TERMS[0].starts), after_first_half_term))


def test_seed_004_keep_in_touch_events_at_least_termly():
    """One event in the autumn term, none in spring: at the start of summer, spring is missing."""
    summer_starts = TERMS[4].starts
    facts = QualityFacts(keep_in_touch=(AUTUMN_2.starts,))
    gaps = [g for g in quality.gaps(facts, TERMS, summer_starts) if g.element == quality.KEEP_IN_TOUCH]
    assert [(g.text, g.overdue) for g in gaps] == [
        ("No Keep in Touch event in the spring term", True),
        ("No Keep in Touch event in the summer term", False),
    ]


def test_seed_004_an_annual_review_at_the_end_of_the_summer_term_after_a_self_assessment():
    during_summer, after = SUMMER_2.starts, SUMMER_2.ends + timedelta(days=1)
    assert ("review", False) in elements(QualityFacts(), during_summer)
    assert ("review", True) in elements(QualityFacts(), after)
    no_self_assessment = [g.text for g in quality.gaps(QualityFacts(), TERMS, after) if g.element == "review"]
    assert no_self_assessment == [
        "No performance review by the end of the summer term, and no self-assessment before it"
    ]
    reviewed = QualityFacts(self_assessed_on=SUMMER_2.starts, reviewed_on=SUMMER_2.ends)
    assert "review" not in dict(elements(reviewed, after))


def test_seed_004_shadowed_for_one_school_visit_a_year_and_the_questionnaire_in_the_autumn():
    spring = TERMS[2].starts
    assert {("shadowing", False), ("questionnaire", True)} <= set(elements(QualityFacts(), spring))
    done = QualityFacts(shadowed=True, questionnaire_returned=True)
    assert not {"shadowing", "questionnaire"} & set(dict(elements(done, spring)))


def test_the_key_stage_2_writing_sample_is_a_quarter_of_schools_rounded_up():
    assert [quality.moderation_sample(n) for n in (0, 1, 4, 9, 180)] == [0, 1, 1, 3, 45]


# The services -----------------------------------------------------------------------------------------------


@pytest.fixture
def profile(alice):
    return PartnerProfileFactory(user=alice, capacity_days=60)


@pytest.fixture
def visit(alice, ashfield):
    return VisitFactory(school=ashfield, visitor=alice, scheduled_for=date(2026, 11, 10))


@pytest.mark.django_db
def test_seed_004_a_review_before_the_partners_self_assessment_is_refused(profile, olivia, adam):
    with pytest.raises(ValidationError) as refused:
        quality_services.save_quality_record(
            partner=profile, year=YEAR, by=olivia, reviewed_on=date(2027, 7, 16), reviewed_by=adam
        )
    assert "self_assessed_on" in refused.value.message_dict
    record = quality_services.save_quality_record(
        partner=profile,
        year=YEAR,
        by=olivia,
        self_assessed_on=date(2027, 7, 1),
        reviewed_on=date(2027, 7, 16),
        reviewed_by=adam,
        review_outcome="Engagement strong; brokered support effective.",
    )
    assert record.reviewed_by == adam


@pytest.mark.django_db
def test_seed_004_a_visit_is_shadowed_by_the_dcsi_or_a_board_member_only(profile, visit, olivia, bella, bob, ashfield):
    with pytest.raises(ValidationError) as refused:
        quality_services.save_quality_record(
            partner=profile, year=YEAR, by=olivia, shadowed_visit=visit, shadowed_by=bob
        )
    assert "shadowed_by" in refused.value.message_dict
    anothers = VisitFactory(school=ashfield, visitor=bob, scheduled_for=date(2026, 11, 12))
    with pytest.raises(ValidationError) as refused:
        quality_services.save_quality_record(
            partner=profile, year=YEAR, by=olivia, shadowed_visit=anothers, shadowed_by=bella
        )
    assert "shadowed_visit" in refused.value.message_dict
    record = quality_services.save_quality_record(
        partner=profile, year=YEAR, by=olivia, shadowed_visit=visit, shadowed_by=bella
    )
    assert (record.shadowed_visit, record.shadowed_by) == (visit, bella)


@pytest.mark.django_db
def test_questionnaire_results_are_no_more_than_were_sent_and_only_officers_record_them(profile, olivia, alice):
    with pytest.raises(ValidationError):
        quality_services.save_quality_record(
            partner=profile, year=YEAR, by=olivia, questionnaires_sent=12, questionnaire_responses=13
        )
    with pytest.raises(PermissionDenied):
        quality_services.save_quality_record(partner=profile, year=YEAR, by=alice, questionnaire_responses=3)
    record = quality_services.save_quality_record(
        partner=profile,
        year=YEAR,
        by=olivia,
        questionnaires_sent=12,
        questionnaire_responses=9,
        questionnaire_score=Decimal("4.2"),
    )
    assert record.questionnaire_responses == 9


@pytest.mark.django_db
def test_training_outside_the_year_is_refused(profile, olivia):
    with pytest.raises(ValidationError):
        quality_services.record_training(
            partner=profile, year=YEAR, by=olivia, kind=PartnerTraining.Kind.KEEP_IN_TOUCH, attended_on=date(2026, 8, 1)
        )


@pytest.mark.django_db
def test_the_list_names_each_partner_missing_each_part_of_the_year(client, olivia, profile, bob, visit, bella):
    """Alice has had her induction and a shadowed visit; Bob has nothing recorded."""
    PartnerProfileFactory(user=bob)
    quality_services.save_quality_record(
        partner=profile, year=YEAR, by=olivia, inducted_on=date(2026, 9, 3), shadowed_visit=visit, shadowed_by=bella
    )
    rows = {r.profile.user.full_name: r for r in quality_selectors.quality_overview(YEAR, today=date(2026, 12, 4))}
    assert {e for e, gaps in rows["Alice Partner"].cells if gaps} == {"questionnaire", "keep_in_touch", "review"}
    assert {e for e, gaps in rows["Bob Partner"].cells if gaps} == set(quality.ELEMENTS)
    client.force_login(olivia)
    page = client.get(reverse("support:partner-quality-list"), {"year": YEAR}).content.decode()
    assert "No induction: <strong>1</strong> partner" in page
    assert "Not shadowed: <strong>1</strong> partner" in page


@pytest.mark.django_db
def test_the_partner_quality_list_runs_the_same_queries_for_2_or_12_partners(client, olivia, bella):
    def grow(n: int) -> None:
        for _ in range(n):
            partner = PartnerProfileFactory()
            quality_services.record_training(
                partner=partner, year=YEAR, by=olivia, kind="keep_in_touch", attended_on=date(2026, 11, 2)
            )

    def queries() -> int:
        client.force_login(olivia)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("support:partner-quality-list"), {"year": YEAR}).status_code == 200
        return len(captured)

    grow(2)
    few = queries()
    grow(10)
    assert queries() == few


# Statutory moderation and the Overview option (seed 000) ----------------------------------------------------------


@pytest.fixture
def overview_package(ashfield):
    category = Category.objects.get(code="overview", version__framework__is_active=True, version__status="active")
    return SupportPackage.objects.create(
        school=ashfield, academic_year=selectors.current_year(), category=category, starts_on=date(2026, 9, 2)
    )


@pytest.mark.django_db
def test_seed_000_statutory_moderation_is_recorded_and_listed_against_the_sample(client, olivia, ashfield, castle):
    """Two maintained schools teach year 6: a quarter of them is one. Ashfield moderated for key
    stage 2 writing this year; Castle is listed as not moderated. A second record of the same
    moderation is refused."""
    for school in (ashfield, castle):
        school.statutory_low_age, school.statutory_high_age = 4, 11
        school.save()
    year = selectors.current_year()
    client.force_login(olivia)
    answer = client.post(
        reverse("support:record-moderation") + f"?year={year}",
        {
            "urn": ashfield.urn,
            "stage": AssessmentModeration.Stage.KS2_WRITING,
            "moderated_on_0": "20",
            "moderated_on_1": "6",
            "moderated_on_2": str(year + 1),
            "outcome": AssessmentModeration.Outcome.AGREED,
            "moderator": "Ruth Evans",
        },
    )
    assert answer.status_code == 302
    sample = quality_selectors.ks2_writing_sample(year)
    assert (sample.schools, sample.required, sample.moderated) == (2, 1, 1)
    assert [s.name for s, _ in sample.due] == ["Castle Secondary School"]
    page = client.get(reverse("support:moderations"), {"year": year}).content.decode()
    assert "Ruth Evans" in page
    assert "1 of 2 maintained schools with year 6 moderated this year" in page
    with pytest.raises(ValidationError):
        quality_services.record_moderation(
            school=ashfield,
            year=year,
            stage=AssessmentModeration.Stage.KS2_WRITING,
            moderated_on=date(year + 1, 6, 21),
            outcome="agreed",
            moderator="Ruth Evans",
            by=olivia,
        )


@pytest.mark.django_db
def test_seed_000_an_overview_schools_day_is_a_single_school_or_a_partnership_option(
    client, olivia, ashfield, castle, overview_package
):
    client.force_login(olivia)
    url = reverse("support:overview-option", args=[ashfield.urn])
    refused = client.post(url, {"option": OverviewOption.PARTNERSHIP, "partner_urns": ""})
    assert "Enter the URNs of the schools in the partnership" in refused.content.decode()
    unknown = client.post(url, {"option": OverviewOption.PARTNERSHIP, "partner_urns": f"{castle.urn}, 999999"})
    assert "No school the authority supports has URN 999999" in unknown.content.decode()
    assert client.post(url, {"option": OverviewOption.PARTNERSHIP, "partner_urns": f"{castle.urn}"}).status_code == 302
    page = client.get(reverse("support:support", args=[ashfield.urn])).content.decode()
    assert "partnership option, with Castle Secondary School" in page
    overview_package.category = Category.objects.get(pk=overview_package.category.pk).version.categories.get(
        code="intensive"
    )
    overview_package.save()
    with pytest.raises(ValidationError):
        quality_services.choose_overview_option(package=overview_package, option=OverviewOption.SINGLE, by=olivia)
