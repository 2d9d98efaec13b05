"""Load the rows the report's figures are computed from.

Each loader is one query (or a fixed handful) whatever the number of schools: rows come back as
tuples (``values_list``), sums and counts are made by the database, and nothing is fetched per
school. ``reporting.figures`` does the arithmetic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import CharField, Count, DateField, F, JSONField, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, JSONObject, Least, TruncDate

from boards import deadlines
from boards.models import ConcernAction, Decision, PriorityEntry, WarningNotice
from categorisation.models import Category, CategoryDecision
from categorisation.selectors import active_framework, active_version
from core.calendar import academic_year_label, academic_year_of
from reporting import comparators, content, figures, quarters
from reporting.models import QuarterlyFigure
from schools import la_measures, ofsted
from schools.access import current_authority, maintained_in_remit
from schools.models import (
    ACADEMY_TYPE_GROUPS,
    MAINTAINED_TYPE_GROUPS,
    Inspection,
    LocalAuthority,
    LocalAuthorityFigure,
    NationalFigure,
    PerformanceMeasure,
    School,
)
from support.models import Action, Allocation, EntitlementAdjustment, MeetingAction, SupportPackage, Visit

PRIMARY_PHASES = ("Primary", "Middle deemed primary")
SECONDARY_PHASES = ("Secondary", "Middle deemed secondary")

# The floor standards the report counts against. Secondary: the DfE floor of 2016 to 2019, Progress 8
# below -0.5. Primary: the files the portal imports carry key stage 2 expected progress, not the
# attainment half of the floor, so a primary school counts when its expected progress in reading,
# writing and maths were all below the national figure of the year.
FLOORS = [
    figures.FloorRule(
        "primary",
        {
            "ks2_read_progress_pct": "national",
            "ks2_write_progress_pct": "national",
            "ks2_maths_progress_pct": "national",
        },
        "Primary: the latest key stage 2 results show the percentage of pupils making expected progress in "
        "reading, writing and maths all below the national figure of that year (the progress part of the DfE "
        "primary floor standard; the attainment part is not in the files the portal imports).",
    ),
    figures.FloorRule(
        "secondary",
        {"ks4_p8": "-0.5"},
        "Secondary: the latest Progress 8 score is below -0.5 (the DfE secondary floor standard).",
    ),
]


def _phase(name: str) -> str:
    if name in PRIMARY_PHASES:
        return "primary"
    if name in SECONDARY_PHASES:
        return "secondary"
    return "other"


def maintained_schools() -> list[figures.SchoolRow]:
    """Maintained schools, open and closed: each figure counts those open on its date."""
    rows = School.objects.filter(maintained_in_remit()).values_list(
        "id", "urn", "name", "phase_name", "pupils_on_roll", "open_date", "close_date", "status_name"
    )
    found = []
    for pk, urn, name, phase, pupils, opened, closed, status in rows:
        if closed is None and status.lower().startswith("closed"):
            closed = date.min
        found.append(figures.SchoolRow(pk, urn, name, _phase(phase), pupils, opened, closed))
    return found


_PUBLISHED = Coalesce("publication_date", "end_date", "start_date")
# A date after any real one, standing for "not ended" where the database picks the earliest end.
_FAR_DAY = date(9999, 12, 31)
_FAR = Value(_FAR_DAY, output_field=DateField())


# What a published inspection's row in the report needs of it, read as JSON beside the graded rows.
_PUBLISHED_FIELDS = [
    "inspection_number",
    "shape",
    "start_date",
    "overall_effectiveness",
    "category_of_concern",
    "ungraded_outcome",
    "rc_safeguarding_met",
    *(field for field, _ in ofsted.GRADED_JUDGEMENT_LABELS),
    *(area.field for area in ofsted.REPORT_CARD_AREAS),
]


def inspections(start: date, end: date) -> tuple[list[figures.GradedRow], list[figures.PublishedInspection]]:
    """Maintained schools' graded inspections (every one, for the trend) and the inspections
    published between ``start`` and ``end`` (for the list), in one query."""
    maintained = Inspection.objects.filter(maintained_in_remit("school__")).annotate(published=_PUBLISHED).order_by()
    graded = maintained.filter(shape=ofsted.Shape.GRADED, published__isnull=False).annotate(
        record=Cast(Value(None), output_field=JSONField())
    )
    published = maintained.filter(published__range=(start, end)).annotate(
        record=JSONObject(
            **{name: F(name) for name in _PUBLISHED_FIELDS},
            urn=F("school__urn"),
            name=F("school__name"),
            phase_name=F("school__phase_name"),
        )
    )
    columns = ("school_id", "published", "overall_effectiveness", "record")
    rows = _labelled(graded, "graded", *columns).union(_labelled(published, "published", *columns), all=True)
    graded_rows, found = [], []
    for label, school_id, on, overall, record in rows:
        if label == "graded":
            graded_rows.append(figures.GradedRow(school_id, _as_date(on), overall))
        else:
            found.append(_published(_as_date(on), record))
    found.sort(key=lambda p: (p.published, p.school, p.inspection_number))
    return graded_rows, [p.row for p in found]


@dataclass
class _Published:
    published: date
    school: str
    inspection_number: str
    row: figures.PublishedInspection


def _published(published: date, record: dict) -> _Published:
    """A published inspection's row, from the fields read as JSON (dates as text, and on SQLite
    yes/no as 1/0)."""
    values = {name: record[name] for name in _PUBLISHED_FIELDS}
    values["start_date"] = _as_date(values["start_date"])
    if values["rc_safeguarding_met"] is not None:
        values["rc_safeguarding_met"] = bool(values["rc_safeguarding_met"])
    inspection = Inspection(**values)
    if inspection.shape == ofsted.Shape.REPORT_CARD:
        grades = tuple((label, grade) for label, grade, _ in inspection.report_card_grades)
        if inspection.rc_safeguarding_met is not None:
            grades += (("Safeguarding", "Met" if inspection.rc_safeguarding_met else "Not met"),)
    else:
        grades = tuple(inspection.graded_judgements)
    row = figures.PublishedInspection(
        urn=record["urn"],
        school=record["name"],
        phase=_phase(record["phase_name"]),
        published=published,
        shape=inspection.get_shape_display(),
        outcome=inspection.summary,
        grades=grades,
    )
    return _Published(published, record["name"], inspection.inspection_number, row)


def floor_figures_and_national() -> tuple[list[figures.Figure], dict[tuple[str, int], Decimal]]:
    """Each maintained school's latest year holding every measure of a floor rule, with its figures.

    The database picks the years (schools × years groups that hold all of a rule's measures); only
    the figures of each school's latest such year are then read, not every year's."""
    codes = sorted({code for rule in FLOORS for code in rule.below})
    measures = PerformanceMeasure.objects.filter(maintained_in_remit("school__"), value__isnull=False).order_by()
    latest: dict[int, int] = {}
    for rule in FLOORS:
        complete = (
            measures.filter(measure__in=list(rule.below))
            .values("school_id", "academic_year")
            .annotate(n=Count("measure", distinct=True))
            .filter(n=len(rule.below))
            .values_list("school_id", "academic_year")
        )
        for school_id, year in complete:
            latest[school_id] = max(year, latest.get(school_id, year))
    values: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    rows = measures.filter(measure__in=codes, academic_year__in=set(latest.values())).values_list(
        "school_id", "academic_year", "measure", "value"
    )
    for school_id, year, code, value in rows:
        if latest.get(school_id) == year:
            values[(school_id, year)][code] = value
    national = {
        (code, year): value
        for code, year, value in NationalFigure.objects.filter(
            measure__in=codes, phase__in=[NationalFigure.Phase.ALL, NationalFigure.Phase.PRIMARY]
        ).values_list("measure", "academic_year", "value")
    }
    return [figures.Figure(s, y, v) for (s, y), v in values.items()], national


def list_changes(start: date, end: date) -> list[figures.ListChange]:
    added = PriorityEntry.objects.filter(added_on__range=(start, end)).select_related("school")
    removed = list(PriorityEntry.objects.filter(removed_on__range=(start, end)).select_related("school"))
    reasons = {
        (school_id, year): rationale
        for school_id, year, rationale in Decision.objects.filter(
            kind=Decision.Kind.REMOVE, school_id__in=[e.school_id for e in removed]
        )
        .order_by("decided_at")
        .values_list("school_id", "academic_year", "rationale")
    }
    changes = [
        figures.ListChange(
            e.school.urn,
            e.school.name,
            e.added_on,
            "Carried forward" if e.source == PriorityEntry.Source.CARRIED_FORWARD else "Added",
            e.get_reason_display(),
        )
        for e in added
    ]
    changes += [
        figures.ListChange(
            e.school.urn, e.school.name, e.removed_on, "Removed", reasons.get((e.school_id, e.academic_year), "")
        )
        for e in removed
    ]
    return sorted(changes, key=lambda c: (c.on, c.change, c.school))


def notices_and_list_sizes(months: list[date]) -> tuple[list[figures.NoticeRow], list[int]]:
    """Issued warning notices, and the schools on the priority list at the end of each month (see
    ``figures.list_size``), in one query: each row is a notice or a list entry."""
    issued = WarningNotice.objects.filter(issued_on__isnull=False).annotate(
        number=F("school__urn"),
        text=F("school__name"),
        first=F("issued_on"),
        second=F("compliance_deadline"),
        ended=Least(
            Coalesce("complied_on", _FAR),
            Coalesce("lifted_on", _FAR),
            Coalesce("escalated_on", _FAR),
            Coalesce("referred_on", _FAR),
        ),
    )
    entries = PriorityEntry.objects.filter(added_on__isnull=False).annotate(
        number=F("academic_year"),
        text=Value("", output_field=CharField()),
        first=F("added_on"),
        second=F("removed_on"),
        ended=Cast(Value(None), output_field=DateField()),
    )
    columns = ("number", "text", "first", "second", "ended")
    rows = _labelled(issued.order_by(), "notice", *columns).union(
        _labelled(entries.order_by(), "entry", *columns), all=True
    )
    found, on_list = [], []
    for label, number, text, first, second, ended in rows:
        if label == "notice":
            ended = _as_date(ended)
            found.append(
                figures.NoticeRow(number, text, _as_date(first), _as_date(second), None if ended == _FAR_DAY else ended)
            )
        else:
            on_list.append((number, _as_date(first), _as_date(second)))
    return found, [figures.list_size(on_list, figures.month_end(m)) for m in months]


def categories() -> tuple[str, list[figures.CategoryInfo]]:
    """The active framework's name and its categories in rank order (one query)."""
    held = list(
        Category.objects.filter(version__framework__is_active=True, version__status="active")
        .select_related("version__framework")
        .order_by("rank")
    )
    name = held[0].version.framework.name if held else active_version().framework.name
    return name, [figures.CategoryInfo(c.code, c.label, c.rank, c.colour) for c in held]


def category_changes() -> list[figures.CategoryChange]:
    rows = (
        CategoryDecision.objects.filter(
            framework__is_active=True, school__in=School.objects.filter(maintained_in_remit())
        )
        .annotate(on=TruncDate("decided_at"))
        .order_by("decided_at", "pk")
        .values_list("school_id", "on", "category__code", "previous__code")
    )
    return [figures.CategoryChange(s, on, code, previous or "") for s, on, code, previous in rows]


def _labelled(queryset: QuerySet, label: str, *columns: str) -> QuerySet:
    """The query's rows with ``label`` as their first column, ready for ``UNION ALL`` with others."""
    return queryset.annotate(row_label=Value(label, output_field=CharField())).values_list("row_label", *columns)


def support_rows(year: int) -> tuple[Decimal, list[figures.SupportRow]]:
    """The year's entitlement in days, and days allocated and delivered by day: summed by the
    database, in one query."""
    start, end = date(year, 9, 1), date(year + 1, 8, 31)
    no_day = Cast(Value(None), output_field=DateField())
    entitled = (
        SupportPackage.objects.filter(academic_year=year)
        .order_by()
        .values(whole=Value(1))
        .annotate(on=no_day, days=Sum(F("adviser_days") + F("teaching_adviser_days") + F("brokered_days")))
    )
    adjusted = (
        EntitlementAdjustment.objects.filter(package__academic_year=year)
        .exclude(kind="progress_meetings")
        .order_by()
        .values(whole=Value(1))
        .annotate(on=no_day, days=Sum("change"))
    )
    allocated = (
        Allocation.objects.filter(package__academic_year=year)
        .exclude(kind="progress_meetings")
        .annotate(on=TruncDate("made_at"))
        .order_by()
        .values("on")
        .annotate(days=Sum("days"))
    )
    delivered = (
        Visit.objects.filter(status=Visit.Status.HELD, held_on__range=(start, end))
        .annotate(on=F("held_on"))
        .order_by()
        .values("on")
        .annotate(days=Sum("days"))
    )
    entitlement, rows = Decimal(0), []
    union = _labelled(entitled, "entitled", "on", "days").union(
        _labelled(adjusted, "adjusted", "on", "days"),
        _labelled(allocated, "allocated", "on", "days"),
        _labelled(delivered, "delivered", "on", "days"),
        all=True,
    )
    for label, day, days in union:
        days = Decimal(days or 0)
        if label in ("entitled", "adjusted"):
            entitlement += days
        elif label == "allocated":
            rows.append(figures.SupportRow(on=_as_date(day), allocated=days))
        else:
            rows.append(figures.SupportRow(on=_as_date(day), delivered=days))
    return entitlement, rows


def _as_date(value) -> date:
    """A date read through ``UNION`` (SQLite may hand it back as text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def action_rows() -> list[figures.ActionRow]:
    """Actions by deadline and whether done, grouped by the database (a row per deadline, not per
    action), from the three kinds of action in one query."""
    sources = [
        ("Action plans", Action.objects.annotate(done=Q(rag=Action.Rag.COMPLETE))),
        ("Progress meetings", MeetingAction.objects.all()),
        ("Schools causing concern meetings", ConcernAction.objects.all()),
    ]
    grouped = [
        _labelled(queryset.order_by().values("deadline", "done").annotate(n=Count("pk")), kind, "deadline", "done", "n")
        for kind, queryset in sources
    ]
    first, *rest = grouped
    return [
        figures.ActionRow(kind, _as_date(deadline), bool(done), n)
        for kind, deadline, done, n in first.union(*rest, all=True)
    ]


_STATE_FUNDED = Q(type_group_name__in=[*MAINTAINED_TYPE_GROUPS, *ACADEMY_TYPE_GROUPS]) & ~Q(
    status_name__istartswith="closed"
)
_GRADED = [
    ofsted.Outcome.OUTSTANDING,
    ofsted.Outcome.GOOD,
    ofsted.Outcome.REQUIRES_IMPROVEMENT,
    ofsted.Outcome.INADEQUATE,
]
_GOOD = [ofsted.Outcome.OUTSTANDING, ofsted.Outcome.GOOD]


def comparison() -> dict:
    """What the report's comparison with other LAs needs (seed 004), in four queries whatever the
    number of schools: every LA's good or better schools and pupils, the sum and count of every LA's
    schools' figures of the compared measures by year, the figures DfE publishes by LA for the LAs
    compared and England, and the names of the LAs compared."""
    authority = current_authority()
    groups = comparators.groups_for(authority.la_codes if authority else [], comparators.statistical_neighbours())
    graded = Q(ofsted_outcome__in=_GRADED)
    good = Q(ofsted_outcome__in=_GOOD)
    inspected = (
        School.objects.filter(_STATE_FUNDED)
        .values("la__code")
        .annotate(
            schools=Count("pk", filter=graded),
            good=Count("pk", filter=good),
            pupils=Coalesce(Sum("pupils_on_roll", filter=graded), 0),
            good_pupils=Coalesce(Sum("pupils_on_roll", filter=good), 0),
        )
        .values_list("la__code", "schools", "good", "pupils", "good_pupils")
        .order_by()
    )
    measures = (
        PerformanceMeasure.objects.filter(
            measure__in=[code for code, _ in content.COMPARED],
            value__isnull=False,
            school__type_group_name__in=[*MAINTAINED_TYPE_GROUPS, *ACADEMY_TYPE_GROUPS],
        )
        .values("school__la__code", "measure", "academic_year")
        .annotate(total=Sum("value"), n=Count("value"))
        .values_list("school__la__code", "measure", "academic_year", "total", "n")
        .order_by()
    )
    compared = {code for group in groups for code in group.codes}
    published = (
        LocalAuthorityFigure.objects.filter(
            Q(level=LocalAuthorityFigure.Level.NATIONAL) | Q(la_code__in=compared),
            measure__in=[m.code for m in la_measures.MEASURES],
            value__isnull=False,
        )
        .values_list("la_code", "measure", "academic_year", "value")
        .order_by("period")
    )
    return {
        "comparison_groups": [(group.name, group.codes) for group in groups],
        "la_names": dict(LocalAuthority.objects.filter(code__in=compared).values_list("code", "name")),
        "la_inspections": [figures.LaInspections(*row) for row in inspected],
        "la_measures": [figures.LaMeasure(*row) for row in measures],
        "la_figures": [figures.PublishedFigure(*row) for row in published],
        "neighbours_source": comparators.NEIGHBOURS_SOURCE,
    }


def inputs(period: date) -> content.Inputs:
    """Everything the report for ``period``'s month is computed from, in a fixed number of queries."""
    start, end = period.replace(day=1), figures.month_end(period)
    floor_figures, national = floor_figures_and_national()
    framework, categories_ = categories()
    entitlement, support = support_rows(academic_year_of(end))
    graded, published = inspections(start, end)
    notices, sizes = notices_and_list_sizes([start])
    return content.Inputs(
        authority=str(current_authority()),
        schools=maintained_schools(),
        graded=graded,
        published=published,
        floor_figures=floor_figures,
        national=national,
        floors=FLOORS,
        list_changes=list_changes(start, end),
        list_size=sizes[0],
        framework=framework,
        categories=categories_,
        category_changes=category_changes(),
        entitlement=entitlement,
        support=support,
        notices=notices,
        actions=action_rows(),
        **comparison(),
        overdue=overdue_rows(end),
        quarterly=quarterly_rows(end),
    )


def quarterly_rows(end: date) -> list[quarters.Recorded]:
    """The authority's quarterly counts for the quarters that had started by ``end``, in one query."""
    rows = QuarterlyFigure.objects.filter(quarter__lte=end).values_list("quarter", "measure", "count")
    return [quarters.Recorded(quarter, measure, count) for quarter, measure, count in rows]


def quarterly_figures() -> list[QuarterlyFigure]:
    """Every quarterly count the authority has recorded, newest quarter first, with who recorded it."""
    return list(QuarterlyFigure.objects.select_related("recorded_by").order_by("-quarter", "measure"))


def overdue_rows(end: date) -> list[figures.OverdueRow]:
    """The deadlines past at the month's end (``boards.deadlines``), in its fixed number of queries."""
    return [
        figures.OverdueRow(item.kind, item.school.urn, item.school.name, item.due, item.what)
        for item in deadlines.overdue(end)
    ]


def supported_schools(today: date) -> list[figures.Supported]:
    """Every school that has had a support package or a held visit, with where it stood before and now."""
    supported = School.objects.filter(
        Q(pk__in=SupportPackage.objects.values("school_id"))
        | Q(pk__in=Visit.objects.filter(status=Visit.Status.HELD).values("school_id"))
    )
    since = dict(
        SupportPackage.objects.values_list("school_id")
        .annotate(first=Min("starts_on"))
        .values_list("school_id", "first")
    )
    first_visits = dict(
        Visit.objects.filter(status=Visit.Status.HELD)
        .values_list("school_id")
        .annotate(first=Min("held_on"))
        .values_list("school_id", "first")
    )
    visits: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    held_visits = Visit.objects.filter(status=Visit.Status.HELD)
    for school_id, held, days in held_visits.values_list("school_id", "held_on", "days"):
        visits[school_id].append((held, days))
    changes: dict[int, list[figures.CategoryChange]] = defaultdict(list)
    decisions = CategoryDecision.objects.filter(framework=active_framework(), school__in=supported).order_by(
        "decided_at", "pk"
    )
    rows = decisions.annotate(on=TruncDate("decided_at")).values_list(
        "school_id", "on", "category__code", "previous__code"
    )
    for s, on, code, previous in rows:
        changes[s].append(figures.CategoryChange(s, on, code, previous or ""))
    inspections: dict[int, list[Inspection]] = defaultdict(list)
    for inspection in (
        Inspection.objects.filter(school__in=supported)
        .exclude(shape=ofsted.Shape.UNGRADED)
        .annotate(published=_PUBLISHED)
        .filter(published__isnull=False)
        .order_by("published")
    ):
        inspections[inspection.school_id].append(inspection)
    found = []
    for pk, urn, name in supported.order_by("name", "urn").values_list("pk", "urn", "name"):
        start = min(d for d in (since.get(pk), first_visits.get(pk)) if d)
        before = [i for i in inspections[pk] if i.published < start]
        after = [i for i in inspections[pk] if i.published >= start]
        graded_before = [i for i in before if i.shape == ofsted.Shape.GRADED]
        graded_after = [i for i in after if i.shape == ofsted.Shape.GRADED]
        own = changes[pk]
        found.append(
            figures.Supported(
                urn=urn,
                name=name,
                since=start,
                days=sum((days for held, days in visits[pk] if held >= start), Decimal(0)),
                category_before=figures.categories_on(own, start).get(pk, ""),
                category_now=figures.categories_on(own, today).get(pk, ""),
                grade_before=graded_before[-1].overall_effectiveness if graded_before else None,
                grade_after=graded_after[-1].overall_effectiveness if graded_after else None,
                inspected_since=after[-1].summary if after else "",
            )
        )
    return found


@dataclass(frozen=True)
class QuarterlyLine:
    figure: QuarterlyFigure
    quarter: quarters.Quarter
    change: quarters.Change


def quarterly_tables() -> list[tuple[str, list[QuarterlyLine]]]:
    """For each measure, its recorded quarters newest first with the change on the quarter before."""
    found = quarterly_figures()
    recorded = [quarters.Recorded(f.quarter, f.measure, f.count) for f in found]
    tables = []
    for measure, label in quarters.MEASURES.items():
        lines = [
            QuarterlyLine(
                f,
                quarters.Quarter(f.quarter),
                quarters.change_on_previous(recorded, measure, quarters.Quarter(f.quarter)),
            )
            for f in found
            if f.measure == measure
        ]
        tables.append((label, lines))
    return tables


@dataclass(frozen=True)
class HeldFigure:
    group: str
    place: str
    figure: LocalAuthorityFigure

    @property
    def shown(self) -> str:
        return la_measures.shown(self.figure.measure, self.figure.value, self.figure.marker)

    @property
    def year(self) -> str:
        return academic_year_label(self.figure.academic_year)


def published_figure_tables() -> list[tuple[la_measures.LaMeasure, list[HeldFigure]]]:
    """For each measure DfE publishes only by LA, the latest figure held (imported or entered) for
    each of the authority's LAs, its statistical neighbours, the other core cities and England, in
    two queries: the figures of those places, and their names."""
    authority = current_authority()
    groups = comparators.groups_for(authority.la_codes if authority else [], comparators.statistical_neighbours())
    group_of: dict[int, str] = {}
    for group in groups:
        for code in group.codes:
            group_of.setdefault(code, group.name)
    group_of[0] = "England"
    names = dict(LocalAuthority.objects.filter(code__in=group_of).values_list("code", "name"))
    # England's figure has LA code 0.
    held = LocalAuthorityFigure.objects.filter(la_code__in=group_of, measure__in=la_measures.BY_CODE).order_by(
        "-academic_year", "period"
    )
    latest: dict[tuple[str, int], LocalAuthorityFigure] = {}
    for figure in held:
        latest.setdefault((figure.measure, figure.la_code), figure)
    order = list(group_of)
    tables = []
    for measure in la_measures.MEASURES:
        found = sorted((f for (m, _), f in latest.items() if m == measure.code), key=lambda f: order.index(f.la_code))
        rows = [
            HeldFigure(
                group_of[f.la_code], f"{names.get(f.la_code, 'LA')} ({f.la_code})" if f.la_code else "England", f
            )
            for f in found
        ]
        tables.append((measure, rows))
    return tables
