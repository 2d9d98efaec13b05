"""System leaders (seed 003): the rule as plain Python, and where the portal shows it: the partner's
profile, the partners list, and brokered NLE or LLE support."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools import ofsted
from support import quality_selectors, services
from support.models import BrokeredSupport
from support.system_leaders import LeaderFacts, system_leader
from tests.factories import InspectionFactory, PartnerProfileFactory, SchoolFactory

ON = date(2026, 11, 23)
GOOD = ofsted.InspectionFacts(shape=ofsted.Shape.GRADED, start_date=date(2023, 5, 1), overall_effectiveness=2)
RI = ofsted.InspectionFacts(shape=ofsted.Shape.GRADED, start_date=date(2023, 5, 1), overall_effectiveness=3)


@pytest.mark.parametrize(
    ("facts", "meets"),
    [
        (LeaderFacts(national_leader=True, school_name="Oak", school_inspection=GOOD), True),
        (LeaderFacts(local_leader=True, school_name="Oak", school_inspection=RI), False),
        (LeaderFacts(local_leader=True), False),  # neither practising nor retired
        (LeaderFacts(school_name="Oak", school_inspection=GOOD), False),  # a good head, not designated
        (LeaderFacts(ofsted_inspector=True), True),
        (LeaderFacts(local_leader=True, retired_on=date(2025, 7, 31)), True),
        (LeaderFacts(ofsted_inspector=True, retired_on=date(2024, 8, 31)), False),  # more than two years
        (LeaderFacts(local_leader=True, retired_on=date(2027, 7, 31)), False),  # retires next summer
        (
            LeaderFacts(
                national_leader=True,
                school_name="Oak",
                school_inspection=ofsted.InspectionFacts(
                    shape=ofsted.Shape.JUDGEMENTS_ONLY, key_judgements={"quality_of_education": 2, "early_years": 3}
                ),
            ),
            False,  # a key judgement requires improvement
        ),
        (
            LeaderFacts(
                national_leader=True,
                school_name="Oak",
                school_inspection=ofsted.InspectionFacts(shape=ofsted.Shape.REPORT_CARD),
            ),
            None,  # a report card has no overall grade: the officer decides
        ),
    ],
)
def test_seed_003_system_leaders_are_designated_heads_of_good_schools_inspectors_or_recently_retired(facts, meets):
    verdict = system_leader(facts, ON)
    assert verdict.meets is meets
    assert verdict.reason


@pytest.mark.django_db
def test_seed_003_brokered_nle_support_warns_when_the_partner_is_not_a_system_leader(client, olivia, ashfield):
    good = SchoolFactory(name="Elm Primary School")
    InspectionFactory(school=good, overall_effectiveness=3, start_date=date(2021, 1, 5))
    InspectionFactory(school=good, overall_effectiveness=1, start_date=date(2024, 3, 5))
    weak = SchoolFactory(name="Birch Primary School")
    InspectionFactory(school=weak, overall_effectiveness=3)
    leader = PartnerProfileFactory(national_leader=True, head_of=good)
    not_leader = PartnerProfileFactory(local_leader=True, head_of=weak)
    client.force_login(olivia)
    url = reverse("support:brokered", args=[ashfield.urn])
    form = {
        "provider_type": BrokeredSupport.Provider.NLE,
        "provider": "Elm Primary School",
        "starts_0": "5",
        "starts_1": "1",
        "starts_2": "2027",
        "days": "4",
        "cost": "0",
        "funding_source": "la",
        "leader": leader.pk,
    }
    response = client.post(url, form, follow=True)
    assert "may not meet the system leader criteria" not in response.content.decode()
    response = client.post(url, form | {"leader": not_leader.pk, "provider_type": "lle"}, follow=True)
    page = response.content.decode()
    assert page.count("may not meet the system leader criteria") == 2  # the message and the list
    assert "Birch Primary School&#x27;s latest inspection is not good or outstanding" in page


@pytest.mark.django_db
def test_seed_003_partners_list_and_profile_show_the_system_leader_verdict(client, olivia):
    client.force_login(olivia)
    school = SchoolFactory(name="Elm Primary School")
    InspectionFactory(school=school, overall_effectiveness=2)
    profile = PartnerProfileFactory(local_leader=True, head_of=school)
    page = client.get(profile.get_absolute_url()).content.decode()
    assert "LLE and headteacher of Elm Primary School, judged good or outstanding" in page

    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("support:partners")).status_code == 200
    for _ in range(3):
        other = SchoolFactory()
        InspectionFactory(school=other, overall_effectiveness=4)
        PartnerProfileFactory(national_leader=True, head_of=other)
    with CaptureQueriesContext(connection) as four:
        page = client.get(reverse("support:partners")).content.decode()
    assert len(four) == len(one)
    assert page.count("Meets the criteria") == 1
    assert page.count("Does not meet the criteria") == 3


@pytest.mark.django_db
def test_seed_003_profile_form_records_designations_and_school(olivia, ashfield):
    profile = PartnerProfileFactory()
    services.save_partner_profile(
        by=olivia, profile=profile, capacity_days=10, local_leader=True, head_of_urn=ashfield.urn
    )
    profile.refresh_from_db()
    assert profile.head_of == ashfield
    assert quality_selectors.system_leader_of(profile).meets is False  # Ashfield has no inspection


@pytest.mark.django_db
def test_a_partner_is_named_only_for_nle_or_lle_support(olivia, ashfield):
    with pytest.raises(ValidationError) as refused:
        services.record_brokered_support(
            school=ashfield,
            by=olivia,
            academic_year=2026,
            provider_type=BrokeredSupport.Provider.TEACHING_SCHOOL_HUB,
            provider="City hub",
            starts=ON,
            funding_source="la",
            leader=PartnerProfileFactory(),
        )
    assert "leader" in refused.value.message_dict
