"""Rules applied to every request: the session's time limits, then two-factor authentication, and
the log of every file downloaded. The first two act in ``process_view``, around Django's
LoginRequiredMiddleware: an ended session is signed out first (so the sign-in page follows, with
the reason), and a signed-in person who still owes an authenticator code reaches only the pages
that take it."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from accounts import downloads, permissions, selectors, sessions
from accounts.authorities import in_wales, working_in
from accounts.lockout import client_ip
from accounts.models import Download

# Pages a person who still owes a code may open: those that take it, signing out, and the
# session keep-alive (which answers for the page they are on).
TWO_FACTOR_EXEMPT = {
    "accounts:two-factor-setup",
    "accounts:two-factor-verify",
    "accounts:sign-out",
    "accounts:session",
}


class AuthorityScopeMiddleware:
    """Every query a request makes of a case record is of the signed-in person's current authority
    (``accounts.authorities``); an anonymous visitor's match no record."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with working_in(_authority_of(request)):
            return self.get_response(request)


def _authority_of(request):
    user = getattr(request, "user", None)
    try:
        return user.authority if user is not None and user.is_authenticated else None
    except DatabaseError:
        # The database is down: the page answers for itself (the health check says so; any
        # other page is the 503 of operations.middleware).
        return None


# What a signed-in person who works for no authority may still open: their account and signing out.
NO_AUTHORITY_PAGES = {
    "accounts:account",
    "accounts:sign-out",
    "accounts:session",
    "accounts:switch-authority",
    "accounts:two-factor-setup",
    "accounts:two-factor-verify",
    "accounts:recovery-codes",
}
NO_AUTHORITY = (
    "You are not a member of any authority yet, so there is nothing to show you. "
    "Ask your authority's administrator to add you."
)


class NoAuthorityMiddleware:
    """A signed-in person who works for no authority (an account made outside the portal, or
    one whose last membership was removed) is told so, on every page but their account's; a
    platform administrator still reaches the administration, where authorities are managed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.authority_id is not None or not getattr(view_func, "login_required", True):
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name in NO_AUTHORITY_PAGES or name.startswith("admin:") or name.startswith("api:"):
            return None
        raise PermissionDenied(NO_AUTHORITY)


class SessionTimeoutMiddleware:
    """Signs out a session idle for ``SESSION_IDLE_TIMEOUT`` or signed in for longer than
    ``SESSION_COOKIE_AGE``, with a message for the sign-in page; otherwise records activity.
    A view marked ``session_activity = False`` (the warning's status check) is not activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        reason = sessions.ended(request.session)
        if reason is not None:
            logout(request)
            messages.info(request, sessions.message(reason))
            return None
        if getattr(view_func, "session_activity", True):
            sessions.touch(request.session)
        return None


class TwoFactorMiddleware:
    """Someone with an authenticator set up enters its code before any other page; someone whose
    role requires one (``TWO_FACTOR_REQUIRED_ROLES`` while ``TWO_FACTOR_ENFORCED``) and has none
    sets one up first. Pages open without signing in stay open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or not getattr(view_func, "login_required", True):
            return None
        if request.resolver_match and request.resolver_match.view_name in TWO_FACTOR_EXEMPT:
            return None
        if selectors.has_authenticator(user):
            return _to("accounts:two-factor-verify", request)
        if permissions.must_use_two_factor(user):
            return _to("accounts:two-factor-setup", request)
        return None


def _to(name: str, request):
    """The code page, returning afterwards to the page asked for (when it was a page)."""
    url = reverse(name)
    if request.method == "GET" and request.path != reverse("home"):
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    return redirect(url)


class DownloadLogMiddleware:
    """Logs every file the portal serves as an attachment to a signed-in person, and every read of
    the API's records (with a token or the session), before it leaves: who, when, the address asked
    for (with its filters) and the file's name (for the API, the endpoint's) and type."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        disposition = response.get("Content-Disposition")
        if downloads.is_download(response.status_code, disposition):
            filename = downloads.filename_of(disposition)
        else:
            filename = downloads.api_read(request, response.status_code)
        if filename is not None:
            Download.objects.create(
                user=user,
                path=request.get_full_path()[:2000],
                filename=filename,
                content_type=response.get("Content-Type", "")[:255],
                ip_address=_address(client_ip(request)),
            )
        return response


class NoStoreMiddleware:
    """Personal data stays out of caches: every response to a signed-in person (pages, downloads,
    PDFs and the API read with a token) and every download says ``Cache-Control: no-store``
    (with ``private`` and ``no-cache``), so that neither a shared proxy nor the browser's own cache
    keeps a copy after the person signs out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or downloads.is_download(response.status_code, response.get("Content-Disposition")):
            add_never_cache_headers(response)
        return response


def _address(value: str | None) -> str | None:
    """The client's address if it is one (a forwarded header may hold anything)."""
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


class EnglishOutsideWalesMiddleware:
    """The language of a page: Welsh only for the people of an authority in Wales.

    Django's ``LocaleMiddleware`` (early in ``MIDDLEWARE``) picks the language a person chose with
    the header's switch (``set_language``'s cookie) or, failing that, their browser's. This one,
    after the authority's scope is entered, puts back English for everyone else: an authority in
    England's pages and letters are in English whatever a browser asks for, and so is the
    administration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if translation.get_language() != settings.LANGUAGE_CODE and not in_wales():
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
