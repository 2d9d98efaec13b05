"""The monthly commissioner report as data: sections of headline figures and tables, each with its
definition, ready to store as JSON and to render as a page, a PDF, a workbook and CSVs alike.

``build`` is plain Python over the rows ``reporting.selectors`` loads; the same rows always give
the same content, whenever it is built, so a report's content hash tells whether anything changed.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from categorisation import palette
from core.calendar import academic_year_label
from reporting import figures as f
from reporting import quarters as q
from schools import la_measures
from schools.measures import BY_CODE


@dataclass
class Inputs:
    """Everything the report is computed from (see ``reporting.selectors``)."""

    authority: str
    schools: list[f.SchoolRow]
    graded: list[f.GradedRow]
    published: list[f.PublishedInspection]
    floor_figures: list[f.Figure]
    national: dict[tuple[str, int], Decimal]
    floors: list[f.FloorRule]
    list_changes: list[f.ListChange]
    list_size: int
    framework: str
    categories: list[f.CategoryInfo]
    category_changes: list[f.CategoryChange]
    entitlement: Decimal
    support: list[f.SupportRow]
    notices: list[f.NoticeRow]
    actions: list[f.ActionRow]
    overdue: list[f.OverdueRow]
    # Comparison with other LAs (seed 004): (group name, LA codes), the authority's own first.
    comparison_groups: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)
    la_names: dict[int, str] = field(default_factory=dict)
    la_inspections: list[f.LaInspections] = field(default_factory=list)
    la_measures: list[f.LaMeasure] = field(default_factory=list)
    # Figures DfE publishes only by LA, and England's (LA 0): EYFS, SEND, looked-after children.
    la_figures: list[f.PublishedFigure] = field(default_factory=list)
    neighbours_source: str = ""
    # The authority's own quarterly counts (seed 004): permanent exclusions, part-time placements.
    quarterly: list[q.Recorded] = field(default_factory=list)


def number(value) -> int | float | str:
    """A figure as the report stores it: whole numbers as int, days as float, unknown as ''."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def pct(value: Decimal | None) -> str:
    return "" if value is None else f"{value}%"


def points(now: Decimal | None, then: Decimal | None) -> str:
    """A change in percentage points, signed."""
    if now is None or then is None:
        return ""
    change = now - then
    return f"{'+' if change > 0 else ''}{change} points"


def table(caption: str, headers: list[str], rows: list[list]) -> dict:
    return {"caption": caption, "headers": headers, "rows": rows}


SHORT_TITLES = {
    "priority-list": "Priority list",
    "inspections": "Inspections",
    "good-or-better": "Good or better",
    "below-floor": "Below the floor",
    "comparison": "Comparison",
    "categories": "Categories",
    "support": "Support days",
    "notices": "Warning notices",
    "actions": "Overdue actions",
    "overdue": "Overdue",
    "quarterly": "Quarterly figures",
}


def section(
    key: str, title: str, definition: str, figures: list[tuple[str, object]], tables: list[dict], **extra
) -> dict:
    return {
        "key": key,
        "title": title,
        "short": SHORT_TITLES[key],
        "definition": definition,
        "figures": [[label, value] for label, value in figures],
        "tables": tables,
        **extra,
    }


def build(period: date, data: Inputs) -> dict:
    start, end = period.replace(day=1), f.month_end(period)
    months = f.months_back(period, 12)
    return {
        "period": start.isoformat(),
        "authority": data.authority,
        "title": f"{data.authority} school improvement monthly report: {f.month_label(start)}",
        "sections": [
            _priority_list(start, end, data),
            _inspections(start, end, data),
            _good_or_better(start, end, months, data),
            _below_floor(end, data),
            _comparison(data),
            _categories(start, end, data),
            _support(start, end, data),
            _notices(end, data),
            _actions(end, data),
            _overdue(data),
            _quarterly(end, data),
        ],
    }


