"""Downloads of every list page as CSV and XLSX: the rows the filters select (all of them, not one
page), the same values in both formats, the same people refused as the page refuses, links that
keep the filters, and a number of queries that does not grow with the list."""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pandas as pd
import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from boards import annual_services
from boards import services as board_services
from boards.models import Decision, LetterKind, PriorityEntry
from categorisation import selectors as category_selectors
from categorisation import services as category_services
from core import exports
from core.exports import Column
from schools.imports import refresh_latest_inspections
from support.models import AssessmentModeration, VisitReport
from support.selectors import current_year
from tests.factories import (
    InspectionFactory,
    PartnerProfileFactory,
    PerformanceMeasureFactory,
    PriorityEntryFactory,
    SchoolAssignmentFactory,
    SchoolFactory,
    SelfReferralFactory,
    VisitReportFactory,
)
from tests.roles import status_by_role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = current_year(TODAY)
FILE_NAME = re.compile(r'attachment; filename="(?P<stem>[a-z-]+)-\d{8}-\d{4}\.(?P<ext>csv|xlsx)"')


# Reading what was downloaded --------------------------------------------------------------------------


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert FILE_NAME.match(response["Content-Disposition"])["ext"] == "csv"
    raw = body(response)
    assert raw.startswith(codecs.BOM_UTF8), "Excel needs the byte order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def xlsx_frame(response) -> pd.DataFrame:
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_TYPE
    assert FILE_NAME.match(response["Content-Disposition"])["ext"] == "xlsx"
    return pd.read_excel(io.BytesIO(body(response)), engine="openpyxl", dtype=object)


def download(client, user, url: str, export: str, params: dict | None = None):
    client.force_login(user)
    return client.get(url, {**(params or {}), "export": export})


