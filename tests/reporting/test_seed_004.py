"""Seed 004's monthly report to the commissioner, item by item, and its comparison "relative to the
core cities, statistical neighbours and national averages"."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Authority
from reporting import comparators, selectors
from reporting import figures as f
from reporting import quarters as q
from reporting.content import build
from schools import services as school_services
from schools.models import ImportRun, PerformanceMeasure
from tests.builtin_data import DEFAULT_AUTHORITY
from tests.factories import LocalAuthorityFactory, LocalAuthorityFigureFactory, SchoolFactory
from tests.reporting.test_figures import PRIMARY, SECONDARY, inputs, school
from tests.schools.test_imports import run
from tests.schools.test_la_figures import CLA_KS2, EYFSP

D = Decimal
OCTOBER = date(2026, 10, 1)


def section(report: dict, key: str) -> dict:
    return next(s for s in report["sections"] if s["key"] == key)


def figures_of(report: dict, key: str) -> dict:
    return dict(map(tuple, section(report, key)["figures"]))


def test_seed_004_updates_made_to_the_priority_schools_list():
    changes = [
        f.ListChange(100001, "School 1", date(2026, 10, 2), "Added", "Ofsted: requires improvement"),
        f.ListChange(100002, "School 2", date(2026, 10, 3), "Carried forward", "Agreed self-referral"),
        f.ListChange(100003, "School 3", date(2026, 10, 4), "Removed", "Good at its latest inspection"),
        f.ListChange(100004, "School 4", date(2026, 9, 30), "Removed", "Last month: not counted"),
    ]
    report = build(OCTOBER, inputs(list_changes=changes))
    counts = figures_of(report, "priority-list")
    # A school carried forward was counted as removed before.
    assert (counts["Schools added"], counts["Schools carried forward from last year"], counts["Schools removed"]) == (
        1,
        1,
        1,
    )
    assert len(section(report, "priority-list")["tables"][0]["rows"]) == 3


def test_seed_004_the_outcome_of_all_maintained_schools_inspections():
    report = build(OCTOBER, inputs())
    [row] = section(report, "inspections")["tables"][0]["rows"]
    assert row[1:3] == [100002, "School 2"]
    assert row[5] == "Report card: 6 expected standard, safeguarding met"


def test_seed_004_the_impact_on_the_total_number_of_maintained_schools_good_or_outstanding():
    schools, graded = [school(i) for i in range(1, 5)], [f.GradedRow(i, date(2025, 3, 1), 3) for i in range(1, 5)]
    graded += [f.GradedRow(1, date(2026, 10, 9), 2), f.GradedRow(2, date(2026, 10, 20), 1)]
    counts = figures_of(build(OCTOBER, inputs(schools=schools, graded=graded)), "good-or-better")
    assert counts["Good or better"] == 2
    assert counts["Change in the number good or better since the end of last month"] == "+2"
    assert counts["Change in the number good or better since a year earlier"] == "+2"


def test_seed_004_the_total_number_of_children_in_maintained_schools_good_or_outstanding():
    counts = figures_of(build(OCTOBER, inputs()), "good-or-better")
    assert counts["Pupils in good or better schools"] == 1234


def test_seed_004_primary_and_secondary_schools_below_floor_standards_and_the_children_in_them():
    schools = [school(1, "secondary", 900), school(2, "primary", 200), school(3, "primary", 300)]
    found = [
        f.Figure(1, 2018, {"ks4_p8": D("-0.8")}),
        f.Figure(2, 2015, {"read": D("80"), "maths": D("81")}),
        f.Figure(3, 2015, {"read": D("95"), "maths": D("81")}),
    ]
    national = {("read", 2015): D("90"), ("maths", 2015): D("87")}
    report = build(
        OCTOBER, inputs(schools=schools, floor_figures=found, national=national, floors=[PRIMARY, SECONDARY])
    )
    counts = figures_of(report, "below-floor")
    assert (counts["Primary schools below the floor"], counts["Secondary schools below the floor"]) == (1, 1)
    assert (
        counts["Pupils in primary schools below the floor"],
        counts["Pupils in secondary schools below the floor"],
    ) == (
        200,
        900,
    )
    assert counts["Pupils in maintained schools below the floor"] == 1100


def test_seed_004_birmingham_is_compared_with_dfes_statistical_neighbours_and_the_core_cities():
    neighbours = comparators.statistical_neighbours()
    assert neighbours[330] == (892, 352, 380, 391, 353, 889, 373, 806, 852, 355)
    groups = comparators.groups_for([330], neighbours)
    assert [g.name for g in groups] == ["This authority", "Statistical neighbours", "Other core cities"]
    assert groups[2].codes == (341, 352, 373, 383, 391, 801, 892)
    # Worcestershire is no core city: it is compared with its neighbours and England only.
    assert [g.name for g in comparators.groups_for([885], neighbours)] == ["This authority", "Statistical neighbours"]


def test_comparisons_pool_each_groups_schools_and_take_the_authoritys_latest_year():
    groups = [(330,), (892, 352)]
    rows = [f.LaInspections(330, 10, 8, 1000, 700), f.LaInspections(892, 5, 1, 500, 100)]
    rows.append(f.LaInspections(352, 5, 4, 500, 400))
    rows.append(f.LaInspections(801, 80, 80, 8000, 8000))
    schools_good, pupils_good = f.compare_inspections(groups, rows)
    assert schools_good.values == [D("80.0"), D("50.0")]
    assert (pupils_good.values, pupils_good.england) == ([D("70.0"), D("50.0")], D("92.0"))
    measures = [
        f.LaMeasure(330, "ks4_p8", 2018, D("-0.3"), 3),
        f.LaMeasure(892, "ks4_p8", 2018, D("0.2"), 2),
        f.LaMeasure(892, "ks4_p8", 2019, D("0.8"), 2),  # the authority has no 2019 figures
    ]
    compared = f.compare_measure("ks4_p8", groups, measures, "0.01")
    assert (compared.year, compared.values, compared.england) == (2018, [D("-0.10"), D("0.10")], D("-0.02"))


@pytest.mark.django_db
def test_seed_004_the_monthly_report_compares_the_authority_with_its_neighbours_from_the_register():
    Authority.objects.filter(pk=DEFAULT_AUTHORITY).update(la_codes=[330])
    brum, nottingham = (
        LocalAuthorityFactory(code=330, name="Birmingham"),
        LocalAuthorityFactory(code=892, name="Nottingham"),
    )
    for la, outcomes in [
        (brum, ["good", "good", "inadequate", ""]),
        (nottingham, ["outstanding", "requires_improvement"]),
    ]:
        for outcome in outcomes:
            found = SchoolFactory(la=la, ofsted_outcome=outcome, pupils_on_roll=100)
            PerformanceMeasure.objects.create(
                school=found, academic_year=2018, measure="ks2_rwm_expected_pct", value=60
            )
            PerformanceMeasure.objects.create(
                school=found, academic_year=2017, measure="ks4dest_not_sustained_pct", value=6 if la == brum else 4
            )
    SchoolFactory(la=brum, ofsted_outcome="inadequate", status_name="Closed")
    data = selectors.comparison()
    assert data["la_names"][892] == "Nottingham"
    report = build(OCTOBER, inputs(**data))
    rows = {row[0]: row for row in section(report, "comparison")["tables"][0]["rows"]}
    assert section(report, "comparison")["tables"][0]["headers"][2:] == [
        "This authority",
        "Statistical neighbours",
        "Other core cities",
        "England",
    ]
    assert rows["Schools good or better (latest inspection)"][2:] == ["66.7%", "50.0%", "50.0%", "60.0%"]
    assert rows["KS2 % meeting the expected standard in reading, writing and maths"][1:4] == [
        "2018/19",
        "60.0%",
        "60.0%",
    ]
    # "Reduce the number of young people not in education, employment or training".
    assert rows["KS4 destinations: % not in a sustained destination"][1:4] == ["2017/18", "6.0%", "4.0%"]


def test_seed_004_birminghams_ranking_among_local_authorities_for_progress_8():
    rows = [
        f.LaMeasure(330, "ks4_p8", 2018, D("-0.2"), 2),
        f.LaMeasure(892, "ks4_p8", 2018, D("0.4"), 2),
        f.LaMeasure(801, "ks4_p8", 2018, D("-0.6"), 2),
        f.LaMeasure(383, "ks4_p8", 2017, D("0.9"), 1),  # another year: not ranked
    ]
    assert f.rank_among_las("ks4_p8", (330,), rows, 2018, higher_is_better=True) == (2, 3)
    report = build(OCTOBER, inputs(comparison_groups=[("This authority", (330,))], la_measures=rows))
    assert figures_of(report, "comparison")["Progress 8 rank among local authorities (2018/19)"] == "2 of 3"


def _report_with_published(*files) -> dict[str, list]:
    """Birmingham's monthly report comparison after importing real Explore Education Statistics files."""
    Authority.objects.filter(pk=DEFAULT_AUTHORITY).update(la_codes=[330])
    for path in files:
        assert run("ees_la_figures", path.read_bytes()).status == ImportRun.Status.SUCCEEDED
    report = build(OCTOBER, inputs(**selectors.comparison()))
    return {row[0]: row[1:] for row in section(report, "comparison")["tables"][0]["rows"]}


