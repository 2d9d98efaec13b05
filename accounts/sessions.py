"""How long a sign-in lasts: ``SESSION_IDLE_TIMEOUT`` without a request ends it, and so does
``SESSION_COOKIE_AGE`` from the moment of signing in, however active the person has been.

Both moments are kept in the session as Unix times. Activity is written at most every
``_resolution`` seconds, so that a page view does not always rewrite the session; the warning
script asks ``seconds_left`` rather than keeping its own clock.
"""

from __future__ import annotations

import time
from datetime import timedelta
from enum import Enum

from django.conf import settings
from django.utils import timezone

SIGNED_IN_AT = "signed_in_at"
LAST_ACTIVITY = "last_activity"


class Ended(Enum):
    IDLE = "idle"
    LIFETIME = "lifetime"


def message(reason: Ended) -> str:
    """What the sign-in page says after the portal ended a session."""
    if reason is Ended.IDLE:
        return f"You were signed out after {duration(settings.SESSION_IDLE_TIMEOUT)} without activity. Sign in again."
    lifetime = duration(settings.SESSION_COOKIE_AGE)
    return f"You were signed out because you had been signed in for {lifetime}. Sign in again."


def duration(seconds: int) -> str:
    """15 minutes, 8 hours, 30 seconds."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds % 3600 == 0:
        return f"{seconds // 3600} hour{'s' if seconds != 3600 else ''}"
    minutes = round(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def start(session, *, now: float | None = None) -> None:
    """At sign-in: the clock for both limits starts, and the session itself (its database row
    and its cookie) expires at the end of its lifetime whatever is written to it later."""
    now = time.time() if now is None else now
    session[SIGNED_IN_AT] = now
    session[LAST_ACTIVITY] = now
    session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))


def ended(session, *, now: float | None = None) -> Ended | None:
    """Why this signed-in session is over, or None while it lasts."""
    now = time.time() if now is None else now
    signed_in_at = session.get(SIGNED_IN_AT)
    if signed_in_at is not None and now - signed_in_at >= settings.SESSION_COOKIE_AGE:
        return Ended.LIFETIME
    last = session.get(LAST_ACTIVITY)
    if last is not None and now - last >= settings.SESSION_IDLE_TIMEOUT:
        return Ended.IDLE
    return None


def touch(session, *, now: float | None = None, force: bool = False) -> None:
    """Record activity (not more often than needed, unless forced by "Stay signed in")."""
    now = time.time() if now is None else now
    last = session.get(LAST_ACTIVITY)
    if force or last is None or now - last >= _resolution():
        session[LAST_ACTIVITY] = now


def seconds_left(session, *, now: float | None = None) -> int:
    """Seconds until the session ends, by whichever limit comes first."""
    now = time.time() if now is None else now
    last = session.get(LAST_ACTIVITY, now)
    signed_in_at = session.get(SIGNED_IN_AT, now)
    left = min(last + settings.SESSION_IDLE_TIMEOUT, signed_in_at + settings.SESSION_COOKIE_AGE) - now
    return max(0, int(left))


def _resolution() -> float:
    """A minute for the 15-minute timeout; proportionally less when a test shortens it."""
    return min(60.0, settings.SESSION_IDLE_TIMEOUT / 15)
