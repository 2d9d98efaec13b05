"""The School Improvement Board's pages (seed 002): its members, what the authority's board is, and a
decision recorded with the members' votes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts import permissions
from accounts.access import permission
from boards import improvement_board, selectors, siab
from boards.forms import ConstitutionForm, VotedDecisionForm
from boards.models import AgendaItem, PriorityEntry
from core.concurrency import seen_version, with_version
from core.pages import errors_to
from core.pages import form_page as _form_page
from schools.access import get_for
from support.selectors import current_year


@permission("boards:improvement-board")
def members(request):
    """Who sits on the board and how it votes; officers say what the authority's board is."""
    found = improvement_board.constitution()
    held = list(found.la_representatives.values_list("officer_id", flat=True)) if found else []
    initial = {"kind": found.kind, "la_representatives": held} if found else {}
    form = ConstitutionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            made = improvement_board.constitute(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to(form, exc)
        else:
            messages.success(request, f"The authority's board is its {made.get_kind_display()}")
            return redirect("boards:improvement-board")
    context = {
        "members": improvement_board.members(),
        "membership": siab.membership(),
        "form": form if permissions.can_manage_board(request.user) else None,
    }
    return render(request, "boards/improvement_board.html", context)


@permission("boards:vote", of=AgendaItem)
def vote(request, pk: int):
    """A School Improvement Board decision on an agenda item, with the votes; an advisory board's
    decision is recorded without them (``boards:decide``)."""
    item = get_for(
        request.user,
        AgendaItem,
        pk,
        queryset=AgendaItem.objects.select_related("meeting", "school__la", "school__latest_inspection"),
    )
    if not improvement_board.votes_on_decisions():
        return redirect("boards:decide", pk)
    school, members = item.school, improvement_board.members()
    entry = selectors.entry_for(school, current_year(item.meeting.meets_on))
    on_list = entry is not None and entry.status == PriorityEntry.Status.ON_LIST
    verdict = selectors.removal_verdict(school, entry) if on_list else None
    form = VotedDecisionForm(
        request.POST or None,
        removal_met=verdict.met if verdict else None,
        on_list=on_list,
        leads=members.leads,
        la_names=", ".join(str(u) for u in members.la_representatives),
    )

    def save(data):
        return improvement_board.decide_by_vote(
            school=school,
            meeting=item.meeting,
            item=item,
            kind=data["kind"],
            rationale=data["rationale"],
            by=request.user,
            lead_votes=form.lead_votes,
            la_vote=data["la_vote"],
            reason=data["reason"],
            confirm_removal=data["confirm_removal"],
            removal_override=data["removal_override"],
            support_kind=data["support_kind"],
            support_days=data["support_days"],
            seen_version=seen_version(data["version"]),
        )

    return _form_page(
        request,
        form=with_version(form, item),
        title=f"Decision for {school.name}",
        back=item.meeting.get_absolute_url(),
        school=school,
        save=save,
        success=lambda d: f"Decision recorded for {school.name}: {d.outcome}",
        template="boards/decide.html",
        context=lambda: {
            "item": item,
            "entry": entry,
            "verdict": verdict,
            "votes": True,
            "previous": list(item.decisions.select_related("decided_by").prefetch_related("votes")),
        },
    )
