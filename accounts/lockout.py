"""How django-axes tells one sign-in from another: the account (the email address as typed,
in lower case) and the address it came from. Five wrong passwords for one account from one
address lock that pair (settings ``AXES_*``); the lockout page is ``views.locked_out``."""

from __future__ import annotations

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.dispatch import receiver

log = logging.getLogger("accounts.security")


def username(request, credentials: dict | None) -> str | None:
    """The email address tried, as the account is stored: trimmed and in lower case, so that
    ``Olivia@…`` and ``olivia@…`` count against the same account."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    return value.strip().lower() if isinstance(value, str) else value


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
