"""Pages for knowing every school: home, the school list, the school page, imports."""

import itertools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import permissions
from accounts.audit import selectors as audit_selectors
from accounts.models import Role
from categorisation import selectors as category_selectors
from core import spreadsheets
from reporting import exports
from reporting.exports import Column
from schools import selectors, services
from schools.case import case_for
from schools.filters import SchoolFilter
from schools.forms import ImportConfirmForm, ImportRetryForm, ImportUploadForm, IntelligenceNoteForm
from schools.measures import academic_year_label
from schools.models import ImportProblem, ImportRun

PAGE_SIZE = 50


def home(request):
    user = request.user
    context = {"role": user.role}
    if permissions.is_officer(user):
        from boards import selectors as boards

        context["summary"] = selectors.officer_summary()
        context["deadlines"] = boards.deadlines_due()
    if permissions.can_see_board(user):
        from boards import services as board_services
        from boards.selectors import list_counts
        from support.selectors import current_year

        context["next_meeting"] = board_services.next_meeting()
        context["list_counts"] = list_counts(current_year())
        context["show_board"] = True
    elif user.role == Role.PRIORITY_PARTNER:
        context["schools"] = list(selectors.school_list(user).order_by("name"))
    elif user.role == Role.HEADTEACHER:
        from support.selectors import head_home

        context["head_schools"] = head_home(user)
    if permissions.can_see_reports(user):
        from reporting.models import MonthlyReport

        context["latest_report"] = MonthlyReport.objects.defer("content").first()
    return render(request, "schools/home.html", context)


def _filtered(request):
    if not permissions.can_view_school_list(request.user):
        raise PermissionDenied("Commissioners see aggregate reports, not individual schools.")
    return SchoolFilter(request.GET or None, queryset=selectors.school_list(request.user))


def school_list(request):
    school_filter = _filtered(request)
    if exports.requested(request):
        return exports.download(request, school_filter.qs, SCHOOL_COLUMNS, name="schools", title="Schools")
    page = selectors.page_of(school_filter.qs, request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return render(
        request,
        "schools/school_list.html",
        {"filter": school_filter, "page": page, "query": query.urlencode(), "sort_query": sort_query.urlencode()},
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


def school_list_csv(request):
    """The address the CSV download had before every list offered ``?export=``; kept for bookmarks."""
    return exports.csv_response(_filtered(request).qs, SCHOOL_COLUMNS, "schools")


def school_detail(request, urn: int):
    from support.selectors import current_year

    user = request.user
    school = selectors.school_page_for(user, urn)
    inspections = selectors.inspections_of(school)
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
            "performance": selectors.performance_table(school),
            "notes": case.notes,
            "links": case.links,
            "can_add_note": permissions.can_add_intelligence(user),
            "can_see_history": permissions.can_see_school_history(user),
            **_board_section(user, school, case),
        },
    )


def _board_section(user, school, case) -> dict:
    """The priority list and board part of the school page, for those who may see any of it."""
    from django.urls import reverse

    if user.role == Role.COMMISSIONER:
        return {}
    actions = []
    if permissions.is_officer(user):
        actions.append(
            ("Log an Ofsted inspection notification", reverse("boards:new-inspection-notice", args=[school.urn]))
        )
    if permissions.is_officer(user) or permissions.is_partner(user):
        actions.append(("Escalate the school", reverse("boards:escalate", args=[school.urn])))
    return {"board": case.board, "board_actions": actions, "user_is_head": permissions.is_head(user)}


@require_safe
def school_history(request, urn: int):
    """Every recorded change to the school and the records about it (officers only: the trail
    holds restricted intelligence and unshared reports)."""
    if not permissions.can_see_school_history(request.user):
        raise PermissionDenied("Only LA officers see a school's history.")
    school = selectors.school_for(request.user, urn)
    page, entries = audit_selectors.page_of(audit_selectors.school_history(school), request.GET.get("page"))
    return render(request, "audit/school_history.html", {"school": school, "page": page, "entries": entries})


