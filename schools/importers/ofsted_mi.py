"""Ofsted management information: "State-funded schools — latest inspections".

Two published layouts, told apart by their columns:

* graded (files to August 2024, and 2024–25 files): the latest graded inspection with overall
  effectiveness and key judgements, the previous graded inspection, and the latest ungraded
  inspection since;
* report card (files from November 2025): the latest full (report-card) inspection with its
  evaluation areas and safeguarding standards, the latest OEIF graded inspection, and the
  latest ungraded inspection.

Each row can therefore carry up to three inspections; each becomes its own record keyed by
inspection number, in its own shape (see ``schools.ofsted``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from schools import ofsted
from schools.importers.base import (
    URN,
    Column,
    FileRejected,
    Prepared,
    ReadResult,
    RowError,
    a_date,
    choice,
    required_value_errors,
    text,
)

_YES_NO = choice(ofsted.parse_yes_no)
_GRADE = choice(ofsted.parse_graded)
_RC = choice(ofsted.parse_report_card)
_CONCERN = choice(ofsted.parse_concern, empty="")
_NUMBER = text(20)


def _inspection_number(value: str) -> str:
    cleaned = value.strip()
    if cleaned.upper() == "NULL":
        return ""
    if len(cleaned) > 20 or not cleaned.replace("-", "").isalnum():
        raise ValueError("is not an inspection number")
    return cleaned


_inspection_number.empty = ""  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Block:
    """One inspection's columns within a row, by model field."""

    name: str
    kind: str  # "graded", "report_card" or "ungraded"
    columns: dict[str, tuple[str, Any]]  # model field -> (published column, parser)

    def as_columns(self, required: set[str]) -> list[Column]:
        return [
            Column(published, f"{self.name}:{field}", parser, required=published in required)
            for field, (published, parser) in self.columns.items()
        ]


def _graded_block(name: str, prefix: str, *, at_time: str, **columns: str) -> Block:
    """Columns of a graded inspection; ``columns`` gives the published names that differ."""
    spec: dict[str, tuple[str, Any]] = {
        "inspection_number": (columns["number"], _inspection_number),
        "start_date": (columns["start"], a_date),
        "publication_date": (columns["publication"], a_date),
        "relates_to_current_urn": (columns["relates"], _YES_NO),
        "urn_at_time": (f"URN at time of {at_time}", URN),
        "school_name_at_time": (f"School name at time of {at_time}", text(255)),
        "school_type_at_time": (f"School type at time of {at_time}", text(100)),
        "overall_effectiveness": (columns["overall"], _GRADE),
        "category_of_concern": (columns["concern"], _CONCERN),
        "quality_of_education": (f"{prefix}quality of education", _GRADE),
        "behaviour_and_attitudes": (f"{prefix}behaviour and attitudes", _GRADE),
        "personal_development": (f"{prefix}personal development", _GRADE),
        "leadership_and_management": (f"{prefix}effectiveness of leadership and management", _GRADE),
        "safeguarding_effective": (columns["safeguarding"], _YES_NO),
        "early_years": (f"{prefix}early years provision (where applicable)", _GRADE),
        "sixth_form": (f"{prefix}sixth form provision (where applicable)", _GRADE),
    }
    for field in ("inspection_type", "type_grouping", "event_type_grouping", "end_date"):
        if field in columns:
            spec[field] = (columns[field], a_date if field == "end_date" else text(100))
    return Block(name, "graded", spec)


def _capitalised(prefix: str, block: Block) -> Block:
    """The latest-inspection columns of the graded layout start with a capital letter."""
    fixed = {}
    for field, (published, parser) in block.columns.items():
        if prefix == "" and published[:1].islower():
            published = published[0].upper() + published[1:]
        fixed[field] = (published, parser)
    return Block(block.name, block.kind, fixed)


_UNGRADED_COMMON = {
    "start_date": ("Date of latest ungraded inspection", a_date),
    "publication_date": ("Ungraded inspection publication date", a_date),
    "relates_to_current_urn": ("Does the ungraded inspection relate to the URN of the current school?", _YES_NO),
    "urn_at_time": ("URN at time of the ungraded inspection", URN),
    "school_name_at_time": ("School name at time of the ungraded inspection", text(255)),
    "school_type_at_time": ("School type at time of the ungraded inspection", text(100)),
    "ungraded_outcome": ("Ungraded inspection overall outcome", text(255)),
}