def as_csv_text(value) -> str:
    """A cell read back from the workbook, written as the CSV writes it."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Every list, with data in which its filters leave some rows out ----------------------------------------


@dataclass
class Case:
    url: str
    user: object
    key: str  # the column that names a row
    expected: list[str]  # the rows the filters select, in the page's order
    params: dict = field(default_factory=dict)


def on_list(school, **kwargs) -> PriorityEntry:
    return PriorityEntryFactory(
        school=school,
        academic_year=YEAR,
        reason=kwargs.get("reason", PriorityEntry.Reason.OFSTED_RI),
        status=kwargs.get("status", PriorityEntry.Status.ON_LIST),
        added_on=kwargs.get("added_on", TODAY),
    )


@pytest.fixture
def school_list(olivia, ashfield, beacon_hill, castle):
    InspectionFactory(school=beacon_hill)
    refresh_latest_inspections({beacon_hill.pk})
    return Case(
        reverse("schools:list"),
        olivia,
        "School name",
        ["Beacon Hill Academy", "Castle Secondary School"],
        {"phase": "Secondary"},
    )


@pytest.fixture
def category_queue(olivia, ashfield, beacon_hill, castle):
    for school in (ashfield, beacon_hill, castle):
        InspectionFactory(school=school, overall_effectiveness=4, category_of_concern="special_measures")
        refresh_latest_inspections({school.pk})
    category_services.recategorise(trigger="manual", as_of=date(2026, 11, 23))
    return Case(
        reverse("categorisation:queue"),
        olivia,
        "School name",
        ["Beacon Hill Academy", "Castle Secondary School"],
        {"phase": "Secondary"},
    )


@pytest.fixture
def priority_list(olivia, birmingham, ashfield, beacon_hill, castle):
    on_list(ashfield)
    on_list(beacon_hill, reason=PriorityEntry.Reason.VULNERABLE, status=PriorityEntry.Status.PROPOSED)
    on_list(castle)
    return Case(
        reverse("boards:list"),
        olivia,
        "School name",
        ["Ashfield Primary School", "Beacon Hill Academy"],
        {"status": "all", "la": str(birmingham.pk), "year": str(YEAR)},
    )


@pytest.fixture
def letters(olivia, ashfield, castle):
    board_services.draft_letter(school=ashfield, kind=LetterKind.PRIORITY, by=olivia)
    board_services.draft_letter(school=castle, kind=LetterKind.CONCERN, by=olivia)
    return Case(
        reverse("boards:letters"), olivia, "School name", ["Ashfield Primary School"], {"kind": LetterKind.PRIORITY}
    )


@pytest.fixture
def notices(olivia, ashfield, castle):
    rationale = "Governors have not acted on the safeguarding review"
    board_services.decide(
        school=ashfield, kind=Decision.Kind.ADD, rationale=rationale, by=olivia, reason=PriorityEntry.Reason.OFSTED_RI
    )
    for school in (ashfield, castle):
        board_services.decide(
            school=school, kind=Decision.Kind.RECOMMEND_WARNING_NOTICE, rationale=rationale, by=olivia
        )
    return Case(
        reverse("boards:notices"), olivia, "School name", ["Castle Secondary School", "Ashfield Primary School"]
    )


@pytest.fixture
def escalations(olivia, alice, bob, ashfield, beacon_hill):
    board_services.escalate(school=ashfield, by=alice, reason="The head has cancelled the last three visits")
    board_services.escalate(school=beacon_hill, by=bob, reason='=HYPERLINK("http://example.com") no progress')
    return Case(
        reverse("boards:escalations"),
        olivia,
        "School name",
        ["Beacon Hill Academy", "Ashfield Primary School"],
    )


@pytest.fixture
def inspections(olivia, alice, ashfield, castle):
    board_services.log_inspection_notice(
        school=ashfield, by=olivia, notified_on=TODAY, starts_on=TODAY + timedelta(days=1), partner_attending=alice
    )
    board_services.log_inspection_notice(
        school=castle, by=olivia, notified_on=TODAY, starts_on=TODAY + timedelta(days=2), partner_attending=None
    )
    return Case(
        reverse("boards:inspections"), olivia, "School name", ["Castle Secondary School", "Ashfield Primary School"]
    )


@pytest.fixture
def caseload(alice, bob):
    return Case(reverse("support:caseload"), alice, "School name", ["Ashfield Primary School"])


@pytest.fixture
def partners(olivia, alice, bob):
    PartnerProfileFactory(user=alice)
    PartnerProfileFactory(user=bob, capacity_days=12)
    return Case(reverse("support:partners"), olivia, "Partner", ["Alice Partner", "Bob Partner"])


@pytest.fixture
def self_referrals(olivia, hannah, ashfield, castle):
    SelfReferralFactory(school=ashfield, submitted_by=hannah)
    return Case(reverse("support:self-referrals"), olivia, "School name", ["Ashfield Primary School"])


@pytest.fixture
def quality_assurance(olivia, alice, ashfield, castle):
    responded = {"status": VisitReport.Status.RESPONDED, "head_response": VisitReport.Accuracy.ACCURATE}
    VisitReportFactory(visit__school=ashfield, visit__visitor=alice, selected_for_qa=True, **responded)
    VisitReportFactory(visit__school=castle, selected_for_qa=False, **responded)
    return Case(reverse("support:quality-assurance"), olivia, "School name", ["Ashfield Primary School"])


@pytest.fixture
def moderations(olivia, ashfield, castle):
    """This year's moderations of Castle and Ashfield; last year's of Ashfield is left out."""
    for school, year in ((castle, YEAR), (ashfield, YEAR), (ashfield, YEAR - 1)):
        AssessmentModeration.objects.create(
            school=school,
            academic_year=year,
            stage=AssessmentModeration.Stage.KS2_WRITING,
            moderated_on=date(year + 1, 6, 20),
            outcome=AssessmentModeration.Outcome.AGREED,
            moderator="Ruth Evans",
        )
    return Case(
        reverse("support:moderations"),
        olivia,
        "School name",
        ["Ashfield Primary School", "Castle Secondary School"],
        {"year": str(YEAR)},
    )


@pytest.fixture
def funding(olivia, adam, ashfield, castle):
    """Ashfield agreed Intensive and Castle Focused, whose categories bring funding per pupil."""
    category_services.recategorise(trigger="manual", as_of=date(2026, 11, 23))
    for school, code in ((ashfield, "intensive"), (castle, "focused")):
        category_services.agree_category(school=school, by=olivia, category_code=code, rationale="Agreed at panel")
    draft = category_services.create_draft(version=category_selectors.active_version(), by=adam)
    for code, amount in (("intensive", "12.50"), ("focused", "4")):
        category = draft.categories.get(code=code)
        category_services.update_support(category=category, by=adam, values={"funding_per_pupil": amount})
    category_services.adopt_draft(version=draft, by=adam)
    return Case(
        reverse("categorisation:funding"), olivia, "School name", ["Castle Secondary School", "Ashfield Primary School"]
    )


@pytest.fixture
def academy_notification(olivia, beacon_hill):
    beacon_hill.ofsted_outcome = "inadequate"
    beacon_hill.save()
    notification = annual_services.notify_academy_concerns(
        year=YEAR,
        notified_on=TODAY,
        schools=[beacon_hill],
        summary="Beacon Hill Academy was judged inadequate.",
        to_regional_director=True,
        to_improvement_group=False,
        by=olivia,
    )
    return Case(notification.get_absolute_url(), olivia, "School", ["Beacon Hill Academy"])


@pytest.fixture
def authority_results(olivia, ashfield, beacon_hill, castle):
    """The template of the authority's EYFS and KS1 results: its open schools with a primary phase."""
    return Case(
        reverse("schools:authority-results"), olivia, "School name", ["Ashfield Primary School"], {"year": "2025"}
    )


