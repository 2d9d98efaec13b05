"""Five wrong passwords for one account from one address lock that account from that address
(django-axes); the lockout is recorded and logged, and the person is told plainly."""

import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


def sign_in(client, email, password, address=HOME):
    return client.post(reverse("accounts:sign-in"), {"username": email, "password": password}, REMOTE_ADDR=address)


def wrong_passwords(client, email, times=5, address=HOME):
    for _ in range(times):
        sign_in(client, email, "not-the-password", address)


def test_four_wrong_passwords_still_allow_the_right_one(client, olivia):
    wrong_passwords(client, olivia.email, times=4)
    response = sign_in(client, olivia.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_fifth_wrong_password_locks_the_account_with_a_clear_message(client, olivia):
    wrong_passwords(client, olivia.email, times=4)
    response = sign_in(client, olivia.email, "not-the-password")
    page = response.content.decode()
    assert response.status_code == 429
    assert "Your account is locked" in page
    assert "locked for 30 minutes after 5 wrong passwords from this address" in page


def test_a_locked_account_is_refused_even_with_the_right_password(client, olivia):
    wrong_passwords(client, olivia.email)
    response = sign_in(client, olivia.email, PASSWORD)
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_counts_the_account_however_the_address_is_typed(client, olivia):
    wrong_passwords(client, "OLIVIA@council.example", times=3)
    wrong_passwords(client, " olivia@council.example ", times=2)
    assert sign_in(client, olivia.email, PASSWORD).status_code == 429


def test_another_address_can_still_sign_in(client, olivia):
    wrong_passwords(client, olivia.email)
    response = sign_in(client, olivia.email, PASSWORD, address=ELSEWHERE)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(olivia.pk)


def test_another_account_from_the_same_address_can_still_sign_in(client, olivia, adam):
    wrong_passwords(client, olivia.email)
    assert sign_in(client, adam.email, PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, olivia, settings):
    from datetime import timedelta

    wrong_passwords(client, olivia.email)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=31))
    assert sign_in(client, olivia.email, PASSWORD).status_code == 302


def test_the_lockout_is_recorded(client, olivia):
    wrong_passwords(client, olivia.email)
    sign_in(client, olivia.email, PASSWORD)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (olivia.email, HOME, 5)
    failures = AccessFailureLog.objects.filter(username=olivia.email, ip_address=HOME)
    assert failures.count() == 5
    assert failures.filter(locked_out=True).count() == 1
    assert "not-the-password" not in attempt.post_data  # axes keeps no passwords


def test_the_lockout_is_logged_as_a_warning(client, olivia, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.security"):
        wrong_passwords(client, olivia.email)
        sign_in(client, olivia.email, PASSWORD)
    lines = [r for r in caplog.records if r.name == "accounts.security"]
    assert [r.levelno for r in lines] == [logging.WARNING, logging.WARNING]
    assert lines[0].getMessage() == (f"Sign-in locked: {olivia.email} from {HOME} after 5 wrong passwords, for 0:30:00")
    assert lines[1].getMessage() == f"Sign-in refused while locked: {olivia.email} from {HOME}"


def test_a_right_password_clears_earlier_wrong_ones(client, olivia):
    wrong_passwords(client, olivia.email, times=4)
    assert sign_in(client, olivia.email, PASSWORD).status_code == 302
    client.post(reverse("accounts:sign-out"))
    wrong_passwords(client, olivia.email, times=4)
    assert sign_in(client, olivia.email, PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, olivia, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            reverse("accounts:sign-in"),
            {"username": olivia.email, "password": "wrong"},
            REMOTE_ADDR="192.0.2.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.9, {HOME}",
        )
    assert AccessAttempt.objects.get().ip_address == HOME
    other = client.post(
        reverse("accounts:sign-in"),
        {"username": olivia.email, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.1",
        HTTP_X_FORWARDED_FOR=ELSEWHERE,
    )
    assert other.status_code == 302


def test_the_administration_sign_in_is_locked_too(client, adam):
    for _ in range(5):
        client.post("/admin/login/", {"username": adam.email, "password": "wrong"}, REMOTE_ADDR=HOME)
    response = client.post("/admin/login/", {"username": adam.email, "password": PASSWORD}, REMOTE_ADDR=HOME)
    assert response.status_code == 429
