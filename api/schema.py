"""What drf-spectacular cannot tell from the code: the session authentication's OpenAPI scheme."""

from drf_spectacular.authentication import SessionScheme


class VerifiedSessionScheme(SessionScheme):
    """The portal's session cookie, as for Django REST framework's own session authentication."""

    target_class = "api.authentication.VerifiedSessionAuthentication"
    priority = 0
