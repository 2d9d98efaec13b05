"""Pages for knowing every school: home, the school list, the school page, imports."""

import itertools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts import permissions
from accounts.access import permission
from accounts.audit import selectors as audit_selectors
from core import exports, spreadsheets
from core.calendar import academic_year_label
from core.pages import errors_to, form_page
from schools import collection, selectors, services
from schools.access import get_for, remit
from schools.forms import (
    AuthorityResultsForm,
    ConsortiumForm,
    ConsortiumLeadForm,
    ConsortiumSchoolForm,
    EstynInspectionForm,
    GovernanceContactsForm,
    GovernanceReviewForm,
    ImportConfirmForm,
    ImportRetryForm,
    ImportUploadForm,
    IntelligenceNoteForm,
    ResultsYearForm,
)
from schools.models import Consortium, ConsortiumLead, ConsortiumMember, ImportProblem, ImportRun, School

PAGE_SIZE = 50


@permission("schools:history")
def school_history(request, urn: int):
    """Every recorded change to the school and the records about it (officers only: the trail
    holds restricted intelligence and unshared reports)."""
    school = get_for(request.user, School, urn=urn)
    page, entries = audit_selectors.page_of(audit_selectors.school_history(school), request.GET.get("page"))
    return render(request, "audit/school_history.html", {"school": school, "page": page, "entries": entries})


