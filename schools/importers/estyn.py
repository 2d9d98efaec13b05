"""Estyn inspections in the portal's own layout (``docs/data-formats.md``, "Estyn inspections").

Estyn publishes its reports school by school but no machine-readable file of outcomes, so the
portal defines one: one row per inspection, the school by URN or LAESTAB, the start date, the
framework (or left to the date), the judgements in Estyn's words and the follow-up.

A row is placed by its school and start date: a value that cannot be read there, a judgement or
follow-up Estyn never gives, or judgements that do not belong to the inspection's framework are
errors, and the file is refused with every error grouped by column and reason. A row for a
school that is not Welsh is set aside with a warning by the import (``schools.imports``).
"""

from __future__ import annotations

from typing import Any

from schools import estyn
from schools.importers.base import (
    URN,
    Column,
    FileRejected,
    Prepared,
    ReadResult,
    RowError,
    a_date,
    choice,
    duplicate_errors,
    integer,
    required_value_errors,
    text,
)

DESCRIPTION = "Estyn inspections (the portal's layout)"

_GRADE_WORDS = {
    "excellent": estyn.EXCELLENT,
    "good": estyn.GOOD,
    "adequate": estyn.ADEQUATE,
    "adequate and needs improvement": estyn.ADEQUATE,
    "unsatisfactory": estyn.UNSATISFACTORY,
    "unsatisfactory and needs urgent improvement": estyn.UNSATISFACTORY,
    **{str(g): g for g in estyn.GRADES},
}
_SHAPE_WORDS = {
    **{shape.value: shape.value for shape in estyn.Shape},
    "2010": estyn.Shape.PRE_2017.value,
    "2017": estyn.Shape.INSPECTION_AREAS.value,
    "2022": estyn.Shape.NO_SUMMATIVE.value,
}
_FOLLOW_UP_WORDS = {
    **{f.value.replace("_", " "): f.value for f in estyn.FollowUp},
    **{f.label.lower(): f.value for f in estyn.FollowUp},
    "no follow-up": estyn.FollowUp.NONE.value,
    "special measures": estyn.FollowUp.SPECIAL_MEASURES.value,
    "significant improvement": estyn.FollowUp.SIGNIFICANT_IMPROVEMENT.value,
}


def _words(mapping: dict[str, Any], what: str):
    def parse(value: str) -> Any:
        found = mapping.get(" ".join(value.lower().replace(",", " ").split()))
        if found is None:
            raise ValueError(f"is not {what}")
        return found

    return parse


_grade = _words(
    {" ".join(k.split()): v for k, v in _GRADE_WORDS.items()},
    "one of Estyn's judgements (Excellent, Good, Adequate, Unsatisfactory, or their 2017 wording)",
)

START_DATE = "Inspection start date"
FRAMEWORK = "Framework"
FOLLOW_UP = "Follow-up"

COLUMNS = [
    Column("URN", "urn", URN, key=True),
    Column("LAESTAB", "laestab", integer(1_000_000, 9_999_999), key=True),
    Column("School name", "_name", text(255)),
    Column(START_DATE, "start_date", a_date, required=True, key=True),
    Column("Inspection end date", "end_date", a_date, key=True),
    Column("Report published", "publication_date", a_date, key=True),
    Column(
        FRAMEWORK,
        "shape",
        choice(_words(_SHAPE_WORDS, "pre_2017, inspection_areas or no_summative (or 2010, 2017, 2022)"), empty=""),
        key=True,
    ),
    *[Column(j.label, j.field, choice(_grade), key=True) for j in estyn.ALL_JUDGEMENTS],
    Column(
        FOLLOW_UP,
        "follow_up",
        choice(
            _words(
                _FOLLOW_UP_WORDS, "a follow-up Estyn gives (Estyn review, significant improvement, special measures)"
            ),
            empty=estyn.FollowUp.NONE.value,
        ),
        key=True,
    ),
    Column("Removed from follow-up on", "follow_up_removed_on", a_date, key=True),
    Column("Report URL", "report_url", text(500)),
]
COLUMN_OF = {c.field: c.name for c in COLUMNS}


