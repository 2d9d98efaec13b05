"""A Welsh authority's pages (seed 001): informal warning notices and recovery plans, monthly risk
management conferences, termly target reviews and consultant governors. An authority in England never
reaches them: its links are not shown, and each page sends it home with a message. Writes go through
boards.welsh_services; their refusals show as form errors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.access import permission
from accounts.authorities import in_wales
from boards import welsh_selectors as selectors
from boards import welsh_services as services
from boards.models import ConcernAction, ConcernMeeting, InformalWarningNotice
from boards.welsh_forms import (
    ConsultantGovernorForm,
    EscalateInformalForm,
    InformalNoticeForm,
    LiftForm,
    PeerReviewForm,
    RiskConferenceForm,
    TargetReviewForm,
)
from core.pages import form_page as _form_page
from schools.access import get_for
from schools.models import School
from support.models import BrokeredSupport

NOT_IN_WALES = "These pages are for local authorities in Wales."
STEPS = {
    "lift": (LiftForm, "Lift the informal warning notice", "The informal warning notice is lifted"),
    "escalate": (
        EscalateInformalForm,
        "Escalate to a formal warning notice",
        "Escalated: a formal warning notice is recommended under the 2013 Act",
    ),
}
STEP_SERVICES = {"lift": services.lift_informal_notice, "escalate": services.escalate_informal_notice}


def _outside_wales(request, school: School | None = None):
    """A redirect for an authority in England (or a school outside Wales), or None."""
    if not in_wales():
        messages.info(request, NOT_IN_WALES)
        return redirect("home")
    if school is not None and not school.is_welsh:
        messages.info(request, "Only schools in Wales have these processes.")
        return redirect(school.get_absolute_url())
    return None


@permission("boards:wales")
def wales(request):
    if away := _outside_wales(request):
        return away
    year, term = current = selectors.current_term()
    context = {
        "missing_reviews": selectors.missing_target_reviews(*current).count(),
        "term_label": f"{dict(selectors.TargetReview.Term.choices)[term].lower()} {year}",
        "without_governor": selectors.without_consultant_governor().count(),
        "notices_in_force": InformalWarningNotice.objects.filter(status=InformalWarningNotice.Status.ISSUED).count(),
        "held_this_month": selectors.held_this_month(),
    }
    return render(request, "boards/wales/index.html", context)


# Informal warning notices ---------------------------------------------------------------------------------


@permission("boards:informal-notices")
def informal_notices(request):
    if away := _outside_wales(request):
        return away
    page = Paginator(selectors.informal_notices(), 50).get_page(request.GET.get("page"))
    return render(request, "boards/wales/informal_notices.html", {"page": page})


@permission("boards:new-informal-notice")
def new_informal_notice(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    if away := _outside_wales(request, school):
        return away
    return _form_page(
        request,
        form=InformalNoticeForm(request.POST or None),
        title="Issue an informal warning notice",
        school=school,
        back=school.get_absolute_url(),
        save=lambda d: services.issue_informal_notice(school=school, by=request.user, **d),
        success="Informal warning notice issued: the school's action plan for the year is its recovery plan",
        then=lambda made: made.get_absolute_url(),
        context={
            "intro": [
                "An informal warning notice comes before any statutory warning notice under the School Standards "
                "and Organisation (Wales) Act 2013 (section 3). Say what concerns the authority, what must improve "
                "and by when. The school's action plan for the year becomes its recovery plan."
            ]
        },
    )


@permission("boards:informal-notice", of=InformalWarningNotice)
def informal_notice(request, pk: int):
    item = get_for(request.user, InformalWarningNotice, pk, queryset=selectors.informal_notices())
    if away := _outside_wales(request, item.school):
        return away
    return render(request, "boards/wales/informal_notice.html", {"notice": item})


@permission("boards:informal-notice-step", of=InformalWarningNotice)
def informal_notice_step(request, pk: int, step: str):
    if step not in STEPS:
        raise Http404("No such step")
    item = get_for(request.user, InformalWarningNotice, pk, queryset=selectors.informal_notices())
    if away := _outside_wales(request, item.school):
        return away
    form_class, title, done = STEPS[step]
    return _form_page(
        request,
        form=form_class(request.POST or None),
        title=title,
        school=item.school,
        back=item.get_absolute_url(),
        save=lambda d: STEP_SERVICES[step](notice=item, by=request.user, **d),
        success=done,
        then=lambda made: made.get_absolute_url(),
    )


# Risk management conferences ----------------------------------------------------------------------------------


@permission("boards:risk-conferences")
def risk_conferences(request):
    if away := _outside_wales(request):
        return away
    page = Paginator(selectors.risk_conferences(), 50).get_page(request.GET.get("page"))
    return render(request, "boards/wales/risk_conferences.html", {"page": page, "held": selectors.held_this_month()})


@permission("boards:new-risk-conference")
def new_risk_conference(request):
    if away := _outside_wales(request):
        return away
    form = RiskConferenceForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        title="Record a risk management conference",
        back=reverse("boards:risk-conferences"),
        save=lambda d: services.record_risk_conference(by=request.user, **form.values()),
        success="Conference recorded",
        then=lambda meeting: meeting.get_absolute_url(),
        context={
            "intro": [
                "The monthly conference where schools with identified risks are discussed and further support is "
                "planned and reviewed. Give each attendee's name; change the roles if others attended."
            ]
        },
    )


@permission("boards:risk-conference")
def risk_conference(request, pk: int):
    meeting = get_object_or_404(
        ConcernMeeting.objects.filter(kind=ConcernMeeting.Kind.RISK_CONFERENCE).select_related("created_by"), pk=pk
    )
    if away := _outside_wales(request):
        return away
    context = {
        "meeting": meeting,
        "attendees": list(meeting.attendee_list.all()),
        "risks": list(meeting.school_risks.select_related("school__la")),
        "actions": list(meeting.actions.select_related("school")),
    }
    return render(request, "boards/wales/risk_conference.html", context)


@permission("boards:conference-action-done")
def conference_action_done(request, pk: int):
    action = get_object_or_404(ConcernAction.objects.filter(meeting__kind=ConcernMeeting.Kind.RISK_CONFERENCE), pk=pk)
    if away := _outside_wales(request):
        return away
    try:
        services.complete_conference_action(action=action, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Action marked as done")
    return redirect("boards:risk-conference", action.meeting_id)


# Termly target reviews ----------------------------------------------------------------------------------------


@permission("boards:target-reviews")
def target_reviews(request):
    if away := _outside_wales(request):
        return away
    year, term = selectors.current_term()
    page = Paginator(selectors.missing_target_reviews(year, term), 50).get_page(request.GET.get("page"))
    label = dict(selectors.TargetReview.Term.choices)[term]
    return render(request, "boards/wales/target_reviews.html", {"page": page, "term_label": label, "year": year})


@permission("boards:school-target-reviews")
def school_target_reviews(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    if away := _outside_wales(request, school):
        return away
    context = {"school": school, "reviews": list(selectors.target_reviews_of(school))}
    return render(request, "boards/wales/school_target_reviews.html", context)


@permission("boards:new-target-review")
def new_target_review(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    if away := _outside_wales(request, school):
        return away
    form = TargetReviewForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        title="Record the termly target review",
        school=school,
        back=reverse("boards:school-target-reviews", args=[urn]),
        save=lambda d: services.record_target_review(school=school, by=request.user, **form.values()),
        success=lambda review: f"Target review recorded for the {review.get_term_display().lower()}",
        context={
            "intro": [
                "Progress towards the school-level and pupil-level targets agreed in categorisation, reviewed each "
                "term by the challenge adviser. Enter up to four targets."
            ]
        },
    )


# Consultant governors -----------------------------------------------------------------------------------------


@permission("boards:consultant-governors")
def consultant_governors(request):
    if away := _outside_wales(request):
        return away
    context = {
        "without": Paginator(selectors.without_consultant_governor(), 50).get_page(request.GET.get("page")),
        "governors": list(selectors.consultant_governors()[:200]),
    }
    return render(request, "boards/wales/consultant_governors.html", context)


@permission("boards:new-consultant-governor")
def new_consultant_governor(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    if away := _outside_wales(request, school):
        return away
    return _form_page(
        request,
        form=ConsultantGovernorForm(request.POST or None),
        title="Broker a consultant governor",
        school=school,
        back=school.get_absolute_url(),
        save=lambda d: services.broker_consultant_governor(school=school, by=request.user, **d),
        success="Consultant governor brokered",
        context={
            "intro": [
                "A consultant governor supports the governing body of an amber or red school and peer reviews it."
            ]
        },
    )


def _governors(user):
    return BrokeredSupport.objects.filter(provider_type=BrokeredSupport.Provider.CONSULTANT_GOVERNOR)


@permission("boards:governor-peer-review", of=_governors)
def governor_peer_review(request, pk: int):
    governor = get_for(request.user, BrokeredSupport, pk, queryset=_governors(request.user).select_related("school"))
    if away := _outside_wales(request, governor.school):
        return away
    return _form_page(
        request,
        form=PeerReviewForm(request.POST or None),
        title=f"Peer review of the governing body by {governor.provider}",
        school=governor.school,
        back=governor.school.get_absolute_url(),
        save=lambda d: services.record_governor_peer_review(governor=governor, by=request.user, **d),
        success="Peer review recorded",
    )
