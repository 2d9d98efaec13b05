"""Two-factor authentication: officers, administrators and board members set up an authenticator
app before reaching any page and enter its code at each sign-in; everyone else may choose to."""

import re
import time
from base64 import b32decode
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import selectors, services
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

SETUP = reverse("accounts:two-factor-setup")
VERIFY = reverse("accounts:two-factor-verify")


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or that many 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def code_from(secret: bytes, *, steps_ahead: int = 0) -> str:
    """The code an app shows for a secret read off the set-up page (the portal's defaults)."""
    return code_for(TOTPDevice(key=secret.hex()), steps_ahead=steps_ahead)


def authenticator(user) -> TOTPDevice:
    """A confirmed authenticator app, as after set-up."""
    device = services.authenticator_to_set_up(user=user)
    services.confirm_authenticator(device=device, code=code_for(device))
    device.refresh_from_db()
    return device


def secret_on(page: str) -> bytes:
    key = re.search(r'id="secret-key">([A-Z2-7 ]+)<', page).group(1)
    return b32decode(key.replace(" ", ""))


# Required roles ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["olivia", "adam", "bella"])
def test_a_required_role_without_an_authenticator_is_sent_to_set_one_up_from_any_page(client, request, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("home"))["Location"] == SETUP
    response = client.get(reverse("schools:list"))
    assert response["Location"] == f"{SETUP}?next=%2Fschools%2F"
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_an_officer_who_posts_elsewhere_is_sent_to_set_up_too(client, olivia, ashfield):
    client.force_login(olivia)
    response = client.post(reverse("schools:list"))
    assert response["Location"] == SETUP


def test_the_set_up_page_shows_a_qr_code_and_the_key_and_keeps_them_on_reload(client, olivia):
    client.force_login(olivia)
    first = client.get(SETUP)
    page = first.content.decode()
    assert first.status_code == 200
    assert "Set up your authenticator app" in page
    assert '<svg width="' in page
    assert 'class="app-qr-code__image"' in page
    assert "Your role (LA officer) needs a code from an authenticator app" in page
    assert 'class="govuk-service-navigation' not in page  # no menu of pages they cannot reach yet
    device = TOTPDevice.objects.get(user=olivia)
    assert not device.confirmed
    assert secret_on(page) == device.bin_key
    assert secret_on(client.get(SETUP).content.decode()) == device.bin_key


def test_a_correct_code_turns_it_on_and_opens_the_portal(client, olivia):
    client.force_login(olivia)
    page = client.get(f"{SETUP}?next=/schools/").content.decode()
    device = TOTPDevice.objects.get(user=olivia)
    response = client.post(SETUP, {"code": code_for(device), "next": "/schools/"})
    assert response["Location"] == f"{reverse('accounts:recovery-codes')}?next=%2Fschools%2F"
    device.refresh_from_db()
    assert device.confirmed
    assert len(selectors.recovery_codes(olivia)) == 10
    codes = client.get(response["Location"])
    assert "Two-factor authentication is on" in codes.content.decode()
    assert all(code in codes.content.decode() for code in selectors.recovery_codes(olivia))
    assert client.get(reverse("schools:list")).status_code == 200
    assert client.get(reverse("home")).status_code == 200
    assert "secret-key" in page


def test_a_wrong_code_is_refused_with_an_error(client, olivia):
    client.force_login(olivia)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The code is not correct" in page
    assert not TOTPDevice.objects.get(user=olivia).confirmed
    assert client.get(reverse("home"))["Location"] == SETUP


def test_an_empty_code_is_named(client, olivia):
    client.force_login(olivia)
    client.get(SETUP)
    assert "Enter the 6-digit code from your authenticator app" in client.post(SETUP, {"code": ""}).content.decode()


def test_wrong_codes_make_the_person_wait(client, olivia):
    client.force_login(olivia)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=olivia)
    client.post(SETUP, {"code": "000000"})
    page = client.post(SETUP, {"code": code_for(device)}).content.decode()
    assert "You have entered a wrong code too many times" in page
    device.refresh_from_db()
    assert not device.confirmed


