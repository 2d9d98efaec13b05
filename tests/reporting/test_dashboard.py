"""The dashboard's charts: each category in the colour of its tag, axes titled, and each chart over time
opening on its first month with figures."""

import json
import re

from django.urls import reverse

from categorisation import palette
from reporting import dashboard


def test_a_chart_over_time_starts_at_its_first_month_with_figures():
    assert dashboard.from_data([[0, 0, 3, 0], [0, "", 0, 1]]) == 2
    assert dashboard.from_data([["", "", 50.0], ["", "", ""]]) == 2
    assert dashboard.from_data([[0, 0, 0]]) == 2  # nothing yet: the latest month alone
    assert dashboard.from_data([]) == 0


def test_a_chart_has_its_axes_its_series_colours_and_drops_the_empty_months():
    made = dashboard.chart(
        "list",
        "Schools on the list",
        "line",
        ["Sep 2026", "Oct 2026", "Nov 2026"],
        [("Schools", [0, 1234, 1300])],
        "At the end of each month.",
        axes=("Month", "Schools"),
    )
    assert made["labels"] == ["Oct 2026", "Nov 2026"]
    assert made["axes"] == {"x": "Month", "y": "Schools"}
    assert made["series"] == [
        {"name": "Schools", "values": [1234, 1300], "colour": palette.series(0), "pattern": palette.pattern(0)}
    ]
    assert made["rows"] == [["Oct 2026", "1,234"], ["Nov 2026", "1,300"]]


def test_each_category_is_charted_in_the_colour_of_its_tag(client, olivia):
    client.force_login(olivia)
    page = client.get(reverse("reporting:dashboard")).content.decode()
    data = re.search(r'<script id="chart-categories-data" type="application/json">(.*?)</script>', page, re.S)
    series = json.loads(data.group(1))["series"]
    found = re.findall(r'<strong class="govuk-tag govuk-tag--([a-z]+)" data-series="([^"]+)">', page)
    tags = {name: colour for colour, name in found}
    assert [s["name"] for s in series] == ["Overview", "Focused", "Intensive"]  # the default framework
    for item in series:
        assert item["colour"] == palette.fill(tags[item["name"]]), item["name"]
    assert {tags["Focused"], tags["Intensive"]} == {"orange", "red"}
    assert len({s["pattern"] for s in series}) == len(series)  # told apart without colour too
