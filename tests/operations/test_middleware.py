"""The database down: a plain 503 page, whichever layer of the request met the error."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.urls("tests.operations.urls")


def client() -> Client:
    # The test client re-raises a view's exception by default; a browser gets the response.
    return Client(raise_request_exception=False)


def assert_unavailable(response) -> None:
    page = response.content.decode()
    assert response.status_code == 503
    assert '<h1 class="govuk-heading-l">Sorry, the service is unavailable</h1>' in page
    assert "build/app.css" in page
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    # Nothing about the error itself reaches the page.
    assert "administrator command" not in page
    assert "Traceback" not in page


@pytest.mark.parametrize("url", ["/database-gone/", "/connection-closed/"])
def test_a_view_that_loses_the_database_answers_503(db, url):
    assert_unavailable(client().get(url))


@pytest.mark.parametrize("debug", [False, True])
def test_the_session_unreadable_answers_503_without_asking_the_database_again(
    olivia, monkeypatch, settings, django_assert_num_queries, debug
):
    settings.DEBUG = debug
    browser = client()
    browser.force_login(olivia)

    def unreadable(self, *args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(SessionStore, "load", unreadable)
    with django_assert_num_queries(0):
        response = browser.get("/")
    assert_unavailable(response)


def test_the_page_keeps_the_security_headers(db):
    response = client().get("/database-gone/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_any_other_error_is_still_a_500(db):
    response = client().get("/broken/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_pages_that_work_are_left_alone(client, olivia):
    client.force_login(olivia)
    assert client.get("/").status_code == 200
