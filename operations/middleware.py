"""The database is down: every page answers a plain 503 at once instead of an error or a wait.

Django turns an exception into a 500 response inside the middleware layer it was raised in (the
view, or a middleware reading the session), so no outer middleware ever sees it raised. It does
send ``got_request_exception`` first, while the exception is being handled: the receiver below
marks the request, and the middleware swaps whatever response came back for the 503 page. That
works with DEBUG on or off and whichever layer touched the database. The page is rendered
without a request, so no context processor runs and nothing asks the database again.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string

from operations.views import health

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Seconds a browser or monitor is asked to wait before trying again.
RETRY_AFTER = 30
_MARK = "_database_unavailable"


def unavailable() -> HttpResponse:
    html = render_to_string("operations/unavailable.html", {"service_name": settings.SERVICE_NAME})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


@receiver(got_request_exception, dispatch_uid="operations.database_unavailable")
def _note_database_error(sender, request=None, **kwargs):
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, DATABASE_ERRORS):
        setattr(request, _MARK, True)


class DatabaseUnavailableMiddleware:
    """Answers 503 "The service is unavailable" for any request that met a database connection
    error (django.db.OperationalError or InterfaceError) anywhere inside it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS:
            # An error page that itself needed the database: Django re-raises what it raised.
            logger.exception("The database is unavailable")
            return unavailable()
        if getattr(request, _MARK, False):
            return self._health(request) or unavailable()
        return response

    @staticmethod
    def _health(request) -> HttpResponse | None:
        """The health check answers in JSON whatever else failed (a probe that sent a session
        cookie fails reading the session, before the view): it asks the database itself."""
        match = getattr(request, "resolver_match", None)
        if match is None or match.view_name != "health":
            return None

        return health(request)
