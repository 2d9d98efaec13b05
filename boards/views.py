"""The priority list and the advisory board's meetings: agendas, packs and decisions."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts import permissions
from accounts.access import permission
from boards import agenda, annual_selectors, improvement_board, selectors, services, siab
from boards.forms import (
    AddItemForm,
    AgreeListForm,
    CarryForwardForm,
    DecisionForm,
    DropItemForm,
    ProposeForm,
    RecordMeetingForm,
    ScheduleForm,
)
from boards.models import AgendaItem, BoardMeeting, PriorityEntry
from core import exports
from core.calendar import academic_year_label
from core.concurrency import seen_version, with_version
from core.exports import Column
from core.pages import errors_to as _errors_to
from core.pages import form_page as _form_page
from core.query import whole_number, year_asked
from schools.access import get_for, remit
from schools.models import LocalAuthority
from support import selectors as support_selectors
from support import services as support_services
from support.forms import BulkPartnerForm
from support.selectors import current_year, half_terms

PAGE_SIZE = 50  # as the school list: a page of 100 rows took 60 ms to render at national scale


def _year(request) -> int:
    return year_asked(request, default=current_year())


# The priority list ------------------------------------------------------------------------------------------

PRIORITY_COLUMNS = [
    *exports.school_columns(),
    Column("Academic year", lambda e: academic_year_label(e.academic_year)),
    Column("Reason", lambda e: e.get_reason_display()),
    Column("Evidence", lambda e: e.evidence),
    Column("Status", lambda e: e.get_status_display()),
    Column("Source", lambda e: e.get_source_display()),
    Column("Proposed on", lambda e: e.proposed_on),
    Column("Added on", lambda e: e.added_on),
    Column("Removed on", lambda e: e.removed_on),
    Column("Priority partner", lambda e: e.partner_name),
]


@permission("boards:list")
def priority_list(request):
    year = _year(request)
    status = request.GET.get("status", PriorityEntry.Status.ON_LIST)
    status = status if status in PriorityEntry.Status.values or status == "all" else PriorityEntry.Status.ON_LIST
    reason = request.GET.get("reason", "")
    la_id = whole_number(request.GET.get("la"))
    no_partner = request.GET.get("partner") == "none"
    entries = selectors.priority_list(
        year,
        status="" if status == "all" else status,
        reason=reason if reason in PriorityEntry.Reason.values else "",
        la_id=la_id,
        no_partner=no_partner,
    )
    label = academic_year_label(year)
    if exports.requested(request):
        return exports.download(
            request, entries, PRIORITY_COLUMNS, name="priority-list", title=f"Priority list {label}"
        )
    counts = selectors.list_counts(year)
    paginator = Paginator(entries, PAGE_SIZE)
    if not reason and not la_id and not no_partner:
        # Filtered by status alone, the list's length is already in the counts: no COUNT query.
        paginator.count = sum(counts.values()) if status == "all" else counts.get(status, 0)
    las = list(LocalAuthority.objects.order_by("name"))
    propose_form = ProposeForm()
    propose_form.fields["la"].choices = [("", "Every local authority"), *((la.pk, la.name) for la in las)]
    context = {
        "year": year,
        "label": label,
        "page": paginator.get_page(request.GET.get("page")),
        "query": exports.links_query(request),
        "counts": counts,
        "status": status,
        "reason": reason,
        "la_id": la_id,
        "no_partner": no_partner,
        "unnamed": selectors.priority_list(year, status=PriorityEntry.Status.ON_LIST, no_partner=True).count(),
        "statuses": PriorityEntry.Status.choices,
        "reasons": PriorityEntry.Reason.choices,
        "las": las,
        "due": selectors.october_half_term(year),
        "today": timezone.localdate(),
        "suggestions": selectors.removal_suggestions(year),
        "year_end_open": annual_selectors.year_end_review_open(year, timezone.localdate(), half_terms(year)),
        "is_officer": permissions.can_manage_board(request.user),
        "propose_form": propose_form,
    }
    return render(request, "boards/list.html", context)


@permission("boards:assign-partners")
def assign_partners(request):
    data = request.POST if request.method == "POST" else request.GET
    schools = selectors.selected_schools(request.user, data.getlist("school"))
    form = BulkPartnerForm(request.POST or None, partners=support_selectors.partners_to_choose())
    if request.method == "POST" and form.is_valid():
        chosen, leave_out = form.cleaned_data["partner"], form.cleaned_data["conflicted"] == form.LEAVE_OUT
        try:
            done = support_services.assign_partner_to_schools(
                schools=schools,
                partner=chosen,
                by=request.user,
                justification=form.cleaned_data["justification"],
                leave_out_conflicted=leave_out,
            )
        except ValidationError as exc:
            # Conflicts not yet answered are the confirmation step, not an error.
            if form.cleaned_data["confirming"] or "justification" not in exc.message_dict:
                _errors_to(form, exc)
        else:
            messages.success(request, _assigned(chosen, done))
            return redirect("boards:list")
    chosen = getattr(form, "cleaned_data", {}).get("partner")
    conflicts = support_services.conflicts_by_school(chosen, schools) if chosen else {}
    context = {
        "schools": schools,
        "form": form,
        "partner": chosen,
        "conflicted": [(s, conflicts[s.pk]) for s in schools if s.pk in conflicts],
        "partners": form.partners.values(),
    }
    return render(request, "boards/assign_partners.html", context)


def _assigned(partner, done) -> str:
    n = len(done.assigned)
    said = f"{partner} is now the priority partner of {n} school{'s' if n != 1 else ''}"
    if done.left_out:
        said += f"; left out for a conflict of interest: {', '.join(s.name for s in done.left_out)}"
    return said


@permission("boards:propose")
def propose(request):
    form = ProposeForm(request.POST)
    year = current_year()
    if form.is_valid():
        la = form.cleaned_data["la"]
        made = services.propose_annual_list(year=year, by=request.user, la_id=la.pk if la else None)
        messages.success(request, f"{made} school{'s' if made != 1 else ''} proposed for the priority list")
    return redirect(f"{reverse('boards:list')}?status=proposed")


@permission("boards:agree-list")
def agree_list(request):
    year = current_year()
    entries = list(selectors.priority_list(year, status=PriorityEntry.Status.PROPOSED))
    form = AgreeListForm(request.POST or None, entries=entries)

    def save(data):
        return services.agree_annual_list(
            year=year,
            by=request.user,
            rationale=data["rationale"],
            meeting=services.next_meeting(),
            leave_out=form.leave_out,
        )

    return _form_page(
        request,
        form=form,
        title="Agree the priority list",
        back=reverse("boards:list"),
        save=save,
        success=lambda added: f"{added} school{'s' if added != 1 else ''} added to the priority list",
        template="boards/agree.html",
        context=lambda: {
            "rows": [
                (e, form[f"leave_{e.pk}"], form[f"why_{e.pk}"], visits.get(e.school_id))
                for visits in [annual_selectors.visits_by_school(year, [e.school_id for e in entries])]
                for e in entries
            ],
            "not_visited": annual_selectors.awaiting_visit(year),
            "due": selectors.october_half_term(year),
            "today": timezone.localdate(),
        },
    )


@permission("boards:carry-forward")
def carry_forward(request):
    year = current_year()
    entries = list(selectors.priority_list(year, status=PriorityEntry.Status.ON_LIST))

    def save(data):
        keep = [int(pk) for pk in data["keep"]]
        return services.carry_forward(from_year=year, keep=keep, by=request.user, rationale=data["rationale"])

    return _form_page(
        request,
        form=CarryForwardForm(request.POST or None, entries=entries),
        title="Year-end review: carry schools forward",
        back=reverse("boards:list"),
        save=save,
        success=lambda carried: f"{carried} school{'s' if carried != 1 else ''} carried forward into next year",
        then=lambda _: f"{reverse('boards:list')}?year={year + 1}",
    )


# Meetings -----------------------------------------------------------------------------------------------------


@permission("boards:meetings")
def meetings(request):
    year = _year(request)
    first = services.default_first_meeting()
    form = ScheduleForm(request.POST or None, initial={"first": first, "until": date_in_july(current_year(first))})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.schedule_meetings(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            messages.success(request, f"{len(made)} meeting{'s' if len(made) != 1 else ''} scheduled")
            return redirect("boards:meetings")
    context = {
        "year": year,
        "label": academic_year_label(year),
        "meetings": selectors.meetings(year),
        "form": form if permissions.can_manage_board(request.user) else None,
        "today": timezone.localdate(),
    }
    return render(request, "boards/meetings.html", context)


def date_in_july(year: int) -> date:
    return date(year + 1, 7, 22)


@permission("boards:meeting")
def meeting(request, pk: int):
    item = get_object_or_404(BoardMeeting, pk=pk)
    items = selectors.items_of(item)
    kind = request.GET.get("kind", "")
    kind = kind if kind in {k.value for k in agenda.Kind} else ""
    context = {
        "meeting": item,
        "agenda": selectors.ranked(items, kind),
        "kind": kind,
        "kinds": list(agenda.Kind),
        "items": [i for i in items if not i.dropped],
        "dropped": [i for i in items if i.dropped],
        "attendance": list(item.attendance.select_related("member").order_by("member__full_name")),
        "is_officer": permissions.can_manage_board(request.user),
        "can_decide": permissions.can_decide(request.user),
        "votes": improvement_board.votes_on_decisions(),
        "today": timezone.localdate(),
    }
    return render(request, "boards/meeting.html", context)


@permission("boards:consent")
def consent(request, pk: int):
    """Agree the routine reviews on the consent list in one decision, pulling out the items ticked."""
    item = get_object_or_404(BoardMeeting, pk=pk)
    try:
        done = services.agree_consent_list(meeting=item, by=request.user, pull=whole_numbers(request.POST, "pull"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("boards:meeting", pk)
    pulled = f"; {done.pulled} pulled out to decide on their own" if done.pulled else ""
    messages.success(request, f"Consent list agreed: no change for {done.agreed} school{plural(done.agreed)}{pulled}")
    return redirect("boards:meeting", pk)


def whole_numbers(data, name: str) -> list[int]:
    return [n for n in (whole_number(v) for v in data.getlist(name)) if n is not None]


def plural(n: int) -> str:
    return "" if n == 1 else "s"


@permission("boards:generate-agenda")
def generate_agenda(request, pk: int):
    item = get_object_or_404(BoardMeeting, pk=pk)
    try:
        count = services.generate_agenda(meeting=item, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Agenda generated: {count} school{'s' if count != 1 else ''} with something new")
    return redirect("boards:meeting", pk)


@permission("boards:add-item")
def add_item(request, pk: int):
    item = get_object_or_404(BoardMeeting, pk=pk)

    def save(data):
        school = remit().filter(urn=data["urn"]).first()
        if school is None:
            raise ValidationError({"urn": "There is no school with that URN in the register"})
        return services.add_item(meeting=item, school=school, reason=data["reason"], by=request.user)

    return _form_page(
        request,
        form=AddItemForm(request.POST or None),
        title=f"Add a school to the agenda of {item.meets_on:%-d %B %Y}",
        back=item.get_absolute_url(),
        save=save,
        success="School added to the agenda",
    )


@permission("boards:drop-item", of=AgendaItem)
def drop_item(request, pk: int):
    item = get_for(request.user, AgendaItem, pk, queryset=AgendaItem.objects.select_related("meeting", "school"))
    return _form_page(
        request,
        form=DropItemForm(request.POST or None),
        title=f"Drop {item.school.name} from the agenda",
        school=item.school,
        back=item.meeting.get_absolute_url(),
        save=lambda d: services.drop_item(item=item, reason=d["reason"], by=request.user),
        success=f"{item.school.name} dropped from the agenda",
    )


@permission("boards:record-meeting")
def record_meeting(request, pk: int):
    item = get_object_or_404(BoardMeeting, pk=pk)
    present = [a.member_id for a in item.attendance.all() if a.present]
    form = RecordMeetingForm(request.POST or None, initial={"present": present, "minutes": item.minutes})
    with_version(form, item)
    return _form_page(
        request,
        form=form,
        title=f"Record the meeting of {item.meets_on:%-d %B %Y}",
        back=item.get_absolute_url(),
        save=lambda d: services.record_meeting(
            meeting=item,
            by=request.user,
            present=[m.pk for m in d["present"]],
            minutes=d["minutes"],
            seen_version=seen_version(d["version"]),
        ),
        success="Meeting recorded",
    )


@permission("boards:build-pack")
def build_pack(request, pk: int):
    item = get_object_or_404(BoardMeeting, pk=pk)
    if services.queue_pack(meeting=item, by=request.user).held:
        messages.info(request, "The board pack will be built when the background service is back.")
    else:
        messages.success(request, "The board pack is being built. Refresh the page in a moment to download it.")
    return redirect("boards:meeting", pk)


@permission("boards:pack-pdf")
def pack_pdf(request, pk: int):
    item = get_object_or_404(BoardMeeting, pk=pk)
    if not item.pack or item.pack_status != BoardMeeting.PackStatus.READY:
        raise Http404("The pack has not been built")
    return FileResponse(
        item.pack.open("rb"),
        as_attachment=True,
        filename=f"board-pack-{item.meets_on:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )


# Decisions ----------------------------------------------------------------------------------------------------


@permission("boards:decide", of=AgendaItem)
def decide(request, pk: int):
    item = get_for(
        request.user,
        AgendaItem,
        pk,
        queryset=AgendaItem.objects.select_related("meeting", "school__la", "school__latest_inspection"),
    )
    if improvement_board.votes_on_decisions():
        return redirect("boards:vote", pk)  # a School Improvement Board's decisions are voted on
    school = item.school
    entry = selectors.entry_for(school, current_year(item.meeting.meets_on))
    on_list = entry is not None and entry.status == PriorityEntry.Status.ON_LIST
    verdict = selectors.removal_verdict(school, entry) if on_list else None

    def save(data):
        return services.decide(
            school=school,
            meeting=item.meeting,
            item=item,
            kind=data["kind"],
            rationale=data["rationale"],
            by=request.user,
            reason=data["reason"],
            confirm_removal=data["confirm_removal"],
            removal_override=data["removal_override"],
            support_kind=data["support_kind"],
            support_days=data["support_days"],
            category_code=data.get("category_code") or "",
            seen_version=seen_version(data["version"]),
        )

    following = []

    def recorded(_decision) -> str:
        following.append(selectors.next_decision_item(item.meeting, after=item))
        done = "" if following[0] else ". Every decision item on the agenda now has a decision"
        return f"Decision recorded for {school.name}{done}"

    def then(_decision) -> str:
        return reverse("boards:decide", args=[following[0].pk]) if following[0] else item.meeting.get_absolute_url()

    categories = siab.categories_to_agree()
    form = DecisionForm(
        request.POST or None, removal_met=verdict.met if verdict else None, categories=categories, on_list=on_list
    )
    return _form_page(
        request,
        form=with_version(form, item),
        title=f"Decision for {school.name}",
        back=item.meeting.get_absolute_url(),
        school=school,
        save=save,
        success=recorded,
        then=then,
        template="boards/decide.html",
        context=lambda: {
            "item": item,
            "entry": entry,
            "verdict": verdict,
            "standing": siab.category_standing(school) if categories else None,
            "previous": list(item.decisions.select_related("decided_by")),
            "next_item": selectors.next_decision_item(item.meeting, after=item),
        },
    )
