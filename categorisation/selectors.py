"""Reads for categorisation: the active framework as a plain specification, every school's
facts in a bounded number of queries, and what the pages show."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts import permissions
from categorisation import rules, windows
from categorisation.models import (
    Category,
    CategoryDecision,
    Framework,
    FrameworkVersion,
    InspectionPolicySetting,
    RecategorisationRun,
    RiskAssessment,
    SchoolCategory,
)
from schools import ofsted
from schools.access import current_authority, remit, remit_q
from schools.models import Inspection, IntelligenceNote, NationalFigure, PerformanceMeasure, School
from schools.selectors import comparison_phase_of

CHUNK = 5000


def active_framework() -> Framework:
    framework = Framework.objects.filter(is_active=True).first()
    if framework is None:
        raise Framework.DoesNotExist("No framework is active")
    return framework


def active_version(framework: Framework | None = None) -> FrameworkVersion:
    framework = framework or active_framework()
    return FrameworkVersion.objects.select_related("framework").get(framework=framework, status="active")


def inspection_policy() -> windows.InspectionPolicy:
    setting = InspectionPolicySetting.objects.first()
    return setting.policy if setting else windows.InspectionPolicy()


def spec_for(version: FrameworkVersion, policy: windows.InspectionPolicy | None = None) -> rules.FrameworkSpec:
    """The framework version as the engine's plain, frozen specification."""
    matrix = None
    if version.framework.mapping == Framework.Mapping.MATRIX:
        matrix = rules.MatrixSpec(
            standards_triggers=tuple(version.matrix.get("standards_triggers", ())),
            capacity_triggers=tuple(version.matrix.get("capacity_triggers", ())),
            cells=dict(version.matrix.get("cells", {})),
        )
    return rules.FrameworkSpec(
        code=version.framework.code,
        name=version.framework.name,
        version=version.number,
        categories=tuple(rules.CategorySpec(c.code, c.label, c.rank) for c in version.categories.all()),
        triggers=tuple(
            rules.TriggerSpec(t.code, t.label, t.kind, dict(t.params), t.severity, t.passage, t.enabled)
            for t in version.triggers.all()
        ),
        rules=tuple(
            rules.RuleSpec(
                r.category_code,
                tuple(r.all_of),
                tuple(r.any_of),
                r.min_any,
                r.min_severity,
                r.min_count,
                r.description,
            )
            for r in version.rules.all()
        ),
        default_category=version.default_category,
        matrix=matrix,
        policy=policy or inspection_policy(),
    )


# Facts ------------------------------------------------------------------------------------------

_INSPECTION_FIELDS = [
    "school_id",
    "inspection_number",
    "shape",
    "start_date",
    "overall_effectiveness",
    "category_of_concern",
    "rc_safeguarding_met",
    "ungraded_outcome",
    *[f for f, _ in ofsted.GRADED_JUDGEMENT_LABELS],
    *[a.field for a in ofsted.REPORT_CARD_AREAS],
]
_JUDGEMENTS = [f for f, _ in ofsted.GRADED_JUDGEMENT_LABELS]
_AREAS = [a.field for a in ofsted.REPORT_CARD_AREAS]


