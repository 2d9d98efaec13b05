"""Benchmark: recategorise every school in England through the real categorisation service.

What it measures
----------------
A PostgreSQL database (``DATABASE_URL``, by default a ``schoolimprovement_bench_recat`` database
on 127.0.0.1, created if missing and migrated, which loads the three built-in frameworks with the
tiered one active) is filled with the national data set of ``manage.py generate_national_dataset``
(``national.generator``, the same function), deterministically from ``--seed``, as it stands
today: ``--schools`` schools (22,000 by default, about the state schools of England) in England's
151 local authorities, in the census's mix of phases and types; their Ofsted inspections at
Ofsted's rhythm in the shape of their date (graded with key judgements before September 2024,
some ungraded, key judgements only from September 2024, report cards from 10 November 2025); five
academic years of every measure the active framework's triggers read
(``selectors.measures_used``: key stage 2 for primaries, key stage 4 for secondaries, the rest for
every school), shaped as the performance tables files are, with national figures by phase; and
intelligence notes from the last year for about one school in ten (with the rest of the data set:
people, category decisions, the priority list and support, which the job does not read).
Generating is not timed.

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
* a **no-change re-run** straight after: ``recategorise`` again, which must write no assessment;
* the **write floor**: exactly the rows the whole job wrote (its run, the 22,000 assessments, the
  standings and the history rows of both), captured and deleted untimed, then copied back in
  binary, already typed, into the real tables with every index, check and foreign key, in one
  transaction up to the end of its commit: what storing the job's result costs the server alone.
  ``(bare read + write floor) / bare read`` is the least ratio any job that reads these facts and
  stores this result could reach, however fast its rules.

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
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_register import copy_back, ensure_database, git_commit, server_version, setup_django

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/schoolimprovement_bench_recat"
YEARS = 5  # academic years of history (the triggers look back three at most)
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
    "categorisation_assessmentschedule",
)
# What a whole job writes, parents first: the run, the assessments, the standings with their
# history rows, and when each school is next due (the write floor copies exactly these rows back).
# Assessments keep no history rows: each is written once and never changed.
WRITTEN_TABLES = (
    "categorisation_recategorisationrun",
    "categorisation_riskassessment",
    "categorisation_schoolcategory",
    "categorisation_historicalschoolcategory",
    "categorisation_assessmentschedule",
)
# The goals of issue 24, each against its floor in the same run.
NIGHTLY_SHARE = 0.01  # a day on which 1% of schools changed
NIGHTLY_GOAL = 0.05  # the nightly run after it: at most 5% of a full run
FULL_GOAL = 1.3  # a full run: at most 1.3 x (bare read + write floor)
MEMORY_GOAL_MB = 300  # the peak memory of the process running a full job


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
    write_floors: list[float] = field(default_factory=list)
    nightlies: list[tuple[float, int, int]] = field(default_factory=list)  # seconds, schools, written
    floor_splits: list[dict[str, float]] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)
    rows_written: dict[str, int] = field(default_factory=dict)


# The data ------------------------------------------------------------------------------------


def _marker(seed: int, schools: int, today: date) -> str:
    return f"recategorise benchmark, national data set: seed {seed}, {schools} schools, as of {today}"


def data_matches(seed: int, schools: int, today: date) -> bool:
    """Whether the database holds what ``generate`` would write for this seed, size and day."""
    from accounts.models import User
    from schools.models import School

    user = User.objects.filter(email=BENCH_USER).first()
    return user is not None and user.organisation == _marker(seed, schools, today) and School.objects.count() == schools


def empty_assessments() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(ASSESSMENT_TABLES)} RESTART IDENTITY CASCADE")


def generate(seed: int, schools: int, today: date, codes: set[str]) -> None:
    """Replace the data with the national data set for ``schools`` schools as they stand on
    ``today``, with figures for the measures ``codes`` only, from ``seed``
    (``national.generator.generate``); then no assessments or category decisions are held."""
    from django.db import connection

    from accounts.models import User
    from national import generator

    user, _ = User.objects.get_or_create(email=BENCH_USER, defaults={"full_name": "Benchmark", "role": "officer"})
    user.organisation = ""  # set last, so an interrupted run is never taken for a complete one
    user.save(update_fields=["organisation"])
    generator.generate(schools=schools, years=YEARS, seed=seed, as_of=today, measures=codes)
    empty_assessments()
    with connection.cursor() as cursor:
        for table in ("schools_school", "schools_inspection", "schools_performancemeasure", "schools_intelligencenote"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    user.organisation = _marker(seed, schools, today)
    user.save(update_fields=["organisation"])


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


def bare_read(spec, as_of: date) -> tuple[float, dict[str, int]]:
    """Execute the statements ``load_facts`` sends (``selectors.fact_queries``) and fetch every row;
    build nothing."""
    from django.db import connection

    from categorisation import selectors

    queries = selectors.fact_queries(spec, as_of)
    statements = [(label, *queryset.query.sql_with_params()) for label, queryset in queries.items()]
    rows: dict[str, int] = {}
    with connection.cursor() as cursor:
        started = time.perf_counter()
        for label, statement, params in statements:
            cursor.execute(statement, params)
            rows[label] = len(cursor.fetchall())
        elapsed = time.perf_counter() - started
    return elapsed, rows


def write_floor() -> tuple[float, dict[str, int], dict[str, float]]:
    """The job's write floor (``import_register.copy_back``): exactly the rows the whole job
    wrote — its run, its 22,000 assessments, the standings and the history rows of both — copied
    back into the real tables in one transaction. This is what storing the job's result costs the
    server alone, with nothing computed or encoded."""
    from django.db import connection

    connection.ensure_connection()
    return copy_back(connection.connection, WRITTEN_TABLES, emptied=ASSESSMENT_TABLES)


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

        floor, timings.rows_written, split = write_floor()
        timings.write_floors.append(floor)
        timings.floor_splits.append(split)
        nightly = nightly_after_a_day_of_changes(schools, as_of, seed=attempt)
        timings.nightlies.append(nightly)
        print(
            f"  run {attempt}/{repeat}: bare read {seconds:.2f}s; whole job {job.seconds:.2f}s "
            f"(load {job.load:.2f}, evaluate {job.evaluate:.2f}, write {job.write:.2f}); "
            f"re-run {rerun.seconds:.2f}s, {run.assessed} written; write floor {floor:.2f}s; "
            f"nightly after {nightly[1]} schools changed {nightly[0]:.3f}s, {nightly[2]} written"
        )
    return timings


def nightly_after_a_day_of_changes(schools: int, as_of: date, *, seed: int) -> tuple[float, int, int]:
    """A day on which ``NIGHTLY_SHARE`` of the schools changed: each gets an intelligence note graded
    high and is marked changed (as the note's service marks it), untimed; then the nightly run
    (``only_changed``), timed. The notes are deleted afterwards. Returns the seconds, the schools
    the run assessed and the assessments it wrote."""
    import random

    from accounts.models import User
    from categorisation import services
    from schools.models import IntelligenceNote, School

    ids = sorted(School.objects.values_list("pk", flat=True))
    changed = random.Random(seed).sample(  # noqa: S311 - a sample, not a secret
        ids, max(1, round(len(ids) * NIGHTLY_SHARE))
    )
    author = User.objects.get(email=BENCH_USER)
    notes = IntelligenceNote.objects.bulk_create(
        IntelligenceNote(
            school_id=pk,
            author=author,
            area="finance",
            noted_on=as_of,
            source="Benchmark",
            risk_grade="high",
            visibility="restricted",
            text="A day's change",
        )
        for pk in changed
    )
    services.mark_facts_changed(changed)
    started = time.perf_counter()
    run = services.recategorise(trigger="nightly", only_changed=True, as_of=as_of)
    elapsed = time.perf_counter() - started
    assert run.status == run.Status.SUCCEEDED, run.message
    assert run.schools >= len(changed), f"the nightly run assessed {run.schools} of {len(changed)} changed schools"
    IntelligenceNote.objects.filter(pk__in=[n.pk for n in notes]).delete()
    return elapsed, run.schools, run.assessed


def _status_mb(field: str) -> float:
    """A figure of this process's /proc/self/status in MB (VmRSS: resident now; VmHWM: the peak)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    raise LookupError(field)


def memory_probe() -> None:
    """In a process of its own (``--memory-probe``): empty the assessments and run one whole job;
    print the process's resident memory before the job and its peak, in MB. (The peak is the
    process's own, VmHWM: ``getrusage``'s maximum would start from the parent's at the fork.)"""
    from categorisation import services

    empty_assessments()
    before = _status_mb("VmRSS")
    run = services.recategorise(trigger="manual")
    assert run.status == run.Status.SUCCEEDED, run.message
    print(f"{before:.0f} {_status_mb('VmHWM'):.0f}")


def peak_memory(url: str) -> tuple[float, float]:
    """A whole job's peak memory in a fresh process: (MB before the job, MB at the peak)."""
    import subprocess

    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, __file__, "--memory-probe"], env=env, capture_output=True, text=True, check=True
    )
    before, peak = done.stdout.split()[-2:]
    return float(before), float(peak)


