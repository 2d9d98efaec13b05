"""The report's figures on hand-made rows whose answers are known."""

from datetime import date
from decimal import Decimal

import pytest

from reporting import figures as f
from reporting.content import Inputs, build, content_hash
from support.calendar import bank_holidays

D = Decimal


def school(pk, phase="primary", pupils=100, opened=None, closed=None):
    return f.SchoolRow(pk, 100000 + pk, f"School {pk}", phase, pupils, opened, closed)


# Good or better --------------------------------------------------------------------------------------------------


def ten_schools():
    """7 of 10 schools good or better, with 1,234 of 1,800 pupils."""
    pupils = [200, 200, 200, 200, 200, 134, 100, 200, 200, 166]  # the first seven: 1,234; all ten: 1,800
    schools = [school(i, pupils=p) for i, p in enumerate(pupils, start=1)]
    grades = [1, 2, 2, 2, 2, 1, 2, 3, 4, 3]
    graded = [f.GradedRow(i, date(2025, 3, 1), g) for i, g in enumerate(grades, start=1)]
    return schools, graded


def test_seven_of_ten_schools_with_1234_of_1800_pupils_is_70_per_cent():
    schools, graded = ten_schools()
    result = f.good_or_better(schools, graded, date(2026, 10, 31))
    assert (result.schools, result.good, result.percent) == (10, 7, D("70.0"))
    assert (result.pupils, result.good_pupils, result.pupils_percent) == (1800, 1234, D("68.6"))


def test_the_latest_graded_inspection_counts_and_later_ones_are_not_seen_yet():
    schools = [school(1)]
    graded = [f.GradedRow(1, date(2020, 1, 10), 4), f.GradedRow(1, date(2024, 6, 1), 2)]
    assert f.good_or_better(schools, graded, date(2023, 12, 31)).good == 0
    assert f.good_or_better(schools, graded, date(2024, 6, 1)).good == 1


def test_schools_without_a_graded_inspection_or_not_open_are_left_out():
    schools = [school(1), school(2), school(3, closed=date(2026, 9, 1)), school(4, opened=date(2026, 11, 1))]
    graded = [f.GradedRow(pk, date(2022, 1, 1), 2) for pk in (1, 3, 4)]
    result = f.good_or_better(schools, graded, date(2026, 10, 31))
    assert (result.schools, result.good) == (1, 1)


def test_no_graded_inspection_gives_no_percentage_rather_than_zero():
    assert f.good_or_better([school(1)], [], date(2026, 10, 31)).percent is None


def test_the_trend_gives_each_month_end_as_the_single_calculation_does():
    schools, graded = ten_schools()
    graded.append(f.GradedRow(8, date(2026, 9, 15), 2))  # school 8 improves in September
    months = f.months_back(date(2026, 10, 1), 3)
    trend = f.good_or_better_trend(schools, graded, months)
    assert [t.on for t in trend] == [date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31)]
    assert [t.good for t in trend] == [7, 8, 8]
    for t in trend:
        assert t == f.good_or_better(schools, graded, t.on)


# Below the floor -------------------------------------------------------------------------------------------------

SECONDARY = f.FloorRule("secondary", {"ks4_p8": "-0.5"}, "")
PRIMARY = f.FloorRule("primary", {"read": "national", "maths": "national"}, "")


def test_secondary_schools_below_a_progress_8_of_minus_half_and_their_pupils():
    schools = [school(1, "secondary", 900), school(2, "secondary", 1100), school(3, "secondary", 700), school(4)]
    found = [
        f.Figure(1, 2018, {"ks4_p8": D("-0.51")}),
        f.Figure(2, 2018, {"ks4_p8": D("-0.50")}),  # at the floor is not below it
        f.Figure(3, 2017, {"ks4_p8": D("-0.9")}),
        f.Figure(3, 2018, {"ks4_p8": D("0.1")}),  # the latest year counts
    ]
    result = f.below_floor(schools, found, SECONDARY, {}, date(2026, 10, 31))
    assert [s.id for s, _ in result.below] == [1]
    assert (result.schools, result.with_results, result.pupils) == (3, 3, 900)


def test_primary_schools_below_national_in_every_measure_of_the_rule():
    schools = [school(1, pupils=210), school(2, pupils=420), school(3, pupils=300)]
    national = {("read", 2014): D("90"), ("maths", 2014): D("89")}
    found = [
        f.Figure(1, 2014, {"read": D("80"), "maths": D("70")}),
        f.Figure(2, 2014, {"read": D("80"), "maths": D("95")}),  # above national in maths
        f.Figure(3, 2014, {"read": D("80")}),  # lacks a measure: not counted as having results
    ]
    result = f.below_floor(schools, found, PRIMARY, national, date(2026, 10, 31))
    assert [(s.id, year) for s, year in result.below] == [(1, 2014)]
    assert (result.with_results, result.pupils) == (2, 210)


def test_without_the_national_figure_no_school_is_called_below_it():
    found = [f.Figure(1, 2014, {"read": D("1"), "maths": D("1")})]
    assert f.below_floor([school(1)], found, PRIMARY, {}, date(2026, 10, 31)).below == []