def content_hash(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def _priority_list(start: date, end: date, data: Inputs) -> dict:
    changes = [c for c in data.list_changes if start <= c.on <= end]
    counted = {kind: sum(1 for c in changes if c.change == kind) for kind in ("Added", "Carried forward", "Removed")}
    return section(
        "priority-list",
        "Changes to the priority list",
        "Schools added to, carried forward onto or removed from the priority list on a date in the month, with "
        "the reason recorded; the list's size counts the schools on it at the end of the month.",
        [
            ("Schools added", counted["Added"]),
            ("Schools carried forward from last year", counted["Carried forward"]),
            ("Schools removed", counted["Removed"]),
            ("Schools on the priority list at the end of the month", data.list_size),
        ],
        [
            table(
                "Changes to the priority list in the month",
                ["Date", "URN", "School", "Change", "Reason"],
                [[c.on.isoformat(), c.urn, c.school, c.change, c.reason] for c in changes],
            )
        ],
    )


def _inspections(start: date, end: date, data: Inputs) -> dict:
    found = [i for i in data.published if start <= i.published <= end]
    by_shape: dict[str, int] = {}
    for inspection in found:
        by_shape[inspection.shape] = by_shape.get(inspection.shape, 0) + 1
    return section(
        "inspections",
        "Ofsted inspections of maintained schools published in the month",
        "Every inspection of a maintained school whose report was published in the month (or, without a "
        "publication date, that ended in it), in its own shape: a graded inspection shows its overall grade, "
        "an inspection from September 2024 its key judgements, a report card its grade in each area. No overall "
        "grade is ever made up for an inspection that has none.",
        [("Inspections published", len(found))] + [(shape, n) for shape, n in sorted(by_shape.items())],
        [
            table(
                "Inspections published in the month",
                ["Published", "URN", "School", "Phase", "Inspection", "Outcome", "Grades"],
                [
                    [
                        i.published.isoformat(),
                        i.urn,
                        i.school,
                        i.phase.capitalize(),
                        i.shape,
                        i.outcome,
                        "; ".join(f"{area}: {grade}" for area, grade in i.grades),
                    ]
                    for i in found
                ],
            )
        ],
    )


def _good_or_better(start: date, end: date, months: list[date], data: Inputs) -> dict:
    trend = f.good_or_better_trend(data.schools, data.graded, months)
    now = trend[-1]
    last_month = trend[-2] if len(trend) > 1 else None
    last_year = f.good_or_better(data.schools, data.graded, f.month_end(start.replace(year=start.year - 1)))
    return section(
        "good-or-better",
        "Maintained schools good or better",
        "Maintained schools open at the end of the month with a graded Ofsted inspection (overall grade 1 to 4) "
        "published by then, counted by the overall grade of their latest one: good or outstanding counts as good "
        "or better. Inspections with no overall grade (from September 2024) and report cards are not graded "
        "inspections and do not change this figure. Pupils are the pupils on roll in the latest school register.",
        [
            ("Maintained schools with a graded inspection", now.schools),
            ("Good or better", now.good),
            ("Percentage good or better", pct(now.percent)),
            ("Pupils in these schools", now.pupils),
            ("Pupils in good or better schools", now.good_pupils),
            ("Percentage of pupils in good or better schools", pct(now.pupils_percent)),
            ("Change in the number good or better since the end of last month", _signed(now.good, last_month)),
            ("Change in the number good or better since a year earlier", _signed(now.good, last_year)),
            ("Change since the end of last month", points(now.percent, last_month.percent if last_month else None)),
            ("Change since a year earlier", points(now.percent, last_year.percent)),
        ],
        [
            table(
                "Good or better at the end of each of the last 12 months",
                [
                    "Month",
                    "Schools",
                    "Good or better",
                    "%",
                    "Pupils",
                    "Pupils in good or better schools",
                    "% of pupils",
                ],
                [
                    [
                        f.month_label(t.on),
                        t.schools,
                        t.good,
                        pct(t.percent),
                        t.pupils,
                        t.good_pupils,
                        pct(t.pupils_percent),
                    ]
                    for t in trend
                ],
            )
        ],
        chart={
            "kind": "line",
            "title": "Percentage of maintained schools good or better",
            "axes": {"x": "Month", "y": "Per cent"},
            "labels": [f"{t.on:%b %Y}" for t in trend],
            "series": [{"name": "% good or better", "values": [number(t.percent) for t in trend]}],
        },
    )


def _signed(now: int, then: f.GoodOrBetter | None) -> str:
    """The change in a count since ``then``, signed: the impact the seed 004 report asks for."""
    return "" if then is None else f"{now - then.good:+d}"


def _below_floor(end: date, data: Inputs) -> dict:
    results = [f.below_floor(data.schools, data.floor_figures, rule, data.national, end) for rule in data.floors]
    figures_, rows = [], []
    for result in results:
        name = result.phase.capitalize()
        figures_ += [
            (f"{name} schools below the floor", len(result.below)),
            (f"Pupils in {result.phase} schools below the floor", result.pupils),
            (f"{name} schools with the results the floor needs", result.with_results),
        ]
        rows += [[name, s.urn, s.name, s.pupils or "", academic_year_label(year)] for s, year in result.below]
    # A school below both floors (an all-through school) counts once in the pupils of all of them.
    below = {s.id: s for result in results for s, _ in result.below}
    figures_.append(("Pupils in maintained schools below the floor", sum(s.pupils or 0 for s in below.values())))
    return section(
        "below-floor",
        "Primary and secondary schools below the floor standards",
        " ".join(rule.wording for rule in data.floors)
        + " Only maintained schools open at the end of the month are counted; pupils are those on roll.",
        figures_,
        [table("Schools below the floor", ["Phase", "URN", "School", "Pupils", "Results of"], rows)],
    )


# The measures compared with other LAs, as the register and the performance tables hold them for every school.
# Seed 004's outcomes the register's figures can measure: KS2, KS4, attendance, and (for "Reduce the number
# of young people not in education, employment or training") pupils not in a sustained destination after KS4.
COMPARED = [
    ("ks2_rwm_expected_pct", "0.1"),
    ("ks4_p8", "0.01"),
    ("abs_overall_pct", "0.1"),
    ("ks4dest_not_sustained_pct", "0.1"),
]


def _shown(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{value}%" if unit == "%" else f"{'+' if value > 0 else ''}{value}"


def _comparison(data: Inputs) -> dict:
    names = [name for name, _ in data.comparison_groups]
    codes = [group for _, group in data.comparison_groups]
    rows, figures_ = [], []
    if codes:
        schools_good, pupils_good = f.compare_inspections(codes, data.la_inspections)
        for label, compared in [
            ("Schools good or better (latest inspection)", schools_good),
            ("Pupils in good or better schools", pupils_good),
        ]:
            rows.append([label, "Now", *(pct(v) for v in compared.values), pct(compared.england)])
        for code, places in COMPARED:
            measure = BY_CODE[code]
            compared = f.compare_measure(code, codes, data.la_measures, places)
            year = academic_year_label(compared.year) if compared.year else ""
            shown = [_shown(v, measure.unit) for v in [*compared.values, compared.england]]
            rows.append([measure.label, year, *shown])
            if code == "ks4_p8":
                ranked = f.rank_among_las(code, codes[0], data.la_measures, compared.year, higher_is_better=True)
                if ranked:
                    figures_.append(
                        (f"Progress 8 rank among local authorities ({year})", f"{ranked[0]} of {ranked[1]}")
                    )
        rows += _published_rows(codes, data.la_figures)
    members = [
        [name, code, data.la_names.get(code, "")] for name, group in data.comparison_groups[1:] for code in group
    ]
    return section(
        "comparison",
        "Compared with statistical neighbours, core cities and England",
        "Seed 004 measures the authority relative to the core cities, statistical neighbours and national averages. "
        "Each group pools the open state-funded schools (maintained schools and academies) of its LAs in the school "
        "register: good or better counts schools by the outcome of their latest inspection (left out when it has "
        "no overall grade); a "
        "performance measure is the mean of the schools' published figures (not weighted by pupils) in the latest "
        "year the authority's schools have it. England is every LA's schools. Statistical neighbours: "
        f"{data.neighbours_source or 'none'}; core cities: Birmingham, Bristol, Leeds, Liverpool, Manchester, "
        "Nottingham, Newcastle and Sheffield (seed 004), shown for an authority that is one of them. The Progress 8 "
        "rank places the authority among every LA by the mean of its schools' scores (1 is the highest). "
        + _published_definition(codes),
        figures_,
        [
            table("Compared with other local authorities", ["Measure", "Year", *names, "England"], rows),
            table("The local authorities compared", ["Group", "LA code", "Local authority"], members),
        ],
    )


def _published_rows(codes: list[tuple[int, ...]], published: list[f.PublishedFigure]) -> list[list]:
    """A row for each figure DfE publishes only by LA that any LA or England has (seed 004: EYFS,
    SEND and looked-after children's outcomes)."""
    rows = []
    for measure in la_measures.MEASURES:
        compared = f.compare_published(measure.code, codes, published, measure.places)
        if compared.year is None:
            continue
        shown = [_shown(v, measure.unit) for v in [*compared.values, compared.england]]
        rows.append([f"{measure.label} (DfE LA figure)", academic_year_label(compared.year), *shown])
    return rows


def _published_definition(codes: list[tuple[int, ...]]) -> str:
    own = codes[0] if codes else ()
    several = (
        f"This authority has {len(own)} LAs: its figure is the mean of their published figures. "
        if len(own) > 1
        else ""
    )
    return (
        'Measures marked "DfE LA figure" are published by DfE only for each local authority and England (Explore '
        "Education Statistics: early years foundation stage profile results; outcomes for children looked after; "
        "and, entered by officers from DfE's Local Authority Interactive Tool with their source, KS1 attainment, "
        "the KS1, KS2 and KS4 results of pupils with SEN support or an EHC plan and exclusion rates): "
        f"{several}each other group is the mean of the figures of its LAs that have one (a suppressed figure is left "
        "out), and England is DfE's national figure, in the latest year the authority's LAs have it."
    )


def _categories(start: date, end: date, data: Inputs) -> dict:
    before = f.category_counts(data.category_changes, data.categories, start - timedelta(days=1))
    after = f.category_counts(data.category_changes, data.categories, end)
    moved = f.movements(data.category_changes, data.categories, start, end)
    labels = {c.code: c.label for c in data.categories}
    colours = {c.code: c.colour for c in data.categories}
    return section(
        "categories",
        "Schools in each category, and movements",
        f"Maintained schools by their agreed category in the {data.framework} (the latest decision by the date: "
        "agreed, overridden or decided by the board). A movement is a school whose category at the end of the "
        "month differs from the one it had at the start; more support means a category of higher rank.",
        [(labels[code], n) for code, n in after.items()]
        + [
            ("Moved to more support", moved.more_support),
            ("Moved to less support", moved.less_support),
            ("Categorised for the first time", moved.first),
        ],
        [
            table(
                "Schools in each category",
                ["Category", "At the start of the month", "At the end of the month", "Change"],
                [[labels[code], before[code], after[code], f"{after[code] - before[code]:+d}"] for code in after],
            ),
            table(
                "Movements between categories in the month",
                ["From", "To", "Schools"],
                [[labels.get(a, a) or "Not categorised", labels.get(b, b), n] for (a, b), n in moved.pairs.items()],
            ),
        ],
        chart={
            "kind": "bar",
            "title": "Schools in each category at the end of the month",
            "axes": {"x": "Category", "y": "Schools"},
            "labels": [labels[code] for code in after],
            "series": [{"name": "Schools", "values": list(after.values())}],
            # Each category's bar in the colour of its tag (categorisation.palette).
            "colours": [palette.fill(colours[code]) for code in after],
        },
    )


def _support(start: date, end: date, data: Inputs) -> dict:
    days = f.support_days(data.entitlement, data.support, start, end)
    return section(
        "support",
        "Support days allocated and delivered",
        "Days of adviser, teaching adviser and brokered support in the academic year: the entitlement of every "
        "school's support package (with adjustments), the days allocated to partners by the end of the month, and "
        "the days of visits held by then and in the month. Progress meetings are counted as meetings, not days, "
        "and are left out.",
        [
            ("Days of entitlement this academic year", number(days.entitlement)),
            ("Days allocated to partners", number(days.allocated)),
            ("Days delivered this academic year", number(days.delivered_to_date)),
            ("Percentage of allocated days delivered", pct(days.delivered_percent)),
            ("Days delivered in the month", number(days.delivered_in_month)),
        ],
        [],
    )


def _notices(end: date, data: Inputs) -> dict:
    found = f.open_notices(data.notices, end)
    late = [n for n in found if n.deadline and n.deadline < end]
    return section(
        "notices",
        "Warning notices open",
        "Warning notices issued by the end of the month and not complied with, lifted, escalated or referred by "
        "then; past deadline means the compliance deadline fell before the month's end.",
        [("Warning notices open", len(found)), ("Past their compliance deadline", len(late))],
        [
            table(
                "Warning notices open at the end of the month",
                ["URN", "School", "Issued", "Compliance deadline"],
                [[n.urn, n.school, n.issued.isoformat(), n.deadline.isoformat() if n.deadline else ""] for n in found],
            )
        ],
    )


def _actions(end: date, data: Inputs) -> dict:
    overdue = f.overdue_actions(data.actions, end)
    return section(
        "actions",
        "Overdue actions",
        "Actions not complete whose deadline fell before the end of the month, as recorded when the report was "
        "built: actions in schools' action plans, and actions agreed at progress meetings and at schools causing "
        "concern meetings.",
        [("Overdue actions", sum(overdue.values()))] + [(kind, n) for kind, n in overdue.items()],
        [],
    )


def _overdue(data: Inputs) -> dict:
    kinds = Counter(row.kind for row in data.overdue)
    return section(
        "overdue",
        "Overdue",
        "Deadlines the school improvement policy sets that had passed by the end of the month, as recorded when "
        "the report was built, longest overdue first: action plans by their due date (October half-term for "
        "schools carried forward from last year) and Statements of Action, the priority list by October "
        "half-term and the letters telling every maintained school whether it is a priority, a visit to each new "
        "headteacher in their first half-term, and warning notices' compliance deadlines.",
        [("Deadlines overdue", len(data.overdue)), *kinds.items()],
        [
            table(
                "Deadlines overdue at the end of the month",
                ["Deadline", "URN", "School", "Due", "What"],
                [[r.kind, r.urn, r.school, r.due.isoformat(), r.what] for r in data.overdue],
            )
        ],
    )


def _quarterly(end: date, data: Inputs) -> dict:
    latest = q.last_ended(end)
    before = latest.previous
    figures_, rows = [], []
    for measure, label in q.MEASURES.items():
        held = q.counts(data.quarterly, measure)
        change = q.change_on_previous(data.quarterly, measure, latest)
        shown = [held.get(quarter, "Not recorded") for quarter in (before, latest)]
        figures_ += [
            (f"{label}, {latest.label}", shown[1]),
            (f"{label}: change on {before.label}", str(change) if change.direction else "Not recorded"),
        ]
        rows.append([label, *shown, str(change) if change.direction else "Not recorded"])
    return section(
        "quarterly",
        "Permanent exclusions and children in part-time placements, quarter on quarter",
        "Seed 004 asks for quarter on quarter reporting of permanent exclusions and of children in part-time "
        "placements. DfE publishes neither by quarter: these are the authority's own counts, as officers recorded "
        "them, for the last two calendar quarters that had ended by the end of the month. A quarter with no count "
        "recorded says so; the change is shown only when both are recorded.",
        figures_,
        [table("Quarter on quarter", ["Measure", before.label, latest.label, "Change"], rows)],
    )
