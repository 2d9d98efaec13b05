"""How long a sign-in lasts: 15 minutes without activity, 8 hours at most however active, and not
a moment after the account is deactivated."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts import sessions
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOME = reverse("home")
SIGN_IN = reverse("accounts:sign-in")
SESSION = reverse("accounts:session")


def backdate(client, **seconds):
    """Move the session's clocks back, as if that many seconds had passed."""
    session = client.session
    for key, ago in seconds.items():
        session[key] = time.time() - ago
    session.save()


def test_signing_in_starts_both_clocks_and_fixes_the_expiry(client, olivia, settings):
    client.post(SIGN_IN, {"username": olivia.email, "password": PASSWORD})
    session = client.session
    assert time.time() - session[sessions.SIGNED_IN_AT] < 5
    assert time.time() - session[sessions.LAST_ACTIVITY] < 5
    assert abs(session.get_expiry_age() - settings.SESSION_COOKIE_AGE) < 5
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def test_an_idle_session_is_signed_out_with_a_message(client, olivia):
    client.force_login(olivia)
    backdate(client, last_activity=16 * 60)
    response = client.get(reverse("schools:list"))
    assert response["Location"] == f"{SIGN_IN}?next=/schools/"
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 15 minutes without activity" in page
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session(client, olivia):
    client.force_login(olivia)
    backdate(client, last_activity=14 * 60)
    assert client.get(HOME).status_code == 200
    assert time.time() - client.session[sessions.LAST_ACTIVITY] < 5
    backdate(client, last_activity=14 * 60)
    assert client.get(HOME).status_code == 200


def test_the_timeout_is_a_setting(client, olivia, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    client.force_login(olivia)
    backdate(client, last_activity=61)
    assert client.get(HOME).status_code == 302
    assert "You were signed out after 1 minute without activity" in client.get(SIGN_IN).content.decode()


def test_a_session_ends_after_its_lifetime_however_active(client, olivia, settings):
    client.force_login(olivia)
    backdate(client, signed_in_at=settings.SESSION_COOKIE_AGE + 1, last_activity=10)
    assert client.get(HOME)["Location"] == f"{SIGN_IN}?next=/"
    page = client.get(SIGN_IN).content.decode()
    assert "You were signed out because you had been signed in for 8 hours" in page


def test_activity_never_extends_the_lifetime(client, olivia, settings):
    client.force_login(olivia)
    expiry = client.session.get_expiry_date()
    backdate(client, last_activity=5 * 60)
    client.get(HOME)
    assert client.session.get_expiry_date() == expiry
    assert Session.objects.get().expire_date <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_the_warning_is_on_every_page_with_the_time_left(client, olivia):
    client.force_login(olivia)
    page = client.get(HOME).content.decode()
    assert 'data-module="app-session-timeout"' in page
    assert 'data-warning="120"' in page
    assert int(page.split('data-seconds-left="')[1].split('"')[0]) > 890
    assert "js/session-timeout.js" in page
    assert "app-session-timeout" not in client.get(SIGN_IN).content.decode()


def test_asking_how_long_is_left_is_not_activity(client, olivia):
    client.force_login(olivia)
    backdate(client, last_activity=10 * 60)
    state = client.get(SESSION).json()
    assert state["signed_in"] is True
    assert 290 <= state["seconds_left"] <= 300


def test_stay_signed_in_restarts_the_idle_clock(client, olivia):
    client.force_login(olivia)
    backdate(client, last_activity=14 * 60)
    state = client.post(SESSION).json()
    assert state == {"signed_in": True, "seconds_left": state["seconds_left"]}
    assert state["seconds_left"] >= 895
    assert time.time() - client.session[sessions.LAST_ACTIVITY] < 5


def test_stay_signed_in_needs_the_csrf_token(olivia):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(olivia)
    assert client.post(SESSION).status_code == 403


def test_an_ended_session_answers_signed_out_and_leaves_the_message(client, olivia):
    client.force_login(olivia)
    backdate(client, last_activity=16 * 60)
    assert client.get(SESSION).json() == {"signed_in": False, "seconds_left": 0}
    assert "without activity" in client.get(SIGN_IN).content.decode()


def test_stay_signed_in_cannot_revive_an_ended_session(client, olivia):
    client.force_login(olivia)
    backdate(client, last_activity=16 * 60)
    assert client.post(SESSION).json()["signed_in"] is False
    assert client.get(HOME).status_code == 302


def test_the_time_left_is_the_nearer_limit(client, olivia, settings):
    client.force_login(olivia)
    backdate(client, signed_in_at=settings.SESSION_COOKIE_AGE - 100, last_activity=0)
    assert 95 <= client.get(SESSION).json()["seconds_left"] <= 100


# Deactivation -----------------------------------------------------------------------------------------------


def test_deactivating_an_account_ends_its_sessions_at_once(client, olivia, adam):
    client.force_login(olivia)
    other = client.__class__()
    other.force_login(adam)
    assert client.get(HOME).status_code == 200
    olivia.is_active = False
    olivia.save()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(olivia.pk)]
    assert client.get(HOME)["Location"] == f"{SIGN_IN}?next=/"
    assert other.get(HOME).status_code == 200  # nobody else is signed out


def test_deactivating_in_the_administration_ends_the_sessions(client, olivia, adam):
    signed_in = client.__class__()
    signed_in.force_login(olivia)
    client.force_login(adam)
    response = client.post(
        reverse("admin:accounts_user_change", args=[olivia.pk]),
        {
            "email": olivia.email,
            "full_name": olivia.full_name,
            "organisation": "",
            "role": olivia.role,
            "is_staff": "",
            "is_active": "",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "school_assignments-TOTAL_FORMS": "0",
            "school_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    olivia.refresh_from_db()
    assert not olivia.is_active
    assert signed_in.get(HOME).status_code == 302


def test_saving_an_active_account_keeps_its_sessions(client, olivia):
    client.force_login(olivia)
    olivia.full_name = "Olivia Renamed"
    olivia.save()
    assert client.get(HOME).status_code == 200


def test_an_inactive_account_with_a_session_is_signed_out_on_its_next_request(client, olivia):
    """Even when the change bypasses save() (a bulk update), Django refuses an inactive user."""
    from accounts.models import User

    client.force_login(olivia)
    User.objects.filter(pk=olivia.pk).update(is_active=False)
    assert client.get(HOME).status_code == 302