@require_http_methods(["GET", "POST"])
def note_create(request, urn: int):
    school = selectors.school_for(request.user, urn)
    if not permissions.can_add_intelligence(request.user):
        raise Http404("No school found")
    form = IntelligenceNoteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_intelligence_note(school=school, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Intelligence note saved")
            return redirect(f"{school.get_absolute_url()}#intelligence")
    return render(request, "schools/note_form.html", {"school": school, "form": form})


@require_http_methods(["GET", "POST"])
def import_list(request):
    if not permissions.can_import_data(request.user):
        raise PermissionDenied("Only LA officers can import data.")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = services.queue_import(
            kind=form.cleaned_data["kind"],
            file_name=upload.name,
            raw=upload.read(),
            by=request.user,
            dry_run=form.cleaned_data["dry_run"],
            academic_year=form.cleaned_data["academic_year"],
        )
        return _to_run(request, run)
    page = Paginator(selectors.recent_imports(), 25).get_page(request.GET.get("page"))
    return render(request, "schools/import_list.html", {"form": form, "page": page})


def _to_run(request, run):
    """To a run just made; a file imported before waits there for the officer to confirm it."""
    if run.job is not None and run.job.held:
        messages.info(request, "The import is saved; it will run when the background service is back.")
    return redirect(run)


@require_safe
def import_detail(request, pk: int):
    return _run_page(request, selectors.import_run_for(request.user, pk))


def _run_page(request, run, *, retry_form=None, confirm_form=None):
    """The page of an import run, with the forms for what can be done next (bound when the
    officer's answer needs correcting)."""
    report = selectors.import_report(run)
    context = {
        "run": run,
        "report": report,
        "academic_year": academic_year_label(run.academic_year) if run.academic_year else "",
    }
    if report.can_retry:
        context["retry_form"] = retry_form or ImportRetryForm(run=run)
    if run.status == ImportRun.Status.AWAITING_CONFIRMATION:
        context["confirm_form"] = confirm_form or ImportConfirmForm()
    return render(request, "schools/import_detail.html", context)


def _refused(request, run, error: ValidationError):
    messages.error(request, " ".join(error.messages))
    return redirect(run)


@require_POST
def import_now(request, pk: int):
    """Import a checked dry run's stored file ("Import this file now"), without a second upload."""
    run = selectors.import_run_for(request.user, pk)
    if not selectors.import_report(run).can_import_now:
        return _refused(request, run, ValidationError("This file has been imported already, or cannot be."))
    try:
        imported = services.rerun_import(run=run, by=request.user, dry_run=False)
    except ValidationError as exc:
        return _refused(request, run, exc)
    return _to_run(request, imported)


@require_POST
def import_retry(request, pk: int):
    """Check (or import) a failed run's stored file again, as the kind and year chosen."""
    run = selectors.import_run_for(request.user, pk)
    form = ImportRetryForm(request.POST, run=run)
    if not form.is_valid():
        return _run_page(request, run, retry_form=form)
    try:
        again = services.rerun_import(run=run, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, run, exc)
    return _to_run(request, again)


@require_POST
def import_confirm(request, pk: int):
    """Import a file imported before, for the reason the officer gives."""
    run = selectors.import_run_for(request.user, pk)
    form = ImportConfirmForm(request.POST)
    if form.is_valid():
        try:
            run = services.confirm_import(run=run, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _refused(request, run, exc)
            form.add_error(None, exc)
        else:
            return _to_run(request, run)
    return _run_page(request, run, confirm_form=form)


@require_POST
def import_cancel(request, pk: int):
    """Do not import a file imported before: nothing was written, and nothing will be."""
    run = selectors.import_run_for(request.user, pk)
    try:
        services.cancel_import(run=run, by=request.user)
    except ValidationError as exc:
        return _refused(request, run, exc)
    messages.success(request, "The file was not imported again")
    return redirect(run)


@require_http_methods(["GET", "POST"])
def import_undo(request, pk: int):
    """Confirm, then put back every record the import created or changed."""
    run = selectors.import_run_for(request.user, pk)
    blocker = selectors.undo_blocker(run, thorough=True)
    if request.method == "POST" and not blocker:
        try:
            services.undo_import(run=run, by=request.user)
        except ValidationError as exc:
            blocker = " ".join(exc.messages)
        else:
            messages.success(request, "Import undone: every record it created or changed is as it was before")
            return redirect(run)
    refused = request.method == "POST"
    return render(request, "schools/import_undo.html", {"run": run, "blocker": blocker, "refused": refused})


@require_safe
def import_problems_csv(request, pk: int):
    """Every problem the import found, or one kind of them (``?kind=unknown_school``), as CSV."""
    run = selectors.import_run_for(request.user, pk)
    kind = request.GET.get("kind") or None
    if kind is not None and kind not in ImportProblem.Kind.values:
        raise Http404("No such download")
    rows = itertools.chain([selectors.PROBLEM_COLUMNS], selectors.problem_rows(run, kind))
    response = StreamingHttpResponse(spreadsheets.csv_lines(rows), content_type=spreadsheets.CSV_TYPE)
    stem = "schools-not-in-the-register" if kind == ImportProblem.Kind.UNKNOWN_SCHOOL else f"import-{run.pk}-problems"
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response
