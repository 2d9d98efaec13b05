"""Every deadline the seeds name that has passed, in one list: for the officer's home page and the
monthly report's "Overdue" section.

Each source is a function of the day (``Today``: the date, its academic year and the calendar, read
once) that returns the overdue items of one kind in one or two queries whatever the number of
schools; ``SOURCES`` lists them, so adding one (Oxfordshire's "RI to meet the criteria for Good
within four terms", tracked in support) is a function and a line.

* Action plans and Statements of Action (seed 004: "the action plan will be finalised by October
  half-term"; seed 003's Statement of Action): a plan not agreed by its due date, and a school on
  the priority list with no plan once the plan it should have had was due (``support.deadlines``).
* The priority list (seed 004: "By October half term BCC and BEP will formally agree a list"):
  schools still proposed after October half-term.
* The annual letters (seed 004: "BEP will then send a formal letter to the Headteacher and Chair of
  Governors of all maintained schools"): a maintained school sent neither letter after October
  half-term.
* A new headteacher's visit (seed 003: "a visit from a local authority lead officer in the first
  half term of their appointment"): none held by the end of that half-term.
* Warning notices: issued and not complied with by the compliance deadline.
* Requires improvement to Good (seed 003: "following an RI judgement, a school will meet the criteria
  for a 'Good' within four terms"): past the four terms and not meeting them.
* A named priority partner (seed 004: "Each school on the priority list will be allocated an
  individual priority partner"): none after October half-term.
* Visit and agree (seed 004): a newly vulnerable school's head not visited by October half-term.
* The priority partner's visit (seed 004: "The Priority Partner will visit all schools identified as
  a priority"): a listed school with no visit held this year.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, DateField, Exists, F, OuterRef, Q, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone

from boards import annual_selectors
from boards.models import Letter, LetterKind, PriorityEntry, WarningNotice
from core.calendar import year_span
from schools.access import maintained_in_remit, remit_key
from schools.filters import register_generation
from schools.models import School
from support import deadlines as support_deadlines
from support import selectors as support
from support.calendar import HalfTerm, october_half_term
from support.models import ActionPlan, Visit

PLAN = "Action plan"
STATEMENT = "Statement of Action"
LIST = "Priority list"
LETTER = "Priority letter"
NEW_HEAD = "New headteacher's visit"
NOTICE = "Warning notice"
RI_TO_GOOD = "Requires improvement to Good"
PARTNER = "Named priority partner"
VISIT_AND_AGREE = "Visit and agree"
FIRST_VISIT = "Priority partner's visit"


@dataclass(frozen=True)
class Today:
    """The day the list is for, its academic year, and the half-terms from the year before (a new
    headteacher's first half-term) to the year after, read in one query."""

    day: date
    year: int
    half_terms: dict[int, list[HalfTerm]]

    @classmethod
    def of(cls, day: date) -> Today:
        year = support.current_year(day)
        return cls(day, year, support.half_terms_by_year([year - 1, year, year + 1]))

    @property
    def terms(self) -> list[HalfTerm]:
        return [t for terms in self.half_terms.values() for t in terms]

    @property
    def from_this_year(self) -> list[HalfTerm]:
        return [t for year, terms in self.half_terms.items() if year >= self.year for t in terms]

    @property
    def october_half_term(self) -> date:
        return october_half_term(self.from_this_year)


@dataclass(frozen=True)
class Overdue:
    """One deadline past: what kind, for which school, due when, what was due, and where to act."""

    kind: str
    school: School
    due: date
    what: str
    link: str


def _plan_link(school: School) -> str:
    return reverse("support:plan", args=[school.urn])


def _late_plans(now: Today):
    return (
        ActionPlan.objects.filter(academic_year=now.year, due_by__lt=now.day)
        .exclude(status=ActionPlan.Status.AGREED)
        .select_related("school")
    )


def _late_plan(plan: ActionPlan) -> Overdue:
    return Overdue(
        STATEMENT if plan.kind == ActionPlan.Kind.STATEMENT_OF_ACTION else PLAN,
        plan.school,
        plan.due_by,
        f"{plan.get_kind_display()} {plan.get_status_display().lower()}, not agreed",
        _plan_link(plan.school),
    )


def _missing_plans(now: Today):
    """This year's priority schools with no plan once the plan they should have had was due (``due``)."""
    today, year = now.day, now.year
    carried = Q(Exists(ActionPlan.objects.filter(school=OuterRef("school"), academic_year=year - 1)))
    return (
        PriorityEntry.objects.filter(academic_year=year, status=PriorityEntry.Status.ON_LIST)
        .exclude(Exists(ActionPlan.objects.filter(school=OuterRef("school"), academic_year=year)))
        .annotate(since=Coalesce("added_on", "proposed_on"))
        .annotate(
            due=support.missing_plan_due(year, since="since", carried=carried, today=today, terms=now.from_this_year)
        )
        .filter(due__lt=today)
        .select_related("school")
    )


def _missing_plan(entry: PriorityEntry) -> Overdue:
    return Overdue(PLAN, entry.school, entry.due, "No plan started", _plan_link(entry.school))


def plans(now: Today) -> list[Overdue]:
    """Plans not agreed by their due date, and priority schools with no plan once it was due."""
    return [_late_plan(plan) for plan in _late_plans(now)] + [_missing_plan(e) for e in _missing_plans(now)]


def first_plans(now: Today, first: int) -> tuple[list[Overdue], dict[str, int]]:
    """``plans``' first ``first`` of each kind and state (a plan's kind and status say what is overdue,
    and the officer's queue lists them by that) and how many there are of each kind, in two queries."""
    late = _first_rows(
        _late_plans(now), first, ("due_by", "school__name", "pk"), rank_by=("kind", "status"), count_by=("kind",)
    )
    missing = _first_rows(_missing_plans(now), first, ("due", "school__name", "pk"))
    late_items = [_late_plan(plan) for plan in late]
    # Every plan of a kind carries the same count: its kind's.
    counts = {item.kind: plan.overdue_total for item, plan in zip(late_items, late, strict=True)}
    if missing:
        counts[PLAN] = counts.get(PLAN, 0) + missing[0].overdue_total
    return late_items + [_missing_plan(e) for e in missing], counts


def priority_list(now: Today) -> list[Overdue]:
    """Schools still proposed for the list after October half-term, when it is to be agreed."""
    october = now.october_half_term
    if now.day <= october:
        return []
    proposed = PriorityEntry.objects.filter(
        academic_year=now.year, status=PriorityEntry.Status.PROPOSED
    ).select_related("school")
    link = reverse("boards:list")
    return [Overdue(LIST, e.school, october, "Proposed for the list, not yet agreed", link) for e in proposed]


def _unsent(now: Today):
    """Maintained schools of the remit sent neither annual letter this year, by name."""
    sent = Letter.objects.filter(
        school=OuterRef("pk"),
        academic_year=now.year,
        kind__in=[LetterKind.PRIORITY, LetterKind.NOT_PRIORITY],
        sent_on__isnull=False,
    )
    # Each school's name and URN are all the list shows: a national register has thousands unsent.
    return School.objects.filter(maintained_in_remit()).exclude(Exists(sent)).only("urn", "name").order_by("name")


LETTER_WHAT = "No letter sent saying whether the school is a priority for support"


def letters(now: Today) -> list[Overdue]:
    """Maintained schools sent no letter saying whether they are a priority, after October half-term."""
    october = now.october_half_term
    if now.day <= october:
        return []
    link = reverse("boards:letters")
    return [Overdue(LETTER, school, october, LETTER_WHAT, link) for school in _unsent(now)]


# Whether a school was sent its letter changes only when a letter is sent, changed or deleted
# (``boards.apps`` starts a new generation then) or the register changes (an import).
LETTERS_GENERATION = "boards:letters-generation"


def forget_letters() -> None:
    cache.set(LETTERS_GENERATION, uuid.uuid4().hex, None)


def first_letters(now: Today, first: int) -> tuple[list[Overdue], dict[str, int]]:
    """``letters``' first ``first`` items and how many there are, in one query (a window count): before
    the letters go out, every maintained school of the remit is on it, so the count and the first
    schools' ids are kept per authority, day, register and letters' generation for
    ``CHOICES_CACHE_SECONDS``, and only the schools shown are read."""
    october = now.october_half_term
    if now.day <= october:
        return [], {}
    link = reverse("boards:letters")
    seconds = settings.CHOICES_CACHE_SECONDS
    key = (
        f"boards:letters-overdue:1:{remit_key()}:{now.day.isoformat()}:"
        f"{register_generation()}:{cache.get(LETTERS_GENERATION)}"
    )
    held = cache.get(key) if seconds else None
    if held is None:
        rows = list(_unsent(now).annotate(overdue_total=Window(Count("pk")))[:first])
        if seconds:
            cache.set(key, ([row.pk for row in rows], rows[0].overdue_total if rows else 0), seconds)
        return [Overdue(LETTER, school, october, LETTER_WHAT, link) for school in rows], _count(
            LETTER, rows[0].overdue_total if rows else 0
        )
    ids, total = held
    shown = School.objects.only("urn", "name").in_bulk(ids[:first])
    found = [Overdue(LETTER, shown[pk], october, LETTER_WHAT, link) for pk in ids[:first] if pk in shown]
    return found, _count(LETTER, total)


def _count(kind: str, total: int) -> dict[str, int]:
    return {kind: total} if total else {}


def new_head_visits(now: Today) -> list[Overdue]:
    """New headteachers (in the last year) not visited by the end of their first half-term."""
    found = []
    for head in support.new_heads_without_visit(now.day).select_related("school"):
        due = support_deadlines.first_half_term_ends(head.starts_on, now.terms)
        if due < now.day:
            what = (
                f"A new headteacher of {head.school.name} was noted from intelligence on {head.starts_on:%-d %B %Y}"
                if head.from_intelligence
                else f"{head.name} started on {head.starts_on:%-d %B %Y}"
            ) + ": no visit held since"
            found.append(Overdue(NEW_HEAD, head.school, due, what, reverse("support:support", args=[head.school.urn])))
    return found


def warning_notices(now: Today) -> list[Overdue]:
    """Issued warning notices not complied with by their compliance deadline."""
    late = WarningNotice.objects.filter(
        status=WarningNotice.Status.ISSUED, compliance_deadline__lt=now.day
    ).select_related("school")
    return [
        Overdue(NOTICE, n.school, n.compliance_deadline, "Not complied with", reverse("boards:notice", args=[n.pk]))
        for n in late
    ]


def ri_to_good(now: Today) -> list[Overdue]:
    """Schools that require improvement past their four terms to meet the criteria for Good."""
    link = reverse("support:ri-to-good")
    overdue = support.ri_to_good_overdue(now.day)
    return [Overdue(RI_TO_GOOD, school, due, RI_TO_GOOD_WHAT, link) for school, due in overdue]


RI_TO_GOOD_WHAT = "Not yet meeting the criteria for Good four terms after the judgement"


def first_ri_to_good(now: Today, first: int) -> tuple[list[Overdue], dict[str, int]]:
    """``ri_to_good``'s first ``first`` items and how many there are (``support.first_ri_to_good_overdue``)."""
    link = reverse("support:ri-to-good")
    found, total = support.first_ri_to_good_overdue(now.day, first)
    return [Overdue(RI_TO_GOOD, school, due, RI_TO_GOOD_WHAT, link) for school, due in found], _count(RI_TO_GOOD, total)


PARTNER_WHAT = "No named priority partner"
# By the school's name, nulls first (a name is never null, so the order is the same): an order the index on
# the schools' names cannot give, so the database starts from this year's few entries instead of walking
# every school of the register by name to find them.
BY_NAME = F("school__name").asc(nulls_first=True)


def _partner(school: School, october: date) -> Overdue:
    return Overdue(PARTNER, school, october, PARTNER_WHAT, reverse("support:partners") + "#priority-without-partner")


def _unnamed(now: Today):
    """This year's listed schools' entries with no named priority partner: from this year's few
    entries, not from the register's schools (a join from the schools reads every one)."""
    return (
        PriorityEntry.objects.filter(academic_year=now.year, status=PriorityEntry.Status.ON_LIST)
        .exclude(support.has_named_partner("school"))
        .select_related("school")
        .only("school__urn", "school__name")
    )


def partners(now: Today) -> list[Overdue]:
    """Schools on the list with no named priority partner after October half-term, when the list is
    agreed and "each school on the priority list will be allocated an individual priority partner"."""
    october = now.october_half_term
    if now.day <= october:
        return []
    return [_partner(entry.school, october) for entry in _unnamed(now)]


def first_partners(now: Today, first: int) -> tuple[list[Overdue], dict[str, int]]:
    """``partners``' first ``first`` (by name: they are all due by October half-term) and how many, in one query."""
    october = now.october_half_term
    if now.day <= october:
        return [], {}
    found = _first_rows(_unnamed(now), first, (BY_NAME, "school_id"))
    return _first_of_kind(PARTNER, [(_partner(entry.school, october), entry) for entry in found])


def _awaiting_visit(entry: PriorityEntry, october: date) -> Overdue:
    return Overdue(
        VISIT_AND_AGREE,
        entry.school,
        october,
        "Newly vulnerable: no visit to the headteacher to agree",
        reverse("boards:vulnerability-visit", args=[entry.school.urn]),
    )


def vulnerability_visits(now: Today) -> list[Overdue]:
    """Newly vulnerable schools whose head has not been visited "to agree whether or not the school is
    a priority for support" by October half-term, when the list is agreed."""
    october = now.october_half_term
    if now.day <= october:
        return []
    return [_awaiting_visit(e, october) for e in annual_selectors.awaiting_visit(now.year)]


def first_vulnerability_visits(now: Today, first: int) -> tuple[list[Overdue], dict[str, int]]:
    """``vulnerability_visits``' first ``first`` (by name) and how many, in one query."""
    october = now.october_half_term
    if now.day <= october:
        return [], {}
    entries = annual_selectors.awaiting_visit_entries(now.year).select_related("school")
    found = _first_rows(entries, first, ("school__name", "pk"))
    return _first_of_kind(VISIT_AND_AGREE, [(_awaiting_visit(e, october), e) for e in found])


def _unvisited(now: Today):
    """This year's listed schools their priority partner has not visited, each with ``due``: by October
    half-term for a school listed by then (or with no date), else by the end of the half-term after
    the one it joined in (``support.deadlines.end_of_next_half_term``, as a database expression)."""
    october = now.october_half_term
    start, end = year_span(now.year)
    held = Visit.objects.filter(school=OuterRef("school"), status=Visit.Status.HELD, held_on__range=(start, end))
    terms = now.from_this_year
    whens = [When(Q(since__isnull=True) | Q(since__lte=october), then=Value(october))]
    whens += [When(since__lt=term.starts, then=Value(term.ends)) for term in terms]
    return (
        PriorityEntry.objects.filter(academic_year=now.year, status=PriorityEntry.Status.ON_LIST)
        .exclude(Exists(held))
        .annotate(since=Coalesce("added_on", "proposed_on"))
        .annotate(due=Case(*whens, default=Value(None), output_field=DateField()))
        .filter(due__lt=now.day)
        .select_related("school")
    )


def _first_visit(entry: PriorityEntry) -> Overdue:
    link = reverse("support:support", args=[entry.school.urn])
    return Overdue(FIRST_VISIT, entry.school, entry.due, "No visit from the priority partner this year", link)


def first_visits(now: Today) -> list[Overdue]:
    """Schools on the list their priority partner has not visited this year ("The Priority Partner will
    visit all schools identified as a priority to meet with the Head Teacher"): due by October
    half-term for a school listed by then, else by the end of the half-term after it joined."""
    return [_first_visit(entry) for entry in _unvisited(now)]


def first_first_visits(now: Today, first: int) -> tuple[list[Overdue], dict[str, int]]:
    """``first_visits``' first ``first`` (longest overdue first, then by name) and how many, in one query."""
    found = _first_rows(_unvisited(now), first, ("due", "school__name", "pk"))
    return _first_of_kind(FIRST_VISIT, [(_first_visit(e), e) for e in found])


def _first_rows(queryset, first: int, order_by: tuple, *, rank_by=(), count_by=()) -> list:
    """The first ``first`` rows of ``queryset`` in ``order_by`` (of each group of the ``rank_by`` fields'
    values), each with ``overdue_total``: how many rows there are in all (in its group of the ``count_by``
    fields' values), in one query: the database counts and sorts, and only the rows shown come back."""
    total = Window(Count("pk"), partition_by=[F(name) for name in count_by] or None)
    if not rank_by:
        return list(queryset.annotate(overdue_total=total).order_by(*order_by)[:first])
    rank = Window(RowNumber(), partition_by=[F(name) for name in rank_by], order_by=list(order_by))
    return list(
        queryset.annotate(overdue_rank=rank, overdue_total=total).filter(overdue_rank__lte=first).order_by(*order_by)
    )


def _first_of_kind(kind: str, found: list[tuple[Overdue, object]]) -> tuple[list[Overdue], dict[str, int]]:
    """The items of one kind and their count (every row carries it: ``_first_rows``)."""
    return [item for item, _ in found], ({kind: found[0][1].overdue_total} if found else {})


SOURCES: list[Callable[[Today], list[Overdue]]] = [
    plans,
    priority_list,
    letters,
    new_head_visits,
    warning_notices,
    ri_to_good,
    partners,
    vulnerability_visits,
    first_visits,
]
# The queries the home page's list makes (``first_overdue``), whatever the number of schools: the
# calendar, one a source, and the extra ones of plans (those missing: 1) and RI to Good (its later
# inspections, reviews, calendar, and the schools of its cases if it has any: 4).
QUERIES = 1 + len(SOURCES) + 1 + 4


def overdue(today: date | None = None, now: Today | None = None) -> list[Overdue]:
    """Every deadline past on ``today`` (or on the day ``now`` has read already), longest overdue first."""
    now = now or Today.of(today or timezone.localdate())
    found = [item for source in SOURCES for item in source(now)]
    return sorted(found, key=_order)


def _order(item: Overdue) -> tuple:
    return (item.due, item.kind, item.school.name)


# The sources whose items grow with the register (every maintained school before the annual letters go
# out; every school that requires improvement) or with this year's priority list (its plans, partners
# and visits), read for a page as their first rows and a count of each kind: ``first_overdue``.
FIRST_OF: dict[Callable[[Today], list[Overdue]], Callable[[Today, int], tuple[list[Overdue], dict[str, int]]]] = {
    plans: first_plans,
    letters: first_letters,
    ri_to_good: first_ri_to_good,
    partners: first_partners,
    vulnerability_visits: first_vulnerability_visits,
    first_visits: first_first_visits,
}


@dataclass(frozen=True)
class Found:
    """The deadlines past, for a page: every item of most kinds, the first of those in ``FIRST_OF``,
    and how many of each kind there are in all."""

    items: list[Overdue]
    counts: dict[str, int]


def first_overdue(now: Today, first: int) -> Found:
    """``overdue``, with at least the first ``first`` items of each kind (longest overdue first) and
    every kind's count, in the same queries: what the officer's home page shows."""
    items: list[Overdue] = []
    counts: dict[str, int] = {}
    for source in SOURCES:
        if source in FIRST_OF:
            found, of_kinds = FIRST_OF[source](now, first)
            for kind, total in of_kinds.items():
                counts[kind] = counts.get(kind, 0) + total
        else:
            found = source(now)
            for item in found:
                counts[item.kind] = counts.get(item.kind, 0) + 1
        items += found
    return Found(sorted(items, key=_order), counts)


# Where the whole list of a kind is, for a page that shows its first few: the kinds with a page of their own.
SEE_ALL = {
    LETTER: ("boards:letters", ""),
    RI_TO_GOOD: ("support:ri-to-good", ""),
    PARTNER: ("boards:list", "?partner=none"),
    VISIT_AND_AGREE: ("boards:vulnerability-visits", ""),
}


@dataclass(frozen=True)
class OverdueKind:
    kind: str
    items: list[Overdue]
    count: int

    @property
    def see_all(self) -> str:
        """The page listing every item of the kind ("" where there is none)."""
        if self.kind not in SEE_ALL:
            return ""
        name, query = SEE_ALL[self.kind]
        return reverse(name) + query


def by_kind(items: list[Overdue], counts: dict[str, int] | None = None) -> list[OverdueKind]:
    """The items grouped by kind, in the order kinds first appear (the longest overdue first), each with
    its count (``counts``'s, where the items are the first of more)."""
    groups: dict[str, list[Overdue]] = {}
    for item in items:
        groups.setdefault(item.kind, []).append(item)
    counts = counts or {}
    return [OverdueKind(kind, found, counts.get(kind, len(found))) for kind, found in groups.items()]
