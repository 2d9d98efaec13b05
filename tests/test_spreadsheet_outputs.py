"""Security finding 3 of issue 17: text a user typed must never reach a spreadsheet as a formula.

Every CSV and XLSX file the portal produces is built here with text that a spreadsheet program would run
(``=1+1``, ``=HYPERLINK(...)`` and the rest of ``ATTACKS``) in a field someone can type: a school's name,
a partner's name, a board's rationale, an escalation's reason. Each file must hold that text neutralised:

* in a CSV, after an apostrophe (``'=1+1``), the convention of the list downloads;
* in a workbook, as a text cell (never a formula) carrying Excel's quote prefix, the text itself unchanged.

Numbers stay numbers. The last tests keep it so: only ``core.spreadsheets`` may write CSV or XLSX.

This module deliberately does not import ``core``, so that it runs against code from before the writer
existed and shows the monthly report failing there.
"""

from __future__ import annotations

import ast
import csv
import io
import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from boards import services as board_services
from boards.models import Decision, PriorityEntry
from core import exports, spreadsheets
from core.exports import Column
from reporting import outputs, services
from reporting.models import MonthlyReport
from schools.models import School
from tests.factories import InspectionFactory, SchoolFactory

# The list pages' own cases, one fixture per list page that offers ``?export=csv`` and ``?export=xlsx``.
from tests.reporting.test_exports import (  # noqa: F401 - fixtures, used through request.getfixturevalue
    LISTS,
    academy_notification,
    authority_results,
    caseload,
    category_queue,
    escalations,
    funding,
    inspections,
    letters,
    lowest_quartile,
    moderations,
    notices,
    partners,
    priority_list,
    quality_assurance,
    school_list,
    self_referrals,
)

pytestmark = pytest.mark.django_db  # with the built-in data (letter templates, the framework): see conftest

ROOT = Path(__file__).resolve().parent.parent
# Text a spreadsheet program runs as a formula (or, with a leading tab, may trim and then run).
# (A signed number alone, such as "+1", is not among them: a spreadsheet reads it as that number,
# and a category's change of "+1" stays as written.)
ATTACKS = ["=1+1", "@SUM(1)", "+1+1", "+cmd|' /C calc'!A0", "-1+1", "\t=1", '=HYPERLINK("http://x","y")']
# Kept here rather than read from the code under test, so a change to the rule cannot pass unnoticed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Reading a file back, and what counts as neutralised ----------------------------------------------------


def csv_cells(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_csv_is_safe(rows: list[list[str]]) -> None:
    """No cell a spreadsheet would run: text starting with a formula character is after an apostrophe.
    (A number such as -1 is written as a number, which a spreadsheet reads as that number.)"""
    unguarded = [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS) and not is_number(cell)]
    assert unguarded == []


def assert_csv_holds_neutralised(rows: list[list[str]], attack: str) -> None:
    cells = [cell for row in rows for cell in row]
    assert any(cell.startswith("'" + attack) for cell in cells), f"{attack!r} is not in the file, guarded"
    assert not any(cell.startswith(attack) for cell in cells), f"{attack!r} is in the file unguarded"


def workbook_of(raw: bytes):
    assert raw.startswith(b"PK\x03\x04"), "an XLSX workbook is a zip file"
    return load_workbook(io.BytesIO(raw))


def assert_workbook_is_safe(workbook) -> None:
    """No formula anywhere, and text starting with a formula character is a text cell Excel shows as
    typed after an apostrophe (its quote prefix)."""
    cells = [(sheet.title, cell) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = [f"{title}!{cell.coordinate} {cell.value}" for title, cell in cells if cell.data_type == "f"]
    assert formulas == []
    unmarked = [
        f"{title}!{cell.coordinate} {cell.value!r}"
        for title, cell in cells
        if isinstance(cell.value, str)
        and spreadsheets.looks_like_formula(cell.value)
        and not (cell.data_type == "s" and cell.quotePrefix)
    ]
    assert unmarked == []


def assert_workbook_holds_neutralised(workbook, attack: str) -> None:
    texts = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(attack)
    ]
    assert texts, f"{attack!r} is not in the workbook as text"
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in texts)