def _inspection_facts(row: dict) -> ofsted.InspectionFacts:
    return ofsted.InspectionFacts(
        shape=ofsted.Shape(row["shape"]),
        start_date=row["start_date"],
        overall_effectiveness=row["overall_effectiveness"],
        category_of_concern=row["category_of_concern"],
        key_judgements={f: row[f] for f in _JUDGEMENTS},
        report_card={f: row[f] for f in _AREAS},
        safeguarding_met=row["rc_safeguarding_met"],
        ungraded_outcome=row["ungraded_outcome"],
        inspection_number=row["inspection_number"],
    )


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _rows(queryset: QuerySet) -> list[tuple]:
    """A ``values_list`` queryset's rows, fetched in one go.

    Where the driver already returns every column as the Python value the ORM would (PostgreSQL:
    dates, decimals, booleans), the statement runs on a plain cursor: the ORM's row-by-row
    iteration costs as much again as the fetch for a million rows. Where a column needs the
    ORM's converters (SQLite's dates and decimals), the ORM fetches."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        statement, params = compiler.as_sql()
    except EmptyResultSet:  # e.g. no measure is read by any trigger
        return []
    if compiler.get_converters([column for column, _, _ in compiler.select]):
        return list(queryset)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def _scoped(queryset: QuerySet, field: str, ids: list[int] | None) -> Iterable[tuple]:
    """All rows, or the rows for the given schools in chunks (bounded statement size)."""
    if ids is None:
        yield from _rows(queryset)
        return
    for chunk in _chunks(ids):
        yield from _rows(queryset.filter(**{f"{field}__in": chunk}))


def measures_used(spec: rules.FrameworkSpec) -> set[str]:
    """The measures some enabled trigger reads, so only those are loaded."""
    used = set()
    for trigger in spec.triggers:
        if trigger.enabled:
            params = trigger.params
            used.update(params.get("measures", ()))
            used.update(params.get("floors", {}))
            if trigger.kind == "falling_roll":
                used.add(params.get("measure", "census_nor"))
    return used


def fact_queries(spec: rules.FrameworkSpec, as_of: date) -> dict[str, QuerySet]:
    """What ``load_facts`` reads, as ``values_list`` querysets (the benchmark's bare read runs the
    same statements): the register, inspections, national figures, the school figures of the
    measures some trigger reads (with a value, in the order the engine reads them: school,
    measure, oldest year first) and the notes an intelligence trigger can look back to."""
    codes = measures_used(spec)
    months = max((int(t.params.get("months", 12)) for t in spec.triggers if t.kind == "intelligence"), default=12)
    # The current authority's remit only: a run's work grows with its remit, not the register.
    authority = current_authority()
    return {
        "schools": School.objects.filter(remit_q(authority))
        .order_by()
        .values_list("pk", "name", "phase_name", "type_name", "type_group_name", "open_date"),
        "inspections": Inspection.objects.filter(remit_q(authority, "school__"))
        .order_by()
        .values_list(*_INSPECTION_FIELDS),
        "national figures": NationalFigure.objects.filter(measure__in=codes)
        .order_by()
        .values_list("measure", "academic_year", "phase", "value"),
        "measures": PerformanceMeasure.objects.filter(
            remit_q(authority, "school__"), measure__in=codes, value__isnull=False
        )
        .order_by("school_id", "measure", "academic_year")
        .values_list("school_id", "measure", "academic_year", "value"),
        "notes": IntelligenceNote.objects.filter(noted_on__gte=windows.add_months(as_of, -months))
        .order_by()
        .values_list("school_id", "area", "risk_grade", "noted_on"),
    }


def load_facts(
    spec: rules.FrameworkSpec, *, school_ids: list[int] | None = None, as_of: date | None = None
) -> dict[int, rules.SchoolFacts]:
    """Every school's facts (or the given schools'), in five queries however many schools."""
    as_of = as_of or timezone.localdate()
    ids = sorted(set(school_ids)) if school_ids is not None else None
    queries = fact_queries(spec, as_of)
    schools = {}
    for pk, name, phase, type_name, group, opened in _scoped(queries["schools"], "pk", ids):
        schools[pk] = (name, comparison_phase_of(phase, type_name, group), opened)

    inspections: dict[int, list[ofsted.InspectionFacts]] = defaultdict(list)
    for row in _scoped(queries["inspections"], "school_id", ids):
        inspections[row[0]].append(_inspection_facts(dict(zip(_INSPECTION_FIELDS, row, strict=True))))

    # National figures by phase, each phase falling back on the figure for all phases.
    national: dict[str, dict[tuple[str, int], object]] = defaultdict(dict)
    for code, year, phase, value in _rows(queries["national figures"]):
        national[phase][(code, year)] = value
    by_phase = {phase: {**national.get("all", {}), **national.get(phase, {})} for _, phase, _ in schools.values()}

    # The rows come grouped by school and measure, oldest year first: each school's series are
    # built in one pass, with no sorting.
    series: dict[int, dict[str, list[rules.Figure]]] = {}
    current, figures, comparators = None, None, {}
    for school_id, code, year, value in _scoped(queries["measures"], "school_id", ids):
        if school_id != current:
            current, school = school_id, schools.get(school_id)
            figures = None if school is None else series.setdefault(school_id, {})
            comparators = by_phase[school[1]] if school else {}
        if figures is None:  # a school added since the register was read
            continue
        found = figures.get(code)
        if found is None:
            found = figures[code] = []
        found.append(rules.Figure(code, year, value, comparators.get((code, year))))

    notes: dict[int, list[rules.Note]] = defaultdict(list)
    for school_id, area, grade, noted_on in _scoped(queries["notes"], "school_id", ids):
        notes[school_id].append(rules.Note(area, grade, noted_on))

    return {
        pk: rules.SchoolFacts(
            school_id=pk,
            name=name,
            phase=phase,
            open_date=opened,
            inspections=tuple(sorted(inspections[pk], key=lambda i: (i.start_date or date.min, i.inspection_number))),
            series_by_measure=series.get(pk, {}),
            notes=tuple(sorted(notes[pk], key=lambda n: (n.noted_on, n.area, n.risk_grade))),
        )
        for pk, (name, phase, opened) in schools.items()
    }


# Pages ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryCount:
    category: Category | None
    count: int


def overview(*, la_id: int | None = None, phase: str = "") -> tuple[Framework, list[CategoryCount], int]:
    """Schools per agreed category of the active framework, and how many await a first category."""
    framework = active_framework()
    version = active_version(framework)
    schools = remit()
    if la_id:
        schools = schools.filter(la_id=la_id)
    if phase:
        schools = schools.filter(phase_name=phase)
    counts = dict(
        SchoolCategory.objects.filter(framework=framework, school__in=schools, category__isnull=False)
        .values_list("category__code")
        .annotate(n=Count("pk"))
    )
    rows = [CategoryCount(c, counts.get(c.code, 0)) for c in version.categories.all()]
    categorised = sum(counts.values())
    return framework, rows, schools.count() - categorised


def queue(*, la_id: int | None = None, phase: str = "", proposed: str = "") -> QuerySet[SchoolCategory]:
    """Proposals awaiting agreement under the active framework."""
    pending = SchoolCategory.objects.filter(framework=active_framework(), pending=True).select_related(
        "school", "school__la", "category", "proposed", "assessment"
    )
    if la_id:
        pending = pending.filter(school__la_id=la_id)
    if phase:
        pending = pending.filter(school__phase_name=phase)
    if proposed:
        pending = pending.filter(proposed__code=proposed)
    return pending.order_by("-proposed__rank", "school__name")


@dataclass
class SchoolCategoryView:
    framework: Framework
    standing: SchoolCategory | None
    reasons: list[dict] = field(default_factory=list)
    proposal: RiskAssessment | None = None
    history: list[CategoryDecision] = field(default_factory=list)
    window: windows.Window | None = None
    window_status: str = ""


def school_category(
    school: School,
    viewer,
    *,
    inspections: list | None = None,
    history: list | None = None,
    policy: windows.InspectionPolicy | None = None,
) -> SchoolCategoryView:
    """A school's category under the active framework, why, any pending proposal, its history and
    its next inspection window: what the school page shows to everyone who may see the school.
    A caller that holds the school's inspections, its category history (as the school page's
    one query of case records gives it) or the inspection policy passes them in, saving a query each.

    Evidence drawn from intelligence notes is shown in full to officers only: to anyone else it
    would reveal notes they may not read."""
    standing = (
        SchoolCategory.objects.filter(school=school, framework__is_active=True)
        .select_related(
            "framework",
            "category",
            "proposed",
            "assessment__proposed",
            "decision__assessment",
            "decision__decided_by",
        )
        .first()
    )
    view = SchoolCategoryView(standing.framework if standing else active_framework(), standing)
    if standing:
        agreed_on = standing.decision.assessment if standing.decision else None
        reasons = (agreed_on or standing.assessment).fired if (agreed_on or standing.assessment) else []
        view.reasons = reasons if permissions.is_officer(viewer) else [_without_intelligence(f) for f in reasons]
        view.proposal = standing.assessment if standing.pending else None
    if history is not None:
        view.history = history
    else:
        view.history = list(
            CategoryDecision.objects.filter(school=school)
            .select_related("category", "previous", "decided_by", "version__framework")
            .order_by("-decided_at", "-pk")
        )
    if inspections is None:
        inspections = list(school.inspections.all())
    facts = [i.facts for i in inspections]
    view.window = windows.next_window(facts, open_date=school.open_date, policy=policy or inspection_policy())
    if view.window:
        view.window_status = view.window.status(timezone.localdate()).value
    return view


INTELLIGENCE_SOURCE = rules.INTELLIGENCE_SOURCE
_WITHHELD = {
    "label": "Information held by the local authority",
    "evidence": {
        "text": "The local authority holds information about the school that it takes into account.",
        "values": [],
        "comparator": "",
        "source": "",
        "on": None,
    },
}


def _without_intelligence(fired: dict) -> dict:
    if fired.get("evidence", {}).get("source") != INTELLIGENCE_SOURCE:
        return fired
    return {**fired, **_WITHHELD}


def standing_for_decision(school: School) -> SchoolCategory | None:
    """The school's standing under the active framework, as the decision page shows it."""
    return (
        SchoolCategory.objects.filter(school=school, framework=active_framework())
        .select_related("category", "proposed", "assessment__version")
        .first()
    )


