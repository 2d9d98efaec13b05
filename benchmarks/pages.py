"""Benchmark: how fast the portal's main pages answer under gunicorn on PostgreSQL, and a load run.

What it measures
----------------
A PostgreSQL database (``DATABASE_URL``, by default ``schoolimprovement_bench_pages`` on
127.0.0.1, created if missing and migrated) is filled with the national dataset of
``benchmarks/monthly_report.py`` (``--schools`` schools, 22,000 by default, ten years of case
data, from ``--seed``) unless it already holds it; then the fields the generator leaves out are
derived as the portal derives them: each school's latest inspection and outcome
(``schools.imports.refresh_latest_inspections``) and each school's agreed category (its latest
category decision). A board meeting on 25 November 2026 gets its agenda from the real service
(``boards.services.generate_agenda``), two weeks after a meeting, recorded as held, whose agenda
the service generated too (the fortnightly cycle's steady state), unless the data has a scheduled
meeting with an agenda already.

The portal then runs under gunicorn on a free port of 127.0.0.1 — ``--workers 2`` (the machine
has 2 cores), ``gthread`` workers so that a connection can be kept alive, ``--threads 4`` each (a
kept-alive connection stays with the worker that accepted it: with one thread, a user's page
waits behind another user's on the same worker while the other worker idles) —
in its production profile: ``DEBUG=false``, a random ``SECRET_KEY``, ``ALLOWED_HOSTS``,
static files collected and served by WhiteNoise, persistent database connections, the cache
shared by the workers on Redis (``--cache-url``, emptied first, as docker-compose.yml sets
``CACHE_URL``), HTTPS redirects, secure cookies and HSTS left on: every request says ``X-Forwarded-Proto: https``, as
the TLS-terminating proxy in front of the portal would. Two-factor authentication is off
(``TWO_FACTOR_ENFORCED=false``) and an LA officer's session is created server-side, as signing in
would (``SessionStore`` with the authentication keys and the session clock).

1. **Latency**, one request at a time over one keep-alive connection (``http.client``), after
   ``--warmup`` requests to each page, in rounds of one request to each page (so that a busy
   spell on a shared machine falls on every page alike), ``--requests`` rounds: the median and
   95th percentile, the response size and status (anything but 200 stops the script), and the
   ratio of the median to the floor's. The pages: the **floor** (``bench/floor/<pk>/``,
   ``benchmarks/bench_urls.py``: the whole middleware stack of a signed-in request, one school
   read by primary key, a few bytes of text); the **school list**, primary schools sorted by local
   authority, page 50; a **school page** with a full history (on this year's priority list with a
   plan, the most inspections and category decisions); the **priority list**; the **officer home**
   (``/``, the officer's summary); the **dashboard** (``/dashboard/``, the charts); and the
   **board agenda** (the meeting page with its agenda items).
2. **Queries**: each page again in this process (Django's test client, the same settings and
   session), its statements counted and timed (``connection.execute_wrapper``): how many, how long
   they took together, and how long the whole page took in this process (the median of 5).
3. **Load**: locust (``benchmarks/locustfile.py``), headless, on loopback, ``--users`` signed-in
   officers (20) for ``--load-seconds`` (60), each waiting ``--think`` seconds (1 to 3) between
   pages, mostly school pages and the school list: total requests, requests per second, median,
   95th and 99th percentiles, errors.

Goals (issue): every page within 3× the floor at the median; the school list within 50 ms and a
school page within 25 ms at the median; under load, a 95th percentile within 150 ms and no
errors. ``--explain`` prints ``EXPLAIN ANALYZE`` of the slowest query of each page that misses,
``--profile`` a cProfile of one request of it.

Run it from the repository root::

    .venv/bin/python benchmarks/pages.py [--schools 22000] [--seed 1] [--requests 200]
        [--load-seconds 60] [--users 20] [--think 1 3] [--explain] [--profile] [--append-docs]
        [--keep-server]

The machine may be shared: the load average is printed before and after, beside the figures.
The commit is ``git rev-parse``'s, or ``BENCH_COMMIT`` when the code runs from an export.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # for benchmarks.bench_settings
from import_register import ensure_database, git_commit, server_version, setup_django

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/schoolimprovement_bench_pages"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/12"
OFFICER_EMAIL = "pages-benchmark-officer@example.invalid"
MEETING_DAY = date(2026, 11, 25)  # the Wednesday after the generated data's day (20 November 2026)
PREVIOUS_MEETING_DAY = date(2026, 11, 11)  # the board meets fortnightly
LIST_QUERY = "phase=Primary&sort=la"
LIST_PAGE = 50  # reached by its Next link: ``?phase=Primary&sort=la&page=50&after=<URN>``
GOAL_RATIO = 3.0
GOAL_LOAD_P95_MS = 150.0
HOST = "127.0.0.1"
DOCS = REPO_ROOT / "docs" / "benchmarks.md"
DOCS_HEADING = "## Page latency under gunicorn, and a load run"


@dataclass
class Page:
    key: str
    label: str
    path: str
    goal_ms: float | None = None  # on the median, besides the ratio to the floor
    samples: list[float] = field(default_factory=list)  # seconds
    size: int = 0
    status: int = 0
    queries: int | None = None
    sql_ms: float | None = None
    process_ms: float | None = None  # the page in this process (test client), median of a few
    slowest: list[tuple[float, str, object]] = field(default_factory=list)  # (ms, SQL, params)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.samples, n=100, method="inclusive")[94] * 1000


@dataclass(frozen=True)
class Load:
    requests: int
    failures: int
    rps: float
    median_ms: float
    p95_ms: float
    p99_ms: float
    by_page: list[dict[str, str]]
    errors: list[str]


@dataclass(frozen=True)
class Targets:
    list_path: str
    floor_pk: int
    school_urn: int
    meeting_pk: int
    agenda_items: int
    load_urns: list[int]


# The data ------------------------------------------------------------------------------------


def ensure_data(seed: int, schools: int) -> None:
    """The national dataset, generated unless the database already holds it for this seed and size.

    ``monthly_report.generate`` runs ``national.generator.generate`` (what ``manage.py
    generate_national_dataset`` runs) and marks the data with its seed and size.
    """
    from monthly_report import data_matches, generate

    if data_matches(seed, schools):
        print(f"Reusing the generated data for {schools:,} schools (seed {seed})")
    else:
        started = time.perf_counter()
        generate(seed, schools)
        print(f"Generated the data for {schools:,} schools (seed {seed}) in {time.perf_counter() - started:.0f} s")
    derive_what_the_generator_leaves_out()


def derive_what_the_generator_leaves_out() -> None:
    """Each school's latest inspection and outcome, as an import sets them, and its agreed category
    under the active framework (its latest category decision), as agreeing a category sets it.
    Without them the list and the school page would show no inspection and no category."""
    from django.db import connection, transaction

    from categorisation.models import CategoryDecision, SchoolCategory
    from schools.imports import refresh_latest_inspections
    from schools.models import School

    quote = connection.ops.quote_name
    if not School.objects.filter(latest_inspection__isnull=False).exists():
        started = time.perf_counter()
        with transaction.atomic():
            changed = refresh_latest_inspections(set(School.objects.values_list("pk", flat=True)))
        print(f"Pointed {changed:,} schools at their latest inspection in {time.perf_counter() - started:.0f} s")
    if not SchoolCategory.objects.exists():
        standing, decision = quote(SchoolCategory._meta.db_table), quote(CategoryDecision._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {standing} (school_id, framework_id, category_id, decision_id, pending, updated_at)
                SELECT DISTINCT ON (d.school_id, d.framework_id)
                       d.school_id, d.framework_id, d.category_id, d.id, false, d.decided_at
                FROM {decision} d
                ORDER BY d.school_id, d.framework_id, d.decided_at DESC, d.id DESC
                """
            )
            print(f"Recorded {cursor.rowcount:,} schools' agreed categories")
    with connection.cursor() as cursor:
        for model in (School, SchoolCategory):
            cursor.execute(f"VACUUM ANALYZE {quote(model._meta.db_table)}")


