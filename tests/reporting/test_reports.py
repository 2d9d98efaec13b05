"""The monthly report from the case data: built, kept in versions, downloaded, and seen only by
officers, administrators and commissioners."""

import io
from datetime import date

import pandas as pd
import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook
from pypdf import PdfReader

from boards.models import PriorityEntry
from categorisation import palette
from core.spreadsheets import Formatted
from reporting import formats, outputs, services, tasks
from reporting.models import MonthlyReport
from tests.factories import ActionPlanFactory, InspectionFactory, PriorityEntryFactory, SchoolFactory
from tests.pdfs import pdf_text
from tests.roles import OFFICERS, ROLES, assert_each_page_by_role

OCTOBER = date(2026, 10, 1)
HEADINGS = [
    "Changes to the priority list",
    "Ofsted inspections of maintained schools published in the month",
    "Maintained schools good or better",
    "Primary and secondary schools below the floor standards",
    "Schools in each category, and movements",
    "Support days allocated and delivered",
    "Warning notices open",
    "Overdue actions",
]


@pytest.fixture
def schools(ashfield, castle, beacon_hill):
    """Four maintained schools with graded inspections (three good or better, 700 of 1,000 pupils), an
    academy that must not count, a report card published in October and a school added to the list."""
    maintained = [ashfield, castle, SchoolFactory(name="Elm Primary School", pupils_on_roll=100)]
    maintained.append(SchoolFactory(name="Fir Primary School", pupils_on_roll=300))
    for school, pupils, grade in zip(maintained, [300, 300, 100, 300], [2, 1, 2, 4], strict=True):
        school.pupils_on_roll = pupils
        school.save()
        InspectionFactory(school=school, overall_effectiveness=grade, publication_date=date(2023, 5, 1))
    InspectionFactory(school=beacon_hill, overall_effectiveness=4, publication_date=date(2023, 5, 1))
    InspectionFactory(
        school=castle, report_card=True, start_date=date(2026, 9, 29), publication_date=date(2026, 10, 20)
    )
    PriorityEntryFactory(
        school=maintained[3],
        academic_year=2026,
        reason=PriorityEntry.Reason.OFSTED_CONCERN,
        status=PriorityEntry.Status.ON_LIST,
        added_on=date(2026, 10, 14),
    )
    return maintained


def figures_of(report: MonthlyReport, key: str) -> dict:
    section = next(s for s in report.content["sections"] if s["key"] == key)
    return dict(map(tuple, section["figures"]))


def report_text(report: MonthlyReport) -> str:
    return pdf_text(report.pdf.path)


# Building and versions -------------------------------------------------------------------------------------------


def test_the_report_counts_the_months_figures_from_the_case_data(schools):
    report, created = services.generate(OCTOBER, trigger=MonthlyReport.Trigger.ON_DEMAND)
    assert created
    assert report.version == 1
    good = figures_of(report, "good-or-better")
    assert (good["Maintained schools with a graded inspection"], good["Good or better"]) == (4, 3)
    assert (good["Percentage good or better"], good["Percentage of pupils in good or better schools"]) == (
        "75.0%",
        "70.0%",
    )
    assert figures_of(report, "priority-list")["Schools added"] == 1
    inspections = next(s for s in report.content["sections"] if s["key"] == "inspections")
    [row] = inspections["tables"][0]["rows"]
    assert row[1:5] == [125001, "Castle Secondary School", "Secondary", "Report card inspection"]
    assert "Achievement: Needs attention" in row[6]
    assert "Good" not in row[5]  # a report card has no overall grade, and none is made up


def test_the_report_lists_the_deadlines_overdue_at_the_months_end(schools):
    ActionPlanFactory(school=schools[0], academic_year=2026, due_by=date(2026, 10, 24))
    report, _ = services.generate(OCTOBER, trigger=MonthlyReport.Trigger.ON_DEMAND)
    overdue = next(s for s in report.content["sections"] if s["key"] == "overdue")
    figures = dict(map(tuple, overdue["figures"]))
    # Ashfield's plan was due by October half-term; no maintained school was sent its letter by then.
    assert (figures["Action plan"], figures["Priority letter"]) == (1, 4)
    assert ["Action plan", 103001, "Ashfield Primary School", "2026-10-24"] in [
        row[:4] for row in overdue["tables"][0]["rows"]
    ]


