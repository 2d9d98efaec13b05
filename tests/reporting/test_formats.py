"""How the monthly report's stored figures read on the page and in the PDF, and what the workbook holds."""

from datetime import date
from decimal import Decimal

import pytest

from core.spreadsheets import Formatted
from reporting import formats, outputs


@pytest.mark.parametrize(
    ("value", "header", "shown"),
    [
        (1234567, "", "1,234,567"),
        (12.5, "", "12.5"),
        (1234.5, "", "1,234.5"),
        ("75.0%", "", "75.0%"),
        ("+3", "Change", "+3"),
        ("2026-11-01", "Date", "1 November 2026"),
        ("2026-02-30", "", "2026-02-30"),  # not a date: shown as it is
        (125001, "URN", "125001"),  # a code, not a quantity
        (330, "LA code", "330"),
        ("", "", ""),
        ("Castle Secondary School", "School", "Castle Secondary School"),
    ],
)
def test_a_figure_reads_with_separators_and_a_date_in_words(value, header, shown):
    assert formats.shown(value, header) == shown


def test_the_workbook_holds_numbers_percentages_changes_and_dates_as_such():
    assert formats.cell("75.0%") == Formatted(Decimal("0.750"), "0.0%", "75.0%")
    assert formats.cell("+3") == Formatted(3, "+0;-0;0", "+3")
    assert formats.cell("2026-10-14") == date(2026, 10, 14)
    assert formats.cell(1234) == 1234
    assert formats.cell("+1.2 points") == "+1.2 points"
    assert formats.cell("=1+1") == "=1+1"  # text stays text, and the writer guards it


def test_the_summary_picks_the_headline_figures_and_leaves_out_what_a_version_lacks():
    content = {
        "sections": [
            {
                "key": "good-or-better",
                "short": "Good or better",
                "figures": [
                    ["Percentage good or better", "75.0%"],
                    ["Change since the end of last month", "+2.5 points"],
                    ["Percentage of pupils in good or better schools", ""],
                ],
            },
            {"key": "priority-list", "short": "Priority list", "figures": [["Schools added", 1234]]},
        ]
    }
    rows = [(row["section"], row["label"], row["shown"]) for row in outputs.summary(content)]
    assert rows == [
        ("Priority list", "Schools added", "1,234"),
        ("Good or better", "Percentage good or better", "75.0%"),
        ("Good or better", "Good or better: change since the end of last month", "+2.5 points"),
    ]
