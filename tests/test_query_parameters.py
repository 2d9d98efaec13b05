"""Junk in a query parameter is never a server error (issue 17, finding 6).

Which parameters: a first GET of every URL of the permission matrix (``tests/test_permission_matrix.py``,
whose world, people and URL parameters this test reuses), as one person of each role the policy
lets open it, with ``request.GET`` replaced by a query dict that notes each key it is asked for
(``get``, ``[]``, ``getlist``, ``in``), whoever asks: middleware, a view, a django-filter form, DRF
(``request.query_params`` is the same dict) or a template (``request.GET.sort``). That first GET
carries one parameter no view reads, so that a form bound to ``request.GET or None`` binds and reads
its fields. A page that reads every key instead (by iterating the dict, as the administration's
change lists and add forms do) is marked so, and its keys are what it offers: a change list's
search, order, page and filters, an add form's fields. One that neither names nor offers its keys
fails the sweep, so that no parameter goes untried.

Then each URL × parameter is sent each junk value below, alone, as the first person who read it;
an answer of 500 or more, or an exception, is a failure naming the URL, the parameter, the value
and the exception. ``-s`` prints the counts. It runs on SQLite and PostgreSQL (which refuses a NUL
character in any query: ``core.query.BadQueryStringMiddleware`` answers 400 first, before any view of
the pages and the administration reads a parameter, so there the NUL goes to the first URL only).

The pages a framework makes for each model (the administration's, the API's) read the framework's
own parameters (the admin's order, page and popup; DRF's format, page and page size) by the same
path whatever the model: those are swept on the first page of each kind only, as are Django's own
list filters (one per field type) on the first change list that has each. What a model's page adds
is swept on every one: a change list's search, an endpoint's filters. The administration's other
pages of a model (add, change, delete, history) read nothing but Django's own parameters, so only
the first of each kind is read at all.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.contrib.admin.views.main import (
    ALL_VAR,
    ERROR_FLAG,
    IS_FACETS_VAR,
    IS_POPUP_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
    TO_FIELD_VAR,
)
from django.core.handlers.wsgi import WSGIRequest, get_bytes_from_wsgi
from django.db import transaction
from django.http import QueryDict
from django.test import Client, override_settings
from django.utils.functional import cached_property

from accounts.models import Role
from accounts.policy import access_for
from tests.examples import THOROUGH
from tests.test_permission_matrix import (
    ANONYMOUS,
    NAMES,
    PEOPLE,
    ROLE_OF,
    _close,
    build_world,
    may,
    own_side,
    post_only,
    url_of,
)

# The junk, by what it is. "repeated" sends the parameter twice. The long value is digits: longer
# than any field takes, and more digits than Python turns into a number (4,300).
JUNK: dict[str, list[str]] = {
    "letters": ["abc"],
    "negative": ["-1"],
    "zero": ["0"],
    "empty": [""],
    "too big": ["9999999999"],
    "NUL": ["\x00"],
    "10,000 characters": ["9" * 10_000],
    "academic year": ["2024/25"],
    "no such date": ["2026-02-31"],
    "repeated": ["abc", "1"],
}
# The quick sample (tests/examples.py) sends the junk most likely to break a page: text where a number
# is read, nothing, a number too big for a column, the NUL, a long value, a date or a year that is no
# such thing. The thorough one sends all of it.
if not THOROUGH:
    JUNK = {
        kind: JUNK[kind]
        for kind in ("letters", "empty", "too big", "NUL", "10,000 characters", "no such date", "academic year")
    }
# Server errors in Django's own code that the project cannot mend: (kind of page, parameter, junk)
# and why. None: an empty ``_to_field`` on the administration's change and delete pages, which Django
# 5.2 looks up as a field named '', is a 400 (``core.query.BadQueryStringMiddleware``).
DJANGOS_OWN: dict[tuple[str, str, str], str] = {}
# Junk the middleware answers before any view of the pages and the administration reads a parameter.
BEFORE_ANY_VIEW = frozenset({"NUL"})
PROBE = "a-parameter-no-view-reads"
EVERYTHING = "*"  # the key noted when a page reads every parameter

# One person of each role, with anonymous visitors first: the second partner and head (Bob and
# Ezra) take the same paths as Alice and Hannah.
_FIRST_OF_ROLE: dict[str, str] = {}
for _who in PEOPLE[1:]:
    _FIRST_OF_ROLE.setdefault(ROLE_OF[_who], _who)
READERS = [ANONYMOUS, *_FIRST_OF_ROLE.values()]
assert {ROLE_OF[who] for who in READERS if who != ANONYMOUS} == set(Role.values)

# The pages a framework makes for each model, by kind (the administration's change list, add, change,
# delete and history pages; the API's list and detail endpoints), and the parameters the framework
# reads on every page of a kind whatever the model: the admin's order, page, popup and the field a
# popup refers to; DRF's format and page.
KINDS = {
    "admin:": ("_changelist", "_add", "_change", "_delete", "_history"),
    "api:": ("-list", "-detail"),
}
FRAMEWORKS_OWN = {
    "admin:": {
        ORDER_VAR,
        PAGE_VAR,
        ALL_VAR,
        ERROR_FLAG,
        IS_FACETS_VAR,
        IS_POPUP_VAR,
        TO_FIELD_VAR,
        "_changelist_filters",
    },
    "api:": {"format", "page", "page_size"},
}


# Noting what a request reads --------------------------------------------------------------------------------------

_READ: set[str] | None = None  # the keys read during the current request, while noting


def _note(key) -> None:
    if _READ is not None:
        _READ.add(str(key))


class _NotNoting:
    """Pauses the noting: filling a query dict, copying it or encoding it again reads nothing."""

    def __enter__(self):
        global _READ
        self.held, _READ = _READ, None

    def __exit__(self, *exc):
        global _READ
        _READ = self.held


class NotingQueryDict(QueryDict):
    """A query dict that notes each key it is asked for while ``_READ`` is a set; iterating it
    notes ``EVERYTHING``. Copying it (``request.GET.copy()``) or encoding it again for links does not
    count as reading, nor does filling it."""

    def __init__(self, *args, **kwargs):
        with _NotNoting():
            super().__init__(*args, **kwargs)

    def setlistdefault(self, key, default_list=None):
        with _NotNoting():
            return super().setlistdefault(key, default_list)

    def __deepcopy__(self, memo):
        with _NotNoting():
            return super().__deepcopy__(memo)

    def __copy__(self):
        with _NotNoting():
            return super().__copy__()

    def urlencode(self, safe=None):
        with _NotNoting():
            return super().urlencode(safe)

    def __getitem__(self, key):
        _note(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        _note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        _note(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        _note(key)
        return super().__contains__(key)

    def __iter__(self):
        _note(EVERYTHING)
        return super().__iter__()

    def keys(self):
        _note(EVERYTHING)
        return super().keys()

    def items(self):
        _note(EVERYTHING)
        return super().items()

    def lists(self):
        _note(EVERYTHING)
        return super().lists()

    def values(self):
        _note(EVERYTHING)
        return super().values()

    def dict(self):
        _note(EVERYTHING)
        return super().dict()


def _noting_get(request: WSGIRequest) -> NotingQueryDict:
    """``WSGIRequest.GET``, as a noting query dict."""
    return NotingQueryDict(get_bytes_from_wsgi(request.environ, "QUERY_STRING", ""), encoding=request._encoding)


@pytest.fixture(scope="module")
def noting_requests():
    original = WSGIRequest.__dict__["GET"]
    noting = cached_property(_noting_get)
    noting.__set_name__(WSGIRequest, "GET")
    WSGIRequest.GET = noting
    yield
    WSGIRequest.GET = original


# The world and the requests ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory, noting_requests):
    """The permission matrix's world, built once, inside a transaction rolled back when the module ends."""
    media = tmp_path_factory.mktemp("query-parameters-media")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(
                MEDIA_ROOT=str(media), PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
            ):
                built = build_world()
            built.media = media
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _in_the_world(world, db, settings, _fast_and_isolated):
    settings.MEDIA_ROOT = str(world.media)
    # The sessions were made when the module started: idleness is not what this test is about.
    settings.SESSION_IDLE_TIMEOUT = 24 * 60 * 60
    # A 500 is reported in the failure list, and a 4xx is what junk should get: not logged here.
    quiet = [logging.getLogger("django.request"), logging.getLogger("django.security")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(quiet, levels, strict=True):
        logger.setLevel(level)


_HANDLER: list = []  # one handler for every request: loading the middleware indexes every static file


def get(w, who: str, url: str, query: list[tuple[str, str]]):
    """One GET, undone afterwards (a savepoint rolled back); the answer holds any exception raised
    (``exc_info``)."""
    client = Client(raise_request_exception=False)
    client.handler = (_HANDLER or [client.handler])[0]
    _HANDLER[:] = [client.handler]
    if who != ANONYMOUS:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = w.sessions[who]
    with transaction.atomic():
        response = client.get(f"{url}?{urlencode(query)}" if query else url)
        _close(response)
        transaction.set_rollback(True)
    return response


# The first GET: which parameters each URL reads ---------------------------------------------------------------------


def framework(name: str) -> str:
    return next((prefix for prefix in KINDS if name.startswith(prefix)), "")


def kind_of(name: str) -> str | None:
    return next((kind for kind in KINDS.get(framework(name), ()) if name.endswith(kind)), None)


def first_of_its_kind(name: str) -> bool:
    kind = kind_of(name)
    return kind is None or name == next(n for n in NAMES if framework(n) == framework(name) and kind_of(n) == kind)


def in_the_sweep(name: str, key: str) -> bool:
    """Every URL × parameter, but a framework's own parameters of its pages of a model only on the
    first page of each kind (they take the same path on every model's). What a model's page adds
    (a change list's search and filters, an endpoint's filters) is tried on every one."""
    return key not in FRAMEWORKS_OWN.get(framework(name), ()) or first_of_its_kind(name)


def readers(name: str) -> list[str]:
    access = access_for(name)
    return [] if post_only(access) else [who for who in READERS if may(access, who, "get")]


def offered(response) -> dict[str, str | None]:
    """The keys a page that reads every parameter takes: an administration change list's search,
    order, page and filters; an add form's fields (their initial values). Each key of one of
    Django's own list filters (by a field's type: choices, yes or no, dates, ...) comes with its
    kind, since it takes the same path whatever the field: ``ChoicesFieldListFilter __exact``; so
    does the search of a change list without search fields."""
    context = response.context
    if context is None:
        return {}
    if "cl" in context:
        change_list = context["cl"]
        keys = dict.fromkeys([ORDER_VAR, PAGE_VAR, ALL_VAR, ERROR_FLAG, IS_FACETS_VAR, IS_POPUP_VAR, TO_FIELD_VAR])
        # Without search fields the search box is Django's alone, as a list filter is.
        keys[SEARCH_VAR] = None if change_list.search_fields else "no search fields"
        for spec in change_list.filter_specs:
            djangos = type(spec).__module__.startswith("django.")
            for key in spec.expected_parameters():
                kind = f"{type(spec).__name__} {key.removeprefix(getattr(spec, 'field_path', ''))}"
                keys[key] = kind if djangos else None
        return keys
    if "adminform" in context:
        return dict.fromkeys(context["adminform"].form.fields)
    return {}


@dataclass
class Reader:
    who: str
    url: str


@dataclass
class Readings:
    reader: dict[tuple[str, str], Reader] = field(default_factory=dict)  # (name, key): who reads it first
    unexplained: list[str] = field(default_factory=list)  # pages that read every key and offer none
    requests: int = 0
    seconds: float = 0.0

    @property
    def names(self) -> set[str]:
        return {name for name, _ in self.reader}

    @property
    def keys(self) -> set[str]:
        return {key for _, key in self.reader}


def read(w) -> Readings:
    """Which keys each URL reads, and who reads each first."""
    global _READ
    readings = Readings()
    filters_tried: set[str] = set()  # the kinds of Django's own list filters, tried once each
    # The administration's other pages of a model read nothing but Django's own parameters.
    for name in [n for n in NAMES if first_of_its_kind(n) or framework(n) != "admin:" or kind_of(n) == "_changelist"]:
        for who in readers(name):
            url = url_of(w, name, own_side(who), who)
            # The change lists take any unknown key for a filter and send to themselves with ?e=1.
            probe = [] if framework(name) == "admin:" else [(PROBE, "1")]
            _READ = set()
            try:
                response = get(w, who, url, probe)
            finally:
                keys, _READ = _READ, None
            readings.requests += 1
            offers = offered(response) if EVERYTHING in keys else {}
            if EVERYTHING in keys and not offers:
                readings.unexplained.append(f"{url} ({name}) as {who} reads every parameter and offers none")
            for key in sorted((keys | set(offers)) - {PROBE, EVERYTHING}):
                kind = offers.get(key)
                if in_the_sweep(name, key) and kind not in filters_tried and (name, key) not in readings.reader:
                    readings.reader[name, key] = Reader(who, url)
                    filters_tried |= {kind} if kind else set()
    return readings


_READINGS: list[Readings] = []


@pytest.fixture
def readings(world) -> Readings:
    """The first GETs, made once for the module (by the first test that asks, so with its settings)."""
    if not _READINGS:
        started = time.perf_counter()
        _READINGS.append(read(world))
        _READINGS[0].seconds = time.perf_counter() - started
    return _READINGS[0]


# The sweep --------------------------------------------------------------------------------------------------------


def shown(values: list[str]) -> str:
    return " & ".join(repr(v) if len(v) < 20 else f"{v[:3]!r}… ({len(v):,} characters)" for v in values)


def sweep(w, name: str, key: str, reader: Reader, *, leave_out: frozenset[str] = frozenset()) -> tuple[int, list[str]]:
    """Each junk value for one URL and key (but the kinds left out): how many requests, and which
    answered a server error, how."""
    sent, wrong = 0, []
    for kind, values in JUNK.items():
        if (kind_of(name), key, kind) in DJANGOS_OWN or kind in leave_out:
            continue
        response = get(w, reader.who, reader.url, [(key, value) for value in values])
        sent += 1
        if response.status_code >= 500 or response.exc_info:
            error = response.exc_info[1] if response.exc_info else None
            said = f"{type(error).__name__}: {str(error)[:160]}" if error else "no exception"
            wrong.append(
                f"GET {reader.url} ({name}) ?{key}= {kind} {shown(values)} as {reader.who}: "
                f"{response.status_code} {said}"
            )
    return sent, wrong


PARTS = {
    "pages": lambda access: not access.api and not access.admin_site,
    "api": lambda access: access.api,
    "admin": lambda access: access.admin_site,
}


@pytest.mark.parametrize("part", PARTS)
def test_no_junk_parameter_is_a_server_error(world, readings, part):
    started = time.perf_counter()
    pairs = {pair: reader for pair, reader in readings.reader.items() if PARTS[part](access_for(pair[0]))}
    sent, wrong = 0, []
    for index, ((name, key), reader) in enumerate(sorted(pairs.items())):
        # A NUL character is a bad request (400) before any view of the pages and the administration
        # reads a parameter (core.query.BadQueryStringMiddleware): the first URL × parameter proves it.
        # The API's filters read it themselves.
        leave_out = frozenset() if part == "api" or index == 0 else BEFORE_ANY_VIEW
        n, problems = sweep(world, name, key, reader, leave_out=leave_out)
        sent, wrong = sent + n, wrong + problems
    print(
        f"\nQuery parameters, {part}: {len({name for name, _ in pairs})} URLs, {len({key for _, key in pairs})} "
        f"parameters, {len(pairs)} URL × parameter pairs, {sent} requests in {time.perf_counter() - started:.0f} s: "
        f"{len(wrong)} server errors"
    )
    assert not wrong, f"{len(wrong)} server errors:\n" + "\n".join(wrong)


def test_every_parameter_read_is_found(readings):
    """The first GETs found what each URL reads, whoever reads it; none reads every parameter
    without offering which."""
    print(
        f"\nQuery parameters read: {len(readings.names)} URLs read {len(readings.keys)} parameters, "
        f"{len(readings.reader)} URL × parameter pairs to sweep ({len(JUNK)} junk values each), found by "
        f"{readings.requests} first GETs in {readings.seconds:.0f} s"
    )
    assert not readings.unexplained, "\n".join(readings.unexplained)
    for found in [
        ("support:support", "year"),  # a view
        ("schools:list", "q"),  # a filter form, bound by the probe
        ("schools:list", "sort"),
        ("api:visit-list", "scheduled_from"),  # DRF's filter backend
        ("audit:search", "changed_from_0"),  # a date input's day
        ("accounts:sign-in", "next"),  # an anonymous visitor's page
        ("admin:schools_school_changelist", SEARCH_VAR),  # what a change list offers
    ]:
        assert found in readings.reader, found
    assert {"page_size", "_changelist_filters"} <= readings.keys  # DRF's and the admin's own, once


def test_the_noting_query_dict_notes_each_key_read():
    global _READ
    query = NotingQueryDict("year=2025&la=1&la=2&sort=name")
    _READ = set()
    try:
        query.get("year")
        query["sort"]
        query.getlist("la")
        _ = "page" in query
        assert {"year", "sort", "la", "page"} == _READ
        copied = query.copy()
        copied.pop("sort")
        copied.urlencode()
        assert {"year", "sort", "la", "page"} == _READ, "copying and encoding read nothing"
        dict(query.items())
        assert EVERYTHING in _READ
    finally:
        _READ = None
