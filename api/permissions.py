"""Who may call which endpoint: the policy's entry for the URL the request resolved to
(``accounts.policy``, read through ``accounts.access``), so an endpoint refuses exactly whom the
policy refuses. Which objects a permitted person sees is the selectors' work
(``schools.access.visible_schools``)."""

from rest_framework.permissions import BasePermission

from accounts import access
from accounts.policy import access_for


class FromPolicy(BasePermission):
    """Lets in whom the policy lets use this URL with this method; the refusal says who it is for."""

    from_policy = True

    def has_permission(self, request, view):
        name = request.resolver_match.view_name if request.resolver_match else ""
        entry = access_for(name)
        if entry is not None and request.method not in access.SAFE and entry.post is None:
            return True  # a method the endpoint does not take: Django REST framework answers 405
        if access.allowed(request.user, name, request.method):
            return True
        self.message = access.refusal(entry.get if entry else (), request.method)
        return False