def test_an_officer_with_an_authenticator_enters_its_code_at_each_sign_in(client, olivia):
    device = authenticator(olivia)
    client.force_login(olivia)
    assert client.get(reverse("schools:list"))["Location"] == f"{VERIFY}?next=%2Fschools%2F"
    assert client.get(SETUP)["Location"] == VERIFY  # no replacing the app without its code
    page = client.get(VERIFY).content.decode()
    assert "Enter the code from your authenticator app" in page
    response = client.post(VERIFY, {"code": code_for(device, steps_ahead=1), "next": "/schools/"})
    assert response["Location"] == "/schools/"
    assert client.get(reverse("schools:list")).status_code == 200


def test_a_wrong_sign_in_code_is_refused(client, olivia):
    authenticator(olivia)
    client.force_login(olivia)
    page = client.post(VERIFY, {"code": "123456"}).content.decode()
    assert "The code is not correct or has expired" in page
    assert client.get(reverse("home"))["Location"] == VERIFY


def test_signing_in_with_a_password_then_the_code(client, olivia):
    device = authenticator(olivia)
    response = client.post(reverse("accounts:sign-in"), {"username": olivia.email, "password": PASSWORD})
    assert client.get(response["Location"])["Location"] == VERIFY
    assert client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_recovery_code_works_once_instead_of_the_app(client, olivia):
    authenticator(olivia)
    code = selectors.recovery_codes(olivia)[0]
    client.force_login(olivia)
    response = client.post(VERIFY, {"code": code.upper()}, follow=True)
    assert "You used a recovery code. You have 9 left" in response.content.decode()
    assert code not in selectors.recovery_codes(olivia)
    other = client.__class__()
    other.force_login(olivia)
    assert "The code is not correct" in other.post(VERIFY, {"code": code}).content.decode()


