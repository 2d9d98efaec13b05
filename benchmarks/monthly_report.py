"""Benchmark: build the monthly commissioner report for England through the real reporting service.

What it measures
----------------
A PostgreSQL database (``DATABASE_URL``, by default a ``schoolimprovement_bench_report`` database
on 127.0.0.1, created if missing and migrated, which loads the three built-in frameworks with the
tiered one active) is filled, deterministically from ``--seed``, with ten years of case data as it
stood on 20 November 2026 for ``--schools`` schools (22,000 by default, about the open state
schools of England) in 150 local authorities:

* the register: about 75% primary, 15% secondary, the rest special, nursery and all-through; most
  of them maintained (type group "Local authority maintained schools", or "Special schools"), the
  others academies; pupils on roll; a few opened since 2016 and a few closed;
* Ofsted inspections about every four years from 2016 (every two after a grade of 3 or 4), in the
  shape of their date: graded (overall 1–4, with key judgements) or ungraded before September
  2024, key judgements only from September 2024, report cards from 10 November 2025;
* ten academic years (2015/16 to 2024/25) of key stage 2 expected progress in reading, writing and
  maths for primary schools, Progress 8 for secondary schools, and a few measures the report does
  not read (so that it has to pick its own out of a realistic table), with national figures;
* several category decisions per school since 2018 on the active framework's categories;
* a priority list in every academic year since 2016/17, drawn from about 2,000 schools (scaled
  with ``--schools``), as the board keeps it: agreed in October, carried forward at the year-end
  review, schools added and removed in year, with the board's decisions; a support package for
  each school on the list with its allocations to partners, adjustments, visits held, an action
  plan with actions and deadlines, and progress meetings with their actions;
* warning notices, and monthly schools-causing-concern meetings with their actions.

The rows are written with ``COPY`` (ids included) and generating is not timed. For the month
``--period`` (October 2026 by default) the script then times, with ``time.perf_counter``, and
counts the queries of, with Django's ``CaptureQueriesContext``:

1. **inputs**: ``reporting.selectors.inputs(period)``, every row the figures are computed from;
2. **figures**: ``reporting.content.build(period, inputs)``, the report as data;
3. **PDF**: ``reporting.outputs.pdf(report)`` of an unsaved ``MonthlyReport`` holding that content;
4. **XLSX**: ``reporting.outputs.xlsx(report)`` of the same;
5. **whole report**: ``reporting.services.generate(period, trigger="on_demand")`` with no report
   held for the month (its rows are deleted first), which builds, renders and saves version 1;
   it is split into inputs, figures, PDF, XLSX and the rest (hashing, the files, the row) by
   wrapping those four functions with timers for the run;
6. **no-change re-run**: ``generate`` again straight after, which must find the content unchanged
   and make no new version (the script asserts it, and that ``generate`` built the same content
   hash as step 2).

Each figure is the median of ``--repeat`` rounds, after one untimed round that warms the server's
cache, the templates and WeasyPrint's fonts (its times are printed as the cold start of a worker).
Beside the wall clock, each stage's CPU seconds in this process (``time.process_time``) are
printed: on a machine shared with other work the wall clock includes the time lost to other
processes and the CPU seconds do not — nor do they include PostgreSQL's own work.
``--schools`` takes several sizes (``--schools 5500 22000``): the data is generated and measured
for each, and the query counts are compared — the acceptance of issue 7 is a whole report in 10 s
or less at 22,000 schools, in a number of queries that does not grow with the number of schools.

Run it from the repository root::

    .venv/bin/python benchmarks/monthly_report.py [--schools 22000 ...] [--period 2026-10]
        [--seed 1] [--repeat 3] [--profile] [--keep]

Django's per-query logging (``DEBUG=True`` in the demo settings) is switched off for the
benchmark, as it is in production; the reports' files go to a temporary ``MEDIA_ROOT``. The
script empties the schools, categorisation decisions, boards, support and reporting tables of its
database: do not point it at a database whose data you want to keep.
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import io
import os
import platform
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_register import ensure_database, git_commit, server_version, setup_django

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/schoolimprovement_bench_report"
DEFAULT_PERIOD = date(2026, 10, 1)
AS_OF = date(2026, 11, 20)  # the day the generated data stands at: the report is built after its month
STAMP = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)  # created_at / updated_at of every generated row
GOAL_SECONDS = 10.0
LOCAL_AUTHORITIES = 150
FIRST_URN = 100_000
FIRST_INSPECTION_NUMBER = 10_000_000
INSPECTIONS_FROM = date(2016, 1, 4)
# Routine inspections were suspended; those due were done in the catch-up to the summer of 2025.
COVID_PAUSE = (date(2020, 3, 17), date(2021, 9, 1))
CATCH_UP_END = date(2025, 7, 18)
NO_OVERALL_GRADE_FROM = date(2024, 9, 1)
REPORT_CARDS_FROM = date(2025, 11, 10)
MEASURE_YEARS = range(2015, 2025)  # ten academic years, 2015/16 to 2024/25
DECISIONS_FROM = date(2018, 9, 3)
FIRST_LIST_YEAR = 2016
SUPPORTED_PER_22000 = 2000  # schools ever on the priority list
LIST_SHARE = 0.36  # of those on the list in a year
CARRY_SHARE = 0.55
REMOVED_SHARE = 0.12
IN_YEAR_SHARE = 0.10
NOTICES_PER_SCHOOL_YEAR = 0.0015
CONCERN_ACTIONS_PER_22000 = 10
BENCH_USER = "report-benchmark@example.invalid"
PARTNER_EMAIL = "report-benchmark-partner-{}@example.invalid"
MAINTAINED = "Local authority maintained schools"

# phase: (share of schools, GIAS phase code, phase name, ages, share maintained, maintained types, academy types)
PHASES: dict[str, tuple[float, str, str, tuple[int, int], float, list[str], list[str]]] = {
    "Primary": (
        0.75,
        "2",
        "Primary",
        (4, 11),
        0.85,
        ["Community school", "Voluntary aided school", "Voluntary controlled school", "Foundation school"],
        ["Academy converter", "Academy sponsor led"],
    ),
    "Secondary": (
        0.15,
        "4",
        "Secondary",
        (11, 18),
        0.70,
        ["Community school", "Voluntary aided school", "Foundation school"],
        ["Academy converter", "Academy sponsor led", "Free schools"],
    ),
    "Special": (
        0.05,
        "0",
        "Not applicable",
        (2, 19),
        0.85,
        ["Community special school"],
        ["Academy special converter"],
    ),
    "Nursery": (0.025, "1", "Nursery", (2, 5), 1.0, ["Local authority nursery school"], []),
    "All-through": (0.025, "7", "All-through", (4, 18), 0.60, ["Community school"], ["Academy converter"]),
}
ROLL = {"Primary": (290, 120), "Secondary": (1000, 350), "Special": (120, 60), "Nursery": (90, 40)}
ROLL_DEFAULT = (900, 400)

# code: (mean, standard deviation, decimals, lowest, highest, higher is better, phases published for)
MEASURES: dict[str, tuple[float, float, int, float, float, bool, set[str]]] = {
    # read by the report (the floor standards)
    "ks2_read_progress_pct": (91, 6, 0, 0, 100, True, {"Primary"}),
    "ks2_write_progress_pct": (94, 5, 0, 0, 100, True, {"Primary"}),
    "ks2_maths_progress_pct": (90, 6, 0, 0, 100, True, {"Primary"}),
    "ks4_p8": (0.0, 0.5, 2, -3, 3, True, {"Secondary"}),
    # not read by the report: there so that it has to pick its own out of a table that holds more
    "ks2_aps": (29.0, 1.8, 1, 15, 40, True, {"Primary"}),
    "ks4_att8": (46.5, 8, 1, 10, 85, True, {"Secondary"}),
    "abs_overall_pct": (4.7, 1.2, 1, 0, 30, False, set(PHASES)),
}
SUPPRESSED_SHARE = 0.02

UNGRADED_OUTCOMES = [
    "The school continues to be good",
    "Standards maintained",
    "Taking effective action",
    "Improved significantly",
]
JUDGEMENTS = ["quality_of_education", "behaviour_and_attitudes", "personal_development", "leadership_and_management"]
RC_AREAS = [
    "rc_inclusion",
    "rc_curriculum_and_teaching",
    "rc_achievement",
    "rc_attendance_and_behaviour",
    "rc_personal_development",
    "rc_leadership_and_governance",
]
REASONS = ["ofsted_concern", "ofsted_ri", "ofsted_ri", "vulnerable", "in_crisis", "self_referral"]

# The stages, as the table prints them.
STAGES = [
    ("inputs", "1. Load the inputs (selectors.inputs)"),
    ("figures", "2. Compute the figures (content.build)"),
    ("pdf", "3. The PDF (outputs.pdf)"),
    ("xlsx", "4. The XLSX (outputs.xlsx)"),
    ("generate", "5. Whole report (services.generate, fresh)"),
    ("rerun", "6. No-change re-run (services.generate)"),
]
GENERATE_PARTS = ["inputs", "figures", "pdf", "xlsx"]
LOADERS = [
    "maintained_schools",
    "graded_inspections",
    "published_inspections",
    "floor_figures_and_national",
    "list_changes",
    "list_sizes",
    "categories",
    "category_changes",
    "support_rows",
    "notices",
    "action_rows",
]


@dataclass(frozen=True)
class Stage:
    seconds: float  # wall clock
    queries: int
    cpu: float = 0.0  # this process's CPU time: PostgreSQL's work is not in it, nor time lost to other processes
    parts: dict[str, float] = field(default_factory=dict)  # for generate: seconds in each wrapped function


@dataclass
class Scale:
    """What was generated and measured at one number of schools."""

    schools: int
    counts: dict[str, int]
    cold: dict[str, Stage] = field(default_factory=dict)
    rounds: dict[str, list[Stage]] = field(default_factory=dict)
    loaders: dict[str, list[float]] = field(default_factory=dict)
    loader_queries: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)

    def median(self, key: str) -> Stage:
        """The round with the median time, so that its parts add up to the figure shown."""
        stages = sorted(self.rounds[key], key=lambda s: s.seconds)
        return stages[(len(stages) - 1) // 2]


# The data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchSchool:
    pk: int
    urn: int
    phase: str
    maintained: bool
    quality: float  # about N(0, 1); higher is a stronger school, used by every generator
    opened: date
    closed: date | None


def _rng(seed: int, part: str) -> random.Random:
    """A generator of its own for each part, so the parts do not shift one another."""
    return random.Random(f"{seed}:{part}")  # noqa: S311 - reproducible test data, not secrets


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


def _weekday(day: date) -> date:
    """The day, or the Monday after it when it falls at a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _at(day: date, rng: random.Random) -> datetime:
    """A moment in the working day of ``day``."""
    return datetime(day.year, day.month, day.day, rng.randint(8, 16), rng.randrange(60), tzinfo=UTC)