def test_running_twice_with_nothing_changed_keeps_one_version_and_a_change_makes_a_second(schools, olivia):
    first, created = services.generate(OCTOBER, trigger=MonthlyReport.Trigger.SCHEDULED)
    again, created_again = services.generate(OCTOBER, trigger=MonthlyReport.Trigger.ON_DEMAND, by=olivia)
    assert created
    assert not created_again
    assert again.pk == first.pk
    assert MonthlyReport.objects.count() == 1

    InspectionFactory(school=schools[3], overall_effectiveness=2, publication_date=date(2026, 10, 28))
    second, created = services.generate(OCTOBER, trigger=MonthlyReport.Trigger.ON_DEMAND, by=olivia)
    assert created
    assert second.version == 2
    assert figures_of(second, "good-or-better")["Good or better"] == 4
    first.refresh_from_db()
    assert figures_of(first, "good-or-better")["Good or better"] == 3
    assert first.pdf.storage.exists(first.pdf.name)
    assert first.pdf.name != second.pdf.name


def test_the_pdf_holds_every_section_heading_and_the_months_figures(schools):
    report, _ = services.generate(OCTOBER, trigger=MonthlyReport.Trigger.ON_DEMAND)
    text = report_text(report)
    assert "Default authority school improvement monthly report: October 2026" in text
    for heading in HEADINGS:
        assert heading in text
    assert "Percentage good or better 75.0%" in text
    assert "Pupils in good or better schools 700" in text
    assert "Castle Secondary School" in text
    assert "Fir Primary School" in text


def test_the_pdf_opens_with_a_summary_names_the_authority_and_is_marked_on_every_page(schools):
    report, _ = services.generate(OCTOBER, trigger=MonthlyReport.Trigger.ON_DEMAND)
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(report.pdf.path).pages]
    assert len(pages) > 2
    assert all("OFFICIAL-SENSITIVE" in page for page in pages)
    assert all("Default authority" in page for page in pages)  # in the header of each page
    summary = pages[0]
    assert "Summary" in summary
    assert "Schools on the priority list at the end of the month Priority list 1" in summary
    assert "Percentage good or better Good or better 75.0%" in summary
    assert HEADINGS[0] not in summary  # the sections start on the next page
    text = " ".join(pages)
    assert "Pupils in these schools 1,000" in text  # thousands separated
    assert "Date URN School Change Reason 14 October 2026" in text  # dates in words
    assert "2026-10-14" not in text
    # The categories' bars in the colours of their tags (the default framework's).
    chart = next(s for s in report.content["sections"] if s["key"] == "categories")["chart"]
    expected = [palette.fill(colour) for colour in ("green", "orange", "red")]
    assert chart["colours"] == expected
    svg = outputs.chart_svg(chart)
    assert all(colour in svg for colour in expected)


def test_the_report_page_has_the_summary_the_marking_and_dates_in_words(client, olivia, schools):
    report, _ = services.generate(OCTOBER, trigger=MonthlyReport.Trigger.ON_DEMAND)
    client.force_login(olivia)
    page = client.get(report.get_absolute_url()).content.decode()
    assert page.count("OFFICIAL-SENSITIVE") == 2  # above and below the report
    assert "Default authority: monthly report, version 1" in page
    assert '<a class="govuk-link" href="#good-or-better">Percentage good or better</a>' in page
    assert ">1,000</dd>" in page
    assert "14 October 2026" in page
    assert "2026-10-14" not in page