@pytest.mark.django_db
def test_seed_004_eyfs_attainment_is_compared_with_statistical_neighbours_core_cities_and_england():
    rows = _report_with_published(EYFSP)
    # Birmingham's own figure, the mean of its ten statistical neighbours' and of the seven other core
    # cities' published figures, and England's: as in DfE's 2021/22 file.
    assert rows["EYFS: % reaching a good level of development (DfE LA figure)"] == [
        "2021/22",
        "62.7%",
        "60.1%",
        "60.5%",
        "65.2%",
    ]


@pytest.mark.django_db
def test_seed_004_send_attainment_is_compared_with_statistical_neighbours_and_england():
    rows = _report_with_published(EYFSP)
    assert rows["EYFS, SEN support: % reaching a good level of development (DfE LA figure)"] == [
        "2021/22",
        "20.7%",
        "19.8%",
        "19.3%",
        "22.9%",
    ]
    assert rows["EYFS, EHC plan: % reaching a good level of development (DfE LA figure)"][1:] == [
        "0.5%",
        "2.2%",
        "2.2%",
        "3.6%",
    ]


@pytest.mark.django_db
def test_seed_004_looked_after_childrens_outcomes_are_compared_with_statistical_neighbours_and_england():
    rows = _report_with_published(CLA_KS2)
    label = "KS2, looked-after children: % meeting the expected standard in reading, writing and maths (DfE LA figure)"
    # Southampton's 2024/25 figure is suppressed ("c"): the neighbours' mean is of the other nine.
    assert rows[label] == ["2024/25", "32.0%", "40.0%", "33.4%", "35.0%"]


