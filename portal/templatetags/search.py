"""The header's search box: shown to the people the search page is for."""

from django import template

from accounts import access

register = template.Library()


@register.filter
def may_search(user) -> bool:
    return access.allowed(user, "search")
