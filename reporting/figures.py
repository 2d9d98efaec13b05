"""The figures of the monthly commissioner report, computed from plain rows.

Every function here takes plain data (the dataclasses below) and a date, and returns plain data:
no database, no request. ``reporting.selectors`` loads the rows in a fixed number of queries
whatever the number of schools; ``reporting.services`` turns the result into the stored report.

Each figure says how it is defined and counted (``DEFINITIONS``), and the report prints that
definition beside the figure.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

GOOD_OR_BETTER = (1, 2)


# The rows the figures are computed from ------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolRow:
    id: int
    urn: int
    name: str
    phase: str  # "primary", "secondary" or "other"
    pupils: int | None
    opened: date | None = None
    closed: date | None = None

    def open_on(self, day: date) -> bool:
        return (self.opened is None or self.opened <= day) and (self.closed is None or self.closed > day)


@dataclass(frozen=True)
class GradedRow:
    """A graded inspection's overall effectiveness (1 outstanding … 4 inadequate), by when it was published."""

    school_id: int
    published: date
    overall: int


@dataclass(frozen=True)
class PublishedInspection:
    """An inspection published in the month, in its own shape: report cards carry their area grades."""

    urn: int
    school: str
    phase: str
    published: date
    shape: str  # "Graded", "Key judgements, no overall grade", "Report card", "Ungraded"
    outcome: str  # the shape-true one-line summary
    grades: tuple[tuple[str, str], ...] = ()  # (area or judgement, grade) pairs


@dataclass(frozen=True)
class Figure:
    """A performance figure a school published: ``values`` measure code → value."""

    school_id: int
    year: int
    values: dict[str, Decimal]


@dataclass(frozen=True)
class ListChange:
    urn: int
    school: str
    on: date
    change: str  # "Added" or "Removed"
    reason: str


@dataclass(frozen=True)
class CategoryChange:
    """A school's agreed category from a date (the decision that put it there)."""

    school_id: int
    on: date
    category: str  # code
    previous: str = ""  # code, or "" for a first categorisation


@dataclass(frozen=True)
class CategoryInfo:
    code: str
    label: str
    rank: int
    colour: str = "grey"  # its tag's colour (``Category.Colour``; see ``categorisation.palette``)


@dataclass(frozen=True)
class SupportRow:
    """Days of support: ``allocated`` when a partner was given them, ``delivered`` when a visit was held."""

    on: date
    allocated: Decimal = Decimal(0)
    delivered: Decimal = Decimal(0)


@dataclass(frozen=True)
class NoticeRow:
    urn: int
    school: str
    issued: date
    deadline: date | None
    closed: date | None  # complied, lifted, escalated or referred


@dataclass(frozen=True)
class ActionRow:
    kind: str  # where it was agreed: action plans, progress meetings, schools causing concern meetings
    deadline: date
    done: bool
    count: int = 1  # actions with this deadline and state


@dataclass(frozen=True)
class OverdueRow:
    """A deadline the seeds name, past (``boards.deadlines``): what kind, for which school, due when, what."""

    kind: str
    urn: int
    school: str
    due: date
    what: str


# Periods -------------------------------------------------------------------------------------------------------


def month_end(period: date) -> date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def previous_month(period: date) -> date:
    return (period.replace(day=1) - timedelta(days=1)).replace(day=1)


def months_back(period: date, count: int) -> list[date]:
    """The first days of ``count`` months ending with ``period``'s, oldest first."""
    months = [period.replace(day=1)]
    while len(months) < count:
        months.insert(0, previous_month(months[0]))
    return months


def month_label(period: date) -> str:
    return f"{period:%B %Y}"


def first_working_day(year: int, month: int, bank_holidays: set[date]) -> date:
    """The first day of the month that is neither a weekend nor a bank holiday."""
    day = date(year, month, 1)
    while day.weekday() >= 5 or day in bank_holidays:
        day += timedelta(days=1)
    return day


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to one decimal place; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


