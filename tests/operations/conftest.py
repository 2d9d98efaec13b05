"""A broker that is down (a port nothing listens on) or that accepts connections and never
answers, for the health check and the outbox. Tasks are sent, not run inline, while either is in
use; the Celery app reads CELERY_BROKER_URL from the environment before its own setting."""

from __future__ import annotations

import socket
from contextlib import contextmanager

import pytest

from schoolimprovement.celery import app as celery_app


def closed_port() -> int:
    """A loopback port nothing listens on (bound for a moment, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _broker_at(monkeypatch, url: str):
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield url
    finally:
        celery_app.conf.task_always_eager = eager


@pytest.fixture
def broker_down(monkeypatch):
    with _broker_at(monkeypatch, f"redis://127.0.0.1:{closed_port()}/0") as url:
        yield url


@pytest.fixture
def silent_broker(monkeypatch):
    """A broker that completes the TCP handshake and then says nothing (a hung Redis)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        with _broker_at(monkeypatch, f"redis://127.0.0.1:{server.getsockname()[1]}/0") as url:
            yield url