GRADED_LAYOUT = [
    _capitalised(
        "",
        _graded_block(
            "latest",
            "",
            at_time="latest graded inspection",
            number="Inspection number of latest graded inspection",
            start="Inspection start date",
            end_date="Inspection end date",
            publication="Publication date",
            relates="Does the latest graded inspection relate to the URN of the current school?",
            overall="Overall effectiveness",
            concern="Category of concern",
            safeguarding="Safeguarding is effective?",
            inspection_type="Inspection type",
            type_grouping="Inspection type grouping",
            event_type_grouping="Event type grouping",
        ),
    ),
    _graded_block(
        "previous",
        "Previous ",
        at_time="previous graded inspection",
        number="Previous inspection number",
        start="Previous inspection start date",
        end_date="Previous inspection end date",
        publication="Previous publication date",
        relates="Does the previous graded inspection relate to the URN of the current school?",
        overall="Previous graded inspection overall effectiveness",
        concern="Previous category of concern",
        safeguarding="Previous safeguarding is effective?",
    ),
    Block(
        "ungraded",
        "ungraded",
        {"inspection_number": ("Latest ungraded inspection number since last graded inspection", _inspection_number)}
        | _UNGRADED_COMMON,
    ),
]
GRADED_REQUIRED = {
    "URN",
    "Inspection number of latest graded inspection",
    "Inspection start date",
    "Overall effectiveness",
}

_OEIF = "latest OEIF graded inspection"
REPORT_CARD_LAYOUT = [
    Block(
        "report_card",
        "report_card",
        {
            "inspection_number": ("Inspection number of latest full inspection", _inspection_number),
            "inspection_type": ("Inspection type", text(100)),
            "type_grouping": ("Inspection type grouping", text(100)),
            "event_type_grouping": ("Event type grouping", text(100)),
            "start_date": ("Inspection start date", a_date),
            "publication_date": ("Publication date", a_date),
            "relates_to_current_urn": (
                "Does the latest full inspection relate to the URN of the current school?",
                _YES_NO,
            ),
            "urn_at_time": ("URN at time of latest full inspection", URN),
            "school_name_at_time": ("School name at time of latest full inspection", text(255)),
            "school_type_at_time": ("School type at time of latest full inspection", text(100)),
            "category_of_concern": ("Category of concern", _CONCERN),
            "rc_safeguarding_met": ("Safeguarding standards", _YES_NO),
            "rc_inclusion": ("Inclusion", _RC),
            "rc_curriculum_and_teaching": ("Curriculum and teaching", _RC),
            "rc_achievement": ("Achievement", _RC),
            "rc_attendance_and_behaviour": ("Attendance and behaviour", _RC),
            "rc_personal_development": ("Personal development and wellbeing", _RC),
            "rc_early_years": ("Early years (where applicable)", _RC),
            "rc_post_16": ("Post-16 provision (where applicable)", _RC),
            "rc_leadership_and_governance": ("Leadership and governance", _RC),
        },
    ),
    Block(
        "oeif",
        "graded",
        {
            "inspection_number": (f"Inspection number of {_OEIF}", _inspection_number),
            "inspection_type": (f"Inspection type of {_OEIF}", text(100)),
            "type_grouping": (f"Inspection type grouping of {_OEIF}", text(100)),
            "event_type_grouping": (f"Event type grouping of {_OEIF}", text(100)),
            "start_date": (f"Inspection start date of {_OEIF}", a_date),
            "publication_date": (f"Publication date of {_OEIF}", a_date),
            "relates_to_current_urn": (f"Does the {_OEIF} relate to the URN of the current school?", _YES_NO),
            "urn_at_time": (f"URN at time of {_OEIF}", URN),
            "school_name_at_time": (f"School name at time of {_OEIF}", text(255)),
            "school_type_at_time": (f"School type at time of {_OEIF}", text(100)),
            "category_of_concern": ("Latest OEIF category of concern", _CONCERN),
            "overall_effectiveness": ("Latest OEIF overall effectiveness", _GRADE),
            "quality_of_education": ("Latest OEIF quality of education", _GRADE),
            "behaviour_and_attitudes": ("Latest OEIF behaviour and attitudes", _GRADE),
            "personal_development": ("Latest OEIF personal development", _GRADE),
            "leadership_and_management": ("Latest OEIF effectiveness of leadership and management", _GRADE),
            # Two spaces, as published.
            "safeguarding_effective": ("Latest OEIF  safeguarding is effective?", _YES_NO),
            "early_years": ("Latest OEIF early years provision (where applicable)", _GRADE),
            "sixth_form": ("Latest OEIF sixth form provision (where applicable)", _GRADE),
        },
    ),
    Block(
        "ungraded",
        "ungraded",
        {"inspection_number": ("Latest ungraded inspection number", _inspection_number)} | _UNGRADED_COMMON,
    ),
]
REPORT_CARD_REQUIRED = {
    "URN",
    "Inspection number of latest full inspection",
    "Inspection start date",
    "Leadership and governance",
    "Safeguarding standards",
}