FAN_OUT_BROKER = "redis://127.0.0.1:6379/13"


def fan_out_probe() -> None:
    """In a process of its own with a broker (``--fan-out-probe``): empty the assessments, queue a
    full run as the portal does (``categorisation.recategorise_all_schools``: a chord of chunk tasks
    on the workers) and wait for it to finish; print the seconds from queuing to the end."""
    from accounts.authorities import current_authority_id
    from categorisation.tasks import recategorise_all_schools
    from schoolimprovement.celery import app

    empty_assessments()
    busy_before = _cpu_busy_seconds()
    started = time.perf_counter()
    sent = recategorise_all_schools.apply_async(kwargs={"trigger": "manual", "authority_id": current_authority_id()})
    answer = sent.get(timeout=600)
    if "finished_by" in answer:
        answer = app.AsyncResult(answer["finished_by"]).get(timeout=600)
    elapsed = time.perf_counter() - started
    busy = _cpu_busy_seconds() - busy_before
    assert answer["assessed"] > 0, answer
    print(f"{elapsed:.3f} {busy / elapsed:.2f}")


def _cpu_busy_seconds() -> float:
    """The seconds every core of the machine has spent busy since it started (/proc/stat: all but
    idle and waiting for I/O), to tell how many cores a run kept busy: its workers, PostgreSQL,
    Redis and anything else running."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def fanned_out(url: str, workers: int) -> tuple[float, float]:
    """A full run on ``workers`` Celery worker processes (prefork), from queuing to the end: its
    seconds and how many of the machine's cores were busy on average meanwhile."""
    import subprocess
    import tempfile

    queue = f"bench-{os.getpid()}"
    env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": FAN_OUT_BROKER, "CELERY_TASK_DEFAULT_QUEUE": queue}
    celery = str(Path(sys.executable).parent / "celery")
    with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
        worker = subprocess.Popen(
            [
                celery,
                "-A",
                "schoolimprovement",
                "worker",
                "-Q",
                queue,
                f"--concurrency={workers}",
                "--loglevel=WARNING",
            ],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--fan-out-probe"], env=env, capture_output=True, text=True, check=False
            )
            if done.returncode:
                log.seek(0)
                raise RuntimeError(f"the fan-out probe failed:\n{done.stdout}\n{done.stderr}\n{log.read()}")
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    seconds, cores = done.stdout.split()[-2:]
    return float(seconds), float(cores)


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


