"""Benchmark: import a whole-England-sized GIAS register through the real import service.

What it measures
----------------
A file in the GIAS establishments layout (``edubasealldata``: 139 columns, Windows-1252) with
22,000 rows — about the number of open state schools in England — is built from real rows: the
demo register (``schools.demo.build``: Birmingham, the Warwickshire area and the two published
GIAS samples) replicated with unique URNs (200000 + i), establishment numbers unique within each
local authority and names suffixed with the URN. Every other column is kept as in the real row,
so the parsers see the real mix of dates, codes, blanks, trusts and federations.

On PostgreSQL (``DATABASE_URL``, by default a ``schoolimprovement_bench`` database on
127.0.0.1, created if missing and migrated) it times, with ``time.perf_counter``:

* a full import into empty schools tables — ``services.start_command_import`` then
  ``imports.run_import``, exactly what ``manage.py import_file`` runs — median of ``--repeat``;
* a ``COPY`` of the same bytes into a scratch table of 139 text columns, median of
  ``--repeat``, interleaved with the imports so both see the same server state;
* a second import of the same, unchanged file (it must report 0 created and 0 updated): each
  row's digest matches the one the first import stored, so no row is read, checked or written
  (issue 24); its goal is at most 1.5 times the median ``COPY`` of the same run;
* a dry run of the same file (it compares each row's digest too, and writes nothing);
* a second floor: a binary ``COPY`` of the imported schools, already typed, into a clone of the
  schools table with its indexes and check constraints (``LIKE schools_school INCLUDING ALL``):
  what writing these rows costs the server with no reading, checking or comparing at all;
* a third floor, the second with the audit trail: exactly what the import wrote — the typed
  schools and the import's own history rows (one per school it created, as issue 8 requires) —
  captured and deleted untimed, then copied back in binary into the real tables, with every
  index, check and foreign key (each school's local authority, trust and federation, checked at
  the commit), in one transaction up to the end of its commit. No import that keeps the audit
  trail can write less than this, so if this floor alone is near or over 3 times the text
  ``COPY``, the goal below cannot be met without giving up the audit trail. (The typed floor's
  clone, made with ``LIKE``, has no foreign keys.) Since issue 24 the import also stores one
  digest per row (``schools_importrowhash``), which the floor copies back too: the goal for the
  full import is at most 1.5 times this floor, median against median of the same run.

The data of every ``COPY`` floor is read or fetched beforehand, untimed; each is timed from the
start of its first ``COPY`` to the end of its commit, as the import's own writing is.

Why COPY is the floor
---------------------
``COPY ... FROM STDIN`` is the fastest way PostgreSQL offers to get a CSV file into a table: one
statement, the server's own C CSV parser and encoding conversion, no per-row round trips, and
here no type conversion, no constraints and no indexes (the table is an ordinary, logged one,
as the schools table is). The
import has to do strictly more — decode, validate 48 columns, resolve local authorities, trusts
and federations, compare with what is held, and write typed rows into an indexed, logged table
in one transaction — so no implementation of it can beat that COPY. The ratio import/COPY says
how far the service is from the floor; the goal is a ratio of 3 or less.

Run it from the repository root::

    .venv/bin/python benchmarks/import_register.py [--rows 22000] [--repeat 3] [--profile]

Django's per-query logging (``DEBUG=True`` in the demo settings) is switched off for the
benchmark, as it is in production.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import logging
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

if TYPE_CHECKING:
    from schools.models import ImportRun

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/schoolimprovement_bench"
KIND = "gias_establishments"
ENCODING = "cp1252"  # Windows-1252, as GIAS publishes
HEADER_COLUMNS = 139
FIRST_URN = 200_000
MAX_ESTABLISHMENT_NUMBER = 9999  # four digits: LAESTAB is the LA code followed by these
NAME_MAX_LENGTH = 255
COPY_CHUNK = 1 << 20
SCRATCH_TABLE = "bench_register_copy"
GOAL_RATIO = 3.0
GOAL_REIMPORT_RATIO = 1.5  # the unchanged re-import against the text COPY (issue 24)
GOAL_FLOOR_RATIO = 1.5  # the full import against its write floor (issue 24)


@dataclass(frozen=True)
class Timings:
    imports: list[float]
    copies: list[float]
    reimports: list[float]
    dry_runs: list[float]
    typed_copies: list[float]
    typed_history_copies: list[float]


# The file ------------------------------------------------------------------------------------


def read_register(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a register in the published layout."""
    with path.open(encoding=ENCODING, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [row for row in reader if row]
    return header, rows


def replicate(header: list[str], source: list[list[str]], rows: int) -> list[list[str]]:
    """``rows`` copies of the real rows, each with a new URN, establishment number and name.

    Establishment numbers run from 1 within each local authority; a row whose authority has
    used all four-digit numbers is passed over for the next real row, and a row with no
    establishment number (as some real ones have) keeps none.
    """
    urn_at, la_at = header.index("URN"), header.index("LA (code)")
    number_at, name_at = header.index("EstablishmentNumber"), header.index("EstablishmentName")
    used: dict[str, int] = defaultdict(int)
    out: list[list[str]] = []
    while len(out) < rows:
        added = len(out)
        for real in source:
            if len(out) == rows:
                break
            row = list(real)
            if row[number_at].strip():
                la = row[la_at]
                if used[la] >= MAX_ESTABLISHMENT_NUMBER:
                    continue
                used[la] += 1
                row[number_at] = str(used[la])
            urn = FIRST_URN + len(out)
            suffix = f" ({urn})"
            row[urn_at] = str(urn)
            row[name_at] = row[name_at][: NAME_MAX_LENGTH - len(suffix)] + suffix
            out.append(row)
        if len(out) == added:
            raise SystemExit(f"Cannot make {rows} rows with unique establishment numbers from these rows")
    return out


def build_file(out_dir: Path, rows: int) -> Path:
    """Write the benchmark register into ``out_dir`` from the demo register's real rows."""
    from schools import demo

    files = demo.build(out_dir / "demo")
    header, source = read_register(files.register)
    if len(header) != HEADER_COLUMNS:
        raise SystemExit(f"The demo register has {len(header)} columns, not {HEADER_COLUMNS}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(replicate(header, source, rows))
    path = out_dir / f"edubasealldata_bench_{rows}.csv"
    path.write_bytes(buffer.getvalue().encode(ENCODING))
    return path


# The database --------------------------------------------------------------------------------


def ensure_database(url: str) -> dict[str, str]:
    """Create the database named in ``url`` if it does not exist; returns its connection params."""
    params = {key: str(value) for key, value in conninfo_to_dict(url).items()}
    name = params.get("dbname", "")
    if not name:
        raise SystemExit("DATABASE_URL must name a database")
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}")
    return params


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    # Each import keeps its file (issue 24): in a scratch directory, not the checkout's var/.
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="import-register-media-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schoolimprovement.settings")
    import django

    django.setup()
    from django.conf import settings

    # No per-query logging: production runs with DEBUG off, and the log would cost time and memory.
    settings.DEBUG = False
    # The service logs one line per run; keep the benchmark's own output readable.
    logging.getLogger("schools.imports").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    # The benchmarks work in the first authority (the default one the migrations make), for the
    # rest of the process, as a request of one of its people would.
    from accounts.authorities import working_in
    from accounts.models import Authority

    _SCOPE.enter_context(working_in(Authority.objects.order_by("pk").values_list("pk", flat=True).first()))


