"""The records about one school that its page lists — linked schools, intelligence notes, the
category history, this year's priority list entry, the board's decisions, letters, warning notices,
escalations, inspection notifications, its board's chair and clerk and the reviews of its
governance, and (for officers) its priority partners — read in one query.

Each kind of record is one ``SELECT`` of the fields the page shows, as a JSON object
(``JSONObject``: ``json_object`` on SQLite, ``jsonb_build_object`` on PostgreSQL), and the kinds
are joined with ``UNION ALL``. The page makes the same number of queries however many records the
school has and whichever kinds it has, which keeps the school page within its budget at national
scale. Who may see which kind is decided by the same selectors as elsewhere (``visible_notes``,
``decisions_for``, ``letters_for``, the permission predicates); a kind the person may not see is not
read at all. Each record comes back as a plain object with the attribute names the templates use.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from types import SimpleNamespace
from typing import Any

from django.db.models import CharField, Exists, F, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce, JSONObject, NullIf
from django.utils import timezone

from accounts import permissions
from accounts.models import Role
from boards.models import Decision, Escalation, InspectionNotice, PriorityEntry, WarningNotice
from boards.selectors import decisions_for, letters_for
from categorisation.models import CategoryDecision
from schools.access import visible_schools
from schools.models import GovernanceContact, GovernanceReview, IntelligenceNote, School, SchoolLink
from schools.selectors import board_q, visible_notes
from support.selectors import current_partner_assignments


@dataclass
class Case:
    links: list[tuple[SimpleNamespace, bool]] = field(default_factory=list)
    notes: list[SimpleNamespace] = field(default_factory=list)
    category_history: list[SimpleNamespace] | None = None  # None: not read (not the person's to see)
    entry: SimpleNamespace | None = None
    decisions: list[SimpleNamespace] = field(default_factory=list)
    letters: list[SimpleNamespace] = field(default_factory=list)
    notices: list[SimpleNamespace] = field(default_factory=list)
    escalations: list[SimpleNamespace] = field(default_factory=list)
    inspection_notices: list[SimpleNamespace] = field(default_factory=list)
    # None: not read (contact details are for the school's officers, partner and head only)
    governance_contacts: dict[str, SimpleNamespace] | None = None
    governance_reviews: list[SimpleNamespace] = field(default_factory=list)
    # None: not read (officers assign partners, and see them here to change or remove them)
    partners: list[SimpleNamespace] | None = None

    @property
    def board(self) -> dict[str, Any]:
        """The board section of the school page."""
        return {
            "entry": self.entry,
            "decisions": self.decisions,
            "letters": self.letters,
            "notices": self.notices,
            "escalations": self.escalations,
            "inspection_notices": self.inspection_notices,
        }


def case_for(user, school: School, *, year: int) -> Case:
    """The school's records that ``user`` may see on its page, in one query."""
    officer = permissions.is_officer(user)
    branches = [
        _branch(
            "link",
            SchoolLink.objects.filter(school=school),
            link_type="link_type",
            linked_urn="linked_urn",
            linked_name="linked_name",
            established_on="established_on",
            visible=Exists(visible_schools(user).filter(urn=OuterRef("linked_urn"))),
        ),
        _branch(
            "note",
            visible_notes(user, school),
            area="area",
            noted_on="noted_on",
            created_at="created_at",
            risk_grade="risk_grade",
            text="text",
            source="source",
            author=_person("author"),
            visibility="visibility",
        ),
    ]
    if permissions.can_change_categories(user):
        branches.append(
            _branch(
                "category",
                CategoryDecision.objects.filter(school=school),
                pk="pk",
                decided_at="decided_at",
                previous="previous__label",
                category="category__label",
                decided_by=_person("decided_by"),
                kind="kind",
                rationale="rationale",
                framework="version__framework__name",
                version="version__number",
            )
        )
    if user.role != Role.COMMISSIONER:
        if not permissions.is_head(user):
            branches.append(
                _branch(
                    "entry",
                    PriorityEntry.objects.filter(school=school, academic_year=year),
                    pk="pk",
                    status="status",
                    academic_year="academic_year",
                    reason="reason",
                )
            )
        branches += [
            _branch(
                "decision",
                decisions_for(user, school),
                pk="pk",
                decided_at="decided_at",
                kind="kind",
                outcome="outcome",
                rationale="rationale",
                removal_override="removal_override",
                decided_by=_person("decided_by"),
                meeting_on="meeting__meets_on",
            ),
            _branch("letter", letters_for(user, school), pk="pk", subject="subject", sent_on="sent_on", dated="dated"),
        ]
        if permissions.can_see_notices(user):
            branches.append(
                _branch(
                    "notice",
                    WarningNotice.objects.filter(school=school),
                    pk="pk",
                    status="status",
                    compliance_deadline="compliance_deadline",
                    created_at="created_at",
                )
            )
        if officer or permissions.is_partner(user):
            branches += [
                _branch(
                    "escalation",
                    Escalation.objects.filter(school=school),
                    pk="pk",
                    raised_on="raised_on",
                    raised_by=_person("raised_by"),
                    reason="reason",
                    status="status",
                ),
                _branch(
                    "inspection_notice",
                    InspectionNotice.objects.filter(school=school),
                    pk="pk",
                    starts_on="starts_on",
                    partner_attending=_person("partner_attending"),
                ),
            ]
    if officer:
        branches.append(
            _branch(
                "partner",
                current_partner_assignments(school),
                pk="pk",
                name=_person("user"),
                starts_on="starts_on",
                conflict="conflict",
            )
        )
    sees_governance = officer or permissions.is_partner(user) or permissions.is_head(user)
    if sees_governance:
        branches += [
            _branch(
                "governance_contact",
                GovernanceContact.objects.filter(board_q(school)),
                role="role",
                name="name",
                email="email",
                phone="phone",
                source="source",
                recorded_on="recorded_on",
            ),
            _branch(
                "governance_review",
                GovernanceReview.objects.filter(school=school),
                pk="pk",
                reviewed_on="reviewed_on",
                reviewer="reviewer",
                effective="effective",
                recommendations="recommendations",
            ),
        ]
    rows = _union(branches)
    case = _assemble(rows, read_history=permissions.can_change_categories(user))
    if sees_governance:
        _add_governance(case, rows)
    if officer:
        partners = sorted((r for kind, r in rows if kind == "partner"), key=lambda r: (r["starts_on"], r["pk"]))
        case.partners = [SimpleNamespace(pk=r["pk"], name=r["name"], conflict=bool(r["conflict"])) for r in partners]
    return case


