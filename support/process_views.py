"""Oxfordshire's processes (seed 003): half-termly strategy meetings with a chair and members,
RI to Good within four terms, the new headteachers' network and the annual structured
conversations with academies."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.access import permission
from core.pages import form_page
from schools.access import get_for
from schools.models import School
from support import selectors, services
from support.forms import (
    AcademyConversationForm,
    AttendanceForm,
    NetworkMeetingForm,
    RiReviewForm,
    StrategyMeetingForm,
)
from support.models import NetworkMeeting, NewHeadteacher


@permission("support:strategy-meetings")
def strategy_meetings(request):
    """Schools that meet half-termly with no strategy meeting this half-term; POST schedules the
    year's meetings for all of them."""
    if request.method == "POST":
        made = services.schedule_strategy_meetings(year=selectors.current_year(), by=request.user)
        messages.success(request, f"{len(made)} strategy meeting{'s' if len(made) != 1 else ''} scheduled")
        return redirect("support:strategy-meetings")
    missing = selectors.missing_strategy_meeting(timezone.localdate())
    return render(request, "support/strategy_meetings.html", {"missing": missing})


@permission("support:arrange-strategy-meeting")
def arrange_strategy_meeting(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    form = StrategyMeetingForm(
        request.POST or None, officers=selectors.authority_officers(), people=selectors.authority_people(school)
    )
    return form_page(
        request,
        form=form,
        title="Schedule a strategy meeting",
        school=school,
        back=reverse("support:support", args=[urn]) + "#meetings",
        save=lambda d: services.arrange_strategy_meeting(school=school, by=request.user, **form.values()),
        success="Strategy meeting scheduled",
    )


@permission("support:ri-to-good")
def ri_to_good(request):
    cases = selectors.ri_to_good_cases(timezone.localdate())
    return render(request, "support/ri_to_good.html", {"cases": cases})


@permission("support:ri-review")
def ri_review(request, urn: int):
    school = get_for(request.user, School, urn=urn)
    case = selectors.ri_to_good_case(school, timezone.localdate())
    return form_page(
        request,
        form=RiReviewForm(request.POST or None),
        title="Review progress to Good",
        school=school,
        back=reverse("support:ri-to-good"),
        save=lambda d: services.review_ri_to_good(school=school, by=request.user, **d),
        success=f"Review recorded for {school.name}",
        context=lambda: {"intro": _ri_intro(case)},
    )


def _ri_intro(case: selectors.RiCase | None) -> list[str]:
    if case is None:
        return ["The school's latest graded inspection is not requires improvement."]
    target = f"{case.target:%-d %B %Y}" if case.target else "not set: the calendar does not reach that far"
    return [
        f"Requires improvement: inspected {case.inspected_on:%-d %B %Y}. "
        f"To meet the criteria for Good within four terms, by {target}.",
        f"Status: {case.status_label}.",
    ]


@permission("support:network")
def network(request):
    today = timezone.localdate()
    context = {
        "meetings": selectors.network_meetings(),
        "heads": selectors.new_heads_for_network(today),
    }
    return render(request, "support/network.html", context)


@permission("support:network-meeting-new")
def new_network_meeting(request):
    heads = selectors.new_heads_for_network(timezone.localdate())
    return form_page(
        request,
        form=NetworkMeetingForm(request.POST or None, heads=heads),
        title="Add a new headteachers' network meeting",
        back=reverse("support:network"),
        save=lambda d: services.arrange_network_meeting(by=request.user, **d),
        success="Network meeting added",
    )


@permission("support:network-meeting")
def network_meeting(request, pk: int):
    meeting = get_object_or_404(NetworkMeeting, pk=pk)
    invited = NewHeadteacher.objects.filter(network_invitations__meeting=meeting).select_related("school")
    attended = list(invited.filter(network_invitations__meeting=meeting, network_invitations__attended=True))
    return form_page(
        request,
        form=AttendanceForm(request.POST or None, invited=invited, initial={"attended": attended}),
        title=f"Attendance at the network meeting of {meeting.held_on:%-d %B %Y}: {meeting.topic}",
        back=reverse("support:network"),
        save=lambda d: services.record_network_attendance(meeting=meeting, by=request.user, attended=d["attended"]),
        success="Attendance recorded",
    )


@permission("support:academy-conversations")
def academy_conversations(request):
    year = selectors.current_year()
    context = {
        "due": selectors.academies_due_conversation(year),
        "conversations": selectors.academy_conversations(year),
    }
    return render(request, "support/academy_conversations.html", context)


@permission("support:academy-conversation-new")
def new_academy_conversation(request):
    return form_page(
        request,
        form=AcademyConversationForm(request.POST or None, academies=selectors.academies_of_concern()),
        title="Record a structured conversation with a trust or academy",
        back=reverse("support:academy-conversations"),
        save=lambda d: services.record_academy_conversation(by=request.user, **d),
        success="Conversation recorded",
    )
