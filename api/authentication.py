"""How the API knows who is asking: a personal token, or the signed-in session.

The API's views are open to the sign-in middleware (Django REST framework marks them
``login_required = False`` and authenticates itself), so the two-factor middleware does not stand
in front of them either. A session that still owes an authenticator code therefore counts as no
sign-in at all here, as it does for every page: a password alone never reads the API.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from accounts import permissions, selectors, services
from accounts.lockout import client_ip

log = logging.getLogger("accounts.security")


def owes_authenticator_code(user) -> bool:
    """Signed in with a password but not yet with the authenticator code the person must enter
    (``accounts.middleware.TwoFactorMiddleware`` asks the same)."""
    is_verified = getattr(user, "is_verified", None)  # set by django-otp's middleware
    if is_verified is not None and is_verified():
        return False
    return selectors.has_authenticator(user) or permissions.must_use_two_factor(user)


class VerifiedSessionAuthentication(SessionAuthentication):
    """Django REST framework's session authentication (with its CSRF check on unsafe methods),
    refusing a session that still owes an authenticator code."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None or owes_authenticator_code(found[0]):
            return None
        return found


class PersonalTokenAuthentication(TokenAuthentication):
    """A personal token (``accounts.ApiToken``, through django-rest-knox): the key is checked
    against its stored digest. Refused with 401: a key that matches no token, an expired or revoked
    token (revoked also when the password changes or the account is deactivated), an inactive person,
    and a token made without two-factor authentication by someone whose role now requires it (or who
    has no authenticator any more). Each first use of a day goes into the audit trail.

    Wrong keys are counted per address: after ``API_WRONG_TOKEN_LIMIT`` within
    ``API_WRONG_TOKEN_MINUTES`` the address is refused with 429 until the count expires, whatever
    key it sends, so that keys cannot be guessed at speed."""

    def authenticate(self, request):
        counter = _wrong_tokens_key(request)
        if (cache.get(counter) or 0) >= settings.API_WRONG_TOKEN_LIMIT:
            raise exceptions.Throttled(
                wait=settings.API_WRONG_TOKEN_MINUTES * 60, detail="Too many wrong tokens from your address."
            )
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            _count_wrong_token(counter)
            log.info("Wrong or refused API token from %s", client_ip(request._request))
            raise

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        return super().authenticate_credentials(token)

    def _cleanup_token(self, auth_token) -> bool:
        """An expired token is refused and kept (its owner sees it as expired and removes it),
        rather than deleted by whoever happens to send it, as django-rest-knox would."""
        return auth_token.expired

    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        if permissions.must_use_two_factor(user) and not (
            token.created_with_two_factor and selectors.has_authenticator(user)
        ):
            raise exceptions.AuthenticationFailed(
                "Your role requires two-factor authentication: make a new token after entering a code "
                "from your authenticator app."
            )
        services.record_api_token_use(token=token)
        return user, token


def _wrong_tokens_key(request) -> str:
    return f"api-wrong-token:{client_ip(request._request)}"


def _count_wrong_token(key: str) -> None:
    timeout = settings.API_WRONG_TOKEN_MINUTES * 60
    if not cache.add(key, 1, timeout):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, timeout)
