"""The categorisation rules engine: facts and a framework version in, a proposal out.

Plain Python with no database (DESIGN §3). ``evaluate`` runs every enabled trigger of the
framework over one school's facts; each trigger that fires returns its evidence — the values,
the comparison, the source and its date. The framework's mapping then turns the fired triggers
into a proposed category: ordered rules (the first that matches wins) or, for the Welsh
national model, a standards group × capacity to improve matrix. The explanation says, in plain
English, why.

Triggers are kinds of rule with parameters (thresholds, years, areas) that a framework version
sets as data, so an administrator can change a threshold without a release.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from categorisation import windows
from core.calendar import academic_year_label, academic_year_of
from schools import estyn, measures, ofsted
from schools.ofsted import InspectionFacts, Shape

SEVERITIES = {0: "Information", 1: "Low", 2: "Medium", 3: "High", 4: "Critical"}
INTELLIGENCE_SOURCE = "Intelligence notes"  # evidence from notes, withheld from those who may not read them
RISK_GRADES = {"low": 1, "medium": 2, "high": 3}


# Facts ----------------------------------------------------------------------------------------


class Figure(NamedTuple):
    """One published figure with the national one beside it (a tuple: a million of these load
    for England)."""

    code: str
    year: int
    value: Decimal | None
    national: Decimal | None = None


@dataclass(frozen=True)
class Note:
    area: str
    risk_grade: str
    noted_on: date


@dataclass(frozen=True)
class GovernanceReviewFacts:
    """An external review of governance: when, by whom, and whether it found governance effective."""

    reviewed_on: date
    reviewer: str
    effective: bool


@dataclass(frozen=True)
class StandardsGroup:
    """Step 1 of the Welsh national categorisation: a school's standards group for a year, from
    Welsh data (entered by the authority or imported from the published table)."""

    year: int
    group: int
    source: str = ""


@dataclass(frozen=True)
class CapacityJudgement:
    """Step 2: the challenge adviser's judgement of a school's capacity to improve, A to D, with
    its evidence; it counts once the authority has agreed it."""

    year: int
    capacity: str
    evidence: str = ""
    agreed_on: date | None = None


@dataclass(frozen=True)
class SchoolFacts:
    """What is known about one school, as the engine sees it."""

    school_id: int
    name: str = ""
    phase: str = "all"
    open_date: date | None = None
    inspections: tuple[InspectionFacts, ...] = ()
    figures: tuple[Figure, ...] = ()
    notes: tuple[Note, ...] = ()
    standards_groups: tuple[StandardsGroup, ...] = ()
    capacity_judgements: tuple[CapacityJudgement, ...] = ()
    estyn: tuple[estyn.EstynFacts, ...] = ()  # newest inspection first
    governance_reviews: tuple[GovernanceReviewFacts, ...] = ()
    # Given instead of ``figures`` by ``selectors.load_facts``: the figures with a value, grouped
    # by measure, oldest year first, as the database returned them (nothing to sort per school).
    series_by_measure: Mapping[str, Sequence[Figure]] | None = field(default=None, hash=False, repr=False)

    def __post_init__(self):
        if self.figures and self.series_by_measure is not None:
            raise ValueError("Give a school's figures or its series by measure, not both.")

    # Worked out once per school: every trigger asks for them.
    @cached_property
    def _latest_full(self) -> InspectionFacts | None:
        return ofsted.latest_full(list(self.inspections))

    @cached_property
    def _series(self) -> Mapping[str, Sequence[Figure]]:
        if self.series_by_measure is not None:
            return self.series_by_measure
        found: dict[str, list[Figure]] = {}
        for figure in sorted(self.figures, key=lambda f: (f.code, f.year)):
            if figure.value is not None:
                found.setdefault(figure.code, []).append(figure)
        return found

    def latest_full(self) -> InspectionFacts | None:
        return self._latest_full

    def graded(self) -> list[InspectionFacts]:
        """Graded inspections (with an overall grade), newest first."""
        found = [i for i in self.inspections if i.shape == Shape.GRADED and i.start_date]
        return sorted(found, key=lambda i: i.start_date, reverse=True)

    def series(self, code: str) -> Sequence[Figure]:
        """A measure's figures with a value, oldest year first."""
        return self._series.get(code, [])


# Evidence and specifications ----------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    text: str
    values: tuple[tuple[str, str], ...] = ()
    comparator: str = ""
    source: str = ""
    on: date | None = None
    # What a matrix reads from the evidence (a standards group, a capacity letter); not stored.
    value: str = field(default="", compare=False)

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "values": [list(pair) for pair in self.values],
            "comparator": self.comparator,
            "source": self.source,
            "on": self.on.isoformat() if self.on else None,
        }


@dataclass(frozen=True)
class TriggerSpec:
    code: str
    label: str
    kind: str
    params: Mapping = field(default_factory=dict)
    severity: int = 2
    passage: str = ""
    enabled: bool = True


@dataclass(frozen=True)
class Fired:
    code: str
    label: str
    severity: int
    evidence: Evidence

    def as_dict(self) -> dict:
        return {"code": self.code, "label": self.label, "severity": self.severity, "evidence": self.evidence.as_dict()}


@dataclass(frozen=True)
class CategorySpec:
    code: str
    label: str
    rank: int


