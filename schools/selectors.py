"""Reads in the schools domain. Each selector starts from what the user may see and owns its
``select_related`` so a page's query count does not grow with its rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.http import Http404

from accounts import permissions
from accounts.authorities import current_authority_id
from accounts.models import Membership, Role
from core.calendar import academic_year_label
from schools import collection, estyn, imports, measures
from schools.access import current_authority, remit, remit_key, remit_q, visible_schools
from schools.filters import register_generation
from schools.models import (
    ACADEMY_TYPE_GROUPS,
    Consortium,
    ConsortiumLead,
    ConsortiumMember,
    EstynInspection,
    GovernanceContact,
    ImportProblem,
    ImportRun,
    Inspection,
    IntelligenceNote,
    LocalAuthority,
    NationalFigure,
    PerformanceMeasure,
    School,
    welsh_q,
)
from schools.ofsted import Outcome

LIST_RELATED = ("la", "latest_inspection")


def school_list(user) -> QuerySet[School]:
    """The schools the user may see, ready for a list (``categorisation.selectors.with_agreed_category``
    adds each one's category)."""
    return visible_schools(user).select_related(*LIST_RELATED)


def page_of(schools: QuerySet[School], number, size: int, count: int | None = None) -> Page:
    """One page of an ordered list of schools, read by a narrow query first: the page's ids are
    found by sorting only the columns the order needs, and only those rows are read in full, with
    their annotations (a page far down the list does not build every row before it). ``count``, if
    known already, saves counting the list again."""
    paginator = Paginator(schools, size)
    if count is not None:
        paginator.count = count  # a cached_property: the figure given stands for it
    page = paginator.get_page(number)
    ids = page.object_list.values("pk")
    page.object_list = list(schools.filter(pk__in=ids))
    return page


def inspections_of(school: School) -> list[Inspection]:
    return list(school.inspections.order_by("-start_date", "-inspection_number"))


def estyn_inspections_of(school: School) -> list[EstynInspection]:
    """A Welsh school's Estyn inspections, newest first (none for a school in England)."""
    if not school.is_welsh:
        return []
    return list(school.estyn_inspections.order_by("-start_date", "-pk"))


_ESTYN_FACT_FIELDS = (
    "school_id",
    "start_date",
    "shape",
    "follow_up",
    "follow_up_removed_on",
    *[j.field for j in estyn.ALL_JUDGEMENTS],
)


def estyn_facts(school_ids: list[int] | None) -> dict[int, tuple[estyn.EstynFacts, ...]]:
    """The Estyn inspections of these schools (every school's with None) as the rules read them,
    newest first, in one query. A school without one is absent."""
    rows = EstynInspection.objects.order_by("school_id", "-start_date", "-pk")
    if school_ids is not None:
        rows = rows.filter(school_id__in=school_ids)
    found: dict[int, list[estyn.EstynFacts]] = defaultdict(list)
    for row in rows.values_list(*_ESTYN_FACT_FIELDS):
        school_id, start_date, shape, follow_up, removed_on, *grades = row
        graded = dict(zip((j.field for j in estyn.ALL_JUDGEMENTS), grades, strict=True))
        found[school_id].append(
            estyn.EstynFacts(
                start_date=start_date,
                shape=estyn.Shape(shape),
                follow_up=estyn.FollowUp(follow_up),
                judgements=tuple(
                    (j.field, graded[j.field]) for j in estyn.JUDGEMENTS_OF[shape] if graded[j.field] is not None
                ),
                follow_up_removed_on=removed_on,
            )
        )
    return {school_id: tuple(facts) for school_id, facts in found.items()}


def visible_notes(user, school: School) -> QuerySet[IntelligenceNote]:
    """Intelligence notes the user may read: officers all, the school's partner those shared
    with partners or the school, the head only those shared with the school."""
    notes = school.intelligence_notes.select_related("author")
    if permissions.is_officer(user):
        return notes
    if user.role == Role.PRIORITY_PARTNER:
        return notes.filter(visibility__in=[IntelligenceNote.Visibility.PARTNER, IntelligenceNote.Visibility.SCHOOL])
    if user.role == Role.HEADTEACHER:
        return notes.filter(visibility=IntelligenceNote.Visibility.SCHOOL)
    if user.role == Role.BOARD_MEMBER:
        # The board reviews the school's case, but never restricted intelligence.
        return notes.filter(visibility__in=[IntelligenceNote.Visibility.PARTNER, IntelligenceNote.Visibility.SCHOOL])
    return notes.none()


def comparison_phase(school: School) -> str:
    """Which national figure a school is compared with."""
    return comparison_phase_of(school.phase_name, school.type_name, school.type_group_name)


def comparison_phase_of(phase_name: str, type_name: str, type_group_name: str) -> str:
    if "special" in (type_group_name or "").lower() or "special" in (type_name or "").lower():
        return NationalFigure.Phase.SPECIAL
    phase = (phase_name or "").lower()
    if "primary" in phase or phase == "nursery":
        return NationalFigure.Phase.PRIMARY
    if "secondary" in phase or "all" in phase or "16" in phase:
        return NationalFigure.Phase.SECONDARY
    return NationalFigure.Phase.ALL


@dataclass
class Cell:
    value: Decimal | None = None
    marker: str = ""
    national: Decimal | None = None
    comparison: str = ""
    year_label: str = ""  # the column's academic year, labelling the figure where the table reflows
    # As the page shows them (written once here, not by a template filter for each of a hundred cells):
    # the figure in its measure's format or its suppression marker, and the national figure ("" if none).
    text: str = ""
    national_text: str = ""


@dataclass
class MeasureRow:
    measure: measures.Measure
    cells: list[Cell] = field(default_factory=list)


@dataclass
class PerformanceTable:
    years: list[int]
    rows: list[MeasureRow]

    @property
    def year_labels(self) -> list[str]:
        return [academic_year_label(y) for y in self.years]


def performance_table(school: School) -> PerformanceTable:
    """Each measure the school has across the years, with the national figure beside it."""
    phase = comparison_phase(school)
    # One query: the school's figures, and the national figures for the measures and years it has.
    own = school.measures.order_by().annotate(source=Value("school", output_field=CharField()))
    held = school.measures.order_by()
    nationals = NationalFigure.objects.order_by().filter(
        measure__in=held.values("measure"), academic_year__in=held.values("academic_year")
    )
    rows_read = own.values_list("source", "measure", "academic_year", "value", "marker").union(
        nationals.annotate(source=Value("national", output_field=CharField())).values_list(
            "source", "measure", "academic_year", "value", "phase"
        ),
        all=True,
    )
    figures, national = [], defaultdict(dict)
    for source, code, year, value, marker_or_phase in rows_read:
        if source == "school":
            figures.append((code, year, value, marker_or_phase))
        else:
            national[(code, year)][marker_or_phase] = value
    years = sorted({year for _, year, _, _ in figures})
    codes = {code for code, _, _, _ in figures}
    by_key = {(code, year): (value, marker) for code, year, value, marker in figures}
    rows = []
    for measure in measures.MEASURES:
        if measure.code not in codes:
            continue
        row = MeasureRow(measure)
        for year in years:
            value, marker = by_key.get((measure.code, year), (None, ""))
            options = national.get((measure.code, year), {})
            # A count (pupils) is not compared with the national total.
            nat = None if measure.unit == "pupils" else options.get(phase, options.get(NationalFigure.Phase.ALL))
            row.cells.append(
                Cell(
                    value,
                    marker,
                    nat,
                    measures.compare(measure, value, nat),
                    academic_year_label(year),
                    text=measure.format(value) if value is not None else marker or "–",
                    national_text=measure.format(nat) if nat is not None else "",
                )
            )
        rows.append(row)
    return PerformanceTable(years=years, rows=rows)


@dataclass(frozen=True)
class OfficerSummary:
    schools: int
    open_schools: int
    local_authorities: int
    inspections: int
    by_outcome: list[tuple[str, str, int]]
    recent_imports: list[ImportRun]


def _count_of(queryset: QuerySet) -> Subquery:
    """``(SELECT COUNT(*) FROM ...)``, to read beside other figures in one query."""
    rows = queryset.order_by().values(one=Value(1)).annotate(n=Count("*")).values("n")
    return Subquery(rows, output_field=IntegerField())


def officer_summary() -> OfficerSummary:
    """The remit's figures for the officer's home page (``register_figures``) and the latest imports."""
    figures = register_figures()
    return OfficerSummary(**figures, recent_imports=list(recent_imports(5)))


def register_figures() -> dict:
    """The remit's schools by Ofsted outcome (all and open), with the counts of its local
    authorities and inspections: one query over the remit, whose cost grows with the register, so
    an officer's are kept per authority and register generation (``schools.filters``: every import
    starts a new one) for ``CHOICES_CACHE_SECONDS`` (0: read on every request)."""
    authority = current_authority()
    seconds = settings.CHOICES_CACHE_SECONDS
    key = f"schools:register-figures:1:{remit_key(authority)}:{register_generation()}"
    held = cache.get(key) if seconds else None
    if held is None:
        held = _register_figures(authority)
        if seconds:
            cache.set(key, held, seconds)
    return held


def _register_figures(authority) -> dict:
    """In one query: the remit's schools by Ofsted outcome, with its LAs and inspections alongside."""
    their_las = LocalAuthority.objects.filter(code__in=authority.la_codes if authority else [])
    their_inspections = Inspection.objects.filter(remit_q(authority, "school__"))
    by_outcome_rows = list(
        remit(authority)
        .order_by()
        .values("ofsted_outcome")
        .annotate(
            total=Count("pk"),
            # GIAS's statuses "Open" and "Open, but proposed to close" (a case-sensitive LIKE: the
            # register spells them so, and UPPER() on every row cost 8 ms at national scale).
            open=Count("pk", filter=Q(status_name__startswith="Open")),
            local_authorities=_count_of(their_las),
            inspections=_count_of(their_inspections),
        )
    )
    if by_outcome_rows:
        local_authorities, inspections = by_outcome_rows[0]["local_authorities"], by_outcome_rows[0]["inspections"]
    else:  # no schools yet: the other counts still stand
        local_authorities, inspections = their_las.count(), their_inspections.count()
    outcome_counts = {row["ofsted_outcome"]: row["open"] for row in by_outcome_rows}
    by_outcome = [(choice.value, choice.label, outcome_counts.get(choice.value, 0)) for choice in Outcome]
    by_outcome.append(("none", "No inspection on record", outcome_counts.get("", 0)))
    return {
        "schools": sum(row["total"] for row in by_outcome_rows),
        "open_schools": sum(row["open"] for row in by_outcome_rows),
        "local_authorities": local_authorities,
        "inspections": inspections,
        "by_outcome": by_outcome,
    }


# Imports ------------------------------------------------------------------------------------

# A run an officer cancelled instead of importing a file again (``services.cancel_import``).
CANCELLED = Q(status=ImportRun.Status.FAILED, message__startswith="Cancelled")


def _with_state(runs: QuerySet[ImportRun]) -> QuerySet[ImportRun]:
    """Runs with ``cancelled``, which the status tag shows apart from a failure."""
    colleague = Membership.objects.filter(user=OuterRef("started_by"), authority_id=current_authority_id())
    return runs.annotate(
        cancelled=ExpressionWrapper(CANCELLED, output_field=BooleanField()),
        # The register is everyone's; who imported it is named to their own authority only.
        started_here=Exists(colleague),
    )


def _visible(runs: QuerySet[ImportRun]) -> QuerySet[ImportRun]:
    """Every import of the shared register, but an authority's own collection (its schools' EYFS
    and KS1 results) only to the authority whose officer imported it."""
    return runs.filter(~Q(kind=ImportRun.Kind.AUTHORITY_RESULTS) | Q(started_here=True))


def recent_imports(limit: int | None = None) -> QuerySet[ImportRun]:
    runs = _visible(_with_state(ImportRun.objects.select_related("started_by").defer("errors", "problem_groups")))
    return runs[:limit] if limit else runs


def import_run(pk: int) -> ImportRun:
    """The import run (its pages are for those who may import: ``accounts.policy``); 404 for no such
    run, or another authority's own collection."""
    try:
        runs = _with_state(ImportRun.objects.select_related("started_by", "duplicate_of", "undone_by"))
        return _visible(runs).get(pk=pk)
    except ImportRun.DoesNotExist as exc:
        raise Http404("No import found") from exc


PROBLEM_HEADINGS = {
    ImportProblem.Kind.ERROR: "Errors",
    ImportProblem.Kind.WARNING: "Warnings",
    ImportProblem.Kind.SKIPPED: "Rows skipped",
    ImportProblem.Kind.UNKNOWN_SCHOOL: "Schools not in the register",
}
UNKNOWN_SCHOOLS_SHOWN = 20


def problem_text(kind: str, column: str, reason: str) -> str:
    """A problem as a sentence: "The value is not a whole number", "The URN is not in the register"."""
    if kind in (ImportProblem.Kind.ERROR, ImportProblem.Kind.WARNING):
        return f"The value {reason}"
    if kind == ImportProblem.Kind.UNKNOWN_SCHOOL:
        return f"The {column or 'URN'} {reason}"
    return reason[:1].upper() + reason[1:]


@dataclass(frozen=True)
class ProblemGroup:
    """Problems of one kind with the same column and reason (``ImportRun.problem_groups``)."""

    column: str
    problem: str
    count: int
    lines: list[int]
    values: list[str]

    @property
    def more_lines(self) -> bool:
        return self.count > len(self.lines)


@dataclass(frozen=True)
class ProblemTable:
    kind: str
    heading: str
    groups: list[ProblemGroup]

    @property
    def count(self) -> int:
        return sum(group.count for group in self.groups)


def problem_tables(run: ImportRun) -> list[ProblemTable]:
    """The run's grouped problems, a table per kind (errors, warnings, rows skipped, schools not in
    the register), each group with its count and first lines and values."""
    by_kind: dict[str, list[ProblemGroup]] = defaultdict(list)
    for group in run.problem_groups or []:
        kind, column, reason = group.get("kind", ""), group.get("column", ""), group.get("reason", "")
        by_kind[kind].append(
            ProblemGroup(
                column=column,
                problem=problem_text(kind, column, reason),
                count=group.get("count", 0),
                lines=list(group.get("lines", [])),
                values=list(group.get("values", [])),
            )
        )
    return [ProblemTable(kind, heading, by_kind[kind]) for kind, heading in PROBLEM_HEADINGS.items() if by_kind[kind]]


@dataclass(frozen=True)
class ImportReport:
    """What the page of an import shows besides the run itself, and what it offers to do next."""

    problem_tables: list[ProblemTable]
    unknown_schools: list[ImportProblem]
    more_unknown_schools: int
    imported_as: ImportRun | None  # the later import of this dry run's file
    in_progress: bool  # queued or running: the page refreshes itself
    can_import_now: bool  # a dry run whose file may now be imported
    can_retry: bool  # a failed check whose file may be checked again
    can_undo: bool  # an import that wrote records and has not been undone
    undo_blocker: str  # why it cannot be undone, when it cannot


def import_report(run: ImportRun) -> ImportReport:
    """The page of an import, read in a bounded number of queries whatever the file held."""
    status = ImportRun.Status
    unknown = list(
        ImportProblem.objects.filter(run=run, kind=ImportProblem.Kind.UNKNOWN_SCHOOL)
        .only("urn", "name", "la", "line")
        .order_by("pk")[:UNKNOWN_SCHOOLS_SHOWN]
    )
    finished_dry_run = run.dry_run and run.status == status.SUCCEEDED and bool(run.file)
    imported_as = later_import_of(run) if finished_dry_run else None
    can_undo = run.status == status.SUCCEEDED and not run.dry_run and run.undone_at is None
    return ImportReport(
        problem_tables=problem_tables(run),
        unknown_schools=unknown,
        more_unknown_schools=max(run.unknown_school_count, len(unknown)) - len(unknown),
        imported_as=imported_as,
        in_progress=run.status in (status.QUEUED, status.RUNNING),
        can_import_now=finished_dry_run and imported_as is None,
        can_retry=run.status == status.FAILED and not getattr(run, "cancelled", False) and bool(run.file),
        can_undo=can_undo,
        undo_blocker=undo_blocker(run) if can_undo else "",
    )


def later_import_of(run: ImportRun) -> ImportRun | None:
    """The import made from this run's file afterwards ("Import this file now"), unless it failed."""
    later = ImportRun.objects.filter(imported_from=run, dry_run=False).exclude(status=ImportRun.Status.FAILED)
    return later.order_by("-queued_at", "-pk").first()


def undo_blocker(run: ImportRun, *, thorough: bool = False) -> str:
    """Why the import cannot be undone, in words for the officer; "" when it can. ``thorough``
    also looks for later imports and records that now depend on it (the confirmation page)."""
    return imports.undo_blocker(run, thorough=thorough)


PROBLEM_COLUMNS = ["Kind", "Line", "Column", "Value", "Problem", "URN", "School name", "LA"]


def problem_rows(run: ImportRun, kind: str | None = None) -> Iterator[list]:
    """Every problem of the run (or of one kind), as the rows of its CSV download, read in chunks."""
    problems = ImportProblem.objects.filter(run=run).order_by("pk")
    if kind:
        problems = problems.filter(kind=kind)
    labels = dict(ImportProblem.Kind.choices)
    fields = ("kind", "line", "column", "value", "reason", "urn", "name", "la")
    for kind_, line, column, value, reason, urn, name, la in problems.values_list(*fields).iterator(2000):
        yield [labels.get(kind_, kind_), line, column, value, problem_text(kind_, column, reason), urn, name, la]


# Consortia ----------------------------------------------------------------------------------------------------


def consortia() -> QuerySet[Consortium]:
    """The authority's consortia with how many schools and leads each has, in one query."""
    return Consortium.objects.annotate(
        school_count=Count("members", distinct=True),
        lead_count=Count("leads", distinct=True),
    ).order_by("phase", "name")


def consortium_members(consortium: Consortium) -> QuerySet[ConsortiumMember]:
    return consortium.members.select_related("school__la").order_by("school__name", "pk")


def consortium_leads(consortium: Consortium) -> list[ConsortiumLead]:
    return list(consortium.leads.select_related("user", "school").order_by("seat"))


def schools_in_no_consortium() -> QuerySet[School]:
    """The remit's open schools that no consortium of the authority has yet (seed 002, 7.4 asks
    that every school belongs to one)."""
    placed = ConsortiumMember.objects.values("school_id")
    return remit().filter(status_name__istartswith="open").exclude(pk__in=placed)


def board_leads() -> QuerySet[ConsortiumLead]:
    """The consortium leads who sit on the School Improvement Board: every consortium's leads who
    meet the lead member criteria (seed 002, 7.4), by consortium."""
    return (
        ConsortiumLead.objects.exclude(criterion=ConsortiumLead.Criterion.NONE)
        .select_related("consortium", "user", "school")
        .order_by("consortium__phase", "consortium__name", "seat")
    )


def consortia_with_leads() -> list[Consortium]:
    """Every consortium with its leads, in two queries (the School Improvement Board's page)."""
    leads = ConsortiumLead.objects.select_related("user", "school").order_by("seat")
    return list(consortia().prefetch_related(Prefetch("leads", queryset=leads)))


# Governance -------------------------------------------------------------------------------------------


def board_q(school: School) -> Q:
    """Where a school's board is recorded: an academy's on its trust (the trust board governs
    it), any other school's on the school itself."""
    if school.trust_id and school.type_group_name in ACADEMY_TYPE_GROUPS:
        return Q(trust_id=school.trust_id)
    return Q(school=school)


def board_name(school: School) -> str:
    if school.trust_id and school.type_group_name in ACADEMY_TYPE_GROUPS:
        return f"Trust board of {school.trust.name}"
    return "Governing body"


def governance_contacts(school: School) -> dict[str, GovernanceContact]:
    """The school's board's chair and clerk, by role, as this authority recorded them."""
    return {c.role: c for c in GovernanceContact.objects.filter(board_q(school))}


def chair_of(school: School) -> GovernanceContact | None:
    return chairs_of([school]).get(school.pk)


def chairs_of(schools: list[School]) -> dict[int, GovernanceContact]:
    """Each school's chair of its board (``board_q``), by school id, in one query: an academy's is
    its trust board's chair, any other school's its own governing body's."""
    on_trust = {s.pk: s.trust_id for s in schools if s.trust_id and s.type_group_name in ACADEMY_TYPE_GROUPS}
    own = {s.pk for s in schools if s.pk not in on_trust}
    boards = Q(school_id__in=own) | Q(trust_id__in=set(on_trust.values()))
    by_school, by_trust = {}, {}
    for contact in GovernanceContact.objects.filter(boards, role=GovernanceContact.Role.CHAIR):
        if contact.school_id in own:
            by_school[contact.school_id] = contact
        if contact.trust_id:
            by_trust[contact.trust_id] = contact
    chairs = {pk: by_trust[trust] for pk, trust in on_trust.items() if trust in by_trust}
    return chairs | by_school


def collection_schools() -> QuerySet[School]:
    """The rows of the authority's EYFS and KS1 template: its open schools with a primary phase in
    England (EYFS and KS1 are English assessments: a Welsh school has neither)."""
    return (
        remit()
        .filter(phase_name__in=collection.PRIMARY_PHASES)
        .exclude(status_name__istartswith="closed")
        .exclude(welsh_q())
        .order_by("name", "urn")
        .only("urn", "name")
    )


def collected_counts(year: int) -> list[tuple[measures.Measure, int]]:
    """For each measure of the authority's collection, how many of its schools have a result for
    ``year``, in one query."""
    held = dict(
        PerformanceMeasure.objects.filter(
            school__in=remit(), academic_year=year, measure__in=[m.code for m in collection.MEASURES]
        )
        .values("measure")
        .annotate(n=Count("*"))
        .values_list("measure", "n")
    )
    return [(m, held.get(m.code, 0)) for m in collection.MEASURES]
