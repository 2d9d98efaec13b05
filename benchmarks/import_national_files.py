"""Benchmark: national-size published files through the real import service (issue 18, point 5).

What it measures
----------------
Two files at the size the portal meets in production, built from real published rows only:

* a GIAS ``edubasealldata`` register of ``--gias-rows`` rows (default 50,000: open and closed
  establishments, as GIAS publishes the whole register), in the 140-column layout of
  ``tests/fixtures/published/gias/gias_edubasealldata_2024_itt-mentor-services.csv`` (its header
  line kept byte for byte). Its rows are that file's 8 real rows and the 99 real rows of
  ``data/gias/gias_establishments_sample_2021_npq-registration.csv`` (139 columns, mapped to the
  140-column header by column name; a column it lacks is left empty), replicated with a unique
  URN (200000 + i), an establishment number unique within its local authority and the name
  suffixed with the URN. The copies of the British school overseas keep its layout and must be
  skipped; their count is printed.
* an Ofsted management information file, latest inspections, graded layout, of
  ``--ofsted-rows`` rows (default 22,000), header line byte for byte from
  ``tests/fixtures/published/ofsted/mi_latest_31aug2024_graded_first22rows.csv``, its 22 real rows
  replicated. Each copy points at a distinct school the register import created (plus
  ``--unknown`` URNs that are in no register, default 50); its "URN at time of ..." columns
  follow the URN, and every inspection number is made unique by a serial suffix (``ITS...``
  numbers stay ``ITS`` + digits).

On PostgreSQL (``DATABASE_URL``, by default a ``schoolimprovement_bench_files`` database on
127.0.0.1, created if missing and migrated) it times with ``time.perf_counter``, from
``services.start_command_import`` to the end of ``imports.run_import`` (what
``manage.py import_file`` runs):

(a) the GIAS import into empty tables; (b) a dry run of the same file; (c) a second import of it
(0 created, 0 updated expected); (d) the Ofsted import; (e) its re-import (0/0 expected); and
(f) ``services.undo_import`` of the Ofsted import with ``by=None``, each of its statements
(its ``COMMIT`` included) capped by PostgreSQL's ``statement_timeout`` (``--undo-timeout``, 120 s):
an undo that does not finish is rolled back and reported as such.

For each it prints the run's counts (rows read, created, updated, unchanged, skipped, warnings,
unknown schools), status, seconds and how many times the ``progress`` callback was called. It
prints numbers only and asserts no times. The recategorisation a successful import queues runs
on a Celery worker in production; here it is queued to a stand-in, as in ``import_register.py``.

Run it from the repository root::

    .venv/bin/python benchmarks/import_national_files.py [--gias-rows 50000] [--ofsted-rows 22000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from import_register import replicate  # noqa: E402 - a sibling script, found once the path is set

if TYPE_CHECKING:
    from schools.models import ImportRun

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/schoolimprovement_bench_files"
GIAS_FILE = REPO_ROOT / "tests/fixtures/published/gias/gias_edubasealldata_2024_itt-mentor-services.csv"
GIAS_SAMPLE = REPO_ROOT / "data/gias/gias_establishments_sample_2021_npq-registration.csv"
OFSTED_FILE = REPO_ROOT / "tests/fixtures/published/ofsted/mi_latest_31aug2024_graded_first22rows.csv"
ENCODING = "cp1252"  # as GIAS and Ofsted publish
FIRST_URN = 200_000
FIRST_UNKNOWN_URN = 990_000  # above every URN the register file holds
BSO_TYPE = "british schools overseas"
NUMBER_COLUMNS = (
    "Latest ungraded inspection number since last graded inspection",
    "Inspection number of latest graded inspection",
    "Previous graded inspection number",
)


# The files -----------------------------------------------------------------------------------


def _split_header(raw: bytes) -> tuple[bytes, str, str]:
    """The header line's bytes (with its line ending), the rest decoded, and the line ending."""
    end = raw.index(b"\n") + 1
    newline = "\r\n" if raw[:end].endswith(b"\r\n") else "\n"
    return raw[:end], raw[end:].decode(ENCODING), newline


