"""The pages that draw on several apps: each role's home page, the school list (with each
school's category) and the school page."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts import permissions
from accounts.access import permission
from accounts.models import Role
from accounts.sessions import duration
from boards import deadlines as overdue_deadlines
from boards import services as board_services
from boards import welsh_selectors
from boards.selectors import list_counts
from categorisation import selectors as category_selectors
from core import exports, keyset
from core.exports import Column
from core.query import whole_number
from portal import queues, selectors
from portal.case import case_for
from portal.filters import SchoolFilter
from reporting.models import MonthlyReport
from schools import selectors as school_selectors
from support.selectors import current_year, head_home

# The overdue items of each kind the home page lists (``boards/partials/overdue.html``).
OVERDUE_SHOWN = 10


@permission("home")
def home(request):
    """The person's work queue (``portal.queues``), then what their role's home page always showed."""
    user = request.user
    context = {"role": user.role}
    queue = None
    if permissions.is_officer(user):
        context["summary"] = school_selectors.officer_summary()
        now = overdue_deadlines.Today.of(timezone.localdate())
        found = overdue_deadlines.first_overdue(now, OVERDUE_SHOWN)
        context["overdue"] = overdue_deadlines.by_kind(found.items, found.counts)
        queue = queues.officer_queue(overdue=found.items, now=now, counts=found.counts)
    if permissions.can_see_board(user):
        context["next_meeting"] = board_services.next_meeting()
        context["list_counts"] = list_counts(current_year())
        context["show_board"] = True
        if not permissions.is_officer(user):
            queue = queues.board_queue(user)
    elif user.role == Role.PRIORITY_PARTNER:
        queue = queues.partner_queue(user)
        context["schools"] = list(
            category_selectors.with_agreed_category(school_selectors.school_list(user)).order_by("name")
        )
    elif user.role == Role.HEADTEACHER:
        context["head_schools"] = head_home(user)
        queue = queues.head_queue(context["head_schools"])
    if permissions.can_see_reports(user):
        context["latest_report"] = MonthlyReport.objects.defer("content").first()
        if not permissions.is_officer(user):
            queue = queues.commissioner_queue()
    queues.remember_count(user, queue)
    context["queue"] = queue
    return render(request, "schools/home.html", context)


def _about_the_service() -> dict:
    """What the accessibility statement, privacy notice and cookies page say from the settings, so
    that they stay true to how the portal is configured."""
    return {
        "contact_email": settings.SERVICE_CONTACT_EMAIL,
        "retention_years": settings.CLOSED_CASE_RETENTION_YEARS,
        "sign_in_lifetime": duration(settings.SESSION_COOKIE_AGE),
        "idle_timeout": duration(settings.SESSION_IDLE_TIMEOUT),
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "language_cookie": settings.LANGUAGE_COOKIE_NAME,
        "messages_cookie": "messages",
    }


@permission("accessibility")
def accessibility(request):
    return render(request, "portal/accessibility.html", _about_the_service())


@permission("privacy")
def privacy(request):
    return render(request, "portal/privacy.html", _about_the_service())


@permission("cookies")
def cookies(request):
    return render(request, "portal/cookies.html", _about_the_service())


PAGE_SIZE = 50


def _filtered(request):
    return SchoolFilter(
        request.GET or None,
        queryset=category_selectors.with_agreed_category(school_selectors.school_list(request.user)),
        request=request,
    )


@permission("schools:list")
def school_list(request):
    school_filter = _filtered(request)
    if exports.requested(request):
        return exports.download(request, school_filter.qs, SCHOOL_COLUMNS, name="schools", title="Schools")
    page = _page(request, school_filter)
    query = request.GET.copy()
    for moved in ("page", "after", "before"):
        query.pop(moved, None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return render(
        request,
        "schools/school_list.html",
        {"filter": school_filter, "page": page, "query": query.urlencode(), "sort_query": sort_query.urlencode()},
    )


def _page(request, school_filter):
    """The page the links ask for: the schools after (or before) the URN a Next (or Previous) link
    names, read through the order's index however far down the list (``core.keyset``); a page asked
    for by its number alone (a bookmark) by offset. The total is ``selectors.list_count``'s."""
    schools = school_filter.qs
    count = selectors.list_count(request.user, school_filter)
    number = whole_number(request.GET.get("page"), low=1) or 1
    after = whole_number(request.GET.get("after"))
    before = whole_number(request.GET.get("before"))
    if after is None and before is None and number > 1:
        page = school_selectors.page_of(keyset.in_order(schools, "urn"), number, PAGE_SIZE, count=count)
        # Its links lead on by key, as every other page's do.
        page.keyset = bool(page.object_list)
        if page.object_list:
            page.first_key, page.last_key = page.object_list[0].urn, page.object_list[-1].urn
        return page
    return keyset.page_after(
        schools, unique="urn", size=PAGE_SIZE, count=count, number=number, after=after, before=before
    )


