"""Forgotten your password? The GOV.UK pattern: the email address, "Check your email" whatever
was typed, a one-time link, a new password twice, and every session ended."""

import logging
import re
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from accounts.services import PASSWORD_RESET, PASSWORD_RESET_REQUESTED
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "quiet-lantern-orchard-47"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _ask(client, email):
    return client.post(reverse("accounts:password-reset"), {"email": email})


def _link(message) -> str:
    return re.search(r"http://testserver(/password-reset/\S+/)", message.body).group(1)


def _set(client, link, first=NEW, second=NEW):
    page = client.get(link)
    assert page.status_code == 302  # the token moves into the session, out of the address
    return client.post(page["Location"], {"new_password1": first, "new_password2": second})


def _history_reasons(user):
    return list(User.history.filter(id=user.pk).values_list("history_change_reason", flat=True))


def test_the_sign_in_page_links_to_forgotten_password(client):
    page = client.get(reverse("accounts:sign-in")).content.decode()
    assert f'href="{reverse("accounts:password-reset")}"' in page
    assert "Forgotten your password?" in page


def test_known_and_unknown_addresses_get_the_same_answer(client, olivia):
    known = _ask(client, "OLIVIA@council.example")
    unknown = _ask(client, "nobody@council.example")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password-reset-sent")
    page = client.get(known["Location"]).content.decode()
    assert "Check your email" in page
    assert "If the address you entered has an account" in page
    assert [m.to for m in mail.outbox] == [[olivia.email]]


def test_the_page_does_the_same_work_for_known_and_unknown_addresses(client, olivia, monkeypatch):
    """The account is looked up in the background job, queued for every address: the page's own
    work (and so how long it takes) does not depend on whether the address has an account."""
    queued = []
    monkeypatch.setattr("accounts.views.jobs.enqueue", lambda task, *args: queued.append((task.name, args)))
    _ask(client, olivia.email)
    _ask(client, "nobody@council.example")
    assert queued == [
        ("accounts.send_password_reset", (olivia.email, "http://testserver/")),
        ("accounts.send_password_reset", ("nobody@council.example", "http://testserver/")),
    ]


def test_no_email_for_a_deactivated_account(client, olivia):
    olivia.is_active = False
    olivia.save()
    assert _ask(client, olivia.email)["Location"] == reverse("accounts:password-reset-sent")
    assert mail.outbox == []


def test_an_empty_or_malformed_address_is_named_in_an_error_summary(client):
    page = _ask(client, "").content.decode()
    assert "There is a problem" in page
    assert "Enter your email address" in page
    assert "Enter an email address in the correct format" in _ask(client, "olivia").content.decode()


def test_the_link_sets_a_new_password_once_and_ends_every_session(client, olivia, caplog):
    elsewhere = type(client)()
    elsewhere.force_login(olivia)
    _ask(client, olivia.email)
    link = _link(mail.outbox[0])
    with caplog.at_level(logging.WARNING, logger="accounts.security"):
        done = _set(client, link)
    assert done["Location"] == reverse("accounts:password-reset-complete")
    assert "Your password has been changed" in client.get(done["Location"]).content.decode()
    olivia.refresh_from_db()
    assert olivia.check_password(NEW)
    assert elsewhere.get(reverse("home")).status_code == 302  # signed out on the other device
    assert any("reset with an emailed link" in r.getMessage() for r in caplog.records)
    # Used once: the same link now says so.
    again = client.get(link, follow=True).content.decode()
    assert "The link has expired or has already been used" in again
    assert client.post(reverse("accounts:sign-in"), {"username": olivia.email, "password": NEW}).status_code == 302


def test_the_request_and_the_reset_are_in_the_persons_history(client, olivia):
    _ask(client, "nobody@council.example")
    _ask(client, olivia.email)
    assert _history_reasons(olivia).count(PASSWORD_RESET_REQUESTED) == 1
    _set(client, _link(mail.outbox[0]))
    assert PASSWORD_RESET in _history_reasons(olivia)


def test_an_invalid_link_says_it_has_expired(client, olivia):
    link = reverse("accounts:password-reset-confirm", args=[urlsafe_base64_encode(force_bytes(olivia.pk)), "1-x"])
    page = client.get(link, follow=True).content.decode()
    assert "The link has expired or has already been used" in page
    assert "Ask for a new link" in page


def test_an_expired_link_says_so(client, olivia, settings):
    settings.PASSWORD_RESET_TIMEOUT = 60 * 60
    token = default_token_generator.make_token(olivia)
    uid = urlsafe_base64_encode(force_bytes(olivia.pk))
    later = default_token_generator._now() + timedelta(hours=2)
    default_token_generator._now = lambda: later
    try:
        page = client.get(reverse("accounts:password-reset-confirm", args=[uid, token]), follow=True)
    finally:
        del default_token_generator._now
    assert "The link has expired or has already been used" in page.content.decode()
    olivia.refresh_from_db()
    assert olivia.check_password(PASSWORD)


def test_a_weak_or_mismatched_password_is_refused_with_an_error_summary(client, olivia):
    _ask(client, olivia.email)
    weak = _set(client, _link(mail.outbox[0]), first="short", second="short").content.decode()
    assert "There is a problem" in weak
    assert "at least 12 characters" in weak
    mismatch = client.post(
        client.get(_link(mail.outbox[0]))["Location"], {"new_password1": NEW, "new_password2": NEW + "x"}
    ).content.decode()
    assert "The passwords do not match" in mismatch
    olivia.refresh_from_db()
    assert olivia.check_password(PASSWORD)


def test_requests_are_limited_per_address_whether_or_not_it_has_an_account(client, olivia, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 2
    for _ in range(4):
        assert _ask(client, olivia.email)["Location"] == reverse("accounts:password-reset-sent")
    assert len(mail.outbox) == 2


def test_requests_are_limited_per_network_address(client, olivia, settings):
    settings.PASSWORD_RESET_LIMIT_PER_NETWORK = 1
    _ask(client, "nobody@council.example")
    _ask(client, olivia.email)
    assert mail.outbox == []


def test_a_reset_lifts_no_sign_in_lockout(client, olivia, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:sign-in"), {"username": olivia.email, "password": "wrong"})
    _ask(client, olivia.email)
    _set(client, _link(mail.outbox[0]))
    locked = client.post(reverse("accounts:sign-in"), {"username": olivia.email, "password": NEW})
    assert locked.status_code == 429