def test_the_workbook_opens_with_pandas_and_holds_the_figures_the_page_shows(client, olivia, schools):
    report, _ = services.generate(OCTOBER, trigger=MonthlyReport.Trigger.ON_DEMAND)
    client.force_login(olivia)
    page = client.get(report.get_absolute_url()).content.decode()
    response = client.get(reverse("reporting:report-xlsx", args=[report.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="monthly-report-2026-10-v1.xlsx"'
    held = b"".join(response.streaming_content)
    sheets = pd.read_excel(io.BytesIO(held), sheet_name=None, header=None)
    assert list(sheets)[1:] == [
        "Priority list",
        "Inspections",
        "Good or better",
        "Below the floor",
        "Comparison",
        "Categories",
        "Support days",
        "Warning notices",
        "Overdue actions",
        "Overdue",
        "Quarterly figures",
    ]
    for section in report.content["sections"]:
        sheet = sheets[section["short"]]
        # The marking and the section's title, then the header row, then the figures.
        assert list(sheet.iloc[:3, 0]) == ["OFFICIAL-SENSITIVE", f"Default authority: {section['title']}", "Figure"]
        in_sheet = dict(sheet.iloc[3 : len(section["figures"]) + 3, :2].values)
        for label, value in section["figures"]:
            held = formats.cell(value)
            expected = float(held.number) if isinstance(held, Formatted) else held
            assert pd.isna(in_sheet[label]) if value == "" else in_sheet[label] == expected, (label, value)
            assert (
                f'<dt class="govuk-summary-list__key">{label}</dt>'
                f'<dd class="govuk-summary-list__value">{formats.shown(value)}</dd>' in (page.replace("&#x27;", "'"))
            )


def test_the_workbook_types_its_cells_fits_its_columns_and_freezes_its_header(schools):
    report, _ = services.generate(OCTOBER, trigger=MonthlyReport.Trigger.ON_DEMAND)
    workbook = load_workbook(io.BytesIO(outputs.xlsx(report)))
    first = workbook["Report"]
    assert [first[f"A{row}"].value for row in (1, 2, 4)] == ["OFFICIAL-SENSITIVE", report.title, "Section"]
    assert first["A3"].value == "Default authority: version 1"
    assert first.freeze_panes == "A5"
    assert all(cell.font.b for cell in first[4])
    summary = {row[1].value: row[2] for row in first.iter_rows(min_row=5)}
    assert (summary["Percentage good or better"].value, summary["Percentage good or better"].number_format) == (
        0.75,
        "0.0%",
    )

    good = workbook["Good or better"]
    assert good.freeze_panes == "A4"
    figures = {row[0].value: row[1] for row in good.iter_rows(min_row=4) if row[0].value}
    assert figures["Pupils in these schools"].value == 1000
    assert figures["Percentage of pupils in good or better schools"].number_format == "0.0%"
    assert figures["Change in the number good or better since a year earlier"].number_format == "+0;-0;0"
    assert 8 <= good.column_dimensions["A"].width <= 60

    listed = workbook["Priority list"]
    [added] = [row for row in listed.iter_rows() if row[3].value == "Added"]
    assert added[0].is_date
    assert added[0].number_format == "d mmmm yyyy"
    assert (added[1].data_type, added[1].number_format) == ("n", "General")  # a URN, no separators
    assert listed["A2"].value == "Default authority: Changes to the priority list"
    assert all(sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE" for sheet in workbook.worksheets)


def test_a_sections_csv_holds_its_figures_and_table(client, colin, schools):
    report, _ = services.generate(OCTOBER, trigger=MonthlyReport.Trigger.ON_DEMAND)
    client.force_login(colin)
    response = client.get(reverse("reporting:report-csv", args=[report.pk, "priority-list"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    assert "Schools added,1" in text
    assert "2026-10-14,103001" not in text
    assert "Fir Primary School,Added" in text
    assert client.get(reverse("reporting:report-csv", args=[report.pk, "nonsense"])).status_code == 404


# Schedule --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 11, 2), date(2026, 10, 1)),  # Monday 2 November: the first working day
        (date(2026, 11, 1), None),  # a Sunday
        (date(2026, 11, 3), None),
        (date(2027, 1, 4), date(2026, 12, 1)),  # after New Year's Day and a weekend
        (date(2026, 12, 25), None),
    ],
)
def test_the_report_is_due_on_the_first_working_day_of_the_month(today, due):
    assert services.report_month_due(today) == due


def test_the_daily_task_builds_last_months_report_only_on_the_first_working_day(schools):
    assert tasks.monthly_report_if_due("2026-11-03") == {"due": False}
    assert not MonthlyReport.objects.exists()
    result = tasks.monthly_report_if_due("2026-11-02")
    assert result["due"]
    assert result["created"]
    assert result["version"] == 1
    report = MonthlyReport.objects.get()
    assert (report.period, report.trigger, report.created_by) == (OCTOBER, "scheduled", None)
    assert tasks.monthly_report_if_due("2026-11-02")["created"] is False


def test_the_daily_check_is_scheduled_in_the_morning(db):
    task = PeriodicTask.objects.get(task="reporting.monthly_report_if_due")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("6", "30", "Europe/London")


# Pages ------------------------------------------------------------------------------------------------------------

READERS = OFFICERS | {"colin": 200}
EVERYONE_ELSE = {role: 403 for role in ROLES if role not in READERS}
OFFICERS_ONLY = OFFICERS | {role: 403 for role in ROLES if role not in OFFICERS}


@pytest.fixture
def report(schools):
    return services.generate(OCTOBER, trigger=MonthlyReport.Trigger.ON_DEMAND)[0]


@pytest.fixture
def pages(report):
    return {
        "reports": (reverse("reporting:reports"), READERS | EVERYONE_ELSE),
        "a report": (report.get_absolute_url(), READERS | EVERYONE_ELSE),
        "PDF": (reverse("reporting:report-pdf", args=[report.pk]), READERS | EVERYONE_ELSE),
        "XLSX": (reverse("reporting:report-xlsx", args=[report.pk]), READERS | EVERYONE_ELSE),
        "CSV": (reverse("reporting:report-csv", args=[report.pk, "support"]), READERS | EVERYONE_ELSE),
        "dashboard": (reverse("reporting:dashboard"), READERS | EVERYONE_ELSE),
        "impact": (reverse("reporting:impact"), OFFICERS | {role: 403 for role in ROLES if role not in OFFICERS}),
        # Seed 004's quarter on quarter figures: the board reads them too.
        "quarterly figures": (reverse("reporting:quarterly"), READERS | EVERYONE_ELSE | {"bella": 200}),
        # DfE's LA-level figures, entered by officers from LAIT.
        "published figures": (reverse("reporting:published-figures"), OFFICERS_ONLY),
        "add a published figure": (reverse("reporting:published-figure-add"), OFFICERS_ONLY),
    }


PAGE_NAMES = [
    "reports",
    "a report",
    "PDF",
    "XLSX",
    "CSV",
    "dashboard",
    "impact",
    "quarterly figures",
    "published figures",
    "add a published figure",
]


def test_every_role_gets_exactly_what_it_may_see(client, everyone, pages):
    assert_each_page_by_role(client, everyone, pages, PAGE_NAMES)


def test_the_matrix_covers_every_reporting_page(pages):
    from django.urls import resolve

    from reporting.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {resolve(url).url_name for url, _ in pages.values()}


def test_an_officer_runs_a_report_for_a_past_month_and_is_taken_to_it(client, olivia, schools):
    client.force_login(olivia)
    response = client.post(reverse("reporting:reports"), {"period": "2026-10-01"}, follow=True)
    report = MonthlyReport.objects.get()
    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    assert "Report for October 2026 built: version 1" in response.content.decode()
    response = client.post(reverse("reporting:reports"), {"period": "2026-10-01"}, follow=True)
    assert "Nothing has changed since version 1 of the report for October 2026" in response.content.decode()
    assert MonthlyReport.objects.count() == 1
    assert report.created_by == olivia


def test_a_month_that_has_not_ended_cannot_be_run(client, olivia):
    client.force_login(olivia)
    response = client.post(reverse("reporting:reports"), {"period": "2099-01-01"})
    assert response.status_code == 200
    assert "Choose a month that has ended" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_a_commissioner_reads_reports_but_cannot_run_one(client, colin, report):
    client.force_login(colin)
    page = client.get(reverse("reporting:reports")).content.decode()
    assert "October 2026" in page
    assert "Run a report" not in page
    assert client.post(reverse("reporting:reports"), {"period": "2026-09-01"}).status_code == 403
    assert MonthlyReport.objects.count() == 1


def test_the_reports_list_shows_the_latest_version_of_each_month_in_bounded_queries(
    client, olivia, schools, django_assert_max_num_queries
):
    client.force_login(olivia)
    for month in (8, 9, 10):
        services.generate(date(2026, month, 1), trigger=MonthlyReport.Trigger.ON_DEMAND)
    InspectionFactory(school=schools[3], overall_effectiveness=2, publication_date=date(2026, 10, 28))
    services.generate(OCTOBER, trigger=MonthlyReport.Trigger.ON_DEMAND)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("reporting:reports")).content.decode()
    assert page.index("October 2026") < page.index("September 2026") < page.index("August 2026")
    assert "Version 2" in page
    assert "(1 earlier)" in page


def test_the_dashboard_shows_each_chart_with_its_table(client, olivia, schools, django_assert_max_num_queries):
    client.force_login(olivia)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("reporting:dashboard")).content.decode()
    for title in (
        "Maintained schools in each category",
        "Movements between categories",
        "Percentage of maintained schools good or better",
        "Inspections of maintained schools published this academic year",
        "Support days this academic year",
        "Schools on the priority list",
        "Overdue work today",
    ):
        assert f"{title}: the figures" in page
    assert page.count("<canvas") == 7
    assert "75.0%" in page


def test_the_commissioners_home_page_links_the_latest_report(client, colin, report):
    client.force_login(colin)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{report.get_absolute_url()}">October 2026</a> (version 1' in page
    assert 'href="/reports/">All monthly reports</a>' in page


def test_long_tables_are_cut_in_the_pdf_and_on_the_page_but_whole_in_the_workbook(client, olivia, settings):

    for i in range(outputs.PDF_ROWS + 7):
        PriorityEntryFactory(
            school=SchoolFactory(name=f"Listed School {i:03d}"),
            academic_year=2026,
            reason=PriorityEntry.Reason.OFSTED_RI,
            status=PriorityEntry.Status.ON_LIST,
            added_on=date(2026, 10, 14),
        )
    report, _ = services.generate(OCTOBER, trigger=MonthlyReport.Trigger.ON_DEMAND)
    text = report_text(report)
    assert "Listed School 049" in text
    assert "Listed School 050" not in text
    assert "And 7 more: the spreadsheet and the section's CSV hold every row." in text
    client.force_login(olivia)
    sheets = pd.read_excel(
        io.BytesIO(b"".join(client.get(reverse("reporting:report-xlsx", args=[report.pk])).streaming_content)),
        sheet_name="Priority list",
        header=None,
    )
    assert sheets[2].astype(str).str.startswith("Listed School").sum() == outputs.PDF_ROWS + 7


def test_the_dashboard_is_kept_for_the_cache_period_and_says_when_it_was_drawn(
    client, olivia, settings, django_assert_max_num_queries
):
    from django.core.cache import cache

    settings.DASHBOARD_CACHE_SECONDS = 600
    cache.clear()
    client.force_login(olivia)
    first = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Figures as at" in first
    assert "drawn again from the data every 10 minutes" in first
    with django_assert_max_num_queries(4):  # the session, the person, the authenticator check and the unread count
        assert client.get(reverse("reporting:dashboard")).status_code == 200
    cache.clear()


def test_the_scheduled_refresh_draws_the_dashboard_again_so_the_page_reads_only_the_cache(
    client, olivia, settings, django_assert_max_num_queries
):
    from django.core.cache import cache

    from reporting.tasks import refresh_dashboard

    settings.DASHBOARD_CACHE_SECONDS = 600
    cache.clear()
    assert PeriodicTask.objects.get(task="reporting.refresh_dashboard").interval.every == 5
    assert refresh_dashboard.delay().get()["refreshed"] is True
    client.force_login(olivia)
    with django_assert_max_num_queries(4):  # the session, the person, the authenticator check and the unread count
        page = client.get(reverse("reporting:dashboard"))
    assert "Figures as at" in page.content.decode()
    settings.DASHBOARD_CACHE_SECONDS = 0
    assert refresh_dashboard.delay().get() == {"refreshed": False}
    cache.clear()