@dataclass(frozen=True)
class RuleSpec:
    """A category's condition: every trigger in ``all_of``, at least ``min_any`` of ``any_of``, and
    at least ``min_count`` fired triggers of ``min_severity`` or worse — each part only if given."""

    category: str
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    min_any: int = 1
    min_severity: int | None = None
    min_count: int = 1
    description: str = ""

    def matches(self, fired: dict[str, Fired]) -> bool:
        if any(code not in fired for code in self.all_of):
            return False
        if self.any_of and sum(code in fired for code in self.any_of) < self.min_any:
            return False
        if self.min_severity is not None:
            return sum(f.severity >= self.min_severity for f in fired.values()) >= self.min_count
        return bool(self.all_of or self.any_of)


@dataclass(frozen=True)
class MatrixSpec:
    """The Welsh national model (Welsh Government, National School Categorisation System): step 1
    a standards group 1–4 from Welsh data, step 2 the challenge adviser's agreed capacity to improve
    A–D, step 3 the support category of the pair. A school missing either step is not yet
    categorised (``uncategorised``), never the lightest category."""

    standards_trigger: str
    capacity_trigger: str
    cells: Mapping[str, str]
    uncategorised: str


@dataclass(frozen=True)
class FrameworkSpec:
    code: str
    name: str
    version: int
    categories: tuple[CategorySpec, ...]
    triggers: tuple[TriggerSpec, ...]
    rules: tuple[RuleSpec, ...] = ()
    default_category: str = ""
    matrix: MatrixSpec | None = None
    policy: windows.InspectionPolicy = field(default_factory=windows.InspectionPolicy)

    def category(self, code: str) -> CategorySpec:
        return next(c for c in self.categories if c.code == code)

    @cached_property
    def runnable(self) -> tuple[tuple[TriggerSpec, TriggerFunction, dict], ...]:
        """Each enabled trigger with its function and its parameters over the kind's defaults."""
        return tuple(
            (t, KINDS[t.kind].function, {**KINDS[t.kind].defaults, **t.params}) for t in self.triggers if t.enabled
        )


@dataclass(frozen=True)
class Proposal:
    category: str
    fired: tuple[Fired, ...]
    explanation: str
    basis: str
    deciding: tuple[str, ...] = ()  # the codes of the triggers that decided the category
    stale: tuple[str, ...] = ()  # triggers whose only data is older than they may read

    def as_dict(self) -> dict:
        return self._payload

    @cached_property
    def _payload(self) -> dict:
        return {
            "category": self.category,
            "basis": self.basis,
            "deciding": list(self.deciding),
            "explanation": self.explanation,
            "fired": [f.as_dict() for f in self.fired],
        }

    @cached_property
    def fired_json(self) -> str:
        """The fired triggers with their evidence as JSON text, keys sorted: what an assessment
        stores, encoded once for both the store and the hash."""
        return json.dumps(self._payload["fired"], sort_keys=True, default=str)

    @cached_property
    def result_hash(self) -> str:
        """Identifies the result: a re-run that reaches the same result changes nothing.

        The hash of ``json.dumps(payload, sort_keys=True)``: "fired" sorts after every other key,
        so that text is the rest of the payload with the fired triggers' JSON appended."""
        rest = json.dumps({k: v for k, v in self._payload.items() if k != "fired"}, sort_keys=True, default=str)
        return hashlib.sha256(f'{rest[:-1]}, "fired": {self.fired_json}}}'.encode()).hexdigest()


# Helpers for trigger functions ----------------------------------------------------------------


def _day(value: date | None) -> str:
    return windows.long_date(value) if value else "date not known"


def _inspection_source(inspection: InspectionFacts) -> str:
    number = f" {inspection.inspection_number}" if inspection.inspection_number else ""
    return f"Ofsted inspection{number}"


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _months_ago(as_of: date, months: int) -> date:
    return windows.add_months(as_of, -months)


def _measure(code: str) -> measures.Measure | None:
    return measures.BY_CODE.get(code)


def _higher_is_better(code: str, params: Mapping) -> bool:
    if "higher_is_better" in params:
        return bool(params["higher_is_better"])
    measure = _measure(code)
    return True if measure is None or measure.higher_is_better is None else measure.higher_is_better


def _label(code: str) -> str:
    measure = _measure(code)
    return measure.label if measure else code


def _format(code: str, value: Decimal | None) -> str:
    measure = _measure(code)
    if value is None:
        return "no figure"
    return measure.format(value) if measure else f"{value.normalize()}"


def _year(year: int) -> str:
    return academic_year_label(year)


def oldest_year(params: Mapping, as_of: date) -> int | None:
    """The oldest academic year a trigger may read (``max_age_years``: 3 in December 2026 reads
    2023/24 onwards), or None where it reads data of any age."""
    age = params.get("max_age_years")
    return None if age in (None, "") else academic_year_of(as_of) - int(age)


def _fresh(facts: SchoolFacts, code: str, params: Mapping, as_of: date) -> Sequence[Figure]:
    """A measure's figures no older than the trigger may read, oldest first."""
    series = facts.series(code)
    oldest = oldest_year(params, as_of)
    if oldest is None or not series or series[0].year >= oldest:
        return series
    return [f for f in series if f.year >= oldest]


def measures_read(kind: str, params: Mapping) -> list[str]:
    """The measures a trigger of this kind reads."""
    if kind == "falling_roll":
        return [params.get("measure", "census_nor")]
    return [*params.get("measures", ()), *params.get("floors", {})]