URN_COLUMN = Column("URN", "urn", URN, required=True)

_KEY_JUDGEMENTS = [field for field, _ in ofsted.GRADED_JUDGEMENT_LABELS]
_RC_FIELDS = [area.field for area in ofsted.REPORT_CARD_AREAS]


def layout_for(header: list[str]) -> tuple[str, list[Column]]:
    """Tell the layout from the header and return its columns."""
    present = set(header)
    if "Overall effectiveness" in present:
        blocks, required, name = GRADED_LAYOUT, GRADED_REQUIRED, "graded"
    elif "Leadership and governance" in present or "Safeguarding standards" in present:
        blocks, required, name = REPORT_CARD_LAYOUT, REPORT_CARD_REQUIRED, "report card"
    else:
        raise FileRejected(
            "This is not an Ofsted 'latest inspections' management information file: it has neither "
            "the graded layout's column 'Overall effectiveness' nor the report-card layout's column "
            "'Leadership and governance'. Column names must be exactly as published."
        )
    columns = [URN_COLUMN]
    for block in blocks:
        columns.extend(block.as_columns(required))
    return name, columns


def prepare(result: ReadResult) -> Prepared:
    """Split each row into its inspections, each in its own shape."""
    result.errors.extend(required_value_errors(result.rows, {"urn": "URN"}, result.errors))
    prepared = Prepared()
    first_seen: dict[str, int] = {}
    for row in result.rows:
        blocks: dict[str, dict[str, Any]] = {}
        for key, value in row.items():
            if ":" in key:
                block, field = key.split(":", 1)
                blocks.setdefault(block, {})[field] = value
        for block_name, values in blocks.items():
            record = _record(block_name, values, row, result.errors)
            if record is None:
                continue
            number = record["inspection_number"]
            if number in first_seen:
                # The same inspection listed against two schools (e.g. a predecessor school's
                # inspection shown for both successors of a split): keep the first.
                prepared.set_aside += 1
                continue
            first_seen[number] = row["_line"]
            prepared.records.append(record)
    return prepared


def _record(block_name: str, values: dict[str, Any], row: dict[str, Any], errors: list[RowError]) -> dict | None:
    number = values.get("inspection_number") or ""
    if not number:
        return None
    line = row["_line"]
    if values.get("start_date") is None:
        errors.append(
            RowError(line, _published(block_name, "start_date"), "", "is required when an inspection number is given")
        )
        return None
    kind = _block_kind(block_name)
    record = {"_line": line, "urn": row.get("urn"), **{k: v for k, v in values.items()}}
    if kind == "report_card":
        record["shape"] = ofsted.Shape.REPORT_CARD
        if not any(record.get(f) is not None for f in _RC_FIELDS) and record.get("rc_safeguarding_met") is None:
            errors.append(
                RowError(
                    line,
                    "Leadership and governance",
                    "",
                    "is empty, but a report card needs its evaluation area grades",
                )
            )
            return None
        _clear(record, ["overall_effectiveness", *_KEY_JUDGEMENTS, "safeguarding_effective"])
    elif kind == "graded":
        if record.get("overall_effectiveness") is not None:
            record["shape"] = ofsted.Shape.GRADED
        elif any(record.get(f) is not None for f in _KEY_JUDGEMENTS) or _no_overall_grade_period(record["start_date"]):
            record["shape"] = ofsted.Shape.JUDGEMENTS_ONLY
        else:
            errors.append(
                RowError(
                    line,
                    _published(block_name, "overall_effectiveness"),
                    "",
                    "is required for a graded inspection before September 2024",
                )
            )
            return None
        _clear(record, [*_RC_FIELDS, "rc_safeguarding_met"])
    else:
        record["shape"] = ofsted.Shape.UNGRADED
    # An inspection's facts never change once published, but files differ in how much of them
    # they repeat (the previous-inspection block has no type; a later file may leave a column
    # blank). A blank cell therefore never erases what an earlier file recorded.
    return {key: value for key, value in record.items() if value not in (None, "")}


def _no_overall_grade_period(start: date) -> bool:
    return start >= ofsted.NO_OVERALL_GRADE_FROM


def _clear(record: dict[str, Any], fields: list[str]) -> None:
    for field in fields:
        record.pop(field, None)


def _block_kind(block_name: str) -> str:
    return {"latest": "graded", "previous": "graded", "oeif": "graded", "report_card": "report_card"}.get(
        block_name, "ungraded"
    )


def _published(block_name: str, field: str) -> str:
    for block in GRADED_LAYOUT + REPORT_CARD_LAYOUT:
        if block.name == block_name and field in block.columns:
            return block.columns[field][0]
    return field
