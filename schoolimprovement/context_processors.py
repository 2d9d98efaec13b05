from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts import notifications


def service(request):
    """The service name for the header and page titles, the other authorities the signed-in
    person works for (the header's switch) and how many of their notifications are unread (the
    header's link): each read only on a page that shows it, with one query."""
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "other_authorities": SimpleLazyObject(lambda: _others(user)),
        "unread_notifications": SimpleLazyObject(lambda: _unread(user)),
    }


def _unread(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return notifications.unread_count(user)


def _others(user) -> list:
    if user is None or not user.is_authenticated or not getattr(user, "works_elsewhere", True):
        return []
    return [m.authority for m in user.memberships.select_related("authority").exclude(authority_id=user.authority_id)]
