"""How the API knows who is asking: a personal token, or the signed-in session.

The API's views are open to the sign-in middleware (Django REST framework marks them
``login_required = False`` and authenticates itself), so the two-factor middleware does not stand
in front of them either. A session that still owes an authenticator code therefore counts as no
sign-in at all here, as it does for every page: a password alone never reads the API.
"""

from rest_framework.authentication import SessionAuthentication

from accounts import permissions, selectors


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
