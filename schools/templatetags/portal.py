"""Template helpers for the portal's pages."""

from collections.abc import Callable
from dataclasses import dataclass

from crispy_forms_gds.templatetags.crispy_forms_gds import field_errors
from django import forms, template
from django.urls import reverse

from accounts import permissions
from core.links import quick_reverse

register = template.Library()


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool
    count: int | None = None


# How many items wait in the person's work queue, for the "Home" item: the portal, which assembles
# the queues from the apps above this one, registers it (``portal.apps``).
_HOME_COUNT: list[Callable[[object], int | None]] = []


def register_home_count(count: Callable[[object], int | None]) -> None:
    _HOME_COUNT[:] = [count]


@register.simple_tag
def route(name: str, *args) -> str:
    """``{% url %}`` for the rows of long lists: the address of a page whose arguments are numbers
    (a URN, a primary key), from a cached pattern (``core.links``)."""
    return quick_reverse(name, *args)


@register.filter
def navigation(user, path: str) -> list[NavItem]:
    """The service navigation for the user's role, with the current section marked."""
    items = [("Home", reverse("home"))]
    if permissions.can_view_school_list(user):
        items.append(("Schools", reverse("schools:list")))
    if permissions.is_partner(user):
        items.append(("My caseload", reverse("support:caseload")))
    if permissions.can_see_category_pages(user):
        items.append(("Categories", reverse("categorisation:overview")))
    if permissions.can_see_board(user):
        items.append(("Priority list", reverse("boards:list")))
        items.append(("Board", reverse("boards:meetings")))
    if permissions.can_manage_support(user):
        items.append(("Support", reverse("support:partners")))
    if permissions.can_run_welsh_processes(user):
        items.append(("Challenge and intervention", reverse("boards:wales")))
    if permissions.can_see_reports(user):
        items.append(("Reports", reverse("reporting:reports")))
        items.append(("Dashboard", reverse("reporting:dashboard")))
    if permissions.can_import_data(user):
        items.append(("Imports", reverse("schools:imports")))
    if permissions.can_search_audit(user):
        items.append(("Audit trail", reverse("audit:search")))
        items.append(("Downloads", reverse("audit:downloads")))
    if user.is_staff:
        items.append(("Administration", reverse("admin:index")))
    home = reverse("home")
    # The section is the longest address the path starts with (Downloads within the audit trail).
    matches = [url for _, url in items if (path == url if url == home else path.startswith(url))]
    current = max(matches, key=len, default=None)
    waiting = _HOME_COUNT[0](user) if _HOME_COUNT else None
    return [NavItem(label, url, url == current, waiting if url == home else None) for label, url in items]


RC_TAG = {
    1: "govuk-tag--turquoise",
    2: "govuk-tag--green",
    3: "govuk-tag--blue",
    4: "govuk-tag--orange",
    5: "govuk-tag--red",
}
GRADE_TAG = {1: "govuk-tag--turquoise", 2: "govuk-tag--green", 3: "govuk-tag--orange", 4: "govuk-tag--red"}


@register.filter
def report_card_tag(grade: int) -> str:
    return RC_TAG.get(grade, "govuk-tag--grey")


@register.filter
def graded_tag(grade: int | None) -> str:
    return GRADE_TAG.get(grade, "govuk-tag--grey")


@register.filter
def summary_errors(bound_field) -> list[tuple[str, list[str]]]:
    """crispy-forms-gds's ``field_errors`` with each message once: a date missing its day and
    month highlights both parts but is one problem, listed once and linked to the day."""
    seen: set[str] = set()
    found = []
    for field_id, errors in field_errors(bound_field):
        fresh = [error for error in errors if str(error) not in seen]
        seen.update(str(error) for error in fresh)
        if fresh:
            found.append((field_id, fresh))
    return found


@register.filter
def error_anchor(bound_field, field_id: str) -> str:
    """Where an error summary link should point: the first radio or checkbox of a choice field
    (crispy-forms-gds numbers them from 1), the day of a date (its inputs are numbered from 0, and
    the date as a whole has no element to focus), the field itself otherwise."""
    widget = getattr(getattr(bound_field, "field", None), "widget", None)
    if field_id != bound_field.auto_id:
        return field_id
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{field_id}_1"
    if isinstance(widget, forms.MultiWidget):
        return f"{field_id}_0"
    return field_id
