"""The header's search: schools by name or URN (only those the person may see), an exact URN
straight to the school, and the authority's people for officers and administrators."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import PartnerProfileFactory, SchoolFactory, UserFactory
from tests.roles import assert_each_page_by_role

pytestmark = pytest.mark.django_db


def _search(client, q, **extra):
    return client.get(reverse("search"), {"q": q, **extra})


def test_each_role_may_search_but_commissioners(client, everyone):
    pages = {
        "search": (
            f"{reverse('search')}?q=school",
            {
                "olivia": 200,
                "adam": 200,
                "alice": 200,
                "bob": 200,
                "hannah": 200,
                "ezra": 200,
                "bella": 200,
                "colin": 403,
            },
        )
    }
    assert_each_page_by_role(client, everyone, pages, ["search"])


def test_an_exact_urn_opens_the_school(client, olivia, ashfield):
    client.force_login(olivia)
    response = _search(client, " 103001 ")
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:detail", args=[ashfield.urn])


def test_schools_are_found_by_part_of_the_name(client, olivia, ashfield, beacon_hill):
    client.force_login(olivia)
    response = _search(client, "ashf")
    assert [s.name for s in response.context["page"].object_list] == ["Ashfield Primary School"]
    assert reverse("schools:detail", args=[ashfield.urn]) in response.content.decode()


def test_a_partner_finds_only_their_own_schools(client, alice, ashfield, beacon_hill):
    client.force_login(alice)
    page = _search(client, "a").content.decode()
    assert "Ashfield Primary School" in page
    assert "Beacon Hill Academy" not in page
    # Another school's URN is not opened, nor found.
    response = _search(client, str(beacon_hill.urn))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert "There are no matching results" in response.content.decode()


def test_officers_find_the_authoritys_people_and_partners_link_to_their_page(client, olivia, alice):
    profile = PartnerProfileFactory(user=alice)
    client.force_login(olivia)
    response = _search(client, "alice", kind="people")
    assert [p.email for p in response.context["page"].object_list] == ["alice@partners.example"]
    page = response.content.decode()
    assert reverse("support:partner", args=[profile.pk]) in page
    assert "Priority partner" in page
    # By email address too; the people of the other kind show when no school matches.
    assert _search(client, "partners.example").context["kind"] == "people"


def test_people_are_not_searched_for_anyone_else(client, alice, hannah):
    client.force_login(alice)
    response = _search(client, "hannah", kind="people")
    assert response.context["page"].paginator.count == 0
    assert "hannah@school.example" not in response.content.decode()


def test_results_are_paginated_in_bounded_queries(client, olivia, birmingham, django_assert_max_num_queries):
    for number in range(45):
        SchoolFactory(urn=200000 + number, name=f"Meadow School {number:02}", la=birmingham)
    for number in range(25):
        UserFactory(email=f"meadow{number}@council.example", full_name=f"Meadow Person {number}", role=Role.LA_OFFICER)
    client.force_login(olivia)
    response = _search(client, "meadow", page=3)
    assert response.context["page"].paginator.count == 45
    assert len(response.context["page"].object_list) == 5
    with django_assert_max_num_queries(12):
        _search(client, "meadow", page=2)
    with django_assert_max_num_queries(12):
        _search(client, "meadow", kind="people")
