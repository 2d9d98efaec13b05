"""Five wrong passwords for one account from one address lock that account from that address
(django-axes); the lockout is recorded and logged, and the person is told plainly."""

import logging
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

from accounts import lockout
from accounts.models import Role
from tests.factories import PASSWORD, UserFactory

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


# Spellings of one address (issue 17) ----------------------------------------------------------------------
# PostgreSQL's UPPER() makes a dotless ı an I and a long ſ an S, so the case-insensitive lookup let
# such spellings reach commissioner@… while each spelling had its own count of wrong passwords:
# five guesses became five for every spelling.

REAL = "commissioner@council.example"
DOTLESS = "commıssioner@council.example"  # U+0131: another address, however a database compares it
LONG_S = "commiſſioner@council.example"  # U+017F: the same address once NFKC-normalised
UNKNOWN = "nobody@council.example"


@pytest.fixture
def commissioner(db):
    return UserFactory(email=REAL, full_name="Tom Ellis", role=Role.COMMISSIONER)


@pytest.mark.parametrize("spelling", [LONG_S, "Commiſſioner@Council.Example", "COMMISSIONER@COUNCIL.EXAMPLE"])
def test_wrong_passwords_under_any_spelling_count_against_the_account(client, commissioner, spelling):
    wrong_passwords(client, spelling, times=4)
    wrong_passwords(client, REAL, times=1)
    response = sign_in(client, REAL, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_no_spelling_of_a_locked_account_gets_fresh_guesses(client, commissioner):
    wrong_passwords(client, REAL)
    for spelling in [DOTLESS, LONG_S, "commıſſioner@council.example", "COMMıSSIONER@council.example"]:
        response = sign_in(client, spelling, PASSWORD)
        assert response.status_code in (200, 429), spelling
        assert "_auth_user_id" not in client.session, spelling


def test_a_look_alike_address_is_not_the_account(client, commissioner):
    response = sign_in(client, DOTLESS, PASSWORD)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_same_address_in_compatibility_characters_signs_in(client, commissioner):
    assert sign_in(client, LONG_S, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(commissioner.pk)


def test_the_count_is_named_by_the_account_found_or_the_address_as_normalised(commissioner):
    for spelling in [REAL, LONG_S, " COMMISSIONER@council.example "]:
        assert lockout.username(None, {"username": spelling}) == REAL
    assert lockout.username(None, {"username": DOTLESS}) == DOTLESS
    assert lockout.username(None, {"username": "Nobody@Council.Example"}) == UNKNOWN


def without_csrf(page: str, address: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page).replace(address, "ADDRESS")


def test_an_unknown_address_is_refused_and_locked_as_an_account_is(client, commissioner):
    seen = {}
    for address in (REAL, UNKNOWN):
        responses = [sign_in(client, address, "not-the-password") for _ in range(6)]
        seen[address] = [(r.status_code, without_csrf(r.content.decode(), address)) for r in responses]
    assert seen[REAL] == seen[UNKNOWN]
    assert [status for status, _ in seen[REAL]] == [200, 200, 200, 200, 429, 429]


def test_an_unknown_look_alike_counts_on_its_own(client, commissioner):
    wrong_passwords(client, DOTLESS)
    assert sign_in(client, DOTLESS, PASSWORD).status_code == 429
    assert sign_in(client, REAL, PASSWORD).status_code == 302
