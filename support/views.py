"""Support delivery pages: caseload, a school's support, visits and reports, plans, meetings,
self-referrals, partners, quality assurance and the calendar."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts import permissions
from accounts.access import permission
from core import exports
from core.calendar import academic_year_label
from core.concurrency import seen_version, with_version
from core.exports import Column
from core.pages import errors_to as _errors_to
from core.pages import form_page as _form_page
from core.pdf import pdf_response, render_pdf
from core.query import whole_number, year_asked
from schools import selectors as school_selectors
from schools.access import get_for, remit
from schools.models import School
from support import plan_selectors, quality_selectors, selectors, services, workflow
from support.forms import (
    AcademyOrderForm,
    ActionForm,
    AdjustmentForm,
    AllocationForm,
    AssignForm,
    BrokeredForm,
    CommentForm,
    HeldForm,
    InterestForm,
    MeetingForm,
    MilestoneForm,
    NewHeadForm,
    PartnerChoiceForm,
    PriorityForm,
    ProfileForm,
    QualityForm,
    RagForm,
    RecruitmentForm,
    ReportForm,
    ResponseForm,
    SelfReferralDecisionForm,
    SelfReferralForm,
    TradedForm,
    UnassignPartnerForm,
    VisitForm,
)
from support.models import Action, ActionPlan, Meeting, Priority, SelfReferral, SupportPackage, Visit, VisitReport


def _support_url(urn: int) -> str:
    return reverse("support:support", args=[urn])


# Caseload and a school's support -----------------------------------------------------------------

PLAN_STATUS = {"agreed": "Agreed", "under_review": "Under review", "draft": "Draft"}
CASELOAD_COLUMNS = [
    *exports.school_columns(lambda school: school),
    Column("Category", lambda s: s.category_label),
    Column("Next visit", lambda s: s.next_visit),
    Column("Draft reports", lambda s: s.draft_reports),
    Column("Reports awaiting the head's response", lambda s: s.awaiting_response),
    Column("Plan", lambda s: PLAN_STATUS.get(s.plan_status, "Not started")),
    Column("Plan due", lambda s: s.plan_due or s.missing_plan_due),
    Column("Plan overdue", lambda s: s.plan_overdue),
    Column("Overdue actions", lambda s: s.overdue_actions or 0),
    Column("Visits not recorded", lambda s: s.overdue_visits),
    Column("New head: visit due", lambda s: s.new_head_visit_due),
]


@permission("support:caseload")
def caseload(request):
    if exports.requested(request):
        found = selectors.caseload(request.user)
        return exports.download(request, found, CASELOAD_COLUMNS, name="caseload", title="My caseload")
    schools = list(selectors.caseload(request.user))
    load = selectors.partner_load(request.user, selectors.current_year())
    context = {
        "schools": schools,
        "load": load,
        "today": timezone.localdate(),
        "profile_id": selectors.own_profile_id(request.user),
    }
    return render(request, "support/caseload.html", context)


@permission("support:support")
def support(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    year = year_asked(request, default=selectors.current_year())
    context = {
        "school": school,
        "year": year,
        "package": selectors.package_view(school, year),
        "partners": list(selectors.current_partner_assignments(school)),
        "entitlement": selectors.entitlement_of(school),
        "visits": list(selectors.visits_of(school)) if not permissions.sees_shared_reports_only(request.user) else [],
        "shared_reports": list(selectors.shared_reports(school)),
        "brokered": quality_selectors.brokered_with_warnings(school, year),
        "traded": list(school.traded_services.filter(academic_year=year))
        if permissions.is_officer(request.user)
        else [],
        "meetings": list(
            school.meetings.select_related("chair")
            .prefetch_related("actions", "members__person")
            .order_by("scheduled_for")
        ),
        "new_heads": [
            (h, selectors.new_head_visit_due_by(h))
            for h in selectors.new_heads_without_visit(timezone.localdate()).filter(school=school)
        ],
        "recruitments": list(selectors.recruitments_of(school)),
        "ri_case": selectors.ri_to_good_case(school, timezone.localdate()) if school.is_maintained else None,
        "is_officer": permissions.is_officer(request.user),
        "can_visit": permissions.can_visit(request.user),
        "is_head": permissions.is_head(request.user),
        "shared_only": permissions.sees_shared_reports_only(request.user),
    }
    return render(request, "support/support.html", context)


def _package(school: School, year: int) -> SupportPackage:
    package = SupportPackage.objects.filter(school=school, academic_year=year).first()
    if package is None:
        raise Http404("No support package for this year")
    return package


@permission("support:create-package")
def create_package(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    try:
        services.create_package(school=school, year=selectors.current_year(), by=request.user)
        messages.success(request, "Support package set up from the school's category")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("support:support", urn)


@permission("support:adjust")
def adjust(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    package = _package(school, selectors.current_year())
    return _form_page(
        request,
        form=AdjustmentForm(request.POST or None),
        title="Adjust the entitlement",
        school=school,
        back=_support_url(urn),
        save=lambda d: services.adjust_entitlement(package=package, by=request.user, **d),
        success="Entitlement adjusted",
    )


@permission("support:allocate")
def allocate(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    package = _package(school, selectors.current_year())

    return _form_page(
        request,
        form=AllocationForm(request.POST or None),
        title="Allocate days",
        school=school,
        back=_support_url(urn),
        save=lambda d: services.allocate(package=package, by=request.user, **d),
        success="Days allocated",
    )


@permission("support:brokered")
def brokered(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    year = selectors.current_year()
    return _form_page(
        request,
        form=BrokeredForm(request.POST or None),
        title="Record brokered support",
        school=school,
        back=_support_url(urn),
        save=lambda d: _warnings(
            services.record_brokered_support(school=school, by=request.user, academic_year=year, **d)
        ),
        success="Brokered support recorded",
    )


def _warnings(item) -> list[str]:
    warning = quality_selectors.leader_warning(item)
    return [warning] if warning else []


@permission("support:traded")
def traded(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    year = selectors.current_year()
    return _form_page(
        request,
        form=TradedForm(request.POST or None),
        title="Record a traded service",
        school=school,
        back=_support_url(urn),
        save=lambda d: services.record_traded_service(school=school, by=request.user, academic_year=year, **d),
        success="Traded service recorded",
    )


@permission("support:new-head")
def new_head(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    return _form_page(
        request,
        form=NewHeadForm(request.POST or None),
        title="Record a new headteacher",
        school=school,
        back=_support_url(urn),
        save=lambda d: services.record_new_headteacher(school=school, by=request.user, **d),
        success="New headteacher recorded: a visit is due in their first half-term",
    )


@permission("support:recruitment")
def recruitment(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    current = selectors.open_recruitment(school)
    return _form_page(
        request,
        form=RecruitmentForm(request.POST or None, recruitment=current),
        title="Headteacher recruitment" if current else "Support a headteacher recruitment",
        school=school,
        back=_support_url(urn),
        save=lambda d: services.save_recruitment(school=school, by=request.user, recruitment=current, **d),
        success=lambda r: (
            "Appointment recorded: the new headteacher's visit is due in their first half-term"
            if r.new_head_id
            else "Recruitment saved"
        ),
    )


@permission("support:schedule-meetings")
def schedule_meetings(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    try:
        made = services.schedule_meetings(school=school, year=selectors.current_year(), by=request.user)
        messages.success(request, f"{len(made)} progress meeting{'s' if len(made) != 1 else ''} scheduled")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("support:support", urn)


# Visits and reports -------------------------------------------------------------------------------


@permission("support:new-visit")
def new_visit(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    officer = permissions.is_officer(request.user)

    def save(data):
        visitor = data.pop("visitor", None) or request.user
        return services.schedule_visit(school=school, by=request.user, visitor=visitor, **data)

    return _form_page(
        request,
        form=VisitForm(request.POST or None, officer=officer),
        title="Schedule a visit",
        school=school,
        back=_support_url(urn),
        save=save,
        success="Visit scheduled",
    )


def _visit(request, pk: int) -> Visit:
    """The visit if the user may read it (a head or board member: once a report is shared); else 404."""
    return get_for(request.user, Visit, pk, queryset=selectors.readable_visits(request.user))


def _viewer(request, report: VisitReport | None) -> workflow.Actor:
    if report is None:
        return workflow.Actor.OTHER
    return services._actor(report, request.user)


@permission("support:visit", of=selectors.readable_visits)
def visit(request, pk: int):
    return _visit_page(request, _visit(request, pk))


def _visit_page(request, item, held_form: HeldForm | None = None):
    report = selectors.report_for_viewer(request.user, item)
    # The partner reads the head's response here: it leaves their work queue.
    services.see_response(report=report, by=request.user)
    actor = _viewer(request, report)
    if held_form is None and item.status == item.Status.SCHEDULED and permissions.can_visit(request.user):
        held_form = HeldForm.for_visit(item, today=timezone.localdate())
    context = {
        "visit": item,
        "report": report,
        "steps": [s.value for s in workflow.allowed(report.status, actor)] if report else [],
        "versions": list(item.reports.order_by("-version").select_related("author"))
        if not permissions.sees_shared_reports_only(request.user)
        else [],
        "updates": _updates(report),
        "is_visitor": request.user.pk == item.visitor_id,
        "held_form": held_form,
    }
    return render(request, "support/visit.html", context, status=400 if held_form and held_form.errors else 200)


@permission("support:visit-step", of=selectors.readable_visits)
def visit_step(request, pk: int, step: str):
    """The report workflow's one-click steps: start, submit, share, revise; and recording a visit held."""
    item = _visit(request, pk)
    try:
        if step == "held":
            form = HeldForm(request.POST)
            if not form.is_valid():
                return _visit_page(request, item, held_form=form)
            try:
                services.record_visit_held(
                    visit=item,
                    by=request.user,
                    held_on=form.cleaned_data["held_on"],
                    attended=form.cleaned_data["attended"],
                )
            except ValidationError as exc:
                _errors_to(form, exc)
                return _visit_page(request, item, held_form=form)
            messages.success(request, "Visit recorded as held")
        elif step == "start":
            services.start_report(visit=item, by=request.user)
            return redirect("support:report-edit", pk)
        else:
            report = selectors.current_report(item)
            if report is None:
                raise Http404("No report")
            action = {
                "submit": services.submit_report,
                "share": services.share_report,
                "revise": services.revise_report,
            }.get(step)
            if action is None:
                raise Http404("No such step")
            action(report=report, by=request.user)
            messages.success(
                request,
                {
                    "submit": "Report submitted",
                    "share": "Report shared with the headteacher",
                    "revise": "A new draft version has been started",
                }[step],
            )
            if step == "revise":
                return redirect("support:report-edit", pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("support:visit", pk)


@permission("support:report-edit", of=selectors.readable_visits)
def edit_report(request, pk: int):
    item = _visit(request, pk)
    report = selectors.current_report(item)
    if report is None or report.author_id != request.user.pk:
        raise Http404("No draft of yours to edit")
    plan = selectors.plan_of(item.school, selectors.current_year())
    actions = [a for p in plan.priorities.all() for a in p.actions.all()] if plan else []
    updates = {u.action_id: (u.rag, u.comment) for u in report.action_updates.all()}
    initial = {name: getattr(report, name) for name in services.REPORT_FIELDS}
    form = ReportForm(request.POST or None, initial=initial, actions=actions, updates=updates)

    def save(data):
        fields = {n: data[n] for n in services.REPORT_FIELDS}
        return services.edit_report(report=report, by=request.user, updates=form.updates(), **fields)

    return _form_page(
        request,
        form=form,
        title="Visit report",
        back=reverse("support:visit", args=[pk]),
        save=save,
        success="Draft saved",
        template="support/report_form.html",
        context={"visit": item, "report": report},
    )


@permission("support:respond", of=selectors.readable_visits)
def respond(request, pk: int):
    item = _visit(request, pk)
    report = selectors.report_for_viewer(request.user, item)
    form = ResponseForm(request.POST or None)
    done = "Your response has been sent"
    # The report beside the response form: the head reads what they answer.
    return _report_step(
        request,
        item,
        report,
        form,
        services.respond_to_report,
        "Respond to the visit report",
        done,
        template="support/respond.html",
        context=lambda: {"visit": item, "report": report, "updates": _updates(report)},
    )


@permission("support:quality", of=selectors.readable_visits)
def quality(request, pk: int):
    item = _visit(request, pk)
    report = selectors.current_report(item)
    form = QualityForm(request.POST or None)
    done = "Quality assurance recorded"
    return _report_step(request, item, report, form, services.quality_assure, "Quality-assure the report", done)


def _report_step(request, item, report, form, step, title: str, done: str, **page):
    """A visit report's step that takes a form (the head's response, the officer's quality assurance)."""
    if report is None:
        raise Http404("No report")
    return _form_page(
        request,
        form=form,
        title=title,
        school=item.school,
        back=reverse("support:visit", args=[item.pk]),
        save=lambda data: step(report=report, by=request.user, **data),
        success=done,
        **page,
    )


def _updates(report) -> list:
    return list(report.action_updates.select_related("action")) if report else []


@permission("support:report-pdf", of=selectors.readable_visits)
def report_pdf(request, pk: int):
    item = _visit(request, pk)
    report = selectors.report_for_viewer(request.user, item)
    if report is None:
        raise Http404("No report")
    context = {"visit": item, "report": report, "updates": _updates(report)}
    pdf = render_pdf("support/report_pdf.html", context, request=request)
    return pdf_response(pdf, f"visit-report-{item.school.urn}-{item.scheduled_for:%Y%m%d}-v{report.version}.pdf")


# Plans ----------------------------------------------------------------------------------------------------

LOWEST_QUARTILE_COLUMNS = [
    *exports.school_columns(lambda row: row.school),
    Column("Year", lambda row: row.year_label),
    Column("Progress 8", lambda row: row.p8),
    Column("Progress 8 boundary", lambda row: row.p8_boundary),
    Column("Attainment 8", lambda row: row.a8),
    Column("Attainment 8 boundary", lambda row: row.a8_boundary),
    Column("On the priority list", lambda row: row.school.on_priority_list),
    Column("Category", lambda row: row.school.category_label),
]


@permission("support:lowest-quartile")
def lowest_quartile(request):
    """The authority's secondary schools in its lowest quartile for both Progress 8 and Attainment 8."""
    found = plan_selectors.lowest_quartile_secondaries()
    if exports.requested(request):
        return exports.download(
            request, found.rows, LOWEST_QUARTILE_COLUMNS, name="lowest-quartile", title="Lowest quartile P8 and A8"
        )
    return render(request, "support/lowest_quartile.html", {"found": found, "query": exports.links_query(request)})


@permission("support:plan")
def plan(request, urn: int):
    return _plan_page(request, get_for(request.user, School, urn=urn))


def _plan_page(request, school: School, comment_form: CommentForm | None = None):
    """The plan; with a comment form that was refused, its errors in the summary above (400)."""
    year = selectors.current_year()
    if comment_form is None and permissions.can_comment_on_plans(request.user):
        comment_form = CommentForm()
    context = {
        "school": school,
        "plan": selectors.plan_of(school, year),
        "year": year,
        "today": timezone.localdate(),
        "can_edit": permissions.can_visit(request.user),
        "is_officer": permissions.is_officer(request.user),
        "is_head": permissions.is_head(request.user),
        "comment_form": comment_form,
        "lowest_quartile": plan_selectors.lowest_quartile(school),
    }
    status = 400 if comment_form is not None and comment_form.errors else 200
    return render(request, "support/plan.html", context, status=status)


@permission("support:plan-step")
def plan_step(request, urn: int, step: str):
    school = get_for(request.user, School, urn=urn)
    year = selectors.current_year()
    current = selectors.plan_of(school, year)
    try:
        if step == "create":
            services.create_plan(school=school, year=year, by=request.user)
            messages.success(request, "Plan started")
        elif current is None:
            raise Http404("No plan")
        elif step == "reopen":
            services.reopen_plan(plan=current, by=request.user, seen_version=seen_version(request.POST.get("version")))
            messages.success(request, "The plan is open for review")
        elif step == "comment":
            return _comment(request, school, current)
        else:
            raise Http404("No such step")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("support:plan", urn)


@permission("support:agree-plan")
def agree_plan(request, urn: int):
    """The head confirms before agreeing the plan ("Are you sure ...?", with its summary); the
    version they read on the plan page (``?version=``) goes on to the service. A refusal (the plan
    changed meanwhile) shows in the error summary above the current plan's summary."""
    school = get_for(request.user, School, urn=urn)
    current = _plan_or_404(school)
    if request.method == "GET" and current.status == ActionPlan.Status.AGREED:
        return redirect("support:plan", urn)
    version, error = request.POST.get("version", request.GET.get("version")), ""
    if request.method == "POST":
        try:
            services.agree_plan(plan=current, by=request.user, seen_version=seen_version(version))
        except ValidationError as exc:
            error, current = " ".join(exc.messages), _plan_or_404(school)
            version = current.version
        else:
            messages.success(request, "You have agreed the plan")
            return redirect("support:plan", urn)
    context = {"school": school, "plan": current, "version": version or current.version, "error": error}
    return render(request, "support/agree_plan.html", context, status=400 if error else 200)


def _comment(request, school: School, current):
    """A comment on the plan; an empty one is shown at the field, with the error summary."""
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_plan(plan=current, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            messages.success(request, "Comment added")
            return redirect("support:plan", school.urn)
    return _plan_page(request, school, comment_form=form)


def _plan_or_404(school: School):
    current = selectors.plan_of(school, selectors.current_year())
    if current is None:
        raise Http404("No plan")
    return current


@permission("support:add-priority")
def add_priority(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    current = _plan_or_404(school)
    return _form_page(
        request,
        form=PriorityForm(request.POST or None),
        title="Add a priority",
        school=school,
        back=reverse("support:plan", args=[urn]),
        save=lambda d: services.add_priority(plan=current, by=request.user, **d),
        success="Priority added",
    )


@permission("support:add-action")
def add_action(request, urn: int, priority: int):
    school = get_for(request.user, School, urn=urn)
    current = _plan_or_404(school)
    item = get_object_or_404(Priority, pk=priority, plan=current)
    return _form_page(
        request,
        form=ActionForm(request.POST or None),
        title=f"Add an action to '{item.title}'",
        school=school,
        back=reverse("support:plan", args=[urn]),
        save=lambda d: services.add_action(priority=item, by=request.user, **d),
        success="Action added",
    )


@permission("support:update-action")
def update_action(request, urn: int, action: int):
    school = get_for(request.user, School, urn=urn)
    item = get_object_or_404(Action, pk=action, priority__plan__school=school)
    form = with_version(RagForm(request.POST or None, initial={"rag": item.rag, "evidence": item.evidence}), item)
    return _form_page(
        request,
        form=form,
        title="Update the action",
        school=school,
        back=reverse("support:plan", args=[urn]),
        save=lambda d: services.update_action(
            action=item, by=request.user, rag=d["rag"], evidence=d["evidence"], seen_version=seen_version(d["version"])
        ),
        success="Action updated",
    )


@permission("support:add-milestone")
def add_milestone(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    current = _plan_or_404(school)
    return _form_page(
        request,
        form=MilestoneForm(request.POST or None),
        title="Add a milestone",
        school=school,
        back=reverse("support:plan", args=[urn]),
        save=lambda d: services.add_milestone(plan=current, by=request.user, **d),
        success="Milestone added",
    )


@permission("support:academy-order")
def academy_order(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    current = _plan_or_404(school)
    fields = ("academy_order_on", "academy_trust", "conversion_expected_on")
    form = AcademyOrderForm(request.POST or None, initial={n: getattr(current, n) for n in fields})
    with_version(form, current)
    return _form_page(
        request,
        form=form,
        title="Academy order",
        school=school,
        back=reverse("support:plan", args=[urn]),
        save=lambda d: services.record_academy_order(
            plan=current, by=request.user, **{n: d[n] for n in fields}, seen_version=seen_version(d["version"])
        ),
        success="Academy order saved",
    )


# Meetings, self-referrals ----------------------------------------------------------------------------------


@permission("support:meeting", of=Meeting)
def meeting(request, pk: int):
    item = get_for(request.user, Meeting, pk, queryset=Meeting.objects.select_related("school"))
    school = item.school
    form = MeetingForm(request.POST or None, strategy=item.kind == Meeting.Kind.STRATEGY)
    return _form_page(
        request,
        form=form,
        title=f"Record the {item.get_kind_display().lower()} of {item.scheduled_for:%d %B %Y}",
        school=school,
        back=_support_url(school.urn),
        save=lambda d: services.record_meeting(meeting=item, by=request.user, **form.values()),
        success="Meeting recorded",
    )


@permission("support:self-referral")
def self_referral(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    return _form_page(
        request,
        form=SelfReferralForm(request.POST or None),
        title="Tell us the school is vulnerable",
        school=school,
        back="/",
        save=lambda d: services.self_refer(school=school, by=request.user, **d),
        success="Your self-referral has been sent to the local authority",
    )


SELF_REFERRAL_COLUMNS = [
    *exports.school_columns(),
    Column("Submitted", lambda r: r.submitted_at),
    Column("Submitted by", lambda r: str(r.submitted_by)),
    Column("Status", lambda r: r.get_status_display()),
    Column("Reason", lambda r: r.reason),
    Column("Decision", lambda r: r.response),
]


ANNUAL_REVIEWS_PER_PAGE = 50


@permission("support:annual-reviews")
def annual_reviews(request):
    """Schools with no trigger for targeted support still to have this year's annual review visit."""
    year = selectors.current_year()
    page = school_selectors.page_of(selectors.due_annual_review(year), request.GET.get("page"), ANNUAL_REVIEWS_PER_PAGE)
    return render(request, "support/annual_reviews.html", {"page": page, "year": academic_year_label(year)})


@permission("support:self-referrals")
def self_referrals(request):
    referrals = SelfReferral.objects.select_related("school__la", "submitted_by").order_by("status", "-submitted_at")
    if exports.requested(request):
        return exports.download(
            request, referrals, SELF_REFERRAL_COLUMNS, name="self-referrals", title="Self-referrals"
        )
    return render(request, "support/self_referrals.html", {"referrals": referrals})


@permission("support:consider-referral")
def consider_referral(request, pk: int):
    """An officer records what was decided about a headteacher's self-referral: the referral is
    considered, and the school goes forward to the next priority list proposal."""
    referral = get_for(
        request.user, SelfReferral, pk, queryset=SelfReferral.objects.select_related("school", "submitted_by")
    )
    return _form_page(
        request,
        form=SelfReferralDecisionForm(request.POST or None, initial={"response": referral.response}),
        title="Record the decision on a self-referral",
        school=referral.school,
        back=reverse("support:self-referrals"),
        save=lambda d: services.consider_self_referral(referral=referral, by=request.user, **d),
        success=f"Decision recorded: {referral.school.name} goes forward to the priority list proposal",
        context={"referral": referral},
        template="support/consider_referral.html",
    )


# Partners, quality assurance, the calendar ------------------------------------------------------------------


PARTNER_COLUMNS = [
    Column("Partner", lambda p: str(p.user)),
    Column("Email", lambda p: p.user.email),
    Column("Organisation", lambda p: p.organisation.name if p.organisation else None),
    Column("Specialisms", lambda p: p.specialisms),
    Column("Schools", lambda p: p.schools),
    Column("Days allocated", lambda p: p.allocated or 0),
    Column("Days available a year", lambda p: p.capacity_days),
    Column("DBS check date", lambda p: p.dbs_checked_on),
    Column("Contract ends", lambda p: p.contract_ends),
    Column("System leader", lambda p: quality_selectors.system_leader_of(p).reason),
]


@permission("support:partners")
def partners(request):
    year = selectors.current_year()
    found = selectors.partners(year)
    if exports.requested(request):
        return exports.download(request, found, PARTNER_COLUMNS, name="partners", title="Priority partners")
    context = {
        "partners": [(p, quality_selectors.system_leader_of(p)) for p in found],
        "priority_unnamed": selectors.priority_schools_without_partner(year),
        "adviser_unnamed": selectors.schools_without_named_adviser(),
    }
    return render(request, "support/partners.html", context)


@permission("support:add-partner")
def add_partner(request):
    return _form_page(
        request,
        form=ProfileForm(request.POST or None),
        title="Add a priority partner",
        back=reverse("support:partners"),
        save=lambda d: services.save_partner_profile(by=request.user, **d),
        success="Partner added",
        then=lambda profile: profile.get_absolute_url(),
    )


@permission("support:edit-partner")
def edit_partner(request, pk: int):
    profile = selectors.partner_profile(pk)
    return _form_page(
        request,
        form=ProfileForm(request.POST or None, profile=profile),
        title=f"Change {profile.user}'s details",
        back=profile.get_absolute_url(),
        save=lambda d: services.save_partner_profile(by=request.user, profile=profile, **d),
        success="Details saved",
        then=lambda profile: profile.get_absolute_url(),
    )


@permission("support:declare-interest")
def declare_interest(request, pk: int):
    profile = selectors.partner_profile(pk)

    def save(data):
        school = remit().filter(urn=data["urn"]).first()
        if school is None:
            raise ValidationError({"urn": "There is no school with that URN in the register"})
        services.declare_interest(profile=profile, school=school, relationship=data["relationship"], by=request.user)
        return profile

    return _form_page(
        request,
        form=InterestForm(request.POST or None),
        title=f"Declare an interest of {profile.user}",
        back=profile.get_absolute_url(),
        save=save,
        success="Interest declared: assignments to this school, its trust, federation or linked schools will be "
        "flagged",
        then=lambda profile: profile.get_absolute_url(),
    )


@permission("support:partner")
def partner(request, pk: int):
    profile = selectors.partner_profile(pk)
    form = AssignForm(request.POST or None)
    conflicts: list[str] = []
    if request.method == "POST" and form.is_valid():
        school = remit().filter(urn=form.cleaned_data["urn"]).first()
        if school is None:
            form.add_error("urn", "There is no school with that URN in the register")
        else:
            try:
                services.assign_partner(
                    school=school,
                    partner=profile.user,
                    by=request.user,
                    justification=form.cleaned_data["justification"],
                )
            except ValidationError as exc:
                conflicts = exc.message_dict.get("justification", [])[1:]
                _errors_to(form, exc)
            else:
                messages.success(request, f"{school.name} assigned to {profile.user}")
                return redirect("support:partner", pk)
    year = selectors.current_year()
    context = {
        "profile": profile,
        "form": form,
        "conflicts": conflicts,
        "load": selectors.partner_load(profile.user, year),
        "leader": quality_selectors.system_leader_of(profile),
    }
    return render(request, "support/partner.html", context)


def _current_assignment(school: School, pk: int | None):
    """One of the school's current priority partner assignments, by its pk (404 otherwise)."""
    found = selectors.current_partner_assignments(school).filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise Http404("Not a priority partner of this school")
    return found


@permission("support:assign-partner")
def assign_partner(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    change = whole_number(request.GET.get("change"))
    replacing = _current_assignment(school, change) if change is not None else None
    taken = set(selectors.current_partner_assignments(school).values_list("user_id", flat=True))
    choices = [p for p in selectors.partners_to_choose() if p.pk not in taken]
    conflicts = services.conflicts_by_partner(school, choices)
    submit = "Change the priority partner" if replacing else "Assign the priority partner"
    form = PartnerChoiceForm(request.POST or None, partners=choices, conflicts=conflicts, submit=submit)
    if request.method == "POST" and form.is_valid():
        chosen, justification = form.cleaned_data["partner"], form.cleaned_data.get("justification", "")
        try:
            if replacing:
                services.change_partner(
                    school=school, old=replacing.user, new=chosen, by=request.user, justification=justification
                )
            else:
                services.assign_partner(school=school, partner=chosen, by=request.user, justification=justification)
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            messages.success(request, f"{chosen} is now the priority partner of {school.name}")
            return redirect(school.get_absolute_url())
    context = {"school": school, "form": form, "replacing": replacing, "conflicts": conflicts, "choices": choices}
    return render(request, "support/assign_partner.html", context)


@permission("support:unassign-partner")
def unassign_partner(request, urn: int, pk: int):
    school = get_for(request.user, School, urn=urn)
    assignment = _current_assignment(school, pk)
    form = UnassignPartnerForm(request.POST or None, submit="Remove the priority partner")
    if request.method == "POST" and form.is_valid():
        services.unassign_partner(
            school=school, partner=assignment.user, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"{assignment.user} is no longer the priority partner of {school.name}")
        return redirect(school.get_absolute_url())
    context = {"school": school, "form": form, "assignment": assignment}
    return render(request, "support/unassign_partner.html", context)


QA_COLUMNS = [
    *exports.school_columns(lambda r: r.visit.school),
    Column("Visit", lambda r: r.visit.purpose),
    Column("Visit date", lambda r: r.visit.scheduled_for),
    Column("Author", lambda r: str(r.author)),
    Column("Head's response", lambda r: r.get_head_response_display()),
    Column("Responded", lambda r: r.responded_at),
]


@permission("support:quality-assurance")
def quality_assurance(request):
    if request.method == "POST":
        drawn = services.draw_quality_assurance_sample(by=request.user)
        messages.success(request, f"{drawn} report{'s' if drawn != 1 else ''} selected for moderation")
        return redirect("support:quality-assurance")
    reports = selectors.quality_assurance_queue()
    if exports.requested(request):
        return exports.download(request, reports, QA_COLUMNS, name="quality-assurance", title="Quality assurance")
    return render(request, "support/quality_assurance.html", {"reports": reports})


@permission("support:calendar")
def academic_calendar(request):
    year = selectors.current_year()
    years = [(academic_year_label(y), selectors.half_terms(y)) for y in (year, year + 1)]
    return render(request, "support/calendar.html", {"years": years})
