"""Schools' EYFS and KS1 results from the authority's own collection (seed 004: the evidence for
categorisation includes "attainment in EYFS, KS1").

DfE publishes no school-level EYFS profile or KS1 figures; the authority collects them from its
schools. Officers download the portal's template (the authority's schools with a primary phase, a
column per measure), fill it in and upload it, as CSV or XLSX. ``read`` turns the file into rows and
the errors of each row (a URN that is not a number, a value that is not a percentage from 0 to 100,
a school twice); ``schools.services.import_authority_results`` checks the schools against the
register and the authority's remit and writes nothing unless every row is right.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zipfile import BadZipFile

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from schools import measures
from schools.importers.base import RowError

SOURCE = "authority_results"
SOURCE_LABEL = "the authority's own collection"
URN = "URN"
NAME = "School name"
MEASURES = measures.for_source(SOURCE)
HEADERS = [URN, NAME, *(m.column for m in MEASURES)]
# Schools with a primary phase: where the EYFS profile and key stage 1 are assessed.
PRIMARY_PHASES = ("Primary", "Middle deemed primary", "All-through")
PLACES = Decimal("0.0001")


class FileRefused(Exception):
    """The file cannot be read as the template: nothing in it is used."""


@dataclass(frozen=True)
class ResultRow:
    line: int
    urn: int
    values: dict[str, Decimal]  # measure code → value, for the cells filled in


@dataclass
class Collected:
    rows: list[ResultRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _frame(raw: bytes, file_name: str) -> pd.DataFrame:
    try:
        if file_name.lower().endswith(".xlsx"):
            return _sheet(raw)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)
    except (ValueError, KeyError, UnicodeDecodeError, pd.errors.ParserError, BadZipFile, InvalidFileException) as exc:
        raise FileRefused("The file could not be read: upload the template as CSV or XLSX") from exc


def _cell_text(cell) -> str:
    """A cell as typed: a number formatted as a percentage (72.5% is held as 0.725) is given as the
    percentage, so that a column formatted that way is not read as under 1%."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return str((Decimal(str(value)) * 100).normalize())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet(raw: bytes) -> pd.DataFrame:
    """The first sheet of a workbook, every cell as text (see ``_cell_text``)."""
    workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        rows = [[_cell_text(cell) for cell in row] for row in workbook.worksheets[0].iter_rows()]
    finally:
        workbook.close()
    if not rows:
        raise ValueError("The workbook is empty")
    width = len(rows[0])
    return pd.DataFrame([(row + [""] * width)[:width] for row in rows[1:]], columns=rows[0], dtype=str)


def _percentage(text: str) -> Decimal:
    """A value as a percentage from 0 to 100 (a trailing % is allowed); ValueError with why not."""
    try:
        value = Decimal(text.removesuffix("%").strip())
    except InvalidOperation as exc:
        raise ValueError("is not a number") from exc
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise ValueError("is not a percentage from 0 to 100")
    return value.quantize(PLACES)


def read(raw: bytes, file_name: str) -> Collected:
    """The rows of an uploaded template, and each row's errors. A row with no value filled in is
    left out; a school may appear once."""
    frame = _frame(raw, file_name)
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [h for h in HEADERS if h != NAME and h not in frame.columns]
    if missing:
        raise FileRefused(
            "The file is not the template: it has no column "
            + ", ".join(f"'{h}'" for h in missing)
            + ". Download the template and fill it in"
        )
    collected = Collected()
    seen: dict[int, int] = {}
    for index, row in enumerate(frame.to_dict("records")):
        line = index + 2  # the header is line 1
        cells = {h: str(row.get(h, "")).strip() for h in HEADERS}
        if not any(cells.values()):
            continue
        errors: list[RowError] = []
        urn = int(cells[URN]) if cells[URN].isdigit() else None
        if urn is None:
            errors.append(RowError(line, URN, cells[URN], "is not a URN"))
        elif urn in seen:
            errors.append(RowError(line, URN, cells[URN], f"is on line {seen[urn]} as well"))
        else:
            seen[urn] = line
        values = {}
        for measure in MEASURES:
            text = cells[measure.column]
            if not text:
                continue
            try:
                values[measure.code] = _percentage(text)
            except ValueError as exc:
                errors.append(RowError(line, measure.column, text, str(exc)))
        collected.errors += errors
        if not errors and values:
            collected.rows.append(ResultRow(line, urn, values))
    return collected


def school_errors(rows: list[ResultRow], register: set[int], authoritys: set[int]) -> list[RowError]:
    """A row's school must be in the register and one of the authority's: no other may be written."""
    errors = []
    for row in rows:
        if row.urn not in register:
            errors.append(RowError(row.line, URN, str(row.urn), "is not a school in the register"))
        elif row.urn not in authoritys:
            errors.append(RowError(row.line, URN, str(row.urn), "is not one of the authority's schools"))
    return errors
