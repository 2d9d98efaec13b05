"""The access module: who may do what, read from the policy (``accounts.policy``).

Every view declares its entry with ``@permission("app:name")``. Before the view runs, the
declaration answers what the entry guarantees: a GET of a URL that only takes POST, or a POST to
one that takes none, answers 405; a signed-in person whose role the entry does not list for the
method gets 403, or 404 as the entry's ``refused`` says (on a page about a school they may not see, as
if it did not exist). Anonymous visitors never get this far (``LoginRequiredMiddleware``), except on
the public entries, which the declaration marks ``login_not_required``. What is left to the view is
which objects: ``schools.access.get_for`` fetches anything belonging to a school for a person, and
answers 404 for what they may not see.

Services take ``by`` and, where they are called from more than a view (the administration, Celery
tasks, management commands, the demo loader), check it with ``require`` against the same role
groups the policy uses. ``tests/test_permission_matrix.py`` proves the views and the policy agree
and that every view declares its entry.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpResponseNotAllowed

from accounts.models import Role
from accounts.policy import BY_SCHOOL, NOT_FOUND, Access, access_for

SAFE = ("GET", "HEAD")
PEOPLE = {
    Role.LA_OFFICER: "LA officers",
    Role.PRIORITY_PARTNER: "priority partners",
    Role.BOARD_MEMBER: "advisory board members",
    Role.HEADTEACHER: "headteachers",
    Role.COMMISSIONER: "commissioners",
    Role.ADMIN: "administrators",
}


def role_of(user) -> str | None:
    """The role of a signed-in, active person; None for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.role


def has_role(user, roles: Collection[str]) -> bool:
    return role_of(user) in roles


def require(user, roles: Collection[str], message: str) -> None:
    """Refuse (PermissionDenied, with ``message``) anyone whose role is not among ``roles``."""
    if not has_role(user, roles):
        raise PermissionDenied(message)


def allowed(user, name: str, method: str = "GET") -> bool:
    """May this person use the URL named ``name`` with this method, by the policy?"""
    access = access_for(name)
    if access is None:
        return False
    roles = access.get if method in SAFE else access.post
    return roles is not None and has_role(user, roles)


def _methods(access: Access) -> list[str]:
    return ([*SAFE] if access.get else []) + (["POST"] if access.takes_post else [])


def refusal(roles: Collection[str], method: str) -> str:
    """What a refused person reads on the 403 page: who the page (or the step) is for."""
    labels = [PEOPLE[role] for role in Role.values if role in roles]
    who = ", ".join(labels[:-1]) + (" and " if len(labels) > 1 else "") + labels[-1] if labels else "nobody"
    return f"This page is for {who}." if method in SAFE else f"Only {who} can do this."


# Whether a person may see the school an object in a URL belongs to (``schools.access.sees``,
# registered when the schools app is ready: this module sits below it).
_SEES: list[Callable[[object, object, dict], bool]] = []


def register_object_check(sees: Callable[[object, object, dict], bool]) -> None:
    _SEES[:] = [sees]


def _sees(user, of: object, kwargs: dict) -> bool:
    return bool(_SEES) and _SEES[0](user, of, kwargs)


def permission(name: str, *, of: type | Callable | None = None) -> Callable:
    """Declare that a view serves the policy's entry ``name`` and let the entry decide who may use it.

    A refused role gets 403, or 404 as the entry's ``refused`` says: on a page about one school, by
    default 403 only when they may see the school, 404 otherwise, as for one that does not exist.
    ``of`` says what the URL's ``pk`` is: a model, or a function of the user giving the queryset the
    view reads from (what they may read of it); without it the URL's ``urn`` names the school.
    """
    access = access_for(name)
    if access is None:
        raise ImproperlyConfigured(f"No policy entry for {name!r} in accounts/policy.py")
    methods = _methods(access)

    def declare(view: Callable) -> Callable:
        @wraps(view)
        def checked(request, *args, **kwargs):
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            roles = access.get if request.method in SAFE else access.post
            if not access.public and not has_role(request.user, roles):
                if access.refused == NOT_FOUND or (access.refused == BY_SCHOOL and not _sees(request.user, of, kwargs)):
                    # Another school's page, or one that does not exist: 404 as for anyone else.
                    raise Http404("Not found")
                raise PermissionDenied(refusal(roles, request.method))
            return view(request, *args, **kwargs)

        checked.permission = name
        return login_not_required(checked) if access.public else checked

    return declare
