"""Writes about a person's sign-in: their authenticator app and recovery codes, resetting a
forgotten password, and ending their sessions when the account is deactivated."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import permissions
from accounts.access import require
from accounts.audit.bulk import CHANGED, record
from accounts.audit.context import acting, attributed
from accounts.models import ApiToken, Authority, Membership, User, normalise_email
from accounts.policy import ADMIN, roles

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


def authenticator_to_set_up(*, user: User, pending_id: int | None = None) -> TOTPDevice:
    """The authenticator one session is setting up. ``pending_id`` is the one this session was shown
    before (the view keeps it in the session): while it is unconfirmed it comes back, so reloading
    the page keeps the QR code the phone has already scanned. Otherwise a new one with a new secret:
    each session has its own, so a secret seen by someone with only the password is never the one
    the person confirms (issue 17). Unconfirmed ones older than the longest sign-in go, as no session
    can still confirm them."""
    if pending_id is not None:
        device = TOTPDevice.objects.filter(pk=pending_id, user=user, confirmed=False).first()
        if device is not None:
            return device
    ended = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    TOTPDevice.objects.filter(user=user, confirmed=False, created_at__lt=ended).delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def confirm_authenticator(*, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator a session was shown with a code it shows, and issue fresh recovery
    codes. It replaces every other authenticator of the person: their earlier one, and any other
    session's unconfirmed one (whose secret someone else may have kept). Refuses a wrong code (at
    the field ``code``)."""
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


def reset_two_factor(*, user: User, by: User) -> None:
    """For a person who has lost their authenticator and their recovery codes: remove both and sign
    them out everywhere, so that their next sign-in sets up a new authenticator (where their role
    requires one). Administrators only, and never their own (another administrator does that)."""
    require(by, roles(ADMIN), "Only administrators can do this.")
    if user.pk == by.pk:
        raise PermissionDenied("Ask another administrator to reset your two-factor authentication.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    end_sessions(user_id=user.pk)
    log.warning("Two-factor authentication of user %s reset by administrator %s", user.pk, by.pk)


def lift_lockout(*, attempts: list[AccessAttempt], by: User) -> int:
    """Let an account sign in again from an address it is locked out from before the lock ends by
    itself: the count of wrong passwords for that account and address (django-axes' access attempts,
    the live state of the lock) goes. The failure log is kept, and each lifting is a line in the
    security log naming the administrator. Returns how many account and address pairs were lifted."""
    require(by, roles(ADMIN), "Only administrators can do this.")
    pairs = {(attempt.username, attempt.ip_address) for attempt in attempts}
    with transaction.atomic():
        for username, ip_address in sorted(pairs, key=str):
            AccessAttempt.objects.filter(username=username, ip_address=ip_address).delete()
            log.warning("Sign-in lockout lifted: %s from %s, by administrator %s", username, ip_address, by.pk)
    return len(pairs)


PASSWORD_RESET_REQUESTED = "Password reset requested"  # noqa: S105 - an audit reason, not a password
PASSWORD_RESET = "Password reset with an emailed link"  # noqa: S105 - an audit reason, not a password


def send_password_reset(*, email: str, link: Callable[[str, str], str]) -> bool:
    """Email a one-time link to set a new password ("Forgotten your password?") to the account the
    address reaches, when it is active and has a password; ``link(uidb64, token)`` is the link's
    address. The link works once and for ``PASSWORD_RESET_TIMEOUT`` (Django's token generator: it
    stops working once the password changes or the person signs in). Returns whether an email went,
    which the person asking must never be told. Recorded in the person's history and the security log."""
    user = User._default_manager.filter(email=normalise_email(email), is_active=True).first()
    if user is None or not user.has_usable_password():
        log.info("Password reset asked for an address that reaches no active account")
        return False
    context = {
        "user": user,
        "link": link(urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)),
        "service": settings.SERVICE_NAME,
        "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    send_mail(
        subject=f"Reset your password for the {settings.SERVICE_NAME}",
        message=render_to_string("accounts/email/password_reset.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    with acting(user, reason=PASSWORD_RESET_REQUESTED):
        record(User.objects.filter(pk=user.pk), CHANGED)
    log.warning("Password reset link sent to user %s", user.pk)
    return True


def reset_password(*, user: User, password: str) -> int:
    """Set the new password chosen through an emailed reset link (validated by the form), and end
    every session the person is signed in with, so that whoever knew the old password is signed
    out. Nothing else is lifted: a sign-in lockout and two-factor authentication stay as they were.
    Returns how many sessions ended."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        with acting(user, reason=PASSWORD_RESET):
            record(User.objects.filter(pk=user.pk), CHANGED)
    ended = end_sessions(user_id=user.pk)
    log.warning("Password of user %s reset with an emailed link; %d session(s) ended", user.pk, ended)
    return ended


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
        log.warning("Ended %d session(s) of user %s", len(ended), user_id)
    return len(ended)


TOKEN_LIFETIMES = (30, 90, 180, 365)  # days a person may choose; 90 unless they choose otherwise
REVOKED_ON_PASSWORD_CHANGE = "Revoked: password changed"  # noqa: S105 - an audit reason, not a password
REVOKED_ON_DEACTIVATION = "Revoked: account deactivated"


@attributed
def create_api_token(*, by: User, name: str, days: int = 90, two_factor_verified: bool) -> tuple[ApiToken, str]:
    """A new personal API token for ``by``, named ``name`` and expiring in ``days`` days. Returns
    the token and its key: only a digest of the key is stored, so the key is shown this once.

    Only the person may make their own (there is no ``for`` argument, and no other page or the
    administration makes one); where their role requires two-factor authentication, only in a session
    that has entered an authenticator code (``two_factor_verified``), which the token remembers."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Enter a name for the token, such as what will use it"})
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError({"name": "The name must be 100 characters or fewer"})
    if days not in TOKEN_LIFETIMES:
        raise ValidationError({"days": "Choose how long the token lasts"})
    if permissions.must_use_two_factor(by) and not two_factor_verified:
        raise ValidationError("Enter a code from your authenticator app before you make an API token")
    if ApiToken.objects.filter(user=by, name=name).exists():
        raise ValidationError({"name": "You already have a token with this name. Choose another name"})
    with acting(reason="API token made"):
        token, key = ApiToken.objects.create(
            user=by, name=name, expiry=timedelta(days=days), created_with_two_factor=two_factor_verified
        )
    log.info("API token %s made by user %s", token.pk, by.pk)
    return token, key