def _report_after_entering(by, figures: dict[str, list[tuple[int, int, str]]]) -> dict[str, list]:
    """Birmingham's monthly report comparison after an officer enters figures from DfE's LAIT: for
    each measure, (LA code or 0 for England, academic year, figure or DfE's symbol)."""
    Authority.objects.filter(pk=DEFAULT_AUTHORITY).update(la_codes=[330])
    for code, name in {330: "Birmingham", 892: "Nottingham", 352: "Manchester"}.items():
        LocalAuthorityFactory(code=code, name=name)
    for measure, entries in figures.items():
        for la, year, shown in entries:
            value, marker = (None, shown) if shown.isalpha() else (D(shown), "")
            school_services.record_la_figure(
                measure=measure,
                level="la" if la else "national",
                la_code=la,
                academic_year=year,
                value=value,
                marker=marker,
                source="DfE LAIT, March 2026",
                by=by,
            )
    report = build(OCTOBER, inputs(**selectors.comparison()))
    return {row[0]: row[1:] for row in section(report, "comparison")["tables"][0]["rows"]}


@pytest.mark.django_db
def test_seed_004_send_ks2_and_ks4_figures_entered_from_lait_are_compared_with_neighbours_and_england(olivia):
    """B81: "Improve performance of children with special educational needs and disabilities at KS1 KS2
    and KS4 relative to the core cities, statistical neighbours and national average"."""
    rows = _report_after_entering(
        olivia,
        {
            "la_ks2_rwm_expected_pct_sen_support": [
                (330, 2024, "20.0"),
                (892, 2024, "22.0"),
                (352, 2024, "24.0"),
                (0, 2024, "25.0"),
                (330, 2023, "18.0"),  # an earlier year: not shown
            ],
            # Manchester's figure is suppressed: the neighbours' and core cities' mean is Nottingham's.
            "la_ks4_p8_ehcp": [(330, 2024, "-1.15"), (892, 2024, "-1.05"), (352, 2024, "c"), (0, 2024, "-1.10")],
        },
    )
    # Birmingham, its statistical neighbours (Nottingham and Manchester are both), the other core
    # cities (both are) and England, in the latest year Birmingham has.
    label = "KS2, SEN support: % meeting the expected standard in reading, writing and maths (DfE LA figure)"
    assert rows[label] == ["2024/25", "20.0%", "23.0%", "23.0%", "25.0%"]
    assert rows["KS4, EHC plan: average Progress 8 (DfE LA figure)"] == ["2024/25", "-1.15", "-1.05", "-1.05", "-1.10"]
    assert "KS4, SEN support: average Progress 8 (DfE LA figure)" not in rows  # none held