_SCOPE = ExitStack()


def empty_schools_tables() -> None:
    from django.db import connection

    from schools.models import ImportRowHash, ImportRun, LocalAuthority, School, SchoolGroup

    models = (School, LocalAuthority, SchoolGroup, ImportRun, School.history.model, ImportRowHash)
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def school_count() -> int:
    from schools.models import School

    return School.objects.count()


def history_table_name() -> str:
    """The table of the schools' audit trail (issue 8)."""
    from schools.models import School

    return School.history.model._meta.db_table


def history_count() -> int:
    from schools.models import School

    return School.history.model.objects.count()


# The measurements ----------------------------------------------------------------------------


def import_once(raw: bytes, file_name: str, *, dry_run: bool) -> tuple[float, ImportRun]:
    """Import the file through the real service; returns the seconds taken and the run.

    A successful import queues the recategorisation of every school once it commits. In production
    a Celery worker runs that job, not the import; here tasks would run inline, inside the timed
    import, so the job is queued to a stand-in that only notes it (``benchmarks/recategorise.py``
    measures the job)."""
    from categorisation import services as categorisation
    from schools import imports, services

    def queue(**job) -> None:
        """Where the recategorisation is queued during the timed import."""

    enqueue, categorisation.enqueue_recategorisation = categorisation.enqueue_recategorisation, queue
    try:
        started = time.perf_counter()
        run = services.start_command_import(
            kind=KIND, file_name=file_name, raw=raw, dry_run=dry_run, academic_year=None
        )
        run = imports.run_import(run=run, raw=raw)
        elapsed = time.perf_counter() - started
    finally:
        categorisation.enqueue_recategorisation = enqueue
    run.refresh_from_db()
    return elapsed, run