def _add_governance(case: Case, rows: list[tuple[str, dict]]) -> None:
    case.governance_contacts = {}
    for kind, r in rows:
        if kind == "governance_contact":
            case.governance_contacts[r["role"]] = SimpleNamespace(
                role=r["role"],
                name=r["name"],
                email=r["email"],
                phone=r["phone"],
                get_source_display=_display(GovernanceContact, "source", r["source"]),
                recorded_on=_day(r["recorded_on"]),
            )
    reviews = [r for kind, r in rows if kind == "governance_review"]
    for r in sorted(reviews, key=lambda r: (r["reviewed_on"], r["pk"]), reverse=True):
        case.governance_reviews.append(
            SimpleNamespace(
                reviewed_on=_day(r["reviewed_on"]),
                reviewer=r["reviewer"],
                effective=bool(r["effective"]),
                recommendations=r["recommendations"],
            )
        )


def _person(relation: str):
    """A person's name as the portal shows it (``User.__str__``): their full name, else their email."""
    return Coalesce(NullIf(F(f"{relation}__full_name"), Value("")), F(f"{relation}__email"))


def _branch(record_kind: str, queryset: QuerySet, /, **fields) -> QuerySet | None:
    if queryset.query.is_empty():
        return None
    data = JSONObject(**{name: F(value) if isinstance(value, str) else value for name, value in fields.items()})
    return (
        queryset.order_by()
        .annotate(record_kind=Value(record_kind, output_field=CharField()), record=data)
        .values_list("record_kind", "record")
    )


def _union(branches: list[QuerySet | None]) -> list[tuple[str, dict]]:
    present = [b for b in branches if b is not None]
    if not present:
        return []
    first, *rest = present
    return list(first.union(*rest, all=True)) if rest else list(first)


# Turning the rows into what the templates read ------------------------------------------------------


def _day(value) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _moment(value) -> datetime | None:
    """A timestamp as SQLite (naive UTC text) or PostgreSQL (ISO with offset) writes it in JSON."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _display(model, field_name: str, value) -> str:
    return str(_labels(model, field_name).get(value, value))


@cache
def _labels(model, field_name: str) -> dict:
    """A field's choices by value: worked out once, not for every record (``flatchoices`` normalises them each time)."""
    return dict(model._meta.get_field(field_name).flatchoices)