def test_the_next_page_must_be_on_the_portal(client, olivia):
    device = authenticator(olivia)
    client.force_login(olivia)
    response = client.post(VERIFY, {"code": code_for(device, steps_ahead=1), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_sign_out_is_open_before_the_code(client, olivia):
    client.force_login(olivia)
    assert client.post(reverse("accounts:sign-out"))["Location"] == reverse("accounts:sign-in")


def test_required_roles_cannot_turn_it_off(client, olivia):
    device = authenticator(olivia)
    client.force_login(olivia)
    client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
    assert "Turn off" not in client.get(reverse("accounts:account")).content.decode()
    client.post(reverse("accounts:two-factor-turn-off"))
    assert selectors.has_authenticator(olivia)


def test_no_one_is_forced_when_enforcement_is_off(client, olivia, settings):
    settings.TWO_FACTOR_ENFORCED = False
    client.force_login(olivia)
    assert client.get(reverse("home")).status_code == 200


# Other roles ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["alice", "hannah", "colin"])
def test_partners_heads_and_commissioners_are_not_forced(client, request, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("home")).status_code == 200
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Two-factor authentication" in page
    assert "Off" in page
    assert SETUP in page


def test_a_partner_can_turn_it_on_and_is_then_asked_for_the_code(client, alice):
    client.force_login(alice)
    page = client.get(SETUP).content.decode()
    assert "Your role" not in page
    device = TOTPDevice.objects.get(user=alice)
    client.post(SETUP, {"code": code_for(device)})
    assert ">On<" in client.get(reverse("accounts:account")).content.decode()
    again = client.__class__()
    again.force_login(alice)
    assert again.get(reverse("home"))["Location"] == VERIFY


def test_a_partner_can_turn_it_off(client, alice):
    device = authenticator(alice)
    client.force_login(alice)
    client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
    response = client.post(reverse("accounts:two-factor-turn-off"), follow=True)
    assert "Two-factor authentication is off" in response.content.decode()
    assert not selectors.has_authenticator(alice)
    assert not StaticToken.objects.filter(device__user=alice).exists()


def test_someone_who_opted_in_is_asked_even_when_enforcement_is_off(client, alice, settings):
    settings.TWO_FACTOR_ENFORCED = False
    authenticator(alice)
    client.force_login(alice)
    assert client.get(reverse("home"))["Location"] == VERIFY


def test_a_verified_person_can_replace_their_app(client, alice):
    old = authenticator(alice)
    client.force_login(alice)
    client.post(VERIFY, {"code": code_for(old, steps_ahead=1)})
    assert "Set up a new authenticator app" in client.get(SETUP).content.decode()
    new = TOTPDevice.objects.get(user=alice, confirmed=False)
    client.post(SETUP, {"code": code_for(new)})
    assert list(TOTPDevice.objects.filter(user=alice)) == [new]


def test_new_recovery_codes_replace_the_old(client, alice):
    device = authenticator(alice)
    old = selectors.recovery_codes(alice)
    client.force_login(alice)
    client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
    client.post(reverse("accounts:recovery-codes"))
    new = selectors.recovery_codes(alice)
    assert len(new) == 10
    assert not set(old) & set(new)


# A secret is shown to one session only (issue 17) ----------------------------------------------------------
# Someone with only the password could open set-up, keep the secret it showed, wait for the person to
# confirm the same secret in their own session, then sign in with the password and a code from it.


def signed_in(client: Client, user) -> Client:
    """A session started with the password alone, as anyone who knows it could start one."""
    assert client.post(reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD}).status_code == 302
    return client


def test_each_session_is_shown_its_own_secret_and_keeps_it_on_reload(client, olivia):
    other = signed_in(Client(), olivia)
    signed_in(client, olivia)
    mine = secret_on(client.get(SETUP).content.decode())
    theirs = secret_on(other.get(SETUP).content.decode())
    assert mine != theirs
    assert secret_on(client.get(SETUP).content.decode()) == mine
    assert secret_on(other.get(SETUP).content.decode()) == theirs


def test_a_code_from_a_secret_another_session_saw_does_not_confirm_set_up(client, olivia):
    attacker = signed_in(Client(), olivia)
    kept = secret_on(attacker.get(SETUP).content.decode())
    signed_in(client, olivia)
    client.get(SETUP)
    page = client.post(SETUP, {"code": code_from(kept)}).content.decode()
    assert "The code is not correct" in page
    assert not selectors.has_authenticator(olivia)


@pytest.mark.parametrize("before", ["first set-up", "an administrator removed the app"])
def test_a_secret_kept_from_another_session_never_signs_in(client, olivia, before):
    if before == "an administrator removed the app":
        authenticator(olivia)
        TOTPDevice.objects.filter(user=olivia).delete()
    attacker = signed_in(Client(), olivia)
    kept = secret_on(attacker.get(SETUP).content.decode())

    signed_in(client, olivia)
    mine = secret_on(client.get(SETUP).content.decode())
    assert client.post(SETUP, {"code": code_from(mine)}).status_code == 302
    assert selectors.has_authenticator(olivia)

    assert attacker.post(SETUP, {"code": code_from(kept, steps_ahead=1)})["Location"] == VERIFY
    later = signed_in(Client(), olivia)
    page = later.post(VERIFY, {"code": code_from(kept, steps_ahead=1)}).content.decode()
    assert "The code is not correct or has expired" in page
    assert later.get(reverse("home"))["Location"] == VERIFY
    assert [device.bin_key for device in TOTPDevice.objects.filter(user=olivia)] == [mine]


def test_confirming_removes_the_unconfirmed_apps_of_every_other_session(client, olivia):
    others = [signed_in(Client(), olivia) for _ in range(2)]
    for other in others:
        other.get(SETUP)
    signed_in(client, olivia)
    mine = secret_on(client.get(SETUP).content.decode())
    assert TOTPDevice.objects.filter(user=olivia, confirmed=False).count() == 3
    client.post(SETUP, {"code": code_from(mine)})
    assert [(device.bin_key, device.confirmed) for device in TOTPDevice.objects.filter(user=olivia)] == [(mine, True)]


def test_unconfirmed_apps_older_than_any_session_are_cleared_when_a_new_one_is_made(olivia, settings):
    old = services.authenticator_to_set_up(user=olivia)
    recent = services.authenticator_to_set_up(user=olivia)
    TOTPDevice.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    )
    new = services.authenticator_to_set_up(user=olivia)
    assert set(TOTPDevice.objects.filter(user=olivia).values_list("pk", flat=True)) == {recent.pk, new.pk}
    assert services.authenticator_to_set_up(user=olivia, pending_id=recent.pk) == recent
