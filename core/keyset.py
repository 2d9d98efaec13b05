"""Keyset pages of an ordered list: the next page is the rows after the last one shown (``after``),
the previous page the rows before the first (``before``), each named by a unique key (a school's
URN), so a page far down the list reads its own rows through the order's index instead of counting
past every row before it, as ``OFFSET`` does.

The list keeps its numbered labels ("Page 3 of 40", "showing 101 to 150"): the number a link
carries is a label only, and the total comes from the caller (kept or counted once). A page reached
by number alone (an old bookmark, ``?page=7``) is read by offset, as before.

Nulls sort as PostgreSQL sorts them by default (last going up, first going down) on every database,
so that the rows after a key are the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy


@dataclass(frozen=True)
class Key:
    """One column of the order: the lookup (``la__name``), whether it goes down, whether it may be null."""

    lookup: str
    descending: bool = False
    nullable: bool = False

    @classmethod
    def of(cls, queryset: QuerySet, term: str) -> Key:
        lookup = term.lstrip("-")
        return cls(lookup, term.startswith("-"), _nullable(queryset.model, lookup))

    def reversed(self) -> Key:
        return Key(self.lookup, not self.descending, self.nullable)

    def order(self) -> OrderBy:
        column = F(self.lookup)
        return column.desc(nulls_first=True) if self.descending else column.asc(nulls_last=True)

    def past(self, value) -> Q:
        """Rows strictly after ``value`` in this column's order (nulls last going up, first going down)."""
        if self.descending:
            return Q(**{f"{self.lookup}__isnull": False}) if value is None else Q(**{f"{self.lookup}__lt": value})
        if value is None:
            return Q(pk__in=[])
        after = Q(**{f"{self.lookup}__gt": value})
        return after | Q(**{f"{self.lookup}__isnull": True}) if self.nullable else after

    def at_or_past(self, value) -> Q:
        """``past`` or equal: said once more beside the full condition, so that an index on the first
        column of the order can start at the key."""
        if self.descending:
            return Q() if value is None else Q(**{f"{self.lookup}__lte": value})
        if value is None:
            return Q(**{f"{self.lookup}__isnull": True})
        at = Q(**{f"{self.lookup}__gte": value})
        return at | Q(**{f"{self.lookup}__isnull": True}) if self.nullable else at

    def same(self, value) -> Q:
        return Q(**{f"{self.lookup}__isnull": True}) if value is None else Q(**{self.lookup: value})


def _nullable(model, lookup: str) -> bool:
    """Whether any field on the way to the column may be null."""
    nullable = False
    for part in lookup.split("__"):
        found = model._meta.get_field(part)
        nullable = nullable or found.null
        model = found.related_model or model
    return nullable


def past(keys: list[Key], values: list) -> Q:
    """Rows after the row whose order values are ``values``: past it on the first column, or equal there
    and past it on the rest."""
    key, value = keys[0], values[0]
    if len(keys) == 1:
        return key.past(value)
    return key.past(value) | (key.same(value) & past(keys[1:], values[1:]))


@dataclass
class Counted:
    """What a numbered page's template reads of its paginator."""

    count: int
    per_page: int

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))


@dataclass
class KeysetPage:
    """A page read by key, with what the shared pagination partial reads of a Django ``Page``, and the
    keys of its first and last rows for the links to the pages before and after it."""

    object_list: list
    number: int
    paginator: Counted
    has_next: bool
    has_previous: bool
    first_key: object = None
    last_key: object = None
    keyset: bool = field(default=True)

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return max(1, self.number - 1)

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0

    def __len__(self) -> int:
        return len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)


def order_of(queryset: QuerySet, unique: str) -> list[Key]:
    """The queryset's order as keys, ending with the unique key (added if the order lacks it)."""
    terms = [str(term) for term in queryset.query.order_by] or list(queryset.model._meta.ordering)
    if any(not isinstance(term, str) for term in queryset.query.order_by):
        raise ValueError("A keyset page needs an order of field names")
    keys = [Key.of(queryset, term) for term in terms]
    if unique not in [k.lookup for k in keys]:
        keys.append(Key(unique))
    # The first time a column appears decides its direction; later repeats add nothing.
    seen, distinct = set(), []
    for key in keys:
        if key.lookup not in seen:
            seen.add(key.lookup)
            distinct.append(key)
    return distinct[: [k.lookup for k in distinct].index(unique) + 1]


def in_order(queryset: QuerySet, unique: str) -> QuerySet:
    """The queryset in its order as ``page_after`` reads it (nulls placed alike on every database), for
    the pages read by offset to agree with those read by key."""
    return queryset.order_by(*(key.order() for key in order_of(queryset, unique)))


def page_after(
    queryset: QuerySet,
    *,
    unique: str,
    size: int,
    count: int,
    number: int = 1,
    after=None,
    before=None,
    rows=None,
) -> KeysetPage:
    """The ``size`` rows of ``queryset`` (ordered by field names) after the row whose ``unique`` key is
    ``after``, or before the one whose key is ``before``, or the first rows; ``number`` labels it.
    The page's rows are found by their keys first (``values``: only the order's columns), then read
    whole through ``rows(keys)`` (by default ``queryset`` filtered to them), in order."""
    keys = order_of(queryset, unique)
    lookups = [k.lookup for k in keys]
    boundary = after if after is not None else before
    going_back = after is None and before is not None
    narrow = queryset
    if boundary is not None:
        # Looked for in the list itself: a key the person may not see, or no longer in the list, names nothing.
        found = queryset.filter(**{unique: boundary}).values_list(*lookups).first()
        if found is None:  # the row the link named is gone: start again from the first page
            boundary, going_back, number = None, False, 1
        else:
            walk = [k.reversed() for k in keys] if going_back else keys
            narrow = queryset.filter(walk[0].at_or_past(found[0]), past(walk, list(found)))
    walk = [k.reversed() for k in keys] if going_back else keys
    found_keys = list(narrow.order_by(*(k.order() for k in walk)).values_list(unique, flat=True)[: size + 1])
    more = len(found_keys) > size
    found_keys = found_keys[:size]
    if going_back:
        found_keys.reverse()
        if not more:  # nothing before these: this is the first page, read whole
            return page_after(queryset, unique=unique, size=size, count=count, rows=rows)
    elif boundary is not None and not found_keys:  # nothing after the last school: the first page
        return page_after(queryset, unique=unique, size=size, count=count, rows=rows)
    read = rows or (lambda wanted: queryset.filter(**{f"{unique}__in": wanted}))
    by_key = {getattr(row, unique): row for row in read(found_keys)}
    object_list = [by_key[k] for k in found_keys if k in by_key]
    paginator = Counted(count, size)
    if boundary is None:
        number = 1
    number = min(max(1, number), paginator.num_pages)
    return KeysetPage(
        object_list=object_list,
        number=number,
        paginator=paginator,
        has_next=True if going_back else more,
        has_previous=boundary is not None and (more if going_back else True),
        first_key=found_keys[0] if found_keys else None,
        last_key=found_keys[-1] if found_keys else None,
    )
