"""The object half of the access module (the role half is ``accounts.access``): every view that
shows a school, or anything belonging to one, fetches it with ``get_for``, which filters through
``visible_schools``; anything outside it answers 404, whether or not it exists.

Everyone works in one authority at a time (``accounts.authorities`` scopes its case records) and
sees schools of its remit only: the schools of its LA codes that it supports (``remit_q``).
Officers and administrators see the whole remit; priority partners and headteachers the schools
they are assigned to; commissioners aggregate reports only (DESIGN §1). A role whose schools are
decided by an app above this one registers its rule here when that app is ready (board members
see the schools on the priority list and this year's agendas: ``boards.apps``), so this module
never imports upwards.
"""

import hashlib
import json
from collections.abc import Callable
from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from accounts.access import register_object_check
from accounts.authorities import current_authority, current_authority_id
from accounts.models import Authority
from accounts.selectors import ROLE_RELATIONSHIP, active_assignments
from schools.models import ACADEMY_TYPE_GROUPS, School, maintained_q

M = TypeVar("M", bound=Model)

_SCOPES: dict[str, Callable[[object], QuerySet[School]]] = {}


def register_scope(role: str, schools_for: Callable[[object], QuerySet[School]]) -> None:
    """Let an app above this one say which schools a person with ``role`` may open."""
    _SCOPES[role] = schools_for


def remit_q(authority: Authority | None, prefix: str = "") -> Q:
    """The schools an authority supports: those of its LA codes that are maintained (in Wales, the
    Welsh establishments), and academies and free schools if its offer is status blind. Never
    independent schools; Welsh establishments never for an English authority."""
    if authority is None:
        return Q(**{f"{prefix}pk__in": []})
    welsh = authority.nation == Authority.Nation.WALES
    groups = maintained_q(prefix, welsh=welsh)
    if authority.academies and not welsh:
        groups |= Q(**{f"{prefix}type_group_name__in": ACADEMY_TYPE_GROUPS})
    return _codes_q(f"{prefix}la__code", authority.la_codes) & groups


def _codes_q(field: str, codes: list[int]) -> Q:
    """``field`` in ``codes``, as one list however many there are. (A partnership's consecutive
    codes were once written as ranges, to keep the statement short; but each range is a lookup
    the ORM resolves and compiles on every query of the remit: for England's 151 codes, 25 ranges
    took 1.8 ms a query to build against 1.0 ms for the list.)"""
    return Q(**{f"{field}__in": sorted(set(codes))})


def remit_key(authority: Authority | None = None) -> str:
    """What the remit of ``authority`` (by default the current one) depends on, for the keys of
    figures kept of it: a change to its LA codes or its offer makes every one a miss."""
    authority = authority if authority is not None else current_authority()
    if authority is None:
        return "none"
    held = json.dumps([authority.pk, authority.nation, authority.academies, sorted(authority.la_codes or [])])
    return hashlib.sha256(held.encode()).hexdigest()[:16]


def remit(authority: Authority | None = None) -> QuerySet[School]:
    """Every school of ``authority``'s remit (by default the current authority's)."""
    return School.objects.filter(remit_q(authority if authority is not None else current_authority()))


def maintained_in_remit(prefix: str = "") -> Q:
    """The current authority's maintained schools: those its statutory powers reach and its reports
    count (``prefix`` like ``school__`` for related lookups)."""
    authority = current_authority()
    welsh = authority is not None and authority.nation == Authority.Nation.WALES
    return remit_q(authority, prefix) & maintained_q(prefix, welsh=welsh)


def _remit_of(user) -> QuerySet[School]:
    """The remit of the authority the person works in, if the code is working in it too."""
    if user.authority_id is None or user.authority_id != current_authority_id():
        return School.objects.none()
    return remit(user.authority)


def visible_schools(user) -> QuerySet[School]:
    """Every school the user may open, of their current authority's remit: all of it for officers
    and administrators, assigned ones for priority partners and headteachers, priority-list and
    agenda schools for board members, none for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return School.objects.none()
    schools = _remit_of(user)
    if user.sees_every_school:
        return schools
    if user.role in ROLE_RELATIONSHIP:
        return schools.filter(pk__in=active_assignments(user).values("school_id"))
    if user.role in _SCOPES:
        return schools.filter(pk__in=_SCOPES[user.role](user).values("pk"))
    return School.objects.none()


def school_path(model: type[Model]) -> str:
    """The lookup from a model to the school it belongs to: ``SCHOOL_PATH`` on the model (for
    example ``"priority__plan__school"`` for a plan's action), ``"school"`` by default, and empty
    for the school itself."""
    if model is School:
        return ""
    return getattr(model, "SCHOOL_PATH", "school")


def get_for(user, model: type[M], pk=None, /, *, queryset: QuerySet[M] | None = None, **lookup) -> M:
    """The ``model`` row with this ``pk`` (or ``lookup``, such as ``urn=``) if the user may see the
    school it belongs to; 404 otherwise. ``queryset`` narrows or joins what is fetched."""
    if queryset is None:
        queryset = model._default_manager.all()
        if model is School:  # what every school page shows in its heading
            queryset = queryset.select_related("la", "trust", "federation", "latest_inspection")
    path = school_path(model)
    visible = visible_schools(user).values("pk")
    found = queryset.filter(pk__in=visible) if not path else queryset.filter(**{f"{path}__in": visible})
    if pk is not None:
        lookup["pk"] = pk
    try:
        return found.get(**lookup)
    except model.DoesNotExist as exc:
        raise Http404(f"No {model._meta.verbose_name} found") from exc


def sees(user, of, kwargs: dict) -> bool:
    """Whether the user may see the object a URL names (``accounts.access`` asks, to tell a refused
    role 403 from 404): ``of`` is its model, or a function of the user giving the queryset the view
    reads it from, and the URL's ``pk`` names it; without ``of``, the URL's ``urn`` names a school."""
    try:
        if of is None or of is School:
            get_for(user, School, urn=kwargs.get("urn"))
        elif isinstance(of, type):
            get_for(user, of, kwargs.get("pk"))
        else:
            readable = of(user)
            get_for(user, readable.model, kwargs.get("pk"), queryset=readable)
    except Http404:
        return False
    return True


def register() -> None:
    """Let ``accounts.access`` ask ``sees`` (called when the app is ready)."""
    register_object_check(sees)