# Trigger kinds ------------------------------------------------------------------------------------
# Each takes the facts, the trigger's parameters and the day of assessment, and returns the
# evidence if it fires, or None.

TriggerFunction = Callable[[SchoolFacts, Mapping, date, windows.InspectionPolicy], Evidence | None]


def overall_effectiveness(facts, params, as_of, policy):
    """The latest full inspection is graded with one of ``grades`` (optionally only ``before`` or
    ``since`` a date, to tell 'satisfactory' from 'requires improvement')."""
    latest = facts.latest_full()
    if latest is None or latest.shape != Shape.GRADED or latest.overall_effectiveness not in params["grades"]:
        return None
    before, since = params.get("before"), params.get("since")
    if before and latest.start_date >= date.fromisoformat(before):
        return None
    if since and latest.start_date < date.fromisoformat(since):
        return None
    word = ofsted.graded_label(latest.overall_effectiveness, latest.start_date)
    return Evidence(
        f"Judged {word.lower()} at the latest inspection on {_day(latest.start_date)}",
        (("Overall effectiveness", f"{latest.overall_effectiveness} ({word})"),),
        f"overall effectiveness in {', '.join(map(str, params['grades']))}",
        _inspection_source(latest),
        latest.start_date,
    )


def category_of_concern(facts, params, as_of, policy):
    latest = facts.latest_full()
    if latest is None or latest.category_of_concern not in params["categories"]:
        return None
    label = ofsted.CategoryOfConcern(latest.category_of_concern).label
    return Evidence(
        f"Placed in {label.lower()} at the inspection on {_day(latest.start_date)}",
        (("Category of concern", label),),
        f"category of concern is {label.lower()}",
        _inspection_source(latest),
        latest.start_date,
    )


def stuck(facts, params, as_of, policy):
    """Requires improvement at the latest graded inspection and below good at the one before."""
    latest = facts.latest_full()
    graded = facts.graded()
    if latest is None or latest.shape != Shape.GRADED or len(graded) < 2:
        return None
    current, previous = graded[0], graded[1]
    if current.overall_effectiveness != 3 or previous.overall_effectiveness < 3:
        return None
    return Evidence(
        f"{ofsted.graded_label(current.overall_effectiveness, current.start_date)} on {_day(current.start_date)} and "
        f"{ofsted.graded_label(previous.overall_effectiveness, previous.start_date).lower()} on "
        f"{_day(previous.start_date)}",
        (
            ("Latest graded inspection", f"{current.overall_effectiveness} on {_day(current.start_date)}"),
            ("Previous graded inspection", f"{previous.overall_effectiveness} on {_day(previous.start_date)}"),
        ),
        "latest = 3 and previous ≥ 3",
        _inspection_source(current),
        current.start_date,
    )


def report_card_areas(facts, params, as_of, policy):
    """The latest full inspection is a report card with at least ``min_areas`` areas at ``grade``."""
    latest = facts.latest_full()
    if latest is None or latest.shape != Shape.REPORT_CARD:
        return None
    grade, minimum = int(params["grade"]), int(params.get("min_areas", 1))
    labels = {area.field: area.label for area in ofsted.REPORT_CARD_AREAS}
    areas = [labels[f] for f, g in latest.report_card.items() if g == grade]
    if len(areas) < minimum:
        return None
    word = ofsted.REPORT_CARD_GRADES[grade].lower()
    return Evidence(
        f"{len(areas)} evaluation area{'s' if len(areas) != 1 else ''} at {word} in the report card of "
        f"{_day(latest.start_date)}: {', '.join(areas)}",
        tuple((area, ofsted.REPORT_CARD_GRADES[grade]) for area in areas),
        f"areas at {word} ≥ {minimum}",
        _inspection_source(latest),
        latest.start_date,
    )


def safeguarding_not_met(facts, params, as_of, policy):
    latest = facts.latest_full()
    if latest is None or latest.shape != Shape.REPORT_CARD or latest.safeguarding_met is not False:
        return None
    return Evidence(
        f"Safeguarding standards not met at the inspection on {_day(latest.start_date)}",
        (("Safeguarding standards", "Not met"),),
        "safeguarding standards = not met",
        _inspection_source(latest),
        latest.start_date,
    )


def key_judgements(facts, params, as_of, policy):
    """The latest full inspection (September 2024 to November 2025, no overall grade) has a key
    judgement at ``grade`` or worse."""
    latest = facts.latest_full()
    if latest is None or latest.shape != Shape.JUDGEMENTS_ONLY:
        return None
    grade = int(params["grade"])
    labels = dict(ofsted.GRADED_JUDGEMENT_LABELS)
    worst = [(labels[f], g) for f, g in latest.key_judgements.items() if g is not None and g >= grade]
    if not worst:
        return None
    return Evidence(
        f"Key judgements at {ofsted.GRADED_LABELS[grade].lower()} or worse on {_day(latest.start_date)}: "
        + ", ".join(label for label, _ in worst),
        tuple((label, ofsted.GRADED_LABELS[g]) for label, g in worst),
        f"a key judgement ≥ {grade}",
        _inspection_source(latest),
        latest.start_date,
    )