# Categories ----------------------------------------------------------------------------------------------------

CATEGORIES = [f.CategoryInfo("green", "Green", 0), f.CategoryInfo("amber", "Amber", 1), f.CategoryInfo("red", "Red", 2)]


def test_category_counts_take_each_schools_latest_decision_by_the_date():
    changes = [
        f.CategoryChange(1, date(2026, 9, 10), "green"),
        f.CategoryChange(2, date(2026, 9, 10), "amber"),
        f.CategoryChange(2, date(2026, 10, 20), "red", "amber"),
        f.CategoryChange(3, date(2026, 11, 2), "red"),
    ]
    assert f.category_counts(changes, CATEGORIES, date(2026, 9, 30)) == {"green": 1, "amber": 1, "red": 0}
    assert f.category_counts(changes, CATEGORIES, date(2026, 10, 31)) == {"green": 1, "amber": 0, "red": 1}


def test_movements_in_a_month_by_direction_of_support():
    changes = [
        f.CategoryChange(1, date(2026, 9, 10), "green"),
        f.CategoryChange(1, date(2026, 10, 5), "amber", "green"),  # more support
        f.CategoryChange(2, date(2026, 9, 10), "red"),
        f.CategoryChange(2, date(2026, 10, 6), "green", "red"),  # less support
        f.CategoryChange(3, date(2026, 10, 7), "amber"),  # first time
        f.CategoryChange(4, date(2026, 9, 1), "amber"),
        f.CategoryChange(4, date(2026, 10, 8), "red", "amber"),
        f.CategoryChange(4, date(2026, 10, 9), "amber", "red"),  # and back: no movement
    ]
    moved = f.movements(changes, CATEGORIES, date(2026, 10, 1), date(2026, 10, 31))
    assert (moved.more_support, moved.less_support, moved.first) == (1, 1, 1)
    assert moved.pairs == {("", "amber"): 1, ("green", "amber"): 1, ("red", "green"): 1}


# Support, notices, actions -------------------------------------------------------------------------------------


def test_support_days_allocated_and_delivered_to_the_month_end_and_in_the_month():
    rows = [
        f.SupportRow(date(2026, 9, 5), allocated=D("20")),
        f.SupportRow(date(2026, 9, 20), delivered=D("2")),
        f.SupportRow(date(2026, 10, 3), delivered=D("1.5")),
        f.SupportRow(date(2026, 10, 9), allocated=D("5")),
        f.SupportRow(date(2026, 11, 2), delivered=D("1")),  # after the month
    ]
    days = f.support_days(D("40"), rows, date(2026, 10, 1), date(2026, 10, 31))
    assert (days.entitlement, days.allocated, days.delivered_to_date, days.delivered_in_month) == (
        40,
        25,
        D("3.5"),
        D("1.5"),
    )
    assert days.delivered_percent == D("14.0")


def test_open_notices_are_those_issued_and_not_yet_closed_at_the_date():
    notices = [
        f.NoticeRow(1, "Closed in time", date(2026, 5, 1), date(2026, 7, 1), date(2026, 7, 1)),
        f.NoticeRow(2, "Closed later", date(2026, 5, 1), date(2026, 7, 1), date(2026, 11, 5)),
        f.NoticeRow(3, "Still open", date(2026, 9, 1), date(2026, 12, 1), None),
        f.NoticeRow(4, "Not issued yet", date(2026, 11, 10), None, None),
    ]
    assert [n.urn for n in f.open_notices(notices, date(2026, 10, 31))] == [2, 3]


def test_overdue_actions_count_only_unfinished_ones_past_their_deadline():
    actions = [
        f.ActionRow("Action plans", date(2026, 10, 1), False, 3),
        f.ActionRow("Action plans", date(2026, 10, 1), True, 4),
        f.ActionRow("Action plans", date(2026, 10, 31), False, 1),  # due on the day: not overdue yet
        f.ActionRow("Progress meetings", date(2026, 9, 1), False),
    ]
    assert f.overdue_actions(actions, date(2026, 10, 31)) == {"Action plans": 3, "Progress meetings": 1}


# Periods -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2026, 11, date(2026, 11, 2)),  # 1 November 2026 is a Sunday
        (2027, 1, date(2027, 1, 4)),  # New Year's Day is a Friday, then the weekend
        (2026, 6, date(2026, 6, 1)),
        (2027, 5, date(2027, 5, 4)),  # Saturday 1st, then the early May bank holiday on Monday 3rd
    ],
)
def test_the_first_working_day_of_a_month_skips_weekends_and_bank_holidays(year, month, expected):
    assert f.first_working_day(year, month, bank_holidays([year])) == expected


