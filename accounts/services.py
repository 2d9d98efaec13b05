"""Writes about a person's sign-in: their authenticator app and recovery codes, and ending
their sessions when the account is deactivated."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts import permissions
from accounts.models import User

log = logging.getLogger("accounts.security")

RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"

WRONG_CODE = "The code is not correct or has expired. Enter the code your authenticator app shows now"
WRONG_SETUP_CODE = (
    "The code is not correct. Check the time on your phone is right, then enter the code your app shows now"
)


@dataclass(frozen=True)
class Verified:
    device: Device
    recovery_codes_left: int | None = None  # set when a recovery code was used


def authenticator_to_set_up(*, user: User) -> TOTPDevice:
    """The authenticator the person is setting up: the same one (and secret) until they confirm it,
    so reloading the page does not change the QR code their phone has already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def confirm_authenticator(*, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator with a code it shows, replacing any earlier one, and issue fresh
    recovery codes. Refuses a wrong code (at the field ``code``)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, confirmed=False).first()
        if device is None:
            raise ValidationError({"code": "This authenticator is already set up or was replaced. Start again"})
        refusal = _refusal(device)
        accepted = refusal is None and device.verify_token(_digits(code))
        if accepted:
            TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _replace_recovery_codes(device.user_id)
    # Raised outside the transaction, so the device's count of wrong codes is kept.
    if not accepted:
        raise ValidationError({"code": refusal or WRONG_SETUP_CODE})
    log.info("Two-factor authentication set up by user %s", device.user_id)
    return codes


def verify_code(*, user: User, code: str) -> Verified:
    """Check a code from the person's authenticator app, or one of their recovery codes (used up).
    Each device counts wrong codes and makes the person wait longer after each one."""
    typed = "".join(code.split()).lower()
    recovery = not typed.isdigit()
    model = StaticDevice if recovery else TOTPDevice
    refusal = None
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            refusal = _refusal(device)
            if refusal is None and device.verify_token(typed):
                left = device.token_set.count() if recovery else None
                return Verified(device=device, recovery_codes_left=left)
    log.info("Wrong two-factor code for user %s", user.pk)
    raise ValidationError({"code": refusal or WRONG_CODE})


def new_recovery_codes(*, user: User) -> list[str]:
    """Replace the person's recovery codes (the old ones stop working)."""
    with transaction.atomic():
        return _replace_recovery_codes(user.pk)


def turn_off_two_factor(*, user: User) -> None:
    """Remove the person's authenticator and recovery codes, where their role allows it."""
    if not permissions.can_turn_off_two_factor(user):
        raise ValidationError("Your role requires two-factor authentication: it cannot be turned off")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    log.info("Two-factor authentication turned off by user %s", user.pk)


def end_sessions(*, user_id: int) -> int:
    """Delete every session the person is signed in with, so a deactivated account is signed out
    at once on every device (sessions are kept in the database: ``SESSION_ENGINE``)."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return 0  # other engines cannot be searched; Django refuses an inactive user on each request anyway
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user_id)
    ]
    Session.objects.filter(pk__in=ended).delete()
    if ended:
        log.warning("Ended %d session(s) of deactivated user %s", len(ended), user_id)
    return len(ended)


def create_api_token(*, user: User) -> Token:
    """A new personal API token for the person, replacing any they had (which stops working).
    Its key is shown once, on the page that answers the request."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
    log.info("API token created by user %s", user.pk)
    return token


def revoke_api_token(*, user: User) -> bool:
    """Delete the person's API token, if they have one: requests with it answer 401 from then on."""
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        log.info("API token revoked by user %s", user.pk)
    return bool(deleted)


def _replace_recovery_codes(user_id: int) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user_id=user_id, defaults={"name": RECOVERY_NAME})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _refusal(device: Device) -> str | None:
    """Why the device takes no code just now (too many wrong ones), in words."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    until = (data or {}).get("locked_until")
    seconds = max(1, int((until - timezone.now()).total_seconds())) if until else None
    wait = f"{seconds} second{'s' if seconds != 1 else ''}" if seconds and seconds < 120 else "a few minutes"
    return f"You have entered a wrong code too many times. Wait {wait}, then enter the code your app shows"


def _digits(code: str) -> str:
    return "".join(code.split())
