"""Load the rows the report's figures are computed from.

Each loader is one query (or a fixed handful) whatever the number of schools: rows come back as
tuples (``values_list``), sums and counts are made by the database, and nothing is fetched per
school. ``reporting.figures`` does the arithmetic.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from boards.models import ConcernAction, Decision, PriorityEntry, WarningNotice
from categorisation.models import CategoryDecision
from categorisation.selectors import active_framework, active_version
from reporting import content, figures
from schools import ofsted
from schools.models import Inspection, NationalFigure, PerformanceMeasure, School, maintained_q
from support.calendar import academic_year_of
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


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def maintained_schools() -> list[figures.SchoolRow]:
    """Maintained schools, open and closed: each figure counts those open on its date."""
    rows = School.objects.filter(maintained_q()).values_list(
        "id", "urn", "name", "phase_name", "pupils_on_roll", "open_date", "close_date", "status_name"
    )
    found = []
    for pk, urn, name, phase, pupils, opened, closed, status in rows:
        if closed is None and status.lower().startswith("closed"):
            closed = date.min
        found.append(figures.SchoolRow(pk, urn, name, _phase(phase), pupils, opened, closed))
    return found


_PUBLISHED = Coalesce("publication_date", "end_date", "start_date")


def graded_inspections() -> list[figures.GradedRow]:
    rows = (
        Inspection.objects.filter(maintained_q("school__"), shape=ofsted.Shape.GRADED)
        .annotate(published=_PUBLISHED)
        .filter(published__isnull=False)
        .values_list("school_id", "published", "overall_effectiveness")
    )
    return [figures.GradedRow(school_id, published, overall) for school_id, published, overall in rows]


def published_inspections(start: date, end: date) -> list[figures.PublishedInspection]:
    inspections = (
        Inspection.objects.filter(maintained_q("school__"))
        .annotate(published=_PUBLISHED)
        .filter(published__range=(start, end))
        .select_related("school")
        .order_by("published", "school__name", "inspection_number")
    )
    found = []
    for inspection in inspections:
        if inspection.shape == ofsted.Shape.REPORT_CARD:
            grades = tuple((label, grade) for label, grade, _ in inspection.report_card_grades)
            if inspection.rc_safeguarding_met is not None:
                grades += (("Safeguarding", "Met" if inspection.rc_safeguarding_met else "Not met"),)
        else:
            grades = tuple(inspection.graded_judgements)
        found.append(
            figures.PublishedInspection(
                urn=inspection.school.urn,
                school=inspection.school.name,
                phase=_phase(inspection.school.phase_name),
                published=inspection.published,
                shape=inspection.get_shape_display(),
                outcome=inspection.summary,
                grades=grades,
            )
        )
    return found


def floor_figures_and_national() -> tuple[list[figures.Figure], dict[tuple[str, int], Decimal]]:
    """Each maintained school's latest year holding every measure of a floor rule, with its figures.

    The database picks the years (schools × years groups that hold all of a rule's measures); only
    the figures of each school's latest such year are then read, not every year's."""
    codes = sorted({code for rule in FLOORS for code in rule.below})
    measures = PerformanceMeasure.objects.filter(maintained_q("school__"), value__isnull=False).order_by()
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


def list_sizes(months: list[date]) -> list[int]:
    """Schools on the priority list at the end of each month (see ``figures.list_size``)."""
    rows = list(
        PriorityEntry.objects.filter(added_on__isnull=False)
        .order_by()
        .values_list("academic_year", "added_on", "removed_on")
    )
    return [figures.list_size(rows, figures.month_end(m)) for m in months]


def categories() -> tuple[str, list[figures.CategoryInfo]]:
    version = active_version()
    found = [figures.CategoryInfo(c.code, c.label, c.rank) for c in version.categories.order_by("rank")]
    return version.framework.name, found


def category_changes() -> list[figures.CategoryChange]:
    rows = (
        CategoryDecision.objects.filter(framework=active_framework(), school__in=School.objects.filter(maintained_q()))
        .annotate(on=TruncDate("decided_at"))
        .order_by("decided_at", "pk")
        .values_list("school_id", "on", "category__code", "previous__code")
    )
    return [figures.CategoryChange(s, on, code, previous or "") for s, on, code, previous in rows]


def support_rows(year: int) -> tuple[Decimal, list[figures.SupportRow]]:
    """The year's entitlement in days, and days allocated and delivered by day (summed by the database)."""
    start, end = date(year, 9, 1), date(year + 1, 8, 31)
    packages = SupportPackage.objects.filter(academic_year=year)
    base = packages.aggregate(
        days=Coalesce(Sum(F("adviser_days") + F("teaching_adviser_days") + F("brokered_days")), Decimal(0))
    )["days"]
    adjusted = (
        EntitlementAdjustment.objects.filter(package__academic_year=year)
        .exclude(kind="progress_meetings")
        .aggregate(days=Coalesce(Sum("change"), Decimal(0)))["days"]
    )
    rows = [
        figures.SupportRow(on=day, allocated=days)
        for day, days in Allocation.objects.filter(package__academic_year=year)
        .exclude(kind="progress_meetings")
        .annotate(on=TruncDate("made_at"))
        .values_list("on")
        .annotate(days=Sum("days"))
        .values_list("on", "days")
        .order_by()
    ]
    rows += [
        figures.SupportRow(on=day, delivered=days)
        for day, days in Visit.objects.filter(status=Visit.Status.HELD, held_on__range=(start, end))
        .values_list("held_on")
        .annotate(days=Sum("days"))
        .values_list("held_on", "days")
        .order_by()
    ]
    return Decimal(base) + Decimal(adjusted), rows


def notices() -> list[figures.NoticeRow]:
    rows = WarningNotice.objects.filter(issued_on__isnull=False).select_related("school")
    found = []
    for notice in rows:
        ends = [d for d in (notice.complied_on, notice.lifted_on, notice.escalated_on, notice.referred_on) if d]
        found.append(
            figures.NoticeRow(
                notice.school.urn,
                notice.school.name,
                notice.issued_on,
                notice.compliance_deadline,
                min(ends, default=None),
            )
        )
    return found


def action_rows() -> list[figures.ActionRow]:
    """Actions by deadline and whether done, grouped by the database (a row per deadline, not per action)."""
    found = []
    sources = [
        ("Action plans", Action.objects.annotate(done=Q(rag=Action.Rag.COMPLETE))),
        ("Progress meetings", MeetingAction.objects.all()),
        ("Schools causing concern meetings", ConcernAction.objects.all()),
    ]
    for kind, queryset in sources:
        for deadline, done, n in (
            queryset.values_list("deadline", "done")
            .annotate(n=Count("pk"))
            .values_list("deadline", "done", "n")
            .order_by()
        ):
            found.append(figures.ActionRow(kind, deadline, bool(done), n))
    return found


def inputs(period: date) -> content.Inputs:
    """Everything the report for ``period``'s month is computed from, in a fixed number of queries."""
    start, end = period.replace(day=1), figures.month_end(period)
    floor_figures, national = floor_figures_and_national()
    framework, categories_ = categories()
    entitlement, support = support_rows(academic_year_of(end))
    return content.Inputs(
        schools=maintained_schools(),
        graded=graded_inspections(),
        published=published_inspections(start, end),
        floor_figures=floor_figures,
        national=national,
        floors=FLOORS,
        list_changes=list_changes(start, end),
        list_size=list_sizes([start])[0],
        framework=framework,
        categories=categories_,
        category_changes=category_changes(),
        entitlement=entitlement,
        support=support,
        notices=notices(),
        actions=action_rows(),
    )


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
