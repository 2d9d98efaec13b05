"""The Published figures pages: the latest LA-level figure held for the authority, its neighbours and
England, and the form officers copy a figure from DfE's LAIT with."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Authority
from schools.models import LocalAuthorityFigure
from tests.builtin_data import DEFAULT_AUTHORITY
from tests.factories import LocalAuthorityFactory, LocalAuthorityFigureFactory

pytestmark = pytest.mark.django_db

KS1 = "la_ks1_rwm_expected_pct"


@pytest.fixture
def birmingham():
    Authority.objects.filter(pk=DEFAULT_AUTHORITY).update(la_codes=[330])
    for code, name in {330: "Birmingham", 892: "Nottingham", 201: "City of London"}.items():
        LocalAuthorityFactory(code=code, name=name)


def rows_of(page, measure: str) -> list[tuple[str, str, str, str]]:
    table = next(rows for m, rows in page.context["tables"] if m.code == measure)
    return [(row.place, row.group, row.year, row.shown) for row in table]


def test_the_list_shows_each_places_latest_figure_in_the_same_queries_however_many(client, olivia, birmingham):
    client.force_login(olivia)
    url = reverse("reporting:published-figures")
    LocalAuthorityFigureFactory(la_code=330, measure=KS1, academic_year=2017, value="58.0")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    LocalAuthorityFigureFactory(la_code=330, measure=KS1, academic_year=2018, value="60.4")
    LocalAuthorityFigureFactory(la_code=892, measure=KS1, academic_year=2018, value=None, marker="c")
    LocalAuthorityFigureFactory(level="national", la_code=0, measure=KS1, academic_year=2018, value="64.9")
    LocalAuthorityFigureFactory(la_code=201, measure=KS1, academic_year=2018, value="80.0")  # not compared
    with CaptureQueriesContext(connection) as five:
        page = client.get(url)
    assert len(five) == len(one)
    assert rows_of(page, KS1) == [
        ("Birmingham (330)", "This authority", "2018/19", "60.4%"),
        ("Nottingham (892)", "Statistical neighbours", "2018/19", "c"),
        ("England", "England", "2018/19", "64.9%"),
    ]
    assert rows_of(page, "la_suspension_rate") == []


def test_an_officer_saves_a_figure_and_is_told_what_was_saved_or_what_is_missing(client, olivia, birmingham):
    client.force_login(olivia)
    url = reverse("reporting:published-figure-add")
    given = {"measure": KS1, "place": "330", "academic_year": "2018", "source": "DfE LAIT, March 2026"}
    missing = client.post(url, {**given, "value": ""})
    assert missing.context["form"].errors == {"value": ["Enter the figure, or choose the symbol DfE shows instead"]}
    too_high = client.post(url, {**given, "value": "160.4"})
    assert too_high.context["form"].errors == {"value": ["A percentage must be from 0 to 100"]}
    saved = client.post(url, {**given, "value": "60.4"}, follow=True)
    assert saved.redirect_chain == [(reverse("reporting:published-figures"), 302)]
    label = "KS1: % meeting the expected standard in reading, writing and maths"
    assert f"Saved {label} for Birmingham (330) in 2018/19: 60.4%" in saved.content.decode()
    corrected = client.post(url, {**given, "place": "330", "value": "", "marker": "x"}, follow=True)
    assert "from 60.4% to x" in corrected.content.decode()
    assert LocalAuthorityFigure.objects.get().marker == "x"