@permission("schools:note-create")
def note_create(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    return form_page(
        request,
        form=IntelligenceNoteForm(request.POST or None, user=request.user),
        title="Add an intelligence note",
        back=f"{school.get_absolute_url()}#intelligence",
        school=school,
        save=lambda data: services.add_intelligence_note(school=school, by=request.user, **data),
        success="Intelligence note saved",
        template="schools/note_form.html",
    )


@permission("schools:governance")
def governance_contacts(request, urn: int):
    """The chair and the clerk of the school's board (an academy's trust board), which letters name."""
    school = get_for(request.user, School, urn=urn)
    board = selectors.board_name(school)
    held = selectors.governance_contacts(school)
    initial = {f"{r}_{f}": getattr(c, f) for r, c in held.items() for f in ("name", "email", "phone")}
    form = GovernanceContactsForm(request.POST or None, initial=initial, board=board)
    return form_page(
        request,
        form=form,
        title=f"Chair and clerk: {board[0].lower()}{board[1:]}",
        back=f"{school.get_absolute_url()}#governance",
        school=school,
        save=lambda data: services.set_governance_contacts(school=school, by=request.user, contacts=form.contacts()),
        success=lambda changed: "; ".join(changed) if changed else "Nothing changed",
        context={"intro": GOVERNANCE_INTRO},
    )


GOVERNANCE_INTRO = [
    "GIAS publishes governors' names and roles but not how to contact them. Letters to the school name "
    "the chair. Only LA officers, the school's priority partner and its headteacher see these details; "
    "clear a name when the person stands down, and their details are removed.",
]


@permission("schools:governance-review")
def governance_review(request, urn: int):
    """Record an external review of the school's governance (evidence in the risk assessment)."""
    school = get_for(request.user, School, urn=urn)
    return form_page(
        request,
        form=GovernanceReviewForm(request.POST or None),
        title="Record a review of governance",
        back=f"{school.get_absolute_url()}#governance",
        school=school,
        save=lambda data: services.record_governance_review(school=school, by=request.user, **data),
        success="Review of governance recorded",
    )


ESTYN_INTRO = [
    "Enter the inspection as Estyn's published report gives it. The date it started says which framework "
    "it was under: before September 2017, the judgements on current performance and prospects for "
    "improvement; from September 2017 to summer 2022, the five inspection areas; from September 2022, "
    "no summative judgement, so leave the judgements as not judged.",
]


@permission("schools:estyn-create")
def estyn_create(request, urn: int):
    """Record an Estyn inspection of a Welsh school (an English school's inspections are Ofsted's)."""
    school = get_for(request.user, School, urn=urn)
    if not school.is_welsh:
        messages.error(request, "Estyn inspects schools in Wales only: this school's inspections are Ofsted's")
        return redirect(f"{school.get_absolute_url()}#inspections")
    return form_page(
        request,
        form=EstynInspectionForm(request.POST or None),
        title="Record an Estyn inspection",
        back=f"{school.get_absolute_url()}#inspections",
        school=school,
        save=lambda data: services.record_estyn_inspection(school=school, by=request.user, **data),
        success="Estyn inspection recorded",
        context={"intro": ESTYN_INTRO},
    )


@permission("schools:imports")
def import_list(request):
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


# The authority's template: its schools with a primary phase, a column to fill in for each result.
TEMPLATE_COLUMNS = [
    exports.Column(collection.URN, lambda school: school.urn),
    exports.Column(collection.NAME, lambda school: school.name),
    *(exports.Column(m.column, lambda school: None) for m in collection.MEASURES),
]


def _results_template(request, year: int):
    """The template to fill in, as CSV or XLSX: the same whatever the year, but for its sheet's name."""
    return exports.download(
        request,
        selectors.collection_schools(),
        TEMPLATE_COLUMNS,
        name="eyfs-and-key-stage-one-results",
        title=f"EYFS and KS1 {academic_year_label(year)}",
    )


@permission("schools:authority-results")
def authority_results(request):
    """Schools' EYFS and KS1 results from the authority's own collection: the template, and its upload."""
    today = timezone.localdate()
    chosen = ResultsYearForm(request.GET if "year" in request.GET else None, today=today)
    year = chosen.chosen
    if exports.requested(request):
        return _results_template(request, year)
    form = AuthorityResultsForm(
        request.POST or None, request.FILES or None, today=today, initial={"academic_year": year}
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.import_authority_results(
                raw=upload.read(),
                file_name=upload.name,
                academic_year=form.cleaned_data["academic_year"],
                by=request.user,
            )
        except collection.FileRefused as refused:
            form.add_error("file", str(refused))
        except services.ResultsRefused as refused:
            errors = refused.errors
            form.add_error("file", refused.summary)
        else:
            messages.success(request, f"Results for {academic_year_label(run.academic_year)} imported. {run.message}")
            return redirect(run)
    context = {
        "form": form,
        "year_form": chosen,
        "year": year,
        "errors": errors,
        "counts": selectors.collected_counts(year),
        "schools": selectors.collection_schools().count(),
        "query": exports.links_query(request),
    }
    return render(request, "schools/authority_results.html", context)


@permission("schools:import-detail")
def import_detail(request, pk: int):
    return _run_page(request, selectors.import_run(pk))


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


@permission("schools:import-now")
def import_now(request, pk: int):
    """Import a checked dry run's stored file ("Import this file now"), without a second upload."""
    run = selectors.import_run(pk)
    if not selectors.import_report(run).can_import_now:
        return _refused(request, run, ValidationError("This file has been imported already, or cannot be."))
    try:
        imported = services.rerun_import(run=run, by=request.user, dry_run=False)
    except ValidationError as exc:
        return _refused(request, run, exc)
    return _to_run(request, imported)


@permission("schools:import-retry")
def import_retry(request, pk: int):
    """Check (or import) a failed run's stored file again, as the kind and year chosen."""
    run = selectors.import_run(pk)
    form = ImportRetryForm(request.POST, run=run)
    if not form.is_valid():
        return _run_page(request, run, retry_form=form)
    try:
        again = services.rerun_import(run=run, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, run, exc)
    return _to_run(request, again)


@permission("schools:import-confirm")
def import_confirm(request, pk: int):
    """Import a file imported before, for the reason the officer gives."""
    run = selectors.import_run(pk)
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


@permission("schools:import-cancel")
def import_cancel(request, pk: int):
    """Do not import a file imported before: nothing was written, and nothing will be."""
    run = selectors.import_run(pk)
    try:
        services.cancel_import(run=run, by=request.user)
    except ValidationError as exc:
        return _refused(request, run, exc)
    messages.success(request, "The file was not imported again")
    return redirect(run)


@permission("schools:import-undo")
def import_undo(request, pk: int):
    """Confirm, then put back every record the import created or changed."""
    run = selectors.import_run(pk)
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


@permission("schools:import-problems")
def import_problems_csv(request, pk: int):
    """Every problem the import found, or one kind of them (``?kind=unknown_school``), as CSV."""
    run = selectors.import_run(pk)
    kind = request.GET.get("kind") or None
    if kind is not None and kind not in ImportProblem.Kind.values:
        raise Http404("No such download")
    rows = itertools.chain([selectors.PROBLEM_COLUMNS], selectors.problem_rows(run, kind))
    response = StreamingHttpResponse(spreadsheets.csv_lines(rows), content_type=spreadsheets.CSV_TYPE)
    stem = "schools-not-in-the-register" if kind == ImportProblem.Kind.UNKNOWN_SCHOOL else f"import-{run.pk}-problems"
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response


# Consortia ------------------------------------------------------------------------------------------------


@permission("schools:consortia")
def consortia(request):
    """The authority's consortia with their schools and leads counted; officers set one up here."""
    form = ConsortiumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.create_consortium(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to(form, exc)
        else:
            messages.success(request, f"{made.name} set up")
            return redirect(made)
    context = {
        "consortia": list(selectors.consortia()),
        "unplaced": selectors.schools_in_no_consortium().count(),
        "form": form if permissions.is_officer(request.user) else None,
    }
    return render(request, "schools/consortia.html", context)


@permission("schools:consortium")
def consortium(request, pk: int):
    item = get_object_or_404(Consortium, pk=pk)
    context = {
        "consortium": item,
        "members": list(selectors.consortium_members(item)),
        "leads": selectors.consortium_leads(item),
        "is_officer": permissions.is_officer(request.user),
    }
    return render(request, "schools/consortium.html", context)


@permission("schools:consortium-add-school")
def consortium_add_school(request, pk: int):
    item = get_object_or_404(Consortium, pk=pk)

    def save(data):
        school = remit().filter(urn=data["urn"]).first()
        if school is None:
            raise ValidationError({"urn": "There is no school with that URN in the authority's remit"})
        return services.add_school_to_consortium(consortium=item, school=school, by=request.user)

    return form_page(
        request,
        form=ConsortiumSchoolForm(request.POST or None),
        title=f"Add a school to {item.name}",
        back=item.get_absolute_url(),
        save=save,
        success=lambda member: f"{member.school.name} added to {item.name}",
    )


@permission("schools:consortium-remove-school")
def consortium_remove_school(request, pk: int):
    member = get_object_or_404(ConsortiumMember.objects.select_related("consortium", "school"), pk=pk)
    services.remove_school_from_consortium(member=member, by=request.user)
    messages.success(request, f"{member.school.name} taken out of {member.consortium.name}")
    return redirect(member.consortium)


@permission("schools:consortium-add-lead")
def consortium_add_lead(request, pk: int):
    item = get_object_or_404(Consortium, pk=pk)

    def save(data):
        school = None
        if data["school_urn"]:
            school = remit().filter(urn=data["school_urn"]).first()
            if school is None:
                raise ValidationError({"school_urn": "There is no school with that URN in the authority's remit"})
        return services.add_consortium_lead(
            consortium=item,
            by=request.user,
            name=data["name"],
            user=data["user"],
            criterion=data["criterion"],
            school=school,
            nominated_on=data["nominated_on"],
        )

    return form_page(
        request,
        form=ConsortiumLeadForm(request.POST or None),
        title=f"Add a lead member of {item.name}",
        back=item.get_absolute_url(),
        save=save,
        success=lambda lead: f"{lead.name} is a lead member of {item.name}",
        context={"intro": LEAD_INTRO},
    )


LEAD_INTRO = [
    "The schools of the consortium nominate two lead members. Each must fit the defined brief: a "
    "headteacher from an outstanding school, a national leader of education (NLE) or a local leader of "
    "education (LLE). A lead who does not yet meet it is recorded but has no seat on the School "
    "Improvement Board.",
]


@permission("schools:consortium-remove-lead")
def consortium_remove_lead(request, pk: int):
    lead = get_object_or_404(ConsortiumLead.objects.select_related("consortium"), pk=pk)
    services.remove_consortium_lead(lead=lead, by=request.user)
    messages.success(request, f"{lead.name} is no longer a lead member of {lead.consortium.name}")
    return redirect(lead.consortium)
