"""Ofsted management information for state-funded schools: latest inspections, and all inspections year to date.

Four published layouts, told apart by their columns (docs/data-formats.md):

* latest inspections, graded (files to August 2024, and 2024–25 files): the latest graded
  inspection with overall effectiveness and key judgements, the previous graded inspection, and
  the latest ungraded inspection since;
* latest inspections, report card (files from November 2025): the latest full (report-card)
  inspection with its evaluation areas and safeguarding standards, the latest OEIF graded
  inspection, and the latest ungraded inspection;
* all inspections year to date, September 2024 to November 2025: one row per inspection, with
  key judgements and no overall effectiveness (or an ungraded outcome), and the previous graded
  inspection;
* all inspections year to date, report card (from November 2025): one row per inspection, with
  its evaluation areas, or none for a monitoring visit.

Each row can therefore carry up to three inspections; each becomes its own record keyed by
inspection number, in its own shape (see ``schools.ofsted``). The URN and the inspection
numbers are keys: a value there that is not one is an error. A judgement the importer does not
recognise is stored as none, with a warning.
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


class NotGraded(str):
    """A judgement cell holding Ofsted's code for no judgement (9, Not applicable, Not judged):
    kept, by field, in the inspection's ``not_graded``, never as a grade."""


def _judgement(parse):
    def read(value: str):
        code = ofsted.not_graded_code(value)
        return NotGraded(code) if code else parse(value)

    return choice(read)


_YES_NO = choice(ofsted.parse_yes_no)
_GRADE = _judgement(ofsted.parse_graded)
_RC = _judgement(ofsted.parse_report_card)
_CONCERN = choice(ofsted.parse_concern, empty="")
_NUMBER = text(20)


def _inspection_number(value: str) -> str:
    cleaned = value.strip()
    if cleaned.upper() == "NULL":
        return ""
    if cleaned.endswith(".0") and cleaned[:-2].isdigit():
        cleaned = cleaned[:-2]  # 10080827.0: re-saved by a spreadsheet or pandas
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
            Column(
                published,
                f"{self.name}:{field}",
                parser,
                required=published in required,
                key=field == "inspection_number",
            )
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

# All inspections, year to date: one row per inspection.
_JUDGEMENTS = {
    "quality_of_education": ("Quality of education", _GRADE),
    "behaviour_and_attitudes": ("Behaviour and attitudes", _GRADE),
    "personal_development": ("Personal development", _GRADE),
    "leadership_and_management": ("Effectiveness of leadership and management", _GRADE),
    "early_years": ("Early years provision (where applicable)", _GRADE),
    "sixth_form": ("Sixth form provision (where applicable)", _GRADE),
}
_THIS_INSPECTION = {
    "inspection_number": ("Inspection number", _inspection_number),
    "inspection_type": ("Inspection type", text(100)),
    "type_grouping": ("Inspection type grouping", text(100)),
    "event_type_grouping": ("Event type grouping", text(100)),
    "start_date": ("Inspection start date", a_date),
    "publication_date": ("Publication date", a_date),
    "category_of_concern": ("Category of concern", _CONCERN),
}
ALL_INSPECTIONS_2024_LAYOUT = [
    Block(
        "inspection",
        "judgements_or_ungraded",
        _THIS_INSPECTION
        | _JUDGEMENTS
        | {
            "safeguarding_effective": ("Safeguarding is effective", _YES_NO),
            "ungraded_outcome": ("Outcomes for ungraded and monitoring inspections", text(255)),
        },
    ),
    _graded_block(
        "previous",
        "Previous ",
        at_time="previous inspection",
        number="Previous inspection number",
        start="Previous inspection start date",
        publication="Previous publication date",
        relates="Does the previous inspection relate to the school in its current form?",
        overall="Previous overall effectiveness",
        concern="Previous category of concern",
        safeguarding="Previous safeguarding is effective?",
    ),
]
ALL_INSPECTIONS_REPORT_CARD_LAYOUT = [
    Block(
        "inspection",
        "report_card_or_ungraded",
        _THIS_INSPECTION | {k: v for k, v in REPORT_CARD_LAYOUT[0].columns.items() if k.startswith("rc_")},
    ),
]
ALL_INSPECTIONS_REQUIRED = {"URN", "Inspection number", "Inspection start date"}

