"""Pages that fail, for the middleware's tests: the project's URLs and three that raise."""

from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.urls import include, path


@login_not_required
def database_gone(request):
    raise OperationalError("terminating connection due to administrator command")


@login_not_required
def connection_closed(request):
    raise InterfaceError("connection already closed")


@login_not_required
def broken(request):
    raise ValueError("a bug, not an outage")


urlpatterns = [
    path("database-gone/", database_gone),
    path("connection-closed/", connection_closed),
    path("broken/", broken),
    path("", include("schoolimprovement.urls")),
]

handler500 = "schoolimprovement.errors.server_error"
