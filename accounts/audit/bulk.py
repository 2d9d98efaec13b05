"""History for bulk writes, written in bulk too.

Jobs and imports change thousands of rows at a time with ``bulk_create``, ``bulk_update``,
queryset updates, ``COPY`` and ``INSERT … SELECT``. Their history rows are written the same way:
one ``INSERT … SELECT`` from the changed rows (``record``), or within the very statement that
writes them (``with_history``, PostgreSQL), attributed to the actor of
``accounts.audit.context``. Rows a write leaves as they were get no history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.db.models import Q, QuerySet
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.audit.context import current_actor

CREATED, CHANGED, DELETED = "+", "~", "-"
CHUNK = 5000
# Records named by a key of several fields are matched with one OR of ANDs, which SQLite's parser
# nests one level per term and refuses past 1000 levels.
COMPOSITE_CHUNK = 500


def is_audited(model: type[models.Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def history_model(model: type[models.Model]) -> type[models.Model]:
    return getattr(model, model._meta.simple_history_manager_attribute).model


def _actor() -> tuple[int | None, str | None]:
    actor = current_actor()
    user = actor.user
    if user is None:
        request = getattr(HistoricalRecords.context, "request", None)
        user = getattr(request, "user", None)
        if not getattr(user, "is_authenticated", False):
            user = None
    return (user.pk if user is not None else None), actor.reason


def bulk_create(model: type[models.Model], objs: Iterable[models.Model], **kwargs) -> list[models.Model]:
    """``bulk_create`` with a history row for each new record."""
    objs = list(objs)
    if not objs:
        return []
    return bulk_create_with_history(objs, model, default_change_reason=current_actor().reason, **kwargs)


def bulk_update(model: type[models.Model], objs: Sequence[models.Model], fields: list[str], **kwargs) -> int:
    """``bulk_update`` with a history row for each record; give only records that changed."""
    if not objs:
        return 0
    return bulk_update_with_history(objs, model, fields, default_change_reason=current_actor().reason, **kwargs)


def update(queryset: QuerySet, **values: Any) -> int:
    """A queryset ``update`` that changes only the rows that differ and records each of them."""
    model = queryset.model
    pks = list(queryset.exclude(**values).values_list("pk", flat=True))
    for chunk in _chunks(pks):
        model._default_manager.filter(pk__in=chunk).update(**values)
        record(model._default_manager.filter(pk__in=chunk), CHANGED)
    return len(pks)


def record(queryset: QuerySet, history_type: str, *, when: datetime | None = None) -> int:
    """Write one history row for each row of ``queryset`` as it now stands, in one
    ``INSERT … SELECT``; returns how many."""
    model = queryset.model
    target = HistoryTable(model)
    select_sql, select_params = (
        queryset.order_by().values_list(*(f.attname for f in target.fields)).query.sql_with_params()
    )
    user_id, reason = _actor()
    with connection.cursor() as cursor:
        cursor.execute(
            # Identifiers come from model metadata, quoted by the backend; values are parameters.
            f"INSERT INTO {target.table} ({target.columns}, {target.extra_columns}) "  # noqa: S608
            f"SELECT written.*, %s, %s, %s, %s FROM ({select_sql}) written",
            [target.stamp(when), history_type, user_id, reason, *select_params],
        )
        return cursor.rowcount


def record_keys(model: type[models.Model], key: Sequence[str], keys: Iterable[tuple], history_type: str) -> int:
    """``record`` for the rows with these natural keys (tuples of ``key``'s fields)."""
    written = 0
    for chunk in _chunks(sorted(set(keys)), CHUNK if len(key) == 1 else COMPOSITE_CHUNK):
        if len(key) == 1:
            condition = Q(**{f"{key[0]}__in": [k[0] for k in chunk]})
        else:
            condition = Q()
            for values in chunk:
                condition |= Q(**dict(zip(key, values, strict=True)))
        written += record(model._default_manager.filter(condition), history_type)
    return written


def with_history(model: type[models.Model], insert_sql: str, created: str) -> tuple[str, list]:
    """Wrap a PostgreSQL ``INSERT … ON CONFLICT DO UPDATE`` so that every row it writes is also
    written to the history table, in the same statement: ``created`` is the SQL that tells a
    new row from an updated one among the written rows. Returns the SQL and the parameters to
    add after the insert's own."""
    target = HistoryTable(model)
    user_id, reason = _actor()
    sql = (
        f"WITH written AS ({insert_sql} RETURNING {target.columns}, ({created}) AS _created) "  # noqa: S608 - quoted identifiers only
        f"INSERT INTO {target.table} ({target.columns}, {target.extra_columns}) "
        f"SELECT {target.columns}, %s, CASE WHEN _created THEN '{CREATED}' ELSE '{CHANGED}' END, %s, %s FROM written"
    )
    return sql, [target.stamp(None), user_id, reason]


class HistoryTable:
    """The history table of an audited model, for SQL written by hand."""

    def __init__(self, model: type[models.Model]):
        history = history_model(model)
        quote = connection.ops.quote_name
        self.fields = list(history.tracked_fields)
        self.table = quote(history._meta.db_table)
        self.columns = ", ".join(quote(f.column) for f in self.fields)
        self.extra_columns = ", ".join(
            quote(history._meta.get_field(name).column)
            for name in ("history_date", "history_type", "history_user", "history_change_reason")
        )

    @staticmethod
    def stamp(when: datetime | None):
        return connection.ops.adapt_datetimefield_value(when or timezone.now())


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
