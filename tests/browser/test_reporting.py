"""Reporting in the browser: the dashboard's charts and tables, and a month's report run and downloaded."""

from datetime import date

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Authority
from boards.models import PriorityEntry
from categorisation import palette
from core.calendar import academic_year_label, academic_year_of
from reporting import figures, quarters
from tests.browser.conftest import sign_in
from tests.browser.test_board import menu
from tests.browser.test_support import heading, success
from tests.builtin_data import DEFAULT_AUTHORITY
from tests.factories import InspectionFactory, LocalAuthorityFactory, PriorityEntryFactory
from tests.pdfs import pdf_text


def test_an_officer_reads_the_dashboard_then_runs_and_downloads_last_months_report(
    page, live_server, olivia, ashfield, castle, console_errors, tmp_path
):
    today = timezone.localdate()
    last_month = figures.previous_month(today)
    InspectionFactory(school=ashfield, overall_effectiveness=2, publication_date=date(2023, 3, 1))
    InspectionFactory(school=castle, overall_effectiveness=3, publication_date=date(2023, 3, 1))
    PriorityEntryFactory(
        school=castle,
        academic_year=last_month.year if last_month.month >= 9 else last_month.year - 1,
        reason=PriorityEntry.Reason.OFSTED_RI,
        status=PriorityEntry.Status.ON_LIST,
        added_on=last_month.replace(day=14),
    )

    sign_in(page, live_server, olivia)
    menu(page).get_by_role("link", name="Dashboard", exact=True).click()
    expect(heading(page)).to_have_text("Dashboard")
    charts = page.locator("section.app-chart")
    expect(charts).to_have_count(7)
    # Chart.js drew every chart (the script marks each section once its canvas is drawn).
    expect(page.locator("section.app-chart--drawn")).to_have_count(7)
    good = page.get_by_role("table", name="Percentage of maintained schools good or better: the figures")
    expect(good.get_by_role("row").last).to_contain_text("50.0%")
    listed = page.get_by_role("table", name="Schools on the priority list: the figures")
    expect(listed.get_by_role("row").filter(has_text=f"{last_month:%b %Y}")).to_contain_text("1")
    expect(
        page.get_by_role(
            "img", name="Percentage of maintained schools good or better: the table below gives the figures"
        )
    ).to_be_visible()
    # Both axes titled and every month on the time axis labelled.
    axes = page.evaluate(
        """() => {
            const chart = window.Chart.getChart(document.getElementById("chart-priority-list"));
            const {x, y} = chart.scales;
            return [x.options.title.text, y.options.title.text, x.ticks.length, chart.data.labels.length];
        }"""
    )
    assert axes[:2] == ["Month", "Schools"]
    assert axes[2] == axes[3] >= 1
    # A category's tag is mixed from the colour its series is drawn in (categorisation.palette).
    tag = page.locator("#chart-categories-key + ul .govuk-tag").filter(has_text="Intensive")
    expect(tag).to_be_visible()
    background = tag.evaluate("tag => getComputedStyle(tag).backgroundColor")
    drawn = page.evaluate(
        """() => window.Chart.getChart(document.getElementById("chart-categories"))
            .data.datasets.find((d) => d.label === "Intensive").borderColor"""
    )
    assert drawn == palette.fill("red")
    mixed = palette.mix(drawn, "#ffffff", palette.swatch("red").tint)
    assert background == "rgb({}, {}, {})".format(*bytes.fromhex(mixed[1:]))

    menu(page).get_by_role("link", name="Reports", exact=True).click()
    expect(heading(page)).to_have_text("Monthly reports")
    expect(page.get_by_text("No report has been built yet.")).to_be_visible()
    expect(page.get_by_label("Month")).to_have_value(last_month.isoformat())
    page.get_by_role("button", name="Run the report").click()

    label = f"{last_month:%B %Y}"
    expect(success(page)).to_contain_text(f"Report for {label} built: version 1")
    expect(heading(page)).to_have_text(label)
    section = page.locator("#priority-list")
    expect(section.get_by_role("heading", name="Changes to the priority list")).to_be_visible()
    expect(section).to_contain_text("Castle Secondary School")
    good_section = page.locator("#good-or-better")
    expect(
        good_section.locator(".govuk-summary-list__row").filter(has_text="Percentage good or better")
    ).to_contain_text("50.0%")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the report (PDF)").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == f"monthly-report-{last_month:%Y-%m}-v1.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = pdf_text(saved)
    assert f"Default authority school improvement monthly report: {label}" in text
    assert "Maintained schools good or better" in text
    assert "Percentage good or better 50.0%" in text
    assert "Castle Secondary School" in text

    page.get_by_role("link", name="Back to monthly reports").click()
    row = page.get_by_role("table", name="Reports, latest month first").get_by_role("row").filter(has_text=label)
    expect(row).to_contain_text("Version 1")
    expect(row).to_contain_text("on demand by Olivia Officer")
    assert console_errors == []


