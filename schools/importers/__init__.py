"""The published file formats the portal imports, by import kind.

``read_file(kind, raw_bytes)`` decodes, checks and parses a file without touching the database
and returns what the import service needs: the validated records, the row errors, and the
counts of rows read and set aside.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from schools.importers import ees, estyn, gias, ofsted_mi, performance, unchanged
from schools.importers.base import (
    Column,
    FileRejected,
    Prepared,
    ReadResult,
    RowError,
    decode,
    parse_columns,
    read_header,
    read_table,
)

__all__ = ["FORMATS", "FileRejected", "Parsed", "RowError", "read_file"]


@dataclass(frozen=True)
class FileFormat:
    kind: str
    description: str
    encoding: str
    columns: Callable[[list[str]], list[Column]]
    prepare: Callable[[ReadResult], Prepared]
    needs_academic_year: bool = False
    null_values: frozenset[str] = frozenset()
    # The columns whose text is the natural key of the one record each row is, for a format whose
    # rows are each one record, written from that row alone: an unchanged row is then not read
    # again (``unchanged``). Empty for formats where a row is several records (an Ofsted row's
    # inspections), or where rows depend on each other (the performance tables' national rows).
    row_key: tuple[str, ...] = ()


def _fixed(columns: list[Column]) -> Callable[[list[str]], list[Column]]:
    return lambda header: columns


def _performance(source: str) -> Callable[[list[str]], list[Column]]:
    def columns(header: list[str]) -> list[Column]:
        performance.check_has_measures(source, header)
        return performance.columns_for(source)

    return columns


FORMATS: dict[str, FileFormat] = {
    "gias_establishments": FileFormat(
        "gias_establishments",
        "GIAS establishments (edubasealldata)",
        "cp1252",
        _fixed(gias.ESTABLISHMENT_COLUMNS),
        gias.prepare_establishments,
        row_key=("URN",),
    ),
    "gias_links": FileFormat(
        "gias_links",
        "GIAS establishment links",
        "cp1252",
        _fixed(gias.LINK_COLUMNS),
        gias.prepare_links,
        row_key=("URN", "LinkURN", "LinkType"),
    ),
    "gias_groups": FileFormat(
        "gias_groups", "GIAS groups", "cp1252", _fixed(gias.GROUP_COLUMNS), gias.prepare_groups, row_key=("Group UID",)
    ),
    "gias_group_links": FileFormat(
        "gias_group_links",
        "GIAS group links",
        "cp1252",
        _fixed(gias.GROUP_LINK_COLUMNS),
        gias.prepare_group_links,
        row_key=("URN", "Group UID"),
    ),
    "local_authorities": FileFormat(
        "local_authorities",
        "DfE local authority and region codes",
        "utf-8-sig",
        _fixed(gias.LA_COLUMNS),
        gias.prepare_local_authorities,
        row_key=("LEA",),
    ),
    "ofsted_latest": FileFormat(
        "ofsted_latest",
        "Ofsted management information (latest inspections)",
        "cp1252",
        lambda header: ofsted_mi.layout_for(header)[1],
        ofsted_mi.prepare,
        null_values=frozenset({"NULL"}),
    ),
    "estyn_inspections": FileFormat("estyn_inspections", estyn.DESCRIPTION, "utf-8-sig", estyn.columns, estyn.prepare),
    "ees_la_figures": FileFormat("ees_la_figures", ees.DESCRIPTION, "utf-8-sig", ees.columns, ees.prepare),
    **{
        source: FileFormat(
            source,
            f"performance tables ({source})",
            "utf-8-sig",
            _performance(source),
            lambda result, source=source: performance.prepare(source, result),
            needs_academic_year=True,
        )
        for source in ("census", "ks2", "ks4", "absence", "ks5", "ks4_destinations")
    },
}


@dataclass
class Parsed:
    prepared: Prepared
    errors: list[RowError]
    rows_read: int
    fields_present: set[str]
    warnings: list[RowError] = field(default_factory=list)
    # Rows set aside unread because they are as the last import of the kind left them: each is
    # one record held as it is.
    unchanged_rows: int = 0
    # For each row read, by its line: its key as read and the digest to store for it.
    row_digests: dict[int, tuple[str, str]] = field(default_factory=dict)


def read_file(
    kind: str,
    raw: bytes,
    *,
    progress: Callable[[int], None] | None = None,
    held: Mapping[str, str] | None = None,
) -> Parsed:
    """Decode and validate a whole file; raises FileRejected if it cannot be read at all.

    ``held``: the digests the last import of this kind stored, by key (``ImportRowHash``). Rows
    they show unchanged are counted, not read; pass None to read every row (and get no digests)."""
    fmt = FORMATS[kind]
    content = decode(raw, fmt.encoding)
    columns = fmt.columns(read_header(content))
    cut = unchanged.split(content, fmt.row_key, held) if held is not None and fmt.row_key else None
    fields = [c.field for name in fmt.row_key for c in columns if c.name == name]
    if cut is not None and cut.unchanged:
        text, lines = cut.changed_content(content)
        try:
            frame = read_table(text, columns, fmt.description)
            del text
            result = parse_columns(frame, columns, progress=progress, null_values=fmt.null_values, lines=lines)
        except FileRejected:
            result = None  # refused again below, in the words and lines of the whole file
        set_aside = {cut.keys[p] for p in cut.unchanged}
        if result is not None and not any(unchanged.key_as_read(r, fields) in set_aside for r in result.rows):
            return _parsed(fmt, columns, result, cut, fields, rows_read=len(cut.keys))
        cut.unchanged = []
    frame = read_table(content, columns, fmt.description)
    del content  # what is read is in the frame: the text need not be held while it is parsed
    result = parse_columns(frame, columns, progress=progress, null_values=fmt.null_values)
    return _parsed(fmt, columns, result, cut, fields, rows_read=result.rows_read)


def _parsed(
    fmt: FileFormat,
    columns: list[Column],
    result: ReadResult,
    cut: unchanged.Split | None,
    fields: list[str],
    *,
    rows_read: int,
) -> Parsed:
    fields_present = result.fields_present or {c.field for c in columns if c.name in result.columns}
    digests: dict[int, tuple[str, str]] = {}
    if cut is not None:
        for row in result.rows:  # before ``prepare``, which may change the rows
            key = unchanged.key_as_read(row, fields)
            if key is not None and len(key) <= unchanged.MAX_KEY_LENGTH:
                digests[row["_line"]] = (key, cut.digest_for(row["_line"] - 2, key))
    prepared = fmt.prepare(result)
    return Parsed(
        prepared=prepared,
        errors=result.errors,
        rows_read=rows_read,
        fields_present=fields_present,
        warnings=result.warnings,
        unchanged_rows=len(cut.unchanged) if cut is not None else 0,
        row_digests=digests,
    )