@pytest.fixture
def lowest_quartile(olivia, birmingham):
    """Four secondary schools with Progress 8 and Attainment 8: the lowest on both is listed."""
    for n, (p8, a8) in enumerate([("-1.2", 30), ("0.1", 45), ("0.3", 50), ("0.5", 55)]):
        school = SchoolFactory(la=birmingham, name=f"Secondary {n}", phase_name="Secondary")
        PerformanceMeasureFactory(school=school, academic_year=2023, measure="ks4_p8", value=Decimal(p8))
        PerformanceMeasureFactory(school=school, academic_year=2023, measure="ks4_att8", value=a8)
    return Case(reverse("support:lowest-quartile"), olivia, "School name", ["Secondary 0"])


LISTS = [
    "school_list",
    "category_queue",
    "priority_list",
    "letters",
    "notices",
    "escalations",
    "inspections",
    "caseload",
    "partners",
    "self_referrals",
    "quality_assurance",
    "funding",
    "moderations",
    "academy_notification",
    "authority_results",
    "lowest_quartile",
]


@pytest.mark.parametrize("name", LISTS)
def test_the_csv_holds_the_rows_the_filters_select_and_no_others(client, request, name):
    case = request.getfixturevalue(name)
    rows = csv_rows(download(client, case.user, case.url, "csv", case.params))
    assert [row[case.key] for row in rows] == case.expected


@pytest.mark.parametrize("name", LISTS)
def test_the_xlsx_opens_with_pandas_and_holds_the_same_rows_and_values(client, request, name):
    case = request.getfixturevalue(name)
    from_csv = csv_rows(download(client, case.user, case.url, "csv", case.params))
    frame = xlsx_frame(download(client, case.user, case.url, "xlsx", case.params))
    assert list(frame.columns) == list(from_csv[0])
    assert list(frame[case.key]) == case.expected
    from_xlsx = [{k: comparable(as_csv_text(v)) for k, v in row.items()} for row in frame.to_dict("records")]
    assert from_xlsx == [{k: comparable(unguarded(v)) for k, v in row.items()} for row in from_csv]


