"""The Welsh national categorisation as the Welsh Government's guidance defines it (issue 21, seed
001): step 1 the standards group from Welsh data, entered by the authority; step 2 the challenge
adviser's capacity to improve with its evidence, agreed with the authority; step 3 the support
category. The page, its permissions per role, and the engine run through the database."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolAssignment
from categorisation import services
from categorisation.models import CapacityJudgement, Framework, SchoolCategory, StandardsGroup
from core.calendar import academic_year_of
from tests.factories import SchoolAssignmentFactory
from tests.roles import status_by_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def welsh(in_wales, adam, alice, hannah):
    """Hamadryad, in a Welsh authority on the Welsh framework, with Alice its challenge adviser
    and Hannah its headteacher."""
    services.set_active_framework(framework=Framework.objects.get(code="wales"), by=adam)
    for user, relationship in (
        (alice, SchoolAssignment.Relationship.PRIORITY_PARTNER),
        (hannah, SchoolAssignment.Relationship.HEADTEACHER),
    ):
        SchoolAssignmentFactory(user=user, school=in_wales, relationship=relationship)
    return in_wales


def url(school) -> str:
    return reverse("categorisation:welsh-steps", args=[school.urn])


def proposal(school) -> str:
    return SchoolCategory.objects.get(school=school, framework__code="wales").proposed.code


def test_each_role_opens_the_page_or_gets_not_found(client, everyone, welsh):
    assert status_by_role(client, everyone, url(welsh)) == {
        "olivia": 200,
        "adam": 200,
        "alice": 200,
        "bob": 404,
        "hannah": 200,
        "ezra": 404,
        "bella": 404,
        "colin": 404,
    }


def test_an_english_school_has_no_steps(client, olivia, ashfield):
    client.force_login(olivia)
    response = client.get(url(ashfield), follow=True)
    assert response.redirect_chain[-1][0] == ashfield.get_absolute_url()
    assert "Only schools in Wales have a standards group" in response.content.decode()


def test_the_three_steps_give_the_support_category(client, olivia, alice, welsh, django_capture_on_commit_callbacks):
    year = academic_year_of(timezone.localdate())
    client.force_login(olivia)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(welsh), {"step": "group", "group": "3"})
    assert StandardsGroup.objects.get(school=welsh, academic_year=year).group == 3
    assert proposal(welsh) == "uncategorised"  # no capacity to improve yet

    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(welsh), {"step": "capacity", "capacity": "C", "evidence": "Plans lack precision"})
    assert response.status_code == 302
    assert proposal(welsh) == "uncategorised"  # not yet agreed

    client.force_login(olivia)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(welsh), {"step": "agree"})
    judgement = CapacityJudgement.objects.get(school=welsh)
    assert judgement.agreed_by == olivia
    assert proposal(welsh) == "amber"
    page = client.get(url(welsh)).content.decode()
    assert "Agreed by Olivia Officer" in page
    assert "standards group 3" in page


def test_the_challenge_adviser_cannot_set_the_standards_group_or_agree(client, alice, welsh):
    client.force_login(alice)
    assert client.post(url(welsh), {"step": "group", "group": "1"}).status_code == 403
    assert not StandardsGroup.objects.exists()


def test_the_headteacher_reads_the_steps_but_cannot_change_them(client, hannah, welsh):
    client.force_login(hannah)
    page = client.get(url(welsh)).content.decode()
    assert "Step 1: standards group" in page
    assert 'id="group-form"' not in page
    assert 'id="capacity-form"' not in page
    assert client.post(url(welsh), {"step": "capacity", "capacity": "A", "evidence": "x"}).status_code == 404


def test_a_judgement_without_evidence_is_refused_with_a_clear_message(client, olivia, welsh):
    client.force_login(olivia)
    page = client.post(url(welsh), {"step": "capacity", "capacity": "B", "evidence": ""}).content.decode()
    assert "There is a problem" in page
    assert "Enter the evidence for the judgement" in page
    assert not CapacityJudgement.objects.exists()


def test_a_changed_judgement_waits_for_agreement_again(olivia, alice, welsh):
    first = services.record_capacity_judgement(school=welsh, year=2026, capacity="B", evidence="Good", by=alice)
    services.agree_capacity_judgement(judgement=first, by=olivia)
    again = services.record_capacity_judgement(school=welsh, year=2026, capacity="C", evidence="Worse", by=alice)
    assert (again.pk, again.capacity, again.agreed_on) == (first.pk, "C", None)


def test_only_officers_record_groups_and_agree(alice, hannah, welsh):
    with pytest.raises(PermissionDenied):
        services.record_standards_group(school=welsh, year=2026, group=2, by=alice)
    with pytest.raises(PermissionDenied):
        services.record_capacity_judgement(school=welsh, year=2026, capacity="A", evidence="x", by=hannah)


def test_an_english_school_cannot_get_a_standards_group(olivia, ashfield):
    with pytest.raises(ValidationError, match="Only a school in Wales"):
        services.record_standards_group(school=ashfield, year=2026, group=2, by=olivia)