URN_COLUMN = Column("URN", "urn", URN, required=True, key=True)
# What the file calls the school and its LA, to name a school the register lacks.
NAMING_COLUMNS = [Column("School name", "_name", text(255)), Column("Local authority", "_la", text(100))]

_KEY_JUDGEMENTS = [field for field, _ in ofsted.GRADED_JUDGEMENT_LABELS]
_RC_FIELDS = [area.field for area in ofsted.REPORT_CARD_AREAS]


def layout_for(header: list[str]) -> tuple[str, list[Column]]:
    """Tell the layout from the header and return its columns."""
    present = set(header)
    if "Overall effectiveness" in present:
        blocks, required, name = GRADED_LAYOUT, GRADED_REQUIRED, "graded"
    elif "Inspection number of latest full inspection" in present:
        blocks, required, name = REPORT_CARD_LAYOUT, REPORT_CARD_REQUIRED, "report card"
    elif "Inspection number" in present and "Leadership and governance" in present:
        blocks, required, name = ALL_INSPECTIONS_REPORT_CARD_LAYOUT, ALL_INSPECTIONS_REQUIRED, "all, report card"
    elif "Inspection number" in present and "Quality of education" in present:
        blocks, required, name = ALL_INSPECTIONS_2024_LAYOUT, ALL_INSPECTIONS_REQUIRED, "all, 2024"
    elif "Leadership and governance" in present or "Safeguarding standards" in present:
        blocks, required, name = REPORT_CARD_LAYOUT, REPORT_CARD_REQUIRED, "report card"
    else:
        raise FileRejected(
            "This is not an Ofsted management information file for state-funded schools: it has none of "
            "the columns 'Overall effectiveness' (graded layout), 'Leadership and governance' (report-card "
            "layout) or 'Inspection number' with 'Quality of education' (all inspections, 2024–25). "
            "Column names must be exactly as published."
        )
    columns = [URN_COLUMN, *NAMING_COLUMNS]
    for block in blocks:
        columns.extend(block.as_columns(required))
    return name, [_as_published(column, present) for column in columns]


# The same column under the other names Ofsted has published it by.
ALIASES = {"Previous inspection number": ("Previous graded inspection number",)}


def _as_published(column: Column, present: set[str]) -> Column:
    if column.name in present:
        return column
    for alias in ALIASES.get(column.name, ()):
        if alias in present:
            return Column(alias, column.field, column.parse, column.required, column.key)
    return column


def prepare(result: ReadResult) -> Prepared:
    """Split each row into its inspections, each in its own shape."""
    result.errors.extend(required_value_errors(result.rows, {"urn": "URN"}, result.errors))
    prepared = Prepared()
    first_seen: dict[str, int] = {}
    for row in result.rows:
        if row.get("urn") is None:
            continue  # an error says why
        blocks: dict[str, dict[str, Any]] = {}
        for key, value in row.items():
            if ":" in key:
                block, field = key.split(":", 1)
                blocks.setdefault(block, {})[field] = value
        for block_name, values in blocks.items():
            record = _record(block_name, values, row, result.warnings)
            if record is None:
                continue
            number = record["inspection_number"]
            if number in first_seen:
                # The same inspection listed against two schools (e.g. a predecessor school's
                # inspection shown for both successors of a split): keep the first.
                if first_seen[number] != row["_line"]:
                    result.warnings.append(
                        RowError(
                            row["_line"],
                            _published(block_name, "inspection_number"),
                            number,
                            f"is listed for another school on line {first_seen[number]}; that listing is kept",
                        )
                    )
                continue
            first_seen[number] = row["_line"]
            record["_name"], record["_la"] = row.get("_name") or "", row.get("_la") or ""
            prepared.records.append(record)
    return prepared


