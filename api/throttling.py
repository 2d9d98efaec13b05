"""How often the API answers one token and one address (``API_THROTTLE_RATES`` in settings),
counted in the shared cache so that every web worker counts together. Past either rate a request
answers 429 with ``Retry-After``."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.lockout import client_ip


class ConfiguredRateThrottle(SimpleRateThrottle):
    """A rate read from ``API_THROTTLE_RATES`` on each request (None: no limit)."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)


class PerTokenThrottle(ConfiguredRateThrottle):
    """Requests per token, or per signed-in person when the API is read with the session."""

    scope = "token"

    def get_cache_key(self, request, view):
        if request.auth is not None and getattr(request.auth, "pk", None) is not None:
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # refused anyway (401); wrong tokens are counted by the authentication
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PerAddressThrottle(ConfiguredRateThrottle):
    """Requests per address, whoever sends them (behind ``TRUSTED_PROXY_COUNT`` proxies, the
    address the sign-in lockout uses)."""

    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request._request) or "unknown"}