def _nth_weekday(year: int, month: int, weekday: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _marker(seed: int, schools: int) -> str:
    return f"monthly report benchmark: seed {seed}, {schools} schools, as of {AS_OF}"


class _Required:
    def __repr__(self) -> str:
        return "required"


REQUIRED = _Required()


def copy_rows(model, rows: Iterable[dict[str, Any]]) -> int:
    """``COPY`` rows (field attname → value, ids included) into ``model``'s table. A field left out
    takes its default, "" or NULL; ``auto_now`` fields take ``STAMP``. Returns the rows written."""
    from django.db import connection
    from psycopg.types.json import Jsonb

    fields = list(model._meta.concrete_fields)
    fill: list[Any] = []
    for f in fields:
        if f.primary_key:
            fill.append(REQUIRED)
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fill.append(STAMP)
        elif f.has_default():
            fill.append(f.get_default())
        elif f.null:
            fill.append(None)
        elif f.empty_strings_allowed:
            fill.append("")
        else:
            fill.append(REQUIRED)
    names = [f.attname for f in fields]
    json_at = {i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            values = [row.get(name, default) for name, default in zip(names, fill, strict=True)]
            for i, value in enumerate(values):
                if value is REQUIRED:
                    raise KeyError(f"{model.__name__}.{names[i]} is required")
                if i in json_at:
                    values[i] = Jsonb(value)
            copy.write_row(values)
            written += 1
    return written


def _models() -> list:
    from boards.models import ConcernAction, ConcernMeeting, Decision, PriorityEntry, WarningNotice
    from categorisation.models import CategoryDecision
    from reporting.models import MonthlyReport
    from schools.models import Inspection, LocalAuthority, NationalFigure, PerformanceMeasure, School
    from support.models import (
        Action,
        ActionPlan,
        Allocation,
        EntitlementAdjustment,
        Meeting,
        MeetingAction,
        Priority,
        SupportPackage,
        Visit,
    )

    return [
        LocalAuthority,
        School,
        Inspection,
        PerformanceMeasure,
        NationalFigure,
        CategoryDecision,
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
        MonthlyReport,
    ]


def empty_tables() -> None:
    """Truncate every table the data goes into (and, by CASCADE, whatever points at schools)."""
    from django.db import connection

    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in _models())
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def reset_sequences() -> None:
    """After ``COPY`` with explicit ids, point each table's id sequence past its rows."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), _models()):
            cursor.execute(statement)


def data_matches(seed: int, schools: int) -> bool:
    """Whether the database holds what ``generate`` would write for this seed and size."""
    from accounts.models import User
    from schools.models import School

    user = User.objects.filter(email=BENCH_USER).first()
    return user is not None and user.organisation == _marker(seed, schools) and School.objects.count() == schools


@dataclass
class Context:
    """What the generators share: the users, the active framework and the schools' categories."""

    officer: int
    partners: list[int]
    framework: int
    version: int
    category_ids: dict[str, int]  # code → Category id
    category_days: dict[str, tuple[Decimal, Decimal, Decimal, bool]]  # adviser, teaching, meetings, brokered
    timelines: dict[int, tuple[list[date], list[str]]] = field(default_factory=dict)  # school → days, codes

    def category_on(self, school: int, day: date) -> str | None:
        days, codes = self.timelines.get(school, ([], []))
        at = bisect.bisect_right(days, day)
        return codes[at - 1] if at else None


def generate(seed: int, schools: int) -> None:
    """Fill the emptied tables with ``schools`` schools and ten years of their case data, from ``seed``."""
    from accounts.models import User
    from categorisation.models import CategoryDecision
    from categorisation.selectors import active_version
    from schools.models import Inspection

    empty_tables()
    officer, _ = User.objects.get_or_create(
        email=BENCH_USER, defaults={"full_name": "Report benchmark officer", "role": "officer"}
    )
    officer.organisation = ""  # set last, so an interrupted run is never taken for a complete one
    officer.save(update_fields=["organisation"])
    partner_count = max(5, schools // 400)
    emails = [PARTNER_EMAIL.format(i) for i in range(partner_count)]
    users = [User(email=e, full_name=f"Partner {i}", role="partner") for i, e in enumerate(emails)]
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users, ignore_conflicts=True)
    partners = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    version = active_version()
    categories = list(version.categories.order_by("rank"))
    context = Context(
        officer=officer.pk,
        partners=[partners[e] for e in emails],
        framework=version.framework_id,
        version=version.pk,
        category_ids={c.code: c.pk for c in categories},
        category_days={
            c.code: (
                c.adviser_days,
                c.teaching_adviser_days,
                Decimal(c.progress_meetings_per_year),
                c.brokered_support,
            )
            for c in categories
        },
    )
    made = _schools(_rng(seed, "schools"), schools)
    copy_rows(Inspection, _inspections(_rng(seed, "inspections"), made))
    _measures(_rng(seed, "measures"), made)
    copy_rows(CategoryDecision, _category_decisions(_rng(seed, "categories"), made, context))
    _cases(_rng(seed, "cases"), made, context)
    reset_sequences()
    from django.db import connection

    with connection.cursor() as cursor:
        for model in _models():
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    officer.organisation = _marker(seed, schools)
    officer.save(update_fields=["organisation"])


def _schools(rng: random.Random, count: int) -> list[BenchSchool]:
    from schools.models import LocalAuthority, School

    copy_rows(
        LocalAuthority,
        (
            {"id": i + 1, "code": 201 + i, "name": f"Bench authority {201 + i}", "region_code": f"E1200000{i % 9 + 1}"}
            for i in range(LOCAL_AUTHORITIES)
        ),
    )
    names, weights = list(PHASES), [share for share, *_ in PHASES.values()]
    numbers: dict[int, int] = {}
    rows, made = [], []
    for i in range(count):
        phase = rng.choices(names, weights)[0]
        _, phase_code, phase_name, (low, high), maintained_share, maintained_types, academy_types = PHASES[phase]
        maintained = rng.random() < maintained_share or not academy_types
        if maintained:
            type_name = rng.choice(maintained_types)
            group = "Special schools" if phase == "Special" else MAINTAINED
        else:
            type_name = rng.choice(academy_types)
            group = "Free Schools" if type_name == "Free schools" else "Academies"
        la = rng.randrange(LOCAL_AUTHORITIES)
        numbers[la] = numbers.get(la, 1000) + 1
        if rng.random() < 0.03:
            opened = _day_between(rng, date(2016, 9, 1), date(2024, 9, 1))
        else:
            opened = date(rng.randint(1950, 2014), rng.randint(1, 12), rng.randint(1, 28))
        closed = _day_between(rng, date(2017, 1, 1), date(2026, 8, 31)) if rng.random() < 0.02 else None
        mean, spread = ROLL.get(phase, ROLL_DEFAULT)
        urn = FIRST_URN + i
        rows.append(
            {
                "id": i + 1,
                "urn": urn,
                "la_id": la + 1,
                "establishment_number": numbers[la],
                "laestab": (201 + la) * 10000 + numbers[la],
                "name": f"Bench {phase} School {urn}",
                "type_name": type_name,
                "type_group_name": group,
                "status_code": "2" if closed else "1",
                "status_name": "Closed" if closed else "Open",
                "open_date": opened,
                "close_date": closed,
                "phase_code": phase_code,
                "phase_name": phase_name,
                "statutory_low_age": low,
                "statutory_high_age": high,
                "gender": "Mixed",
                "pupils_on_roll": max(10, round(rng.gauss(mean, spread))),
            }
        )
        made.append(BenchSchool(i + 1, urn, phase, maintained, rng.gauss(0, 1), opened, closed))
    copy_rows(School, rows)
    return made


def _grade(rng: random.Random, quality: float) -> int:
    """An overall 1–4 grade (1 outstanding), stronger schools doing better."""
    if quality > 1:
        weights = (0.45, 0.5, 0.05, 0.0)
    elif quality > -1:
        weights = (0.12, 0.72, 0.14, 0.02)
    else:
        weights = (0.02, 0.45, 0.4, 0.13)
    return rng.choices((1, 2, 3, 4), weights)[0]


def _around(rng: random.Random, grade: int, low: int, high: int) -> int:
    return int(_clamp(grade + rng.choice((-1, 0, 0, 0, 1)), low, high))


def _inspection(rng: random.Random, school: BenchSchool, day: date, number: int, last: int | None) -> dict:
    """One inspection in the shape of its date; ``last`` is the school's latest overall grade."""
    from schools import ofsted

    ungraded = last is not None and last <= 2 and rng.random() < (0.45 if day < NO_OVERALL_GRADE_FROM else 0.15)
    if ungraded:
        shape = ofsted.Shape.UNGRADED
    elif day < NO_OVERALL_GRADE_FROM:
        shape = ofsted.Shape.GRADED
    elif day < REPORT_CARDS_FROM:
        shape = ofsted.Shape.JUDGEMENTS_ONLY
    else:
        shape = ofsted.Shape.REPORT_CARD
    row: dict[str, Any] = {
        "id": number - FIRST_INSPECTION_NUMBER,
        "inspection_number": str(number),
        "school_id": school.pk,
        "shape": shape,
        "inspection_type": {"ungraded": "Section 8", "report_card": "Report card"}.get(shape, "Section 5"),
        "start_date": day,
        "end_date": day + timedelta(days=1),
        "publication_date": day + timedelta(days=rng.randint(18, 40)),
        "relates_to_current_urn": True,
        "urn_at_time": school.urn,
    }
    primary = school.phase in ("Primary", "Nursery", "All-through")
    if shape == ofsted.Shape.UNGRADED:
        row["ungraded_outcome"] = rng.choice(UNGRADED_OUTCOMES)
    elif shape in (ofsted.Shape.GRADED, ofsted.Shape.JUDGEMENTS_ONLY):
        grade = _grade(rng, school.quality)
        for name in JUDGEMENTS:
            row[name] = _around(rng, grade, 1, 4)
        if primary and rng.random() < 0.6:
            row["early_years"] = _around(rng, grade, 1, 4)
        if school.phase in ("Secondary", "All-through") and rng.random() < 0.5:
            row["sixth_form"] = _around(rng, grade, 1, 4)
        row["safeguarding_effective"] = grade < 4 or rng.random() < 0.7
        if shape == ofsted.Shape.GRADED:
            row["overall_effectiveness"] = grade
        if grade == 4 or row["leadership_and_management"] == 4:
            row["category_of_concern"] = rng.choice(
                [ofsted.CategoryOfConcern.SPECIAL_MEASURES, ofsted.CategoryOfConcern.SERIOUS_WEAKNESSES]
            )
    else:
        shift = 0 if school.quality > -1 else 1
        areas = list(RC_AREAS)
        if primary:
            areas.append("rc_early_years")
        if school.phase in ("Secondary", "All-through"):
            areas.append("rc_post_16")
        for name in areas:
            grade = rng.choices((1, 2, 3, 4, 5), (0.04, 0.2, 0.56, 0.16, 0.04))[0]
            row[name] = min(5, grade + shift)
        row["rc_safeguarding_met"] = rng.random() < 0.97
        row["category_of_concern"] = ofsted.report_card_concern(
            {name: row[name] for name in areas}, row["rc_safeguarding_met"]
        )
    return row


def _inspections(rng: random.Random, schools: list[BenchSchool]) -> Iterator[dict]:
    """Every school about every four years from 2016 (two after a 3 or 4), published by ``AS_OF``."""
    number = FIRST_INSPECTION_NUMBER
    for school in schools:
        start = max(INSPECTIONS_FROM, school.opened + timedelta(days=540))
        day = start + timedelta(days=rng.randrange(4 * 365)) if school.opened < INSPECTIONS_FROM else start
        last: int | None = None
        end = min(AS_OF, school.closed or AS_OF)
        while True:
            # An inspection due when there were none is spread over the months there are some, so
            # that about as many are published in every month of term.
            if COVID_PAUSE[0] <= day < COVID_PAUSE[1]:
                day = _day_between(rng, COVID_PAUSE[1], CATCH_UP_END)
            if day.month == 8:  # the summer holiday
                day = _day_between(rng, date(day.year, 9, 8), date(day.year + 1, 7, 18))
            day = _weekday(day)
            if day > end:
                break
            number += 1
            row = _inspection(rng, school, day, number, last)
            if row["publication_date"] <= AS_OF:
                yield row
            if row.get("overall_effectiveness"):
                last = row["overall_effectiveness"]
            gap = int(rng.gauss(2 * 365, 60) if (last or 2) >= 3 else rng.gauss(4 * 365, 120))
            day += timedelta(days=max(300, gap))


def _measures(rng: random.Random, schools: list[BenchSchool]) -> None:
    """Ten years of each measure for the schools it is published for, and national figures: the
    mean of the schools' values (so about half the schools are below it in each subject)."""
    from django.db import connection

    from schools.models import NationalFigure

    totals: dict[tuple[str, int], list[float]] = {}
    statement = "COPY schools_performancemeasure (school_id, academic_year, measure, value, marker) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for school in schools:
            subject = rng.gauss(0, 1)  # the school's own lean across its subjects
            for code, (mean, spread, decimals, low, high, better, phases) in MEASURES.items():
                if school.phase not in phases:
                    continue
                strength = 0.7 * school.quality + 0.45 * subject + 0.55 * rng.gauss(0, 1)
                level = mean + spread * 0.8 * (strength if better else -strength)
                trend = rng.gauss(0, 0.08) * spread
                for offset, year in enumerate(MEASURE_YEARS):
                    if date(year + 1, 7, 31) < school.opened or (school.closed and school.closed < date(year, 9, 1)):
                        continue
                    if rng.random() < SUPPRESSED_SHARE:
                        copy.write_row((school.pk, year, code, None, "SUPP"))
                        continue
                    value = round(_clamp(level + trend * offset + rng.gauss(0, 0.45 * spread), low, high), decimals)
                    totals.setdefault((code, year), []).append(value)
                    copy.write_row((school.pk, year, code, f"{value:.{decimals}f}", ""))
    figures, pk = [], 0
    for (code, year), values in sorted(totals.items()):
        decimals = MEASURES[code][2]
        # As the imports record them: England's state-funded schools ("all") from the key stage files,
        # by phase from the census and absence files.
        phases = ["all"] if code.startswith(("ks2_", "ks4_")) else ["all", "primary", "secondary", "special"]
        for phase in phases:
            pk += 1
            figures.append(
                {
                    "id": pk,
                    "academic_year": year,
                    "measure": code,
                    "phase": phase,
                    "value": Decimal(str(round(statistics.fmean(values), decimals))),
                }
            )
    copy_rows(NationalFigure, figures)


def _category_for(rng: random.Random, quality: float) -> str:
    score = quality + rng.gauss(0, 0.6)
    return "intensive" if score < -1.3 else "focused" if score < 0.2 else "overview"


def _category_decisions(rng: random.Random, schools: list[BenchSchool], context: Context) -> Iterator[dict]:
    """Every school's decisions on the active framework, from 2018, every year or two."""
    pk = 0
    ids = context.category_ids
    for school in schools:
        day = _weekday(_day_between(rng, max(DECISIONS_FROM, school.opened), date(2019, 7, 19)))
        previous: str | None = None
        days, codes = [], []
        end = min(AS_OF, school.closed or AS_OF)
        while day <= end:
            code = _category_for(rng, school.quality)
            kind = rng.choices(("agreed", "overridden", "board"), (0.85, 0.1, 0.05))[0]
            pk += 1
            yield {
                "id": pk,
                "school_id": school.pk,
                "framework_id": context.framework,
                "version_id": context.version,
                "category_id": ids[code],
                "previous_id": ids[previous] if previous else None,
                "kind": kind,
                "rationale": "" if kind == "agreed" else "Agreed at the categorisation meeting on the evidence.",
                "decided_by_id": context.officer,
                "decided_at": _at(day, rng),
            }
            days.append(day)
            codes.append(code)
            previous = code
            day = _weekday(day + timedelta(days=rng.randint(300, 900)))
        context.timelines[school.pk] = (days, codes)


class _Ids:
    """The next id of each table: the tables are emptied with RESTART IDENTITY and written with ids."""

    def __init__(self) -> None:
        self._last: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        self._last[table] = self._last.get(table, 0) + 1
        return self._last[table]


def _cases(rng: random.Random, schools: list[BenchSchool], context: Context) -> None:
    """The priority list of every academic year with the board's decisions, support packages with
    allocations, adjustments, visits, action plans and progress meetings; warning notices; and the
    schools-causing-concern meetings."""
    from boards.models import ConcernAction, ConcernMeeting, Decision, PriorityEntry, WarningNotice
    from support.models import (
        Action,
        ActionPlan,
        Allocation,
        EntitlementAdjustment,
        Meeting,
        MeetingAction,
        Priority,
        SupportPackage,
        Visit,
    )

    ids = _Ids()
    rows: dict[Any, list[dict]] = {
        m: []
        for m in (
            PriorityEntry,
            Decision,
            SupportPackage,
            EntitlementAdjustment,
            Allocation,
            Visit,
            ActionPlan,
            Priority,
            Action,
            Meeting,
            MeetingAction,
            WarningNotice,
            ConcernMeeting,
            ConcernAction,
        )
    }
    by_pk = {s.pk: s for s in schools}
    candidates = [s for s in schools if s.maintained]
    size = max(10, round(len(schools) * SUPPORTED_PER_22000 / 22000))
    pool = [s.pk for s in sorted(candidates, key=lambda s: s.quality + rng.gauss(0, 0.7))[:size]]
    target = max(4, round(size * LIST_SHARE))
    officer = context.officer
    last_year = AS_OF.year if AS_OF.month >= 9 else AS_OF.year - 1
    still_listed: list[int] = []

    def decision(school: int, year: int, kind: str, day: date, rationale: str, **extra) -> None:
        rows[Decision].append(
            {
                "id": ids("decision"),
                "school_id": school,
                "academic_year": year,
                "kind": kind,
                "rationale": rationale,
                "decided_by_id": officer,
                "decided_at": _at(day, rng),
                **extra,
            }
        )

    def open_on(school: int, day: date) -> bool:
        s = by_pk[school]
        return s.opened <= day and (s.closed is None or s.closed > day)

    for year in range(FIRST_LIST_YEAR, last_year + 1):
        agreed = _nth_weekday(year, 10, 3)  # the board agrees the year's list at its first October meeting
        review = _nth_weekday(year, 7, 2)  # the year-end review of last year's list, in July
        year_end = date(year + 1, 7, 22)
        carried = [s for s in still_listed if open_on(s, agreed) and rng.random() < CARRY_SHARE]
        for s in still_listed:
            if s not in carried:
                decision(s, year, "no_change", review, "Progress secured: not carried forward.")
        listed = set(carried)
        fresh = [s for s in pool if s not in listed and open_on(s, agreed)]
        rng.shuffle(fresh)
        annual = fresh[: max(0, round(target * (1 - IN_YEAR_SHARE)) - len(carried))]
        in_year = fresh[len(annual) : len(annual) + round(target * IN_YEAR_SHARE)]
        not_added = fresh[len(annual) + len(in_year) : len(annual) + len(in_year) + round(target * 0.04)]
        entries: list[tuple[int, str, date]] = [(s, "carried_forward", review) for s in carried]
        entries += [(s, "annual", agreed) for s in annual]
        entries += [
            (s, "in_year", _weekday(_day_between(rng, date(year, 11, 2), date(year + 1, 6, 30)))) for s in in_year
        ]
        still_listed = []
        for school, source, added in entries:
            if added > AS_OF:
                continue
            reason = rng.choice(REASONS)
            removed = None
            if rng.random() < REMOVED_SHARE:
                removed = _weekday(_day_between(rng, max(added, agreed) + timedelta(days=60), year_end))
                if removed > AS_OF:
                    removed = None
            rows[PriorityEntry].append(
                {
                    "id": ids("entry"),
                    "school_id": school,
                    "academic_year": year,
                    "reason": reason,
                    "evidence": "Generated for the benchmark.",
                    "status": "removed" if removed else "on_list",
                    "source": source,
                    "proposed_on": added - timedelta(days=14),
                    "added_on": added,
                    "removed_on": removed,
                }
            )
            decision(school, year, "add", added, "Agreed by the board.", reason=reason)
            if removed:
                decision(school, year, "remove", removed, "The removal criterion is met.", removal_criterion_met=True)
            else:
                still_listed.append(school)
            _support(rng, ids, rows, context, school, year, max(added, date(year, 9, 1)), removed)
        for school in not_added:
            rows[PriorityEntry].append(
                {
                    "id": ids("entry"),
                    "school_id": school,
                    "academic_year": year,
                    "reason": "ofsted_ri",
                    "status": "not_added",
                    "source": "annual",
                    "proposed_on": agreed - timedelta(days=14),
                }
            )
            decision(school, year, "no_change", agreed, "Not added: the school has capacity to improve.")
        _notices(rng, ids, rows[WarningNotice], pool, year, len(schools))
    _concern_meetings(rng, ids, rows, pool, len(schools), officer)
    for model, batch in rows.items():
        copy_rows(model, batch)


def _support(
    rng: random.Random,
    ids: _Ids,
    rows: dict[Any, list[dict]],
    context: Context,
    school: int,
    year: int,
    starts: date,
    removed: date | None,
) -> None:
    """A package for a school on the year's list, with its allocations, visits, plan and meetings."""
    from support.models import (
        Action,
        ActionPlan,
        Allocation,
        EntitlementAdjustment,
        Meeting,
        MeetingAction,
        Priority,
        SupportPackage,
        Visit,
    )

    code = context.category_on(school, starts) or "focused"
    adviser, teaching, meetings, brokered = context.category_days[code]
    ends = min(removed or date(year + 1, 7, 20), date(year + 1, 7, 20))
    share = Decimal(_clamp((date(year + 1, 7, 20) - starts).days / 320, 0.1, 1))
    adviser = max(Decimal("0.5"), (adviser * share * 2).quantize(Decimal(1)) / 2)
    teaching = (teaching * share * 2).quantize(Decimal(1)) / 2
    brokered_days = Decimal(3) if brokered else Decimal(0)
    package = ids("package")
    rows[SupportPackage].append(
        {
            "id": package,
            "school_id": school,
            "academic_year": year,
            "category_id": context.category_ids[code],
            "starts_on": starts,
            "adviser_days": adviser,
            "teaching_adviser_days": teaching,
            "progress_meetings": meetings,
            "brokered_days": brokered_days,
            "created_by_id": context.officer,
        }
    )
    extra = Decimal(0)
    if rng.random() < 0.1:
        extra = Decimal(1)
        rows[EntitlementAdjustment].append(
            {
                "id": ids("adjustment"),
                "package_id": package,
                "kind": "adviser",
                "change": extra,
                "reason": "An extra day agreed by the board.",
                "made_by_id": context.officer,
                "made_at": _at(starts + timedelta(days=rng.randint(30, 120)), rng),
            }
        )
    if meetings and rng.random() < 0.05:
        rows[EntitlementAdjustment].append(
            {
                "id": ids("adjustment"),
                "package_id": package,
                "kind": "progress_meetings",
                "change": Decimal(1),
                "reason": "An extra progress meeting.",
                "made_by_id": context.officer,
                "made_at": _at(starts + timedelta(days=rng.randint(30, 120)), rng),
            }
        )
    partner = context.partners[school % len(context.partners)]
    for kind, days in (
        ("adviser", adviser + extra),
        ("teaching_adviser", teaching),
        ("brokered", brokered_days),
        ("progress_meetings", meetings),
    ):
        made = starts + timedelta(days=rng.randint(2, 20))
        if days > 0 and made <= AS_OF:
            rows[Allocation].append(
                {
                    "id": ids("allocation"),
                    "package_id": package,
                    "kind": kind,
                    "partner_id": partner,
                    "days": days,
                    "made_by_id": context.officer,
                    "made_at": _at(made, rng),
                }
            )
    span = max(1, (ends - starts).days - 14)
    for kind, days in (("adviser", adviser + extra), ("teaching_adviser", teaching)):
        visits = [Decimal(1)] * int(days) + ([Decimal("0.5")] if days % 1 else [])
        for n, length in enumerate(visits):
            day = _weekday(starts + timedelta(days=14 + span * n // max(1, len(visits)) + rng.randrange(7)))
            if day > ends:
                continue
            cancelled = rng.random() < 0.04
            held = day <= AS_OF and not cancelled
            rows[Visit].append(
                {
                    "id": ids("visit"),
                    "school_id": school,
                    "visitor_id": partner,
                    "kind": kind,
                    "purpose": "Support visit",
                    "scheduled_for": day,
                    "held_on": day if held else None,
                    "days": length,
                    "status": "held" if held else "cancelled" if cancelled else "scheduled",
                    "created_by_id": context.officer,
                }
            )
    plan = ids("plan")
    rows[ActionPlan].append(
        {
            "id": plan,
            "school_id": school,
            "academic_year": year,
            "status": "agreed",
            "due_by": date(year, 10, 20),
            "agreed_by_id": context.officer,
            "agreed_at": _at(max(starts, date(year, 10, 1)), rng),
            "created_by_id": context.officer,
        }
    )
    current = year == (AS_OF.year if AS_OF.month >= 9 else AS_OF.year - 1)
    for order in range(1, 4):
        priority = ids("priority")
        rows[Priority].append({"id": priority, "plan_id": plan, "order": order, "title": f"Priority {order}"})
        for _ in range(3):
            deadline = _day_between(rng, date(year, 11, 1), date(year + 1, 7, 15))
            if deadline >= AS_OF:
                rag = rng.choices(("green", "amber", "red"), (0.7, 0.2, 0.1))[0]
            elif rng.random() < (0.65 if current else 0.93):
                rag = "complete"
            else:
                rag = rng.choice(("red", "amber", "green"))
            rows[Action].append(
                {
                    "id": ids("action"),
                    "priority_id": priority,
                    "description": "Raise attainment in the priority area.",
                    "owner": "Headteacher",
                    "deadline": deadline,
                    "rag": rag,
                }
            )
    count, used = int(meetings), set()
    for n in range(count):
        day = _weekday(starts + timedelta(days=30 + (ends - starts).days * n // max(1, count)))
        if day > ends or day in used:  # one progress meeting a day
            continue
        used.add(day)
        meeting = ids("meeting")
        rows[Meeting].append(
            {
                "id": meeting,
                "school_id": school,
                "kind": "progress",
                "scheduled_for": day,
                "held_on": day if day <= AS_OF else None,
                "created_by_id": context.officer,
            }
        )
        for _ in range(2):
            deadline = day + timedelta(days=rng.randint(30, 45))
            rows[MeetingAction].append(
                {
                    "id": ids("meeting action"),
                    "meeting_id": meeting,
                    "description": "Agreed at the progress meeting.",
                    "owner": "Headteacher",
                    "deadline": deadline,
                    "done": deadline < AS_OF and rng.random() < 0.88,
                }
            )


def _notices(rng: random.Random, ids: _Ids, rows: list[dict], pool: list[int], year: int, schools: int) -> None:
    """The year's warning notices: most issued and closed one way or another; a few open."""
    for _ in range(max(1, round(schools * NOTICES_PER_SCHOOL_YEAR))):
        school = rng.choice(pool)
        issued = _weekday(_day_between(rng, date(year, 9, 10), date(year + 1, 7, 10)))
        row: dict[str, Any] = {
            "id": ids("notice"),
            "school_id": school,
            "rationale": "Standards of performance are unacceptably low.",
            "grounds": ["low_standards"],
            "dcs_response_on": issued - timedelta(days=7),
        }
        if issued > AS_OF or rng.random() < 0.15:
            row["status"] = rng.choice(("recommended", "declined"))
            rows.append(row)
            continue
        deadline = issued + timedelta(days=21)
        row.update(issued_on=issued, compliance_period_days=15, compliance_deadline=deadline, status="issued")
        if deadline + timedelta(days=60) < AS_OF or rng.random() < 0.5:
            outcome = rng.choices(("complied", "lifted", "escalated"), (0.65, 0.2, 0.15))[0]
            on = min(AS_OF, deadline + timedelta(days=rng.randint(-5, 60)))
            row["status"] = outcome
            row[f"{outcome}_on"] = on
            if outcome == "escalated":
                row["escalation"] = "ieb"
        rows.append(row)


def _concern_meetings(
    rng: random.Random, ids: _Ids, rows: dict[Any, list[dict]], pool: list[int], schools: int, officer: int
) -> None:
    """The monthly schools-causing-concern meeting, each with its actions."""
    from boards.models import ConcernAction, ConcernMeeting

    per_meeting = max(2, round(CONCERN_ACTIONS_PER_22000 * schools / 22000))
    month = date(FIRST_LIST_YEAR, 9, 1)
    while month <= AS_OF:
        held = _nth_weekday(month.year, month.month, 1)
        month = (month + timedelta(days=32)).replace(day=1)
        if held > AS_OF:
            break
        meeting = ids("concern meeting")
        rows[ConcernMeeting].append(
            {"id": meeting, "held_on": held, "attendees": "Finance, HR, governor services", "created_by_id": officer}
        )
        for _ in range(per_meeting):
            deadline = held + timedelta(days=rng.randint(14, 60))
            rows[ConcernAction].append(
                {
                    "id": ids("concern action"),
                    "meeting_id": meeting,
                    "school_id": rng.choice(pool) if rng.random() < 0.9 else None,
                    "description": "Follow up with the school.",
                    "owner": "Finance",
                    "deadline": deadline,
                    "done": deadline < AS_OF and rng.random() < 0.93,
                }
            )


def counts() -> dict[str, int]:
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for model in _models():
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(model._meta.db_table)}")
            found[model.__name__] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM schools_school WHERE type_group_name IN "
            "('Local authority maintained schools', 'Special schools') AND status_name = 'Open'"
        )
        found["maintained open"] = cursor.fetchone()[0]
    return found


# The measurements ----------------------------------------------------------------------------


def _measured(function: Callable[[], Any]) -> tuple[Stage, Any]:
    """Run ``function`` once, timed and with its queries counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = function()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return Stage(elapsed, len(queries), cpu), result


class _Wrapped:
    """Wrap module functions with timers (``module.name`` replaced for the duration), adding up
    the seconds each spends; the callers look them up in the module, so they go through the timer."""

    def __init__(self, module, names: list[str], *, count_queries: bool = False) -> None:
        self.module, self.names, self.count_queries = module, names, count_queries
        self.seconds: dict[str, float] = dict.fromkeys(names, 0.0)
        self.queries: dict[str, int] = dict.fromkeys(names, 0)

    def __enter__(self) -> _Wrapped:
        from django.db import connection

        self.originals = {name: getattr(self.module, name) for name in self.names}

        def timed(name: str, function: Callable) -> Callable:
            def wrapper(*args, **kwargs):
                before = len(connection.queries) if self.count_queries else 0
                started = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    self.seconds[name] += time.perf_counter() - started
                    if self.count_queries:
                        self.queries[name] += len(connection.queries) - before

            return wrapper

        for name, function in self.originals.items():
            setattr(self.module, name, timed(name, function))
        return self

    def __exit__(self, *exc) -> None:
        for name, function in self.originals.items():
            setattr(self.module, name, function)


def delete_reports(period: date) -> None:
    """Remove the month's reports and their files, so that ``generate`` makes version 1."""
    from reporting.models import MonthlyReport

    for report in MonthlyReport.objects.filter(period=period):
        report.pdf.delete(save=False)
        report.xlsx.delete(save=False)
    MonthlyReport.objects.filter(period=period).delete()


def one_round(period: date, scale: Scale, *, record: bool) -> dict[str, Stage]:
    """The six measurements, once."""
    from reporting import content, outputs, selectors, services
    from reporting.models import MonthlyReport

    stages: dict[str, Stage] = {}
    with _Wrapped(selectors, LOADERS, count_queries=True) as loaders:
        stages["inputs"], data = _measured(lambda: selectors.inputs(period))
    stages["figures"], built = _measured(lambda: content.build(period, data))
    digest = content.content_hash(built)
    report = MonthlyReport(period=period, version=1, content=built, content_hash=digest, trigger="on_demand")
    stages["pdf"], pdf = _measured(lambda: outputs.pdf(report))
    stages["xlsx"], xlsx = _measured(lambda: outputs.xlsx(report))

    delete_reports(period)
    with (
        _Wrapped(selectors, ["inputs"]) as s,
        _Wrapped(content, ["build"]) as c,
        _Wrapped(outputs, ["pdf", "xlsx"]) as o,
    ):
        stage, (saved, created) = _measured(lambda: services.generate(period, trigger="on_demand"))
    assert created, "the first generate made no new version"
    assert saved.version == 1, f"the first generate made version {saved.version}"
    assert saved.content_hash == digest, "generate built other content than content.build did"
    parts = {"inputs": s.seconds["inputs"], "figures": c.seconds["build"], **o.seconds}
    stages["generate"] = Stage(stage.seconds, stage.queries, stage.cpu, parts)

    with _Wrapped(selectors, ["inputs"]) as s, _Wrapped(content, ["build"]) as c:
        stage, (again, created) = _measured(lambda: services.generate(period, trigger="on_demand"))
    assert not created, "the no-change re-run made a new version"
    assert again.pk == saved.pk, "the no-change re-run returned another report"
    assert MonthlyReport.objects.filter(period=period).count() == 1
    stages["rerun"] = Stage(
        stage.seconds, stage.queries, stage.cpu, {"inputs": s.seconds["inputs"], "figures": c.seconds["build"]}
    )

    if record:
        for name in LOADERS:
            scale.loaders.setdefault(name, []).append(loaders.seconds[name])
        scale.loader_queries = dict(loaders.queries)
        scale.outputs = describe(built, pdf, xlsx)
    return stages


def describe(built: dict, pdf: bytes, xlsx: bytes) -> dict[str, str]:
    """The size of what was built: the tables' rows, the PDF's pages and bytes, the workbook's bytes."""
    sections = {s["key"]: s for s in built["sections"]}
    rows = {
        key: sum(len(t["rows"]) for t in sections[key]["tables"])
        for key in ("priority-list", "inspections", "below-floor", "notices")
    }
    from pypdf import PdfReader  # a test requirement

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return {
        "Table rows": (
            f"{rows['inspections']:,} inspections published, {rows['below-floor']:,} schools below the floor, "
            f"{rows['priority-list']:,} priority list changes, {rows['notices']:,} open warning notices"
        ),
        "PDF": f"{pages:,} pages, {len(pdf) / 1e6:.1f} MB",
        "XLSX": f"{len(built['sections']) + 1} sheets, {len(xlsx) / 1e6:.2f} MB",
    }


def measure(period: date, scale: Scale, repeat: int) -> None:
    started = time.perf_counter()
    scale.cold = one_round(period, scale, record=False)
    print(f"  warm-up round (untimed): {time.perf_counter() - started:.1f} s")
    for attempt in range(1, repeat + 1):
        stages = one_round(period, scale, record=True)
        for key, stage in stages.items():
            scale.rounds.setdefault(key, []).append(stage)
        print(
            f"  round {attempt}/{repeat}: "
            + ", ".join(f"{key} {stage.seconds:.2f}s/{stage.queries}q" for key, stage in stages.items())
        )


def profile_generate(period: date, top: int = 30) -> None:
    """Profile one fresh ``generate``; print the top functions."""
    from reporting import services

    delete_reports(period)
    profiler = cProfile.Profile()
    profiler.enable()
    _, created = services.generate(period, trigger="on_demand")
    profiler.disable()
    assert created
    print(f"\nProfile of one fresh generate (top {top} by cumulative time):")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(top)
    print(f"Same profile, top {top} by own time:")
    stats.sort_stats(pstats.SortKey.TIME).print_stats(top)


# The report ----------------------------------------------------------------------------------


def _verdict(met: bool) -> str:
    return "met" if met else "not met"


COLUMN = 34


def _loader_cell(seconds: float, queries: int) -> str:
    return f"{seconds:6.2f} s{' ' * 13}{queries:3d} q"


def _cell(stage: Stage) -> str:
    return f"{stage.seconds:6.2f} s ({stage.cpu:6.2f} cpu) {stage.queries:3d} q"


def report(scales: list[Scale], *, period: date, seed: int, repeat: int, params: dict[str, str]) -> None:
    print(f"\nThe report for {period:%B %Y}, median of {repeat} round{'s' if repeat != 1 else ''}")
    print("Wall-clock seconds (this process's CPU seconds) and queries")
    width = max(len(label) for _, label in STAGES) + 2
    header = "".join(f"{f'{s.schools:,} schools':>{COLUMN}}" for s in scales)
    print(f"\n{'Stage':<{width}}{header}")
    for key, label in STAGES:
        print(f"{label:<{width}}" + "".join(f"{_cell(s.median(key)):>{COLUMN}}" for s in scales))
        if key in ("generate", "rerun"):
            for part in [*GENERATE_PARTS, "rest"]:
                cells = []
                for s in scales:
                    stage = s.median(key)
                    if part != "rest" and part not in stage.parts:
                        cells.append("")
                        continue
                    seconds = stage.parts[part] if part != "rest" else stage.seconds - sum(stage.parts.values())
                    cells.append(f"{seconds:6.2f} s{' ' * 18}")
                print(f"{'     of which ' + part:<{width}}" + "".join(f"{c:>{COLUMN}}" for c in cells))
    print(
        f"{'Cold start (warm-up round), whole report':<{width}}"
        + "".join(f"{_cell(s.cold['generate']):>{COLUMN}}" for s in scales)
    )

    print(f"\n{'Inputs, by loader (median s, queries)':<{width}}{header}")
    for name in LOADERS:
        print(
            f"{'  ' + name:<{width}}"
            + "".join(
                f"{_loader_cell(statistics.median(s.loaders[name]), s.loader_queries[name]):>{COLUMN}}" for s in scales
            )
        )

    big = max(scales, key=lambda s: s.schools)
    whole = big.median("generate").seconds
    same = len({tuple(s.median(k).queries for k, _ in STAGES) for s in scales}) == 1
    lines = [
        (
            f"Whole report at {big.schools:,} schools <= {GOAL_SECONDS:g} s",
            f"{whole:.2f} s: {_verdict(whole <= GOAL_SECONDS)}",
        ),
        (
            "Query counts the same at every scale",
            ("yes" if same else "no")
            + (
                f" ({', '.join(f'{s.schools:,}' for s in scales)} schools)"
                if len(scales) > 1
                else " (one scale measured)"
            ),
        ),
    ]
    for s in scales:
        c = s.counts
        lines += [
            (
                f"Data at {s.schools:,} schools",
                f"{c['maintained open']:,} maintained and open; {c['Inspection']:,} inspections; "
                f"{c['PerformanceMeasure']:,} measures rows; {c['CategoryDecision']:,} category decisions",
            ),
            (
                "",
                f"{c['PriorityEntry']:,} priority entries, {c['SupportPackage']:,} packages, "
                f"{c['Allocation']:,} allocations, {c['Visit']:,} visits, {c['Action']:,} plan actions, "
                f"{c['MeetingAction']:,} meeting actions, "
                f"{c['ConcernAction']:,} concern actions, {c['WarningNotice']:,} warning notices",
            ),
            *[("", f"{label}: {value}") for label, value in s.outputs.items()],
        ]
    facts = [
        ("Platform", platform.platform()),
        ("Python", platform.python_version()),
        ("CPUs", str(os.cpu_count())),
        ("Load average at the end", ", ".join(f"{n:.2f}" for n in os.getloadavg()) + " (1, 5, 15 minutes)"),
        ("PostgreSQL", server_version(params)),
        ("Commit", git_commit()),
        ("Seed, data as of", f"{seed}, {AS_OF.isoformat()}"),
    ]
    label_width = max(len(label) for label, _ in lines + facts)
    print()
    for label, value in [*lines, ("", ""), *facts]:
        print(f"{label:<{label_width}}  {value}".rstrip())


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01" if len(text) == 7 else text).replace(day=1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month like 2026-10") from None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--schools", type=int, nargs="+", default=[22_000], help="schools to generate; several sizes to compare"
    )
    parser.add_argument("--period", type=_month, default=DEFAULT_PERIOD, help="the report's month (default 2026-10)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds; the median is reported (default 3)")
    parser.add_argument("--profile", action="store_true", help="also profile one fresh generate with cProfile")
    parser.add_argument("--keep", action="store_true", help="reuse the generated data if it matches")
    args = parser.parse_args(argv)
    if min(args.schools) < 100 or args.repeat < 1:
        parser.error("--schools must be at least 100 and --repeat at least 1")
    if args.period > AS_OF.replace(day=1):
        parser.error(f"the data stands at {AS_OF}: choose a month before it")

    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    params = ensure_database(url)
    with tempfile.TemporaryDirectory(prefix="monthly-report-bench-") as media:
        os.environ["MEDIA_ROOT"] = media
        setup_django(url)
        import logging

        logging.getLogger("reporting").setLevel(logging.WARNING)
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        scales = []
        for schools in args.schools:
            if args.keep and data_matches(args.seed, schools):
                print(f"Reusing the generated data for {schools:,} schools in database {params['dbname']}")
            else:
                started = time.perf_counter()
                generate(args.seed, schools)
                print(
                    f"Generated the data for {schools:,} schools in database {params['dbname']} "
                    f"in {time.perf_counter() - started:.1f} s"
                )
            scale = Scale(schools, counts())
            measure(args.period, scale, args.repeat)
            scales.append(scale)
        report(scales, period=args.period, seed=args.seed, repeat=args.repeat, params=params)
        if args.profile:
            profile_generate(args.period)
        delete_reports(args.period)


if __name__ == "__main__":
    main()
