"""SQLite for one office (issue 24): pages keep answering while an import writes.

The test database is copied to a file, the portal serves it (gunicorn, as in production) and a real
import of a county's register (729 schools, ``import_file``) runs against the same file in a process
of its own. The import stops, its write transaction open, once it has written every school: the
pages are asked for then, and only then is it let go to commit. The test database is in memory, so
this is the one place the file database's settings (the write-ahead log, the busy timeout) are tried.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.faults.servers import BIN, end, free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
GIAS = ROOT / "tests" / "fixtures" / "published" / "gias"
REGISTER = GIAS / "gias_search_download_2021-05_selectedfields_hampshire850_surrey936.csv"
SCHOOLS_IN_REGISTER = 729
ALTON_INFANT = 115850  # the register's first school

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite's own settings"
    ),
    # Committed, so that SQLite's backup can copy it (never from a connection in a write transaction).
    pytest.mark.django_db(transaction=True),
]

# ``import_file`` in a process of its own that waits for a line on stdin before it starts, and
# again once the import has written every school, its transaction still open (it says "writing").
#
# This county's 729 schools are 1.3 MB of writes, within SQLite's page cache (2 MB): a transaction
# that outgrows the cache spills its pages into the database file and, without the write-ahead log,
# shuts every reader out until it commits. The import here has a cache of 256 KB, so that it writes
# as a larger file does (a bigger authority's register, a performance tables file).
IMPORT_HELD_OPEN = """
import sys

import django

django.setup()
from django.core.management import call_command
from django.db.backends.signals import connection_created

from schools import imports


def smaller_page_cache(sender, connection, **kwargs):
    connection.cursor().execute("PRAGMA cache_size = -256")


connection_created.connect(smaller_page_cache)
kind, path = sys.argv[1:]
apply = imports.APPLIERS[kind]


def held_open(*args, **kwargs):
    outcome = apply(*args, **kwargs)
    print("writing", flush=True)
    sys.stdin.readline()
    return outcome


imports.APPLIERS[kind] = held_open
sys.stdin.readline()
call_command("import_file", kind, path, "--no-progress")
"""


def copy_of_the_test_database(path: Path) -> None:
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    target.close()


def one_value(path: Path, query: str):
    with sqlite3.connect(path) as db:
        value = db.execute(query).fetchone()[0]
    db.close()
    return value


def test_pages_answer_while_an_import_writes(olivia, ashfield, beacon_hill, tmp_path):
    signed_in = Client()
    signed_in.force_login(olivia)
    database = tmp_path / "portal.sqlite3"
    copy_of_the_test_database(database)
    inherited = ("CELERY_", "DJANGO_", "PYTEST_", "DATABASE_URL", "CACHE_URL")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(inherited)},
        "DJANGO_SETTINGS_MODULE": "schoolimprovement.settings",
        "SQLITE_PATH": str(database),
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECRET_KEY": settings.SECRET_KEY,
        "TWO_FACTOR_ENFORCED": "false",
        "PYTHONUNBUFFERED": "1",
    }
    port = free_port()
    log = tmp_path / "web.log"
    with log.open("w") as out:
        web = subprocess.Popen(  # noqa: S603 - the test's own server
            [str(BIN / "gunicorn"), "schoolimprovement.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    importer = subprocess.Popen(  # noqa: S603 - the test's own import
        [sys.executable, "-c", IMPORT_HELD_OPEN, "gias_establishments", str(REGISTER)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: web.poll() is not None or answers(port), timeout=60, what="the portal to start")
        assert web.poll() is None, log.read_text()
        http = requests.Session()
        http.cookies.set(settings.SESSION_COOKIE_NAME, signed_in.cookies[settings.SESSION_COOKIE_NAME].value)
        base = f"http://127.0.0.1:{port}"
        pages = [reverse("home"), reverse("schools:list"), reverse("schools:detail", args=[ashfield.urn])]
        alton_infant = base + reverse("schools:detail", args=[ALTON_INFANT])

        def statuses() -> list[int]:
            return [http.get(base + page, allow_redirects=False, timeout=60).status_code for page in pages]

        # The officer already at work: the first request records the session's activity.
        assert statuses() == [200, 200, 200], log.read_text()

        importer.stdin.write("start\n")
        importer.stdin.flush()
        said = importer.stdout.readline()
        assert said == "writing\n", f"{said}{importer.stderr.read()}"
        assert one_value(database, "PRAGMA journal_mode") == "wal"
        # The import has written more than its cache holds: its pages are on disk (in the log), as a large import's are.
        assert Path(f"{database}-wal").stat().st_size > 256 * 1024

        assert statuses() == [200, 200, 200], log.read_text()
        # What was there before the import, and none of its schools until it commits.
        assert f">{beacon_hill.name}<" in http.get(base + reverse("schools:list"), timeout=60).text
        assert http.get(alton_infant, timeout=60).status_code == 404

        importer.stdin.write("\n")
        importer.stdin.flush()
        output, errors = importer.communicate(timeout=60)
        assert importer.returncode == 0, errors
        assert "729 rows read" in output
        assert http.get(alton_infant, timeout=60).status_code == 200
    finally:
        end(importer)
        end(web)
    assert one_value(database, "SELECT status FROM schools_importrun") == "succeeded"
    assert one_value(database, "SELECT COUNT(*) FROM schools_school") == SCHOOLS_IN_REGISTER + 2


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False