def check_run(run: ImportRun, *, created: int, updated: int, unchanged: int) -> None:
    assert run.status == run.Status.SUCCEEDED, f"import failed: {run.message} {run.errors[:5]}"
    got = (run.created, run.updated, run.unchanged)
    assert got == (created, updated, unchanged), f"expected {(created, updated, unchanged)}, got {got}: {run.message}"


def copy_once(params: dict[str, str], header: list[str], raw: bytes, rows: int) -> float:
    """COPY the file into a fresh table of text columns; returns the seconds taken."""
    table = sql.Identifier(SCRATCH_TABLE)
    columns = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(name)) for name in header)
    statement = sql.SQL("COPY {} FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'WIN1252')").format(table)
    with psycopg.connect(**params) as conn:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        conn.execute(sql.SQL("CREATE TABLE {} ({})").format(table, columns))
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor, cursor.copy(statement) as copy:
            for start in range(0, len(raw), COPY_CHUNK):
                copy.write(raw[start : start + COPY_CHUNK])
        conn.commit()
        elapsed = time.perf_counter() - started
        copied = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone()
        conn.execute(sql.SQL("DROP TABLE {}").format(table))
        conn.commit()
    assert copied is not None
    assert copied[0] == rows, f"COPY loaded {copied[0]} rows, not {rows}"
    return elapsed


def typed_copy_once(params: dict[str, str], rows: int) -> float:
    """COPY the imported schools, already typed, into a clone of the schools table with all its
    indexes and check constraints; returns the seconds taken. This is what writing these rows
    costs the server on its own, with no reading, checking or comparing at all."""
    table = sql.Identifier(SCRATCH_TABLE + "_typed")
    with psycopg.connect(**params) as conn:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        conn.execute(sql.SQL("CREATE TABLE {} (LIKE schools_school INCLUDING ALL)").format(table))
        buffer = io.BytesIO()
        with conn.cursor() as cursor, cursor.copy("COPY schools_school TO STDOUT (FORMAT binary)") as copy:
            for chunk in copy:
                buffer.write(chunk)
        conn.commit()
        started = time.perf_counter()
        statement = sql.SQL("COPY {} FROM STDIN (FORMAT binary)").format(table)
        with conn.cursor() as cursor, cursor.copy(statement) as copy:
            copy.write(buffer.getvalue())
        conn.commit()
        elapsed = time.perf_counter() - started
        copied = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone()
        conn.execute(sql.SQL("DROP TABLE {}").format(table))
        conn.commit()
    assert copied is not None
    assert copied[0] == rows, f"typed COPY loaded {copied[0]} rows, not {rows}"
    return elapsed


def _binary_copy_out(conn: psycopg.Connection, table: str) -> bytes:
    """The whole of ``table`` in PostgreSQL's binary COPY format."""
    buffer = io.BytesIO()
    statement = sql.SQL("COPY {} TO STDOUT (FORMAT binary)").format(sql.Identifier(table))
    with conn.cursor() as cursor, cursor.copy(statement) as copy:
        for chunk in copy:
            buffer.write(chunk)
    return buffer.getvalue()


def _count(conn: psycopg.Connection, table: str) -> int:
    row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()
    assert row is not None
    return row[0]


