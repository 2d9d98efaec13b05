"""The published file formats the portal imports, by import kind.

``read_file(kind, raw_bytes)`` decodes, checks and parses a file without touching the database
and returns what the import service needs: the validated records, the row errors, and the
counts of rows read and set aside.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from schools.importers import ees, estyn, gias, ofsted_mi, performance
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
    ),
    "gias_links": FileFormat(
        "gias_links", "GIAS establishment links", "cp1252", _fixed(gias.LINK_COLUMNS), gias.prepare_links
    ),
    "gias_groups": FileFormat("gias_groups", "GIAS groups", "cp1252", _fixed(gias.GROUP_COLUMNS), gias.prepare_groups),
    "gias_group_links": FileFormat(
        "gias_group_links", "GIAS group links", "cp1252", _fixed(gias.GROUP_LINK_COLUMNS), gias.prepare_group_links
    ),
    "local_authorities": FileFormat(
        "local_authorities",
        "DfE local authority and region codes",
        "utf-8-sig",
        _fixed(gias.LA_COLUMNS),
        gias.prepare_local_authorities,
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


def read_file(kind: str, raw: bytes, *, progress: Callable[[int], None] | None = None) -> Parsed:
    """Decode and validate a whole file; raises FileRejected if it cannot be read at all."""
    fmt = FORMATS[kind]
    content = decode(raw, fmt.encoding)
    columns = fmt.columns(read_header(content))
    frame = read_table(content, columns, fmt.description)
    result = parse_columns(frame, columns, progress=progress, null_values=fmt.null_values)
    fields_present = result.fields_present or {c.field for c in columns if c.name in result.columns}
    prepared = fmt.prepare(result)
    return Parsed(
        prepared=prepared,
        errors=result.errors,
        rows_read=result.rows_read,
        fields_present=fields_present,
        warnings=result.warnings,
    )
