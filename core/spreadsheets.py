"""The one writer of every spreadsheet the portal produces, CSV and XLSX: the list downloads, the monthly
report's workbook and its CSVs alike.

Everything a user can type (a school name, a board's rationale, a note) may reach a council officer's or
a commissioner's spreadsheet program, which runs text starting with ``=``, ``+``, ``-`` or ``@`` as a
formula (CSV or formula injection: ``=HYPERLINK(...)`` sends whatever it is given to another site).
Writing every file here applies one rule to every cell of every file, so no output can forget it:

* in a CSV, such text gets a leading apostrophe (``'=1+1``), which spreadsheet programs read as "this
  is text" (OWASP's advice, and ASVS 5 requirement 1.2.10);
* in an XLSX workbook, text is always a string cell, never a formula, and such text is also marked
  with Excel's quote prefix (what Excel records when someone types ``'=1+1``), so editing the cell
  keeps it text. The text itself is kept as it was typed.

Only text is guarded: numbers and dates stay numbers and dates (-1 stays the number -1). Characters
XML cannot hold (control characters other than tab and line breaks) are dropped from text first, in
both formats, so they cannot hide a formula character behind them.

A workbook is written for people to read as well as to compute with: dates as dates shown as
"1 November 2026", percentages as numbers with a percentage format (``Formatted``), a bold header row
frozen at the top, and columns as wide as what they hold (up to a limit). A CSV stays plain: ISO dates
and the figures as written.

``tests/test_spreadsheet_outputs.py`` fails if any other module writes CSV or XLSX itself.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# Text starting with one of these is read as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A signed number and nothing else, which a spreadsheet reads as that number.
SIGNED_NUMBER = re.compile(r"[+-][0-9]+(\.[0-9]+)?")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel reads a CSV as UTF-8 only when it starts with a byte order mark.
BYTE_ORDER_MARK = "\ufeff"
DATE_FORMAT = "d mmmm yyyy"
DATETIME_FORMAT = "d mmmm yyyy hh:mm"
# Columns are sized to the header and the first rows (read ahead, so a long download stays in bounded
# memory), between these widths in characters; longer text wraps into the cells beside it.
SIZED_ROWS = 200
MIN_WIDTH = 8
MAX_WIDTH = 60
# Excel's limit on a sheet's name, and the characters it refuses in one.
SHEET_TITLE_LENGTH = 31
SHEET_TITLE_FORBIDDEN = str.maketrans({**dict.fromkeys("[]:*?", " "), "/": "-", "\\": "-"})
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Formatted:
    """A number a workbook holds as a number with a display format (a percentage, a signed change),
    and a CSV writes as ``text``: ``percent(Decimal("75.0"))`` is 0.75 shown as 75.0% in the workbook
    and "75.0%" in a CSV."""

    number: int | float | Decimal
    number_format: str
    text: str


class Heading(str):
    """Text written in bold in a workbook: a table's caption or header row inside a sheet."""

    __slots__ = ()


def percent(value: Decimal | float | int) -> Formatted:
    """A percentage (75.0 for 75.0%), with as many decimal places as it was given."""
    places = max(0, -Decimal(str(value)).as_tuple().exponent)
    shown = "0." + "0" * places if places else "0"
    return Formatted(Decimal(str(value)) / 100, f"{shown}%", f"{value}%")


def signed(value: int | float | Decimal, text: str) -> Formatted:
    """A change written with its sign (+3, -2), a number in the workbook shown with its sign."""
    return Formatted(value, "+0;-0;0" if isinstance(value, int) else "+0.0#;-0.0#;0", text)


Value = str | int | float | Decimal | date | datetime | Formatted | None


# Cells -------------------------------------------------------------------------------------------------


