"""Generate the national data set: ``generate(schools=22000, years=10, seed=1)``.

It replaces the register and everything about schools (inspections, performance, categories,
the priority list, support, the board's records, notes) and the people it generated before, with
``schools`` schools and ``years`` academic years of their history as they stood on ``as_of``.
The same seed, size and date always give the same rows: every draw comes from a random
generator seeded for its part, and every date from ``as_of``.

What stays: the frameworks, the letter templates and the schedules (from data migrations), the
import runs, the monthly reports and every person not generated here.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.authorities import current_authority
from accounts.models import SchoolAssignment
from boards.models import (
    Attendance,
    BoardMeeting,
    ConcernAction,
    ConcernMeeting,
    Decision,
    PriorityEntry,
    WarningNotice,
)
from categorisation import selectors as categorisation
from categorisation.models import CategoryDecision, SchoolCategory
from core.calendar import academic_year_of
from national import cases, inspections, people, performance, register
from national.draws import rng_for, stamp_of
from national.writing import Writer, empty
from schools.models import (
    GroupMembership,
    Inspection,
    IntelligenceNote,
    LocalAuthority,
    NationalFigure,
    PerformanceMeasure,
    School,
    SchoolGroup,
)
from support.models import (
    Action,
    ActionPlan,
    Allocation,
    EntitlementAdjustment,
    Meeting,
    MeetingAction,
    PartnerOrganisation,
    PartnerProfile,
    Priority,
    SupportPackage,
    Visit,
)

AS_OF = date(2026, 11, 20)

# Every table the generator writes (emptied first, with the tables that point at them).
FILLED = [
    LocalAuthority,
    SchoolGroup,
    School,
    SchoolAssignment,
    GroupMembership,
    Inspection,
    PerformanceMeasure,
    NationalFigure,
    IntelligenceNote,
    CategoryDecision,
    SchoolCategory,
    PartnerOrganisation,
    PartnerProfile,
    BoardMeeting,
    Attendance,
    PriorityEntry,
    Decision,
    WarningNotice,
    ConcernMeeting,
    ConcernAction,
    SupportPackage,
    EntitlementAdjustment,
    Allocation,
    Visit,
    ActionPlan,
    Priority,
    Action,
    Meeting,
    MeetingAction,
]


@dataclass(frozen=True)
class Counts:
    """Rows written, by table (``app.Model``), and the seconds it took."""

    rows: dict[str, int]
    seconds: float = 0.0

    def __getitem__(self, label: str) -> int:
        return self.rows.get(label, 0)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class Window:
    """The years the data set covers, all from ``as_of``."""

    as_of: date
    years: int

    @property
    def current_year(self) -> int:
        return academic_year_of(self.as_of)

    @property
    def start(self) -> date:
        """The first day of the first academic year with case work and inspections."""
        return date(self.current_year - self.years, 9, 1)

    @property
    def measure_years(self) -> range:
        """The academic years with performance tables: the latest published (the year before last
        by ``as_of``'s autumn) and the ``years - 1`` before it."""
        last = self.current_year - 2
        return range(last - self.years + 1, last + 1)


def generate(
    *,
    schools: int,
    years: int,
    seed: int,
    as_of: date = AS_OF,
    password: str | None = None,
    measures: Iterable[str] | None = None,
) -> Counts:
    """Replace the data set with ``schools`` schools and ``years`` years of their history.

    ``measures`` limits the performance measures to those codes (all that the distributions
    describe when not given). Everything is written in one transaction: a failure leaves the
    database as it was.
    """
    if schools < 1 or years < 1:
        raise ValueError("Generate at least one school and one year")
    started = time.perf_counter()
    window = Window(as_of, years)
    stamp = stamp_of(as_of)
    writer = Writer(stamp)
    version = categorisation.active_version()
    terms = [
        cases.CategoryTerms(
            c.code,
            c.pk,
            c.adviser_days,
            c.teaching_adviser_days,
            Decimal(c.progress_meetings_per_year),
            c.brokered_support,
        )
        for c in version.categories.order_by("rank")
    ]
    with transaction.atomic():
        empty(FILLED)
        people.delete_generated()

        made = register.plan(
            rng_for(seed, "register"), count=schools, years=years, as_of=as_of, window_start=window.start
        )
        writer.rows(LocalAuthority, made.authorities)
        # The data set is the case work of the authority it is made in, over every generated LA.
        authority = current_authority()
        authority.la_codes, authority.academies = sorted(row["code"] for row in made.authorities), True
        authority.save(update_fields=["la_codes", "academies"])
        writer.rows(SchoolGroup, made.groups)
        held = inspections.generate(rng_for(seed, "inspections"), made.schools, window_start=window.start, as_of=as_of)
        for row in made.school_rows:
            latest = held.latest.get(row["id"])
            if latest is not None:
                row["latest_inspection_id"], row["ofsted_outcome"], row["ofsted_outcome_date"] = latest
        writer.rows(School, made.school_rows)
        writer.rows(GroupMembership, made.memberships)
        writer.rows(Inspection, held.rows)
        performance.generate(rng_for(seed, "performance"), writer, made.schools, window.measure_years, measures)

        pool = cases.supported_pool(rng_for(seed, "pool"), made.schools, size=cases.pool_size(schools))
        who = people.create(
            rng_for(seed, "people"),
            writer,
            made,
            supported=pool,
            as_of=as_of,
            window_start=window.start,
            stamp=stamp,
            password=people.password_hash(password, seed),
        )
        book = cases.Casebook(
            writer=writer,
            people=who,
            schools=made.schools,
            inspections=held,
            as_of=as_of,
            first_year=window.start.year,
            current_year=window.current_year,
            framework=version.framework_id,
            version=version.pk,
            categories=terms,
        )
        cases.category_decisions(rng_for(seed, "categories"), book, window.start)
        cases.board_meetings(rng_for(seed, "board"), book)
        cases.priority_lists(rng_for(seed, "cases"), book, pool)
        cases.notes(rng_for(seed, "notes"), book)
        writer.rows(SchoolAssignment, ({"id": n, **row} for n, row in enumerate(who.assignments, start=1)))
        writer.reset_sequences()
    writer.analyse()
    return Counts(dict(sorted(writer.counts.items())), time.perf_counter() - started)