def _assemble(rows: list[tuple[str, dict]], *, read_history: bool) -> Case:
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for kind, record in rows:
        by_kind[kind].append(record)
    case = Case(category_history=[] if read_history else None)

    newest_first = sorted(
        by_kind["link"], key=lambda r: (r["established_on"] is None, _neg(r["established_on"]), r["linked_urn"])
    )
    for r in newest_first:
        link = SimpleNamespace(
            link_type=r["link_type"],
            linked_urn=r["linked_urn"],
            linked_name=r["linked_name"],
            established_on=_day(r["established_on"]),
        )
        case.links.append((link, bool(r["visible"])))

    for r in sorted(by_kind["note"], key=lambda r: (r["noted_on"], r["created_at"] or ""), reverse=True):
        case.notes.append(
            SimpleNamespace(
                get_area_display=_display(IntelligenceNote, "area", r["area"]),
                noted_on=_day(r["noted_on"]),
                risk_grade=r["risk_grade"],
                get_risk_grade_display=_display(IntelligenceNote, "risk_grade", r["risk_grade"]),
                text=r["text"],
                source=r["source"],
                author=r["author"] or "",
                get_visibility_display=_display(IntelligenceNote, "visibility", r["visibility"]),
            )
        )

    if read_history:
        for r in sorted(by_kind["category"], key=lambda r: (_moment(r["decided_at"]), r["pk"]), reverse=True):
            case.category_history.append(
                SimpleNamespace(
                    decided_at=_moment(r["decided_at"]),
                    previous=SimpleNamespace(label=r["previous"]) if r["previous"] else None,
                    category=SimpleNamespace(label=r["category"]),
                    decided_by=r["decided_by"],
                    get_kind_display=_display(CategoryDecision, "kind", r["kind"]),
                    rationale=r["rationale"],
                    version=SimpleNamespace(framework=SimpleNamespace(name=r["framework"]), number=r["version"]),
                )
            )

    for r in by_kind["entry"][:1]:
        case.entry = SimpleNamespace(
            pk=r["pk"],
            status=r["status"],
            get_status_display=_display(PriorityEntry, "status", r["status"]),
            academic_year=r["academic_year"],
            get_reason_display=_display(PriorityEntry, "reason", r["reason"]),
        )

    for r in sorted(by_kind["decision"], key=lambda r: (_moment(r["decided_at"]), r["pk"]), reverse=True):
        case.decisions.append(
            SimpleNamespace(
                pk=r["pk"],
                decided_at=_moment(r["decided_at"]),
                get_kind_display=_display(Decision, "kind", r["kind"]),
                outcome=r["outcome"],
                rationale=r["rationale"],
                removal_override=r["removal_override"],
                decided_by=r["decided_by"],
                meeting=SimpleNamespace(meets_on=_day(r["meeting_on"])) if r["meeting_on"] else None,
            )
        )

    for r in sorted(by_kind["letter"], key=lambda r: (r["dated"], r["pk"]), reverse=True):
        case.letters.append(SimpleNamespace(pk=r["pk"], subject=r["subject"], sent_on=_day(r["sent_on"])))

    for r in sorted(by_kind["notice"], key=lambda r: (_moment(r["created_at"]), r["pk"]), reverse=True):
        case.notices.append(
            SimpleNamespace(
                pk=r["pk"],
                get_status_display=_display(WarningNotice, "status", r["status"]),
                compliance_deadline=_day(r["compliance_deadline"]),
            )
        )

    for r in sorted(by_kind["escalation"], key=lambda r: (r["raised_on"], r["pk"]), reverse=True):
        case.escalations.append(
            SimpleNamespace(
                raised_on=_day(r["raised_on"]),
                raised_by=r["raised_by"] or "",
                reason=r["reason"],
                get_status_display=_display(Escalation, "status", r["status"]),
            )
        )

    for r in sorted(by_kind["inspection_notice"], key=lambda r: (r["starts_on"], r["pk"]), reverse=True):
        case.inspection_notices.append(
            SimpleNamespace(
                pk=r["pk"], starts_on=_day(r["starts_on"]), partner_attending=r["partner_attending"] or None
            )
        )
    return case


def _neg(value):
    """A descending sort key for an ISO date string (the key is negated day number)."""
    return -date.fromisoformat(value[:10]).toordinal() if value else 0
