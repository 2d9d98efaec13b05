"""DfE Explore Education Statistics (EES) open-data CSVs of local authority figures.

EES files follow DfE's open data standard: ``time_period`` (``202122`` for 2021/22),
``time_identifier`` (``Academic year``), ``geographic_level`` (National, Regional, Local
authority, Local authority district …), the LA's ``old_la_code`` (330) and ``la_name``, then
the publication's filter columns (``characteristic``, ``gender``, ``social_care_group`` …) and
its indicator columns (``gld_percentage``, ``pt_rwm_met_expected_standard`` …).

Which publication a file is from is told by its columns (``schools.la_measures.PUBLICATIONS``);
a file of no publication the portal reads is refused, naming those it reads. Only England's row
(National) and LAs' rows are read: regional and district rows, and breakdowns the portal does
not compare, are set aside with the reason. A suppressed figure (``c``, ``x``, ``z``, ``low``,
``u``, ``:``) is stored as its marker, never as 0.

The period and the LA code place a record: a ``time_period`` that is not a year, or an LA row
whose ``old_la_code`` is not a DfE LA code, is an error. An indicator that is neither a number nor
a published marker is a warning and not stored.
"""

from __future__ import annotations

import re
from typing import Any

from schools import la_measures
from schools.importers.base import Column, FileRejected, Prepared, ReadResult, RowError, duplicate_errors, text
from schools.importers.performance import figure

DESCRIPTION = "Explore Education Statistics local authority figures"
NATIONAL, LOCAL_AUTHORITY = "national", "la"
LEVELS = {"national": NATIONAL, "local authority": LOCAL_AUTHORITY}
KEY = ("level", "la_code", "academic_year", "period", "measure")

_ACADEMIC = re.compile(r"^(\d{4})(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_NOT_A_PERIOD = "is not a time period (a year such as 2021, or an academic year such as 202122)"
_NOT_AN_LA = "is not a DfE local authority code (three digits, such as 330)"


def columns(header: list[str]) -> list[Column]:
    """The open data standard's columns and the publication's filters and indicators."""
    publication = la_measures.publication_for([name.strip() for name in header])
    if publication is None:
        names = "; ".join(p.name for p in la_measures.PUBLICATIONS)
        raise FileRejected(
            "This is not an Explore Education Statistics file the portal reads: its columns match none of "
            f"these publications' local authority files: {names}. Upload the publication's CSV as downloaded."
        )
    return [
        Column("time_period", "time_period", text(20), required=True, key=True),
        Column("time_identifier", "period", text(40), required=True, key=True),
        Column("geographic_level", "geographic_level", text(60), required=True),
        Column("old_la_code", "la_text", text(20), required=True, key=True),
        Column("la_name", "la_name", text(200)),
        *[Column(name, f"f:{name}", text(200), required=True) for name in publication.filter_columns],
        *[Column(name, f"i:{name}", figure) for name in publication.indicator_columns],
    ]


def prepare(result: ReadResult) -> Prepared:
    publication = la_measures.publication_for(result.columns)
    prepared = Prepared()
    if publication is None:  # pragma: no cover - columns() refused the file already
        return prepared
    for row in result.rows:
        level = LEVELS.get((row.get("geographic_level") or "").strip().lower())
        if level is None:
            shown = row.get("geographic_level") or "(empty)"
            prepared.skip(row, f"{shown} rows are not read (only National and Local authority)")
            continue
        place = _place(row, level, result.errors)
        if place is None:
            continue
        matched = False
        for mapping in publication.mappings:
            if not all((row.get(f"f:{name}") or "").casefold() == value.casefold() for name, value in mapping.filters):
                continue
            matched = True
            found = row.get(f"i:{mapping.indicator}")
            if found is None:  # empty, or a value that is neither a number nor a marker (a warning)
                continue
            prepared.records.append(
                {
                    "_line": row["_line"],
                    **place,
                    "measure": mapping.measure,
                    "value": found.value,
                    "marker": found.marker,
                    "publication": publication.name,
                }
            )
        if not matched:
            prepared.skip(row, "A breakdown the portal does not compare", la=place["la_code"] or "")
    result.errors.extend(duplicate_errors(prepared.records, KEY, "old_la_code"))
    return prepared


def _place(row: dict[str, Any], level: str, errors: list[RowError]) -> dict[str, Any] | None:
    """The record's level, LA code, academic year and period, or None after noting an error."""
    line = row["_line"]
    period_text = (row.get("time_period") or "").strip()
    year = _year(period_text)
    failed = False
    if year is None:
        errors.append(RowError(line, "time_period", period_text, _NOT_A_PERIOD))
        failed = True
    if not row.get("period"):
        errors.append(RowError(line, "time_identifier", "", "is required but empty"))
        failed = True
    la_code = 0
    if level == LOCAL_AUTHORITY:
        la_text = (row.get("la_text") or "").strip()
        if not (la_text.isdigit() and 1 <= int(la_text) <= 999):
            errors.append(RowError(line, "old_la_code", la_text, _NOT_AN_LA))
            failed = True
        else:
            la_code = int(la_text)
    if failed:
        return None
    return {"level": level, "la_code": la_code, "academic_year": year, "period": row["period"]}


def _year(value: str) -> int | None:
    """2021 from ``202122`` (an academic year: the second part follows the first) or ``2021``."""
    if match := _ACADEMIC.match(value):
        start, end = int(match[1]), int(match[2])
        return start if (start + 1) % 100 == end and 1900 <= start <= 2200 else None
    if match := _YEAR.match(value):
        year = int(match[1])
        return year if 1900 <= year <= 2200 else None
    return None