def leadership(facts, params, as_of, policy):
    """Leadership at the latest full inspection is good (``good``) or not (``weak``)."""
    latest = facts.latest_full()
    if latest is None:
        return None
    if latest.shape == Shape.REPORT_CARD:
        grade = latest.report_card.get(ofsted.LEADERSHIP_AREA)
        word = ofsted.REPORT_CARD_GRADES.get(grade, "")
        good = grade is not None and grade <= 3
    else:
        grade = latest.key_judgements.get("leadership_and_management")
        word = ofsted.GRADED_LABELS.get(grade, "")
        good = grade is not None and grade <= 2
    if grade is None or good != (params.get("judged") == "good"):
        return None
    return Evidence(
        f"Leadership judged {word.lower()} on {_day(latest.start_date)}",
        (("Leadership", word),),
        "leadership good or better" if good else "leadership below good",
        _inspection_source(latest),
        latest.start_date,
    )


def inspection_window(facts, params, as_of, policy):
    """The next inspection's window is open or overdue (optionally only after certain outcomes)."""
    window = windows.next_window(facts.inspections, open_date=facts.open_date, policy=policy)
    if window is None:
        return None
    status = window.status(as_of)
    if status.value not in params.get("statuses", ["open", "overdue"]):
        return None
    outcomes = params.get("outcomes")
    if outcomes:
        latest = facts.latest_full()
        if latest is None or ofsted.outcome(latest) not in outcomes:
            return None
        # Key judgements with no overall grade count among good outcomes only when none is below good.
        worst = ofsted.worst_key_judgement(latest) if latest.shape == Shape.JUDGEMENTS_ONLY else None
        if worst is not None and worst > 2:
            return None
    return Evidence(
        f"Next inspection window {status.value}: expected between {_day(window.earliest)} and "
        f"{_day(window.latest)} ({window.basis})",
        (("Earliest", _day(window.earliest)), ("Latest", _day(window.latest)), ("Status", status.value)),
        f"window {status.value}",
        "Inspection window estimate",
        window.earliest,
    )


def _latest_with_national(facts, code: str, params: Mapping, as_of: date, years: int) -> list[Figure] | None:
    """The latest ``years`` figures of a measure that have a national figure, within the age the
    trigger may read: consecutive years only (``consecutive``, the default), or else the latest
    years with data, stepping over years with no publication (2019/20 and 2020/21) or no figure."""
    series = [f for f in _fresh(facts, code, params, as_of) if f.national is not None][-years:]
    if len(series) < years:
        return None
    if params.get("consecutive", True) and any(f.year != series[0].year + i for i, f in enumerate(series)):
        return None
    return series


def _years_text(series: Sequence[Figure]) -> str:
    labels = [_year(f.year) for f in series]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def below_national(facts, params, as_of, policy):
    """A measure worse than national in each of the last ``years`` years with figures: consecutive
    years, or (``consecutive`` false) the latest years with data, however far apart within
    ``max_age_years``."""
    years = int(params.get("years", 2))
    consecutive = params.get("consecutive", True)
    for code in params["measures"]:
        series = _latest_with_national(facts, code, params, as_of, years)
        if series is None:
            continue
        better = _higher_is_better(code, params)
        if all((f.value < f.national) if better else (f.value > f.national) for f in series):
            running = (
                f"in {years} year{'s' if years != 1 else ''} running"
                if consecutive
                else f"in each of the latest {years} years with data ({_years_text(series)})"
            )
            return Evidence(
                f"{_label(code)} worse than national {running}",
                tuple(
                    (_year(f.year), f"{_format(code, f.value)} (national {_format(code, f.national)})") for f in series
                ),
                f"{'below' if better else 'above'} national for {years} "
                + ("consecutive years" if consecutive else "latest years with data"),
                f"DfE performance tables {_year(series[-1].year)}",
                None,
            )
    return None


def below_floor(facts, params, as_of, policy):
    """The latest figure of a measure is below its floor (``floors``: measure → value)."""
    for code, floor in params["floors"].items():
        series = _fresh(facts, code, params, as_of)
        if not series:
            continue
        latest = series[-1]
        threshold = _decimal(floor)
        if latest.value < threshold:
            return Evidence(
                f"{_label(code)} {_format(code, latest.value)} in {_year(latest.year)}, below the floor of "
                f"{_format(code, threshold)}",
                ((_year(latest.year), _format(code, latest.value)), ("Floor", _format(code, threshold))),
                f"< {threshold}",
                f"DfE performance tables {_year(latest.year)}",
                None,
            )
    return None


def decline(facts, params, as_of, policy):
    """A measure got worse every year over the last ``years`` consecutive years."""
    years = int(params.get("years", 3))
    for code in params["measures"]:
        series = _fresh(facts, code, params, as_of)[-years:]
        if len(series) < years or any(f.year != series[0].year + i for i, f in enumerate(series)):
            continue
        better = _higher_is_better(code, params)
        pairs = list(itertools.pairwise(series))
        if pairs and all((b.value < a.value) if better else (b.value > a.value) for a, b in pairs):
            return Evidence(
                f"{_label(code)} {'fell' if better else 'rose'} every year for {years} years",
                tuple((_year(f.year), _format(code, f.value)) for f in series),
                f"{'falling' if better else 'rising'} each year",
                f"DfE performance tables {_year(series[-1].year)}",
                None,
            )
    return None