@attributed
def revoke_api_token(*, by: User, token_id: int) -> bool:
    """Revoke one of ``by``'s own tokens: requests with it answer 401 from then on."""
    with acting(reason="API token revoked"):
        revoked = _revoke(ApiToken.objects.filter(user=by, pk=token_id))
    if revoked:
        log.info("API token %s revoked by user %s", token_id, by.pk)
    return bool(revoked)


def revoke_every_api_token(*, user_id: int, reason: str) -> int:
    """Revoke all of a person's tokens (their password changed, or their account was deactivated)."""
    with acting(reason=reason):
        revoked = _revoke(ApiToken.objects.filter(user_id=user_id))
    if revoked:
        log.warning("%s: %d API token(s) of user %s", reason, revoked, user_id)
    return revoked


def record_api_token_use(*, token: ApiToken) -> None:
    """Note the day a token is used, once a day: each first use of a day is a row in the audit trail.
    Of two requests at the same moment, only the one whose update lands writes the row."""
    today = timezone.localdate()
    if token.last_used_on == today:
        return
    moved = ApiToken.objects.filter(pk=token.pk).exclude(last_used_on=today).update(last_used_on=today)
    token.last_used_on = today
    if moved:
        with acting(token.user, reason="API token used"):
            token.save(update_fields=["last_used_on"])  # writes the history row (the update above did not)


def _revoke(tokens) -> int:
    """Delete the tokens one by one, so that each deletion is a row in the audit trail."""
    count = 0
    for token in tokens.select_related("user"):
        token.delete()
        count += 1
    return count


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


@attributed
def switch_authority(*, user: User, authority_id: int) -> Membership:
    """Work in another authority the person belongs to, with their role there: every page, export
    and API read from now on is of that authority. Refused (``PermissionDenied``) for an authority
    they do not belong to."""
    membership = Membership.objects.select_related("authority").filter(user=user, authority_id=authority_id).first()
    if membership is None:
        raise PermissionDenied("You do not work for that authority.")
    user.authority, user.role = membership.authority, membership.role
    user.save(update_fields=["authority", "role"])
    return membership


@attributed
def save_authority(*, authority: Authority, by: User) -> Authority:
    """Add or change an authority (its name, nation, LA codes and whether it supports academies):
    platform administrators only. A new one gets its own copy of the built-in frameworks."""
    if not getattr(by, "is_superuser", False):
        raise PermissionDenied("Only platform administrators manage authorities.")
    authority.full_clean()
    authority.save()
    return authority


@attributed
def add_member(*, user: User, authority: Authority, role: str, by: User) -> Membership:
    """Give a person a role in an authority (or change it there): a platform administrator in any,
    an authority's administrator in their own. Someone who worked for none starts working in it."""
    require(by, roles(ADMIN), "Only administrators add people to an authority.")
    if not by.is_superuser and by.authority_id != authority.pk:
        raise PermissionDenied("Administrators add people to their own authority only.")
    membership, _ = Membership.objects.update_or_create(user=user, authority=authority, defaults={"role": role})
    if user.authority_id in (None, authority.pk):
        user.authority, user.role = authority, role
        user.save(update_fields=["authority", "role"])
    return membership