# Good or better ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoodOrBetter:
    on: date
    schools: int  # open maintained schools with a graded inspection published by ``on``
    good: int
    pupils: int
    good_pupils: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.good, self.schools)

    @property
    def pupils_percent(self) -> Decimal | None:
        return percent(self.good_pupils, self.pupils)


def latest_grades(graded: list[GradedRow], on: date) -> dict[int, int]:
    """Each school's overall grade at its latest graded inspection published on or before ``on``."""
    latest: dict[int, tuple[date, int]] = {}
    for row in graded:
        if row.published <= on and (row.school_id not in latest or row.published >= latest[row.school_id][0]):
            latest[row.school_id] = (row.published, row.overall)
    return {school_id: grade for school_id, (_, grade) in latest.items()}


def _tally(schools: list[SchoolRow], grades: dict[int, int], on: date) -> GoodOrBetter:
    """Good or better on ``on``, given each school's latest overall grade by then."""
    counted = [s for s in schools if s.open_on(on) and s.id in grades]
    good = [s for s in counted if grades[s.id] in GOOD_OR_BETTER]
    return GoodOrBetter(
        on=on,
        schools=len(counted),
        good=len(good),
        pupils=sum(s.pupils or 0 for s in counted),
        good_pupils=sum(s.pupils or 0 for s in good),
    )


def good_or_better(schools: list[SchoolRow], graded: list[GradedRow], on: date) -> GoodOrBetter:
    return _tally(schools, latest_grades(graded, on), on)


def good_or_better_trend(schools: list[SchoolRow], graded: list[GradedRow], months: list[date]) -> list[GoodOrBetter]:
    """Good or better at the end of each month: one pass over the inspections, in date order."""
    ordered = sorted(graded, key=lambda r: r.published)
    grades: dict[int, int] = {}
    found, i = [], 0
    for month in months:
        end = month_end(month)
        while i < len(ordered) and ordered[i].published <= end:
            grades[ordered[i].school_id] = ordered[i].overall
            i += 1
        found.append(_tally(schools, grades, end))
    return found


# Below the floor -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FloorRule:
    """A school of ``phase`` is below the floor when its latest figure of every measure in ``below`` is
    under the threshold: a number, or ``"national"`` for that year's national figure."""

    phase: str
    below: dict[str, Decimal | str]
    wording: str


@dataclass(frozen=True)
class BelowFloor:
    phase: str
    schools: int  # open maintained schools of the phase
    with_results: int  # … that have the figures the rule needs
    below: list[tuple[SchoolRow, int]]  # (school, year of the figures)

    @property
    def pupils(self) -> int:
        return sum(s.pupils or 0 for s, _ in self.below)


def below_floor(
    schools: list[SchoolRow],
    figures: list[Figure],
    rule: FloorRule,
    national: dict[tuple[str, int], Decimal],
    on: date,
) -> BelowFloor:
    """Schools whose latest figures (the latest year holding every measure of the rule) are below the floor."""
    in_phase = {s.id: s for s in schools if s.phase == rule.phase and s.open_on(on)}
    latest: dict[int, Figure] = {}
    for figure in figures:
        if figure.school_id not in in_phase or any(code not in figure.values for code in rule.below):
            continue
        if figure.school_id not in latest or figure.year > latest[figure.school_id].year:
            latest[figure.school_id] = figure
    below = []
    for school_id, figure in latest.items():
        thresholds = {
            code: national.get((code, figure.year)) if limit == "national" else Decimal(limit)
            for code, limit in rule.below.items()
        }
        if all(t is not None and figure.values[code] < t for code, t in thresholds.items()):
            below.append((in_phase[school_id], figure.year))
    below.sort(key=lambda pair: (pair[0].name, pair[0].urn))
    return BelowFloor(rule.phase, len(in_phase), len(latest), below)


# The priority list ---------------------------------------------------------------------------------------------


