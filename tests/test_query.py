"""schoolimprovement/query.py: junk in a query string is ignored, a 404 or a 400 (issue 17, finding 6).
``tests/test_query_parameters.py`` sends junk to every parameter of every page; these say which."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.query import LARGEST_INTEGER, whole_number
from support.selectors import current_year


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("330", 330),
        ("0", 0),
        (str(LARGEST_INTEGER), LARGEST_INTEGER),
        (None, None),
        ("", None),
        ("abc", None),
        ("-1", None),
        (" 3", None),
        ("2.5", None),
        ("²", None),  # a digit to str.isdigit, not to int()
        (str(LARGEST_INTEGER + 1), None),
        ("9" * 10_000, None),  # more digits than int() takes (4,300)
    ],
)
def test_whole_number(value, number):
    assert whole_number(value) == number


def test_whole_number_within_a_range():
    assert whole_number("2025", low=1990, high=2100) == 2025
    assert whole_number("1989", low=1990, high=2100) is None
    assert whole_number("21000", low=1990, high=2100) is None


@pytest.mark.parametrize("year", ["abc", "-1", "0", "9999999999", "2024/25", "2026-02-31", "9" * 10_000])
def test_a_year_that_is_not_one_is_not_found(client, olivia, ashfield, year):
    client.force_login(olivia)
    for url in [reverse("support:support", args=[ashfield.urn]), reverse("boards:list"), reverse("boards:meetings")]:
        assert client.get(url, {"year": year}).status_code == 404, url


def test_a_year_or_none_shows_that_year(client, olivia, ashfield):
    client.force_login(olivia)
    url = reverse("support:support", args=[ashfield.urn])
    assert client.get(url, {"year": ""}).context["year"] == current_year()
    assert client.get(url, {"year": "2024"}).context["year"] == 2024


def test_a_local_authority_that_is_not_one_is_ignored(client, olivia, birmingham):
    client.force_login(olivia)
    assert client.get(reverse("boards:list"), {"la": "9" * 10_000}).context["la_id"] is None
    assert client.get(reverse("boards:list"), {"la": birmingham.pk}).context["la_id"] == birmingham.pk


def test_a_search_for_more_digits_than_a_urn_finds_nothing(client, olivia, ashfield):
    client.force_login(olivia)
    assert list(client.get(reverse("schools:list"), {"q": "9" * 10_000}).context["page"]) == []
    assert list(client.get(reverse("schools:list"), {"q": str(ashfield.urn)}).context["page"]) == [ashfield]


def test_a_nul_character_in_the_query_string_is_a_bad_request(client, olivia):
    client.force_login(olivia)
    assert client.get(reverse("schools:list"), {"q": "\x00"}).status_code == 400
    assert client.get(reverse("schools:list"), {"\x00": "1"}).status_code == 400
    assert client.get(reverse("accounts:sign-in"), {"next": "/\x00"}).status_code == 400


def test_a_next_that_is_not_a_path_is_ignored(client, olivia):
    client.force_login(olivia)
    for wanted in ["abc", "2026-02-31", "https://elsewhere.example/"]:
        response = client.get(reverse("accounts:two-factor-verify"), {"next": wanted})
        assert response.status_code == 302
        assert response["Location"] == reverse("home")
    response = client.get(reverse("accounts:two-factor-verify"), {"next": reverse("schools:list")})
    assert response["Location"] == reverse("schools:list")


def test_an_empty_to_field_in_the_administration_is_a_bad_request(client, adam, ashfield):
    client.force_login(adam)
    change = reverse("admin:schools_school_change", args=[ashfield.pk])
    assert client.get(change, {"_to_field": ""}).status_code == 400
    assert client.get(reverse("admin:schools_school_delete", args=[ashfield.pk]), {"_to_field": ""}).status_code == 400
    assert client.get(change).status_code == 200
