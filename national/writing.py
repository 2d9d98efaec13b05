"""Writing the generated rows fast: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere (SQLite).

Rows carry their ids, so that every part can point at another's rows without reading them back;
after writing, PostgreSQL's sequences are moved past them. Emptying the tables first takes with
them every table that points at them (as ``TRUNCATE … CASCADE`` does) and the audit trail of
all of them: the ids start again from 1, and a history row of an old record must not read as
the history of a new one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import islice
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone
from psycopg.types.json import Jsonb

from accounts.audit.bulk import history_model, is_audited

BATCH = 2000  # rows per bulk_create on SQLite (its limit on variables per statement allows this)


class _Required:
    def __repr__(self) -> str:
        return "required"


REQUIRED = _Required()


def chunked(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Writer:
    """Writes rows (field attname → value, ids included) into a model's table and counts them.

    A field a row leaves out takes its default, "" or NULL; the automatic timestamps
    (``auto_now``, ``auto_now_add``, ``default=timezone.now``) take ``stamp`` unless the row
    gives one, so that no generated row depends on the moment it was written.
    """

    def __init__(self, stamp: datetime) -> None:
        self.stamp = stamp
        self.counts: Counter[str] = Counter()
        self.models: list[type[models.Model]] = []
        self.postgresql = connection.vendor == "postgresql"

    def rows(self, model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
        fields = list(model._meta.concrete_fields)
        names = [f.attname for f in fields]
        fill = [self._fill(f) for f in fields]

        def as_tuples() -> Iterator[tuple]:
            for row in rows:
                values = tuple(row.get(name, default) for name, default in zip(names, fill, strict=True))
                if REQUIRED in values:
                    missing = [n for n, v in zip(names, values, strict=True) if v is REQUIRED]
                    raise KeyError(f"{model.__name__}: {', '.join(missing)} required")
                yield values

        return self.tuples(model, names, as_tuples())

    def tuples(self, model: type[models.Model], names: Sequence[str], rows: Iterable[tuple]) -> int:
        """Rows as tuples of the fields ``names`` (the fast way for the largest tables)."""
        if model not in self.models:
            self.models.append(model)
        written = self._copy(model, names, rows) if self.postgresql else self._bulk_create(model, names, rows)
        self.counts[label(model)] += written
        return written

    def _fill(self, field: models.Field) -> Any:
        if field.primary_key:
            return REQUIRED
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.stamp if isinstance(field, models.DateTimeField) else self.stamp.date()
        if field.has_default():
            if field.default is timezone.now:
                return self.stamp
            if field.default is timezone.localdate:
                return self.stamp.date()
            return field.get_default()
        if field.null:
            return None
        if field.empty_strings_allowed:
            return ""
        return REQUIRED

    def _copy(self, model: type[models.Model], names: Sequence[str], rows: Iterable[tuple]) -> int:
        fields = [model._meta.get_field(name) for name in names]  # attnames are known to get_field
        json_at = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        written = 0
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                if json_at:
                    row = list(row)  # the JSON cells are wrapped for the driver
                    for i in json_at:
                        row[i] = Jsonb(row[i])
                copy.write_row(row)
                written += 1
        return written

    def _bulk_create(self, model: type[models.Model], names: Sequence[str], rows: Iterable[tuple]) -> int:
        written = 0
        with _timestamps_as_given(model):
            for chunk in chunked(rows, BATCH):
                model.objects.bulk_create([model(**dict(zip(names, row, strict=True))) for row in chunk])
                written += len(chunk)
        return written

    def reset_sequences(self) -> None:
        """After writing explicit ids on PostgreSQL, point each table's id sequence past its rows."""
        if not self.postgresql:
            return
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(statement)

    def analyse(self) -> None:
        """Fresh statistics for the planner (PostgreSQL; SQLite plans without them)."""
        if not self.postgresql:
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model in self.models:
                cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


def label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


@contextmanager
def _timestamps_as_given(model: type[models.Model]) -> Iterator[None]:
    """``bulk_create`` overwrites ``auto_now``/``auto_now_add`` fields with the time of writing;
    the generated rows carry their own, so those fields stay as given while they are written."""
    fields = [
        f for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


# Emptying ---------------------------------------------------------------------------------


def dependants(filled: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    """``filled`` and every table that points at one of them, directly or not, through a
    foreign key the database enforces (what ``TRUNCATE … CASCADE`` would empty)."""
    found = list(dict.fromkeys(filled))
    every = apps.get_models(include_auto_created=True)
    grew = True
    while grew:
        grew = False
        for model in every:
            if model in found or model._meta.proxy:
                continue
            for f in model._meta.concrete_fields:
                if f.is_relation and getattr(f, "db_constraint", False) and f.related_model in found:
                    found.append(model)
                    grew = True
                    break
    return found


def empty(filled: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    """Empty ``filled``, the tables that point at them and the audit trail of all of these, ids
    starting again from 1. Returns the tables emptied."""
    tables = dependants(filled)
    tables += [history_model(m) for m in list(tables) if is_audited(m)]
    quote = connection.ops.quote_name
    names = [m._meta.db_table for m in tables]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Rows written earlier in the same transaction (a test's, or a caller's) have their
            # deferred foreign-key checks pending, which TRUNCATE refuses: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(quote(n) for n in names)} RESTART IDENTITY CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            # Foreign keys are checked when the transaction commits, so the order does not matter.
            for name in names:
                cursor.execute(f"DELETE FROM {quote(name)}")  # noqa: S608 - table names from model metadata
            cursor.execute(
                f"DELETE FROM sqlite_sequence WHERE name IN ({', '.join(['%s'] * len(names))})",  # noqa: S608
                names,
            )
    return tables