def copy_back(
    conn: psycopg.Connection, tables: tuple[str, ...], *, emptied: tuple[str, ...] = ()
) -> tuple[float, dict[str, int], dict[str, float]]:
    """A write floor: write again exactly the rows ``tables`` hold (parents first).

    Untimed, their rows are captured in binary and the tables emptied (with ``emptied`` and
    whatever refers to them; the sequences stay where they are). Then, in one transaction, each
    table's rows are copied back, already typed, into the real table with every index, check and
    foreign key (the foreign keys checked at the commit, as for the job measured). Returns the
    seconds from the first COPY to the end of the commit, the rows by table, and the seconds by
    table and for the commit. The tables end as they were."""
    captured = {table: _binary_copy_out(conn, table) for table in tables}
    rows = {table: _count(conn, table) for table in tables}
    names = sql.SQL(", ").join(map(sql.Identifier, dict.fromkeys(tables + emptied)))
    conn.execute(sql.SQL("TRUNCATE {} CASCADE").format(names))
    conn.commit()
    split: dict[str, float] = {}
    started = time.perf_counter()
    with conn.transaction(), conn.cursor() as cursor:
        for table in tables:
            with cursor.copy(sql.SQL("COPY {} FROM STDIN (FORMAT binary)").format(sql.Identifier(table))) as copy:
                copy.write(captured[table])
            split[table] = time.perf_counter() - started - sum(split.values())
    elapsed = time.perf_counter() - started
    split["commit"] = elapsed - sum(split.values())
    for table in tables:
        assert _count(conn, table) == rows[table], f"the write floor did not restore {table}"
    return elapsed, rows, split


DIGEST_TABLE = "schools_importrowhash"


def typed_with_history_copy_once(params: dict[str, str], rows: int, history_table: str) -> float:
    """The import's write floor (``copy_back``): exactly what it wrote — the schools, their
    history rows and the rows' digests — copied back into the real tables, with the local
    authorities, trusts and federations checked at the commit as for the import. This is the
    least the server must do to store these rows with the audit trail issue 8 requires and the
    digests that let the next import skip them (issue 24), with no reading, checking or comparing
    at all. Nothing else refers to the schools in the benchmark's database."""
    tables = ("schools_school", history_table, DIGEST_TABLE)
    with psycopg.connect(**params) as conn:
        elapsed, written, _ = copy_back(conn, tables)
    # A row with a warning gets no digest (it is read every time), so there may be fewer digests.
    expected = {"schools_school": rows, history_table: rows, DIGEST_TABLE: min(rows, written[DIGEST_TABLE])}
    assert written == expected, f"expected {rows} of each, got {written}"
    return elapsed


def measure(params: dict[str, str], path: Path, rows: int, repeat: int) -> Timings:
    raw = path.read_bytes()
    header = next(csv.reader([raw.split(b"\r\n", 1)[0].decode(ENCODING)]))
    imports: list[float] = []
    copies: list[float] = []
    typed: list[float] = []
    typed_history: list[float] = []
    history_table = history_table_name()
    for attempt in range(1, repeat + 1):
        empty_schools_tables()
        seconds, run = import_once(raw, path.name, dry_run=False)
        check_run(run, created=rows, updated=0, unchanged=0)
        assert school_count() == rows, f"{school_count()} schools after the import, not {rows}"
        imports.append(seconds)
        copies.append(copy_once(params, header, raw, rows))
        typed.append(typed_copy_once(params, rows))
        # After an import into empty tables the history table holds that import's rows alone.
        assert history_count() == rows, f"{history_count()} history rows after the import, not {rows}"
        typed_history.append(typed_with_history_copy_once(params, rows, history_table))
        print(
            f"  run {attempt}/{repeat}: import {imports[-1]:.2f}s, COPY {copies[-1]:.3f}s, "
            f"typed COPY {typed[-1]:.3f}s, write floor {typed_history[-1]:.3f}s"
        )
    reimports: list[float] = []
    dry_runs: list[float] = []
    for attempt in range(1, repeat + 1):
        seconds, run = import_once(raw, path.name, dry_run=False)
        check_run(run, created=0, updated=0, unchanged=rows)
        reimports.append(seconds)
        seconds, run = import_once(raw, path.name, dry_run=True)
        check_run(run, created=0, updated=0, unchanged=rows)
        dry_runs.append(seconds)
        print(f"  run {attempt}/{repeat}: re-import {reimports[-1]:.2f}s, dry run {dry_runs[-1]:.2f}s")
    assert school_count() == rows
    return Timings(imports, copies, reimports, dry_runs, typed, typed_history)


