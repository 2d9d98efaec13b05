"""The service's basics, open to anyone: the accessibility statement, the privacy notice and the
cookies page, which say what the portal's settings make true."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_service_pages_open_without_signing_in_and_give_the_authoritys_contact(client, settings):
    settings.SERVICE_CONTACT_EMAIL = "school.improvement@council.example"
    settings.CLOSED_CASE_RETENTION_YEARS = 7

    pages = {name: client.get(reverse(name)) for name in ("accessibility", "privacy", "cookies")}

    assert {name: response.status_code for name, response in pages.items()} == dict.fromkeys(pages, 200)
    for response in pages.values():
        assert "mailto:school.improvement@council.example" in response.content.decode()
    assert "Web Content Accessibility Guidelines version 2.2" in pages["accessibility"].content.decode()
    assert "Equality and Human Rights Commission" in pages["accessibility"].content.decode()
    privacy = pages["privacy"].content.decode()
    assert "public task" in privacy
    assert "deleted 7 years after it closed" in privacy


def test_the_cookies_page_names_every_cookie_signing_in_sets(client, olivia):
    client.get(reverse("accounts:sign-in"))
    client.post(reverse("accounts:sign-in"), {"username": olivia.email, "password": PASSWORD})
    set_by_the_portal = set(client.cookies)

    page = client.get(reverse("cookies")).content.decode()

    assert {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME} <= set_by_the_portal
    for name in set_by_the_portal | {settings.LANGUAGE_COOKIE_NAME, "messages"}:
        assert f'<th scope="row" class="govuk-table__header">{name}</th>' in page
    assert "analytics" in page
