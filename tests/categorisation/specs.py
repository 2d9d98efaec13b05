"""The three built-in frameworks as plain specifications, straight from the migration's data,
and small builders for a school's facts. No database.

``framework(code)`` builds a ``FrameworkSpec`` exactly as ``categorisation.selectors.spec_for``
would from the rows the migration creates: categories by rank, triggers in the framework's order,
rules in order, and for Wales a ``MatrixSpec`` with the default category of the FRAMEWORKS entry.
"""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal
from functools import cache

from categorisation import rules, windows
from schools import ofsted
from schools.ofsted import InspectionFacts, Shape

seed = importlib.import_module("categorisation.migrations.0002_builtin_frameworks")

AS_OF = date(2026, 11, 23)
EVERY_AREA = [area.field for area in ofsted.REPORT_CARD_AREAS[:6]]


@cache
def framework(code: str, policy: windows.InspectionPolicy | None = None) -> rules.FrameworkSpec:
    entry = next(f for f in seed.FRAMEWORKS if f["code"] == code)
    matrix = None
    if entry["mapping"] == "matrix":
        matrix = rules.MatrixSpec(
            standards_triggers=tuple(entry["matrix"].get("standards_triggers", ())),
            capacity_triggers=tuple(entry["matrix"].get("capacity_triggers", ())),
            cells=dict(entry["matrix"].get("cells", {})),
        )
    categories = sorted(entry["categories"], key=lambda row: row[3])
    return rules.FrameworkSpec(
        code=entry["code"],
        name=entry["name"],
        version=1,
        categories=tuple(rules.CategorySpec(code, label, rank) for code, label, _, rank, *_ in categories),
        triggers=tuple(
            rules.TriggerSpec(code, label, kind, dict(params), severity, passage)
            for code in entry["triggers"]
            for label, kind, params, severity, passage in [seed.TRIGGERS[code]]
        ),
        rules=tuple(
            rules.RuleSpec(category, tuple(all_of), tuple(any_of), min_any, min_severity, min_count, description)
            for category, all_of, any_of, min_any, min_severity, min_count, description in entry["rules"]
        ),
        default_category=entry["default"],
        matrix=matrix,
        policy=policy or windows.InspectionPolicy(),
    )


def tiered() -> rules.FrameworkSpec:
    return framework("tiered")


def warwickshire() -> rules.FrameworkSpec:
    return framework("warwickshire")


def wales() -> rules.FrameworkSpec:
    return framework("wales")


def rank(spec: rules.FrameworkSpec, category: str) -> int:
    return spec.category(category).rank


# Facts ---------------------------------------------------------------------------------------


def graded(
    on: date, grade: int, *, leadership: int | None = None, concern: str = "", number: str = ""
) -> InspectionFacts:
    judgements = {"leadership_and_management": leadership} if leadership is not None else {}
    return InspectionFacts(
        Shape.GRADED,
        on,
        overall_effectiveness=grade,
        category_of_concern=concern,
        key_judgements=judgements,
        inspection_number=number,
    )


def judgements_only(on: date, **grades: int) -> InspectionFacts:
    return InspectionFacts(Shape.JUDGEMENTS_ONLY, on, key_judgements=dict(grades))


def report_card(on: date, *, safeguarding_met: bool | None = True, **grades: int) -> InspectionFacts:
    areas = {area: 3 for area in EVERY_AREA} | grades
    return InspectionFacts(
        Shape.REPORT_CARD,
        on,
        report_card=areas,
        safeguarding_met=safeguarding_met,
        category_of_concern=ofsted.report_card_concern(areas, safeguarding_met),
    )


def ungraded(on: date, outcome: str = "School remains good") -> InspectionFacts:
    return InspectionFacts(Shape.UNGRADED, on, ungraded_outcome=outcome)


def figures(code: str, *rows: tuple[int, str, str | None]) -> tuple[rules.Figure, ...]:
    """``figures("ks4_p8", (2017, "-0.6", "0.0"), ...)``: year, value and national as text."""
    return tuple(
        rules.Figure(code, year, Decimal(value), Decimal(national) if national is not None else None)
        for year, value, national in rows
    )


def school(
    *inspections: InspectionFacts,
    figures: tuple[rules.Figure, ...] = (),
    notes: tuple[rules.Note, ...] = (),
    open_date: date | None = None,
) -> rules.SchoolFacts:
    return rules.SchoolFacts(
        school_id=1,
        name="Ashfield Primary School",
        open_date=open_date,
        inspections=tuple(inspections),
        figures=figures,
        notes=notes,
    )
