"""Benchmark: recategorise every school in England through the real categorisation service.

What it measures
----------------
A PostgreSQL database (``DATABASE_URL``, by default a ``schoolimprovement_bench_recat`` database
on 127.0.0.1, created if missing and migrated, which loads the three built-in frameworks with the
tiered one active) is filled, deterministically from ``--seed``, with ``--schools`` schools
(22,000 by default, about the open state schools of England) in 150 local authorities: a mix of
primary, secondary, special and nursery schools; two to four Ofsted inspections each from 2016
to today in the shape of their date (graded with key judgements before September 2024, some
ungraded, key judgements only from September 2024, report cards from 10 November 2025); five
academic years (2014 to 2018) of every measure the active framework's triggers read
(``selectors.measures_used``: key stage 2 for primaries, key stage 4 for secondaries, the rest for
every school), with national figures by phase; and intelligence notes from the last year for
about one school in ten. Generating is not timed.

It then times, with ``time.perf_counter``:

* the **bare read**: the very statements ``selectors.load_facts`` sends (built from the same
  querysets: measures restricted to ``measures_used(spec)``, notes since the earliest month an
  intelligence trigger looks at), executed on a plain cursor and fetched with ``fetchall``, with
  no facts built at all;
* the **whole job**: ``services.recategorise(trigger="manual")`` with no assessments held (the
  assessment tables are truncated first), so every school gets a new assessment, split into
  *load* (``selectors.load_facts``), *evaluate* (``rules.evaluate``, every school) and *write*
  (the rest: the run row, standings, hashing, ``bulk_create`` and ``bulk_update``), by wrapping
  the two functions with timers for the run — the three add up to the whole;
* a **no-change re-run** straight after: ``recategorise`` again, which must write no assessment.

Why the bare read is the floor
------------------------------
Whatever the service does, it has to get every school's inspections, figures and notes out of
PostgreSQL into Python. The bare read does only that — the same SQL, the same rows, converted
by the driver into Python values (dates, decimals) — and nothing else: no model or dataclass
per row, no grouping, no rules, no writing. No implementation of the job that reads what
``load_facts`` reads can be faster. The ratio whole job / bare read says how far the job is
from that floor; the goal is 2 or less. A re-run that finds nothing changed should cost about
the same as a whole job minus the writing, and write 0 rows.

Run it from the repository root::

    .venv/bin/python benchmarks/recategorise.py [--schools 22000] [--seed 1] [--repeat 3]
        [--profile] [--keep]

Django's per-query logging (``DEBUG=True`` in the demo settings) is switched off for the
benchmark, as it is in production. The script empties the schools and categorisation tables of
its database: do not point it at a database whose data you want to keep.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_register import ensure_database, git_commit, server_version, setup_django

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/schoolimprovement_bench_recat"
LOCAL_AUTHORITIES = 150
BATCH = 5000
FIRST_URN = 100_000
FIRST_INSPECTION_NUMBER = 10_000_000
MEASURE_YEARS = range(2014, 2019)  # five academic years, 2014/15 to 2018/19
INSPECTIONS_FROM = date(2016, 1, 4)
NO_OVERALL_GRADE_FROM = date(2024, 9, 1)
REPORT_CARDS_FROM = date(2025, 11, 10)
NOTE_SHARE = 0.10
NEW_SCHOOL_SHARE = 0.03
SUPPRESSED_SHARE = 0.02
GOAL_RATIO = 2.0
BENCH_USER = "recategorise-benchmark@example.invalid"
ASSESSMENT_TABLES = (
    "categorisation_schoolcategory",
    "categorisation_categorydecision",
    "categorisation_riskassessment",
    "categorisation_recategorisationrun",
    # Their audit trail (accounts.audit), emptied with them so each run writes into the same state.
    "categorisation_historicalschoolcategory",
    "categorisation_historicalcategorydecision",
    "categorisation_historicalriskassessment",
)

# phase: (share of schools, GIAS phase code, GIAS phase name, ages, (type name, type group) choices)
PHASES: dict[str, tuple[float, str, str, tuple[int, int], list[tuple[str, str]]]] = {
    "Primary": (
        0.77,
        "2",
        "Primary",
        (4, 11),
        [
            ("Community school", "Local authority maintained schools"),
            ("Voluntary aided school", "Local authority maintained schools"),
            ("Academy converter", "Academies"),
            ("Academy sponsor led", "Academies"),
        ],
    ),
    "Secondary": (
        0.165,
        "4",
        "Secondary",
        (11, 18),
        [
            ("Community school", "Local authority maintained schools"),
            ("Academy converter", "Academies"),
            ("Academy sponsor led", "Academies"),
            ("Free schools", "Free Schools"),
        ],
    ),
    "Special": (
        0.045,
        "0",
        "Not applicable",
        (2, 19),
        [("Community special school", "Special schools"), ("Academy special converter", "Special schools")],
    ),
    "Nursery": (
        0.02,
        "1",
        "Nursery",
        (2, 5),
        [("Local authority nursery school", "Local authority maintained schools")],
    ),
}
ROLL = {"Primary": (290, 120), "Secondary": (1000, 350), "Special": (120, 60), "Nursery": (90, 40)}

# code: (mean, standard deviation, decimals, lowest, highest, higher is better)
MEASURE_SHAPES: dict[str, tuple[float, float, int, float, float, bool]] = {
    "ks2_read_progress_pct": (91, 6, 0, 0, 100, True),
    "ks2_write_progress_pct": (94, 5, 0, 0, 100, True),
    "ks2_maths_progress_pct": (90, 6, 0, 0, 100, True),
    "ks2_aps": (29.0, 1.8, 1, 15, 40, True),
    "ks2_disadvantaged_gap": (18, 8, 1, -30, 60, False),
    "ks4_p8": (0.0, 0.5, 2, -3, 3, True),
    "ks4_att8": (46.5, 8, 1, 10, 85, True),
    "ks4_basics_94_pct": (64, 14, 1, 0, 100, True),
    "ks4_disadvantaged_gap": (25, 9, 1, -30, 70, False),
    "abs_overall_pct": (4.7, 1.2, 1, 0, 30, False),
    "abs_persistent10_pct": (11, 5, 1, 0, 100, False),
    "abs_persistent15_pct": (4.5, 2.5, 1, 0, 100, False),
    "excl_suspension_rate": (4, 3.5, 2, 0, 100, False),
    "excl_permanent_rate": (0.08, 0.1, 2, 0, 5, False),
}
OTHER_MEASURE = (50, 10, 1, 0, 100, True)  # any measure a changed framework reads that is not above

NOTE_AREAS = ["leadership", "new_headteacher", "staffing", "governance", "finance", "hr", "safeguarding", "complaints"]
UNGRADED_OUTCOMES = [
    "The school continues to be good",
    "Standards maintained",
    "Taking effective action",
    "The school has not yet taken effective action",
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


@dataclass(frozen=True)
class Counts:
    schools: int
    local_authorities: int
    inspections: int
    measures: int
    national_figures: int
    notes: int


@dataclass(frozen=True)
class Job:
    seconds: float
    load: float
    evaluate: float
    assessed: int
    unchanged: int

    @property
    def write(self) -> float:
        return self.seconds - self.load - self.evaluate


@dataclass
class Timings:
    bare_reads: list[float] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    reruns: list[Job] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)


# The data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchSchool:
    pk: int
    phase: str
    quality: float  # about N(0, 1); higher is a stronger school, used by every generator
    opened: date


def _rng(seed: int, part: str) -> random.Random:
    """A generator of its own for each part, so the parts do not shift one another."""
    return random.Random(f"{seed}:{part}")  # noqa: S311 - reproducible test data, not secrets


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _marker(seed: int, schools: int) -> str:
    return f"recategorise benchmark: seed {seed}, {schools} schools"


def data_matches(seed: int, schools: int) -> bool:
    """Whether the database holds what ``generate`` would write for this seed and size."""
    from accounts.models import User
    from schools.models import LocalAuthority, School

    user = User.objects.filter(email=BENCH_USER).first()
    return (
        user is not None
        and user.organisation == _marker(seed, schools)
        and School.objects.count() == schools
        and LocalAuthority.objects.count() == LOCAL_AUTHORITIES
    )


def empty_tables() -> None:
    from django.db import connection

    tables = [
        "schools_school",
        "schools_localauthority",
        "schools_nationalfigure",
        "schools_inspection",
        "schools_performancemeasure",
        "schools_intelligencenote",
        *ASSESSMENT_TABLES,
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def empty_assessments() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(ASSESSMENT_TABLES)} RESTART IDENTITY CASCADE")


def generate(seed: int, schools: int, today: date, codes: set[str]) -> None:
    """Fill the emptied tables with ``schools`` schools and their facts, from ``seed``."""
    from accounts.models import User

    empty_tables()
    user, _ = User.objects.get_or_create(email=BENCH_USER, defaults={"full_name": "Benchmark", "role": "officer"})
    user.organisation = ""  # set last, so an interrupted run is never taken for a complete one
    user.save(update_fields=["organisation"])
    made = _schools(_rng(seed, "schools"), schools, today)
    _inspections(_rng(seed, "inspections"), made, today)
    _measures(_rng(seed, "measures"), made, codes)
    _notes(_rng(seed, "notes"), made, today, user.pk)
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("schools_school", "schools_inspection", "schools_performancemeasure", "schools_intelligencenote"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    user.organisation = _marker(seed, schools)
    user.save(update_fields=["organisation"])


def _schools(rng: random.Random, count: int, today: date) -> list[BenchSchool]:
    from schools.models import LocalAuthority, School

    las = LocalAuthority.objects.bulk_create(
        [
            LocalAuthority(code=201 + i, name=f"Bench authority {201 + i}", region_code=f"E1200000{i % 9 + 1}")
            for i in range(LOCAL_AUTHORITIES)
        ],
        batch_size=BATCH,
    )
    names, weights = list(PHASES), [share for share, *_ in PHASES.values()]
    numbers: dict[int, int] = {}
    rows: list[School] = []
    phases: list[str] = []
    qualities: list[float] = []
    opened: list[date] = []
    for i in range(count):
        phase = rng.choices(names, weights)[0]
        _, phase_code, phase_name, (low, high), types = PHASES[phase]
        type_name, group = rng.choice(types)
        la = rng.choice(las)
        numbers[la.code] = numbers.get(la.code, 1000) + 1
        if rng.random() < NEW_SCHOOL_SHARE:
            day = date(2022, 9, 1) + timedelta(days=rng.randrange((date(2025, 9, 1) - date(2022, 9, 1)).days))
        else:
            day = date(rng.randint(1950, 2012), rng.randint(1, 12), rng.randint(1, 28))
        mean, spread = ROLL[phase]
        urn = FIRST_URN + i
        rows.append(
            School(
                urn=urn,
                la=la,
                establishment_number=numbers[la.code],
                laestab=la.code * 10000 + numbers[la.code],
                name=f"Bench {phase} School {urn}",
                type_name=type_name,
                type_group_name=group,
                status_code="1",
                status_name="Open",
                open_date=day,
                phase_code=phase_code,
                phase_name=phase_name,
                statutory_low_age=low,
                statutory_high_age=high,
                gender="Mixed",
                pupils_on_roll=max(10, round(rng.gauss(mean, spread))),
            )
        )
        phases.append(phase)
        qualities.append(rng.gauss(0, 1))
        opened.append(day)
    created = School.objects.bulk_create(rows, batch_size=BATCH)
    return [BenchSchool(s.pk, p, q, d) for s, p, q, d in zip(created, phases, qualities, opened, strict=True)]


def _inspection_days(rng: random.Random, school: BenchSchool, today: date) -> list[date]:
    start = max(INSPECTIONS_FROM, school.opened + timedelta(days=730))
    if start >= today:
        return []
    span = (today - start).days
    count = rng.choice([2, 3, 3, 4]) if school.opened < INSPECTIONS_FROM else 1
    days = []
    for slot in range(count):
        day = start + timedelta(days=int(span * (slot + rng.random()) / count))
        if day.month == 8:  # the summer holiday
            day = date(day.year, 9, 10)
        day += timedelta(days=max(0, day.weekday() - 4))  # a Saturday or Sunday becomes the Monday
        if day <= today:
            days.append(day)
    return days


def _grade(rng: random.Random, quality: float) -> int:
    """An overall 1–4 grade (1 outstanding), stronger schools doing better."""
    if quality > 1:
        weights = (0.45, 0.5, 0.05, 0.0)
    elif quality > -1:
        weights = (0.12, 0.7, 0.15, 0.03)
    else:
        weights = (0.02, 0.43, 0.4, 0.15)
    return rng.choices((1, 2, 3, 4), weights)[0]


def _around(rng: random.Random, grade: int, low: int, high: int) -> int:
    return int(_clamp(grade + rng.choice((-1, 0, 0, 0, 1)), low, high))


def _inspection(rng: random.Random, school: BenchSchool, day: date, number: int) -> Any:
    from schools import ofsted
    from schools.models import Inspection

    shape = ofsted.Shape.UNGRADED if rng.random() < 0.25 else None
    if shape is None:
        if day < NO_OVERALL_GRADE_FROM:
            shape = ofsted.Shape.GRADED
        elif day < REPORT_CARDS_FROM:
            shape = ofsted.Shape.JUDGEMENTS_ONLY
        else:
            shape = ofsted.Shape.REPORT_CARD
    inspection = Inspection(
        inspection_number=str(number),
        school_id=school.pk,
        shape=shape,
        inspection_type={"ungraded": "Section 8", "report_card": "Report card"}.get(shape, "Section 5"),
        start_date=day,
        end_date=day + timedelta(days=1),
        publication_date=day + timedelta(days=28),
        relates_to_current_urn=True,
    )
    primary = school.phase in ("Primary", "Nursery")
    if shape == ofsted.Shape.UNGRADED:
        inspection.ungraded_outcome = rng.choice(UNGRADED_OUTCOMES)
    elif shape in (ofsted.Shape.GRADED, ofsted.Shape.JUDGEMENTS_ONLY):
        grade = _grade(rng, school.quality)
        for name in JUDGEMENTS:
            setattr(inspection, name, _around(rng, grade, 1, 4))
        if primary and rng.random() < 0.6:
            inspection.early_years = _around(rng, grade, 1, 4)
        if school.phase == "Secondary" and rng.random() < 0.5:
            inspection.sixth_form = _around(rng, grade, 1, 4)
        inspection.safeguarding_effective = grade < 4 or rng.random() < 0.7
        if shape == ofsted.Shape.GRADED:
            inspection.overall_effectiveness = grade
        if grade == 4 or inspection.leadership_and_management == 4:
            inspection.category_of_concern = rng.choice(
                [ofsted.CategoryOfConcern.SPECIAL_MEASURES, ofsted.CategoryOfConcern.SERIOUS_WEAKNESSES]
            )
    else:
        shift = 0 if school.quality > -1 else 1
        areas = (
            RC_AREAS + (["rc_early_years"] if primary else []) + (["rc_post_16"] if school.phase == "Secondary" else [])
        )
        for name in areas:
            grade = rng.choices((1, 2, 3, 4, 5), (0.04, 0.2, 0.56, 0.16, 0.04))[0]
            setattr(inspection, name, min(5, grade + shift))
        inspection.rc_safeguarding_met = rng.random() < 0.97
        report_card = {name: getattr(inspection, name) for name in areas}
        inspection.category_of_concern = ofsted.report_card_concern(report_card, inspection.rc_safeguarding_met)
    return inspection


def _inspections(rng: random.Random, schools: list[BenchSchool], today: date) -> None:
    from schools.models import Inspection

    number = FIRST_INSPECTION_NUMBER
    batch: list[Inspection] = []
    for school in schools:
        for day in _inspection_days(rng, school, today):
            number += 1
            batch.append(_inspection(rng, school, day, number))
        if len(batch) >= BATCH:
            Inspection.objects.bulk_create(batch, batch_size=BATCH)
            batch = []
    Inspection.objects.bulk_create(batch, batch_size=BATCH)


def _measure_scope(code: str) -> set[str]:
    """The phases a measure is published for."""
    if code.startswith("ks2_"):
        return {"Primary"}
    if code.startswith("ks4_"):
        return {"Secondary"}
    return set(PHASES)


def _national_phases(code: str) -> list[str]:
    if code.startswith("ks2_"):
        return ["all", "primary"]
    if code.startswith("ks4_"):
        return ["all", "secondary"]
    return ["all", "primary", "secondary", "special"]


def _measure_rows(rng: random.Random, schools: list[BenchSchool], codes: list[str]) -> Iterator[tuple]:
    """(school, year, measure, value, marker) for every school, measure and year in scope."""
    for school in schools:
        for code in codes:
            if school.phase not in _measure_scope(code):
                continue
            if code == "census_nor":
                mean, spread = ROLL[school.phase]
                roll = max(10.0, rng.gauss(mean, spread))
                trend = -0.06 if rng.random() < 0.05 else rng.gauss(0, 0.03)
                for year in MEASURE_YEARS:
                    yield school.pk, year, code, f"{roll:.0f}", ""
                    roll = max(10.0, roll * (1 + trend + rng.gauss(0, 0.02)))
                continue
            mean, spread, decimals, low, high, better = MEASURE_SHAPES.get(code, OTHER_MEASURE)
            level = mean + spread * 0.8 * (school.quality if better else -school.quality)
            trend = rng.gauss(0, 0.1) * spread
            for offset, year in enumerate(MEASURE_YEARS):
                if rng.random() < SUPPRESSED_SHARE:
                    yield school.pk, year, code, None, "SUPP"
                    continue
                value = _clamp(level + trend * offset + rng.gauss(0, 0.5 * spread), low, high)
                yield school.pk, year, code, f"{value:.{decimals}f}", ""


def _measures(rng: random.Random, schools: list[BenchSchool], codes: set[str]) -> None:
    from django.db import connection

    from schools.models import NationalFigure

    ordered = sorted(codes)
    figures = []
    for code in ordered:
        mean, spread, decimals, *_ = MEASURE_SHAPES.get(code, OTHER_MEASURE)
        if code == "census_nor":
            mean, spread, decimals = 280, 0, 0
        for offset, year in enumerate(MEASURE_YEARS):
            for position, phase in enumerate(_national_phases(code)):
                value = mean + spread * (0.02 * offset + 0.05 * position)
                figures.append(
                    NationalFigure(academic_year=year, measure=code, phase=phase, value=round(value, decimals + 1))
                )
    NationalFigure.objects.bulk_create(figures, batch_size=BATCH)
    statement = "COPY schools_performancemeasure (school_id, academic_year, measure, value, marker) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in _measure_rows(rng, schools, ordered):
            copy.write_row(row)


def _notes(rng: random.Random, schools: list[BenchSchool], today: date, author_id: int) -> None:
    from schools.models import IntelligenceNote

    notes = []
    for school in schools:
        if rng.random() >= NOTE_SHARE:
            continue
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            notes.append(
                IntelligenceNote(
                    school_id=school.pk,
                    area=rng.choice(NOTE_AREAS),
                    noted_on=today - timedelta(days=rng.randrange(365)),
                    source="Benchmark",
                    risk_grade=rng.choices(("low", "medium", "high"), (0.5, 0.35, 0.15))[0],
                    text="A generated note.",
                    author_id=author_id,
                )
            )
    IntelligenceNote.objects.bulk_create(notes, batch_size=BATCH)


def counts() -> Counts:
    from schools.models import Inspection, IntelligenceNote, LocalAuthority, NationalFigure, PerformanceMeasure, School

    return Counts(
        School.objects.count(),
        LocalAuthority.objects.count(),
        Inspection.objects.count(),
        PerformanceMeasure.objects.count(),
        NationalFigure.objects.count(),
        IntelligenceNote.objects.count(),
    )


# The measurements ----------------------------------------------------------------------------


def read_queries(spec, as_of: date) -> list[tuple[str, Any]]:
    """The querysets ``selectors.load_facts`` runs for every school, as tuples."""
    from categorisation import selectors, windows
    from schools.models import Inspection, IntelligenceNote, NationalFigure, PerformanceMeasure, School

    codes = selectors.measures_used(spec)
    months = max((int(t.params.get("months", 12)) for t in spec.triggers if t.kind == "intelligence"), default=12)
    since = windows.add_months(as_of, -months)
    return [
        (
            "schools",
            School.objects.values_list("pk", "name", "phase_name", "type_name", "type_group_name", "open_date"),
        ),
        ("inspections", Inspection.objects.values_list(*selectors._INSPECTION_FIELDS)),
        (
            "national figures",
            NationalFigure.objects.filter(measure__in=codes).values_list("measure", "academic_year", "phase", "value"),
        ),
        (
            "measures",
            PerformanceMeasure.objects.filter(measure__in=codes).values_list(
                "school_id", "measure", "academic_year", "value"
            ),
        ),
        (
            "notes",
            IntelligenceNote.objects.filter(noted_on__gte=since).values_list(
                "school_id", "area", "risk_grade", "noted_on"
            ),
        ),
    ]


def bare_read(spec, as_of: date) -> tuple[float, dict[str, int]]:
    """Execute the statements ``load_facts`` sends and fetch every row; build nothing."""
    from django.db import connection

    statements = [(label, *queryset.query.sql_with_params()) for label, queryset in read_queries(spec, as_of)]
    rows: dict[str, int] = {}
    with connection.cursor() as cursor:
        started = time.perf_counter()
        for label, statement, params in statements:
            cursor.execute(statement, params)
            rows[label] = len(cursor.fetchall())
        elapsed = time.perf_counter() - started
    return elapsed, rows


def _timed(function: Callable, spent: list[float]) -> Callable:
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    return wrapper


def run_job() -> tuple[Job, Any]:
    """``services.recategorise(trigger="manual")``, with ``load_facts`` and ``evaluate`` timed."""
    from categorisation import rules, selectors, services

    loads: list[float] = []
    evaluations: list[float] = []
    load_facts, evaluate = selectors.load_facts, rules.evaluate
    selectors.load_facts = _timed(load_facts, loads)
    rules.evaluate = _timed(evaluate, evaluations)
    try:
        started = time.perf_counter()
        run = services.recategorise(trigger="manual")
        elapsed = time.perf_counter() - started
    finally:
        selectors.load_facts, rules.evaluate = load_facts, evaluate
    return Job(elapsed, sum(loads), sum(evaluations), run.assessed, run.unchanged), run


def assessment_count() -> int:
    from categorisation.models import RiskAssessment

    return RiskAssessment.objects.count()


def measure(spec, as_of: date, schools: int, repeat: int) -> Timings:
    timings = Timings()
    bare_read(spec, as_of)  # warm the server's cache and the connection, untimed
    for attempt in range(1, repeat + 1):
        empty_assessments()
        seconds, rows = bare_read(spec, as_of)
        timings.bare_reads.append(seconds)
        timings.rows_read = rows
        assert rows["schools"] == schools, f"the bare read found {rows['schools']} schools, not {schools}"

        job, run = run_job()
        assert run.status == run.Status.SUCCEEDED, run.message
        assert (run.schools, job.assessed) == (schools, schools), f"first run: {run.message}"
        timings.jobs.append(job)
        held = assessment_count()
        assert held == schools, f"{held} assessments after the first run, not {schools}"

        rerun, run = run_job()
        assert run.status == run.Status.SUCCEEDED, run.message
        assert run.assessed == 0, f"the no-change re-run wrote {run.assessed} assessments: {run.message}"
        assert rerun.unchanged == schools, f"re-run: {run.message}"
        assert assessment_count() == held, "the no-change re-run changed the number of assessments"
        timings.reruns.append(rerun)
        print(
            f"  run {attempt}/{repeat}: bare read {seconds:.2f}s; whole job {job.seconds:.2f}s "
            f"(load {job.load:.2f}, evaluate {job.evaluate:.2f}, write {job.write:.2f}); "
            f"re-run {rerun.seconds:.2f}s, {run.assessed} written"
        )
    return timings


def profile_job(top: int = 25) -> None:
    """Profile one whole job on empty assessment tables; print the top functions."""
    from categorisation import services

    empty_assessments()
    profiler = cProfile.Profile()
    profiler.enable()
    run = services.recategorise(trigger="manual")
    profiler.disable()
    assert run.status == run.Status.SUCCEEDED, run.message
    print(f"\nProfile of one whole job (top {top} by cumulative time):")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(top)
    print(f"Same profile, top {top} by own time:")
    stats.sort_stats(pstats.SortKey.TIME).print_stats(top)


# The report ----------------------------------------------------------------------------------


def _median_job(jobs: list[Job]) -> Job:
    """The run with the median whole-job time, so its phases add up to the figure shown."""
    return sorted(jobs, key=lambda j: j.seconds)[(len(jobs) - 1) // 2]


def _verdict(met: bool) -> str:
    return "met" if met else "not met"


def report(timings: Timings, held: Counts, *, seed: int, repeat: int, as_of: date, params: dict[str, str]) -> None:
    bare = statistics.median(timings.bare_reads)
    job, rerun = _median_job(timings.jobs), _median_job(timings.reruns)
    written = max(r.assessed for r in timings.reruns)
    ratio = job.seconds / bare
    read = timings.rows_read
    lines = [
        ("Schools", f"{held.schools:,} in {held.local_authorities} local authorities"),
        ("Inspections", f"{held.inspections:,}"),
        ("Measures rows", f"{held.measures:,} ({read['measures']:,} read), {held.national_figures} national figures"),
        ("Intelligence notes", f"{held.notes:,} ({read['notes']:,} read)"),
        ("Bare read (floor)", f"{bare:.2f} s"),
        (
            "Whole job",
            f"{job.seconds:.2f} s  (load {job.load:.2f} s, evaluate {job.evaluate:.2f} s, write {job.write:.2f} s)",
        ),
        ("Ratio whole job / bare read", f"{ratio:.1f}  (goal <= {GOAL_RATIO:g}: {_verdict(ratio <= GOAL_RATIO)})"),
        (
            "No-change re-run",
            f"{rerun.seconds:.2f} s  (load {rerun.load:.2f} s, evaluate {rerun.evaluate:.2f} s, "
            f"write {rerun.write:.2f} s)",
        ),
        ("Ratio re-run / bare read", f"{rerun.seconds / bare:.1f}"),
        ("Rows written by the re-run", f"{written}  (goal 0: {_verdict(written == 0)})"),
    ]
    facts = [
        ("Platform", platform.platform()),
        ("Python", platform.python_version()),
        ("CPUs", str(os.cpu_count())),
        ("PostgreSQL", server_version(params)),
        ("Commit", git_commit()),
        ("Seed, as of", f"{seed}, {as_of.isoformat()}"),
        ("Timing", f"median of {repeat} run{'s' if repeat != 1 else ''}"),
    ]
    width = max(len(label) for label, _ in lines + facts)
    print()
    for label, value in lines:
        print(f"{label:<{width}}  {value}")
    print()
    for label, value in facts:
        print(f"{label:<{width}}  {value}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--schools", type=int, default=22_000, help="schools to generate (default 22000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="full runs; the median is reported (default 3)")
    parser.add_argument("--profile", action="store_true", help="also profile one whole job with cProfile")
    parser.add_argument("--keep", action="store_true", help="reuse the generated data if it matches")
    args = parser.parse_args(argv)
    if args.schools < 1 or args.repeat < 1:
        parser.error("--schools and --repeat must be at least 1")

    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    params = ensure_database(url)
    setup_django(url)
    from django.utils import timezone

    from categorisation import selectors

    as_of = timezone.localdate()
    spec = selectors.spec_for(selectors.active_version())
    if args.keep and data_matches(args.seed, args.schools):
        print(f"Reusing the generated data in database {params['dbname']}")
    else:
        started = time.perf_counter()
        generate(args.seed, args.schools, as_of, selectors.measures_used(spec))
        print(f"Generated the data in database {params['dbname']} in {time.perf_counter() - started:.1f} s")
    held = counts()
    print(
        f"{held.schools:,} schools, {held.inspections:,} inspections, {held.measures:,} measures rows, "
        f"{held.notes:,} notes; framework {spec.name} version {spec.version}, "
        f"{len(selectors.measures_used(spec))} measures read"
    )
    timings = measure(spec, as_of, held.schools, args.repeat)
    report(timings, held, seed=args.seed, repeat=args.repeat, as_of=as_of, params=params)
    if args.profile:
        profile_job()


if __name__ == "__main__":
    main()
