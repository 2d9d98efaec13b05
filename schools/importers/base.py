"""Reading published CSV files into validated records, without touching the database.

A file format declares the columns it reads, by their published names, each with a parser.
Reading returns the records (dicts of model field values, each with its line number), the
errors and the warnings (line, column, value, reason). Files are read as published: a value
is an **error** only in a key column (a URN, an inspection number: the record cannot be placed
without it); a value the importer does not recognise in any other column is stored as no value
and reported as a **warning**, and never stops the import. Numbers may be written ``2``,
``2.0`` or `` 2 ``; every published suppression marker (``SUPP``, ``x``, ``..``, …) is no value.
A file that cannot be read at all — a wrong encoding, a spreadsheet instead of a CSV, a
missing required column — raises ``FileRejected`` with one clear message.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from itertools import repeat
from typing import Any

import pandas as pd

MAX_STORED_ERRORS = 500


class FileRejected(Exception):
    """The whole file is unusable; the message says why in words an officer can act on."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "value": self.value, "reason": self.reason}

    def __str__(self) -> str:
        return f"Line {self.line}, column '{self.column}': '{self.value}' {self.reason}"


# A warning has the same shape as an error: the line, column, value and why it was not used.
RowWarning = RowError


@dataclass(frozen=True)
class Skipped:
    """A row read but not imported, and why (out of the portal's scope, a totals row)."""

    line: int
    reason: str
    urn: int | None = None
    name: str = ""
    la: str = ""


Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    """A published column: its exact name, the field it fills and how its text is read."""

    name: str
    field: str
    parse: Parser
    required: bool = False
    # A key column's value places the record (URN, inspection number): a value that cannot be
    # read there is an error. Anywhere else it is a warning and the value is stored as none.
    key: bool = False


@dataclass
class ReadResult:
    rows: list[dict[str, Any]]  # one dict per line: parsed values by field name, plus "_line"
    errors: list[RowError]
    columns: list[str]  # the published columns present in the file
    rows_read: int = 0
    warnings: list[RowError] = field(default_factory=list)

    @property
    def fields_present(self) -> set[str]:
        return {key for row in self.rows[:1] for key in row if not key.startswith("_")}


# Encodings ---------------------------------------------------------------------------------

_BINARY_SIGNATURES = {
    b"PK\x03\x04": "This is a ZIP or Excel (.xlsx/.ods) file, not a CSV. Save the sheet as CSV and upload that.",
    b"\xd0\xcf\x11\xe0": "This is an old Excel (.xls) file, not a CSV. Save the sheet as CSV and upload that.",
    b"%PDF": "This is a PDF, not a CSV file.",
}


