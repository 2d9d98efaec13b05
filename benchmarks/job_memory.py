"""Benchmark: the peak memory of the import job at 22,000 and 44,000 schools (issue 24: at most
300 MB, flat from 22,000 to 44,000).

For each size, the benchmark register of ``import_register.py`` (real GIAS rows replicated with
unique URNs) is imported into empty schools tables twice, each time in a fresh process that starts
as a worker does (Django set up, no migrations): a first import (every row new) and an unchanged
re-import. Each process prints its resident memory before the import and its own peak (VmHWM in
/proc/self/status). The recategorisation job's peak is measured by ``recategorise.py``.

    .venv/bin/python benchmarks/job_memory.py [--rows 22000 44000]

The script empties the schools tables of its database (``DATABASE_URL``, by default
``schoolimprovement_bench_memory``): do not point it at a database whose data you want to keep.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_register import KIND, build_file, empty_schools_tables, ensure_database, setup_django
from recategorise import MEMORY_GOAL_MB, _status_mb

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/schoolimprovement_bench_memory"


def probe(path: Path) -> None:
    """In a process of its own: import the file and print MB before and at the peak."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schoolimprovement.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from accounts.authorities import working_in
    from accounts.models import Authority
    from categorisation import services as categorisation
    from schools import imports, services

    categorisation.enqueue_recategorisation = lambda **job: None  # the job is measured on its own
    raw = path.read_bytes()
    with working_in(Authority.objects.order_by("pk").first()):
        before = _status_mb("VmRSS")
        run = services.start_command_import(kind=KIND, file_name=path.name, raw=raw, dry_run=False, academic_year=None)
        imports.run_import(run=run, raw=raw)
        run.refresh_from_db()
        assert run.status == run.Status.SUCCEEDED, run.message
    print(f"{before:.0f} {_status_mb('VmHWM'):.0f}")


def in_fresh_process(url: str, path: Path) -> tuple[float, float]:
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, __file__, "--probe", str(path)], env=env, capture_output=True, text=True, check=True
    )
    before, peak = done.stdout.split()[-2:]
    return float(before), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[22_000, 44_000])
    parser.add_argument("--probe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.probe)
        return
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    ensure_database(url)
    setup_django(url)
    print("| job | schools | MB before | peak MB | goal | met |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        for rows in args.rows:
            path = build_file(Path(scratch), rows)
            empty_schools_tables()
            for label in ("first import of the register", "unchanged re-import"):
                before, peak = in_fresh_process(url, path)
                met = "met" if peak <= MEMORY_GOAL_MB else "not met"
                print(f"| {label} | {rows:,} | {before:.0f} | {peak:.0f} | <= {MEMORY_GOAL_MB} MB | {met} |")


if __name__ == "__main__":
    main()