def worse_than_national_by(facts, params, as_of, policy):
    """The latest figure is worse than national by at least ``margin`` (percentage points); with
    ``years`` above 1, each of the latest ``years`` years with data is (a pattern over two years:
    years with no publication are stepped over, within ``max_age_years``)."""
    margin = _decimal(params["margin"])
    years = int(params.get("years", 1))
    for code in params["measures"]:
        series = _latest_with_national(facts, code, params, as_of, years)
        if series is None:
            continue
        better = _higher_is_better(code, params)
        gaps = [(f.national - f.value) if better else (f.value - f.national) for f in series]
        if all(gap >= margin for gap in gaps):
            latest = series[-1]
            values = tuple((_year(f.year), _format(code, f.value)) for f in series)
            text = (
                f"{_label(code)} {_format(code, latest.value)} in {_year(latest.year)}, national "
                f"{_format(code, latest.national)}"
            )
            if years > 1:
                text = f"{_label(code)} worse than national by {margin} or more in each of {_years_text(series)}: " + (
                    "; ".join(f"{_format(code, f.value)} against {_format(code, f.national)}" for f in series)
                )
            else:
                values = (("School", _format(code, latest.value)), ("National", _format(code, latest.national)))
            return Evidence(
                text,
                values,
                f"worse than national by ≥ {margin}"
                + (f" in each of the latest {years} years with data" if years > 1 else ""),
                f"DfE performance tables {_year(latest.year)}",
                None,
            )
    return None


def falling_roll(facts, params, as_of, policy):
    """Pupils on roll fell by at least ``percent`` over ``years`` years."""
    code = params.get("measure", "census_nor")
    years = int(params.get("years", 3))
    series = _fresh(facts, code, params, as_of)
    if len(series) < 2:
        return None
    latest = series[-1]
    earlier = [f for f in series if latest.year - years <= f.year < latest.year]
    if not earlier or earlier[0].value <= 0:
        return None
    first = earlier[0]
    drop = (first.value - latest.value) * 100 / first.value
    if drop < _decimal(params["percent"]):
        return None
    return Evidence(
        f"Pupils on roll fell {drop:.0f}% from {first.value:,.0f} in {_year(first.year)} to "
        f"{latest.value:,.0f} in {_year(latest.year)}",
        ((_year(first.year), f"{first.value:,.0f}"), (_year(latest.year), f"{latest.value:,.0f}")),
        f"fall ≥ {params['percent']}%",
        f"School census {_year(latest.year)}",
        None,
    )


def intelligence(facts, params, as_of, policy):
    """An intelligence note in one of ``areas`` graded ``min_grade`` or above, noted within
    ``months``."""
    since = _months_ago(as_of, int(params.get("months", 12)))
    minimum = RISK_GRADES[params.get("min_grade", "high")]
    notes = [
        n
        for n in facts.notes
        if n.area in params["areas"] and RISK_GRADES.get(n.risk_grade, 0) >= minimum and since <= n.noted_on <= as_of
    ]
    if not notes:
        return None
    latest = max(notes, key=lambda n: n.noted_on)
    return Evidence(
        f"{len(notes)} intelligence note{'s' if len(notes) != 1 else ''} graded {params.get('min_grade', 'high')} "
        f"or above in the last {params.get('months', 12)} months; the latest on {_day(latest.noted_on)}",
        tuple((n.area.replace("_", " "), f"{n.risk_grade} on {_day(n.noted_on)}") for n in notes),
        f"risk ≥ {params.get('min_grade', 'high')} within {params.get('months', 12)} months",
        INTELLIGENCE_SOURCE,
        latest.noted_on,
    )


def no_inspection(facts, params, as_of, policy):
    if facts.latest_full() is not None:
        return None
    return Evidence("No full Ofsted inspection on record", (), "no inspection", "Ofsted", None)


def direction(facts, params, as_of, policy):
    """The direction of travel of a measure over its last ``years`` published figures, no older
    than ``max_age_years``: ``declining`` where each is worse than the one before, ``improving``
    where each is better. Years with no publication (tests and exams in 2019/20 and 2020/21) are
    stepped over rather than breaking the run; one year's figure never decides."""
    years = max(2, int(params.get("years", 3)))
    wanted = params.get("direction", "declining")
    for code in params["measures"]:
        series = _fresh(facts, code, params, as_of)[-years:]
        if len(series) < years:
            continue
        better = _higher_is_better(code, params)
        pairs = list(itertools.pairwise(series))
        if wanted == "improving":
            moved = all((b.value > a.value) if better else (b.value < a.value) for a, b in pairs)
        else:
            moved = all((b.value < a.value) if better else (b.value > a.value) for a, b in pairs)
        if moved:
            word = "better" if wanted == "improving" else "worse"
            return Evidence(
                f"{_label(code)} {word} each year over the last {years} published years "
                f"({_year(series[0].year)} to {_year(series[-1].year)})",
                tuple((_year(f.year), _format(code, f.value)) for f in series),
                f"{wanted} over {years} published years",
                f"DfE performance tables {_year(series[-1].year)}",
                None,
                value=wanted,
            )
    return None


