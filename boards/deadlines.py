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
from django.db.models import Count, Exists, OuterRef, Q, Window
from django.db.models.functions import Coalesce
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


def plans(now: Today) -> list[Overdue]:
    """Plans not agreed by their due date, and priority schools with no plan once it was due."""
    today, year = now.day, now.year
    late = (
        ActionPlan.objects.filter(academic_year=year, due_by__lt=today)
        .exclude(status=ActionPlan.Status.AGREED)
        .select_related("school")
    )
    found = [
        Overdue(
            STATEMENT if plan.kind == ActionPlan.Kind.STATEMENT_OF_ACTION else PLAN,
            plan.school,
            plan.due_by,
            f"{plan.get_kind_display()} {plan.get_status_display().lower()}, not agreed",
            _plan_link(plan.school),
        )
        for plan in late
    ]
    carried = Q(Exists(ActionPlan.objects.filter(school=OuterRef("school"), academic_year=year - 1)))
    missing = (
        PriorityEntry.objects.filter(academic_year=year, status=PriorityEntry.Status.ON_LIST)
        .exclude(Exists(ActionPlan.objects.filter(school=OuterRef("school"), academic_year=year)))
        .annotate(since=Coalesce("added_on", "proposed_on"))
        .annotate(
            due=support.missing_plan_due(year, since="since", carried=carried, today=today, terms=now.from_this_year)
        )
        .filter(due__lt=today)
        .select_related("school")
    )
    found += [Overdue(PLAN, e.school, e.due, "No plan started", _plan_link(e.school)) for e in missing]
    return found


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


def first_letters(now: Today, first: int) -> tuple[list[Overdue], int]:
    """``letters``' first ``first`` items and how many there are, in one query (a window count): before
    the letters go out, every maintained school of the remit is on it, so the count and the first
    schools' ids are kept per authority, day, register and letters' generation for
    ``CHOICES_CACHE_SECONDS``, and only the schools shown are read."""
    october = now.october_half_term
    if now.day <= october:
        return [], 0
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
        return [Overdue(LETTER, school, october, LETTER_WHAT, link) for school in rows], (
            rows[0].overdue_total if rows else 0
        )
    ids, total = held
    shown = School.objects.only("urn", "name").in_bulk(ids[:first])
    return [Overdue(LETTER, shown[pk], october, LETTER_WHAT, link) for pk in ids[:first] if pk in shown], total


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


def first_ri_to_good(now: Today, first: int) -> tuple[list[Overdue], int]:
    """``ri_to_good``'s first ``first`` items and how many there are (``support.first_ri_to_good_overdue``)."""
    link = reverse("support:ri-to-good")
    found, total = support.first_ri_to_good_overdue(now.day, first)
    return [Overdue(RI_TO_GOOD, school, due, RI_TO_GOOD_WHAT, link) for school, due in found], total


def partners(now: Today) -> list[Overdue]:
    """Schools on the list with no named priority partner after October half-term, when the list is
    agreed and "each school on the priority list will be allocated an individual priority partner"."""
    october = now.october_half_term
    if now.day <= october:
        return []
    link = reverse("support:partners") + "#priority-without-partner"
    unnamed = support.priority_schools_without_partner(now.year).schools
    return [Overdue(PARTNER, school, october, "No named priority partner", link) for school in unnamed]


def vulnerability_visits(now: Today) -> list[Overdue]:
    """Newly vulnerable schools whose head has not been visited "to agree whether or not the school is
    a priority for support" by October half-term, when the list is agreed."""
    october = now.october_half_term
    if now.day <= october:
        return []
    return [
        Overdue(
            VISIT_AND_AGREE,
            e.school,
            october,
            "Newly vulnerable: no visit to the headteacher to agree",
            reverse("boards:vulnerability-visit", args=[e.school.urn]),
        )
        for e in annual_selectors.awaiting_visit(now.year)
    ]


def first_visits(now: Today) -> list[Overdue]:
    """Schools on the list their priority partner has not visited this year ("The Priority Partner will
    visit all schools identified as a priority to meet with the Head Teacher"): due by October
    half-term for a school listed by then, else by the end of the half-term after it joined."""
    october = now.october_half_term
    start, end = year_span(now.year)
    held = Visit.objects.filter(school=OuterRef("school"), status=Visit.Status.HELD, held_on__range=(start, end))
    entries = (
        PriorityEntry.objects.filter(academic_year=now.year, status=PriorityEntry.Status.ON_LIST)
        .exclude(Exists(held))
        .annotate(since=Coalesce("added_on", "proposed_on"))
        .select_related("school")
    )
    found = []
    for entry in entries:
        joined = entry.since or october
        due = october if joined <= october else support_deadlines.end_of_next_half_term(joined, now.from_this_year)
        if due < now.day:
            link = reverse("support:support", args=[entry.school.urn])
            found.append(Overdue(FIRST_VISIT, entry.school, due, "No visit from the priority partner this year", link))
    return found


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
# The queries the list makes, whatever the number of schools: the calendar, one a source, and the
# extra ones of plans (1), RI to Good (its later inspections, reviews, calendar, and the schools of
# its cases if it has any: 4), named partners (the count: 1) and visit and agree (last year's entries
# and this year's visits: 2).
QUERIES = 1 + len(SOURCES) + 1 + 4 + 1 + 2


def overdue(today: date | None = None, now: Today | None = None) -> list[Overdue]:
    """Every deadline past on ``today`` (or on the day ``now`` has read already), longest overdue first."""
    now = now or Today.of(today or timezone.localdate())
    found = [item for source in SOURCES for item in source(now)]
    return sorted(found, key=_order)


def _order(item: Overdue) -> tuple:
    return (item.due, item.kind, item.school.name)


# The sources whose items grow with the register (every maintained school before the annual letters go
# out; every school that requires improvement), read for a page as their first rows and a count:
# ``first_overdue``.
FIRST_OF: dict[Callable[[Today], list[Overdue]], Callable[[Today, int], tuple[list[Overdue], int]]] = {
    letters: first_letters,
    ri_to_good: first_ri_to_good,
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
            found, total = FIRST_OF[source](now, first)
            if found:
                counts[found[0].kind] = counts.get(found[0].kind, 0) + total
        else:
            found = source(now)
            for item in found:
                counts[item.kind] = counts.get(item.kind, 0) + 1
        items += found
    return Found(sorted(items, key=_order), counts)


@dataclass(frozen=True)
class OverdueKind:
    kind: str
    items: list[Overdue]
    count: int


def by_kind(items: list[Overdue], counts: dict[str, int] | None = None) -> list[OverdueKind]:
    """The items grouped by kind, in the order kinds first appear (the longest overdue first), each with
    its count (``counts``'s, where the items are the first of more)."""
    groups: dict[str, list[Overdue]] = {}
    for item in items:
        groups.setdefault(item.kind, []).append(item)
    counts = counts or {}
    return [OverdueKind(kind, found, counts.get(kind, len(found))) for kind, found in groups.items()]
