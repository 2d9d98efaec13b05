"""The demo (DEBUG on, ``SERVICE_ERROR_PAGES`` on: ``run.py demo``) shows the service's own "Page not
found" and "Sorry, there is a problem with the service" pages, not Django's debug pages."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.urls("tests.operations.urls"), pytest.mark.django_db]

NOT_FOUND = '<h1 class="govuk-heading-l">Page not found</h1>'
DEBUG_PAGE = "DEBUG = True"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    settings.SERVICE_ERROR_PAGES = True


@pytest.mark.usefixtures("demo")
def test_the_demo_answers_a_missing_page_and_a_school_one_may_not_see_with_the_services_page(client, olivia):
    client.force_login(olivia)

    missing = client.get("/no-such-page/")
    no_school = client.get(reverse("schools:detail", args=[999999]))

    for response in (missing, no_school):
        page = response.content.decode()
        assert response.status_code == 404
        assert NOT_FOUND in page
        assert "Olivia Officer" in page  # the service's header, with the person signed in
        assert DEBUG_PAGE not in page
    # An address missing its slash is still sent to the one with it.
    assert client.get("/schools").status_code == 301


@pytest.mark.usefixtures("demo")
def test_the_demo_answers_an_error_with_the_services_page_and_logs_it(caplog):
    response = Client(raise_request_exception=False).get("/broken/")

    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "a bug, not an outage" not in page
    assert "Internal Server Error: /broken/" in caplog.text


def test_the_database_down_is_still_the_503_page(demo):
    assert Client(raise_request_exception=False).get("/database-gone/").status_code == 503


def test_without_the_setting_a_developer_sees_djangos_debug_page(client, settings):
    settings.DEBUG = True
    settings.SERVICE_ERROR_PAGES = False

    assert DEBUG_PAGE in client.get("/no-such-page/").content.decode()
