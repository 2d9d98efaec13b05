"""The school list's Next and Previous links read the schools after or before the page's last or
first URN (``core.keyset``), keeping the filters and the order; its count and the officer's home
figures are kept per register generation, which every import renews."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from core import keyset
from schools import filters
from schools.filters import register_generation
from tests.factories import SchoolFactory
from tests.schools.test_imports import GIAS, run

pytestmark = pytest.mark.django_db


def links(html: str) -> dict[str, str]:
    return {rel: unescape(href) for href, rel in re.findall(r'href="([^"]*)" rel="(next|prev)"', html)}


def walk(client, first: str, rel: str) -> tuple[list[str], list[str]]:
    """The schools' names page by page from ``first`` while a ``rel`` link leads on, and the pages' labels."""
    names, labels, url = [], [], first
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page = response.context["page"]
        names.append([s.name for s in page.object_list])
        labels.append(re.search(r"Page \d+ of \d+", response.content.decode()).group(0))
        found = links(response.content.decode()).get(rel)
        url = reverse("schools:list") + found if found else None
    return names, labels


@pytest.fixture
def many(birmingham, ashfield, beacon_hill, castle):
    """125 primary schools with some pupil numbers shared and some missing, and dates alike."""
    for n in range(125):
        SchoolFactory(
            la=birmingham,
            name=f"Linden Primary {n % 40:02d}",
            phase_name="Primary",
            pupils_on_roll=None if n % 9 == 0 else 100 + n % 7,
            ofsted_outcome_date=None if n % 4 == 0 else date(2024, 1 + n % 3, 1),
        )


@pytest.mark.parametrize("sort", ["name", "-pupils", "pupils", "la", "-inspected", "urn", "-name"])
def test_next_and_previous_keep_the_filters_and_order_and_skip_or_repeat_no_school(client, olivia, many, sort):
    client.force_login(olivia)
    params = f"?phase=Primary&sort={sort}"
    # The whole list in its order, nulls placed as PostgreSQL places them on every database.
    everything = keyset.in_order(client.get(reverse("schools:list") + params).context["filter"].qs, "urn")
    expected = [s.name for s in everything]
    assert len(expected) == 126  # Ashfield and the 125

    forward, labels = walk(client, reverse("schools:list") + params, "next")
    assert [len(p) for p in forward] == [50, 50, 26]
    assert [name for page in forward for name in page] == expected
    assert labels == ["Page 1 of 3", "Page 2 of 3", "Page 3 of 3"]

    last = client.get(reverse("schools:list") + params)
    for _ in range(2):
        last = client.get(reverse("schools:list") + links(last.content.decode())["next"])
    previous = links(last.content.decode())["prev"]
    assert "phase=Primary" in previous
    assert f"sort={sort}" in previous
    back, labels = walk(client, reverse("schools:list") + links(last.content.decode())["prev"], "prev")
    assert back == forward[:2][::-1]
    assert labels == ["Page 2 of 3", "Page 1 of 3"]
    assert (
        "showing 51 to 100"
        in client.get(reverse("schools:list") + links(last.content.decode())["prev"]).content.decode()
    )


def test_a_page_asked_for_by_number_shows_the_same_schools_as_by_its_links(client, olivia, many):
    client.force_login(olivia)
    by_number = client.get(reverse("schools:list"), {"sort": "-pupils", "page": 2}).context["page"]
    first = client.get(reverse("schools:list"), {"sort": "-pupils"})
    by_link = client.get(reverse("schools:list") + links(first.content.decode())["next"]).context["page"]
    assert [s.urn for s in by_number.object_list] == [s.urn for s in by_link.object_list]


def test_a_link_to_a_school_no_longer_there_starts_again_from_the_first_page(client, olivia, many):
    client.force_login(olivia)
    response = client.get(reverse("schools:list"), {"page": 2, "after": 999_999_999})
    assert response.status_code == 200
    assert "Page 1 of 3" in response.content.decode()


def count_shown(client) -> str:
    return re.search(
        r'id="result-count"[^>]*>\s*([\d,]+ schools?)', client.get(reverse("schools:list")).content.decode()
    ).group(1)


def test_the_count_and_home_figures_kept_are_read_again_after_the_register_changes(
    client, olivia, settings, ashfield, beacon_hill, castle, birmingham
):
    settings.CHOICES_CACHE_SECONDS = 300
    client.force_login(olivia)
    assert count_shown(client) == "3 schools"
    home = client.get(reverse("home")).context["summary"]
    assert home.schools == 3

    SchoolFactory(la=birmingham, name="Newly Imported Primary")
    # Kept: the same figures until the register's writer says it changed.
    assert count_shown(client) == "3 schools"
    filters.forget_choices()  # what every import does when it finishes
    assert count_shown(client) == "4 schools"
    assert client.get(reverse("home")).context["summary"].schools == 4


def test_every_import_starts_a_new_register_generation(settings):
    settings.CHOICES_CACHE_SECONDS = 300
    before = register_generation()
    assert register_generation() == before
    run("gias_establishments", GIAS.read_bytes())
    assert register_generation() != before


def test_a_link_naming_a_school_one_may_not_see_starts_from_the_first_page(client, alice, ashfield, castle):
    client.force_login(alice)
    page = client.get(reverse("schools:list"), {"page": 2, "after": castle.urn}).context["page"]
    assert [s.name for s in page.object_list] == ["Ashfield Primary School"]
    assert page.number == 1


def test_the_count_kept_follows_a_change_of_the_authoritys_local_authorities(
    client, olivia, settings, ashfield, beacon_hill, castle
):
    settings.CHOICES_CACHE_SECONDS = 300
    client.force_login(olivia)
    assert count_shown(client) == "3 schools"
    authority = olivia.authority
    authority.la_codes = [937]  # Warwickshire alone: Castle
    authority.save()
    assert count_shown(client) == "1 school"