def recent_runs(limit: int = 50) -> QuerySet[RecategorisationRun]:
    return RecategorisationRun.objects.select_related("version__framework", "started_by", "school")[:limit]


def frameworks() -> QuerySet[Framework]:
    return Framework.objects.prefetch_related("versions")


def version_for(code: str, number: int) -> FrameworkVersion:
    try:
        return FrameworkVersion.objects.select_related("framework").get(framework__code=code, number=number)
    except FrameworkVersion.DoesNotExist as exc:
        raise Http404("No such framework version") from exc


# What-if -----------------------------------------------------------------------------------------


@dataclass
class Mover:
    school: School
    before: str
    after: str
    because: str


@dataclass
class WhatIf:
    active: FrameworkVersion
    draft: FrameworkVersion
    codes: list[str]
    labels: dict[str, str]
    matrix: dict[str, dict[str, int]]
    movers: list[Mover]
    schools: int

    @property
    def headers(self) -> list[str]:
        return [self.labels[c] for c in self.codes]

    @property
    def rows(self) -> list[tuple[str, list[int], int]]:
        return [
            (self.labels[a], [self.matrix[a][b] for b in self.codes], sum(self.matrix[a].values())) for a in self.codes
        ]


def what_if(draft: FrameworkVersion, *, as_of: date | None = None, limit: int = 500) -> WhatIf:
    """What the draft would propose for every school, against the active version — computed in
    memory, changing nothing."""
    as_of = as_of or timezone.localdate()
    active = active_version(draft.framework)
    policy = inspection_policy()
    now_spec, draft_spec = spec_for(active, policy), spec_for(draft, policy)
    wanted = rules.FrameworkSpec(**{**now_spec.__dict__, "triggers": now_spec.triggers + draft_spec.triggers})
    facts = load_facts(wanted, as_of=as_of)
    codes = [c.code for c in sorted(draft_spec.categories, key=lambda c: c.rank)]
    for c in now_spec.categories:
        if c.code not in codes:
            codes.append(c.code)
    labels = {c.code: c.label for c in (*now_spec.categories, *draft_spec.categories)}
    matrix = {a: dict.fromkeys(codes, 0) for a in codes}
    moved: list[tuple[int, str, str, str]] = []
    for school_id, school_facts in facts.items():
        before = rules.evaluate(school_facts, now_spec, as_of)
        after = rules.evaluate(school_facts, draft_spec, as_of)
        matrix[before.category][after.category] += 1
        if before.category != after.category:
            moved.append((school_id, before.category, after.category, _because(before, after)))
    moved.sort(key=lambda m: (m[1], m[2], facts[m[0]].name))
    shown = moved[:limit]
    names = School.objects.in_bulk([m[0] for m in shown])
    movers = [Mover(names[pk], labels[a], labels[b], why) for pk, a, b, why in shown]
    return WhatIf(active, draft, codes, labels, matrix, movers, len(facts))


