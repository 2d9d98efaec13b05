"""Redis stopped under a running portal: pages render, an officer's upload and report are saved and
answered at once with "it will run when the background service is back", the jobs wait in the
outbox, and once Redis and a worker are back each runs exactly once."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from tests.conftest import DATA
from tests.faults.servers import wait_for

pytestmark = pytest.mark.faults

OFFICER = "fiona@council.example"
LA_CODES = DATA / "reference" / "la_and_region_codes_meta.csv"
IMPORT, REPORT = "schools.import_file", "reporting.build_monthly_report"


def last_month():
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)


def post(http: requests.Session, url: str, data: dict, **kwargs) -> tuple[requests.Response, float]:
    started = time.monotonic()
    token = {"csrfmiddlewaretoken": http.cookies["csrftoken"]}
    response = http.post(url, data={**token, **data}, allow_redirects=False, timeout=15, **kwargs)
    return response, time.monotonic() - started


def test_jobs_wait_for_redis_and_run_once_when_it_is_back(cluster, redis, portal, measured):
    # As in production, the same Redis is the cache too (the dashboard, the school list's filters).
    portal.env["CACHE_URL"] = redis.url.replace("/0", "/1")
    web = portal.web()
    http = requests.Session()
    http.cookies.set("sessionid", portal.run("-m", "tests.faults.portal", "sign-in", OFFICER).split()[-1])
    imports, reports = web.base + reverse("schools:imports"), web.base + reverse("reporting:reports")
    assert http.get(imports, timeout=15).status_code == 200  # and the CSRF cookie
    period = last_month()
    before = cluster.value("SELECT coalesce(max(id), 0) FROM operations_pendingjob")

    assert http.get(web.base + reverse("reporting:dashboard"), timeout=15).status_code == 200  # cached

    redis.stop()
    started = time.monotonic()
    assert http.get(web.base + reverse("schools:list"), timeout=15).status_code == 200
    measured("page_with_redis_down", time.monotonic() - started)
    started = time.monotonic()
    assert http.get(web.base + reverse("reporting:dashboard"), timeout=15).status_code == 200
    measured("dashboard_with_redis_down", time.monotonic() - started)
    assert "The cache is unavailable" in web.log.read_text()  # a miss, and the page drawn again
    health = requests.get(web.base + "/health/", timeout=15)
    assert health.status_code == 503
    assert health.json()["checks"] == {"database": "ok", "broker": "unavailable", "worker": "unavailable"}

    with LA_CODES.open("rb") as handle:
        upload, upload_seconds = post(http, imports, {"kind": "local_authorities"}, files={"file": handle})
    assert upload.status_code == 302, upload.text[:500]
    assert upload_seconds < 2
    page = http.get(web.base + upload.headers["Location"], timeout=15).text
    assert "The import is saved; it will run when the background service is back." in page
    run_id = int(upload.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert cluster.value("SELECT status FROM schools_importrun WHERE id = %s", (run_id,)) == "queued"

    report, report_seconds = post(http, reports, {"period": period.isoformat()})
    assert report.status_code == 302
    assert report_seconds < 2
    page = http.get(web.base + report.headers["Location"], timeout=15).text
    assert f"The report for {period:%B %Y} will be built when the background service is back." in page
    measured("upload_with_redis_down", upload_seconds)
    measured("report_with_redis_down", report_seconds)

    waiting = cluster.sql("SELECT task, args, sent_at FROM operations_pendingjob WHERE id > %s ORDER BY id", (before,))
    assert waiting == [(IMPORT, [run_id], None), (REPORT, [period.isoformat(), waiting[1][1][1]], None)]

    redis.start()
    worker = portal.worker("after-the-outage")
    wait_for(
        lambda: cluster.value("SELECT status FROM schools_importrun WHERE id = %s", (run_id,)) == "succeeded",
        timeout=60,
        what="the import that waited to run",
    )
    wait_for(lambda: worker.succeeded(REPORT) == 1, timeout=60, what="the report that waited to be built")
    sent = cluster.sql(
        "SELECT task, attempts, sent_at IS NOT NULL FROM operations_pendingjob WHERE id > %s ORDER BY id", (before,)
    )
    assert sent == [(IMPORT, 2, True), (REPORT, 2, True)]
    assert cluster.value("SELECT count(*) FROM reporting_monthlyreport WHERE period = %s", (period,)) == 1

    # The web process sends again at once now that the broker is back; the month has not changed.
    again, _ = post(http, reports, {"period": period.isoformat()})
    assert "background service is back" not in http.get(web.base + again.headers["Location"], timeout=15).text
    wait_for(lambda: worker.succeeded(REPORT) == 2, timeout=60, what="the report asked for again")
    assert cluster.value("SELECT count(*) FROM reporting_monthlyreport WHERE period = %s", (period,)) == 1
    assert cluster.value("SELECT count(*) FROM operations_pendingjob WHERE id > %s", (before,)) == 2
    # Each waiting job reached the worker exactly once.
    assert worker.received(IMPORT) == 1
    assert worker.received(REPORT) == 2

    health = requests.get(web.base + "/health/", timeout=15)
    assert (health.status_code, health.json()["status"]) == (200, "ok"), health.text
