"""What drf-spectacular cannot tell from the code: the OpenAPI schemes of the session and of the
personal tokens."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class VerifiedSessionScheme(SessionScheme):
    """The portal's session cookie, as for Django REST framework's own session authentication."""

    target_class = "api.authentication.VerifiedSessionAuthentication"
    priority = 0


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    """A personal token (Your account, API access) in ``Authorization: Token <key>``."""

    target_class = "api.authentication.PersonalTokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")  # noqa: S106