def _because(before: rules.Proposal, after: rules.Proposal) -> str:
    """The rule that now decides, the triggers it rests on, and what fires differently."""
    gained = [f.label for f in after.fired if f.code not in {g.code for g in before.fired}]
    lost = [f.label for f in before.fired if f.code not in {g.code for g in after.fired}]
    deciding = [f.label for f in after.fired if f.code in after.deciding]
    parts = [f"decided by: {'; '.join(deciding)}"] if deciding else []
    if gained:
        parts.append("now fires: " + "; ".join(gained))
    if lost:
        parts.append("no longer fires: " + "; ".join(lost))
    return f"{after.basis or 'its rule'}" + (f" ({', '.join(parts)})" if parts else "")


@dataclass
class ExpectedInspection:
    school: School
    window: windows.Window
    status: str


def expected_inspections(terms: list[tuple[str, date, date]]) -> dict[str, list[ExpectedInspection]]:
    """Open schools whose inspection window overlaps each term, soonest deadline first."""
    policy = inspection_policy()
    today = timezone.localdate()
    by_school: dict[int, list[ofsted.InspectionFacts]] = defaultdict(list)
    for row in Inspection.objects.values(*_INSPECTION_FIELDS).iterator(chunk_size=CHUNK):
        by_school[row["school_id"]].append(_inspection_facts(row))
    found: dict[str, list[ExpectedInspection]] = {name: [] for name, _, _ in terms}
    for school in remit().filter(status_name__istartswith="open").select_related("la").iterator(chunk_size=CHUNK):
        window = windows.next_window(by_school.get(school.pk, ()), open_date=school.open_date, policy=policy)
        if window is None:
            continue
        for name, start, end in terms:
            if window.overlaps(start, end):
                found[name].append(ExpectedInspection(school, window, window.status(today).value))
    for rows in found.values():
        rows.sort(key=lambda e: (e.window.latest, e.school.name))
    return found


def with_agreed_category(schools: QuerySet[School]) -> QuerySet[School]:
    """Each school with its agreed category under the active framework (``category_label``,
    ``category_colour``), for the school list, its downloads and the API."""
    current = SchoolCategory.objects.filter(school=OuterRef("pk"), framework__is_active=True)
    return schools.annotate(
        category_label=Subquery(current.values("category__label")[:1]),
        category_colour=Subquery(current.values("category__colour")[:1]),
    )
