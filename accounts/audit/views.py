"""The administrators' audit search."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts import permissions
from accounts.audit import selectors
from accounts.audit.filters import AuditFilter


@require_safe
def audit_search(request):
    if not permissions.can_search_audit(request.user):
        raise PermissionDenied("Only administrators search the audit trail.")
    audit_filter = AuditFilter(request.GET)
    page, entries = None, []
    if audit_filter.is_valid():
        page, entries = selectors.page_of(selectors.search(audit_filter), request.GET.get("page"), with_schools=True)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/search.html",
        {"filter": audit_filter, "page": page, "entries": entries, "query": query.urlencode()},
    )