def columns(header: list[str]) -> list[Column]:
    """The layout's columns; the school is named by URN, LAESTAB or both."""
    if "URN" not in header and "LAESTAB" not in header:
        raise FileRejected(
            f"The file has neither a 'URN' nor a 'LAESTAB' column. Is it an {DESCRIPTION} file? "
            "Column names must be exactly as docs/data-formats.md gives them."
        )
    return COLUMNS


def prepare(result: ReadResult) -> Prepared:
    """Each row an inspection in its framework's shape; a row that cannot be one is an error."""
    result.errors.extend(required_value_errors(result.rows, {"start_date": START_DATE}, result.errors))
    failed = {e.line for e in result.errors}
    prepared = Prepared()
    for row in result.rows:
        line = row["_line"]
        if row.get("urn") is None and row.get("laestab") is None:
            if line not in failed:
                result.errors.append(RowError(line, "URN", "", "is required but empty: give the URN or the LAESTAB"))
            continue
        if line in failed or row.get("start_date") is None:
            continue
        problem = _shape_problem(row)
        if problem:
            result.errors.append(RowError(line, *problem))
            continue
        prepared.records.append(_record(row))
    urn_rows = [r for r in prepared.records if r.get("urn") is not None]
    result.errors.extend(duplicate_errors(urn_rows, ("urn", "start_date"), START_DATE))
    result.errors.sort(key=lambda e: (e.line, e.column))
    return prepared


def _shape_problem(row: dict[str, Any]) -> tuple[str, str, str] | None:
    """(column, value, reason) of the first thing that does not fit the row's framework."""
    implied = estyn.shape_for(row["start_date"])
    given = row.get("shape") or ""
    if given and given != implied:
        return (
            FRAMEWORK,
            given,
            f"does not match the start date: an inspection then was under “{estyn.Shape(implied).label}”",
        )
    problems = estyn.judgement_problems(implied, {j.field: row.get(j.field) for j in estyn.ALL_JUDGEMENTS})
    if problems:
        field_name = next(iter(problems))
        shown = row.get(field_name)
        reason = (
            f"is a judgement {_framework_words(implied)} did not make"
            if shown is not None
            else f"is required for an inspection {_framework_words(implied)}"
        )
        return COLUMN_OF[field_name], "" if shown is None else str(shown), reason
    removed = row.get("follow_up_removed_on")
    if removed is not None and row.get("follow_up", estyn.FollowUp.NONE) == estyn.FollowUp.NONE:
        return COLUMN_OF["follow_up_removed_on"], f"{removed:%d/%m/%Y}", "is given but the school was not in follow-up"
    return None


def _framework_words(shape: str) -> str:
    return {
        estyn.Shape.PRE_2017: "before September 2017",
        estyn.Shape.INSPECTION_AREAS: "from September 2017 to summer 2022",
        estyn.Shape.NO_SUMMATIVE: "from September 2022",
    }[estyn.Shape(shape)]


def _record(row: dict[str, Any]) -> dict[str, Any]:
    shape = estyn.shape_for(row["start_date"])
    record = {
        "_line": row["_line"],
        "_name": row.get("_name") or "",
        "urn": row.get("urn"),
        "laestab": row.get("laestab"),
        "start_date": row["start_date"],
        "shape": shape.value,
        "source": "import",
        **{j.field: row.get(j.field) for j in estyn.ALL_JUDGEMENTS},
    }
    for field_name, empty in (
        ("end_date", None),
        ("publication_date", None),
        ("follow_up", estyn.FollowUp.NONE.value),
        ("follow_up_removed_on", None),
        ("report_url", ""),
    ):
        if field_name in row:  # a column the file leaves out keeps what is held
            record[field_name] = row[field_name] if row[field_name] is not None else empty
    return record
