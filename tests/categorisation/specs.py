"""The built-in frameworks, as written (migration 0010; tiered support as 0011 ships it), as plain
specifications from the migration's data, and small builders for a school's facts. No database.

``framework(code)`` builds a ``FrameworkSpec`` exactly as ``categorisation.selectors.spec_for``
would from the rows the migration creates: categories by rank, triggers in the framework's order,
rules in order, and for Wales a ``MatrixSpec`` with the default category of the FRAMEWORKS entry.
"""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal
from functools import cache

from categorisation import rules, selectors, windows
from schools import ofsted
from schools.ofsted import InspectionFacts, Shape

seed = importlib.import_module("categorisation.migrations.0002_builtin_frameworks")
# The frameworks as written (issue 21): the versions a new authority uses.
written = importlib.import_module("categorisation.migrations.0010_frameworks_as_written")
# Tiered support with the evidence the seeds name (issue 22): the version a new authority uses.
evidence = importlib.import_module("categorisation.migrations.0012_tiered_evidence_the_seeds_name")
# Oxfordshire's improvement guarantee (issue 22), a framework of its own on the same triggers.
oxfordshire_written = importlib.import_module("categorisation.migrations.0014_oxfordshire_framework")

AS_OF = date(2026, 11, 23)
EVERY_AREA = [area.field for area in ofsted.REPORT_CARD_AREAS[:6]]


@cache
def framework(
    code: str, policy: windows.InspectionPolicy | None = None, *, as_shipped: bool = False
) -> rules.FrameworkSpec:
    """The framework's version as written (or, ``as_shipped``, as first shipped: its triggers read
    data of any age), as ``selectors.spec_for`` would build it."""
    source = (
        seed
        if as_shipped
        else next(m for m in (oxfordshire_written, evidence, written) if any(f["code"] == code for f in m.FRAMEWORKS))
    )
    entry = next(f for f in source.FRAMEWORKS if f["code"] == code)
    categories = sorted(entry["categories"], key=lambda row: row[3])
    return rules.FrameworkSpec(
        code=entry["code"],
        name=code,
        version=2,
        categories=tuple(rules.CategorySpec(code, label, rank) for code, label, _, rank, *_ in categories),
        triggers=tuple(
            rules.TriggerSpec(code, label, kind, dict(params), severity, passage)
            for code in entry["triggers"]
            for label, kind, params, severity, passage in [source.TRIGGERS[code]]
        ),
        rules=tuple(
            rules.RuleSpec(category, tuple(all_of), tuple(any_of), min_any, min_severity, min_count, description)
            for category, all_of, any_of, min_any, min_severity, min_count, description in entry["rules"]
        ),
        default_category=entry["default"],
        matrix=selectors.matrix_spec(entry["matrix"]) if entry["matrix"] else None,
        policy=policy or windows.InspectionPolicy(),
    )


def tiered() -> rules.FrameworkSpec:
    return framework("tiered")


def tiered_as_shipped() -> rules.FrameworkSpec:
    """Tiered support as first shipped: its triggers read figures of any age, so a trigger kind's
    tests can use any year."""
    return framework("tiered", as_shipped=True)


def warwickshire() -> rules.FrameworkSpec:
    return framework("warwickshire")


def wales() -> rules.FrameworkSpec:
    return framework("wales")


def wales_2022() -> rules.FrameworkSpec:
    return framework("wales_concern")


def oxfordshire() -> rules.FrameworkSpec:
    return framework("oxfordshire")


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
    standards_groups: tuple[rules.StandardsGroup, ...] = (),
    capacity: tuple[rules.CapacityJudgement, ...] = (),
    estyn: tuple = (),
) -> rules.SchoolFacts:
    return rules.SchoolFacts(
        school_id=1,
        name="Ashfield Primary School",
        open_date=open_date,
        inspections=tuple(inspections),
        figures=figures,
        notes=notes,
        standards_groups=standards_groups,
        capacity_judgements=capacity,
        estyn=estyn,
    )