def good_or_equivalent(facts, params, as_of, policy):
    """The latest full inspection found the school good: graded good; from September 2024 (no
    overall grade) every key judgement good or better; a report card with every area at the
    expected standard or above and safeguarding met."""
    latest = facts.latest_full()
    if latest is None:
        return None
    if latest.shape == Shape.GRADED:
        found = latest.overall_effectiveness == 2
        text = "Judged good"
    elif latest.shape == Shape.JUDGEMENTS_ONLY:
        grades = [g for g in latest.key_judgements.values() if g is not None]
        found = bool(grades) and max(grades) <= 2
        text = "Every key judgement good or better"
    else:
        found = ofsted.outcome(latest) == ofsted.Outcome.RC_EXPECTED_OR_ABOVE
        text = "Every report card area at the expected standard or above"
    if not found:
        return None
    return Evidence(
        f"{text} at the latest inspection on {_day(latest.start_date)}",
        (("Outcome", ofsted.summarise(latest)),),
        "good or its equivalent",
        _inspection_source(latest),
        latest.start_date,
    )


def ungraded_signal(facts, params, as_of, policy):
    """The latest ungraded (section 8) inspection since the latest full one gave one of ``signals``
    about the next inspection (``at_risk``: "School remains Good (Concerns) - S5 Next", "Some aspects
    not as strong"), within ``months`` where given."""
    latest = ofsted.latest_ungraded(list(facts.inspections))
    if latest is None or latest.start_date > as_of:
        return None
    signal = ofsted.ungraded_signal(latest.ungraded_outcome)
    if signal not in params.get("signals", [ofsted.UngradedSignal.AT_RISK]):
        return None
    months = params.get("months")
    if months not in (None, "") and latest.start_date < _months_ago(as_of, int(months)):
        return None
    meaning = ofsted.UngradedSignal(signal).label
    return Evidence(
        f"Ungraded inspection on {_day(latest.start_date)}: ‘{latest.ungraded_outcome}’ "
        f"({meaning[0].lower()}{meaning[1:]})",
        (("Ungraded inspection outcome", latest.ungraded_outcome), ("Signal", meaning)),
        f"ungraded outcome signals {', '.join(params.get('signals', ['at_risk']))}",
        f"Ofsted ungraded inspection{' ' + latest.inspection_number if latest.inspection_number else ''}",
        latest.start_date,
    )


def _current_step(found: Sequence, params: Mapping, as_of: date):
    """The latest of a school's Welsh categorisation steps no older than the trigger may read."""
    oldest = oldest_year(params, as_of)
    usable = [item for item in found if oldest is None or item.year >= oldest]
    return max(usable, key=lambda item: item.year) if usable else None


def standards_group(facts, params, as_of, policy):
    """Step 1: the school's standards group for the year, from Welsh data."""
    step = _current_step(facts.standards_groups, params, as_of)
    if step is None:
        return None
    return Evidence(
        f"Standards group {step.group} for {_year(step.year)}",
        (("Standards group", str(step.group)), ("Year", _year(step.year))),
        "standards group recorded",
        step.source or "Welsh data",
        None,
        value=str(step.group),
    )


def capacity_to_improve(facts, params, as_of, policy):
    """Step 2: the challenge adviser's judgement of the capacity to improve, agreed with the
    authority (a judgement not yet agreed counts for nothing)."""
    agreed = [j for j in facts.capacity_judgements if j.agreed_on is not None]
    step = _current_step(agreed, params, as_of)
    if step is None:
        return None
    return Evidence(
        f"Capacity to improve {step.capacity} for {_year(step.year)}, agreed on {_day(step.agreed_on)}"
        + (f": {step.evidence.rstrip('.')}" if step.evidence else ""),
        (("Capacity to improve", step.capacity), ("Year", _year(step.year))),
        "capacity to improve agreed",
        "Challenge adviser's judgement",
        step.agreed_on,
        value=step.capacity,
    )


def estyn_follow_up(facts, params, as_of, policy):
    """The latest Estyn inspection placed the school in one of ``statuses`` of follow-up, not yet
    removed."""
    latest = facts.estyn[0] if facts.estyn else None
    if latest is None or latest.follow_up not in params["statuses"]:
        return None
    if latest.follow_up_removed_on is not None and latest.follow_up_removed_on <= as_of:
        return None
    label = estyn.FollowUp(latest.follow_up).label
    return Evidence(
        f"In Estyn follow-up ({label.lower()}) since the inspection on {_day(latest.start_date)}",
        (("Follow-up", label),),
        f"follow-up is {label.lower()}",
        "Estyn inspection",
        latest.start_date,
    )


def governance_ineffective(facts, params, as_of, policy):
    """The latest external review of governance within ``years`` found it ineffective (seed 003:
    "concerns or vulnerabilities around leadership and management, including the effectiveness of
    governance"). A later review that finds it effective stands in its place."""
    since = _months_ago(as_of, 12 * int(params.get("years", 2)))
    reviews = [r for r in facts.governance_reviews if since <= r.reviewed_on <= as_of]
    latest = max(reviews, key=lambda r: r.reviewed_on, default=None)
    if latest is None or latest.effective:
        return None
    return Evidence(
        f"An external review of governance by {latest.reviewer} on {_day(latest.reviewed_on)} found it ineffective",
        (("Reviewed by", latest.reviewer), ("Governance", "not effective")),
        f"governance found ineffective within {params.get('years', 2)} years",
        "Governance review",
        latest.reviewed_on,
    )