def unguarded(text: str) -> str:
    """CSV text without the quote that stops a spreadsheet running it as a formula (the workbook
    marks such text as text instead)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(exports.FORMULA_STARTS) else text


def comparable(text: str) -> str | float:
    """Numbers as numbers, so 40.0 days in the CSV matches 40 in the workbook."""
    try:
        return float(text)
    except ValueError:
        return text


@pytest.mark.parametrize("name", LISTS)
def test_every_row_is_exported_not_one_page(client, request, name, monkeypatch):
    """A page of one row would show one school; the file still holds every row."""
    from django.core import paginator

    case = request.getfixturevalue(name)
    monkeypatch.setattr(paginator.Paginator, "__init__", _one_per_page(paginator.Paginator.__init__))
    rows = csv_rows(download(client, case.user, case.url, "csv", {**case.params, "page": "2"}))
    assert [row[case.key] for row in rows] == case.expected


def _one_per_page(original):
    def init(self, object_list, per_page, *args, **kwargs):
        original(self, object_list, 1, *args, **kwargs)

    return init


@pytest.mark.parametrize("name", LISTS)
def test_each_role_gets_from_the_download_exactly_what_the_page_gives_them(client, everyone, request, name):
    case = request.getfixturevalue(name)
    page = status_by_role(client, everyone, f"{case.url}?{urlencode(case.params)}")
    for export in exports.FORMATS:
        url = f"{case.url}?{urlencode({**case.params, 'export': export})}"
        assert status_by_role(client, everyone, url) == page
    assert 200 in page.values()


@pytest.mark.parametrize("name", LISTS)
def test_an_export_we_do_not_offer_is_not_found(client, request, name):
    case = request.getfixturevalue(name)
    assert download(client, case.user, case.url, "pdf", case.params).status_code == 404


@pytest.mark.parametrize("name", LISTS)
def test_the_page_links_to_both_downloads_keeping_the_filters(client, request, name):
    case = request.getfixturevalue(name)
    client.force_login(case.user)
    page = client.get(case.url, {**case.params, "page": "1"}).content.decode()
    query = urlencode(case.params).replace("&", "&amp;")
    for export, text in (("csv", "Download as CSV"), ("xlsx", "Download as XLSX")):
        href = f"?{query}&amp;export={export}" if query else f"?export={export}"
        assert f'<a class="govuk-link" href="{href}" download>{text}</a>' in page


# Who may download what ------------------------------------------------------------------------------------


def test_a_partner_downloads_only_their_schools_from_the_school_list(client, alice, bob, school_list):
    for user, names in ((alice, ["Ashfield Primary School"]), (bob, ["Beacon Hill Academy"])):
        assert [r["School name"] for r in csv_rows(download(client, user, school_list.url, "csv"))] == names
        assert list(xlsx_frame(download(client, user, school_list.url, "xlsx"))["School name"]) == names


def test_an_executive_head_downloads_each_of_their_schools(client, ezra, school_list):
    rows = csv_rows(download(client, ezra, school_list.url, "csv"))
    assert [r["School name"] for r in rows] == ["Beacon Hill Academy", "Castle Secondary School"]


def test_a_commissioner_cannot_download_school_lists(client, colin, school_list):
    for export in exports.FORMATS:
        assert download(client, colin, school_list.url, export).status_code == 403
    assert download(client, colin, reverse("schools:list-csv"), "csv").status_code == 403


def test_a_partner_downloads_only_their_own_caseload(client, bob, caseload, ashfield):
    assert [r["School name"] for r in csv_rows(download(client, bob, caseload.url, "csv"))] == ["Beacon Hill Academy"]
    frame = xlsx_frame(download(client, bob, caseload.url, "xlsx"))
    assert list(frame["URN"]) == [139001]


def test_a_board_member_downloads_only_notices_of_schools_on_the_list(client, bella, notices):
    rows = csv_rows(download(client, bella, notices.url, "csv"))
    assert [r["School name"] for r in rows] == ["Ashfield Primary School"]


def test_a_board_member_downloads_the_priority_list_as_the_page_shows_it(client, bella, priority_list):
    rows = csv_rows(download(client, bella, priority_list.url, "csv", priority_list.params))
    assert [r["School name"] for r in rows] == priority_list.expected


# What the files hold --------------------------------------------------------------------------------------


def test_the_school_list_file_keeps_the_pages_sort_order(client, olivia, school_list, ashfield, beacon_hill, castle):
    for school, pupils in ((ashfield, 200), (beacon_hill, 900), (castle, 600)):
        school.pupils_on_roll = pupils
        school.save()
    rows = csv_rows(download(client, olivia, school_list.url, "csv", {"sort": "-pupils"}))
    assert [r["School name"] for r in rows] == [
        "Beacon Hill Academy",
        "Castle Secondary School",
        "Ashfield Primary School",
    ]


def test_numbers_are_numbers_and_dates_are_dates_in_the_workbook(client, olivia, school_list, beacon_hill):
    response = download(client, olivia, school_list.url, "xlsx", school_list.params)
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert sheet.title == "Schools"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "URN"
    assert sheet["A1"].font.b
    headers = [cell.value for cell in sheet[1]]
    beacon = dict(zip(headers, [cell.value for cell in sheet[2]], strict=True))
    assert beacon["URN"] == 139001
    assert beacon["LAESTAB"] == 3304001
    assert beacon["Pupils on roll"] == 320
    assert beacon["Latest Ofsted inspection date"] == datetime(2022, 3, 1)  # noqa: DTZ001 - Excel has no time zones
    assert sheet.cell(2, headers.index("Latest Ofsted inspection date") + 1).number_format == exports.DATE_FORMAT
    castle = dict(zip(headers, [cell.value for cell in sheet[3]], strict=True))
    assert castle["Latest Ofsted inspection date"] is None


def test_text_that_looks_like_a_formula_is_kept_as_text(client, escalations):
    csv_reasons = [r["Reason"] for r in csv_rows(download(client, escalations.user, escalations.url, "csv"))]
    assert csv_reasons[0] == '\'=HYPERLINK("http://example.com") no progress'
    response = download(client, escalations.user, escalations.url, "xlsx")
    sheet = load_workbook(io.BytesIO(body(response))).active
    headers = [cell.value for cell in sheet[1]]
    cell = sheet.cell(2, headers.index("Reason") + 1)
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://example.com") no progress'


def test_the_old_csv_address_still_downloads_the_filtered_school_list(client, olivia, school_list):
    client.force_login(olivia)
    rows = csv_rows(client.get(reverse("schools:list-csv"), school_list.params))
    assert [r["School name"] for r in rows] == school_list.expected


# The generic module ---------------------------------------------------------------------------------------


def _request(query: str = ""):
    return RequestFactory().get(f"/anything/?{query}")


def test_the_format_comes_from_the_export_parameter():
    assert exports.requested(_request()) is None
    assert exports.requested(_request("export=csv")) == "csv"
    assert exports.requested(_request("export=xlsx")) == "xlsx"
    with pytest.raises(Http404):
        exports.requested(_request("export=XLSX"))


def test_the_links_keep_every_filter_but_the_page_and_any_export():
    assert exports.links_query(_request("q=oak&la=3&page=4&export=csv")) == "q=oak&la=3"


def test_file_names_say_what_and_when(settings):
    settings.TIME_ZONE = "Europe/London"
    moment = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment)
        assert exports.filename("schools", "csv") == "schools-20261123-1530.csv"


def test_values_become_what_a_spreadsheet_holds(settings):
    settings.TIME_ZONE = "Europe/London"
    summer = datetime(2026, 7, 1, 11, 5, 30, 123, tzinfo=UTC)
    assert exports.plain(summer) == datetime(2026, 7, 1, 12, 5, 30)  # noqa: DTZ001 - local time, as Excel shows it
    assert exports.plain(True) == "Yes"
    assert exports.plain(False) == "No"
    assert exports.plain(None) is None
    assert exports.plain(date(2026, 1, 2)) == date(2026, 1, 2)
    assert exports.plain(LetterKind.PRIORITY) == "priority"


def test_sheet_titles_are_ones_excel_accepts():
    assert exports.safe_sheet_title("Priority list 2026/27") == "Priority list 2026-27"
    assert len(exports.safe_sheet_title("A very long title for a sheet of the workbook")) == 31
    assert exports.safe_sheet_title("[]") == "Sheet"


def test_a_plain_list_of_rows_exports_too_with_control_characters_dropped():
    columns = [Column("Name", lambda r: r[0]), Column("Held", lambda r: r[1])]
    response = exports.xlsx_response([("Bell\x07 Lane", date(2026, 3, 4))], columns, "rows", sheet_title="Rows")
    frame = pd.read_excel(io.BytesIO(body(response)), engine="openpyxl")
    assert frame.to_dict("records") == [{"Name": "Bell Lane", "Held": pd.Timestamp(2026, 3, 4)}]


# Queries that do not grow with the list --------------------------------------------------------------------


def _export_queries(client, user, url: str, export: str, params: dict | None = None) -> tuple[int, int]:
    """The number of queries a whole download takes (streamed files query as they are read), and its rows."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {**(params or {}), "export": export})
        raw = body(response)
    assert response.status_code == 200
    if export == "csv":
        rows = len(raw.decode("utf-8-sig").splitlines()) - 1
    else:
        rows = len(pd.read_excel(io.BytesIO(raw), engine="openpyxl"))
    return len(queries), rows