def plain(value: Any) -> Value:
    """A value as a spreadsheet holds it: datetimes in local time without a time zone (Excel has
    none), booleans as Yes or No, anything else that is not a number or a date as text."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or isinstance(value, str | int | float | Decimal | Formatted):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return value
    return str(value)


def clean_text(text: str) -> str:
    """Text without the characters an XLSX file cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet program would run this text as a formula if it were not guarded. A
    signed number alone (``+1``, ``-2``, ``-0.5``: a category's change, a difference) is its own
    value, not a formula, and stays as written."""
    return text.startswith(FORMULA_STARTS) and SIGNED_NUMBER.fullmatch(text) is None


def csv_cell(value: Any) -> str:
    """A value as CSV text: dates as ISO dates, and text that looks like a formula after an apostrophe."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Formatted):
        return value.text
    if isinstance(value, str):
        value = clean_text(value)
        return "'" + value if looks_like_formula(value) else value
    return str(value)


def _xlsx_cell(sheet, value: Any) -> WriteOnlyCell:
    """A cell for the value: dates formatted as dates, numbers as numbers, text always as text and
    never a formula (in bold if it is a ``Heading``)."""
    original, value = value, plain(value)
    if isinstance(value, str):
        value = clean_text(value)
        if not value:
            return WriteOnlyCell(sheet, value=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would otherwise make text starting with "=" a formula
        if looks_like_formula(value):
            cell.quotePrefix = True
        if isinstance(original, Heading):
            cell.font = BOLD
        return cell
    if isinstance(value, Formatted):
        cell = WriteOnlyCell(sheet, value=value.number)
        cell.number_format = value.number_format
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def width(value: Any) -> int:
    """About how many characters wide a value is shown in a workbook."""
    value = plain(value)
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 23  # "30 September 2026 12:00"
    if isinstance(value, date):
        return 17  # "30 September 2026"
    if isinstance(value, Formatted):
        return len(value.text)
    if isinstance(value, int | float | Decimal):
        return len(f"{value:,}")
    return max((len(line) for line in value.splitlines()), default=0)


# CSV ---------------------------------------------------------------------------------------------------


class _Echo:
    """A file that hands back what is written to it, so csv.writer can feed a streamed response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The rows as CSV, a line at a time (for a streamed response: the rows are read as the lines are),
    after a byte order mark so Excel reads the file as UTF-8."""
    writer = csv.writer(_Echo())
    yield BYTE_ORDER_MARK
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """The rows as one CSV document (see ``csv_lines``)."""
    return "".join(csv_lines(rows))


# XLSX --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its title, its rows, and optionally a header row, which is written in
    bold and frozen at the top. Lines of ``heading`` (the report's name, the authority's and the
    protective marking) come above the header, the first in bold. A ``marking`` is also printed at the
    top and the foot of every printed page. The rows may be a generator: they are read once, as the
    sheet is written."""

    title: str
    rows: Iterable[Sequence[Any]]
    header: Sequence[str] = ()
    heading: Sequence[str] = ()
    marking: str = ""


def safe_sheet_title(title: str) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of []:*? and no slashes
    (2026/27 becomes 2026-27)."""
    return (title.translate(SHEET_TITLE_FORBIDDEN).strip() or "Sheet")[:SHEET_TITLE_LENGTH]


def write_xlsx(file: BinaryIO, sheets: Iterable[Sheet]) -> None:
    """The sheets as an XLSX workbook written to ``file``, in the order given.

    The workbook is written in openpyxl's write-only mode, a row at a time, so memory stays bounded
    however many rows a sheet has (write to a temporary file to keep the output out of memory too)."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(workbook, sheet)
    workbook.save(file)


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """The sheets as an XLSX workbook, in memory (see ``write_xlsx``)."""
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    return buffer.getvalue()


def column_widths(rows: Iterable[Sequence[Any]]) -> list[int]:
    """Each column's width: its widest value plus a margin, between ``MIN_WIDTH`` and ``MAX_WIDTH``."""
    widest: list[int] = []
    for row in rows:
        for number, value in enumerate(row):
            if number == len(widest):
                widest.append(0)
            widest[number] = max(widest[number], width(value))
    return [max(MIN_WIDTH, min(w + 2, MAX_WIDTH)) for w in widest]


def _write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    written = workbook.create_sheet(safe_sheet_title(sheet.title))
    rows = iter(sheet.rows)
    ahead = list(itertools.islice(rows, SIZED_ROWS))
    # A write-only sheet takes its column widths and frozen panes before its first row.
    for number, fitted in enumerate(column_widths([sheet.header, *ahead]), start=1):
        written.column_dimensions[get_column_letter(number)].width = fitted
    if sheet.header:
        written.freeze_panes = f"A{len(sheet.heading) + 2}"
    if sheet.marking:
        written.oddHeader.center.text = written.oddFooter.center.text = sheet.marking
    for number, line in enumerate(sheet.heading):
        written.append([_xlsx_cell(written, Heading(line) if number == 0 else line)])
    if sheet.header:
        written.append([_xlsx_cell(written, Heading(heading)) for heading in sheet.header])
    for row in itertools.chain(ahead, rows):
        written.append([_xlsx_cell(written, value) for value in row])
