"""The settings that make the portal tolerate faults: read from a fresh process, as production does."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

from tests.conftest import ROOT

SHOW = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "options": s.DATABASES["default"].get("OPTIONS", {}),
    "health_checks": s.DATABASES["default"].get("CONN_HEALTH_CHECKS"),
    "acks_late": s.CELERY_TASK_ACKS_LATE,
    "reject_on_worker_lost": s.CELERY_TASK_REJECT_ON_WORKER_LOST,
    "prefetch": s.CELERY_WORKER_PREFETCH_MULTIPLIER,
    "visibility_timeout": s.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"],
    "time_limit": s.CELERY_TASK_TIME_LIMIT,
    "publish_retries": s.CELERY_TASK_PUBLISH_RETRY_POLICY["max_retries"],
    "result_retries": s.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS["retry_policy"]["max_retries"],
    "middleware": s.MIDDLEWARE,
}))
"""


def settings_with(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    result = subprocess.run(  # noqa: S603 - our own interpreter, reading our own settings
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "schoolimprovement.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_connections_give_up_after_two_seconds_and_are_checked_before_use():
    shown = settings_with(DATABASE_URL="postgres://postgres@127.0.0.1:5432/anything")
    assert shown["options"] == {"options": "-c jit=off", "connect_timeout": 2}
    assert shown["health_checks"] is True


def test_a_task_whose_worker_dies_goes_back_on_the_queue_and_no_worker_hoards_tasks():
    shown = settings_with(CELERY_BROKER_URL="redis://127.0.0.1:6379/0")
    assert shown["acks_late"] is True
    assert shown["reject_on_worker_lost"] is True
    assert shown["prefetch"] == 1
    # Redis re-delivers an unacknowledged task after this: never while it may still be running.
    assert shown["visibility_timeout"] > shown["time_limit"]
    assert shown["publish_retries"] <= 3
    assert shown["result_retries"] <= 3


def test_the_unavailable_page_wraps_everything_that_reads_the_database_and_gets_the_security_headers():
    middleware = settings_with()["middleware"]
    position = middleware.index("operations.middleware.DatabaseUnavailableMiddleware")
    outside = middleware[:position]
    assert {"django.middleware.security.SecurityMiddleware", "csp.middleware.CSPMiddleware"} <= set(outside)
    assert "django.contrib.sessions.middleware.SessionMiddleware" in middleware[position:]
    assert not [m for m in outside if m.startswith(("django.contrib", "accounts", "axes", "django_otp"))]


GIVE_UP = """
import time, django
django.setup()
from django.db import OperationalError, connection
started = time.monotonic()
try:
    connection.ensure_connection()
except OperationalError:
    print(time.monotonic() - started)
"""


def test_a_database_server_that_never_answers_is_given_up_after_the_connect_timeout():
    """A server that accepts the connection and then says nothing (hung, or a half-open route)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        url = f"postgres://postgres@127.0.0.1:{silent.getsockname()[1]}/portal"
        result = subprocess.run(  # noqa: S603 - our own interpreter and settings
            [sys.executable, "-c", GIVE_UP],
            cwd=ROOT,
            env={**clean, "DJANGO_SETTINGS_MODULE": "schoolimprovement.settings", "DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    seconds = float(result.stdout.strip().splitlines()[-1])
    assert 1.5 < seconds < 3