def _write(header_line: bytes, rows: list[list[str]], newline: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    return header_line + buffer.getvalue().encode(ENCODING, errors="replace")


def build_gias(rows: int) -> tuple[bytes, int]:
    """The register's bytes and how many of its rows are British schools overseas."""
    header_line, body, newline = _split_header(GIAS_FILE.read_bytes())
    header = next(csv.reader([header_line.decode(ENCODING)]))
    source = [row for row in csv.reader(io.StringIO(body)) if row]
    with GIAS_SAMPLE.open(encoding="utf-8", newline="") as handle:  # the sample is UTF-8 (Ynys Môn)
        reader = csv.reader(handle)
        sample_header = next(reader)
        for real in reader:
            if real:
                by_name = dict(zip(sample_header, real, strict=False))
                source.append([by_name.get(name, "") for name in header])
    type_at = header.index("TypeOfEstablishment (name)")
    out = replicate(header, source, rows)  # the register benchmark's copies: new URN, number and name
    overseas = sum(row[type_at].strip().lower() == BSO_TYPE for row in out)
    return _write(header_line, out, newline), overseas


def build_ofsted(rows: int, urns: list[int], unknown: int) -> bytes:
    """The Ofsted file's bytes: the real rows replicated onto distinct ``urns`` and ``unknown``
    URNs in no register, every inspection number unique."""
    header_line, body, newline = _split_header(OFSTED_FILE.read_bytes())
    header = next(csv.reader([header_line.decode(ENCODING)]))
    source = [row for row in csv.reader(io.StringIO(body)) if row]
    known = rows - unknown
    if known > len(urns):
        raise SystemExit(f"{known} Ofsted rows need as many schools; the register import made {len(urns)}")
    targets = [urns[i * len(urns) // known] for i in range(known)]
    targets += [FIRST_UNKNOWN_URN + i for i in range(unknown)]
    urn_at = header.index("URN")
    at_time = [i for i, name in enumerate(header) if name.startswith("URN at time of")]
    numbers = [header.index(name) for name in NUMBER_COLUMNS]
    out: list[list[str]] = []
    serial = 0
    for i, urn in enumerate(targets):
        row = list(source[i % len(source)])
        old = row[urn_at]
        row[urn_at] = str(urn)
        for at in at_time:
            if row[at] == old:
                row[at] = str(urn)
        for at in numbers:
            value = row[at].strip()
            if value and value.upper() != "NULL":
                serial += 1
                row[at] = f"{value}{serial:06d}"  # ITS411816 -> ITS411816000123; digits stay digits
        out.append(row)
    return _write(header_line, out, newline)


# The database --------------------------------------------------------------------------------


def ensure_database(url: str) -> dict[str, str]:
    params = {key: str(value) for key, value in conninfo_to_dict(url).items()}
    name = params.get("dbname", "")
    if not name:
        raise SystemExit("DATABASE_URL must name a database")
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}")
    return params


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    # Each import keeps its file (issue 24): in a scratch directory, not the checkout's var/.
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="import-national-files-media-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schoolimprovement.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no per-query logging, as in production
    logging.getLogger("schools.imports").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def empty_schools_tables() -> None:
    """Empty the schools, authorities, groups, import runs, the rows' digests and audit trail (and,
    by CASCADE, the inspections and import changes that refer to them)."""
    from django.db import connection

    from schools.models import ImportRowHash, ImportRun, LocalAuthority, School, SchoolGroup

    models = (School, LocalAuthority, SchoolGroup, ImportRun, School.history.model, ImportRowHash)
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


# The measurements ----------------------------------------------------------------------------


class Progress:
    """Counts the import's progress calls and prints a line at about every quarter of each phase."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.calls = 0
        self.printed: dict[str, int] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        self.calls += 1
        quarter = 4 * done // total if total else 4
        if quarter > self.printed.get(phase, -1):
            self.printed[phase] = quarter
            print(f"    [{self.label}] {phase}: {done:,}/{total:,}")


def import_once(kind: str, raw: bytes, file_name: str, *, dry_run: bool, label: str) -> tuple[float, ImportRun, int]:
    """Import through the real service; returns the seconds, the run and the progress calls."""
    from categorisation import services as categorisation
    from schools import imports, services

    def queue(**job) -> None:
        """The recategorisation a successful import queues: a Celery job in production."""

    progress = Progress(label)
    enqueue, categorisation.enqueue_recategorisation = categorisation.enqueue_recategorisation, queue
    try:
        started = time.perf_counter()
        run = services.start_command_import(
            kind=kind, file_name=file_name, raw=raw, dry_run=dry_run, academic_year=None
        )
        run = imports.run_import(run=run, raw=raw, progress=progress)
        elapsed = time.perf_counter() - started
    finally:
        categorisation.enqueue_recategorisation = enqueue
    run.refresh_from_db()
    return elapsed, run, progress.calls


RESULT_FIELDS = ("rows_read", "created", "updated", "unchanged", "skipped", "warning_count", "unknown_school_count")


def result(step: str, seconds: float, run: ImportRun, calls: int) -> dict:
    row = {"step": step, "seconds": seconds, "progress": calls, "status": run.status, "message": run.message}
    row.update({name: getattr(run, name) for name in RESULT_FIELDS})
    print(
        f"  {step}: {seconds:.2f} s, status {run.status}, "
        + ", ".join(f"{name} {row[name]:,}" for name in RESULT_FIELDS)
        + f", progress calls {calls}"
    )
    if run.status != run.Status.SUCCEEDED:
        print(f"    message: {run.message}; errors: {run.errors[:3]}")
    return row


def repeated(step: str, times: int, once) -> dict:
    """``once()`` run ``times`` times; the last run's counts with the median of the seconds."""
    rows = [result(step, *once()) for _ in range(times)]
    return rows[-1] | {"seconds": statistics.median(r["seconds"] for r in rows)}


def measure(
    gias: bytes, ofsted_rows: int, unknown: int, repeat: int, undo_timeout: float
) -> tuple[list[dict], str, int]:
    from schools import services
    from schools.models import School

    results: list[dict] = []

    def gias_fresh():
        empty_schools_tables()
        return import_once("gias_establishments", gias, "edubasealldata_national.csv", dry_run=False, label="a")

    results.append(repeated("(a) GIAS import, empty tables", repeat, gias_fresh))
    results.append(
        repeated(
            "(b) GIAS dry run",
            repeat,
            lambda: import_once("gias_establishments", gias, "edubasealldata_national.csv", dry_run=True, label="b"),
        )
    )
    results.append(
        repeated(
            "(c) GIAS re-import",
            repeat,
            lambda: import_once("gias_establishments", gias, "edubasealldata_national.csv", dry_run=False, label="c"),
        )
    )

    urns = sorted(School.objects.values_list("urn", flat=True))
    ofsted = build_ofsted(ofsted_rows, urns, unknown)
    print(f"Ofsted file: {ofsted_rows:,} rows ({unknown} URNs in no register), {len(ofsted) / 1e6:.1f} MB")
    from schools.models import ImportRun, Inspection

    def ofsted_fresh():
        if Inspection.objects.exists():  # a repeat: undo-free reset of the inspections alone
            Inspection.objects.all().delete()
            ImportRun.objects.filter(kind="ofsted_latest").delete()
        return import_once("ofsted_latest", ofsted, "management_information_national.csv", dry_run=False, label="d")

    results.append(repeated("(d) Ofsted import", repeat, ofsted_fresh))
    ofsted_run = ImportRun.objects.filter(kind="ofsted_latest", dry_run=False).order_by("pk").last()
    results.append(
        repeated(
            "(e) Ofsted re-import",
            repeat,
            lambda: import_once(
                "ofsted_latest", ofsted, "management_information_national.csv", dry_run=False, label="e"
            ),
        )
    )

    # (f) Undo of the Ofsted import. Its re-imports changed nothing, so nothing newer depends on it.
    # Capped by PostgreSQL's statement_timeout: a cancelled undo rolls back and is reported.
    from django.db import connection

    undo_note = ""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(undo_timeout * 1000)}")
        try:
            services.undo_import(run=ofsted_run, by=None)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
        seconds = time.perf_counter() - started
        left = Inspection.objects.count()
        undo_note = f"(f) undo of the Ofsted import (by=None): {seconds:.2f} s, {left:,} inspections left"
    except Exception as error:  # the benchmark reports why (f) did not finish
        seconds = time.perf_counter() - started
        undo_note = (
            f"(f) undo of the Ofsted import (by=None) did not finish: {type(error).__name__} after "
            f"{seconds:.1f} s (statement_timeout {undo_timeout:g} s per statement): {str(error).strip()[:200]}"
        )
    print(f"  {undo_note}")
    return results, undo_note, len(urns)


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


def report(results: list[dict], undo_note: str, params: dict[str, str], repeat: int) -> None:
    print()
    columns = ("Rows read", "Created", "Updated", "Unchanged", "Skipped", "Warnings", "Unknown schools")
    print("| Step | " + " | ".join(columns) + " | Status | Seconds | Progress calls |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    for row in results:
        counts = " | ".join(f"{row[name]:,}" for name in RESULT_FIELDS)
        print(f"| {row['step']} | {counts} | {row['status']} | {row['seconds']:.2f} | {row['progress']} |")
    print()
    print(undo_note)
    print()
    for label, value in (
        ("Platform", platform.platform()),
        ("Python", platform.python_version()),
        ("CPUs", str(os.cpu_count())),
        ("PostgreSQL", server_version(params)),
        ("Commit", git_commit()),
        ("Timing", f"median of {repeat} run{'s' if repeat != 1 else ''}"),
    ):
        print(f"{label:<10}  {value}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--gias-rows", type=int, default=50_000, help="rows in the register (default 50000)")
    parser.add_argument("--ofsted-rows", type=int, default=22_000, help="rows in the Ofsted file (default 22000)")
    parser.add_argument("--unknown", type=int, default=50, help="Ofsted rows for URNs in no register (default 50)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of (a)-(e); the median is reported")
    parser.add_argument(
        "--undo-timeout", type=float, default=120, help="PostgreSQL statement_timeout for (f), seconds (default 120)"
    )
    args = parser.parse_args(argv)
    if min(args.gias_rows, args.ofsted_rows, args.repeat) < 1 or not 0 <= args.unknown < args.ofsted_rows:
        parser.error("--gias-rows, --ofsted-rows and --repeat must be at least 1, --unknown below --ofsted-rows")

    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    params = ensure_database(url)
    setup_django(url)
    gias, overseas = build_gias(args.gias_rows)
    print(
        f"GIAS file: {args.gias_rows:,} rows ({overseas:,} British schools overseas, to be skipped), "
        f"{len(gias) / 1e6:.1f} MB; database {params['dbname']}"
    )
    results, undo_note, schools = measure(gias, args.ofsted_rows, args.unknown, args.repeat, args.undo_timeout)
    print(f"Schools in the register after (c): {schools:,}")
    report(results, undo_note, params, args.repeat)


if __name__ == "__main__":
    main()
