"""The board pack, as a PDF stored with the meeting: a summary of at most two pages (the meeting, how
many items of each kind, a line for each decision item), then a paper for each decision item — why
it is there, its category and the triggers behind it, its plan's RAG, the support it has used, its
last visit and the board's previous decisions — and the routine reviews of the consent list as an
appendix table, a row per school.

The pack is built from what the facts say, never from when it was built, so building it again
with the facts unchanged leaves the stored pack as it is (the task is idempotent per meeting).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from boards import agenda
from boards.models import AgendaItem, BoardMeeting, Decision, PriorityEntry
from categorisation.selectors import school_category
from support import selectors as support
from support.models import Action, Visit

log = logging.getLogger(__name__)


@dataclass
class PackSection:
    item: object
    school: object
    entry: PriorityEntry | None
    category: object
    plan: object
    rag: dict[str, int] = field(default_factory=dict)
    package: object = None
    last_visit: object = None
    decisions: list[Decision] = field(default_factory=list)


@dataclass
class Pack:
    meeting: BoardMeeting
    counts: list[tuple[agenda.Kind, int]]
    papers: list[PackSection]  # the decision items, ranked
    routine: list[AgendaItem]  # the consent list's routine reviews

    @property
    def total(self) -> int:
        return len(self.papers) + len(self.routine)


def _paper(item: AgendaItem, year: int) -> PackSection:
    school = item.school
    plan = support.plan_of(school, year)
    rag = {}
    if plan:
        rag = dict(Action.objects.filter(priority__plan=plan).values_list("rag").annotate(n=Count("pk")).order_by())
    return PackSection(
        item=item,
        school=school,
        entry=PriorityEntry.objects.filter(school=school, academic_year=year).first(),
        category=school_category(school, viewer=None),
        plan=plan,
        rag=rag,
        package=support.package_view(school, year),
        last_visit=Visit.objects.filter(Q(school=school) & Q(status=Visit.Status.HELD))
        .select_related("visitor")
        .prefetch_related("reports")
        .order_by("-held_on")
        .first(),
        decisions=list(
            Decision.objects.filter(school=school).select_related("decided_by", "meeting").order_by("-decided_at")[:5]
        ),
    )


def contents(meeting: BoardMeeting) -> Pack:
    """What the pack holds: a full paper only for the items that need a decision of their own."""
    year = support.current_year(meeting.meets_on)
    items = meeting.items.filter(dropped=False).select_related("school__la", "school__latest_inspection")
    ranked = sorted(items, key=lambda i: (agenda.rank(agenda.kind_of(i.kinds)), i.position, i.pk))
    counts: dict[agenda.Kind, int] = {}
    papers, routine = [], []
    for item in ranked:
        item.agenda_kind = agenda.kind_of(item.kinds)
        item.headline = agenda.headline(item.kinds, item.reasons)
        counts[item.agenda_kind] = counts.get(item.agenda_kind, 0) + 1
        if item.agenda_kind == agenda.Kind.ROUTINE:
            routine.append(item)
        else:
            papers.append(_paper(item, year))
    return Pack(
        meeting=meeting, counts=[(k, counts[k]) for k in agenda.Kind if k in counts], papers=papers, routine=routine
    )


def html(meeting: BoardMeeting) -> str:
    return render_to_string("boards/pack_pdf.html", {"pack": contents(meeting), "meeting": meeting})


def build(meeting_id: int) -> dict:
    meeting = BoardMeeting.objects.get(pk=meeting_id)
    try:
        page = html(meeting)
        digest = hashlib.sha256(page.encode()).hexdigest()
        if meeting.pack and meeting.pack_hash == digest and meeting.pack.storage.exists(meeting.pack.name):
            if meeting.pack_status != BoardMeeting.PackStatus.READY:
                BoardMeeting.objects.filter(pk=meeting.pk).update(pack_status=BoardMeeting.PackStatus.READY)
            return {"meeting": meeting.pk, "built": False}
        # Imported when a PDF is made: WeasyPrint takes 1.8 s to import, which every web process and
        # worker would otherwise pay at start.
        from weasyprint import HTML

        pdf = HTML(string=page).write_pdf()
        old = meeting.pack.name if meeting.pack else ""
        meeting.pack.save(f"board-pack-{meeting.meets_on:%Y-%m-%d}.pdf", ContentFile(pdf), save=False)
        if old and old != meeting.pack.name:
            meeting.pack.storage.delete(old)
        meeting.pack_hash, meeting.pack_status = digest, BoardMeeting.PackStatus.READY
        meeting.pack_built_at, meeting.pack_error = timezone.now(), ""
        meeting.save(update_fields=["pack", "pack_hash", "pack_status", "pack_built_at", "pack_error"])
        return {"meeting": meeting.pk, "built": True}
    except Exception as exc:
        log.exception("Board pack for meeting %s failed", meeting_id)
        BoardMeeting.objects.filter(pk=meeting_id).update(
            pack_status=BoardMeeting.PackStatus.FAILED, pack_error=str(exc)[:2000]
        )
        raise
