"""PostgreSQL stopped under a running portal: pages answer 503 within 3 s, not a hang, and the first
request after it is back succeeds (persistent connections are health-checked before use)."""

from __future__ import annotations

import time

import pytest
import requests
from django.urls import reverse

pytestmark = pytest.mark.faults

OFFICER = "fiona@council.example"


def timed_get(http: requests.Session, url: str) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = http.get(url, timeout=15, allow_redirects=False)
    return response, time.monotonic() - started


def test_pages_answer_503_while_the_database_is_down_and_work_once_it_is_back(cluster, portal, measured):
    web = portal.web()
    http = requests.Session()
    http.cookies.set("sessionid", portal.run("-m", "tests.faults.portal", "sign-in", OFFICER).split()[-1])
    schools = web.base + reverse("schools:list")
    response, _ = timed_get(http, schools)
    assert response.status_code == 200, response.text[:500]
    assert "Fiona Faults" in response.text

    measured("postgresql_stop", cluster.server.stop())
    try:
        response, page_seconds = timed_get(http, schools)
        assert response.status_code == 503, response.text[:500]
        assert "Sorry, the service is unavailable" in response.text
        assert page_seconds < 3
        health, health_seconds = timed_get(requests.Session(), web.base + "/health/")
        assert health.status_code == 503
        assert health.json()["checks"]["database"] == "unavailable"
        assert health_seconds < 3
        # A probe that sends a session cookie fails reading it, and still gets the JSON answer.
        assert http.get(web.base + "/health/", timeout=15).json()["checks"]["database"] == "unavailable"
        measured("page_503", page_seconds)
        measured("health_503", health_seconds)
    finally:
        if not cluster.server.running():
            measured("postgresql_start", cluster.server.start())

    response, back_seconds = timed_get(http, schools)
    assert response.status_code == 200, response.text[:500]
    assert "Fiona Faults" in response.text
    measured("first_page_after_restart", back_seconds)
    assert http.get(web.base + "/health/", timeout=15).json()["checks"]["database"] == "ok"