def decode(raw: bytes, published_encoding: str) -> str:
    """Decode a file as UTF-8 (with or without BOM) or, failing that, its published encoding.

    GIAS publishes Windows-1252; the performance tables publish UTF-8 with a byte-order mark.
    A file that is valid UTF-8 is read as UTF-8 whatever was published, because re-saved files
    often are; anything else must decode strictly in the published encoding.
    """
    for signature, message in _BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise FileRejected(message)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejected("The file is in UTF-16 encoding. Save it as CSV (UTF-8 or Windows-1252) and try again.")
    if b"\x00" in raw[:4096]:
        raise FileRejected("The file contains binary data; it is not a CSV file.")
    if b"\x00" in raw:
        # Further in, a NUL would reach the database, and PostgreSQL refuses it in text.
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise FileRejected(
            f"The file contains a NUL character (byte 0x00) on line {line}, which a CSV file never does. "
            "Download the file again from its publisher without opening and re-saving it."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode(published_encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        published = _encoding_name(published_encoding)
        readable = "UTF-8" if published == "UTF-8" else f"{published} or UTF-8"
        raise FileRejected(
            f"The file is not in {readable} encoding: byte "
            f"0x{raw[exc.start]:02X} on line {line} cannot be read. Download the file again from its "
            f"publisher without opening and re-saving it."
        ) from exc


def _encoding_name(encoding: str) -> str:
    return {"cp1252": "Windows-1252", "utf-8-sig": "UTF-8"}.get(encoding, encoding)


# Value parsers: each takes the stripped text of a non-empty cell and returns the value or
# raises ValueError with the reason, worded to follow "'<value>' ...". ----------------------


def text(max_length: int) -> Parser:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValueError(f"is longer than {max_length} characters")
        return value

    parse.empty = ""  # type: ignore[attr-defined]
    parse.max_length = max_length  # type: ignore[attr-defined]
    return parse


# Published markers for a figure that is not given, compared case-insensitively: DfE's
# performance tables (SUPP suppressed, NE no entries, NA not applicable, NP not published, NEW
# new school, LOWCOV low coverage, SP small percentage, NR not recorded, DNS did not sit, LOW; and
# since 2021 x, c, z, u, low), GIAS's ``..`` and ``x``, and the government statistics symbols.
MARKERS = frozenset(
    {"supp", "ne", "na", "np", "new", "lowcov", "dns", "low", "sp", "nr", "x", "c", "z", "u", ":", "..", "*", "-"}
)


def is_marker(value: str) -> bool:
    return value.lower() in MARKERS


class NotANumber(ValueError):
    pass


_INT = re.compile(r"^[+-]?\d+(\.0+)?$")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_NOT_WHOLE = "is not a whole number"


def _number_text(value: str) -> str:
    """A number as published, without thousands separators or a percent sign; scientific
    notation (a spreadsheet's way with long numbers, which loses their last digits) refused."""
    cleaned = value.replace(",", "").rstrip("%").strip()
    if _SCIENTIFIC.match(cleaned):
        raise NotANumber("is in scientific notation: a spreadsheet rounded it, so its digits are lost")
    return cleaned


def integer(minimum: int = 0, maximum: int = 2**31 - 1) -> Parser:
    """A whole number, written ``2``, ``2.0`` (as a spreadsheet or pandas re-saves it), ``+2`` or
    ``1,234``; a published marker is no value."""

    def parse(value: str) -> int | None:
        if value.isdigit():  # the common case, without the regular expression
            number = int(value)
        elif is_marker(value):
            return None
        else:
            cleaned = _number_text(value)
            if len(cleaned) > 40 or not _INT.match(cleaned):
                raise NotANumber(_NOT_WHOLE)
            number = int(Decimal(cleaned))
        if not minimum <= number <= maximum:
            raise ValueError(f"is not between {minimum} and {maximum}")
        return number

    return parse


# URNs are six digits for schools; children's centres and some older records have fewer.
URN = integer(1, 9_999_999)


def decimal(places: int, minimum: Decimal | None = None, maximum: Decimal | None = None) -> Parser:
    quantum = Decimal(1).scaleb(-places)

    def parse(value: str) -> Decimal | None:
        if is_marker(value):
            return None
        try:
            number = Decimal(_number_text(value)) if len(value) <= 40 else Decimal("NaN")
        except InvalidOperation as exc:
            raise NotANumber("is not a number") from exc
        if not number.is_finite():
            raise NotANumber("is not a number")
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise ValueError(f"is not between {minimum} and {maximum}")
        return number.quantize(quantum)

    return parse


# Every way a published file, or a spreadsheet that re-saved it, writes a date: GIAS dd-mm-yyyy,
# Ofsted and Excel dd/mm/yyyy, ISO yyyy-mm-dd (with a time, or a T), the performance tables'
# yyyymmdd (OPEN_AC), two-digit years from a spreadsheet, and dates in words.
_DATE_FORMATS = (
    "%d-%m-%Y",
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%Y%m%d",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d/%m/%y",
    "%d-%m-%y",
    "%d %B %Y",
    "%d %b %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %y",
)
# GIAS records an unknown date as 01-01-1900; it means "not known", so it is kept as no date.
_PLACEHOLDER_BEFORE = date(1901, 1, 1)
_NOT_A_DATE = "is not a date (DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD or YYYYMMDD)"

_TIME = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AaPp][Mm])?(Z|[+-]\d{2}:?\d{2})?$")
_WORDS = re.compile(r"^\d{1,2} [A-Za-z]+ \d{2,4}$")