def early_years(facts, params, as_of, policy):
    """The latest full inspection judged the early years below good: requires improvement or worse in
    a graded inspection or the 2024–25 key judgements, needs attention or urgent improvement in a
    report card (seed 003: "If Early Years within the school is deemed to be at risk of not being
    good, bespoke support will be brokered")."""
    latest = facts.latest_full()
    if latest is None:
        return None
    if latest.shape == Shape.REPORT_CARD:
        grade = latest.report_card.get("rc_early_years")
        word = ofsted.REPORT_CARD_GRADES.get(grade, "") if grade is not None and grade >= ofsted.NEEDS_ATTENTION else ""
    else:
        grade = latest.key_judgements.get("early_years")
        word = ofsted.graded_label(grade, latest.start_date) if grade is not None and grade >= 3 else ""
    if not word:
        return None
    return Evidence(
        f"Early years judged {word.lower()} at the inspection of {_day(latest.start_date)}",
        (("Early years", word),),
        "early years below good",
        _inspection_source(latest),
        latest.start_date,
    )


@dataclass(frozen=True)
class TriggerKind:
    function: TriggerFunction
    description: str
    defaults: Mapping


KINDS: dict[str, TriggerKind] = {
    "overall_effectiveness": TriggerKind(overall_effectiveness, "Latest graded outcome", {"grades": [4]}),
    "category_of_concern": TriggerKind(category_of_concern, "Category of concern", {"categories": []}),
    "stuck": TriggerKind(stuck, "Requires improvement twice (stuck)", {}),
    "report_card_areas": TriggerKind(report_card_areas, "Report card areas at a grade", {"grade": 5, "min_areas": 1}),
    "safeguarding_not_met": TriggerKind(safeguarding_not_met, "Safeguarding standards not met", {}),
    "key_judgements": TriggerKind(key_judgements, "Key judgements (2024–25)", {"grade": 4}),
    "leadership": TriggerKind(leadership, "Leadership judgement", {"judged": "good"}),
    "inspection_window": TriggerKind(inspection_window, "Inspection window", {"statuses": ["open", "overdue"]}),
    "below_national": TriggerKind(below_national, "Below national for years running", {"measures": [], "years": 2}),
    "below_floor": TriggerKind(below_floor, "Below a floor", {"floors": {}}),
    "decline": TriggerKind(decline, "Decline over years", {"measures": [], "years": 3}),
    "worse_than_national_by": TriggerKind(
        worse_than_national_by, "Worse than national by a margin", {"measures": [], "margin": 1}
    ),
    "falling_roll": TriggerKind(falling_roll, "Falling roll", {"measure": "census_nor", "percent": 10, "years": 3}),
    "intelligence": TriggerKind(
        intelligence, "Intelligence graded high", {"areas": [], "min_grade": "high", "months": 12}
    ),
    "no_inspection": TriggerKind(no_inspection, "No inspection on record", {}),
    "direction": TriggerKind(
        direction, "Direction of travel over published years", {"measures": [], "years": 3, "direction": "declining"}
    ),
    "good_or_equivalent": TriggerKind(good_or_equivalent, "Good at the latest inspection, or its equivalent", {}),
    "standards_group": TriggerKind(standards_group, "Welsh standards group (step 1)", {"max_age_years": 1}),
    "capacity_to_improve": TriggerKind(
        capacity_to_improve, "Capacity to improve, agreed (step 2)", {"max_age_years": 1}
    ),
    "estyn_follow_up": TriggerKind(estyn_follow_up, "Estyn follow-up", {"statuses": []}),
    "governance_ineffective": TriggerKind(
        governance_ineffective, "Governance review found governance ineffective within N years", {"years": 2}
    ),
    "early_years": TriggerKind(early_years, "Early years judged below good at the latest inspection", {}),
    "ungraded_signal": TriggerKind(
        ungraded_signal, "Ungraded (section 8) inspection outcome signals the next inspection", {"signals": ["at_risk"]}
    ),
}

# The kinds that read published figures: their data may be too old to use (``max_age_years``).
FIGURE_KINDS = frozenset(
    {"below_national", "below_floor", "decline", "worse_than_national_by", "falling_roll", "direction"}
)


# The engine -------------------------------------------------------------------------------------


def fire(facts: SchoolFacts, spec: FrameworkSpec, as_of: date) -> tuple[Fired, ...]:
    """Every enabled trigger that fires, with its evidence, most severe first."""
    return _fire(facts, spec, as_of)[0]


def _fire(facts: SchoolFacts, spec: FrameworkSpec, as_of: date) -> tuple[tuple[Fired, ...], tuple[str, ...]]:
    """The triggers that fire, and those that did not because all their data is too old."""
    fired, stale = [], []
    for trigger, function, params in spec.runnable:
        evidence = function(facts, params, as_of, spec.policy)
        if evidence is not None:
            fired.append(Fired(trigger.code, trigger.label, trigger.severity, evidence))
        elif trigger.kind in FIGURE_KINDS and (oldest := oldest_year(params, as_of)) is not None:
            years = [series[-1].year for c in measures_read(trigger.kind, params) if (series := facts.series(c))]
            latest = max(years, default=None)
            if latest is not None and latest < oldest:
                stale.append(f"{trigger.label} (latest figures {_year(latest)}, older than {_year(oldest)})")
    return tuple(sorted(fired, key=lambda f: (-f.severity, f.code))), tuple(stale)