def report(
    timings: Timings,
    held: Counts,
    *,
    seed: int,
    repeat: int,
    as_of: date,
    params: dict[str, str],
    memory: tuple[float, float] | None,
) -> None:
    bare = statistics.median(timings.bare_reads)
    job, rerun = _median_job(timings.jobs), _median_job(timings.reruns)
    written = max(r.assessed for r in timings.reruns)
    ratio = job.seconds / bare
    floor = statistics.median(timings.write_floors)
    split = {key: statistics.median(s[key] for s in timings.floor_splits) for key in timings.floor_splits[0]}
    least = (bare + floor) / bare
    reach = "reachable" if least <= GOAL_RATIO else "out of reach"
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
        (
            "Write floor",
            f"{floor:.2f} s  (binary COPY of the rows the job wrote, then the commit: "
            + ", ".join(
                f"{timings.rows_written[t]:,} {t.removeprefix('categorisation_')} {split[t]:.2f} s"
                for t in WRITTEN_TABLES
            )
            + f", commit {split['commit']:.2f} s)",
        ),
        (
            "Least possible ratio",
            f"{least:.1f}  ((bare read + write floor) / bare read: no job that reads these facts and stores "
            f"this result can do better; goal <= {GOAL_RATIO:g}: {reach})",
        ),
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
    nightly = statistics.median(n[0] for n in timings.nightlies)
    share = nightly / job.seconds
    full_ratio = job.seconds / (bare + floor)
    changed = max(n[1] for n in timings.nightlies)
    print("\nGoals (issue 24), each against its floor in the same run, medians:")
    print("| figure | measured | floor | ratio | goal | met |")
    print("|---|---|---|---|---|---|")
    print(
        f"| nightly run after a day with {NIGHTLY_SHARE:.0%} of schools changed ({changed} assessed) "
        f"| {nightly:.3f} s | full run {job.seconds:.2f} s | {share:.1%} | <= {NIGHTLY_GOAL:.0%} "
        f"| {_verdict(share <= NIGHTLY_GOAL)} |"
    )
    print(
        f"| full recategorisation | {job.seconds:.2f} s | bare read {bare:.2f} s + write floor {floor:.2f} s "
        f"| {full_ratio:.2f} | <= {FULL_GOAL:g} | {_verdict(full_ratio <= FULL_GOAL)} |"
    )
    if memory is not None:
        before, peak = memory
        print(
            f"| peak memory of a full run's process | {peak:.0f} MB | {before:.0f} MB before the job "
            f"| | <= {MEMORY_GOAL_MB} MB | {_verdict(peak <= MEMORY_GOAL_MB)} |"
        )
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
    parser.add_argument("--no-memory", action="store_true", help="skip the peak memory run in a fresh process")
    parser.add_argument("--memory-probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--fan-out-probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--workers",
        type=int,
        nargs="*",
        default=[],
        help="also time a full run fanned out on Celery workers of these sizes (e.g. --workers 1 2; Redis on 6379/13)",
    )
    args = parser.parse_args(argv)
    if args.memory_probe or args.fan_out_probe:  # as a worker would start: Django set up, no migrations run
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schoolimprovement.settings")
        import django

        django.setup()
        from django.conf import settings

        settings.DEBUG = False  # no per-query log, as in production
        from accounts.authorities import working_in
        from accounts.models import Authority

        with working_in(Authority.objects.order_by("pk").first()):
            fan_out_probe() if args.fan_out_probe else memory_probe()
        return
    if args.schools < 1 or args.repeat < 1:
        parser.error("--schools and --repeat must be at least 1")

    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    params = ensure_database(url)
    setup_django(url)
    from django.utils import timezone

    from categorisation import selectors

    as_of = timezone.localdate()
    spec = selectors.spec_for(selectors.active_version())
    if args.keep and data_matches(args.seed, args.schools, as_of):
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
    memory = None if args.no_memory else peak_memory(url)
    report(timings, held, seed=args.seed, repeat=args.repeat, as_of=as_of, params=params, memory=memory)
    for workers in args.workers:
        runs = sorted(fanned_out(url, workers) for _ in range(args.repeat))
        seconds, cores = runs[(len(runs) - 1) // 2]
        print(
            f"| full run fanned out on {workers} worker process{'es' if workers != 1 else ''} (chord of chunks) "
            f"| {seconds:.2f} s | runs: {', '.join(f'{r:.2f}' for r, _ in runs)} | {cores:.2f} of "
            f"{os.cpu_count()} cores busy on average |"
        )
    if args.profile:
        profile_job()


if __name__ == "__main__":
    main()