def a_date(value: str) -> date | None:
    text = value.strip()
    if is_marker(text):
        return None
    if _WORDS.match(text):
        day, time_part = text, ""
    elif "T" in text[8:11] and text[:4].isdigit():
        day, _, time_part = text.partition("T")
    else:
        day, _, time_part = text.partition(" ")
    if time_part and not _TIME.match(time_part.strip()):
        raise ValueError(_NOT_A_DATE)
    if day.replace(".0", "").isdigit() and day.endswith(".0"):
        day = day[:-2]  # 20170401.0: a yyyymmdd date re-saved as a number
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(day, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
        return None if parsed < _PLACEHOLDER_BEFORE else parsed
    raise ValueError(_NOT_A_DATE)


def choice(mapping: Callable[[str], Any], *, empty: Any = None) -> Parser:
    """Wrap a domain parser that raises ValueError for values it does not recognise; an empty
    cell becomes ``empty``."""

    def parse(value: str) -> Any:
        return mapping(value)

    parse.empty = empty  # type: ignore[attr-defined]
    return parse


# Reading ------------------------------------------------------------------------------------


# A line with its end (CRLF, CR or LF), or the last line if it has none.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def lines(content: str) -> Iterator[str]:
    """The lines of ``content`` one at a time, exactly as ``io.StringIO(content, newline="")``
    gives them to the csv module (each ending in CR, LF or CRLF, kept), but without first
    copying the whole text into a buffer: reading a header needs only its first line."""
    return (match.group() for match in _LINE.finditer(content))


def read_header(content: str) -> list[str]:
    """The first row's column names. Lines may end in CR, LF or CRLF, as pandas reads them."""
    try:
        header = next(csv.reader(lines(content)))
    except StopIteration:
        header = []
    except csv.Error as exc:
        raise FileRejected(f"The first line of the file is not a row of column names: {exc}.") from exc
    return [name.strip() for name in header]


def check_columns(header: list[str], columns: Iterable[Column], description: str) -> None:
    present = set(header)
    missing = [c.name for c in columns if c.required and c.name not in present]
    if missing:
        names = ", ".join(f"'{name}'" for name in missing)
        plural = "columns" if len(missing) > 1 else "column"
        raise FileRejected(
            f"The file is missing the required {plural} {names}. Is it a {description} file? "
            f"Column names must be exactly as published."
        )
    seen: set[str] = set()
    for name in header:
        if name and name in seen and name in {c.name for c in columns}:
            raise FileRejected(f"The column '{name}' appears twice in the header.")
        seen.add(name)


def check_row_lengths(content: str, width: int, *, spills: bool = False) -> int:
    """Refuse rows with more values than the header has columns: reading only the declared
    columns, pandas would drop the extra values silently, and a comma typed into a value without
    quotes would move the rest of its row along by one column. Extra empty values (trailing
    commas) and short rows (their missing values empty) are harmless. Returns the widest row.

    ``spills``: the last column holds a list whose items after the first spill into extra
    values (GIAS search downloads' "Linked establishments"); they are read as part of it.

    Most files have no row longer than the header, and ``rows_fit`` shows that without reading
    them value by value; only a file it cannot clear is read row by row with the csv module,
    which finds and words the errors."""
    if rows_fit(content, width):
        return width
    return check_each_row_length(content, width, spills=spills)


# A field in double quotes, from its opening quote (a quote that is a field's first character:
# the text's first, or one after a comma or a line end) to its closing quote, its doubled quotes
# read as quotes, or to the end of the text if it is never closed — as the csv module reads it.
_QUOTED_FIELD = re.compile(r'("(?<![^,\r\n]")(?:[^"]+|"")*"?)')


# ``rows_fit`` reads the text this many characters at a time (and to the end of a line), so that
# its copies of the text are of one slice, not of a whole national register.
ROWS_FIT_SLICE = 1 << 20
_LINE_END = re.compile(r"\r\n|\r|\n")


def rows_fit(content: str, width: int, *, slice_size: int = ROWS_FIT_SLICE) -> bool:
    """True only if no row after the first has more than ``width`` values and no value is longer
    than the csv module's field size limit, so that ``check_each_row_length`` would find nothing.

    Take out every quoted field, with the commas and line ends inside it: what is left has one
    line per row, and a row has one value more than its line has commas. A value is no longer
    than its quoted part, if any, and the rest of its line together. False means "read each row
    to know", not that a row is too long.

    The text is read in slices of about ``slice_size`` characters, each ending at a line end
    outside quotes, so that no row is cut in two: the answer is the one the whole text gives."""
    if width < 1 or "\x00" in content:
        return False
    most_commas = longest_quoted = longest_row = 0
    start = 0
    while start < len(content):
        header = start == 0
        parts, start = _slice_outside_quotes(content, start, slice_size)
        rows = "".join(parts[::2]).replace("\r\n", "\n").replace("\r", "\n").split("\n")
        most_commas = max(most_commas, max(map(str.count, rows[1:] if header else rows, repeat(",")), default=0))
        longest_quoted = max(longest_quoted, max(map(len, parts[1::2]), default=0))
        longest_row = max(longest_row, max(map(len, rows), default=0))
    if most_commas >= width:
        return False
    return longest_quoted + longest_row < csv.field_size_limit()


def _slice_outside_quotes(content: str, start: int, size: int) -> tuple[list[str], int]:
    """The text from ``start`` (a line's start, outside quotes) to a line end outside quotes
    about ``size`` characters on, split as ``_QUOTED_FIELD`` splits it; and where it ends."""
    end = start + size
    while True:
        cut = _LINE_END.search(content, end) if end < len(content) else None
        end = cut.end() if cut else len(content)
        parts = _QUOTED_FIELD.split(content[start:end])
        if end == len(content) or parts[-1]:
            return parts, end
        # The last quoted field runs to the slice's end, which is a line end and so not its closing
        # quote: the line end is inside it. Cut again at the first line end after it closes.
        end = _QUOTED_FIELD.match(content, end - len(parts[-2])).end()


def check_each_row_length(content: str, width: int, *, spills: bool = False) -> int:
    """``check_row_lengths`` row by row with the csv module."""
    reader = csv.reader(lines(content))
    long_lines = []
    widest = width
    try:
        next(reader, None)
        for row in reader:
            if len(row) > width and any(value.strip() for value in row[width:]):
                long_lines.append((reader.line_num, len(row)))
                widest = max(widest, len(row))
    except csv.Error as exc:
        raise FileRejected(f"The file is not a well-formed CSV: line {reader.line_num}: {exc}.") from exc
    if long_lines and not spills:
        line, count = long_lines[0]
        more = f" (and {len(long_lines) - 1} more lines like it)" if len(long_lines) > 1 else ""
        raise FileRejected(
            f"Line {line} has {count} values but the header has {width} columns{more}, so the values "
            "cannot be matched to their columns. A value with a comma in it must be in double quotes; "
            "if the values are right, the header is missing a column name."
        )
    return widest


# A last column whose list spills into extra values, as GIAS search downloads publish it.
SPILLING_COLUMNS = {"Linked establishments"}


class TextSlices(io.TextIOBase):
    """The text as a file read slice by slice. ``io.StringIO`` would first copy the whole text
    into a buffer of four bytes a character (100 MB for a national register of 26 MB); pandas
    asks for 256 KB at a time, and each slice is all it holds. No line ends are translated, as
    with ``io.StringIO(content)``."""

    def __init__(self, content: str) -> None:
        self._content = content
        self._at = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        start = self._at
        self._at = len(self._content) if size is None or size < 0 else min(len(self._content), start + size)
        return self._content[start : self._at]


def read_table(content: str, columns: list[Column], description: str) -> pd.DataFrame:
    """Read the declared columns as text, one row per record, after checking the header."""
    header = read_header(content)
    check_columns(header, columns, description)
    wanted = {c.name for c in columns}
    if not content or content.isspace():  # as ``not content.strip()``, without copying the text
        raise FileRejected("The file is empty.")
    spills = bool(header) and header[-1] in SPILLING_COLUMNS
    widest = check_row_lengths(content, len(header), spills=spills)
    # Spilled values get names of their own, never read.
    names = (
        {"names": header + [f"\x00spill {i}" for i in range(widest - len(header))], "header": 0}
        if widest > len(header)
        else {}
    )
    try:
        frame = pd.read_csv(
            TextSlices(content),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            **names,
            usecols=lambda name: name.strip() in wanted,
            skipinitialspace=False,
            # Never take the first column for an index when rows are one value longer than the
            # header (a trailing comma on every line): that would shift every value along.
            index_col=False,
        )
    except pd.errors.ParserError as exc:
        raise FileRejected(f"The file is not a well-formed CSV: {exc}") from exc
    except pd.errors.EmptyDataError as exc:
        raise FileRejected("The file is empty.") from exc
    frame.columns = [name.strip() for name in frame.columns]
    return frame


def parse_columns(
    frame: pd.DataFrame,
    columns: list[Column],
    *,
    progress: Callable[[int], None] | None = None,
    null_values: frozenset[str] = frozenset(),
    lines: list[int] | None = None,
) -> ReadResult:
    """Parse every declared column present, value by distinct value: a value that cannot be read
    is an error in a key column and a warning (stored as no value) in any other. The columns are
    taken out of ``frame`` as they are read.

    ``null_values`` are the file's own words for an empty cell (Ofsted writes NULL). ``lines``
    are the rows' lines in the file, when the frame holds only some of its rows (by default the
    rows follow the header, from line 2)."""
    present = [c for c in columns if c.name in frame.columns]
    n = len(frame)
    lines = lines if lines is not None else list(range(2, n + 2))
    values_by_field: dict[str, list[Any]] = {}
    errors: list[RowError] = []
    warnings: list[RowError] = []
    for index, column in enumerate(present):
        found = errors if column.key else warnings
        # Taken out of the frame, the column's text is let go once its values are parsed.
        values_by_field[column.field] = _parse_column(
            column, frame.pop(column.name).tolist(), null_values, found, lines
        )
        if progress:
            progress(round(n * (index + 1) / max(1, len(present))))
    rows = _rows(lines, values_by_field)
    errors.sort(key=lambda e: (e.line, e.column))
    warnings.sort(key=lambda e: (e.line, e.column))
    return ReadResult(rows=rows, errors=errors, columns=[c.name for c in present], rows_read=n, warnings=warnings)


ROWS_CHUNK = 256  # small enough for its slices of every column to stay in the cache


def _rows(lines: list[int], values_by_field: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """One dict per row, of its line and its values by field. The rows are made a chunk at a time
    from the end, and each column's list is cut short as they are: the lists of values are never
    all held beside all the rows."""
    keys = ["_line", *values_by_field]
    columns = list(values_by_field.values())
    if any(len(values) != len(lines) for values in columns):
        raise ValueError("every column must have a value for each line")
    chunks: list[list[dict[str, Any]]] = []
    for start in reversed(range(0, len(lines), ROWS_CHUNK)):
        values = zip(lines[start : start + ROWS_CHUNK], *(column[start:] for column in columns), strict=True)
        chunks.append([dict(zip(keys, row, strict=True)) for row in values])
        for column in columns:
            del column[start:]
    return [row for chunk in reversed(chunks) for row in chunk]


def _parse_column(
    column: Column, raw: list[str], null_values: frozenset[str], problems: list[RowError], lines: list[int]
) -> list[Any]:
    """Each distinct cell is stripped and parsed once: a register has few distinct values in
    most columns, and dict look-ups beat per-cell work. Text that fits needs no parsing. A value
    that cannot be read becomes the column's empty value, and a problem on each of its lines."""
    parse = column.parse
    distinct = dict.fromkeys(raw)
    limit = getattr(parse, "max_length", None)
    if limit is not None and not null_values:
        stripped = {value: value.strip() for value in distinct}
        if max(map(len, stripped.values()), default=0) <= limit:
            return list(map(stripped.__getitem__, raw))
    empty = getattr(parse, "empty", None)
    cache: dict[str, Any] = {}
    failures: dict[str, tuple[str, str]] = {}
    for value in distinct:
        text = value.strip()
        if not text or text in null_values:
            cache[value] = empty
            continue
        try:
            cache[value] = parse(text)
        except ValueError as exc:
            failures[value] = (text, str(exc))
            cache[value] = empty
    if failures:
        for position, value in enumerate(raw):
            if value in failures:
                text, reason = failures[value]
                problems.append(RowError(lines[position], column.name, text, reason))
    return list(map(cache.__getitem__, raw))


def duplicate_errors(rows: list[dict[str, Any]], key: str | tuple[str, ...], column: str) -> list[RowError]:
    """A natural key that appears twice in one file is an error on the later line."""
    fields = (key,) if isinstance(key, str) else key
    if len(fields) == 1:
        # Most files repeat no key: a set of the keys shows that at once.
        name = fields[0]
        given = [value for row in rows if (value := row.get(name)) is not None]
        if len(set(given)) == len(given):
            return []
    first_seen: dict[Any, int] = {}
    errors = []
    for row in rows:
        value = tuple(row.get(f) for f in fields)
        if None in value:
            continue
        if value in first_seen:
            shown = str(row.get(fields[-1]))
            errors.append(RowError(row["_line"], column, shown, f"repeats the record on line {first_seen[value]}"))
        else:
            first_seen[value] = row["_line"]
    return errors


def required_value_errors(
    rows: list[dict[str, Any]], fields: dict[str, str], found: Iterable[RowError] = ()
) -> list[RowError]:
    """Rows missing a value the record cannot exist without (field → published column), but for
    the cells already ``found`` to be in error (a value that did not parse is not empty)."""
    failed = {(error.line, error.column) for error in found}
    errors = []
    for row in rows:
        for field_name, column in fields.items():
            if field_name in row and row[field_name] in (None, "") and (row["_line"], column) not in failed:
                errors.append(RowError(row["_line"], column, "", "is required but empty"))
    return errors


@dataclass
class Prepared:
    """What a format hands to the import service: records to upsert, and rows set aside.

    A record may carry ``_name`` and ``_la`` (the school's name and LA as the file gives them), so
    that a school the register lacks can be named in the report."""

    records: list[dict[str, Any]] = field(default_factory=list)
    national: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # rows not imported, with the reason
    notes: list[str] = field(default_factory=list)

    def skip(self, row: dict[str, Any], reason: str, *, urn: int | None = None, name: str = "", la: Any = "") -> None:
        self.skipped.append(Skipped(row["_line"], reason, urn, name or "", str(la or "")))

    @property
    def set_aside(self) -> int:
        return len({s.line for s in self.skipped})
