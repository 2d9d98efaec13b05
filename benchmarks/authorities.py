"""Benchmark: 150 authorities over all of England on one national register (issue 20, step 7).

What it measures
----------------
A PostgreSQL database of its own, ``schoolimprovement_bench_authorities`` on the server of
``DATABASE_URL`` (127.0.0.1 by default), dropped and made anew at each run and migrated, is
filled with the national data set (``national.generator``, from ``--seed``: ``--schools``
schools, 22,000 by default, in England's local authorities), made in the default authority the
migrations make, whose remit is all of them. Then one authority is made for each local authority
of the data set (its remit: that LA's code, maintained schools and academies), each with its own
copy of the frameworks. Making them is not timed.

It times, with ``time.perf_counter``:

* **recategorising one authority**: ``categorisation.services.recategorise`` in the authority's
  scope, for the authorities with the smallest, the median and the largest remit, and for the
  default authority whose remit is the whole register: seconds, and milliseconds per school, which
  stay about the same whatever the remit if the work grows with the remit and not the register;
* **every authority in turn**: the 150 runs one after another (what the nightly schedule queues,
  one task each), against one run over the whole register;
* **pages, with 2 authorities and with 150**: an officer of the largest LA's authority opens the
  home page, the school list, a school's page, the categories overview and the priority list
  (Django's test client, in this process, ``--requests`` times each after ``--warmup``): the
  queries each makes and its median time. The first set is measured when only the default
  authority and that one exist; the second once all 150 have recategorised their remits. The
  counts must not change and the medians should not grow.

Run it from the repository root::

    .venv/bin/python benchmarks/authorities.py [--schools 22000] [--seed 1] [--requests 20] [--warmup 3]

The script empties the schools and case tables of its database.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_register import ensure_database, git_commit, server_version, setup_django

DATABASE_NAME = "schoolimprovement_bench_authorities"
DEFAULT_DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE_NAME}"
PAGES = ["home", "schools:list", "schools:detail", "categorisation:overview", "boards:list"]


@dataclass
class Run:
    name: str
    schools: int
    seconds: float

    @property
    def ms_per_school(self) -> float:
        return 1000 * self.seconds / self.schools if self.schools else 0.0


@dataclass
class PageTiming:
    name: str
    queries: int
    median_ms: float


class Counted:
    """A database execute wrapper counting the statements a request sends."""

    def __init__(self):
        self.statements = 0

    def __call__(self, execute, sql, params, many, context):
        self.statements += 1
        return execute(sql, params, many, context)


def own_database(url: str) -> str:
    """The benchmark's own database on the server ``url`` names (it is dropped at each run)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{DATABASE_NAME}"))


