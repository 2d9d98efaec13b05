"""Benchmark: build the monthly commissioner report for England through the real reporting service.

What it measures
----------------
A PostgreSQL database (``DATABASE_URL``, by default a ``schoolimprovement_bench_report`` database
on 127.0.0.1, created if missing and migrated, which loads the three built-in frameworks with the
tiered one active) is filled with the national data set of ``manage.py generate_national_dataset``
(``national.generator``, the same function), deterministically from ``--seed``: ten years of case
data as it stood on 20 November 2026 for ``--schools`` schools (22,000 by default, about the state
schools of England) in England's 151 local authorities, in the shapes of the real files in
``data/``:

* the register: the census's mix of phases (about 78% primary, 15% secondary, the rest special,
  nursery and all-through), maintained schools and academies in each phase as the GIAS group
  links have them, pupils on roll and free school meals as in the census; a few opened and a few
  closed in the ten years;
* Ofsted inspections at Ofsted's rhythm (ungraded every four years or so for good schools,
  re-inspection within about 30 months after a grade of 3, monitoring after a 4, the pandemic
  pause and catch-up), in the shape of their date: graded (overall 1–4, with key judgements) or
  ungraded before September 2024, key judgements only from September 2024, report cards from
  10 November 2025; each school points at its latest;
* ten academic years (2015/16 to 2024/25) of key stage 2, key stage 4, absence, census and
  exclusion measures, shaped as the performance tables files are, with their suppression markers
  and, as published, no key stage or absence figures for the pandemic years; and national
  figures (the report reads its floor measures out of that realistic table);
* category decisions every year or two for every school on the active framework's categories,
  and each school's agreed category;
* a priority list in every academic year since 2016/17, drawn from about 2,000 schools (scaled
  with ``--schools``), as the board keeps it: agreed in October, carried forward at the July
  review, schools added and removed in year at its monthly meetings, with the board's decisions;
  a support package for each school on the list with its allocations to its priority partner,
  adjustments, visits, an action plan with actions and deadlines, and progress meetings with
  their actions;
* warning notices, monthly schools-causing-concern meetings with their actions, intelligence
  notes, and the people (officers, partners, heads, the board, a commissioner, an administrator).

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
script replaces the schools and everything about them (``national.generator``) and empties the
reporting tables of its database: do not point it at a database whose data you want to keep.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_register import ensure_database, git_commit, server_version, setup_django

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/schoolimprovement_bench_report"
DEFAULT_PERIOD = date(2026, 10, 1)
AS_OF = date(2026, 11, 20)  # the day the generated data stands at: the report is built after its month
GOAL_SECONDS = 10.0
YEARS = 10
BENCH_USER = "report-benchmark@example.invalid"


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
    "inspections",
    "floor_figures_and_national",
    "list_changes",
    "notices_and_list_sizes",
    "categories",
    "category_changes",
    "support_rows",
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


def _marker(seed: int, schools: int) -> str:
    return f"monthly report benchmark, national data set: seed {seed}, {schools} schools, as of {AS_OF}"


def _models() -> list:
    """The tables the national generator fills, and the reports built from them."""
    from national.generator import FILLED
    from reporting.models import MonthlyReport

    return [*FILLED, MonthlyReport]


def data_matches(seed: int, schools: int) -> bool:
    """Whether the database holds what ``generate`` would write for this seed and size."""
    from accounts.models import User
    from schools.models import School

    user = User.objects.filter(email=BENCH_USER).first()
    return user is not None and user.organisation == _marker(seed, schools) and School.objects.count() == schools


def generate(seed: int, schools: int) -> None:
    """Replace the data with the national data set for ``schools`` schools and ten years as of
    ``AS_OF``, from ``seed`` (``national.generator.generate``), and empty the reports built from
    the data it replaces."""
    from django.db import connection

    from accounts.models import User
    from national import generator
    from reporting.models import MonthlyReport

    officer, _ = User.objects.get_or_create(
        email=BENCH_USER, defaults={"full_name": "Report benchmark officer", "role": "officer"}
    )
    officer.organisation = ""  # set last, so an interrupted run is never taken for a complete one
    officer.save(update_fields=["organisation"])
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {quote(MonthlyReport._meta.db_table)} RESTART IDENTITY CASCADE")
    generator.generate(schools=schools, years=YEARS, seed=seed, as_of=AS_OF)
    with connection.cursor() as cursor:
        for model in _models():
            cursor.execute(f"VACUUM ANALYZE {quote(model._meta.db_table)}")
    officer.organisation = _marker(seed, schools)
    officer.save(update_fields=["organisation"])


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