def profile_import(path: Path, rows: int, top: int = 25) -> None:
    """Profile one full import into empty tables and print the top functions by cumulative time."""
    raw = path.read_bytes()
    empty_schools_tables()
    profiler = cProfile.Profile()
    profiler.enable()
    _, run = import_once(raw, path.name, dry_run=False)
    profiler.disable()
    check_run(run, created=rows, updated=0, unchanged=0)
    print(f"\nProfile of one full import (top {top} by cumulative time):")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats(pstats.SortKey.CUMULATIVE).print_stats(top)


# The report ----------------------------------------------------------------------------------


def git_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} (with uncommitted changes)" if changed else commit


def server_version(params: dict[str, str]) -> str:
    with psycopg.connect(**params) as conn:
        row = conn.execute("SELECT version()").fetchone()
    return str(row[0]) if row else "unknown"


def report(timings: Timings, *, rows: int, repeat: int, file_bytes: int, params: dict[str, str]) -> None:
    imported, copied = statistics.median(timings.imports), statistics.median(timings.copies)
    reimported, dry_run = statistics.median(timings.reimports), statistics.median(timings.dry_runs)
    with_history = statistics.median(timings.typed_history_copies)
    again, floored = reimported / copied, imported / with_history
    lines = [
        ("Rows", f"{rows:,}"),
        ("File", f"{file_bytes / 1e6:.1f} MB, {HEADER_COLUMNS} columns, Windows-1252"),
        ("Import (empty tables)", f"{imported:.2f} s  ({rows / imported:,.0f} rows/s)"),
        ("COPY into text table (floor)", f"{copied:.3f} s"),
        ("Ratio import / COPY", f"{imported / copied:.1f}  (goal <= {GOAL_RATIO:g}: {_verdict(imported / copied)})"),
        ("Re-import, unchanged", f"{reimported:.2f} s"),
        (
            "Ratio re-import / COPY",
            f"{again:.2f}  (goal <= {GOAL_REIMPORT_RATIO:g}: {'met' if again <= GOAL_REIMPORT_RATIO else 'not met'})",
        ),
        ("Dry run", f"{dry_run:.2f} s"),
        ("Typed rows COPY into an indexed clone of schools", f"{statistics.median(timings.typed_copies):.3f} s"),
        ("Ratio typed COPY / COPY", f"{statistics.median(timings.typed_copies) / copied:.1f}"),
        ("Write floor: the rows, their history rows and digests, copied back", f"{with_history:.3f} s"),
        (
            "Ratio import / write floor",
            f"{floored:.2f}  (goal <= {GOAL_FLOOR_RATIO:g}: {'met' if floored <= GOAL_FLOOR_RATIO else 'not met'})",
        ),
        (
            "Least possible ratio (write floor / COPY)",
            f"{with_history / copied:.1f}  (no import that stores these rows with their audit trail can do better; "
            f"goal <= {GOAL_RATIO:g}: {'reachable' if with_history / copied <= GOAL_RATIO else 'out of reach'})",
        ),
    ]
    facts = [
        ("Platform", platform.platform()),
        ("Python", platform.python_version()),
        ("CPUs", str(os.cpu_count())),
        ("PostgreSQL", server_version(params)),
        ("Commit", git_commit()),
        ("Timing", f"median of {repeat} run{'s' if repeat != 1 else ''}"),
    ]
    width = max(len(label) for label, _ in lines + facts)
    print()
    for label, value in lines:
        print(f"{label:<{width}}  {value}")
    print()
    for label, value in facts:
        print(f"{label:<{width}}  {value}")


def _verdict(ratio: float) -> str:
    return "met" if ratio <= GOAL_RATIO else "not met"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=22_000, help="rows in the register (default 22000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is reported")
    parser.add_argument("--profile", action="store_true", help="also profile one full import with cProfile")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be at least 1")

    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    params = ensure_database(url)
    setup_django(url)
    with tempfile.TemporaryDirectory(prefix="import-register-bench-") as tmp:
        path = build_file(Path(tmp), args.rows)
        file_bytes = path.stat().st_size
        print(f"Register: {path.name}, {args.rows:,} rows, {file_bytes / 1e6:.1f} MB; database {params['dbname']}")
        timings = measure(params, path, args.rows, args.repeat)
        report(timings, rows=args.rows, repeat=args.repeat, file_bytes=file_bytes, params=params)
        if args.profile:
            profile_import(path, args.rows)


if __name__ == "__main__":
    main()