def fresh_database(url: str) -> None:
    """Drop the benchmark's own database: each run makes its authorities anew."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    params = {key: str(value) for key, value in conninfo_to_dict(url).items()}
    name = params.pop("dbname")
    with psycopg.connect(**params, dbname="postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def generate(seed: int, schools: int, today: date) -> None:
    from recategorise import generate as generate_national

    from categorisation import selectors

    spec = selectors.spec_for(selectors.active_version())
    generate_national(seed, schools, today, selectors.measures_used(spec))


def make_authorities() -> list:
    """One authority for each local authority of the data set (each gets its frameworks)."""
    from accounts.models import Authority
    from schools.models import LocalAuthority

    made = []
    for la in LocalAuthority.objects.order_by("code"):
        authority, _ = Authority.objects.get_or_create(
            name=f"{la.name} Council", defaults={"la_codes": [la.code], "academies": True}
        )
        made.append(authority)
    return made


def recategorise_in(authority) -> Run:
    from accounts.authorities import working_in
    from categorisation import services

    with working_in(authority.pk):
        started = time.perf_counter()
        run = services.recategorise(trigger="manual")
        return Run(authority.name, run.schools, time.perf_counter() - started)


def officer_of(authority):
    from accounts.authorities import working_in
    from accounts.models import Membership, Role, User

    with working_in(authority.pk):
        user, _ = User.objects.get_or_create(
            email=f"officer-{authority.pk}@bench.example",
            defaults={"full_name": "Benchmark officer", "role": Role.LA_OFFICER, "authority": authority},
        )
        Membership.objects.get_or_create(user=user, authority=authority, defaults={"role": Role.LA_OFFICER})
    return user


def time_pages(user, authority, requests: int, warmup: int) -> list[PageTiming]:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from schools.access import remit

    school = remit(authority).order_by("urn").first()
    client = Client()
    client.force_login(user)
    found = []
    for name in PAGES:
        url = reverse(name, args=[school.urn]) if name == "schools:detail" else reverse(name)
        for _ in range(warmup):
            answer = client.get(url)
            assert answer.status_code == 200, (url, answer.status_code, answer.get("Location"))
        counted = Counted()
        with connection.execute_wrapper(counted):
            client.get(url)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            times.append(1000 * (time.perf_counter() - started))
        found.append(PageTiming(name, counted.statements, statistics.median(times)))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--schools", type=int, default=22_000, help="schools to generate (default 22000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data (default 1)")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first (default 3)")
    args = parser.parse_args(argv)

    url = own_database(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    fresh_database(url)
    params = ensure_database(url)
    setup_django(url)
    from django.conf import settings
    from django.utils import timezone

    from accounts.models import Authority

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DASHBOARD_CACHE_SECONDS = settings.CHOICES_CACHE_SECONDS = 0
    settings.TWO_FACTOR_ENFORCED = False  # the officer signs in with the test client
    started = time.perf_counter()
    generate(args.seed, args.schools, timezone.localdate())
    print(f"Generated {args.schools:,} schools in {time.perf_counter() - started:.1f} s")

    from schools.access import remit
    from schools.models import LocalAuthority

    biggest_la = max(LocalAuthority.objects.all(), key=lambda la: la.schools.count())
    first, _ = Authority.objects.get_or_create(
        name=f"{biggest_la.name} Council", defaults={"la_codes": [biggest_la.code], "academies": True}
    )
    officer = officer_of(first)
    recategorise_in(first)
    with_two = time_pages(officer, first, args.requests, args.warmup)

    started = time.perf_counter()
    authorities = make_authorities()
    made_seconds = time.perf_counter() - started
    sizes = sorted(authorities, key=lambda a: remit(a).count())
    every = [recategorise_in(a) for a in authorities]
    whole = recategorise_in(Authority.objects.order_by("pk").first())
    by_name = {run.name: run for run in every}
    chosen = [by_name[sizes[0].name], by_name[sizes[len(sizes) // 2].name], by_name[sizes[-1].name]]
    with_many = time_pages(officer, first, args.requests, args.warmup)

    print(f"\n{len(authorities)} authorities made (with their frameworks) in {made_seconds:.1f} s\n")
    print("| recategorising | schools | seconds | ms per school |")
    print("|---|---:|---:|---:|")
    for label, run in zip(("smallest remit", "median remit", "largest remit"), chosen, strict=True):
        print(f"| {label}: {run.name} | {run.schools:,} | {run.seconds:.2f} | {run.ms_per_school:.2f} |")
    print(
        f"| the whole register (default authority) | {whole.schools:,} | {whole.seconds:.2f} | "
        f"{whole.ms_per_school:.2f} |"
    )
    total = sum(run.seconds for run in every)
    print(
        f"| every authority in turn ({len(every)} runs) | {sum(r.schools for r in every):,} | {total:.2f} | "
        f"{1000 * total / max(1, sum(r.schools for r in every)):.2f} |"
    )
    print(
        f"\n| page ({first.name}) | queries, 2 authorities | queries, {Authority.objects.count()} | "
        f"median ms, 2 | median ms, {Authority.objects.count()} |"
    )
    print("|---|---:|---:|---:|---:|")
    for two, many in zip(with_two, with_many, strict=True):
        print(f"| {two.name} | {two.queries} | {many.queries} | {two.median_ms:.1f} | {many.median_ms:.1f} |")
    print(f"\nPlatform {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"PostgreSQL {server_version(params)}; commit {git_commit()}; seed {args.seed}")


if __name__ == "__main__":
    main()
