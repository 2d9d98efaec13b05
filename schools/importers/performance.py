"""DfE school performance tables downloads: census, key stage 2, key stage 4 and absence.

Each file is one academic year (the year is in the download's folder, not its columns, so it
is given on import). Suppressed and not-applicable figures are published as markers — SUPP,
NE, NA, NP, LOWCOV and others, or x, c, z and friends in newer files — and are stored as "no
value" with the marker, never as 0. Rows that are not schools (local authority totals) are set
aside; the national rows become the national figures.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from schools import measures
from schools.importers.base import URN, Column, FileRejected, Prepared, ReadResult, RowError, duplicate_errors, text

# Published suppression and absence markers, compared case-insensitively.
MARKERS = {
    "SUPP",
    "NE",
    "NA",
    "NP",
    "NEW",
    "LOWCOV",
    "DNS",
    "LOW",
    "SP",
    "X",
    "C",
    "Z",
    "U",
    ":",
    "..",
    "*",
}


class Figure:
    """A published cell: a number, or a marker saying why there is none."""

    __slots__ = ("marker", "value")

    def __init__(self, value: Decimal | None, marker: str = ""):
        self.value = value
        self.marker = marker

    def __eq__(self, other):
        return isinstance(other, Figure) and (self.value, self.marker) == (other.value, other.marker)

    def __hash__(self):
        return hash((self.value, self.marker))

    def __repr__(self):
        return f"Figure({self.value!r}, {self.marker!r})"


def figure(value: str) -> Figure:
    if value.upper() in MARKERS:
        return Figure(None, value)
    try:
        number = Decimal(value.rstrip("%").replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError("is not a number or a published marker (SUPP, NE, NA, NP, LOWCOV, x, c, z …)") from exc
    if not number.is_finite() or abs(number) >= Decimal("1e8"):
        raise ValueError("is not a number or a published marker (SUPP, NE, NA, NP, LOWCOV, x, c, z …)")
    return Figure(number.quantize(Decimal("0.0001")), "")


# How each file marks its national rows: (column, value) → phase; and rows to set aside.
_NATIONAL_PHASE = {"PRI": "primary", "SEC": "secondary", "SPE": "special", "": "all", "ALL": "all"}


def columns_for(source: str) -> list[Column]:
    """The URN, the identifying columns of this file, and its measure columns."""
    # The URN column holds "NAT" on the national rows of some files, so it is read as text.
    base = [Column("URN", "urn_text", text(10))]
    if source in ("census", "absence"):
        base += [Column("LA", "la", text(10), required=True), Column("ESTAB", "estab", text(10))]
    else:
        base += [Column("RECTYPE", "rectype", text(5), required=True)]
    return base + [Column(m.column, f"m:{m.code}", figure) for m in measures.for_source(source)]


def check_has_measures(source: str, header: list[str]) -> None:
    published = [m.column for m in measures.for_source(source)]
    if not set(published) & set(header):
        raise FileRejected(
            f"The file has none of the measure columns this import reads ({', '.join(published)}). "
            "Is it the right kind of performance tables file?"
        )
    if "URN" not in header:
        raise FileRejected("The file is missing the required column 'URN'. Column names must be exactly as published.")


# KS2 and KS4 files mark their rows by type (RECTYPE): schools, local authority totals and the
# England totals. We compare schools with England's state-funded schools.
_SCHOOL_RECTYPES = {"ks2": {"1", "2"}, "ks4": {"1", "2"}}
_NATIONAL_RECTYPE = {"ks2": "5", "ks4": "7"}


def prepare(source: str, result: ReadResult) -> Prepared:
    prepared = Prepared()
    for row in result.rows:
        _read_urn(row, result.errors)
        figures = {key[2:]: value for key, value in row.items() if key.startswith("m:") and value is not None}
        phase = _national_phase(source, row)
        if phase is not None:
            for code, fig in figures.items():
                if fig.value is not None:
                    prepared.national.append({"measure": code, "phase": phase, "value": fig.value})
            continue
        if row.get("invalid"):
            continue
        if not _is_school_row(source, row):
            prepared.set_aside += 1
            continue
        prepared.records.append({"_line": row["_line"], "urn": row["urn"], "figures": figures})
    result.errors.extend(duplicate_errors(prepared.records, "urn", "URN"))
    return prepared


def _read_urn(row: dict[str, Any], errors: list[RowError]) -> None:
    text_value = row.pop("urn_text", "") or ""
    row["urn"] = None
    if not text_value or text_value.upper() == "NAT":
        row["national"] = text_value.upper() == "NAT"
        return
    try:
        row["urn"] = URN(text_value)
    except ValueError as exc:
        errors.append(RowError(row["_line"], "URN", text_value, str(exc)))
        row["invalid"] = True


def _national_phase(source: str, row: dict[str, Any]) -> str | None:
    if source in ("census", "absence"):
        if row.get("national") or (row.get("la") or "").upper() == "NAT":
            return _NATIONAL_PHASE.get((row.get("estab") or "").upper(), "all")
        return None
    if row.get("rectype") == _NATIONAL_RECTYPE[source]:
        return "all"
    return None


def _is_school_row(source: str, row: dict[str, Any]) -> bool:
    if row.get("urn") is None:
        return False
    if source in ("ks2", "ks4"):
        return row.get("rectype") in _SCHOOL_RECTYPES[source]
    return True
