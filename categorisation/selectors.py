"""Reads for categorisation: the active framework as a plain specification, every school's
facts in a bounded number of queries, and what the pages show."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from accounts import permissions
from categorisation import rules, windows
from categorisation.models import (
    AssessmentSchedule,
    CapacityJudgement,
    Category,
    CategoryDecision,
    Framework,
    FrameworkVersion,
    InspectionPolicySetting,
    RecategorisationRun,
    RiskAssessment,
    SchoolCategory,
    StandardsGroup,
)
from schools import ofsted
from schools.access import current_authority, remit, remit_q
from schools.models import (
    ConsortiumMember,
    GovernanceReview,
    Inspection,
    IntelligenceNote,
    NationalFigure,
    PerformanceMeasure,
    School,
)
from schools.selectors import comparison_phase_of, estyn_facts

CHUNK = 5000


def schools_per_chunk() -> int:
    """How many schools one chunk of a recategorisation run assesses: its facts are what a worker
    holds at once (about 60 MB for 2,000 schools)."""
    return settings.RECATEGORISATION_CHUNK_SCHOOLS


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
        matrix = matrix_spec(version.matrix)
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


def matrix_spec(matrix: dict) -> rules.MatrixSpec:
    """A version's matrix (the Welsh steps' triggers, the cells, the not-yet-categorised category)
    as the engine's specification."""
    return rules.MatrixSpec(
        standards_trigger=matrix.get("standards_trigger", ""),
        capacity_trigger=matrix.get("capacity_trigger", ""),
        cells=dict(matrix.get("cells", {})),
        uncategorised=matrix.get("uncategorised", ""),
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


def _scoped(queryset: QuerySet, field: str, ids: list[int] | None, contiguous: bool = False) -> Iterable[tuple]:
    """All rows; or the rows for the given schools, in chunks (bounded statement size), or by the
    range from the first to the last where they are every school of the remit in that range."""
    if ids is None:
        yield from _rows(queryset)
        return
    if contiguous and ids:
        yield from _rows(queryset.filter(**{f"{field}__gte": ids[0], f"{field}__lte": ids[-1]}))
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
        # The Welsh steps (none in an English authority): the authority's own records.
        "standards groups": StandardsGroup.objects.order_by().values_list(
            "school_id", "academic_year", "group", "source"
        ),
        "capacity judgements": CapacityJudgement.objects.order_by().values_list(
            "school_id", "academic_year", "capacity", "evidence", "agreed_on"
        ),
    }


def governance_review_facts(
    ids: list[int] | None, contiguous: bool = False
) -> dict[int, tuple[rules.GovernanceReviewFacts, ...]]:
    """The reviews of governance this authority recorded, by school (the given schools', or all)."""
    found: dict[int, list[rules.GovernanceReviewFacts]] = defaultdict(list)
    rows = GovernanceReview.objects.order_by("reviewed_on", "pk").values_list(
        "school_id", "reviewed_on", "reviewer", "effective"
    )
    for school_id, reviewed_on, reviewer, effective in _scoped(rows, "school_id", ids, contiguous):
        found[school_id].append(rules.GovernanceReviewFacts(reviewed_on, reviewer, effective))
    return {pk: tuple(reviews) for pk, reviews in found.items()}


def schools_to_assess(
    version: FrameworkVersion, *, school_ids: list[int] | None = None, only_changed: bool = False, as_of: date
) -> list[int]:
    """The schools of the remit a run assesses, in id order: the given ones; or, ``only_changed``,
    those never assessed under this version, those whose facts changed since they were last
    assessed, and those whose result could change by ``as_of`` (``AssessmentSchedule``); or all."""
    schools = School.objects.filter(remit_q(current_authority())).order_by("pk")
    if school_ids is not None:
        wanted = sorted(set(school_ids))
        return [pk for chunk in _chunks(wanted) for pk in schools.filter(pk__in=chunk).values_list("pk", flat=True)]
    if only_changed:
        settled = AssessmentSchedule.objects.filter(
            Q(changed_at__isnull=True) | Q(changed_at__lte=F("assessed_at")),
            school=OuterRef("pk"),
            framework_id=version.framework_id,
            version=version,
            due_on__gt=as_of,
        )
        schools = schools.exclude(Exists(settled))
    return list(schools.values_list("pk", flat=True))


