"""Workbooks people can read: typed cells with display formats, fitted columns, a bold frozen header,
and the lines above it where a sheet has a title. Read back with openpyxl."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from core import spreadsheets
from core.spreadsheets import Heading, Sheet, percent, signed


def sheet_of(*sheets: Sheet):
    return load_workbook(io.BytesIO(spreadsheets.xlsx_bytes(sheets)))


def test_numbers_percentages_changes_and_dates_are_typed_with_their_formats():
    rows = [
        [1234, percent(Decimal("75.0")), signed(-2, "-2"), date(2026, 11, 1), datetime(2026, 11, 1, 9, 30, tzinfo=UTC)]
    ]
    sheet = sheet_of(Sheet("Figures", rows, header=["Count", "Share", "Change", "On", "At"])).active
    count, share, change, on, at = sheet[2]
    assert (count.value, count.data_type) == (1234, "n")
    assert (share.value, share.data_type, share.number_format) == (0.75, "n", "0.0%")
    assert (change.value, change.number_format) == (-2, "+0;-0;0")
    assert on.is_date
    assert on.number_format == "d mmmm yyyy"
    assert at.number_format == "d mmmm yyyy hh:mm"


def test_a_percentage_keeps_its_decimal_places_and_a_csv_writes_it_as_written():
    assert percent(Decimal("19.85")).number_format == "0.00%"
    assert percent(50).number_format == "0%"
    text = spreadsheets.csv_text([["Share", percent(Decimal("75.0")), signed(3, "+3"), date(2026, 11, 1)]])
    assert text == "\ufeffShare,75.0%,+3,2026-11-01\r\n"


def test_the_header_is_bold_and_frozen_and_the_columns_fit_what_they_hold_up_to_a_limit():
    rows = [["Ashfield Primary School", 12, "x" * 200], ["Castle Secondary School", 1_234_567, ""]]
    sheet = sheet_of(Sheet("Schools", rows, header=["School", "Pupils", "Notes"])).active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["A2"].font.b
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABC"}
    assert widths["A"] == len("Castle Secondary School") + 2
    assert widths["B"] == len("1,234,567") + 2
    assert widths["C"] == spreadsheets.MAX_WIDTH


def test_lines_above_the_header_move_the_frozen_row_down_and_headings_inside_a_sheet_are_bold():
    rows = [["Schools", 3], [], [Heading("A table"), None]]
    sheet = sheet_of(
        Sheet(
            "Report",
            rows,
            header=["Figure", "Value"],
            heading=["OFFICIAL-SENSITIVE", "Kent: October 2026"],
            marking="OFFICIAL-SENSITIVE",
        )
    ).active
    assert [sheet["A1"].value, sheet["A2"].value, sheet["A3"].value] == [
        "OFFICIAL-SENSITIVE",
        "Kent: October 2026",
        "Figure",
    ]
    assert sheet["A1"].font.b
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A4"
    assert sheet["A6"].value == "A table"
    assert sheet["A6"].font.b
    assert sheet.oddHeader.center.text == sheet.oddFooter.center.text == "OFFICIAL-SENSITIVE"  # when printed


def test_a_long_download_is_sized_from_its_first_rows_and_still_written_whole():
    def rows():
        for number in range(spreadsheets.SIZED_ROWS + 50):
            yield [f"School {number}" if number < spreadsheets.SIZED_ROWS else "A much longer school name " * 3]

    sheet = sheet_of(Sheet("Schools", rows(), header=["School"])).active
    assert sheet.max_row == spreadsheets.SIZED_ROWS + 51
    assert sheet.column_dimensions["A"].width == spreadsheets.MIN_WIDTH + 4  # "School 199" and a margin