def list_size(entries: list[tuple[int, date, date | None]], on: date) -> int:
    """Schools on the priority list at the end of ``on``: the list in force is the latest academic
    year's with an entry added by then (last year's stays in force until the new one is agreed);
    its entries added by then and not removed by then. ``entries``: (academic year, added, removed)."""
    years = [year for year, added, _ in entries if added <= on]
    if not years:
        return 0
    year = max(years)
    return sum(1 for y, added, removed in entries if y == year and added <= on and (removed is None or removed > on))


# Categories ----------------------------------------------------------------------------------------------------


def categories_on(changes: list[CategoryChange], on: date) -> dict[int, str]:
    """Each school's agreed category at the end of ``on`` (its latest decision by then)."""
    current: dict[int, tuple[date, str]] = {}
    for change in changes:
        if change.on <= on and (change.school_id not in current or change.on >= current[change.school_id][0]):
            current[change.school_id] = (change.on, change.category)
    return {school_id: code for school_id, (_, code) in current.items()}


def category_counts(changes: list[CategoryChange], categories: list[CategoryInfo], on: date) -> dict[str, int]:
    counts = Counter(categories_on(changes, on).values())
    return {c.code: counts.get(c.code, 0) for c in categories}


@dataclass(frozen=True)
class Movements:
    more_support: int  # moved to a category of higher rank (needing more support)
    less_support: int
    first: int  # categorised for the first time
    pairs: dict[tuple[str, str], int] = field(default_factory=dict)  # (from, to) → schools


def movements(changes: list[CategoryChange], categories: list[CategoryInfo], start: date, end: date) -> Movements:
    """Schools whose category at ``end`` differs from the one they had the day before ``start``."""
    before = categories_on(changes, start - timedelta(days=1))
    after = categories_on(changes, end)
    rank = {c.code: c.rank for c in categories}
    pairs: Counter = Counter()
    more = less = first = 0
    for school_id, code in after.items():
        was = before.get(school_id)
        if was == code:
            continue
        pairs[(was or "", code)] += 1
        if was is None:
            first += 1
        elif rank.get(code, 0) > rank.get(was, 0):
            more += 1
        else:
            less += 1
    return Movements(more, less, first, dict(sorted(pairs.items())))


# Support, notices, actions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportDays:
    entitlement: Decimal
    allocated: Decimal
    delivered_to_date: Decimal
    delivered_in_month: Decimal

    @property
    def delivered_percent(self) -> Decimal | None:
        return percent(self.delivered_to_date, self.allocated)


def support_days(entitlement: Decimal, rows: list[SupportRow], start: date, end: date) -> SupportDays:
    """Days allocated to partners in the academic year by ``end``, against days delivered by ``end``
    and in the month from ``start``."""
    to_date = [r for r in rows if r.on <= end]
    return SupportDays(
        entitlement=entitlement,
        allocated=sum((r.allocated for r in to_date), Decimal(0)),
        delivered_to_date=sum((r.delivered for r in to_date), Decimal(0)),
        delivered_in_month=sum((r.delivered for r in to_date if r.on >= start), Decimal(0)),
    )


def open_notices(notices: list[NoticeRow], on: date) -> list[NoticeRow]:
    """Warning notices issued by ``on`` and not yet complied with, lifted, escalated or referred by then."""
    found = [n for n in notices if n.issued <= on and (n.closed is None or n.closed > on)]
    return sorted(found, key=lambda n: (n.deadline or date.max, n.school))


def overdue_actions(actions: list[ActionRow], on: date) -> dict[str, int]:
    """Actions not done whose deadline passed before ``on``, by where they were agreed."""
    counts: Counter = Counter()
    for action in actions:
        if not action.done and action.deadline < on:
            counts[action.kind] += action.count
    return dict(sorted(counts.items()))


# Dashboards ----------------------------------------------------------------------------------------------------