@pytest.mark.django_db
def test_seed_004_ks1_attainment_entered_by_la_is_compared_with_the_national_average(olivia):
    """B80: "Improve attainment at Key Stage 1 to national averages"."""
    rows = _report_after_entering(
        olivia, {"la_ks1_rwm_expected_pct": [(330, 2018, "60.4"), (0, 2018, "64.9"), (0, 2017, "63.7")]}
    )
    label = "KS1: % meeting the expected standard in reading, writing and maths (DfE LA figure)"
    assert rows[label] == ["2018/19", "60.4%", "", "", "64.9%"]


@pytest.mark.django_db
def test_seed_004_permanent_exclusion_rates_entered_by_la_are_compared_with_neighbours_and_england(olivia):
    """B85: "Reduce permanent exclusions": DfE's LA-level rate per 100 pupils, beside the authority's
    own counts quarter on quarter."""
    rows = _report_after_entering(
        olivia,
        {
            "la_permanent_exclusion_rate": [
                (330, 2023, "0.14"),
                (892, 2023, "0.08"),
                (352, 2023, "0.12"),
                (0, 2023, "0.13"),
            ]
        },
    )
    assert rows["Permanent exclusion rate (per 100 pupils) (DfE LA figure)"] == [
        "2023/24",
        "0.14%",
        "0.10%",
        "0.10%",
        "0.13%",
    ]


def test_an_authority_of_several_las_is_the_mean_of_their_published_figures_in_its_latest_year():
    groups = [(885, 937), (931,)]
    published = [
        f.PublishedFigure(885, "la_eyfs_gld_pct", 2021, D("66.0")),
        f.PublishedFigure(937, "la_eyfs_gld_pct", 2021, D("67.5")),
        f.PublishedFigure(931, "la_eyfs_gld_pct", 2021, D("68.1")),
        f.PublishedFigure(931, "la_eyfs_gld_pct", 2022, D("70.0")),  # the authority has no 2022/23 figure
        f.PublishedFigure(0, "la_eyfs_gld_pct", 2021, D("65.2")),
    ]
    compared = f.compare_published("la_eyfs_gld_pct", groups, published)
    assert (compared.year, compared.values, compared.england) == (2021, [D("66.8"), D("68.1")], D("65.2"))
    report = build(
        OCTOBER,
        inputs(
            comparison_groups=[("This authority", groups[0]), ("Statistical neighbours", groups[1])],
            la_figures=published,
        ),
    )
    assert (
        "This authority has 2 LAs: its figure is the mean of their published figures."
        in (section(report, "comparison")["definition"])
    )


@pytest.mark.django_db
def test_the_comparison_loads_published_figures_only_for_the_las_compared_and_england():
    Authority.objects.filter(pk=DEFAULT_AUTHORITY).update(la_codes=[330])
    LocalAuthorityFigureFactory(la_code=330, value="62.7")
    LocalAuthorityFigureFactory(la_code=892, value="61.0")  # a statistical neighbour
    LocalAuthorityFigureFactory(la_code=201, value="70.0")  # City of London: not compared
    LocalAuthorityFigureFactory(level="national", la_code=0, value="65.2")
    LocalAuthorityFigureFactory(la_code=352, value=None, marker="c")  # suppressed: no figure
    loaded = {(row.la, row.value) for row in selectors.comparison()["la_figures"]}
    assert loaded == {(330, D("62.7")), (892, D("61.0")), (0, D("65.2"))}


def test_seed_004_exclusions_and_part_time_placements_are_reported_quarter_on_quarter():
    """ "Reduce permanent exclusions and the numbers of children in part time placements – quarter on
    quarter reporting": the report for November shows the last two calendar quarters ended by then."""
    recorded = [
        q.Recorded(date(2026, 4, 1), q.PERMANENT_EXCLUSIONS, 7),
        q.Recorded(date(2026, 7, 1), q.PERMANENT_EXCLUSIONS, 4),
        q.Recorded(date(2026, 7, 1), q.PART_TIME_PLACEMENTS, 31),
        # October to December has not ended by the end of November: not reported yet.
        q.Recorded(date(2026, 10, 1), q.PERMANENT_EXCLUSIONS, 1),
    ]
    report = build(date(2026, 11, 1), inputs(quarterly=recorded))
    counts = figures_of(report, "quarterly")
    assert counts["Permanent exclusions, July to September 2026"] == 4
    assert counts["Permanent exclusions: change on April to June 2026"] == "Down 3"
    assert counts["Children in part-time placements, July to September 2026"] == 31
    assert counts["Children in part-time placements: change on April to June 2026"] == "Not recorded"
    [table] = section(report, "quarterly")["tables"]
    assert table["headers"] == ["Measure", "April to June 2026", "July to September 2026", "Change"]
    assert table["rows"] == [
        ["Permanent exclusions", 7, 4, "Down 3"],
        ["Children in part-time placements", "Not recorded", 31, "Not recorded"],
    ]
