"""Seed 003: schools where no triggers for targeted support are identified receive an annual review
visit with the headteacher and chair of governors; seed 004: the partner meets the board of governors."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from support import selectors, services
from support.models import ANNUAL_REVIEW, GOVERNING_BODY, Visit
from tests.factories import SchoolCategoryFactory, SchoolFactory, VisitFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = selectors.current_year(TODAY)


@pytest.fixture
def overview(ashfield, birmingham):
    """Ashfield and Elm in the category that brings the least support; Elm's review is booked."""
    elm = SchoolFactory(urn=103002, name="Elm Primary School", la=birmingham, establishment_number=2002)
    for school in (ashfield, elm):
        SchoolCategoryFactory(school=school)
    VisitFactory(school=elm, kind=ANNUAL_REVIEW, scheduled_for=date(YEAR, 11, 10))
    return elm


def test_seed_003_schools_without_triggers_and_without_an_annual_review_visit_are_listed(
    client, olivia, ashfield, beacon_hill, overview
):
    VisitFactory(school=ashfield, kind="adviser", scheduled_for=date(YEAR, 10, 1))  # another kind counts for nothing
    VisitFactory(school=ashfield, kind=ANNUAL_REVIEW, scheduled_for=date(YEAR - 1, 10, 1))  # last year's neither
    assert list(selectors.due_annual_review(YEAR)) == [ashfield]
    client.force_login(olivia)
    page = client.get(reverse("support:annual-reviews")).content.decode()
    assert "Ashfield Primary School" in page
    assert "Elm Primary School" not in page


def test_seed_003_the_annual_review_records_the_headteacher_and_chair_attending(olivia, ashfield):
    visit = VisitFactory(school=ashfield, kind=ANNUAL_REVIEW, scheduled_for=TODAY)
    services.record_visit_held(visit=visit, by=olivia, held_on=TODAY, attended=["headteacher", "chair"])
    visit.refresh_from_db()
    assert (visit.status, visit.headteacher_attended, visit.chair_attended) == (Visit.Status.HELD, True, True)


def test_seed_004_a_partner_records_meeting_the_board_of_governors(client, alice, ashfield):
    client.force_login(alice)
    response = client.post(
        reverse("support:new-visit", args=[ashfield.urn]),
        {
            "purpose": "Meet the full governing body",
            "kind": GOVERNING_BODY,
            "scheduled_for_0": TODAY.day,
            "scheduled_for_1": TODAY.month,
            "scheduled_for_2": TODAY.year,
            "days": "0.5",
        },
    )
    visit = Visit.objects.get(school=ashfield)
    assert response.status_code == 302
    assert visit.get_kind_display() == "Meeting with the governing body"
    response = client.post(
        reverse("support:visit-step", args=[visit.pk, "held"]),
        {"held_on_0": TODAY.day, "held_on_1": TODAY.month, "held_on_2": TODAY.year, "attended": ["chair"]},
    )
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Chair of governors" in page


def test_the_list_makes_the_same_queries_for_one_school_and_for_many(client, olivia, ashfield, birmingham, overview):
    client.force_login(olivia)
    url = reverse("support:annual-reviews")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        SchoolCategoryFactory(school=SchoolFactory(urn=103100 + n, la=birmingham, establishment_number=2100 + n))
    with CaptureQueriesContext(connection) as four:
        page = client.get(url).content.decode()
    assert page.count("Schedule a visit") == 4
    assert len(four) == len(one)


def test_the_list_is_paginated(client, olivia, ashfield, birmingham, overview):
    for n in range(50):
        SchoolCategoryFactory(
            school=SchoolFactory(
                urn=104000 + n, name=f"Zeal School {n:02}", la=birmingham, establishment_number=3000 + n
            )
        )
    client.force_login(olivia)
    url = reverse("support:annual-reviews")
    first = client.get(url).content.decode()
    assert first.count("Schedule a visit") == 50
    assert "51 schools – showing 1 to 50" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count("Schedule a visit") == 1
    assert "Zeal School 49" in second