def _inspected_schools(n: int, la) -> None:
    for school in SchoolFactory.create_batch(n, la=la):
        InspectionFactory(school=school)
        refresh_latest_inspections({school.pk})


@pytest.mark.parametrize("export", exports.FORMATS)
def test_the_school_list_download_takes_as_many_queries_for_10_schools_as_for_2(client, olivia, birmingham, export):
    _inspected_schools(2, birmingham)
    two, rows = _export_queries(client, olivia, reverse("schools:list"), export)
    assert rows == 2
    _inspected_schools(8, birmingham)
    ten, rows = _export_queries(client, olivia, reverse("schools:list"), export)
    assert rows == 10
    assert two == ten


@pytest.mark.parametrize("export", exports.FORMATS)
def test_the_priority_list_download_takes_as_many_queries_for_10_schools_as_for_2(client, olivia, birmingham, export):
    def add(n):
        for school in SchoolFactory.create_batch(n, la=birmingham):
            on_list(school)
            SchoolAssignmentFactory(school=school)

    add(2)
    two, rows = _export_queries(client, olivia, reverse("boards:list"), export)
    assert rows == 2
    add(8)
    ten, rows = _export_queries(client, olivia, reverse("boards:list"), export)
    assert rows == 10
    assert two == ten


@pytest.mark.parametrize("export", exports.FORMATS)
def test_the_caseload_download_takes_as_many_queries_for_10_schools_as_for_2(client, alice, birmingham, export):
    def add(n):
        for school in SchoolFactory.create_batch(n, la=birmingham):
            SchoolAssignmentFactory(user=alice, school=school)

    add(1)  # and Ashfield
    two, rows = _export_queries(client, alice, reverse("support:caseload"), export)
    assert rows == 2
    add(8)
    ten, rows = _export_queries(client, alice, reverse("support:caseload"), export)
    assert rows == 10
    assert two == ten
