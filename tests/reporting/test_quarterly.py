"""The authority's own quarterly counts of permanent exclusions and children in part-time
placements (seed 004): calendar quarters, corrections with their history, the page."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting import quarters, services
from reporting.models import QuarterlyFigure
from reporting.quarters import Change, Quarter
from tests.factories import QuarterlyFigureFactory

JULY = date(2026, 7, 1)


def test_quarters_are_calendar_quarters_named_by_their_months():
    assert Quarter.of(date(2026, 11, 20)).label == "October to December 2026"
    assert Quarter.of(date(2027, 2, 1)).previous.label == "October to December 2026"
    assert Quarter(JULY).end == date(2026, 9, 30)
    assert quarters.last_ended(date(2026, 11, 30)) == Quarter(JULY)
    assert quarters.last_ended(date(2026, 12, 31)).label == "October to December 2026"
    with pytest.raises(ValueError, match="does not start a calendar quarter"):
        Quarter(date(2026, 9, 1))  # the autumn term, not a quarter


def test_the_change_on_the_previous_quarter_says_which_way_and_by_how_much():
    assert str(Change(4, 7)) == "Down 3"
    assert str(Change(9, 7)) == "Up 2"
    assert str(Change(7, 7)) == "Same (0)"
    assert str(Change(7, None)) == "Previous quarter not recorded"


@pytest.mark.django_db
def test_a_correction_replaces_the_count_and_the_history_keeps_what_it_was(olivia, priya):
    services.record_quarterly_figure(quarter=JULY, measure=quarters.PERMANENT_EXCLUSIONS, count=5, by=olivia)
    figure, before = services.record_quarterly_figure(
        quarter=JULY, measure=quarters.PERMANENT_EXCLUSIONS, count=4, source="Exclusions register", by=priya
    )
    assert before == 5
    assert QuarterlyFigure.objects.get().count == 4
    assert [(h.count, h.history_user) for h in figure.history.order_by("history_date")] == [(5, olivia), (4, priya)]
    with pytest.raises(ValidationError):
        services.record_quarterly_figure(
            quarter=date(2026, 8, 1), measure=quarters.PERMANENT_EXCLUSIONS, count=1, by=olivia
        )


@pytest.mark.django_db
def test_the_page_lists_quarters_newest_first_with_the_change_and_only_officers_record(client, olivia, colin):
    for start, count in ((date(2026, 1, 1), 6), (date(2026, 4, 1), 8), (JULY, 5)):
        services.record_quarterly_figure(quarter=start, measure=quarters.PERMANENT_EXCLUSIONS, count=count, by=olivia)
    client.force_login(colin)
    page = client.get(reverse("reporting:quarterly"))
    lines = page.context["tables"][0][1]
    assert [(line.quarter.label, line.figure.count, str(line.change)) for line in lines] == [
        ("July to September 2026", 5, "Down 3"),
        ("April to June 2026", 8, "Up 2"),
        ("January to March 2026", 6, "Previous quarter not recorded"),
    ]
    assert page.context["form"] is None
    assert b"Record a count" not in page.content


@pytest.mark.django_db
def test_the_pages_queries_do_not_grow_with_the_quarters(client, olivia):
    client.force_login(olivia)
    url = reverse("reporting:quarterly")
    QuarterlyFigureFactory(recorded_by=olivia)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    QuarterlyFigureFactory.create_batch(6, recorded_by=olivia)
    with CaptureQueriesContext(connection) as seven:
        assert len(client.get(url).context["tables"][0][1]) == 7
    assert len(seven) == len(one)
