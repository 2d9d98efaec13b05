"""Reading the audit trail back: each history row as a change (who or which job, when, which
record, and field: before → after), for a school's History page and the administrators' search.

Every audited model has its own history table. A page of changes is one ``UNION ALL`` over the
tables concerned, ordered by date and cut to the page; then, for each kind of record on the page,
one query for its rows (with the row before each) and one for their previous versions, and one
per kind of related record named in the changes. The number of queries depends on the kinds of
record on the page, never on the number of changes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.template.defaultfilters import date as format_date
from django.utils import timezone
from django.utils.text import capfirst

from accounts.audit.bulk import CHANGED, CREATED, DELETED, history_model, is_audited
from accounts.authorities import authority_condition, current_authority_id

PAGE_SIZE = 25
LONGEST_VALUE = 500
ACTIONS = {CREATED: "Created", CHANGED: "Changed", DELETED: "Deleted"}

# Records that belong to a school through another record rather than naming it themselves.
THROUGH = {
    "support.visitreport": "visit",
    "support.entitlementadjustment": "package",
    "support.allocation": "package",
    "support.priority": "plan",
    "support.milestone": "plan",
    "support.action": "priority",
    "support.meetingaction": "meeting",
}
# The field that names a related record on the page, in order of preference.
LABEL_FIELDS = ("full_name", "label", "name", "title", "inspection_number")
# Records without a page of their own link to the page of the record they belong to (a path of keys).
PARENT_PAGE = {
    "support.visitreport": "visit",
    "support.priority": "plan",
    "support.action": "priority__plan",
    "support.milestone": "plan",
    "support.partnertraining": "record",
    "boards.decision": "meeting",
    "boards.agendaitem": "meeting",
    "boards.decisionvote": "decision__meeting",
    "boards.concernaction": "meeting",
    "boards.conferenceattendee": "meeting",
}


@dataclass(frozen=True)
class RecordType:
    index: int
    key: str
    label: str
    model: type[models.Model]

    @property
    def history(self) -> type[models.Model]:
        return history_model(self.model)

    @property
    def pk_name(self) -> str:
        return self.model._meta.pk.attname


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Entry:
    when: datetime
    action: str
    record_type: str
    record_id: Any
    person: str
    job: str
    changes: list[Change] = field(default_factory=list)
    values: list[Change] = field(default_factory=list)
    earlier_unknown: bool = False
    school: tuple[int, str] | None = None
    record_name: str = ""
    record_url: str = ""


@cache
def record_types() -> tuple[RecordType, ...]:
    """Every audited model, in order of its label."""
    audited = sorted((m for m in apps.get_models() if is_audited(m)), key=lambda m: str(m._meta.verbose_name).lower())
    return tuple(
        RecordType(i, m._meta.label_lower, capfirst(str(m._meta.verbose_name)), m) for i, m in enumerate(audited)
    )


# The school's records ----------------------------------------------------------------------------


def _school_model() -> type[models.Model]:
    """The school, by name (as ``SchoolAssignment``'s key names it): the audit trail sits below
    the schools app, which it must not import."""
    return apps.get_model("schools", "School")


def _school_condition(model: type[models.Model], school_id: int) -> Q | None:
    """Which history rows of ``model`` are about the school: by its own id, its ``school``, or
    through the history of the record it belongs to (so deleted records still count)."""
    if model is _school_model():
        return Q(id=school_id)
    names = {f.name: f for f in model._meta.concrete_fields}
    if "school" in names and names["school"].related_model is _school_model():
        return Q(school_id=school_id)
    via = THROUGH.get(model._meta.label_lower)
    if via is None:
        return None
    parent = names[via].related_model
    parent_rows = history_model(parent).objects.filter(_school_condition(parent, school_id)).order_by()
    return Q(**{f"{via}_id__in": parent_rows.values(parent._meta.pk.attname)})


def _ours(kind: RecordType) -> QuerySet:
    """The history rows of the authority the code works in: its case records' and its people's
    (``accounts.authorities.authority_condition``), with the shared register's."""
    condition = authority_condition(kind.model, current_authority_id())
    rows = kind.history.objects.all()
    return rows if condition is None else rows.filter(condition)


def school_history(school) -> QuerySet:
    """Every recorded change to the school and to the authority's records about it, newest first."""
    branches = []
    for kind in record_types():
        condition = _school_condition(kind.model, school.pk)
        if condition is not None:
            branches.append(_branch(kind, _ours(kind).filter(condition)))
    return _combined(branches)


def search(filterset) -> QuerySet:
    """Changes of every kind (or the kind chosen), the authority's, filtered by person and dates,
    newest first. ``filterset`` is a bound, valid ``accounts.audit.filters.AuditFilter``."""
    chosen = filterset.form.cleaned_data.get("record_type")
    kinds = [k for k in record_types() if not chosen or k.key == chosen]
    return _combined([_branch(k, filterset.filter_queryset(_ours(k))) for k in kinds])


def _branch(kind: RecordType, rows: QuerySet) -> QuerySet:
    return (
        rows.order_by()
        .annotate(record_type=Value(kind.index, output_field=IntegerField()))
        .values_list("history_date", "record_type", "history_id")
    )


def _combined(branches: list[QuerySet]) -> QuerySet:
    first, *rest = branches
    return first.union(*rest, all=True).order_by("-history_date", "record_type", "-history_id")


def page_of(changes: QuerySet, number, *, with_schools: bool = False) -> tuple[Page, list[Entry]]:
    """One page of changes, described."""
    page = Paginator(changes, PAGE_SIZE).get_page(number)
    return page, describe(list(page.object_list), with_schools=with_schools)


# Describing changes -------------------------------------------------------------------------------


def describe(rows: Iterable[tuple[datetime, int, int]], *, with_schools: bool = False) -> list[Entry]:
    """Entries for (date, record type, history id) rows, in their order."""
    rows = list(rows)
    wanted: dict[int, list[int]] = defaultdict(list)
    for _, index, history_id in rows:
        wanted[index].append(history_id)
    kinds = record_types()
    found: dict[tuple[int, int], tuple[Any, Any]] = {}
    for index, ids in wanted.items():
        for record, previous in _with_previous(kinds[index], ids):
            found[index, record.history_id] = (record, previous)
    labels, links = _Labels(), _Links()
    drafts = []
    for _, index, history_id in rows:
        record, previous = found[index, history_id]
        drafts.append(_draft(kinds[index], record, previous, labels, with_schools))
        links.want(kinds[index], getattr(record, kinds[index].pk_name))
    labels.fetch()
    links.fetch()
    return [links.named(draft(labels)) for draft in drafts]


def _with_previous(kind: RecordType, ids: list[int]) -> list[tuple[Any, Any]]:
    history, pk_name = kind.history, kind.pk_name
    before = (
        history.objects.filter(**{pk_name: OuterRef(pk_name)}, history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    records = list(
        history.objects.filter(history_id__in=ids)
        .select_related("history_user")
        .annotate(audit_before_id=Subquery(before))
    )
    earlier = {r.audit_before_id for r in records if r.history_type == CHANGED and r.audit_before_id}
    previous = history.objects.in_bulk(list(earlier)) if earlier else {}
    return [(r, previous.get(r.audit_before_id)) for r in records]


def _fields(kind: RecordType) -> list[models.Field]:
    tracked = {f.name for f in kind.history.tracked_fields}
    return [
        f
        for f in kind.model._meta.concrete_fields
        if f.name in tracked and not f.primary_key and not getattr(f, "auto_now", False)
    ]


def _draft(kind: RecordType, record, previous, labels: _Labels, with_schools: bool):
    """Read what the entry needs now; name related records once every name is known."""
    fields = _fields(kind)
    changes, values = [], []
    if record.history_type == CHANGED and previous is not None:
        for f in fields:
            old, new = getattr(previous, f.attname), getattr(record, f.attname)
            if old != new:
                changes.append((f, old, new))
    else:
        values = [(f, getattr(record, f.attname)) for f in fields]
        values = [(f, value) for f, value in values if value not in (None, "", [], {})]
    for f, *shown in [*changes, *values]:
        if f.is_relation:
            labels.want(f.related_model, *shown)
    school_id, school = None, _school_model()
    if with_schools:
        school_id = getattr(record, kind.pk_name) if kind.model is school else getattr(record, "school_id", None)
    if school_id:
        labels.want(school, school_id)

    def finish(names: _Labels) -> Entry:
        user = record.history_user
        return Entry(
            when=record.history_date,
            action=ACTIONS.get(record.history_type, record.history_type),
            record_type=kind.label,
            record_id=getattr(record, kind.pk_name),
            person=(user.full_name or user.email) if user else "",
            job=record.history_change_reason or "",
            changes=[Change(_name(f), _show(f, old, names), _show(f, new, names)) for f, old, new in changes],
            values=[Change(_name(f), "", _show(f, value, names)) for f, value in values],
            earlier_unknown=record.history_type == CHANGED and previous is None,
            school=(_school_urn(names, school_id)) if school_id else None,
        )

    return finish


def _school_urn(names: _Labels, school_id: int) -> tuple[int, str] | None:
    school = names.records.get((_school_model(), school_id))
    return (school["urn"], school["name"]) if school else None


def _name(f: models.Field) -> str:
    return capfirst(str(f.verbose_name))


def _show(f: models.Field, value, names: _Labels) -> str:
    """A value as people read it: the label of a choice, the name of a related record, a date
    in words."""
    if value is None or value == "":
        return "none"
    if f.is_relation:
        return names.label(f.related_model, value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return format_date(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, date):
        return format_date(value, "j F Y")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        text = "; ".join(value) or "none"
    elif isinstance(value, list | dict):
        text = json.dumps(value, default=str, ensure_ascii=False)
    else:
        text = str(value)
    return text if len(text) <= LONGEST_VALUE else text[: LONGEST_VALUE - 1] + "…"


class _Labels:
    """Names of the related records the entries mention, read in one query per kind."""

    def __init__(self):
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.records: dict[tuple[type[models.Model], Any], dict] = {}

    def want(self, model: type[models.Model], *pks) -> None:
        self.wanted[model].update(pk for pk in pks if pk not in (None, ""))

    def fetch(self) -> None:
        for model, pks in self.wanted.items():
            names = {f.name for f in model._meta.concrete_fields}
            columns = ["pk", *(n for n in (*LABEL_FIELDS, "urn", "email") if n in names)]
            for row in model._default_manager.filter(pk__in=pks).order_by().values(*columns):
                self.records[model, row["pk"]] = row

    def label(self, model: type[models.Model], pk) -> str:
        row = self.records.get((model, pk))
        kind = capfirst(str(model._meta.verbose_name))
        if row is None:
            return f"{kind} {pk} (deleted)"
        for name in LABEL_FIELDS:
            if row.get(name):
                return str(row[name])
        return f"{kind} {pk}"


class _Links:
    """Each record's name and the address of its page (or of the page of the record it belongs to,
    ``PARENT_PAGE``), read in one query per kind of record, with what its name and address need."""

    def __init__(self):
        self.wanted: dict[RecordType, set] = defaultdict(set)
        self.found: dict[tuple[str, Any], tuple[str, str]] = {}

    def want(self, kind: RecordType, pk) -> None:
        self.wanted[kind].add(pk)

    def fetch(self) -> None:
        for kind, pks in self.wanted.items():
            parent = PARENT_PAGE.get(kind.key)
            records = kind.model._default_manager.filter(pk__in=pks).select_related(*_joins(kind.model, parent))
            for record in records:
                self.found[kind.label, record.pk] = (str(record), _address(record, parent))

    def named(self, entry: Entry) -> Entry:
        name, url = self.found.get((entry.record_type, entry.record_id), ("", ""))
        entry.record_name, entry.record_url = name, url
        return entry


def _joins(model: type[models.Model], parent: str | None) -> list[str]:
    """The record's own related records (its name may use them) and, along the path to the record
    whose page it links to, that record's (its address may use them)."""
    joins = [f.name for f in model._meta.concrete_fields if f.many_to_one]
    if parent:
        target = model
        for step in parent.split("__"):
            target = target._meta.get_field(step).related_model
        joins.append(parent)
        joins += [f"{parent}__{f.name}" for f in target._meta.concrete_fields if f.many_to_one]
    return joins


def _address(record: models.Model, parent: str | None) -> str:
    for step in parent.split("__") if parent else ():
        record = getattr(record, step)
        if record is None:
            return ""
    return record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
