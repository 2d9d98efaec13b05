"""The administrators' audit search and download log."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts import permissions
from accounts.audit import selectors
from accounts.audit.filters import AuditFilter, DownloadFilter

DOWNLOADS_PER_PAGE = 50


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


@require_safe
def downloads(request):
    """Every file the portal served, newest first: who, when, which file, from which page."""
    if not permissions.can_search_audit(request.user):
        raise PermissionDenied("Only administrators read the download log.")
    download_filter = DownloadFilter(request.GET)
    page = None
    if download_filter.is_valid():
        page = Paginator(download_filter.qs, DOWNLOADS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/downloads.html", {"filter": download_filter, "page": page, "query": query.urlencode()}
    )
