"""Birmingham's advisory board membership and Education Improvement Group meetings (seed 004)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts import permissions
from accounts.access import permission
from boards import siab
from boards.siab_forms import EIGMeetingForm, MembershipForm
from core.pages import errors_to


@permission("boards:board-membership")
def membership(request):
    """Who sits on the advisory board, on what basis, who chairs, and what the membership lacks."""
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["remove"]:
                siab.end_membership(by=request.user, member=data["member"])
            else:
                siab.set_membership(
                    by=request.user,
                    member=data["member"],
                    basis=data["basis"],
                    phase=data["phase"],
                    headship_urn=data["headship_urn"],
                    headship_ended=data["headship_ended"],
                    chair=data["chair"],
                    independent=data["independent"],
                )
        except ValidationError as exc:
            errors_to(form, exc)
        else:
            messages.success(request, f"Membership saved for {data['member']}")
            return redirect("boards:board-membership")
    context = {
        "membership": siab.membership(),
        "form": form if permissions.can_manage_board(request.user) else None,
    }
    return render(request, "boards/board_membership.html", context)


@permission("boards:eig-meetings")
def eig_meetings(request):
    """The Education Improvement Group's meetings, the escalations waiting for it, and a form to
    record a meeting with the escalations it discussed."""
    waiting = siab.waiting_for_eig()
    form = EIGMeetingForm(request.POST or None, escalations=waiting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            siab.record_eig_meeting(
                by=request.user,
                held_on=data["held_on"],
                notes=data["notes"],
                themes=data["themes"],
                actions=data["actions"],
                outcomes=form.outcomes,
            )
        except ValidationError as exc:
            errors_to(form, exc)
        else:
            messages.success(request, "Education Improvement Group meeting recorded")
            return redirect("boards:eig-meetings")
    context = {"meetings": siab.eig_meetings(), "waiting": waiting, "form": form}
    return render(request, "boards/eig_meetings.html", context)
