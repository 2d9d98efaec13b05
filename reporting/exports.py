"""Downloads of any list the portal shows, as CSV or XLSX.

A list page offers its rows as a file at its own address with ``export=csv`` or ``export=xlsx``
added to the query string, so the download keeps the filters the officer chose and holds every
row they select, not one page of them. The page builds its queryset as it does for itself (same
selector, same permission check, same ``select_related`` and annotations), then hands it here
with the columns to write::

    if exports.requested(request):
        return exports.download(request, schools, SCHOOL_COLUMNS, name="schools", title="Schools")

Both formats run in bounded memory: querysets are read with ``.iterator(chunk_size=2000)``, the
CSV is streamed and the workbook is written row by row (openpyxl's write-only mode) to a
temporary file that is then streamed.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

PARAMETER = "export"
CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CHUNK_SIZE = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's limit on a sheet's name, and the characters it refuses in one.
SHEET_TITLE_LENGTH = 31
SHEET_TITLE_FORBIDDEN = str.maketrans({**dict.fromkeys("[]:*?", " "), "/": "-", "\\": "-"})
# Text starting with one of these is read as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

Value = str | int | float | Decimal | date | datetime | None


@dataclass(frozen=True)
class Column:
    """One column of a download: its header and how to read its value from a row.

    The value is a plain Python value: text, a number, a date or a datetime, a boolean (written
    "Yes" or "No") or None (an empty cell). Numbers and dates stay numbers and dates in XLSX."""

    header: str
    value: Callable[[Any], Any]


def school_columns(school_of: Callable[[Any], Any] = lambda row: row.school) -> list[Column]:
    """The columns that name the school a row is about: URN, LAESTAB, name and local authority.
    The queryset must select the school and its local authority (``select_related("school__la")``)."""
    return [
        Column("URN", lambda row: school_of(row).urn),
        Column("LAESTAB", lambda row: school_of(row).laestab),
        Column("School name", lambda row: school_of(row).name),
        Column("Local authority", lambda row: school_of(row).la.name),
    ]


# Choosing ------------------------------------------------------------------------------------


def requested(request: HttpRequest) -> str | None:
    """The format the request asks for with ``export=``, or None for the page itself.

    An export value we do not offer is a page that does not exist: 404."""
    wanted = request.GET.get(PARAMETER)
    if wanted is None:
        return None
    if wanted not in FORMATS:
        raise Http404("No such download")
    return wanted


def download(
    request: HttpRequest,
    rows: Iterable[Any],
    columns: list[Column],
    *,
    name: str,
    title: str,
) -> HttpResponse:
    """The rows as the file the request asks for (see ``requested``): CSV unless XLSX is asked."""
    if requested(request) == XLSX:
        return xlsx_response(rows, columns, name, sheet_title=title)
    return csv_response(rows, columns, name)


def links_query(request: HttpRequest) -> str:
    """The current query string without the page number or an export: what the download links
    add ``export=...`` to, so the file holds every row the filters select."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop(PARAMETER, None)
    return query.urlencode()


def filename(stem: str, extension: str) -> str:
    """``schools-20261123-1530.csv``: what, and when it was downloaded (local time)."""
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


# Rows and values -------------------------------------------------------------------------------


def _each(rows: Iterable[Any]) -> Iterator[Any]:
    """Every row, a queryset in chunks so a long list never sits in memory at once."""
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=CHUNK_SIZE)
    return iter(rows)


def plain(value: Any) -> Value:
    """A value as a spreadsheet holds it: datetimes in local time without a time zone (Excel has
    none), booleans as Yes or No, anything else that is not a number or a date as text."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or isinstance(value, str | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return value
    return str(value)


def _csv_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


# CSV ---------------------------------------------------------------------------------------------


class _Echo:
    """A file that hands back what is written to it, so csv.writer can feed a streamed response."""

    def write(self, value: str) -> str:
        return value


def csv_response(rows: Iterable[Any], columns: list[Column], filename_stem: str) -> StreamingHttpResponse:
    """The rows as a streamed CSV file, UTF-8 with a byte order mark so Excel reads it as UTF-8."""

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow([column.header for column in columns])
        for row in _each(rows):
            yield writer.writerow([_csv_text(plain(column.value(row))) for column in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(filename_stem, CSV)}"'
    return response


# XLSX ----------------------------------------------------------------------------------------------


def safe_sheet_title(title: str) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of []:*? and no slashes
    (2026/27 becomes 2026-27)."""
    return (title.translate(SHEET_TITLE_FORBIDDEN).strip() or "Sheet")[:SHEET_TITLE_LENGTH]


def _cell(sheet, value: Value):
    """A cell for the value, with dates formatted as dates and text kept as text, never a formula."""
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def xlsx_response(
    rows: Iterable[Any], columns: list[Column], filename_stem: str, *, sheet_title: str = ""
) -> FileResponse:
    """The rows as an XLSX workbook of one sheet, with a bold header row frozen at the top.

    The workbook is written in openpyxl's write-only mode to a temporary file, which the response
    then streams and closes: memory stays bounded however long the list."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(safe_sheet_title(sheet_title or filename_stem))
    sheet.freeze_panes = "A2"
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = max(12, min(len(column.header) + 4, 50))
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in _each(rows):
        sheet.append([_cell(sheet, plain(column.value(row))) for column in columns])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once streamed
    try:
        workbook.save(handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return FileResponse(handle, as_attachment=True, filename=filename(filename_stem, XLSX), content_type=XLSX_TYPE)