def load_facts(
    spec: rules.FrameworkSpec,
    *,
    school_ids: list[int] | None = None,
    as_of: date | None = None,
    contiguous: bool = False,
) -> dict[int, rules.SchoolFacts]:
    """Every school's facts (or the given schools'), in five queries however many schools.
    ``contiguous``: the given schools are every school of the remit from the first to the last
    (a slice of a full run), read by that range rather than by a list of thousands of ids."""
    as_of = as_of or timezone.localdate()
    ids = sorted(set(school_ids)) if school_ids is not None else None
    queries = fact_queries(spec, as_of)
    schools = {}
    for pk, name, phase, type_name, group, opened in _scoped(queries["schools"], "pk", ids, contiguous):
        schools[pk] = (name, comparison_phase_of(phase, type_name, group), opened)

    inspections: dict[int, list[ofsted.InspectionFacts]] = defaultdict(list)
    for row in _scoped(queries["inspections"], "school_id", ids, contiguous):
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
    for school_id, code, year, value in _scoped(queries["measures"], "school_id", ids, contiguous):
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
    for school_id, area, grade, noted_on in _scoped(queries["notes"], "school_id", ids, contiguous):
        notes[school_id].append(rules.Note(area, grade, noted_on))

    reads_estyn = any(t.kind == "estyn_follow_up" and t.enabled for t in spec.triggers)
    estyn = estyn_facts(ids) if reads_estyn else {}
    reads_governance = any(t.kind == "governance_ineffective" and t.enabled for t in spec.triggers)
    governance = governance_review_facts(ids, contiguous) if reads_governance else {}
    groups: dict[int, list[rules.StandardsGroup]] = defaultdict(list)
    for school_id, year, group, source in _scoped(queries["standards groups"], "school_id", ids, contiguous):
        groups[school_id].append(rules.StandardsGroup(year, group, StandardsGroup.Source(source).label))
    capacity: dict[int, list[rules.CapacityJudgement]] = defaultdict(list)
    for school_id, year, letter, evidence, agreed_on in _scoped(
        queries["capacity judgements"], "school_id", ids, contiguous
    ):
        capacity[school_id].append(rules.CapacityJudgement(year, letter, evidence, agreed_on))

    return {
        pk: rules.SchoolFacts(
            school_id=pk,
            name=name,
            phase=phase,
            open_date=opened,
            inspections=tuple(sorted(inspections[pk], key=lambda i: (i.start_date or date.min, i.inspection_number))),
            series_by_measure=series.get(pk, {}),
            notes=tuple(sorted(notes[pk], key=lambda n: (n.noted_on, n.area, n.risk_grade))),
            standards_groups=tuple(groups.get(pk, ())),
            capacity_judgements=tuple(capacity.get(pk, ())),
            estyn=estyn.get(pk, ()),
            governance_reviews=governance.get(pk, ()),
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
    support: list[CategorySupport] = field(default_factory=list)

    @property
    def support_changes(self) -> list[CategorySupport]:
        return [c for c in self.support if c.changes]

    @property
    def days_now(self) -> Decimal:
        return sum((c.days_now for c in self.support), Decimal(0))

    @property
    def days_draft(self) -> Decimal:
        return sum((c.days_draft for c in self.support), Decimal(0))

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
    support = support_side_by_side(active, draft, codes, labels, matrix)
    return WhatIf(active, draft, codes, labels, matrix, movers, len(facts), support)


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


# Entitlements ------------------------------------------------------------------------------------

# What a category brings, in the order the pages show it (issue 21: entitlements as data).
ENTITLEMENT_LABELS = {
    "adviser_days": "Adviser days",
    "teaching_adviser_days": "Learning and teaching adviser days",
    "progress_meetings_per_year": "Progress meetings a year",
    "meeting_cadence": "How often the meetings are held",
    "visit_pattern": "Visit pattern",
    "brokered_support": "Brokered support",
    "funding_per_pupil": "Funding per pupil",
    "support_summary": "What the support is",
}
NOT_IN_VERSION = "Not in this version"


def days_text(value: Decimal) -> str:
    """4.0 as "4", 2.5 as "2.5"."""
    return f"{Decimal(value).normalize():f}"


def money_text(value: Decimal | None) -> str:
    return "None" if value is None else f"£{value:,.2f}"


def entitlement_text(category: Category | None, name: str) -> str:
    """One part of what a category brings, as the pages write it."""
    if category is None:
        return NOT_IN_VERSION
    value = getattr(category, name)
    if name in ("adviser_days", "teaching_adviser_days"):
        return days_text(value)
    if name == "meeting_cadence":
        return category.get_meeting_cadence_display() or "Not set"
    if name == "brokered_support":
        return "Yes" if value else "No"
    if name == "funding_per_pupil":
        return money_text(value)
    return str(value) if value not in ("", None) else "None"


def support_days(category: Category | None) -> Decimal:
    """The days a school in the category gets in a year: adviser days and every other kind."""
    return category.adviser_days + category.teaching_adviser_days if category else Decimal(0)


@dataclass(frozen=True)
class SupportLine:
    name: str
    label: str
    now: str
    draft: str

    @property
    def changed(self) -> bool:
        return self.now != self.draft

    @property
    def long(self) -> bool:
        """Words too long to show as "before → after"."""
        return self.name == "support_summary"


@dataclass(frozen=True)
class CategorySupport:
    """A category's support under the active version and the draft, and the days it implies across
    the schools each proposes into it (schools × adviser and other days)."""

    code: str
    label: str
    lines: list[SupportLine]
    schools_now: int
    schools_draft: int
    days_now: Decimal
    days_draft: Decimal

    @property
    def changes(self) -> list[SupportLine]:
        return [line for line in self.lines if line.changed]


def support_side_by_side(
    active: FrameworkVersion,
    draft: FrameworkVersion,
    codes: list[str],
    labels: dict[str, str],
    matrix: dict[str, dict[str, int]],
) -> list[CategorySupport]:
    """Each category's support now and in the draft, in two queries however many schools."""
    now = {c.code: c for c in active.categories.all()}
    then = {c.code: c for c in draft.categories.all()}
    found = []
    for code in codes:
        before, after = now.get(code), then.get(code)
        schools_now = sum(matrix[code].values())
        schools_draft = sum(row[code] for row in matrix.values())
        found.append(
            CategorySupport(
                code,
                labels[code],
                [
                    SupportLine(name, label, entitlement_text(before, name), entitlement_text(after, name))
                    for name, label in ENTITLEMENT_LABELS.items()
                ],
                schools_now,
                schools_draft,
                schools_now * support_days(before),
                schools_draft * support_days(after),
            )
        )
    return found


def in_active_version(category: Category) -> Category:
    """The category whose entitlement a school agreed into ``category`` gets now: the category of
    the same code in its framework's active version.

    An agreed decision names the category row of the version it was made under, and it is never
    rewritten (it is the record of what was agreed, and when). Once a draft is adopted, the school's
    support follows the adopted version's entitlement for the same code. A code the active version
    no longer has keeps the entitlement it was agreed with until the school is recategorised."""
    if category.version.status == FrameworkVersion.Status.ACTIVE:
        return category
    current = (
        Category.objects.filter(
            version__framework_id=category.version.framework_id,
            version__status=FrameworkVersion.Status.ACTIVE,
            code=category.code,
        )
        .select_related("version__framework")
        .first()
    )
    return current or category


def entitled_category(school: School) -> Category | None:
    """The category a school's support comes from: its agreed category under the active
    framework, as the active version has it (``in_active_version``); None before one is agreed."""
    standing = (
        SchoolCategory.objects.filter(school=school, framework__is_active=True, category__isnull=False)
        .select_related("category__version__framework")
        .first()
    )
    return in_active_version(standing.category) if standing else None


# Funding per school (Warwickshire: the number of pupils multiplied by an amount per pupil) ----------

_MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class FundingTotal:
    name: str
    per_pupil: Decimal | None
    schools: int
    pupils: int
    funding: Decimal
    roll_unknown: int


@dataclass
class FundingTable:
    """Every school of the remit with an agreed category whose category (as the active version has
    it) brings funding per pupil: the rows (a queryset, to page or download) and the totals."""

    version: FrameworkVersion
    funded: list[Category]
    rows: QuerySet[SchoolCategory]
    totals: list[FundingTotal]
    by_consortium: list[FundingTotal] = field(default_factory=list)

    @property
    def grand_total(self) -> FundingTotal:
        return FundingTotal(
            "All categories",
            None,
            sum(t.schools for t in self.totals),
            sum(t.pupils for t in self.totals),
            sum((t.funding for t in self.totals), Decimal(0)),
            sum(t.roll_unknown for t in self.totals),
        )


def _by_code(funded: list[Category], value, output_field) -> Case:
    return Case(
        *[When(category__code=c.code, then=Value(value(c), output_field=output_field)) for c in funded],
        output_field=output_field,
    )


def funding_table() -> FundingTable:
    """Funding per school under the active framework: amount per pupil × pupils on roll, annotated
    in SQL (the amount per pupil by the agreed category's code, from the active version's few
    categories), so the rows and the totals each take one query however many schools."""
    version = active_version()
    funded = [c for c in version.categories.all() if c.funding_per_pupil is not None]
    if not funded:
        return FundingTable(version, funded, SchoolCategory.objects.none(), [])
    rows = (
        SchoolCategory.objects.filter(
            remit_q(current_authority(), "school__"),
            framework=version.framework,
            category__code__in=[c.code for c in funded],
        )
        .select_related("school__la")
        .annotate(
            category_label=_by_code(funded, lambda c: c.label, CharField()),
            category_rank=_by_code(funded, lambda c: c.rank, IntegerField()),
            per_pupil=_by_code(funded, lambda c: c.funding_per_pupil, DecimalField(max_digits=8, decimal_places=2)),
        )
        .annotate(funding=ExpressionWrapper(F("school__pupils_on_roll") * F("per_pupil"), output_field=_MONEY))
        .annotate(consortium_name=_consortium_name())
        .order_by("category_rank", "school__name", "pk")
    )
    return FundingTable(version, funded, rows, _per_category(rows, funded), _per_consortium(rows))


def funding_totals(rows: QuerySet[SchoolCategory], group: str = "category__code") -> dict[str, dict]:
    """The rows' schools, pupils on roll, funding (``total``) and schools whose roll is not known, per value of
    ``group`` (a path from the standing), in one query. Totals per category group by its code;
    totals per consortium by the ``consortium_name`` that ``funding_table`` annotates."""
    return {
        row.pop("group"): row
        for row in rows.order_by()
        .values(group=F(group))
        .annotate(
            schools=Count("pk"),
            pupils=Sum("school__pupils_on_roll"),
            total=Sum("funding", output_field=_MONEY),
            roll_unknown=Count("pk", filter=Q(school__pupils_on_roll__isnull=True)),
        )
    }


def _per_category(rows: QuerySet[SchoolCategory], funded: list[Category]) -> list[FundingTotal]:
    found = funding_totals(rows)
    return [
        FundingTotal(
            c.label,
            c.funding_per_pupil,
            found.get(c.code, {}).get("schools", 0),
            found.get(c.code, {}).get("pupils") or 0,
            found.get(c.code, {}).get("total") or Decimal(0),
            found.get(c.code, {}).get("roll_unknown", 0),
        )
        for c in funded
    ]


NO_CONSORTIUM = "No consortium"


def _consortium_name() -> Subquery:
    """The name of the consortium of the current authority that the school is in (at most one:
    ``schools.ConsortiumMember``), as a subquery so another authority's consortia never join in."""
    return Subquery(ConsortiumMember.objects.filter(school=OuterRef("school")).values("consortium__name")[:1])


def _per_consortium(rows: QuerySet[SchoolCategory]) -> list[FundingTotal]:
    """Totals per consortium of the funded schools: Warwickshire's example funds a consortium by
    the number of its schools that trigger funding × an amount per pupil (seed 002, appendix F). No
    amount per pupil of its own (its schools' categories bring different ones); schools in no
    consortium last, as "No consortium"; none at all for an authority without consortia."""
    found = funding_totals(rows, "consortium_name")
    names = sorted(name for name in found if name is not None)
    if not names:  # an authority without consortia
        return []
    return [
        FundingTotal(
            name or NO_CONSORTIUM,
            None,
            found[name]["schools"],
            found[name]["pupils"] or 0,
            found[name]["total"] or Decimal(0),
            found[name]["roll_unknown"],
        )
        for name in [*names, *([None] if None in found else [])]
    ]


@dataclass
class ExpectedInspection:
    school: School
    window: windows.Window
    status: str


OVERDUE = "Overdue"


def expected_inspections(terms: list[tuple[str, date, date]]) -> dict[str, list[ExpectedInspection]]:
    """Open schools whose inspection window overlaps each term, soonest deadline first; first,
    under ``OVERDUE``, those not inspected by the end of their window (the statutory deadline or
    the expected latest date), longest overdue first, and not again under a term."""
    policy = inspection_policy()
    today = timezone.localdate()
    by_school: dict[int, list[ofsted.InspectionFacts]] = defaultdict(list)
    for row in Inspection.objects.values(*_INSPECTION_FIELDS).iterator(chunk_size=CHUNK):
        by_school[row["school_id"]].append(_inspection_facts(row))
    found: dict[str, list[ExpectedInspection]] = {OVERDUE: []} | {name: [] for name, _, _ in terms}
    for school in remit().filter(status_name__istartswith="open").select_related("la").iterator(chunk_size=CHUNK):
        window = windows.next_window(by_school.get(school.pk, ()), open_date=school.open_date, policy=policy)
        if window is None:
            continue
        if window.status(today) == windows.Status.OVERDUE:
            found[OVERDUE].append(ExpectedInspection(school, window, windows.Status.OVERDUE.value))
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


@dataclass(frozen=True)
class WelshSteps:
    """A Welsh school's categorisation steps: its standards groups and capacity judgements, newest
    year first, and its standing under the Welsh framework (step 3)."""

    groups: list[StandardsGroup]
    judgements: list[CapacityJudgement]
    standing: SchoolCategory | None

    def group_for(self, year: int) -> StandardsGroup | None:
        return next((g for g in self.groups if g.academic_year == year), None)

    def judgement_for(self, year: int) -> CapacityJudgement | None:
        return next((j for j in self.judgements if j.academic_year == year), None)


def welsh_steps(school: School) -> WelshSteps:
    return WelshSteps(
        groups=list(StandardsGroup.objects.filter(school=school).select_related("recorded_by")),
        judgements=list(CapacityJudgement.objects.filter(school=school).select_related("judged_by", "agreed_by")),
        standing=SchoolCategory.objects.filter(school=school, framework__code="wales")
        .select_related("category", "proposed", "assessment")
        .first(),
    )
