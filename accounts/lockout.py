"""How django-axes tells one sign-in from another: the account the email address reaches (or,
for an address that reaches none, the address itself) and the address it came from. Five wrong
passwords for one account from one address lock that pair (settings ``AXES_*``); the lockout page
is ``views.locked_out``. And how often "Forgotten your password?" may send email (``may_send_reset``)."""

from __future__ import annotations

import hashlib
import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver

from accounts.models import User, normalise_email

log = logging.getLogger("accounts.security")


def username(request, credentials: dict | None) -> str | None:
    """What wrong passwords count against: the account the address typed reaches, found as sign-in
    finds it (``get_by_natural_key``), named by its stored address; so every way of typing one
    account's address (``COMMISSIONER@…``, ``commiſſioner@…`` with long ``ſ``…) shares one count (issue 17).
    An address that reaches no account counts on its own, normalised, so nothing tells the two apart:
    it is locked after as many wrong passwords as an account."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    if not isinstance(value, str):
        return value
    try:
        return User._default_manager.get_by_natural_key(value).get_username()
    except User.DoesNotExist:
        return normalise_email(value)


def client_ip(request) -> str | None:
    """The address the person signs in from. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies it is
    the entry that many places from the right of X-Forwarded-For (the proxies' own entries are
    to its right); anything further left could have been written by the client."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


RESET_WINDOW_SECONDS = 60 * 60


def may_send_reset(request, email: str) -> bool:
    """Whether a password reset asked for now may send its email: at most
    ``PASSWORD_RESET_LIMIT_PER_ADDRESS`` an hour to one address and ``PASSWORD_RESET_LIMIT_PER_NETWORK``
    requests an hour from one network address, counted in the shared cache, so that the form cannot
    be used to fill someone's inbox. Every request counts, whether or not the address reaches an
    account, so that the limit tells nobody which addresses do."""
    address = hashlib.sha256(normalise_email(email).encode()).hexdigest()
    within = [
        _count(f"password-reset:address:{address}") <= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
        _count(f"password-reset:network:{client_ip(request)}") <= settings.PASSWORD_RESET_LIMIT_PER_NETWORK,
    ]
    if not all(within):
        log.warning("Password reset refused: too many requests for an address or from %s", client_ip(request))
    return all(within)


def _count(key: str) -> int:
    """One more request under ``key`` this hour; how many so far."""
    if cache.add(key, 1, RESET_WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, RESET_WINDOW_SECONDS)
        return 1


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    """A security log line for every lockout, and for every attempt refused while locked."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures:
        log.warning(
            "Sign-in locked: %s from %s after %d wrong passwords, for %s",
            username,
            ip_address,
            failures,
            settings.AXES_COOLOFF_TIME,
        )
    else:
        log.warning("Sign-in refused while locked: %s from %s", username, ip_address)
