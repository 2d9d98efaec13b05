"""Migrating to authorities (issue 20): today's demo, loaded by the code as it was before
authorities, is migrated, and every record is still there, each case record now belonging to the
one default authority the migration makes, whose people keep their roles.

The code before authorities is taken from git (``BEFORE_AUTHORITIES``) into a folder of its own;
it migrates a new database of its own on the suite's PostgreSQL server and loads its demo there.
The code of this checkout then migrates that database. Both sides are read with plain SQL
(``tests.snapshot``). On SQLite (the README's test command) the test is skipped: loading the demo
with the earlier code takes a minute, and production migrates PostgreSQL."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

# Both tests share the module's migrated database: on one worker.
pytestmark = pytest.mark.xdist_group("migrating-to-authorities")

ROOT = Path(__file__).resolve().parent.parent.parent
BEFORE_AUTHORITIES = "27a9093"  # the last commit before issue 20
# Each app's last migration of issue 20: what this test is about (later migrations add their own
# tables and built-in data, and have tests of their own).
AUTHORITIES_DONE = [
    ("accounts", "0009_authorities"),
    ("schools", "0006_notes_belong_to_an_authority"),
    ("categorisation", "0007_frameworks_belong_to_an_authority"),
    ("support", "0007_partner_profiles_belong_to_an_authority"),
    ("boards", "0006_letter_templates_belong_to_an_authority"),
    ("reporting", "0005_reports_belong_to_an_authority"),
    ("operations", "0002_outbox_sweep_schedule"),
]
NEW_TABLES = {
    "accounts_authority",
    "accounts_historicalauthority",
    "accounts_membership",
    "accounts_historicalmembership",
}
NEW_COLUMNS = {"authority_id"}
GROWN = {"django_content_type", "auth_permission"}
# The records that now belong to an authority (their own column; the others belong through them).
OWNED = [
    "accounts_schoolassignment",
    "boards_boardmeeting",
    "boards_concernmeeting",
    "boards_decision",
    "boards_escalation",
    "boards_inspectionnotice",
    "boards_letter",
    "boards_lettertemplate",
    "boards_priorityentry",
    "boards_warningnotice",
    "categorisation_framework",
    "reporting_monthlyreport",
    "schools_intelligencenote",
    "support_academicyear",
    "support_actionplan",
    "support_brokeredsupport",
    "support_meeting",
    "support_newheadteacher",
    "support_partnerprofile",
    "support_selfreferral",
    "support_supportpackage",
    "support_tradedservice",
    "support_visit",
]


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, check=False)  # noqa: S603, S607


def _run(*args: str, cwd: Path, env: dict) -> None:
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


def _snapshot(out: Path, env: dict) -> dict:
    _run("-m", "tests.snapshot", str(out), cwd=ROOT, env=env)
    return json.loads(out.read_text(encoding="utf-8"))


@contextmanager
def _database_of_its_own() -> Iterator[str]:
    """A new database on the suite's PostgreSQL server, dropped afterwards; its URL."""
    server = settings.DATABASES["default"]
    params = {
        "host": server.get("HOST") or "127.0.0.1",
        "port": str(server.get("PORT") or 5432),
        "user": server.get("USER") or "postgres",
        "password": server.get("PASSWORD") or "",
    }
    name = f"before_authorities_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(**params, dbname="postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        password = f":{quote(params['password'])}" if params["password"] else ""
        yield f"postgres://{quote(params['user'])}{password}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(**params, dbname="postgres", autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(
            "runs with the suite on PostgreSQL (.ci/run, make test-postgres), the database production "
            "migrates: loading the demo with the earlier code takes a minute"
        )
    if _git("cat-file", "-e", f"{BEFORE_AUTHORITIES}^{{commit}}").returncode != 0:
        pytest.skip(f"this checkout has no history back to {BEFORE_AUTHORITIES} (a shallow clone)")
    work = tmp_path_factory.mktemp("before-authorities")
    before_code = work / "code"
    archive = _git("archive", "--format=tar", BEFORE_AUTHORITIES)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(before_code, filter="data")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    with _database_of_its_own() as url:
        env |= {"DATABASE_URL": url, "VAR_DIR": str(work / "var"), "DEBUG": "true"}
        _run("manage.py", "migrate", "--no-input", "-v", "0", cwd=before_code, env=env)
        _run("manage.py", "load_demo", "--quiet-imports", cwd=before_code, env=env)
        before = _snapshot(work / "before.json", env)
        for app, migration in AUTHORITIES_DONE:
            _run("manage.py", "migrate", app, migration, "--no-input", "-v", "0", cwd=ROOT, env=env)
        yield before, _snapshot(work / "after.json", env)


def _projected(table: dict, columns: list[str]) -> list[list]:
    index = [table["columns"].index(column) for column in columns]
    return sorted(([row[i] for i in index] for row in table["rows"]), key=str)


def test_every_record_of_todays_demo_is_there_after_migrating(migrated):
    before, after = migrated
    assert set(after) - set(before) == NEW_TABLES
    changed = {}
    for name, table in before.items():
        if name == "django_migrations":
            continue
        assert set(after[name]["columns"]) - set(table["columns"]) <= NEW_COLUMNS, name
        now = _projected(after[name], table["columns"])
        if name in GROWN:  # the new models' content types and permissions join the old ones
            now = [row for row in now if row in table["rows"]]
        if now != table["rows"]:
            changed[name] = (len(table["rows"]), len(after[name]["rows"]))
    assert changed == {}
    assert sum(len(t["rows"]) for t in before.values()) > 100_000


def test_every_case_record_belongs_to_the_default_authority_whose_people_keep_their_roles(migrated):
    before, after = migrated
    authorities = after["accounts_authority"]
    assert len(authorities["rows"]) == 1
    default = authorities["rows"][0][authorities["columns"].index("id")]
    assert authorities["rows"][0][authorities["columns"].index("name")] == "Default authority"
    for name in OWNED:
        owners = {row[0] for row in _projected(after[name], ["authority_id"])}
        assert owners <= {default}, name
        assert len(after[name]["rows"]) == len(before[name]["rows"]), name
    assert sum(len(after[name]["rows"]) for name in OWNED) > 500
    people = _projected(before["accounts_user"], ["id", "role"])
    assert _projected(after["accounts_membership"], ["user_id", "role"]) == people
    assert {row[0] for row in _projected(after["accounts_user"], ["authority_id"])} == {default}
