"""The board's statutory pages: letters and their templates, warning notices, escalations by priority
partners, schools-causing-concern meetings and inspections of priority schools.

Every write goes through boards.services, which checks who may act and validates; its refusals show
as form errors. A role that never uses a page gets 403 before anything is looked up; an object
outside the schools the user may see gets 404."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts import permissions
from accounts.access import permission
from accounts.authorities import current_authority_id, in_wales
from accounts.models import Role, SchoolAssignment
from accounts.selectors import working_here
from boards import merge, selectors, services, siab
from boards import notices as notice_rules
from boards.models import (
    ConcernMeeting,
    Escalation,
    InspectionNotice,
    Letter,
    LetterKind,
    LetterLanguage,
    LetterTemplate,
    WarningNotice,
)
from boards.statutory_forms import (
    AnnualLettersForm,
    ConcernMeetingForm,
    EscalateForm,
    EscalationForm,
    EscalationNoticeForm,
    FeedbackForm,
    FindSchoolForm,
    InspectionNoticeForm,
    LetterFilterForm,
    NoticeStepForm,
    OutcomeForm,
    SentForm,
    TemplateForm,
)
from core import exports
from core.exports import Column
from core.pages import errors_to as _errors_to
from core.pages import form_page as _form_page
from core.pdf import pdf_response, render_pdf
from schools.access import get_for, visible_schools
from schools.models import School

LETTERS_PER_PAGE = 50

NOTICE_TAGS = {
    WarningNotice.Status.RECOMMENDED: "govuk-tag--blue",
    WarningNotice.Status.ACCEPTED: "govuk-tag--light-blue",
    WarningNotice.Status.ISSUED: "govuk-tag--orange",
    WarningNotice.Status.COMPLIED: "govuk-tag--green",
    WarningNotice.Status.LIFTED: "govuk-tag--grey",
    WarningNotice.Status.DECLINED: "govuk-tag--grey",
    WarningNotice.Status.ESCALATED: "govuk-tag--red",
    WarningNotice.Status.REFERRED: "govuk-tag--purple",
    WarningNotice.Status.RD_NOTICE: "govuk-tag--red",
    WarningNotice.Status.RD_NO_NOTICE: "govuk-tag--grey",
    WarningNotice.Status.RD_CLOSED: "govuk-tag--grey",
}
ESCALATION_TAGS = {
    Escalation.Status.OPEN: "govuk-tag--orange",
    Escalation.Status.TO_EIG: "govuk-tag--purple",
    Escalation.Status.RESOLVED: "govuk-tag--green",
}
STEP_DONE = {
    notice_rules.Step.ACCEPT: "The DCS's acceptance is recorded: the notice can now be issued",
    notice_rules.Step.DECLINE: "The DCS's decision to decline the recommendation is recorded",
    notice_rules.Step.REFER: "The referral to the DfE regional director is recorded",
    notice_rules.Step.ISSUE: "The notice is recorded as issued",
    notice_rules.Step.COMPLY: "The school's compliance is recorded",
    notice_rules.Step.LIFT: "The notice is lifted",
    notice_rules.Step.ESCALATE: "The escalation is recorded",
    notice_rules.Step.RD_ISSUE: "The regional director's termination warning notice is recorded",
    notice_rules.Step.RD_NO_NOTICE: "The regional director's decision to give no notice is recorded",
    notice_rules.Step.RD_CLOSE: "The outcome of the regional director's notice is recorded",
}


# Shared ---------------------------------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _merge_fields() -> list[tuple[str, str]]:
    return [("{" + name + "}", meaning) for name, meaning in merge.FIELDS.items()]


# Letters ----------------------------------------------------------------------------------------------------

LETTER_COLUMNS = [
    *exports.school_columns(),
    Column("Letter", lambda letter: letter.get_kind_display()),
    Column("Subject", lambda letter: letter.subject),
    Column("Dated", lambda letter: letter.dated),
    Column("Sent on", lambda letter: letter.sent_on),
]


@permission("boards:letters")
def letters(request):
    form = LetterFilterForm(request.GET or None)
    found = form.filter(Letter.objects.select_related("school__la").order_by("-dated", "-pk"))
    if exports.requested(request):
        return exports.download(request, found, LETTER_COLUMNS, name="letters", title="Letters")
    page = Paginator(found, LETTERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": exports.links_query(request),
        "unsent": Letter.objects.filter(sent_on__isnull=True).count(),
    }
    return render(request, "boards/statutory/letters.html", context)


@permission("boards:annual-letters")
def annual_letters(request):
    def done(made: int) -> str:
        if not made:
            return "No new letters: every maintained school of the local authority already has its letter for the year"
        return f"{_plural(made, 'letter')} written. Check each one, then record it as sent."

    language = selectors.default_letter_language() if in_wales() else None
    return _form_page(
        request,
        form=AnnualLettersForm(request.POST or None, language=language),
        title="Write the annual letters",
        back=reverse("boards:letters"),
        save=lambda d: services.annual_letters(
            year=d["year"], by=request.user, la_id=d["la"].pk, language=d.get("language")
        ),
        success=done,
        then=lambda made: reverse("boards:letters") + "?sent=no",
        context={
            "intro": [
                "Every maintained school of the local authority gets a letter saying whether it is a priority for "
                "support in the academic year and why, written from the letter templates.",
                "Schools that already have their letter for the year are left out. Nothing is sent until you record "
                "each letter as sent.",
            ]
        },
    )


@permission("boards:letter", of=Letter)
def letter(request, pk: int):
    item = get_for(
        request.user,
        Letter,
        pk,
        queryset=selectors.readable_letters(request.user).select_related("school__la", "decision"),
    )
    officer = permissions.is_officer(request.user)
    form = None
    if officer and (not item.sent_on or request.method == "POST"):
        form = SentForm(request.POST or None, initial={"recipients": item.recipients})
        if request.method == "POST" and form.is_valid():
            try:
                services.mark_sent(letter=item, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors_to(form, exc)
            else:
                messages.success(request, "Letter recorded as sent")
                return redirect("boards:letter", pk)
    context = {
        "letter": item,
        "form": form,
        "is_officer": officer,
        "recipients": item.recipients.splitlines(),
        # An unsent letter of an authority in Wales may be written again in another language.
        "languages": LetterLanguage.choices if officer and not item.sent_on and in_wales() else None,
    }
    return render(request, "boards/statutory/letter.html", context, status=400 if form and form.errors else 200)


@permission("boards:letter-language", of=Letter)
def letter_language(request, pk: int):
    item = get_for(request.user, Letter, pk, queryset=selectors.readable_letters(request.user))
    try:
        services.rewrite_letter(letter=item, language=request.POST.get("language", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Letter written again: {item.get_language_display()}")
    return redirect("boards:letter", pk)


def _paragraphs(text: str) -> list[str]:
    return [p.strip("\n") for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


@permission("boards:letter-pdf", of=Letter)
def letter_pdf(request, pk: int):
    item = get_for(
        request.user,
        Letter,
        pk,
        queryset=selectors.readable_letters(request.user).select_related("school__la", "decision"),
    )
    versions = [
        {"language": language, "subject": subject, "paragraphs": _paragraphs(body)}
        for language, subject, body in item.versions
    ]
    context = {"letter": item, "recipients": item.recipients.splitlines(), "versions": versions}
    pdf = render_pdf("boards/statutory/letter_pdf.html", context, request=request)
    return pdf_response(pdf, f"letter-{item.school.urn}-{item.dated:%Y-%m-%d}.pdf")


@permission("boards:letter-templates")
def letter_templates(request):
    found = {t.kind: t for t in LetterTemplate.objects.select_related("updated_by")}
    templates = [(kind, found.get(kind)) for kind in LetterKind]
    context = {"templates": templates, "fields": _merge_fields(), "welsh": in_wales()}
    return render(request, "boards/statutory/letter_templates.html", context)


@permission("boards:edit-template")
def edit_template(request, kind: str):
    if kind not in LetterKind.values:
        raise Http404("No such letter")
    template = LetterTemplate.objects.filter(kind=kind).first() or LetterTemplate(kind=kind)
    initial = {"subject": template.subject, "body": template.body}
    initial |= {"subject_cy": template.subject_cy, "body_cy": template.body_cy}
    form = TemplateForm(request.POST or None, initial=initial, welsh=in_wales())
    return _form_page(
        request,
        form=form,
        title=f"Change the letter: {LetterKind(kind).label.lower()}",
        back=reverse("boards:letter-templates"),
        save=lambda d: services.update_template(template=template, by=request.user, **d),
        success="Template saved: letters written from now on use it",
        template="boards/statutory/template_form.html",
        context={"fields": _merge_fields()},
    )


# Warning notices -----------------------------------------------------------------------------------------------


def _deadline(item: WarningNotice, today) -> notice_rules.DeadlineState:
    """How near the compliance deadline is: only while the notice is issued and not yet complied with."""
    if item.status != WarningNotice.Status.ISSUED:
        return notice_rules.DeadlineState("", 0)
    return notice_rules.deadline_state(item.compliance_deadline, today)


DEADLINE_TEXT = {"past": "Overdue", "near": "Due soon"}
NOTICE_COLUMNS = [
    *exports.school_columns(),
    Column("Status", lambda n: n.get_status_display()),
    Column("Recommended", lambda n: n.recommended_on),
    Column("DCS response", lambda n: n.dcs_response_on),
    Column("Grounds", lambda n: "; ".join(n.grounds_display())),
    Column("Issued on", lambda n: n.issued_on),
    Column("Compliance deadline", lambda n: n.compliance_deadline),
    Column("Deadline", lambda n: DEADLINE_TEXT.get(_deadline(n, timezone.localdate()).label)),
]


@permission("boards:notices")
def notices(request):
    found = WarningNotice.objects.select_related("school__la")
    if not permissions.is_officer(request.user):
        found = found.filter(school__in=visible_schools(request.user))
    if exports.requested(request):
        return exports.download(request, found, NOTICE_COLUMNS, name="warning-notices", title="Warning notices")
    today = timezone.localdate()
    rows = [(n, NOTICE_TAGS.get(n.status, "govuk-tag--grey"), _deadline(n, today)) for n in found]
    return render(request, "boards/statutory/notices.html", {"rows": rows})


@permission("boards:notice", of=WarningNotice)
def notice(request, pk: int):
    item = get_for(request.user, WarningNotice, pk, queryset=selectors.warning_notices())
    officer = permissions.is_officer(request.user)
    steps = notice_rules.allowed(item.status, academy=not item.school.is_maintained) if officer else []
    context = {
        "notice": item,
        "status_tag": NOTICE_TAGS.get(item.status, "govuk-tag--grey"),
        "deadline": _deadline(item, timezone.localdate()),
        "steps": [(step.value, notice_rules.STEP_LABELS[step]) for step in steps],
        "is_officer": officer,
        "recipients": item.recipients.splitlines(),
    }
    return render(request, "boards/statutory/notice.html", context)


def _notice_context(item: WarningNotice) -> dict:
    """The governing body is addressed by the school's name and its chair by office until governance records
    name them."""
    welsh = item.school.is_welsh
    return {
        "notice": item,
        "school": item.school,
        "authority": item.authority,
        "legislation": item.legislation,
        "welsh": welsh,
        "copies": [r for r in item.recipients.splitlines() if not r.startswith("The governing body")],
        "grounds_choices": WarningNotice.ground_choices(welsh=welsh),
        "chair": "The chair of governors",
    }


@permission("boards:notice-recommendation-pdf", of=WarningNotice)
def notice_recommendation_pdf(request, pk: int):
    """The board's recommendation to the DCS (an academy's: to the DfE regional director), with its rationale,
    grounds and evidence, for the decision (seed 004: BEP informs the DCS of the recommendation and its rationale)."""
    item = get_for(request.user, WarningNotice, pk, queryset=selectors.warning_notices())
    context = _notice_context(item) | {"evidence": selectors.notice_evidence(item)}
    pdf = render_pdf("boards/statutory/notice_recommendation_pdf.html", context, request=request)
    return pdf_response(pdf, f"warning-notice-recommendation-{item.school.urn}-{item.recommended_on:%Y-%m-%d}.pdf")


@permission("boards:notice-pdf", of=WarningNotice)
def notice_pdf(request, pk: int):
    """The warning notice itself, once the LA has issued it (s60(4); Wales: the 2013 Act, s3(2))."""
    item = get_for(request.user, WarningNotice, pk, queryset=selectors.warning_notices())
    if not item.issued:
        raise Http404("The notice has not been issued")
    pdf = render_pdf("boards/statutory/notice_pdf.html", _notice_context(item), request=request)
    return pdf_response(pdf, f"warning-notice-{item.school.urn}-{item.issued_on:%Y-%m-%d}.pdf")


@permission("boards:notice-step", of=WarningNotice)
def notice_step(request, pk: int, step: str):
    if step not in {s.value for s in notice_rules.Step}:
        raise Http404("No such step")
    item = get_for(request.user, WarningNotice, pk, queryset=selectors.warning_notices())
    step = notice_rules.Step(step)
    try:
        notice_rules.check(step, item.status, academy=not item.school.is_maintained)
    except notice_rules.NotAllowed as exc:
        why_not = str(exc)
    else:
        why_not = ""
    form = NoticeStepForm(request.POST or None, step=step, welsh=item.school.is_welsh)

    def done(result: WarningNotice) -> str:
        if step == notice_rules.Step.ISSUE:
            deadline = result.compliance_deadline
            return f"The notice is recorded as issued: the school must comply by {deadline.day} {deadline:%B %Y}"
        return STEP_DONE[step]

    return _form_page(
        request,
        form=form,
        title=notice_rules.STEP_LABELS[step],
        school=item.school,
        back=item.get_absolute_url(),
        save=lambda d: services.notice_step(notice=item, step=step.value, by=request.user, **form.values()),
        success=done,
        then=lambda result: result.get_absolute_url(),
        template="boards/statutory/notice_step.html",
        context={"notice": item, "status_tag": NOTICE_TAGS.get(item.status, "govuk-tag--grey"), "warning": why_not},
    )


# Escalations -----------------------------------------------------------------------------------------------------


@permission("boards:escalate")
def escalate(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    officer = permissions.is_officer(request.user)
    return _form_page(
        request,
        form=EscalateForm(request.POST or None),
        title="Escalate a lack of progress",
        school=school,
        back=school.get_absolute_url(),
        save=lambda d: services.escalate(school=school, by=request.user, **d),
        success="Escalation sent to the local authority: officers will decide whether to take it to the Education "
        "Improvement Group",
        then=lambda made: reverse("boards:escalation", args=[made.pk]) if officer else school.get_absolute_url(),
        context={
            "intro": [
                "Use this when the school is not engaging with support, or progress with the action plan has "
                "stalled. LA officers review every escalation and may take it to the Education Improvement Group."
            ]
        },
    )


ESCALATION_COLUMNS = [
    *exports.school_columns(),
    Column("Raised by", lambda e: str(e.raised_by)),
    Column("Raised on", lambda e: e.raised_on),
    Column("Reason", lambda e: e.reason),
    Column("Status", lambda e: e.get_status_display()),
    Column("EIG meeting", lambda e: e.eig_meeting_on),
    Column("Outcome", lambda e: e.outcome),
]


@permission("boards:escalations")
def escalations(request):
    if exports.requested(request):
        return exports.download(
            request, selectors.escalations(), ESCALATION_COLUMNS, name="escalations", title="Escalations"
        )
    rows = [(e, ESCALATION_TAGS.get(e.status, "govuk-tag--grey")) for e in selectors.escalations()]
    overdue = sum(e.overdue for e in siab.waiting_for_eig())
    return render(request, "boards/statutory/escalations.html", {"rows": rows, "overdue": overdue})


@permission("boards:escalation", of=Escalation)
def escalation(request, pk: int):
    item = get_for(request.user, Escalation, pk, queryset=selectors.escalations().select_related("updated_by"))
    form = EscalationForm(
        request.POST or None,
        initial={"status": item.status, "eig_meeting_on": item.eig_meeting_on, "outcome": item.outcome},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_escalation(escalation=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            messages.success(request, "Escalation updated")
            return redirect("boards:escalation", pk)
    context = {
        "escalation": item,
        "notice": getattr(item, "warning_notice", None),
        "status_tag": ESCALATION_TAGS.get(item.status, "govuk-tag--grey"),
        "form": form,
    }
    return render(request, "boards/statutory/escalation.html", context, status=400 if form.errors else 200)


@permission("boards:escalation-notice")
def escalation_notice(request, pk: int):
    item = get_for(request.user, Escalation, pk, queryset=selectors.escalations())
    return _form_page(
        request,
        form=EscalationNoticeForm(request.POST or None),
        title="Recommend a formal warning notice",
        school=item.school,
        back=reverse("boards:escalation", args=[pk]),
        save=lambda d: services.recommend_notice_after_escalation(escalation=item, by=request.user, **d),
        success="Formal warning notice recommended: record the response when it comes",
        then=lambda notice: reverse("boards:notice", args=[notice.pk]),
        context={"intro": [f"After the escalation of {item.raised_on:%-d %B %Y}: {item.reason}"]},
    )


# Schools-causing-concern meetings ---------------------------------------------------------------------------------


@permission("boards:concern-meetings")
def concern_meetings(request):
    # A Welsh authority's risk management conferences have their own list (boards.welsh_views).
    meetings = (
        ConcernMeeting.objects.filter(kind=ConcernMeeting.Kind.CONCERN)
        .annotate(
            school_count=Count("schools", distinct=True),
            action_count=Count("actions", distinct=True),
            open_count=Count("actions", filter=Q(actions__done=False), distinct=True),
        )
        .order_by("-held_on", "-pk")
    )
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    return render(request, "boards/statutory/concern_meetings.html", {"page": page})


@permission("boards:new-concern-meeting")
def new_concern_meeting(request):
    form = ConcernMeetingForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        title="Record a schools-causing-concern meeting",
        back=reverse("boards:concern-meetings"),
        save=lambda d: services.record_concern_meeting(by=request.user, **form.values()),
        success="Meeting recorded",
        then=lambda meeting: meeting.get_absolute_url(),
        context={
            "intro": [
                "The monthly meeting with finance, HR and governor services about schools causing concern. Record "
                "up to three actions here."
            ]
        },
    )


@permission("boards:concern-meeting")
def concern_meeting(request, pk: int):
    meeting = get_object_or_404(ConcernMeeting.objects.select_related("created_by"), pk=pk)
    context = {
        "meeting": meeting,
        "schools": list(meeting.schools.select_related("la").order_by("name")),
        "actions": list(meeting.actions.select_related("school")),
        "eig": siab.latest_eig_meeting(before=meeting.held_on),
    }
    return render(request, "boards/statutory/concern_meeting.html", context)


# Inspections of priority schools ------------------------------------------------------------------------------------


INSPECTION_COLUMNS = [
    *exports.school_columns(),
    Column("Notified", lambda n: n.notified_on),
    Column("Starts", lambda n: n.starts_on),
    Column("Partner attending", lambda n: str(n.partner_attending) if n.partner_attending else None),
    Column("Feedback recorded", lambda n: bool(n.feedback_notes)),
    Column("Further support indicated", lambda n: n.further_support_indicated),
    Column("Outcome", lambda n: n.inspection.summary if n.inspection else None),
]


@permission("boards:inspections")
def inspections(request):
    if exports.requested(request):
        return exports.download(
            request, selectors.inspection_notices(), INSPECTION_COLUMNS, name="inspections", title="Inspections"
        )
    find = FindSchoolForm(request.GET if "urn" in request.GET else None)
    if find.is_bound and find.is_valid():
        return redirect("boards:new-inspection-notice", find.cleaned_data["urn"])
    page = Paginator(selectors.inspection_notices(), 50).get_page(request.GET.get("page"))
    return render(request, "boards/statutory/inspections.html", {"page": page, "find": find})


def _current_partners(school: School):
    today = timezone.localdate()
    return (
        working_here(Role.PRIORITY_PARTNER)
        .filter(
            Q(school_assignments__ends_on__isnull=True) | Q(school_assignments__ends_on__gte=today),
            school_assignments__authority_id=current_authority_id(),
            school_assignments__school=school,
            school_assignments__relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER,
            school_assignments__starts_on__lte=today,
        )
        .distinct()
    )


@permission("boards:new-inspection-notice")
def new_inspection_notice(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    return _form_page(
        request,
        form=InspectionNoticeForm(request.POST or None, partners=_current_partners(school)),
        title="Log a notice of inspection",
        school=school,
        back=reverse("boards:inspections"),
        save=lambda d: services.log_inspection_notice(school=school, by=request.user, **d),
        success="Notice of inspection logged",
        then=lambda made: made.get_absolute_url(),
    )


@permission("boards:inspection", of=InspectionNotice)
def inspection(request, pk: int):
    item = get_for(request.user, InspectionNotice, pk, queryset=selectors.inspection_notices())
    item.inspection = selectors.published_inspection(item)
    officer = permissions.is_officer(request.user)
    context = {
        "notice": item,
        "is_officer": officer,
        "can_record_feedback": officer or item.partner_attending_id == request.user.pk,
    }
    return render(request, "boards/statutory/inspection.html", context)


@permission("boards:inspection-feedback", of=InspectionNotice)
def inspection_feedback(request, pk: int):
    item = get_for(request.user, InspectionNotice, pk, queryset=selectors.inspection_notices())
    if not (permissions.is_officer(request.user) or item.partner_attending_id == request.user.pk):
        raise PermissionDenied("Only the partner who attended or an LA officer records the feedback.")
    form = FeedbackForm(request.POST or None, initial=FeedbackForm.initial_for(item))
    return _form_page(
        request,
        form=form,
        title="Record the inspectors' feedback",
        school=item.school,
        back=item.get_absolute_url(),
        save=lambda d: services.record_inspection_feedback(notice=item, by=request.user, **form.values()),
        success="Feedback recorded",
    )


@permission("boards:inspection-outcome", of=InspectionNotice)
def inspection_outcome(request, pk: int):
    item = get_for(request.user, InspectionNotice, pk, queryset=selectors.inspection_notices())
    form = OutcomeForm(request.POST or None)
    warning = ""
    if item.inspection_id:
        warning = "The outcome of this inspection is already recorded."
    return _form_page(
        request,
        form=form,
        title="Record the outcome of the inspection",
        school=item.school,
        back=item.get_absolute_url(),
        save=lambda d: services.record_inspection_outcome(notice=item, by=request.user, **form.values()),
        success=lambda made: f"Outcome recorded: {made.summary}",
        context={
            "warning": warning,
            "intro": [
                "Enter the report card as the school has it, before the Ofsted file brings it. The school's latest "
                "inspection changes and the school is reassessed."
            ],
        },
    )