def evaluate(facts: SchoolFacts, spec: FrameworkSpec, as_of: date) -> Proposal:
    """Propose a category for one school under one framework version."""
    fired, stale = _fire(facts, spec, as_of)
    proposal = _propose(spec, fired)
    if not stale:
        return proposal
    text = f"{proposal.explanation} Not used, the data being too old: {'; '.join(stale)}."
    return Proposal(proposal.category, fired, text, proposal.basis, proposal.deciding, stale)


def _propose(spec: FrameworkSpec, fired: tuple[Fired, ...]) -> Proposal:
    by_code = {f.code: f for f in fired}
    if spec.matrix is not None:
        return _by_matrix(spec, fired, by_code)
    for rule in spec.rules:
        if rule.matches(by_code):
            category = spec.category(rule.category)
            reasons = _reasons(rule, by_code)
            text = f"Proposed {category.label}: {rule.description or 'its rule matched'}."
            if reasons:
                text += " " + " ".join(f"{f.label}: {f.evidence.text}." for f in reasons)
            return Proposal(category.code, fired, text, rule.description, tuple(f.code for f in reasons))
    category = spec.category(spec.default_category)
    text = f"Proposed {category.label}: no rule for another category matched."
    if fired:
        text += " Also noted: " + "; ".join(f.label for f in fired) + "."
    return Proposal(category.code, fired, text, "default category")


def _reasons(rule: RuleSpec, fired: dict[str, Fired]) -> list[Fired]:
    named = [fired[c] for c in (*rule.all_of, *rule.any_of) if c in fired]
    if rule.min_severity is not None:
        named += [f for f in fired.values() if f.severity >= rule.min_severity and f not in named]
    return named


def _by_matrix(spec: FrameworkSpec, fired: tuple[Fired, ...], by_code: dict[str, Fired]) -> Proposal:
    matrix = spec.matrix
    standards, capacity = by_code.get(matrix.standards_trigger), by_code.get(matrix.capacity_trigger)
    others = [f for f in fired if f.code not in (matrix.standards_trigger, matrix.capacity_trigger)]
    noted = (" Also noted: " + "; ".join(f.label for f in others) + ".") if others else ""
    if standards is None or capacity is None:
        category = spec.category(matrix.uncategorised)
        missing = [
            *(["no standards group recorded for the year"] if standards is None else []),
            *(["no capacity to improve agreed for the year"] if capacity is None else []),
        ]
        text = f"{category.label}: {' and '.join(missing)}.{noted}"
        found = tuple(f.code for f in (standards, capacity) if f is not None)
        return Proposal(category.code, fired, text, "steps 1 and 2 not both recorded", found)
    group, letter = standards.evidence.value, capacity.evidence.value
    category = spec.category(matrix.cells[f"{group}{letter}"])
    text = (
        f"Proposed {category.label}: standards group {group} ({standards.evidence.text}) and capacity to "
        f"improve {letter} ({capacity.evidence.text}).{noted}"
    )
    return Proposal(
        category.code, fired, text, f"standards group {group}, capacity {letter}", (standards.code, capacity.code)
    )


# When a result can next change ------------------------------------------------------------------
# The engine reads the day (``as_of``) only through dates: a note or review ages out of its trigger's
# months, an inspection window opens or closes, data becomes too old on 1 September, an inspection
# or note dated ahead comes into force. Between those days a school's result cannot change, so the
# nightly run assesses only the schools whose facts changed or whose next such day has come.


def _left_behind(day: date, months: int) -> tuple[date, ...]:
    """The days on which something dated ``day`` may first fall out of a window of ``months``
    (``add_months(as_of, -months) > day``): the day after ``day`` plus ``months``, or up to three
    days later where the month is shorter (31 May less a month is 30 April)."""
    end = windows.add_months(day, months)
    return tuple(end + timedelta(days=n) for n in range(1, 5))


def next_change(facts: SchoolFacts, spec: FrameworkSpec, as_of: date) -> date:
    """The first day after ``as_of`` on which ``evaluate`` could give this school another result
    with the same facts: never later than the next 1 September (each trigger's data ages by a year).
    It may come early (the result then stays as it was, and the next day is worked out again); it
    must never come late: ``test_next_change_is_never_later_than_a_change`` checks every day."""
    candidates = [date(academic_year_of(as_of) + 1, 9, 1)]
    add = candidates.append
    for trigger, _, params in spec.runnable:
        kind = trigger.kind
        if kind == "intelligence":
            months = int(params.get("months", 12))
            for note in facts.notes:
                add(note.noted_on)
                candidates.extend(_left_behind(note.noted_on, months))
        elif kind == "governance_ineffective":
            months = 12 * int(params.get("years", 2))
            for review in facts.governance_reviews:
                add(review.reviewed_on)
                candidates.extend(_left_behind(review.reviewed_on, months))
        elif kind == "ungraded_signal":
            latest = ofsted.latest_ungraded(list(facts.inspections))
            if latest is not None:
                add(latest.start_date)
                if params.get("months") not in (None, ""):
                    candidates.extend(_left_behind(latest.start_date, int(params["months"])))
        elif kind == "inspection_window":
            window = windows.next_window(facts.inspections, open_date=facts.open_date, policy=spec.policy)
            if window is not None:
                add(window.earliest)
                add(window.latest + timedelta(days=1))
        elif kind == "estyn_follow_up":
            candidates.extend(e.follow_up_removed_on for e in facts.estyn if e.follow_up_removed_on)
    return min(day for day in candidates if day > as_of)
