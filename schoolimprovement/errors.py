"""Error pages in the GOV.UK pattern, and the middleware that shows them with DEBUG on.

With DEBUG on Django answers a missing page or an unhandled error with its debug pages, whatever
``handler404`` and ``handler500`` say. The demo runs with DEBUG on (its static files come from the
finders, its cookies work over plain HTTP), so ``SERVICE_ERROR_PAGES`` (``run.py demo`` turns it on)
shows the service's own pages there instead, as production does.
"""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.signals import got_request_exception
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve

logger = logging.getLogger("django.request")


def forbidden(request, exception=None):
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


def _wanted() -> bool:
    return settings.DEBUG and settings.SERVICE_ERROR_PAGES


class ServiceErrorPagesMiddleware:
    """The service's 404 and 500 pages with DEBUG on, when ``SERVICE_ERROR_PAGES`` asks for them.

    An address that matches no URL never reaches a view, so it is answered here before the view is
    looked for (after the other middleware has read the session and the person, which the page's
    header needs; CommonMiddleware still redirects an address missing its slash). A view's 404, or
    any other error it raises, is answered in ``process_exception``; an error is logged and signalled
    as Django would, so that the 503 of ``operations.middleware`` still answers for the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _wanted():
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404:
                return not_found(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not _wanted():
            return None
        if isinstance(exception, Http404):
            return not_found(request, exception)
        if _answered_by_django(exception):
            return None
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        got_request_exception.send(sender=None, request=request)
        return server_error(request)


def _answered_by_django(exception: Exception) -> bool:
    """Refusals and bad requests, which Django answers with the service's 403 or a 400 even with DEBUG on."""
    return isinstance(exception, PermissionDenied | BadRequest | SuspiciousOperation)
