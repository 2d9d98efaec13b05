"""DfE school performance tables downloads: census, key stage 2, key stage 4, 16 to 18 (key
stage 5), key stage 4 destinations and absence.

Each file is one academic year (the year is in the download's folder, not its columns, so it
is given on import). Suppressed and not-applicable figures are published as markers — SUPP,
NE, NA, NP, NEW, LOWCOV, SP, NR and others, or x, c, z and friends in newer files — and are
stored as "no value" with the marker, never as 0. A single space (the identity and score cells
of local authority and national rows) is an empty cell.

The URN is the key: a URN that is not a number is an error. A figure that is neither a number
(``2``, ``2.0``, `` 2 ``, ``44%``) nor a published marker is a warning and stored as no value.

Which rows are schools
----------------------
Census and absence files have no record type: a row with ``NAT`` in its URN or LA column holds
national figures (by phase, from ESTAB: PRI, SEC, SPE), a row without a URN is set aside.

The other files mark each row's type in RECTYPE, and the codes differ by key stage:

==================  ====================  ===============  ===================================
file                schools               national row     rows set aside
==================  ====================  ===============  ===================================
KS2                 1 mainstream,         5 (state-funded  3 LA totals; 4 England, all schools
                    2 special             schools)
KS4                 1 mainstream,         7 (state-funded  4 LA totals; 5 England, all schools
                    2 special             schools)
16 to 18 (KS5)      1 school or college   7 (state-funded  3 sixth-form consortium; 4 LA
                                          schools and      totals; 5 England, all schools and
                                          colleges)        colleges
KS4 destinations    1 mainstream,         NAT              LA (LA totals, LEA only)
                    2 special
==================  ====================  ===============  ===================================

KS2 and KS4 codes are DfE's (ks2_meta, ks4final_meta: "4=National (all schools);
5=National (state-funded schools only)" for KS2, "5=National (all schools); 7=National
(maintained schools)" for KS4). No KS5 metadata file was found: the KS5 codes are read from the
2016 and 2017 national files, whose first two rows are RECTYPE 5 and 7. As for KS4, 7 is taken
for the state-funded figures and 5 for all schools and colleges: row 5 is the higher A level
average (31.79 against 30.45 in 2016; independent schools are in it) and, in 2017, the one whose
value added is exactly 0 (value added is centred on all students). RECTYPE 3 rows are sixth-form
consortia: they have a URN, but their figures are their member schools' together (the members'
LAESTABs are written into the address columns), so they are not imported as a school. Neither
sample has a RECTYPE 2 row; a record type the importer does not know is set aside, saying so.

The portal compares schools with England's state-funded schools, so the national figures come
from the state-funded row; the all-schools row is set aside. Every row set aside is listed with
its reason, and each school record carries the file's school name and LA code (``_name``,
``_la``) for the import report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from schools import measures
from schools.importers.base import (
    URN,
    Column,
    FileRejected,
    Prepared,
    ReadResult,
    RowError,
    _number_text,
    duplicate_errors,
    is_marker,
    text,
)

__all__ = ["Figure", "check_has_measures", "columns_for", "figure", "prepare"]


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


_NOT_A_FIGURE = "is not a number or a published marker (SUPP, NE, NA, NP, LOWCOV, x, c, z …)"
_FIGURE_LIMIT = Decimal("1e8")  # PerformanceMeasure.value holds up to 8 digits before the point
_PLACES = Decimal("0.0001")


def figure(value: str) -> Figure:
    """A measure's cell (already stripped): ``44``, ``44.0``, ``44%``, ``-0.57``, ``1,806``, or a
    published marker, kept as written."""
    if is_marker(value):
        return Figure(None, value)
    try:
        number = Decimal(_number_text(value)) if len(value) <= 40 else Decimal("NaN")
    except InvalidOperation as exc:
        raise ValueError(_NOT_A_FIGURE) from exc
    if not number.is_finite() or abs(number) >= _FIGURE_LIMIT:
        raise ValueError(_NOT_A_FIGURE)
    return Figure(number.quantize(_PLACES), "")


# Rows -----------------------------------------------------------------------------------------

LA_TOTALS = "Local authority totals row"
ALL_SCHOOLS = "England totals including independent schools (national figures are for state-funded schools)"
ALL_SCHOOLS_AND_COLLEGES = (
    "England totals including independent schools and colleges "
    "(national figures are for state-funded schools and colleges)"
)
CONSORTIUM = "Sixth-form consortium row (not a school)"
NO_URN = "Row without a URN (not a school)"
SCHOOL_WITHOUT_URN = "School row without a URN"


@dataclass(frozen=True)
class RecordTypes:
    """What each RECTYPE code of a file means (see the module docstring)."""

    schools: frozenset[str]
    national: str  # the state-funded England row: the national figures
    set_aside: dict[str, str] = field(default_factory=dict)  # code → reason


RECORD_TYPES: dict[str, RecordTypes] = {
    "ks2": RecordTypes(frozenset({"1", "2"}), "5", {"3": LA_TOTALS, "4": ALL_SCHOOLS}),
    "ks4": RecordTypes(frozenset({"1", "2"}), "7", {"4": LA_TOTALS, "5": ALL_SCHOOLS}),
    "ks5": RecordTypes(
        frozenset({"1"}),
        "7",
        {"3": CONSORTIUM, "4": LA_TOTALS, "5": ALL_SCHOOLS_AND_COLLEGES},
    ),
    "ks4_destinations": RecordTypes(frozenset({"1", "2"}), "NAT", {"LA": LA_TOTALS}),
}

# Census and absence: the phase of a national (or LA) row, from its ESTAB column.
_PHASE = {"PRI": "primary", "SEC": "secondary", "SPE": "special", "": "all", "ALL": "all"}
_WHOLE = re.compile(r"^(\d+)\.0+$")


def columns_for(source: str) -> list[Column]:
    """The URN, the identifying columns of this file, and its measure columns."""
    # The URN column holds "NAT" on the national rows of some files, so it is read as text and
    # parsed in ``prepare``.
    columns = [Column("URN", "urn_text", text(10), key=True)]
    if source in RECORD_TYPES:
        columns += [Column("RECTYPE", "rectype", text(5), required=True, key=True), Column("LEA", "la", text(10))]
    else:
        columns += [
            Column("LA", "la", text(10), required=True, key=True),
            Column("ESTAB", "estab", text(10), key=True),
        ]
    columns.append(Column("SCHNAME", "name", text(1000)))
    return columns + [Column(m.column, f"m:{m.code}", figure) for m in measures.for_source(source)]


def check_has_measures(source: str, header: list[str]) -> None:
    published = [m.column for m in measures.for_source(source)]
    if not set(published) & set(header):
        raise FileRejected(
            f"The file has none of the measure columns this import reads ({', '.join(published)}). "
            "Is it the right kind of performance tables file?"
        )
    if "URN" not in header:
        raise FileRejected("The file is missing the required column 'URN'. Column names must be exactly as published.")


def prepare(source: str, result: ReadResult) -> Prepared:
    prepared = Prepared()
    types = RECORD_TYPES.get(source)
    national_lines: dict[str, int] = {}  # the line of each phase's national row
    for row in result.rows:
        _read_urn(row, result.errors)
        if row.get("invalid"):
            continue
        figures = {key[2:]: value for key, value in row.items() if key.startswith("m:") and value is not None}
        name, la = row.get("name") or "", row.get("la") or ""
        urn = row["urn"]
        if types is None:
            place, reason = _place_by_la(row)
        else:
            place, reason = _place_by_record_type(types, row)
        if place == "school":
            prepared.records.append({"_line": row["_line"], "urn": urn, "figures": figures, "_name": name, "_la": la})
        elif place is not None and place in national_lines:  # England twice: the first row counts
            prepared.skip(row, f"A second national row; the one on line {national_lines[place]} is used")
        elif place is not None:  # a national row: its phase
            national_lines[place] = row["_line"]
            for code, fig in figures.items():
                if fig.value is not None:
                    prepared.national.append({"measure": code, "phase": place, "value": fig.value})
        else:
            prepared.skip(row, reason, urn=urn, name=name, la=la)
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
        return
    if row["urn"] is None:  # a published marker where the URN should be
        errors.append(RowError(row["_line"], "URN", text_value, "is not a URN"))
        row["invalid"] = True


def _place_by_la(row: dict[str, Any]) -> tuple[str | None, str]:
    """Census and absence: ("school", ""), (phase, "") for a national row, or (None, reason)."""
    estab = (row.get("estab") or "").upper()
    if row.get("national") or (row.get("la") or "").upper() == "NAT":
        return _PHASE.get(estab, "all"), ""
    if row["urn"] is not None:
        return "school", ""
    if estab in _PHASE and estab:
        return None, LA_TOTALS  # an LA's figures by phase: 919,PRI,,5.4,13.4
    return None, NO_URN


def _place_by_record_type(types: RecordTypes, row: dict[str, Any]) -> tuple[str | None, str]:
    code = (row.get("rectype") or "").upper()
    code = _WHOLE.sub(r"\1", code)  # 1.0, as a spreadsheet re-saves it
    if code == types.national:
        return "all", ""
    if code in types.schools:
        return ("school", "") if row["urn"] is not None else (None, SCHOOL_WITHOUT_URN)
    if code in types.set_aside:
        return None, types.set_aside[code]
    return None, f"Unknown record type (RECTYPE '{row.get('rectype') or ''}')"