def test_month_helpers():
    assert f.month_end(date(2028, 2, 10)) == date(2028, 2, 29)
    assert f.previous_month(date(2027, 1, 15)) == date(2026, 12, 1)
    assert f.months_back(date(2026, 2, 1), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert f.percent(1, 3) == D("33.3")


# Impact --------------------------------------------------------------------------------------------------------


def supported(days, before="red", now="amber", grade_before=3, grade_after=2, since="Good"):
    return f.Supported(1, "A", date(2024, 9, 1), D(days), before, now, grade_before, grade_after, since)


def test_impact_compares_category_rank_and_graded_outcomes_only_like_with_like():
    ranks = {c.code: c.rank for c in CATEGORIES}
    assert (f.impact_of(supported(4), ranks).category, f.impact_of(supported(4), ranks).inspection) == (
        "Needs less support",
        "Better",
    )
    assert f.impact_of(supported(4, now="red", grade_after=4), ranks).inspection == "Worse"
    assert f.impact_of(supported(4, now="red"), ranks).category == "No change"
    assert f.impact_of(supported(4, grade_after=None, since="Report card: 6 expected standard"), ranks).inspection == (
        "No graded comparison"
    )
    assert f.impact_of(supported(4, grade_after=None, since=""), ranks).inspection == "Not inspected since"
    assert f.impact_of(supported(4, before=""), ranks).category == "Not known"


def test_impact_bands_by_days_of_support():
    ranks = {c.code: c.rank for c in CATEGORIES}
    impacts = [f.impact_of(supported(d), ranks) for d in ("0", "4.5", "5", "12", "25")]
    bands = f.impact_bands(impacts)
    assert [(b.label, b.schools) for b in bands] == [
        ("0 to under 5 days", 2),
        ("5 to under 10 days", 1),
        ("10 to under 20 days", 1),
        ("20 days or more", 1),
    ]
    assert bands[0].less_support == 2
    assert bands[0].better == 2


# The report as data ------------------------------------------------------------------------------------------


def inputs(**changes) -> Inputs:
    schools, graded = ten_schools()
    values = {
        "authority": "Test Borough Council",
        "schools": schools,
        "graded": graded,
        "published": [
            f.PublishedInspection(
                100002,
                "School 2",
                "primary",
                date(2026, 10, 9),
                "Report card inspection",
                "Report card: 6 expected standard, safeguarding met",
                (("Inclusion", "Expected standard"), ("Safeguarding", "Met")),
            )
        ],
        "floor_figures": [],
        "national": {},
        "floors": [SECONDARY],
        "list_changes": [f.ListChange(100001, "School 1", date(2026, 10, 14), "Added", "Ofsted: requires improvement")],
        "list_size": 12,
        "framework": "Test framework",
        "categories": CATEGORIES,
        "category_changes": [f.CategoryChange(1, date(2026, 10, 3), "red")],
        "entitlement": D("10"),
        "support": [],
        "notices": [],
        "actions": [],
        "overdue": [],
    }
    return Inputs(**(values | changes))


def test_the_report_holds_every_section_with_its_figures_and_definition():
    report = build(date(2026, 10, 1), inputs())
    assert report["title"] == "Test Borough Council school improvement monthly report: October 2026"
    sections = {s["key"]: s for s in report["sections"]}
    assert list(sections) == [
        "priority-list",
        "inspections",
        "good-or-better",
        "below-floor",
        "comparison",
        "categories",
        "support",
        "notices",
        "actions",
        "overdue",
        "quarterly",
    ]
    assert all(s["definition"] for s in sections.values())
    figures = dict(map(tuple, sections["good-or-better"]["figures"]))
    assert figures["Percentage good or better"] == "70.0%"
    assert figures["Pupils in good or better schools"] == 1234
    assert dict(map(tuple, sections["priority-list"]["figures"]))["Schools added"] == 1
    row = sections["inspections"]["tables"][0]["rows"][0]
    assert row[4:] == [
        "Report card inspection",
        "Report card: 6 expected standard, safeguarding met",
        "Inclusion: Expected standard; Safeguarding: Met",
    ]
    assert dict(map(tuple, sections["categories"]["figures"]))["Categorised for the first time"] == 1


def test_the_same_rows_give_the_same_hash_and_a_change_gives_another():
    first = content_hash(build(date(2026, 10, 1), inputs()))
    assert content_hash(build(date(2026, 10, 1), inputs())) == first
    assert content_hash(build(date(2026, 10, 1), inputs(list_size=13))) != first


def test_the_list_in_force_is_the_latest_years_and_last_years_stays_until_the_new_one_is_agreed():
    entries = [
        (2025, date(2025, 10, 14), None),  # last year's, never formally removed
        (2025, date(2025, 10, 14), date(2026, 3, 1)),
        (2025, date(2025, 10, 14), None),
        (2026, date(2026, 10, 14), None),  # this year's list, agreed in October
        (2026, date(2026, 11, 20), None),  # added in year
    ]
    assert f.list_size(entries, date(2025, 9, 30)) == 0
    assert f.list_size(entries, date(2026, 2, 28)) == 3
    assert f.list_size(entries, date(2026, 9, 30)) == 2  # last year's list still in force
    assert f.list_size(entries, date(2026, 10, 31)) == 1
    assert f.list_size(entries, date(2026, 11, 30)) == 2
