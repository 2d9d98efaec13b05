"""Who may call which endpoint: the page's own predicates (``accounts.permissions``) as Django REST
framework permissions, so an endpoint refuses exactly whom its page refuses. Which objects a
permitted person sees is the selectors' work (``accounts.selectors.visible_schools``)."""

from rest_framework.permissions import BasePermission

from accounts import permissions


class ReadsSchools(BasePermission):
    """Everyone who opens school pages; commissioners read aggregate reports only."""

    message = "Commissioners see aggregate reports, not individual schools."

    def has_permission(self, request, view):
        return permissions.can_view_school_list(request.user)


class IsOfficer(BasePermission):
    """LA officers and administrators: a school's category history is theirs to read."""

    message = "Only LA officers see a school's category history."

    def has_permission(self, request, view):
        return permissions.can_change_categories(request.user)


class SeesBoard(BasePermission):
    """The priority list: LA officers, administrators and board members."""

    message = "The priority list is for LA officers and board members."

    def has_permission(self, request, view):
        return permissions.can_see_board(request.user)
