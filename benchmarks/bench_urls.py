"""The portal's URLconf plus ``bench/floor/<pk>/``, the floor of ``benchmarks/pages.py``: the least
a signed-in page can do — the whole middleware stack (session, user, two-factor and timeout
checks, CSP and security headers), one row read by primary key and a tiny response."""

from django.http import Http404, HttpResponse
from django.urls import include, path

from schoolimprovement.urls import handler403, handler404, handler500
from schools.models import School

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def floor(request, pk: int):
    """One school's name by primary key, as plain text; sign-in required, like every page."""
    name = School.objects.filter(pk=pk).values_list("name", flat=True).first()
    if name is None:
        raise Http404("No school found")
    return HttpResponse(name, content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/floor/<int:pk>/", floor, name="bench-floor"),
    path("", include("schoolimprovement.urls")),
]