# The list downloads ------------------------------------------------------------------------------------------


def _typed_everywhere(attack: str) -> None:
    """The attack as the name of every school and every person: what each list shows first."""
    for school in School.objects.all():
        school.name = attack
        school.save()
    for user in User.objects.all():
        user.full_name = attack
        user.save()


def _download(client, case, export: str):
    response = client.get(f"{case.url}?{urlencode({**case.params, 'export': export})}")
    assert response.status_code == 200
    return body(response)


@pytest.mark.parametrize("name", LISTS)
def test_every_list_download_holds_typed_formulas_as_text(client, request, name):
    case = request.getfixturevalue(name)
    client.force_login(case.user)
    for attack in ATTACKS:
        _typed_everywhere(attack)
        rows = csv_cells(_download(client, case, "csv").decode("utf-8"))
        assert_csv_is_safe(rows)
        assert_csv_holds_neutralised(rows, attack)
        workbook = workbook_of(_download(client, case, "xlsx"))
        assert_workbook_is_safe(workbook)
        assert_workbook_holds_neutralised(workbook, attack)


def test_the_lists_above_are_every_list_that_offers_a_download():
    """A new ``exports.download`` needs its case in tests/reporting/test_exports.py, and so here."""
    calls = sum(path.read_text(encoding="utf-8").count("exports.download(") for path in ROOT.glob("*/*views.py"))
    assert calls == len(LISTS)


def test_the_old_school_list_csv_address_holds_typed_formulas_as_text(client, request, olivia):
    request.getfixturevalue("school_list")
    client.force_login(olivia)
    for attack in ATTACKS:
        _typed_everywhere(attack)
        rows = csv_cells(body(client.get(reverse("schools:list-csv"))).decode("utf-8"))
        assert_csv_is_safe(rows)
        assert_csv_holds_neutralised(rows, attack)


def test_an_escalation_reason_with_a_link_formula_is_text_in_both_formats(client, request):
    """The list pages' own case, with a reason someone typed (see tests/reporting/test_exports.py)."""
    case = request.getfixturevalue("escalations")
    client.force_login(case.user)
    rows = csv_cells(body(client.get(case.url, {"export": "csv"})).decode("utf-8"))
    assert "'" + '=HYPERLINK("http://example.com") no progress' in [cell for row in rows for cell in row]
    workbook = workbook_of(body(client.get(case.url, {"export": "xlsx"})))
    assert_workbook_holds_neutralised(workbook, '=HYPERLINK("http://example.com")')


def test_numbers_stay_numbers_and_only_text_is_neutralised_in_a_download():
    columns = [Column(f"C{i}", lambda row, i=i: row[i]) for i in range(6)]
    row = (-1, -2.5, Decimal("-0.5"), "-1", "=1+1", date(2026, 3, 4))
    workbook = workbook_of(body(exports.xlsx_response([row], columns, "rows", sheet_title="Rows")))
    [cells] = workbook.active.iter_rows(min_row=2)
    assert [cell.value for cell in cells[:3]] == [-1, -2.5, -0.5]
    assert all(cell.data_type == "n" for cell in cells[:3])
    assert [(cell.value, cell.data_type, bool(cell.quotePrefix)) for cell in cells[3:5]] == [
        ("-1", "s", False),  # a signed number as text is its own value, never a formula
        ("=1+1", "s", True),
    ]
    assert cells[5].is_date
    rows = csv_cells(body(exports.csv_response([row], columns, "rows")).decode("utf-8"))
    assert rows[1] == ["-1", "-2.5", "-0.5", "-1", "'=1+1", "2026-03-04"]


# The monthly commissioner report ------------------------------------------------------------------------------


