"""/health/: the database, the broker and a worker, for monitoring probes that do not sign in."""

from __future__ import annotations

import time

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from operations import health

EVERY_STATE = {health.OK, health.UNAVAILABLE, health.NOT_USED}


class _Unreachable:
    """The database connection when the server is down."""

    def cursor(self):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def get_health(client) -> tuple[int, dict, float]:
    started = time.monotonic()
    response = client.get(reverse("health"))
    return response.status_code, response.json(), time.monotonic() - started


def test_with_tasks_inline_everything_is_up_and_the_broker_is_not_used(client, db):
    status, body, _ = get_health(client)
    assert status == 200
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "not used (tasks run inline)", "worker": "not used (tasks run inline)"},
    }


def test_an_anonymous_probe_is_not_sent_to_sign_in_and_learns_nothing_else(db):
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert set(response.json()) == {"status", "checks"}
    assert set(response.json()["checks"]) == {"database", "broker", "worker"}
    assert set(response.json()["checks"].values()) <= EVERY_STATE


def test_someone_signed_in_gets_the_same_answer(client, olivia):
    client.force_login(olivia)
    assert client.get("/health/").json()["status"] == "ok"


def test_it_takes_no_post():
    assert Client(enforce_csrf_checks=True).post("/health/").status_code == 403
    assert Client().post("/health/").status_code == 405


def test_head_answers_like_get(db):
    assert Client().head("/health/").status_code == 200


def test_the_database_down_answers_503_naming_it(client, db, monkeypatch):
    monkeypatch.setattr(health, "connection", _Unreachable())
    status, body, _ = get_health(client)
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "unavailable"
    assert body["checks"]["broker"] == "not used (tasks run inline)"


def test_a_broker_on_a_closed_port_answers_503_naming_it_and_the_worker(client, db, broker_down):
    status, body, seconds = get_health(client)
    assert status == 503
    assert body == {
        "status": "unavailable",
        "checks": {"database": "ok", "broker": "unavailable", "worker": "unavailable"},
    }
    assert seconds < 1.5


def test_a_broker_that_never_answers_is_given_up_within_the_timeout(client, db, silent_broker):
    status, body, seconds = get_health(client)
    assert status == 503
    assert body["checks"]["broker"] == "unavailable"
    assert seconds < health.BROKER_TIMEOUT + 1.5


def test_no_worker_answering_the_ping_is_named(client, db, broker_down, monkeypatch):
    monkeypatch.setattr(health, "broker_reachable", lambda timeout=health.BROKER_TIMEOUT: True)
    monkeypatch.setattr(health.celery_app().control, "ping", lambda **kwargs: [])
    status, body, _ = get_health(client)
    assert status == 503
    assert body["checks"] == {"database": "ok", "broker": "ok", "worker": "unavailable"}


def test_a_worker_that_answers_makes_it_200(client, db, broker_down, monkeypatch):
    asked = {}

    def ping(**kwargs):
        asked.update(kwargs)
        return [{"celery@worker": {"ok": "pong"}}]

    monkeypatch.setattr(health, "broker_reachable", lambda timeout=health.BROKER_TIMEOUT: True)
    monkeypatch.setattr(health.celery_app().control, "ping", ping)
    status, body, _ = get_health(client)
    assert (status, body["status"]) == (200, "ok")
    assert body["checks"] == {"database": "ok", "broker": "ok", "worker": "ok"}
    assert asked["timeout"] <= 1
    assert asked["limit"] == 1


@pytest.mark.two_factor
def test_someone_who_still_owes_an_authenticator_code_can_read_it(client, olivia):
    client.force_login(olivia)
    assert client.get("/health/").status_code == 200
