"""The board pack: one section per school on a meeting's agenda — why it is there, its category
and the triggers behind it, its plan's RAG, the support it has used, its last visit and the
board's previous decisions — as a PDF stored with the meeting.

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

from boards.models import BoardMeeting, Decision, PriorityEntry
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


def sections(meeting: BoardMeeting) -> list[PackSection]:
    year = support.current_year(meeting.meets_on)
    found = []
    for item in meeting.items.filter(dropped=False).select_related("school__la", "school__latest_inspection"):
        school = item.school
        plan = support.plan_of(school, year)
        rag = {}
        if plan:
            rag = dict(Action.objects.filter(priority__plan=plan).values_list("rag").annotate(n=Count("pk")).order_by())
        found.append(
            PackSection(
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
                    Decision.objects.filter(school=school)
                    .select_related("decided_by", "meeting")
                    .order_by("-decided_at")[:5]
                ),
            )
        )
    return found


def html(meeting: BoardMeeting) -> str:
    return render_to_string("boards/pack_pdf.html", {"meeting": meeting, "sections": sections(meeting)})


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
