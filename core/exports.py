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
temporary file that is then streamed. The files themselves are written by ``core.spreadsheets``, the
one writer of every CSV and XLSX the portal produces, which keeps text that looks like a formula
from running as one.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from core import spreadsheets

# Named here as well, for the callers and tests that read them from the downloads module.
from core.spreadsheets import DATE_FORMAT as DATE_FORMAT
from core.spreadsheets import FORMULA_STARTS as FORMULA_STARTS
from core.spreadsheets import XLSX_TYPE as XLSX_TYPE
from core.spreadsheets import plain as plain
from core.spreadsheets import safe_sheet_title as safe_sheet_title

PARAMETER = "export"
CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CHUNK_SIZE = 2000


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


# Rows ------------------------------------------------------------------------------------------------


def _each(rows: Iterable[Any]) -> Iterator[Any]:
    """Every row, a queryset in chunks so a long list never sits in memory at once."""
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=CHUNK_SIZE)
    return iter(rows)


def _values(rows: Iterable[Any], columns: list[Column]) -> Iterator[list[Any]]:
    """Each row's values, one per column, read as the file is written."""
    for row in _each(rows):
        yield [column.value(row) for column in columns]


# Files -------------------------------------------------------------------------------------------------


def csv_response(rows: Iterable[Any], columns: list[Column], filename_stem: str) -> StreamingHttpResponse:
    """The rows as a streamed CSV file, UTF-8 with a byte order mark so Excel reads it as UTF-8."""

    def table() -> Iterator[list[Any]]:
        yield [column.header for column in columns]
        yield from _values(rows, columns)

    response = StreamingHttpResponse(spreadsheets.csv_lines(table()), content_type=spreadsheets.CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(filename_stem, CSV)}"'
    return response


def xlsx_response(
    rows: Iterable[Any], columns: list[Column], filename_stem: str, *, sheet_title: str = ""
) -> FileResponse:
    """The rows as an XLSX workbook of one sheet, with a bold header row frozen at the top.

    The workbook is written row by row to a temporary file, which the response then streams and
    closes: memory stays bounded however long the list."""
    sheet = spreadsheets.Sheet(
        title=sheet_title or filename_stem,
        header=[column.header for column in columns],
        rows=_values(rows, columns),
    )
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once streamed
    try:
        spreadsheets.write_xlsx(handle, [sheet])
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return FileResponse(handle, as_attachment=True, filename=filename(filename_stem, XLSX), content_type=XLSX_TYPE)