def test_an_officer_records_the_quarters_exclusions_and_corrects_one(page, live_server, olivia, console_errors):
    """Seed 004: permanent exclusions and part-time placements, quarter on quarter."""
    today = timezone.localdate()
    latest = quarters.last_ended(today)
    sign_in(page, live_server, olivia)
    page.get_by_role("link", name="Quarterly figures").click()
    expect(heading(page)).to_have_text("Quarterly figures")

    def record(quarter: quarters.Quarter, count: int) -> None:
        page.get_by_label("Quarter").select_option(label=quarter.label)
        page.get_by_label("Permanent exclusions").check()
        page.get_by_label("Count").fill(str(count))
        page.get_by_role("button", name="Record the count").click()

    record(latest.previous, 8)
    record(latest, 5)
    expect(success(page)).to_contain_text(f"Permanent exclusions for {latest.label} recorded: 5")
    exclusions = page.get_by_role("table", name="Permanent exclusions")
    expect(exclusions.get_by_role("row").nth(1)).to_contain_text(f"{latest.label} 5 Down 3")

    record(latest, 9)
    expect(success(page)).to_contain_text(f"Permanent exclusions for {latest.label} corrected from 5 to 9")
    expect(exclusions.get_by_role("row").nth(1)).to_contain_text("Up 1")
    expect(page.get_by_role("table", name="Children in part-time placements")).to_contain_text(
        "No quarter recorded yet."
    )
    assert console_errors == []


def test_an_officer_enters_ks2_sen_support_figures_from_lait_for_birmingham_its_neighbours_and_england(
    page, live_server, olivia, console_errors
):
    """Seed 004 (B81): figures DfE publishes by LA only in its Local Authority Interactive Tool."""
    Authority.objects.filter(pk=DEFAULT_AUTHORITY).update(la_codes=[330])
    for code, name in {330: "Birmingham", 892: "Nottingham", 380: "Bradford"}.items():
        LocalAuthorityFactory(code=code, name=name)
    start = academic_year_of(timezone.localdate()) - 1  # the form offers last year's first
    year = academic_year_label(start)
    label = "KS2, SEN support: % meeting the expected standard in reading, writing and maths"
    sign_in(page, live_server, olivia)
    page.get_by_role("link", name="Published figures by local authority").click()
    expect(heading(page)).to_have_text("Published figures by local authority")

    entered = [("Birmingham (330)", "19.8"), ("Nottingham (892)", "21.5"), ("Bradford (380)", ""), ("England", "24.6")]
    for place, shown in entered:
        page.get_by_role("link", name="Add a figure").click()
        page.get_by_label("Measure").select_option(label=label)
        page.get_by_label("England or a local authority").select_option(label=place)
        expect(page.get_by_label("Academic year")).to_have_value(str(start))
        if shown:
            page.get_by_label("Figure", exact=True).fill(shown)
        else:
            page.get_by_label("Symbol DfE shows instead of a figure (if any)").select_option("c")
        page.get_by_label("Source").fill("DfE LAIT, March 2026")
        page.get_by_role("button", name="Save the figure").click()
        expect(success(page)).to_contain_text(f"Saved {label} for {place} in {year}: {f'{shown}%' if shown else 'c'}")

    table = page.get_by_role("table", name=label)
    expect(table.get_by_role("row")).to_have_count(5)
    expect(table.get_by_role("row").nth(1)).to_contain_text(f"Birmingham (330) This authority {year} 19.8%")
    # Neighbours by LA code; DfE's symbol for a suppressed figure, never 0.
    bradford = table.get_by_role("row").nth(2)
    expect(bradford).to_contain_text("Bradford (380) Statistical neighbours")
    expect(bradford.get_by_role("cell", name="c", exact=True)).to_be_visible()
    expect(table.get_by_role("row").nth(3)).to_contain_text(f"Nottingham (892) Statistical neighbours {year} 21.5%")
    expect(table.get_by_role("row").nth(4)).to_contain_text(f"England England {year} 24.6% DfE LAIT, March 2026")
    assert console_errors == []
