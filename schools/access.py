"""The one object-access filter: every view that shows a school, or anything belonging to one,
fetches through ``visible_schools``, and anything outside it answers 404.

Officers and administrators see every school; priority partners and headteachers the schools
they are assigned to; commissioners aggregate reports only (DESIGN §1). A role whose schools are
decided by an app above this one registers its rule here when that app is ready (board members
see the schools on the priority list and this year's agendas: ``boards.apps``), so this module
never imports upwards.
"""

from collections.abc import Callable

from django.db.models import QuerySet

from accounts.selectors import ROLE_RELATIONSHIP, active_assignments
from schools.models import School

_SCOPES: dict[str, Callable[[object], QuerySet[School]]] = {}


def register_scope(role: str, schools_for: Callable[[object], QuerySet[School]]) -> None:
    """Let an app above this one say which schools a person with ``role`` may open."""
    _SCOPES[role] = schools_for


def visible_schools(user) -> QuerySet[School]:
    """Every school the user may open: all for officers and administrators, assigned ones for
    priority partners and headteachers, priority-list and agenda schools for board members, none
    for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return School.objects.none()
    if user.sees_every_school:
        return School.objects.all()
    if user.role in ROLE_RELATIONSHIP:
        return School.objects.filter(pk__in=active_assignments(user).values("school_id"))
    if user.role in _SCOPES:
        return _SCOPES[user.role](user)
    return School.objects.none()
