"""The administrators' audit search and download log."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import permission
from accounts.audit import selectors
from accounts.audit.filters import AuditFilter, DownloadFilter

DOWNLOADS_PER_PAGE = 50


@permission("audit:search")
def audit_search(request):
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


@permission("audit:downloads")
def downloads(request):
    """Every file the portal served, newest first: who, when, which file, from which page."""
    download_filter = DownloadFilter(request.GET)
    page = None
    if download_filter.is_valid():
        page = Paginator(download_filter.qs, DOWNLOADS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/downloads.html", {"filter": download_filter, "page": page, "query": query.urlencode()}
    )
