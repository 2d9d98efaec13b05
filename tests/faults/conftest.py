"""Fixtures for the fault tests: a throwaway PostgreSQL cluster for the whole run (its tables made
once from the models, as the test database's are) and a throwaway Redis for each test. Both are
the tests' own, on free loopback ports, and are stopped and removed at the end whatever happened;
a test that stops one starts it again itself.
"""

from __future__ import annotations

import time

import psycopg
import pytest

from tests.examples import THOROUGH
from tests.faults.servers import NotAvailable, Portal, Postgres, Redis

DATABASE = "portal"


def pytest_collection_modifyitems(items):
    """The fault tests start, stop and kill servers of their own for over a minute: they run in the
    thorough sample (CI's run on PostgreSQL and Redis, ``make test-faults``), not the quick one."""
    if THOROUGH:
        return
    skip = pytest.mark.skip(reason="fault tests run with THOROUGH_TESTS=1 (CI's PostgreSQL run, make test-faults)")
    for item in items:
        if "tests/faults/" in item.nodeid:
            item.add_marker(skip)


# What each fault test measured (seconds), printed at the end of the run.
MEASURED: list[tuple[str, str, float]] = []


def pytest_terminal_summary(terminalreporter):
    if MEASURED:
        terminalreporter.section("fault tests: measured")
        for test, name, seconds in MEASURED:
            terminalreporter.write_line(f"{test}: {name} {seconds:.3f} s")


@pytest.fixture
def measured(request):
    """``measured("name", seconds)`` records a timing for the summary; it returns the seconds."""

    def record(name: str, seconds: float) -> float:
        MEASURED.append((request.node.name, name, seconds))
        return seconds

    return record


class Cluster:
    def __init__(self, server: Postgres, seconds: dict[str, float]):
        self.server, self.seconds = server, seconds
        self.url = server.url(DATABASE)

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        """Rows of one statement, on a connection of its own (committed at once)."""
        with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def value(self, query: str, params: tuple = ()):
        return self.sql(query, params)[0][0]


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    """A PostgreSQL cluster of the tests' own with the portal's database and its tables."""
    try:
        server = Postgres()
    except NotAvailable as exc:
        pytest.skip(str(exc))
    seconds = {}
    try:
        started = time.monotonic()
        server.init()
        seconds["initdb"] = time.monotonic() - started
        seconds["start"] = server.start()
        server.create_database(DATABASE)
        started = time.monotonic()
        workdir = tmp_path_factory.mktemp("faults-schema")
        Portal(database_url=server.url(DATABASE), broker_url="", workdir=workdir).run(
            "-m", "tests.faults.portal", "schema"
        )
        seconds["tables"] = time.monotonic() - started
        MEASURED.extend(("cluster", name, value) for name, value in seconds.items())
        yield Cluster(server, seconds)
    finally:
        server.destroy()


@pytest.fixture
def redis(tmp_path):
    """A Redis of the test's own (stop it and start it again on the same port)."""
    try:
        server = Redis(tmp_path)
    except NotAvailable as exc:
        pytest.skip(str(exc))
    try:
        server.start()
        yield server
    finally:
        if server.process is not None:
            server.stop()


@pytest.fixture
def portal(cluster, redis, tmp_path):
    """The portal's processes against both; all of them stopped when the test ends."""
    processes = Portal(database_url=cluster.url, broker_url=redis.url, workdir=tmp_path)
    try:
        yield processes
    finally:
        processes.stop()