def _record(block_name: str, values: dict[str, Any], row: dict[str, Any], warnings: list[RowError]) -> dict | None:
    """The inspection in one block of a row, in its shape; None (with a warning saying why) when
    the block names an inspection the file does not describe well enough to keep."""
    number = values.get("inspection_number") or ""
    if not number:
        return None
    line = row["_line"]
    if values.get("start_date") is None:
        warnings.append(
            RowError(
                line,
                _published(block_name, "start_date"),
                "",
                f"is empty, so inspection {number} was not imported: an inspection needs its start date",
            )
        )
        return None
    kind = _block_kind(block_name)
    if not kind:  # one row per inspection: its own columns say what it was
        kind = "report_card_or_ungraded" if any(k.startswith("rc_") for k in values) else "judgements_or_ungraded"
    record = {"_line": line, "urn": row.get("urn"), **{k: v for k, v in values.items()}}
    not_graded = {k: str(v) for k, v in record.items() if isinstance(v, NotGraded)}
    record.update(dict.fromkeys(not_graded))
    has_areas = any(record.get(f) is not None for f in _RC_FIELDS) or record.get("rc_safeguarding_met") is not None
    has_judgements = any(record.get(f) is not None for f in _KEY_JUDGEMENTS)
    if kind == "report_card_or_ungraded":
        kind = "report_card" if has_areas else "ungraded"
    elif kind == "judgements_or_ungraded":
        graded = has_judgements and not record.get("ungraded_outcome")
        kind = "graded" if graded else "ungraded"
    if kind == "report_card":
        if not has_areas:
            warnings.append(
                RowError(
                    line,
                    _published(block_name, "rc_leadership_and_governance"),
                    "",
                    f"is empty, so report card inspection {number} was not imported: it has no evaluation area grades",
                )
            )
            return None
        record["shape"] = ofsted.Shape.REPORT_CARD
        _clear(record, ["overall_effectiveness", *_KEY_JUDGEMENTS, "safeguarding_effective", "ungraded_outcome"])
    elif kind == "graded":
        if record.get("overall_effectiveness") is not None:
            record["shape"] = ofsted.Shape.GRADED
        elif has_judgements or _no_overall_grade_period(record["start_date"]):
            record["shape"] = ofsted.Shape.JUDGEMENTS_ONLY
        else:
            warnings.append(
                RowError(
                    line,
                    _published(block_name, "overall_effectiveness"),
                    "",
                    f"is empty, so graded inspection {number} (before September 2024) was not imported: "
                    "it has no grades",
                )
            )
            return None
        _clear(record, [*_RC_FIELDS, "rc_safeguarding_met", "ungraded_outcome"])
    else:
        record["shape"] = ofsted.Shape.UNGRADED
        _clear(
            record,
            ["overall_effectiveness", *_KEY_JUDGEMENTS, "safeguarding_effective", *_RC_FIELDS, "rc_safeguarding_met"],
        )
        if record.get("ungraded_outcome"):
            record["ungraded_outcome"] = " ".join(record["ungraded_outcome"].split())
    kept = {field: code for field, code in not_graded.items() if field in record}
    if kept:
        record["not_graded"] = kept
    # An inspection's facts never change once published, but files differ in how much of them
    # they repeat (the previous-inspection block has no type; a later file may leave a column
    # blank). A blank cell therefore never erases what an earlier file recorded.
    return {key: value for key, value in record.items() if value is not None and value != ""}


def _no_overall_grade_period(start: date) -> bool:
    return start >= ofsted.NO_OVERALL_GRADE_FROM


def _clear(record: dict[str, Any], fields: list[str]) -> None:
    for field in fields:
        record.pop(field, None)


def _block_kind(block_name: str) -> str:
    return {
        "latest": "graded",
        "previous": "graded",
        "oeif": "graded",
        "report_card": "report_card",
        "inspection": "",
    }.get(block_name, "ungraded")


def _published(block_name: str, field: str) -> str:
    layouts = GRADED_LAYOUT + REPORT_CARD_LAYOUT + ALL_INSPECTIONS_2024_LAYOUT + ALL_INSPECTIONS_REPORT_CARD_LAYOUT
    for block in layouts:
        if block.name == block_name and field in block.columns:
            return block.columns[field][0]
    return field
