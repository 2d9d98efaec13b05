"""Who may call which endpoint: the page's own predicates (``accounts.permissions``) as Django REST
framework permissions, so an endpoint refuses exactly whom its page refuses. Which objects a
permitted person sees is the selectors' work (``schools.access.visible_schools``)."""

from collections.abc import Callable

from rest_framework.permissions import BasePermission

from accounts import permissions


class PagePermission(BasePermission):
    """Lets in whom ``allows`` (a predicate of ``accounts.permissions``) lets in; ``message`` says
    why anyone else is refused."""

    allows: Callable[[object], bool]

    def has_permission(self, request, view):
        return self.allows(request.user)


class ReadsSchools(PagePermission):
    """Everyone who opens school pages; commissioners read aggregate reports only."""

    message = "Commissioners see aggregate reports, not individual schools."
    allows = staticmethod(permissions.can_view_school_list)


class IsOfficer(PagePermission):
    """LA officers and administrators: a school's category history is theirs to read."""

    message = "Only LA officers see a school's category history."
    allows = staticmethod(permissions.can_change_categories)


class SeesBoard(PagePermission):
    """The priority list: LA officers, administrators and board members."""

    message = "The priority list is for LA officers and board members."
    allows = staticmethod(permissions.can_see_board)
