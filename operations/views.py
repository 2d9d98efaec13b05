"""The health check for monitoring: the one page anyone may open without signing in."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from operations import health as checks


@never_cache
@login_not_required
def health(request):
    """200 when the database, the broker and a worker answer; 503 naming what does not. It says
    nothing but those states."""
    report = checks.check()
    return JsonResponse(report.as_dict(), status=200 if report.up else 503)
