"""Shared fixtures: named people with a clear relation to named schools, fast settings, and
Celery either inline or, when a broker is configured, a real worker for the task tests.

The people:
    olivia   LA officer: sees every school
    adam     administrator
    alice    priority partner for Ashfield Primary School
    bob      priority partner for Beacon Hill Academy
    hannah   headteacher of Ashfield Primary School
    ezra     executive headteacher of Beacon Hill Academy and Castle Secondary School
    bella    advisory board member
    colin    commissioner
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management.commands import flush as flush_command
from django.core.management.sql import emit_post_migrate_signal as _emit_post_migrate_signal
from django.core.management.sql import sql_flush as _sql_flush
from django.db.models.signals import post_migrate
from pytest_django.plugin import blocking_manager_key

from accounts.authorities import working_in
from accounts.models import Authority, Role, SchoolAssignment
from operations import jobs
from schoolimprovement.celery import app as celery_app
from tests import builtin_data
from tests.builtin_data import DEFAULT_AUTHORITY, ensure_builtin_data
from tests.factories import LocalAuthorityFactory, SchoolAssignmentFactory, SchoolFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

# Tests whose costly fixtures are built once for their module or folder (the query-parameter sweep's
# world, the fault tests' PostgreSQL and Redis servers) run together on one worker when the suite is
# spread over the cores (pytest-xdist, ``--dist loadgroup``: run.py test); the rest are shared out
# one by one.
TOGETHER = ("tests/test_query_parameters.py", "tests/faults/")


# Before pytest-xdist's own hook, which reads the marks to send a group to one worker.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        where = Path(item.path).resolve().relative_to(ROOT).as_posix()
        for group in TOGETHER:
            if where.startswith(group):
                item.add_marker(pytest.mark.xdist_group(group))


def pytest_runtest_setup(item):
    """A grouped test fails if pytest-xdist lost its group (the group ends its node id): with pytest
    9.2 it did so silently (pytest-dev/pytest-xdist#1386)."""
    grouped = getattr(item.config.option, "loadgroup", False) and item.get_closest_marker("xdist_group")
    if grouped and "@" not in item.nodeid:
        pytest.fail(
            "pytest-xdist did not put this test in its group (--dist loadgroup), so each worker would build what the "
            "group shares: this pytest breaks the grouping (pytest-dev/pytest-xdist#1386)",
            pytrace=False,
        )


def pytest_collection_finish(session):
    """Python's cycle collector scans every object it tracks, and the suite makes many that live:
    the imports' tests spent 10 s of their 36 in full collections. What exists once the tests are
    collected (Django, the modules, the tests themselves) is left out of its scans for good, and it
    runs a fourteenth as often (every 10,000 new objects rather than 700)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path_factory):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = str(_media_root(tmp_path_factory))
    # Each test draws the dashboard from its own data (tests of the cache turn it back on).
    settings.DASHBOARD_CACHE_SECONDS = 0
    settings.CHOICES_CACHE_SECONDS = 0
    # Nor does a test read what an earlier one kept: figures kept per register generation would
    # otherwise outlive the earlier test's data in the same process.
    cache.clear()
    # No count of the work queue beside "Home" on other pages, so that each page's queries are its own
    # (tests of the count turn it on).
    settings.WORK_QUEUE_COUNT_SECONDS = 0
    # The API's rate limits are off but in their own tests (tests/api/test_tokens.py), as the suite
    # calls the API far faster than a person would, from one address.
    settings.API_THROTTLE_RATES = {"token": None, "address": None}
    settings.API_WRONG_TOKEN_LIMIT = 1_000_000


@pytest.fixture(scope="session", autouse=True)
def _in_the_default_authority():
    """Every test (and every fixture, whatever its scope) works in the default authority, as a
    request of its people would, unless it enters another with ``working_in``."""
    with working_in(DEFAULT_AUTHORITY):
        yield


@pytest.fixture(autouse=True)
def _two_factor_off_unless_marked(request, settings):
    """Officers, administrators and board members need an authenticator app (TWO_FACTOR_ENFORCED);
    tests sign them in with force_login, so enforcement is off except under ``two_factor``."""
    settings.TWO_FACTOR_ENFORCED = request.node.get_closest_marker("two_factor") is not None


_MEDIA: list[Path] = []


def _media_root(tmp_path_factory) -> Path:
    if not _MEDIA:
        _MEDIA.append(tmp_path_factory.mktemp("media"))
    return _MEDIA[0]


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    return bool(marker and marker.kwargs.get("transaction")) or bool(names & {"transactional_db", "live_server"})


KEPT_BY_FLUSH = {"django_content_type", "auth_permission"}


def _flush_tables_with_rows(style, connection, reset_sequences=True, allow_cascade=False):
    """``flush`` (which a transactional test runs when it ends) as a DELETE of each table that has
    rows: on PostgreSQL, truncating every table took about half a second after each browser test.
    Every table is empty afterwards, as before (Django's foreign keys are checked at commit), but
    the content types and permissions, which no test changes: the ``post_migrate`` signal after the
    flush finds them all there instead of writing them again."""
    tables = [
        table
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if table not in KEPT_BY_FLUSH
    ]
    _FLUSH_KEPT[0] = not (reset_sequences or not tables)
    if not _FLUSH_KEPT[0]:
        return _sql_flush(style, connection, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    quote = connection.ops.quote_name
    # Table names from the models' metadata.
    which = " UNION ALL ".join(f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(which, tables)
        return [f"DELETE FROM {quote(table)};" for (table,) in cursor.fetchall()]  # noqa: S608


_FLUSH_KEPT = [False]  # whether the last flush kept the content types and permissions
_WRITES_WHAT_FLUSH_KEEPS = {"create_contenttypes", "create_permissions"}


def _post_migrate_unless_kept(*args, **kwargs):
    """``post_migrate`` after a flush, unless the flush kept the content types and permissions and
    those two are all it writes: it would read every app's and find them there (0.07 s a test)."""
    receivers = {getattr(receiver(), "__name__", "") for _, receiver, *_ in post_migrate.receivers}
    if not (_FLUSH_KEPT[0] and receivers <= _WRITES_WHAT_FLUSH_KEEPS):
        _emit_post_migrate_signal(*args, **kwargs)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the built-in data written once and committed: a test rolls back only
    what it wrote, so every test finds it there."""
    with django_db_blocker.unblock():
        ensure_builtin_data()
        builtin_data.keep()
    flush_command.sql_flush = _flush_tables_with_rows
    flush_command.emit_post_migrate_signal = _post_migrate_unless_kept
    yield
    flush_command.sql_flush = _sql_flush
    flush_command.emit_post_migrate_signal = _emit_post_migrate_signal


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (``live_server``, ``transactional_db``) empties every table when it
    ends: the built-in data is put back, committed, for the tests after it."""
    result = yield
    if _transactional(item) and nextitem is not None:
        blocker = item.session.config.stash.get(blocking_manager_key, None)
        if blocker is not None:
            with blocker.unblock():
                builtin_data.put_back()
    return result


@pytest.fixture(autouse=True)
def _builtin_data(request):
    """A test that uses the database gets the transactional one if it serves pages to a browser."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker or names & {"db", "transactional_db", "live_server"}:
        request.getfixturevalue("transactional_db" if _transactional(request.node) else "db")


@pytest.fixture(autouse=True)
def _tasks_inline(request):
    """Tasks run inline unless the test is about the worker and a broker is configured."""
    previous = celery_app.conf.task_always_eager
    if request.node.get_closest_marker("worker") and uses_real_worker():
        celery_app.conf.task_always_eager = False
        request.getfixturevalue("celery_worker_process")
    else:
        celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


WORKER_MAIL = Path(tempfile.gettempdir()) / f"worker-mail-{os.getpid()}"


def worker_mail() -> list[str]:
    """The subjects of the email the real worker has sent, oldest first."""
    if not WORKER_MAIL.exists():
        return []
    subjects = []
    for path in sorted(WORKER_MAIL.iterdir(), key=lambda p: p.stat().st_mtime_ns):
        subjects += [line[len("Subject: ") :] for line in path.read_text().splitlines() if line.startswith("Subject: ")]
    return subjects


def uses_real_worker() -> bool:
    return bool(os.environ.get("CELERY_BROKER_URL")) and django_settings.DATABASES["default"]["ENGINE"].endswith(
        "postgresql"
    )


def queued(task, *args, **kwargs):
    """Queue a task as the portal does (``operations.jobs.enqueue``, which sends it the authority
    the code works in); its result (the worker's, or the inline run's)."""
    return jobs.enqueue(task, *args, **kwargs).result


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real Celery worker on the configured Redis broker, reading the test database."""
    from django.db import connection

    with django_db_blocker.unblock():
        db = connection.settings_dict
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    queue = f"tests-{uuid.uuid4().hex[:8]}"
    celery_app.conf.task_default_queue = queue
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(_media_root(tmp_path_factory)),
        "DJANGO_SETTINGS_MODULE": "schoolimprovement.settings",
        # The worker's email goes to files the tests can read (see worker_mail).
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(WORKER_MAIL),
    }
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    with log.open("w") as out:
        worker = subprocess.Popen(  # noqa: S603 - our own worker, started by the test run
            [celery, "-A", "schoolimprovement", "worker", "-Q", queue, "--pool=solo", "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "ready" in log.read_text():
            break
        if worker.poll() is not None:
            pytest.fail(f"The Celery worker exited:\n{log.read_text()}")
        time.sleep(0.2)
    else:
        worker.kill()
        pytest.fail(f"The Celery worker did not start within 60 s:\n{log.read_text()}")
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        worker.kill()


# Schools and people -----------------------------------------------------------------------


@pytest.fixture
def birmingham(db):
    return LocalAuthorityFactory(code=330, name="Birmingham")


@pytest.fixture
def warwickshire(db):
    return LocalAuthorityFactory(code=937, name="Warwickshire")


@pytest.fixture
def ashfield(birmingham):
    return SchoolFactory(urn=103001, name="Ashfield Primary School", la=birmingham, establishment_number=2001)


@pytest.fixture
def beacon_hill(birmingham):
    return SchoolFactory(
        urn=139001,
        name="Beacon Hill Academy",
        la=birmingham,
        establishment_number=4001,
        phase_name="Secondary",
        type_name="Academy converter",
        type_group_name="Academies",
    )


@pytest.fixture
def castle(warwickshire):
    return SchoolFactory(urn=125001, name="Castle Secondary School", la=warwickshire, phase_name="Secondary")


@pytest.fixture
def cardiff(db):
    return LocalAuthorityFactory(code=681, name="Cardiff")


@pytest.fixture
def hamadryad(cardiff):
    return SchoolFactory(
        urn=402387,
        name="Ysgol Gynradd Gymraeg Hamadryad",
        la=cardiff,
        establishment_number=2332,
        type_name="Welsh establishment",
        type_group_name="Welsh schools",
    )


@pytest.fixture
def in_wales(hamadryad):
    """The default authority becomes a Welsh one whose remit is Cardiff's schools (issue 21)."""
    Authority.objects.filter(pk=DEFAULT_AUTHORITY).update(nation=Authority.Nation.WALES, la_codes=[681])
    return hamadryad


@pytest.fixture
def olivia(db):
    return UserFactory(email="olivia@council.example", full_name="Olivia Officer", role=Role.LA_OFFICER)


@pytest.fixture
def adam(db):
    return UserFactory(
        email="adam@council.example", full_name="Adam Admin", role=Role.ADMIN, is_staff=True, is_superuser=True
    )


def _assigned(user, *schools, relationship):
    for school in schools:
        SchoolAssignmentFactory(user=user, school=school, relationship=relationship)
    return user


@pytest.fixture
def alice(ashfield):
    user = UserFactory(email="alice@partners.example", full_name="Alice Partner", role=Role.PRIORITY_PARTNER)
    return _assigned(user, ashfield, relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER)


@pytest.fixture
def bob(beacon_hill):
    user = UserFactory(email="bob@partners.example", full_name="Bob Partner", role=Role.PRIORITY_PARTNER)
    return _assigned(user, beacon_hill, relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER)


@pytest.fixture
def hannah(ashfield):
    user = UserFactory(email="hannah@school.example", full_name="Hannah Head", role=Role.HEADTEACHER)
    return _assigned(user, ashfield, relationship=SchoolAssignment.Relationship.HEADTEACHER)


@pytest.fixture
def ezra(beacon_hill, castle):
    user = UserFactory(email="ezra@school.example", full_name="Ezra Executive", role=Role.HEADTEACHER)
    return _assigned(user, beacon_hill, castle, relationship=SchoolAssignment.Relationship.HEADTEACHER)


@pytest.fixture
def bella(db):
    return UserFactory(email="bella@council.example", full_name="Bella Board", role=Role.BOARD_MEMBER)


@pytest.fixture
def priya(db):
    """A second LA officer."""
    return UserFactory(full_name="Priya Shah", email="priya.shah@council.example", role=Role.LA_OFFICER)


@pytest.fixture
def colin(db):
    return UserFactory(email="colin@council.example", full_name="Colin Commissioner", role=Role.COMMISSIONER)


@pytest.fixture
def everyone(olivia, adam, alice, bob, hannah, ezra, bella, colin):
    return {
        "olivia": olivia,
        "adam": adam,
        "alice": alice,
        "bob": bob,
        "hannah": hannah,
        "ezra": ezra,
        "bella": bella,
        "colin": colin,
    }
