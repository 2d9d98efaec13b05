"""Is the portal up? The database, the broker and a worker, each answered within a second or two.

``/health/`` (``operations.views.health``) reports these for monitoring; ``operations.jobs`` asks
:func:`broker_reachable` before handing a job to the broker, so that a page never waits on a
broker that is down. Each check says only ``ok``, ``unavailable`` or, without a broker (tasks run
inline: the demo and the bare test run), that the broker and worker are not used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from celery import current_app
from django.db import DatabaseError, connection
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
NOT_USED = "not used (tasks run inline)"
UP = frozenset({OK, NOT_USED})

# Seconds to wait for the broker to accept a connection and answer, and for a worker to answer a
# ping. With the database's connect_timeout (2 s, settings) the whole check takes at most ~3 s:
# a worker is pinged only through a broker that answered.
BROKER_TIMEOUT = 1.0
WORKER_TIMEOUT = 1.0


def celery_app():
    """The project's Celery app (``schoolimprovement.celery``, made current when Django starts):
    read through Celery, as this app sits below the project package."""
    return current_app._get_current_object()


def tasks_run_inline() -> bool:
    """No broker: every task runs in the process that asks for it (CELERY_TASK_ALWAYS_EAGER)."""
    app = celery_app()
    return bool(app.conf.task_always_eager or not app.conf.broker_url)


def broker_connection(timeout: float = BROKER_TIMEOUT):
    """A new connection to the broker that gives up after ``timeout`` seconds, connecting or
    waiting for an answer (the app's own connections keep the settings' longer limits)."""
    return celery_app().connection_for_write(
        connect_timeout=timeout,
        transport_options={"socket_connect_timeout": timeout, "socket_timeout": timeout},
    )


def broker_errors() -> tuple[type[BaseException], ...]:
    """What a broker (and the result store) that is down or unreachable raises."""
    app = celery_app()
    with app.connection_for_write() as conn:
        transport_errors = tuple(conn.connection_errors) + tuple(conn.channel_errors)
    backend_errors = tuple(getattr(app.backend, "connection_errors", ()) or ())
    # The Redis result store raises RuntimeError ("must be restarted") once its reconnection
    # retries are spent; nothing else can raise it while sending, as no task runs in this process.
    return (OperationalError, OSError, RuntimeError, *transport_errors, *backend_errors)


def broker_reachable(timeout: float = BROKER_TIMEOUT) -> bool:
    """Whether the broker accepts a connection and answers within ``timeout`` seconds."""
    try:
        with broker_connection(timeout) as conn:
            conn.ensure_connection(max_retries=0)
    except Exception as exc:  # any failure to connect means the broker is not usable
        logger.warning("The broker is unreachable: %s", exc)
        return False
    return True


def database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("The database is unavailable: %s", exc)
        return UNAVAILABLE
    return OK


def broker() -> str:
    if tasks_run_inline():
        return NOT_USED
    return OK if broker_reachable() else UNAVAILABLE


def worker(*, broker_state: str | None = None) -> str:
    """At least one Celery worker answers a ping (asked only when the broker is up)."""
    if tasks_run_inline():
        return NOT_USED
    if (broker_state or broker()) != OK:
        return UNAVAILABLE
    try:
        with broker_connection(BROKER_TIMEOUT) as conn:
            replies = celery_app().control.ping(timeout=WORKER_TIMEOUT, limit=1, connection=conn)
    except Exception as exc:  # a ping that fails in any way is a worker we cannot reach
        logger.warning("No worker could be pinged: %s", exc)
        return UNAVAILABLE
    return OK if replies else UNAVAILABLE


@dataclass(frozen=True)
class Health:
    checks: dict[str, str]

    @property
    def up(self) -> bool:
        return all(state in UP for state in self.checks.values())

    @property
    def status(self) -> str:
        return OK if self.up else UNAVAILABLE

    def as_dict(self) -> dict:
        return {"status": self.status, "checks": dict(self.checks)}


def check() -> Health:
    """Every check, in the order a request depends on them."""
    broker_state = broker()
    return Health({"database": database(), "broker": broker_state, "worker": worker(broker_state=broker_state)})