@pytest.fixture
def attacked_report(olivia) -> MonthlyReport:
    """This month's report after schools named with each attack were added to the priority list, had
    an inspection published, and were removed by the board with each attack as its rationale."""
    month = timezone.localdate().replace(day=1)
    for attack in ATTACKS:
        school = SchoolFactory(name=attack)
        InspectionFactory(school=school, overall_effectiveness=2, start_date=month, publication_date=month)
        board_services.decide(
            school=school,
            kind=Decision.Kind.ADD,
            rationale="Governors asked for support",
            reason=PriorityEntry.Reason.OFSTED_RI,
            by=olivia,
        )
        board_services.decide(
            school=school,
            kind=Decision.Kind.REMOVE,
            rationale=attack,
            by=olivia,
            confirm_removal=True,
            removal_override="The school has a new headteacher",
        )
    report, _ = services.generate(month, trigger=MonthlyReport.Trigger.ON_DEMAND, by=olivia)
    return report


def test_the_monthly_report_workbook_holds_typed_formulas_as_text(client, colin, attacked_report):
    """The penetration test's finding: ``=HYPERLINK(...)`` reached the commissioner's workbook as a formula."""
    client.force_login(colin)
    response = client.get(reverse("reporting:report-xlsx", args=[attacked_report.pk]))
    assert response.status_code == 200
    workbook = workbook_of(body(response))
    assert workbook.sheetnames[1:] == [section["short"] for section in attacked_report.content["sections"]]
    assert_workbook_is_safe(workbook)
    for attack in ATTACKS:
        assert_workbook_holds_neutralised(workbook, attack)
    changes = [[cell.value for cell in row] for row in workbook["Priority list"].iter_rows()]
    removed = [row for row in changes if row[3] == "Removed"]
    # The service trims a rationale: "\t=1" is recorded as "=1", a formula still.
    recorded = Decision.objects.filter(kind=Decision.Kind.REMOVE).values_list("school__name", "rationale")
    assert sorted((row[2], row[4]) for row in removed) == sorted(recorded)
    assert {row[4] for row in removed} == {attack.strip() for attack in ATTACKS}