def published_by_month(inspections: list[PublishedInspection], months: list[date]) -> dict[str, list[int]]:
    """Inspections published in each month, by shape (shape → a count per month)."""
    index = {(m.year, m.month): i for i, m in enumerate(months)}
    counts: dict[str, list[int]] = {}
    for inspection in inspections:
        i = index.get((inspection.published.year, inspection.published.month))
        if i is not None:
            counts.setdefault(inspection.shape, [0] * len(months))[i] += 1
    return dict(sorted(counts.items()))


def support_by_month(rows: list[SupportRow], months: list[date]) -> tuple[list[Decimal], list[Decimal]]:
    """Days allocated and delivered by the end of each month (running totals)."""
    allocated, delivered = [], []
    for month in months:
        end = month_end(month)
        allocated.append(sum((r.allocated for r in rows if r.on <= end), Decimal(0)))
        delivered.append(sum((r.delivered for r in rows if r.on <= end), Decimal(0)))
    return allocated, delivered


# Impact ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Supported:
    """A school that received support: from when, how many days, and where it stood before and now."""

    urn: int
    name: str
    since: date
    days: Decimal
    category_before: str = ""  # codes
    category_now: str = ""
    grade_before: int | None = None  # overall grade of the latest graded inspection before support
    grade_after: int | None = None  # … of the latest one published since
    inspected_since: str = ""  # the shape-true summary of the latest inspection since support began


@dataclass(frozen=True)
class Impact:
    school: Supported
    category: str  # "Needs less support", "No change", "Needs more support", "Not known"
    inspection: str  # "Better", "Same", "Worse", "Not inspected since", "No graded comparison"


DAY_BANDS = [(Decimal(0), Decimal(5)), (Decimal(5), Decimal(10)), (Decimal(10), Decimal(20)), (Decimal(20), None)]


def band_label(low: Decimal, high: Decimal | None) -> str:
    return f"{low:g} to under {high:g} days" if high is not None else f"{low:g} days or more"


def impact_of(school: Supported, ranks: dict[str, int]) -> Impact:
    if not school.category_before or not school.category_now:
        category = "Not known"
    else:
        change = ranks.get(school.category_now, 0) - ranks.get(school.category_before, 0)
        category = "No change" if change == 0 else ("Needs less support" if change < 0 else "Needs more support")
    if not school.inspected_since:
        inspection = "Not inspected since"
    elif school.grade_before is None or school.grade_after is None:
        inspection = "No graded comparison"
    elif school.grade_after == school.grade_before:
        inspection = "Same"
    else:
        inspection = "Better" if school.grade_after < school.grade_before else "Worse"
    return Impact(school, category, inspection)


@dataclass(frozen=True)
class ImpactBand:
    label: str
    schools: int
    less_support: int
    more_support: int
    inspected: int
    better: int


def impact_bands(impacts: list[Impact]) -> list[ImpactBand]:
    """Schools grouped by days of support received: how many now need less support, and how inspections went."""
    bands = []
    for low, high in DAY_BANDS:
        within = [i for i in impacts if i.school.days >= low and (high is None or i.school.days < high)]
        bands.append(
            ImpactBand(
                band_label(low, high),
                len(within),
                sum(1 for i in within if i.category == "Needs less support"),
                sum(1 for i in within if i.category == "Needs more support"),
                sum(1 for i in within if i.inspection != "Not inspected since"),
                sum(1 for i in within if i.inspection == "Better"),
            )
        )
    return bands


# Comparison with other local authorities (seed 004) --------------------------------------------------------


@dataclass(frozen=True)
class LaInspections:
    """An LA's open state-funded schools with a graded outcome, and how many are good or better."""

    la: int
    schools: int
    good: int
    pupils: int
    good_pupils: int


@dataclass(frozen=True)
class LaMeasure:
    """The sum and count of an LA's schools' published figures of a measure in a year."""

    la: int
    measure: str
    year: int
    total: Decimal
    count: int


@dataclass(frozen=True)
class Compared:
    """One measure for each group (in the order given) and for England: None where no school has it."""

    measure: str
    year: int | None
    values: list[Decimal | None]
    england: Decimal | None


