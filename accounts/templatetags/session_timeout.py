"""The session warning dialog, told how long the session has left when the page was made."""

from django import template
from django.conf import settings

from accounts import sessions

register = template.Library()


@register.inclusion_tag("accounts/partials/session_timeout_dialog.html", takes_context=True)
def session_timeout_warning(context):
    request = context["request"]
    return {
        "seconds_left": sessions.seconds_left(request.session),
        "warning": settings.SESSION_IDLE_WARNING,
        "warning_words": sessions.duration(settings.SESSION_IDLE_WARNING),
        "csrf_token": context.get("csrf_token"),
    }
