"""A page's query string. Anyone can type anything after the ``?``: a value that is not what the
page offers is ignored, or is a page that does not exist (404), or a bad request (400), never an
error (issue 17, finding 6; ``tests/test_query_parameters.py`` sends every parameter junk)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse

# The academic years a page or the API may be asked about: 2025 is 2025/26.
FIRST_YEAR = 1990
LAST_YEAR = 2100
# The administration's parameter naming the field a related-object pop-up looks records up by.
ADMIN_TO_FIELD = "_to_field"
# The largest value of an integer column on every database we run on.
LARGEST_INTEGER = 2_147_483_647


def whole_number(value: str | None, *, low: int = 0, high: int = LARGEST_INTEGER) -> int | None:
    """The value as a whole number from ``low`` to ``high``; None when it is absent, empty or
    anything else (letters, a sign, a fraction, more digits than ``high`` has)."""
    if not value or not value.isdecimal() or len(value) > len(str(high)):
        return None
    number = int(value)
    return number if low <= number <= high else None


def year_asked(request: HttpRequest, *, default: int) -> int:
    """The academic year ``?year=`` asks for, ``default`` without one; 404 for anything that is
    not a year from ``FIRST_YEAR`` to ``LAST_YEAR`` (``?year=2024/25`` included: pages link with
    the starting year alone)."""
    value = request.GET.get("year")
    if not value:
        return default
    year = whole_number(value, low=FIRST_YEAR, high=LAST_YEAR)
    if year is None:
        raise Http404("No such academic year")
    return year


class BadQueryStringMiddleware:
    """A query string with a NUL character (``%00``) in it is a bad request (400), and so is an empty
    ``_to_field`` in the administration (below). No page takes one,
    and PostgreSQL refuses one in any query: a value that reaches the database unchecked (the
    administration's list filters do) would otherwise be a server error. The API is left to its
    filters, which check every value and answer 400 naming the parameter."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if "%00" in request.META.get("QUERY_STRING", "") and request.resolver_match.namespaces[:1] != ["api"]:
            raise BadRequest("The address has a NUL character in it")
        # Django's administration looks up a field named "" for an empty ``_to_field`` on a change
        # or delete page (FieldDoesNotExist, a server error); any other field it may not use is a
        # bad request there already (DisallowedModelAdminToField), and so is this.
        # (Only the administration's pages read the parameter at all.)
        if request.resolver_match.namespaces[:1] == ["admin"] and request.GET.get(ADMIN_TO_FIELD, None) == "":
            raise BadRequest("The address names no field")