def test_each_section_csv_of_the_monthly_report_holds_typed_formulas_as_text(client, colin, attacked_report):
    client.force_login(colin)
    keys = [section["key"] for section in attacked_report.content["sections"]]
    assert keys == [
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
    for key in keys:
        response = client.get(reverse("reporting:report-csv", args=[attacked_report.pk, key]))
        assert response.status_code == 200
        rows = csv_cells(body(response).decode("utf-8"))
        assert_csv_is_safe(rows)
        if key in ("priority-list", "inspections"):  # the sections that name this month's schools
            for attack in ATTACKS:
                assert_csv_holds_neutralised(rows, attack)


def test_every_part_of_a_section_is_neutralised_and_numbers_stay_numbers(attacked_report):
    """Each section with an attack in a figure's label, a caption, a header, a table cell and its
    definition, and negative numbers as figures: the CSV and the workbook of every section."""
    attack = '=HYPERLINK("http://x","in every part")'
    report = MonthlyReport(period=attacked_report.period, version=1, content=attacked_report.content)
    for section in report.content["sections"]:
        section["figures"] += [[attack, -1], ["Change in percentage", -2.5]]
        section["tables"].append({"caption": attack, "headers": [attack, "n"], "rows": [[attack, -3]]})
        section["definition"] = attack

    workbook = workbook_of(outputs.xlsx(report))
    assert_workbook_is_safe(workbook)
    for section in report.content["sections"]:
        rows = csv_cells(outputs.section_csv(section))
        assert_csv_is_safe(rows)
        guarded = [cell for row in rows for cell in row if cell == "'" + attack]
        assert len(guarded) == 5, section["key"]
        assert ["'" + attack, "-1"] in [row[:2] for row in rows]
        assert ["Change in percentage", "-2.5"] in [row[:2] for row in rows]

        sheet = workbook[section["short"]]
        cells = [cell for row in sheet.iter_rows() for cell in row]
        texts = [cell for cell in cells if cell.value == attack]
        assert len(texts) == 5, section["key"]
        assert all(cell.data_type == "s" and cell.quotePrefix for cell in texts)
        numbers = {cell.value: cell.data_type for cell in cells if isinstance(cell.value, int | float)}
        assert (numbers[-1], numbers[-2.5], numbers[-3]) == ("n", "n", "n")


# Only one module writes spreadsheets -------------------------------------------------------------------------

WRITER = "core/spreadsheets.py"
# Not product code, or not an output: tests, installed packages, the JavaScript toolchain, local
# benchmarks (which write their own fixture files) and migrations.
SKIPPED_DIRECTORIES = {"tests", ".venv", "node_modules", "benchmarks", "migrations", "var", "static"}
# Uses of the writing APIs that are not files the portal produces, each with the reason.
ALLOWED = {
    # The demo builds the GIAS and Ofsted files the importer then reads, in the published files' own
    # shape: input fixtures that no one downloads. Guarding them would change what the importer reads.
    ("schools/demo.py", "csv.DictWriter"),
}


def writes_spreadsheets(source: str) -> list[str]:
    """The spreadsheet-writing APIs a module's source uses: csv's writers, openpyxl's Workbook,
    pandas' to_excel, to_csv and ExcelWriter, and xlsxwriter."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            root = node.module.split(".")[0]
            for alias in node.names:
                if (root, alias.name) in {("csv", "writer"), ("csv", "DictWriter"), ("openpyxl", "Workbook")}:
                    found.append(f"{root}.{alias.name}")
            if root == "xlsxwriter":
                found.append("xlsxwriter")
        elif isinstance(node, ast.Import):
            found += ["xlsxwriter" for alias in node.names if alias.name.split(".")[0] == "xlsxwriter"]
        elif isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            if (owner, node.attr) in {("csv", "writer"), ("csv", "DictWriter"), ("openpyxl", "Workbook")}:
                found.append(f"{owner}.{node.attr}")
            elif node.attr in ("to_excel", "to_csv", "ExcelWriter"):
                found.append(f".{node.attr}(" if node.attr.startswith("to_") else node.attr)
    return found


def product_modules() -> list[Path]:
    found = []
    for folder, directories, files in os.walk(ROOT):
        directories[:] = [d for d in directories if d not in SKIPPED_DIRECTORIES and not d.startswith(".")]
        found += [Path(folder) / name for name in files if name.endswith(".py")]
    return sorted(found)


def test_the_guard_finds_each_way_of_writing_a_spreadsheet():
    source = """
import csv
import openpyxl
from csv import DictWriter
from openpyxl import Workbook
import xlsxwriter
csv.writer(out)
openpyxl.Workbook()
frame.to_excel(path)
frame.to_csv(path)
pd.ExcelWriter(path)
csv.reader(out)
"""
    assert sorted(writes_spreadsheets(source)) == sorted(
        [
            "csv.DictWriter",
            "openpyxl.Workbook",
            "xlsxwriter",
            "csv.writer",
            "openpyxl.Workbook",
            ".to_excel(",
            ".to_csv(",
            "ExcelWriter",
        ]
    )


def test_only_the_one_writer_writes_csv_or_xlsx():
    """Every CSV and XLSX the portal produces goes through ``core.spreadsheets``, so none can forget to
    neutralise formulas. Write a new download with it, not with csv, openpyxl or pandas."""
    modules = product_modules()
    found = set()
    for path in modules:
        name = path.relative_to(ROOT).as_posix()
        if name != WRITER:
            found |= {(name, api) for api in writes_spreadsheets(path.read_text(encoding="utf-8"))}
    assert found - ALLOWED == set()
    assert ALLOWED - found == set(), "an allowed use that no longer exists: take it off the list"
    assert {ROOT / WRITER, ROOT / "reporting" / "outputs.py"} <= set(modules), "the scan missed product code"


def test_the_writer_is_in_the_lowest_layer_and_imports_no_app():
    apps = {"accounts", "schools", "categorisation", "support", "boards", "reporting", "portal", "api", "national"}
    for path in sorted((ROOT / "core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            assert not {module.split(".")[0] for module in modules} & apps, f"{path.name} imports {modules}"


def test_a_signed_number_alone_is_written_as_it_is():
    assert [spreadsheets.csv_cell(v) for v in ["+1", "-2", "-0.5", "+1 point", "-1+1"]] == [
        "+1",
        "-2",
        "-0.5",
        "'+1 point",
        "'-1+1",
    ]
