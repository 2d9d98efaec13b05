"""Issue 17, finding 7: nothing sent to a signed-in person is kept by a cache. School pages, visits,
their reports as PDFs, exports and the API answered with only ``Vary: Cookie``, so a shared proxy or
the browser's cache could keep personal data after the person signed out; each now says
``Cache-Control: no-store``."""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from support import services as support
from support.models import Visit
from tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def assert_not_stored(response, url: str) -> None:
    assert response.status_code == 200, url
    control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= control, (url, response.get("Cache-Control"))


def named_urls_without_parameters(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace != "admin":
                yield from named_urls_without_parameters(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groups:
            yield f"{namespace}{entry.name}"


def test_every_page_a_signed_in_person_opens_says_no_store(client, olivia, alice):
    opened = 0
    for who in (olivia, alice):
        client.force_login(who)
        for name in named_urls_without_parameters():
            response = client.get(reverse(name))
            if response.status_code == 200:
                assert_not_stored(response, name)
                opened += 1
    assert opened > 40


def test_a_schools_pages_visits_reports_and_exports_say_no_store(client, alice, ashfield):
    visit = VisitFactory(school=ashfield, visitor=alice, status=Visit.Status.HELD, held_on=date(2026, 11, 12))
    report = support.start_report(visit=visit, by=alice)
    support.edit_report(report=report, by=alice, findings="Phonics is secure in year 1.", next_steps="Year 3 next.")
    client.force_login(alice)
    for url in [
        reverse("schools:detail", args=[ashfield.urn]),
        reverse("support:visit", args=[visit.pk]),
        reverse("support:report-pdf", args=[visit.pk]),
        reverse("schools:list") + "?export=csv",
        reverse("schools:list") + "?export=xlsx",
        reverse("api:school-list"),
    ]:
        assert_not_stored(client.get(url), url)