def officer():
    """An officer of the authority the data set was made in (the first)."""
    from accounts.authorities import current_authority_id
    from accounts.models import Membership, Role, User

    user, created = User.objects.get_or_create(
        email=OFFICER_EMAIL, defaults={"full_name": "Pages benchmark officer", "role": Role.LA_OFFICER}
    )
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, authority_id=current_authority_id(), defaults={"role": user.role})
    User.objects.filter(pk=user.pk).update(authority_id=current_authority_id())
    user.refresh_from_db()
    return user


def prepare_targets(user) -> Targets:
    """The school with a full history, the board meeting, and the schools the load run opens (the
    first hundred on this year's priority list and a hundred spread over the register)."""
    from django.db.models import Count

    from boards.models import PriorityEntry
    from schools.models import School
    from support.selectors import current_year

    year = current_year()
    on_list = School.objects.filter(
        priority_entries__academic_year=year, priority_entries__status=PriorityEntry.Status.ON_LIST
    )
    school = (
        on_list.filter(action_plans__academic_year=year)
        .annotate(
            inspection_count=Count("inspections", distinct=True),
            decision_count=Count("category_decisions", distinct=True),
        )
        .order_by("-inspection_count", "-decision_count", "pk")
        .first()
    )
    if school is None:
        raise SystemExit(f"No school on the {year} priority list with a plan: is the data there?")
    meeting = board_meeting(user)
    items = meeting.items.filter(dropped=False).count()
    if not items:
        raise SystemExit(f"The agenda of the meeting of {MEETING_DAY} is empty")
    listed = list(on_list.order_by("pk").values_list("urn", flat=True)[:100])
    every = list(School.objects.order_by("pk").values_list("urn", flat=True))
    others = every[:: max(1, len(every) // 100)]
    return Targets(
        list_path=list_page_path(user),
        floor_pk=school.pk,
        school_urn=school.urn,
        meeting_pk=meeting.pk,
        agenda_items=items,
        load_urns=sorted({school.urn, *listed, *others}),
    )


def list_page_path(user) -> str:
    """Page ``LIST_PAGE`` of the school list as its officer reaches it: by the Next link of the page
    before (which names the last school shown there), read here once by the page's number."""
    from django.test import Client

    client = Client(SERVER_NAME=HOST)
    client.force_login(user, backend="accounts.backends.PeopleBackend")
    response = client.get(f"/schools/?{LIST_QUERY}&page={LIST_PAGE - 1}", secure=True)
    found = re.search(r'href="([^"]*)" rel="next"', response.content.decode())
    if response.status_code != 200:
        raise SystemExit(f"The school list's page {LIST_PAGE - 1} answered {response.status_code}")
    if found is None:  # a small data set (``make bench-smoke``): its first page
        return f"/schools/?{LIST_QUERY}"
    return "/schools/" + found.group(1).replace("&amp;", "&")


def board_meeting(user):
    """The board meeting whose agenda is measured: the data's first scheduled meeting with agenda
    items; failing that, the meeting of ``MEETING_DAY`` with the agenda the real service generates
    there, two weeks after a held meeting whose agenda it generated too (``PREVIOUS_MEETING_DAY``,
    unless the data has a held meeting with items before it): the fortnightly cycle's steady state.
    Generating the data empties the agendas with the schools, so this may run again."""
    from django.db import transaction
    from django.db.models import Count, Q

    from boards import services as board_services
    from boards.models import BoardMeeting

    scheduled = BoardMeeting.objects.filter(status=BoardMeeting.Status.SCHEDULED).annotate(
        item_count=Count("items", filter=Q(items__dropped=False))
    )
    meeting = scheduled.filter(item_count__gt=0).order_by("meets_on").first()
    if meeting is not None:
        return meeting
    with transaction.atomic():
        held = BoardMeeting.objects.filter(status=BoardMeeting.Status.HELD, meets_on__lt=MEETING_DAY)
        defaults = {"created_by": user}
        if not held.filter(items__isnull=False).exists():
            previous, _ = BoardMeeting.objects.get_or_create(meets_on=PREVIOUS_MEETING_DAY, defaults=defaults)
            if previous.status != BoardMeeting.Status.SCHEDULED:
                raise SystemExit(f"The meeting of {PREVIOUS_MEETING_DAY} is {previous.status} with no agenda")
            reviewed = board_services.generate_agenda(meeting=previous, by=user)
            board_services.record_meeting(meeting=previous, by=user, present=[], minutes="Held (benchmark data).")
            print(f"Board agenda generated for {PREVIOUS_MEETING_DAY}, recorded as held: {reviewed} schools")
        meeting, _ = BoardMeeting.objects.get_or_create(meets_on=MEETING_DAY, defaults=defaults)
        if meeting.status != BoardMeeting.Status.SCHEDULED:
            raise SystemExit(f"The meeting of {MEETING_DAY} is not scheduled: its agenda cannot be generated")
        generated = board_services.generate_agenda(meeting=meeting, by=user)
    print(f"Board agenda generated for {MEETING_DAY}: {generated} schools")
    return meeting


def signed_in_session(user) -> str:
    """A session for ``user`` as signing in makes it (the authentication keys and the session's
    clock); returns its key."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts import sessions

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "accounts.backends.PeopleBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    sessions.start(store)
    store.save()
    return store.session_key


def pages(targets: Targets) -> list[Page]:
    return [
        Page("floor", "Floor: bench/floor/ (one school by primary key)", f"/bench/floor/{targets.floor_pk}/"),
        Page("list", f"School list: primary, sorted by LA, page {LIST_PAGE}", targets.list_path, goal_ms=50),
        Page("school", f"School page (URN {targets.school_urn}, full history)", f"/schools/{targets.school_urn}/", 25),
        Page("priority", "Priority list (this year, on the list)", "/priority-list/"),
        Page("home", "Officer home (/)", "/"),
        Page("dashboard", "Dashboard (/dashboard/, charts)", "/dashboard/"),
        Page("agenda", f"Board agenda ({targets.agenda_items} items)", f"/board/meetings/{targets.meeting_pk}/"),
    ]


# The server ----------------------------------------------------------------------------------


def server_environment(url: str, static_root: str, cache_url: str) -> dict[str, str]:
    """The production profile on loopback: what both gunicorn and this process run with. The
    cache is Redis, shared by the workers, as docker-compose.yml sets it (``--cache-url none``:
    each process's memory)."""
    cache = {"CACHE_URL": cache_url} if cache_url != "none" else {}
    return {
        **cache,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "TWO_FACTOR_ENFORCED": "false",
        "STATIC_ROOT": static_root,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn running the portal; stopped by ``stop`` (SIGTERM to the master, which stops its
    workers), whatever happened."""

    def __init__(self, env: dict[str, str], log_dir: Path, workers: int, threads: int) -> None:
        self.port = free_port()
        self.log = log_dir / "gunicorn.log"
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "schoolimprovement.wsgi:application",
            f"--bind={HOST}:{self.port}",
            f"--workers={workers}",
            "--worker-class=gthread",
            f"--threads={threads}",
            "--keep-alive=10",  # longer than a load-run user's pause, so connections stay open
            f"--access-logfile={log_dir / 'access.log'}",
            f"--error-logfile={self.log}",
            f"--chdir={REPO_ROOT}",
        ]
        self.process = subprocess.Popen(command, env={**os.environ, **env}, stdin=subprocess.DEVNULL)

    def wait(self, path: str, headers: dict[str, str], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped with {self.process.returncode}:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
                conn.request("GET", path, headers=headers)
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text().splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# The measurements ----------------------------------------------------------------------------


class Browser:
    """One keep-alive connection; each GET timed from sending to the last byte of the body."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port = port
        self.headers = headers
        self.conn = http.client.HTTPConnection(HOST, port, timeout=120)
        self.reconnects = 0

    def get(self, path: str) -> tuple[float, int, bytes, str]:
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.conn.request("GET", path, headers=self.headers)
                response = self.conn.getresponse()
                body = response.read()
            except (http.client.RemoteDisconnected, ConnectionError):
                # The server closed an idle connection: open another and time the request again.
                self.conn.close()
                self.reconnects += 1
                if attempt == 2:
                    raise
                continue
            elapsed = time.perf_counter() - started
            if response.will_close:
                self.conn.close()
                self.reconnects += 1
            return elapsed, response.status, body, response.getheader("Location", "")
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


def measure_latency(browser: Browser, measured: list[Page], *, requests: int, warmup: int, server: Server) -> None:
    for page in measured:
        for _ in range(warmup):
            _, status, body, location = browser.get(page.path)
            check(page, status, location, server)
    browser.reconnects = 0
    for _ in range(requests):
        for page in measured:
            elapsed, status, body, location = browser.get(page.path)
            check(page, status, location, server)
            page.samples.append(elapsed)
            page.status, page.size = status, len(body)


def check(page: Page, status: int, location: str, server: Server) -> None:
    if status != 200:
        to = f" to {location}" if location else ""
        raise SystemExit(f"{page.label}: GET {page.path} answered {status}{to}, not 200\n{server.log_tail()}")


class QueryTimer:
    """Times every statement of the default connection (``connection.execute_wrapper``)."""

    def __init__(self) -> None:
        self.timed: list[tuple[float, str, object]] = []  # (ms, SQL, params)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.timed.append(((time.perf_counter() - started) * 1000, sql, params))


def count_queries(measured: list[Page], session_key: str, *, rounds: int = 5) -> None:
    """Each page through Django's test client in this process, with the same settings and session:
    once to warm up, then ``rounds`` times with its statements timed one by one (the medians of the
    whole page and of its SQL; the count and the slowest statements of the last round)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    client = Client(SERVER_NAME=HOST)
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    for page in measured:
        client.get(page.path, secure=True)
        times, sql_times = [], []
        for _ in range(rounds):
            timer = QueryTimer()
            started = time.perf_counter()
            with connection.execute_wrapper(timer):
                response = client.get(page.path, secure=True)
            times.append((time.perf_counter() - started) * 1000)
            sql_times.append(sum(ms for ms, _, _ in timer.timed))
            if response.status_code != 200:
                raise SystemExit(f"{page.label}: {response.status_code} in this process, not 200")
        page.process_ms = statistics.median(times)
        page.sql_ms = statistics.median(sql_times)
        page.queries = len(timer.timed)
        page.slowest = sorted(timer.timed, key=lambda one: one[0], reverse=True)[:3]


def profile_page(page: Page, session_key: str, top: int = 20) -> None:
    """cProfile one in-process request of the page; the top functions by cumulative time."""
    import cProfile
    import pstats

    from django.conf import settings
    from django.test import Client

    client = Client(SERVER_NAME=HOST)
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    client.get(page.path, secure=True)
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(page.path, secure=True)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    print(f"\nProfile of one request of {page.label}: the portal's own functions by cumulative time")
    stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(rf"^{re.escape(str(REPO_ROOT))}/(?!\.venv)", top)
    print(f"... and every function by its own time (top {top // 2})")
    stats.sort_stats(pstats.SortKey.TIME).print_stats(top // 2)


def explain(sql: str, params: object, lines: int = 40) -> list[str]:
    """The plan of a captured statement, run with ANALYZE inside a transaction rolled back."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    return plan if len(plan) <= lines else [*plan[: lines - 3], "  ...", *plan[-2:]]


def run_load(
    port: int, cookie: str, targets: Targets, *, users: int, seconds: int, think: tuple[float, float], skip: list[str]
) -> Load:
    with tempfile.TemporaryDirectory(prefix="pages-load-") as tmp:
        prefix = Path(tmp) / "load"
        command = [
            str(Path(sys.executable).parent / "locust"),
            f"--locustfile={BENCH_DIR / 'locustfile.py'}",
            "--headless",
            f"--host=http://{HOST}:{port}",
            f"--users={users}",
            f"--spawn-rate={users}",
            f"--run-time={seconds}s",
            f"--csv={prefix}",
            "--only-summary",
            "--stop-timeout=10",
            "--loglevel=WARNING",
            "--exit-code-on-error=0",
        ]
        env = {
            **os.environ,
            "BENCH_COOKIE": cookie,
            "BENCH_URNS": ",".join(str(urn) for urn in targets.load_urns),
            "BENCH_MEETING": str(targets.meeting_pk),
            "BENCH_THINK": f"{think[0]},{think[1]}",
            "BENCH_SKIP": ",".join(skip),
        }
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=seconds + 120)
        stats_file = Path(f"{prefix}_stats.csv")
        if done.returncode != 0 or not stats_file.exists():
            raise SystemExit(f"locust failed ({done.returncode}):\n{done.stderr[-3000:]}")
        with stats_file.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        with Path(f"{prefix}_failures.csv").open(newline="") as handle:
            errors = [f"{r['Occurrences']}× {r['Name']}: {r['Error']}" for r in csv.DictReader(handle)]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return Load(
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        rps=float(total["Requests/s"]),
        median_ms=float(total["50%"]),
        p95_ms=float(total["95%"]),
        p99_ms=float(total["99%"]),
        by_page=[r for r in rows if r["Name"] != "Aggregated"],
        errors=errors,
    )


# The report ----------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _verdict(met: bool) -> str:
    return "met" if met else "**not met**"


def table(
    measured: list[Page], load: Load | None, users: int, seconds: int, think: tuple[float, float], skip: list[str]
) -> list[str]:
    floor = measured[0]
    lines = [
        "| Figure | Median (p95), ms | Floor, ms | Ratio | Goal | Met | Size | Queries (SQL / page in process, ms) |",
        "|---|---:|---:|---:|---|---|---:|---:|",
    ]
    for page in measured:
        ratio = page.median_ms / floor.median_ms
        if page is floor:
            goal, met = "–", "–"
        else:
            goal = f"≤ {GOAL_RATIO:g}× floor" + (f", ≤ {page.goal_ms:g} ms" if page.goal_ms else "")
            met = _verdict(ratio <= GOAL_RATIO and (page.goal_ms is None or page.median_ms <= page.goal_ms))
        queries = f"{page.queries} ({page.sql_ms:.1f} / {page.process_ms:.1f})" if page.queries is not None else "–"
        lines.append(
            f"| {page.label} | {page.median_ms:.1f} ({page.p95_ms:.1f}) | {floor.median_ms:.1f} | {ratio:.1f} "
            f"| {goal} | {met} | {_size(page.size)} | {queries} |"
        )
    if load is not None:
        name = f"Load: {users} users, {seconds} s, {think[0]:g}–{think[1]:g} s between pages"
        name += f", without {', '.join(skip)}" if skip else ""
        lines.append(
            f"| {name}: {load.requests:,} requests, {load.rps:.1f}/s | {load.median_ms:.0f} ({load.p95_ms:.0f}; "
            f"p99 {load.p99_ms:.0f}) | {floor.median_ms:.1f} | – | p95 ≤ {GOAL_LOAD_P95_MS:g} ms, 0 errors "
            f"| {_verdict(load.p95_ms <= GOAL_LOAD_P95_MS and load.failures == 0)} | – | {load.failures} errors |"
        )
    return lines


def _size(size: int) -> str:
    return f"{size} B" if size < 1024 else f"{size / 1024:.1f} KB"


def load_table(load: Load) -> list[str]:
    lines = [
        "| Page under load | Requests | Errors | Median, ms | p95, ms | p99, ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in load.by_page:
        lines.append(
            f"| {row['Name']} | {int(row['Request Count']):,} | {row['Failure Count']} | {row['50%']} "
            f"| {row['95%']} | {row['99%']} |"
        )
    return lines


def postgres(params: dict[str, str]) -> str:
    """The server's version and whether it compiles queries (JIT), which the slow plans show."""
    import psycopg

    version = server_version(params).split(" (")[0].removeprefix("PostgreSQL ")
    with psycopg.connect(**params) as conn:
        row = conn.execute("SHOW jit").fetchone()
    return f"PostgreSQL {version} (jit {row[0] if row else 'unknown'})"


def facts(
    params: dict[str, str],
    *,
    schools: int,
    seed: int,
    requests: int,
    warmup: int,
    workers: int,
    threads: int,
    loads: list[str],
) -> list[str]:
    today = date.today()  # noqa: DTZ011 -- the local day of the run
    # BENCH_COMMIT names the code when it runs from an export (git archive) rather than a checkout.
    commit = os.environ.get("BENCH_COMMIT") or git_commit()
    return [
        f"Date: {today.isoformat()}; commit {commit}",
        f"Machine: {os.cpu_count()} cores, {cpu_model()}, {postgres(params)}, Python {sys.version.split()[0]}; "
        f"load average (1, 5, 15 min) {' → '.join(loads)} (before → after latency → after load; "
        "the machine is shared with other work)",
        f"Data: {schools:,} schools, seed {seed}; gunicorn {workers} gthread workers × {threads} thread(s), "
        "the cache on Redis, DEBUG off; "
        f"latency: median and p95 of {requests} rounds after {warmup} warm-up requests per page, "
        "one request at a time over one keep-alive connection",
    ]


def append_docs(lines: list[str]) -> None:
    text = DOCS.read_text()
    out = [] if text.endswith("\n\n") else [""]
    if DOCS_HEADING not in text:
        out += [
            DOCS_HEADING,
            "",
            "`benchmarks/pages.py` (`make bench-pages`) runs the portal under gunicorn on PostgreSQL with the",
            "national dataset of `benchmarks/monthly_report.py` and measures its main pages as a signed-in LA",
            "officer, one request at a time against a floor (`bench/floor/<pk>/`: the whole middleware stack and",
            "one row read), then runs locust with 20 signed-in officers. Goals: every page within 3× the floor",
            "at the median, the school list within 50 ms and a school page within 25 ms; under load a p95",
            "within 150 ms and no errors. How it runs is in the script's docstring.",
            "",
        ]
    DOCS.write_text(text + "\n".join(out + lines) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--schools", type=int, default=22_000, help="schools in the dataset (default 22000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data (default 1)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first (default 20)")
    parser.add_argument("--load-seconds", type=int, default=60, help="length of the load run; 0 skips it")
    parser.add_argument("--users", type=int, default=20, help="concurrent users in the load run (default 20)")
    parser.add_argument(
        "--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"), help="seconds between pages"
    )
    parser.add_argument(
        "--load-skip",
        nargs="+",
        default=[],
        choices=["school_page", "school_list", "home", "priority_list", "board_agenda", "dashboard"],
        help="pages the load run leaves out",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, one per core)")
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="threads per worker (default 4: a kept-alive connection stays with one worker, so one "
        "thread each queues a user's page behind another's on the same worker)",
    )
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query of a missed page")
    parser.add_argument("--profile", action="store_true", help="cProfile one request of each missed page")
    parser.add_argument("--append-docs", action="store_true", help="append the results to docs/benchmarks.md")
    parser.add_argument("--keep-server", action="store_true", help="leave gunicorn running at the end")
    parser.add_argument(
        "--cache-url",
        default=DEFAULT_CACHE_URL,
        help=f"the shared cache, emptied first (default {DEFAULT_CACHE_URL}; none: each process's memory)",
    )
    args = parser.parse_args(argv)
    if args.schools < 100 or args.requests < 2 or args.warmup < 0 or args.users < 1:
        parser.error("--schools must be at least 100, --requests at least 2 and --users at least 1")

    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    params = ensure_database(url)
    with tempfile.TemporaryDirectory(prefix="pages-bench-") as tmp:
        env = server_environment(url, str(Path(tmp) / "static"), args.cache_url)
        if args.cache_url != "none":
            import redis

            redis.Redis.from_url(args.cache_url).flushdb()  # nothing kept from another data set
        os.environ.update(env)  # this process signs the session and counts queries with the same settings
        setup_django(url)
        from django.core.management import call_command

        ensure_data(args.seed, args.schools)
        user = officer()
        targets = prepare_targets(user)
        call_command("collectstatic", interactive=False, verbosity=0)
        session_key = signed_in_session(user)
        cookie = f"sessionid={session_key}"
        headers = {"Cookie": cookie, "X-Forwarded-Proto": "https"}
        measured = pages(targets)
        loads = [load_average()]
        server = Server(env, Path(tmp), args.workers, args.threads)
        load = None
        try:
            server.wait(measured[0].path, headers)
            print(f"gunicorn on http://{HOST}:{server.port}, {args.workers} workers; measuring {len(measured)} pages")
            browser = Browser(server.port, headers)
            measure_latency(browser, measured, requests=args.requests, warmup=args.warmup, server=server)
            browser.close()
            print(f"  connection reopened {browser.reconnects} times in {args.requests * len(measured)} requests")
            loads.append(load_average())
            if args.load_seconds > 0:
                print(f"Load run: {args.users} users for {args.load_seconds} s")
                load = run_load(
                    server.port,
                    cookie,
                    targets,
                    users=args.users,
                    seconds=args.load_seconds,
                    think=args.think,
                    skip=args.load_skip,
                )
                loads.append(load_average())
        finally:
            if args.keep_server:
                print(f"gunicorn left running: http://{HOST}:{server.port} (pid {server.process.pid}); {cookie}")
            else:
                server.stop()
        count_queries(measured, session_key)

        lines = facts(
            params,
            schools=args.schools,
            seed=args.seed,
            requests=args.requests,
            warmup=args.warmup,
            workers=args.workers,
            threads=args.threads,
            loads=loads,
        )
        body = table(measured, load, args.users, args.load_seconds, args.think, args.load_skip)
        print()
        print("\n".join(f"- {line}" for line in lines))
        print()
        print("\n".join(body))
        if load is not None:
            print()
            print("\n".join(load_table(load)))
            for error in load.errors:
                print(f"  load error: {error}")
        print()
        for page in measured:
            print(
                f"{page.key}: {page.queries} queries, {page.sql_ms:.1f} ms of SQL, "
                f"{page.process_ms:.1f} ms in this process; slowest:"
            )
            for ms, sql, _ in page.slowest:
                print(f"    {ms:6.2f} ms  {' '.join(sql.split())[:150]}")
        floor_ms = measured[0].median_ms
        missed = [
            p
            for p in measured[1:]
            if p.median_ms > GOAL_RATIO * floor_ms or (p.goal_ms is not None and p.median_ms > p.goal_ms)
        ]
        for page in missed if args.explain else []:
            ms, sql, query_params = page.slowest[0]
            print(f"\nEXPLAIN ANALYZE of the slowest query of {page.label} ({ms:.1f} ms):\n{sql}")
            print("\n".join(f"  {line}" for line in explain(sql, query_params)))
        for page in missed if args.profile else []:
            profile_page(page, session_key)
        if args.append_docs:
            heading = f"### {date.today().isoformat()}, {args.schools:,} schools"  # noqa: DTZ011 -- the local day
            append_docs([heading, "", *(f"- {line}" for line in lines), "", *body, ""])
            print(f"\nAppended to {DOCS.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