SCHOOL_COLUMNS = [
    Column("URN", lambda s: s.urn),
    Column("LAESTAB", lambda s: s.laestab),
    Column("School name", lambda s: s.name),
    Column("LA code", lambda s: s.la.code),
    Column("Local authority", lambda s: s.la.name),
    Column("Type", lambda s: s.type_name),
    Column("Phase", lambda s: s.phase_name),
    Column("Status", lambda s: s.status_name),
    Column("Pupils on roll", lambda s: s.pupils_on_roll),
    Column("Latest Ofsted inspection", lambda s: s.latest_inspection.summary if s.latest_inspection else None),
    Column("Latest Ofsted inspection date", lambda s: s.ofsted_outcome_date),
    Column("Postcode", lambda s: s.postcode),
    Column("Category", lambda s: s.category_label),
]


@permission("schools:list-csv")
def school_list_csv(request):
    """The address the CSV download had before every list offered ``?export=``; kept for bookmarks."""
    return exports.csv_response(_filtered(request).qs, SCHOOL_COLUMNS, "schools")


@permission("schools:detail")
def school_detail(request, urn: int):
    user = request.user
    school = selectors.school_page_for(user, urn)
    inspections = school_selectors.inspections_of(school)
    case = case_for(user, school, year=current_year())
    category = category_selectors.school_category(
        school, user, inspections=inspections, history=case.category_history, policy=school.inspection_policy
    )
    return render(
        request,
        "schools/school_detail.html",
        {
            "school": school,
            "category": category,
            "can_change_categories": permissions.can_change_categories(user),
            "inspections": inspections,
            "estyn_inspections": school_selectors.estyn_inspections_of(school),
            "can_record_estyn": school.is_welsh and permissions.is_officer(user),
            "can_see_welsh_steps": school.is_welsh and permissions.can_see_categorisation_steps(user),
            "performance": school_selectors.performance_table(school),
            "notes": case.notes,
            "links": case.links,
            "can_add_note": permissions.can_add_intelligence(user),
            "can_see_history": permissions.can_see_school_history(user),
            "governance": _governance(school, case),
            "can_edit_governance": permissions.is_officer(user),
            **_board_section(user, school, case),
        },
    )


def _governance(school, case) -> dict | None:
    """The school's board, its chair and clerk and the reviews of its governance, for those who
    work with the school (``case_for`` reads them for them only)."""
    if case.governance_contacts is None:
        return None
    contacts = case.governance_contacts
    return {
        "board": school_selectors.board_name(school),
        "people": [("Chair", contacts.get("chair")), ("Clerk", contacts.get("clerk"))],
        "reviews": case.governance_reviews,
    }


def _board_section(user, school, case) -> dict:
    """The priority list and board part of the school page."""
    actions = []
    if permissions.is_officer(user):
        actions.append(
            ("Log an Ofsted inspection notification", reverse("boards:new-inspection-notice", args=[school.urn]))
        )
    if permissions.is_officer(user) or permissions.is_partner(user):
        actions.append(("Escalate the school", reverse("boards:escalate", args=[school.urn])))
    # A Welsh school of an authority in Wales (seed 001); None, and nothing read, otherwise.
    welsh = welsh_selectors.school_summary(user, school)
    if welsh is not None:
        if permissions.can_run_welsh_processes(user):
            actions.append(
                ("Issue an informal warning notice", reverse("boards:new-informal-notice", args=[school.urn]))
            )
            actions.append(
                ("Broker a consultant governor", reverse("boards:new-consultant-governor", args=[school.urn]))
            )
            actions.append(("The authority's processes in Wales", reverse("boards:wales")))
        if permissions.can_review_targets(user):
            actions.append(("Termly target reviews", reverse("boards:school-target-reviews", args=[school.urn])))
    return {
        "board": case.board,
        "board_actions": actions,
        "partners": case.partners,
        "user_is_head": permissions.is_head(user),
        "welsh": welsh,
    }


# The header's search ---------------------------------------------------------------------------------------

SEARCH_PAGE_SIZE = 20


@permission("search")
def search(request):
    """Schools by name or URN (an exact URN opens the school), and people for officers."""
    q = request.GET.get("q", "").strip()[:100]
    school = selectors.school_with_urn(request.user, q)
    if school is not None:
        return redirect(school)
    schools = selectors.search_schools(request.user, q)
    people = selectors.search_people(request.user, q)
    counts = {"schools": schools.count(), "people": people.count()}
    kind = request.GET.get("kind")
    if kind not in counts:
        kind = "people" if counts["people"] and not counts["schools"] else "schools"
    results = schools if kind == "schools" else people
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    if kind == "people":
        page.object_list = list(page.object_list)
        for person in page.object_list:
            person.role_label = Role(person.role_here).label if person.role_here else ""
    context = {
        "q": q,
        "kind": kind,
        "counts": counts,
        "page": page,
        "searches_people": permissions.is_officer(request.user),
        "query": urlencode({"q": q, "kind": kind}),
        "schools_query": urlencode({"q": q, "kind": "schools"}),
        "people_query": urlencode({"q": q, "kind": "people"}),
    }
    return render(request, "portal/search.html", context)