def _mean(rows: list[LaMeasure], places: str) -> Decimal | None:
    count = sum(r.count for r in rows)
    return (sum((r.total for r in rows), Decimal(0)) / count).quantize(Decimal(places)) if count else None


def compare_inspections(groups: list[tuple[int, ...]], rows: list[LaInspections]) -> tuple[Compared, Compared]:
    """The percentage of schools, and of their pupils, good or better in each group and in England
    (every LA's schools pooled, not an average of LAs' percentages)."""

    def pooled(selected: list[LaInspections]) -> tuple[Decimal | None, Decimal | None]:
        return (
            percent(sum(r.good for r in selected), sum(r.schools for r in selected)),
            percent(sum(r.good_pupils for r in selected), sum(r.pupils for r in selected)),
        )

    each = [pooled([r for r in rows if r.la in codes]) for codes in groups]
    england = pooled(rows)
    return (
        Compared("schools_good", None, [s for s, _ in each], england[0]),
        Compared("pupils_good", None, [p for _, p in each], england[1]),
    )


def compare_measure(
    measure: str, groups: list[tuple[int, ...]], rows: list[LaMeasure], places: str = "0.1"
) -> Compared:
    """The mean of schools' published figures of ``measure`` in each group and in England, in the
    latest year the first group (the authority) has it (else the latest year any LA has it)."""
    found = [r for r in rows if r.measure == measure]
    own = [r.year for r in found if r.la in groups[0]]
    year = max(own or [r.year for r in found], default=None)
    in_year = [r for r in found if r.year == year]
    return Compared(
        measure,
        year,
        [_mean([r for r in in_year if r.la in codes], places) for codes in groups],
        _mean(in_year, places),
    )


@dataclass(frozen=True)
class PublishedFigure:
    """A figure DfE publishes for a local authority (``la`` 0 is England) for a measure and year."""

    la: int
    measure: str
    year: int
    value: Decimal


def compare_published(
    measure: str, groups: list[tuple[int, ...]], rows: list[PublishedFigure], places: str = "0.1"
) -> Compared:
    """Seed 004's comparison of a figure DfE publishes only by LA: for each group the mean of its
    LAs' published figures (an authority of one LA: its own figure), leaving out an LA without one,
    and England's own published figure, in the latest year the first group (the authority) has it
    (else the latest year any LA or England has it)."""
    found = [r for r in rows if r.measure == measure]
    own = [r.year for r in found if r.la and r.la in groups[0]]
    year = max(own or [r.year for r in found], default=None)
    in_year = {r.la: r.value for r in found if r.year == year}
    quantum = Decimal(places)

    def mean(codes: tuple[int, ...]) -> Decimal | None:
        values = [in_year[code] for code in codes if code in in_year]
        return (sum(values, Decimal(0)) / len(values)).quantize(quantum) if values else None

    england = in_year.get(0)
    return Compared(
        measure,
        year,
        [mean(codes) for codes in groups],
        england.quantize(quantum) if england is not None else None,
    )


def rank_among_las(
    measure: str, own: tuple[int, ...], rows: list[LaMeasure], year: int | None, higher_is_better: bool
) -> tuple[int, int] | None:
    """The authority's place among every LA by the mean of its schools' figures of ``measure`` in
    ``year`` (1 is best), and how many LAs have it: seed 004's "ranking in relation to other Local
    Authorities for Progress 8". None when the authority has no figures that year."""
    found = [r for r in rows if r.measure == measure and r.year == year]
    means: dict[int | str, Decimal] = {}
    for la in {r.la for r in found if r.la not in own}:
        mean = _mean([r for r in found if r.la == la], "0.0001")
        if mean is not None:
            means[la] = mean
    mine = _mean([r for r in found if r.la in own], "0.0001")
    if mine is None:
        return None
    better = [m for m in means.values() if (m > mine if higher_is_better else m < mine)]
    return len(better) + 1, len(means) + 1
