from django.conf import settings
from django.utils.functional import SimpleLazyObject


def service(request):
    """The service name for the header and page titles, and the other authorities the signed-in
    person works for (the header's switch; read only on a page that shows it)."""
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "other_authorities": SimpleLazyObject(lambda: _others(user)),
    }


def _others(user) -> list:
    if user is None or not user.is_authenticated or not getattr(user, "works_elsewhere", True):
        return []
    return [m.authority for m in user.memberships.select_related("authority").exclude(authority_id=user.authority_id)]
