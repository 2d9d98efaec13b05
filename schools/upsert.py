"""Bulk upsert by natural key, counting what was created, updated and left unchanged.

Two ways to the same result. On PostgreSQL the records are streamed with ``COPY`` into a
temporary table, counted against the target with one join, and written with one
``INSERT … ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT FROM`` — so a national register
loads in about a second and an unchanged file writes nothing. Elsewhere (SQLite, the demo and
the bare test run) current values are read back and compared in Python, and the new or
changed records are written with ``bulk_create(update_conflicts=True)``. The test suite runs
on both.

Audited models (the register and the inspections) get a history row for each record created or
changed, never for one left as it was: on PostgreSQL in the same statement as the upsert, elsewhere
with one ``INSERT … SELECT`` per few thousand records (``accounts.audit.bulk``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.utils import timezone

from accounts.audit import bulk as audit

BATCH_SIZE = 1000
LOOKUP_CHUNK = 5000
STAGE = "upsert_stage"
STORE_EVERY = 1000  # records a journal that can store them holds before it does


@dataclass
class Journal:
    """What an upsert did to each record, so that it can be undone: the model, the record's
    natural key, ``created`` or ``updated``, and the values it had before of the fields the
    update changed.

    Kept as each upsert gives it, a batch at a time (the keys of the records created; the keys
    of those updated with the fields that changed, as they were); ``entries`` spells them out one
    record at a time. Given ``store``, the journal hands it what it holds, in the order journalled,
    whenever that reaches ``STORE_EVERY`` records, and keeps only their keys: an import that
    changes every school of a national register never holds every school's old values at once."""

    batches: list[tuple[type[models.Model], tuple[str, ...], str, list]] = field(default_factory=list)
    store: Callable[[list[tuple[type[models.Model], tuple[str, ...], str, list]]], None] | None = None
    stored: list[tuple[type[models.Model], tuple[str, ...], str, list[tuple]]] = field(default_factory=list)

    def created(self, model: type[models.Model], key: tuple[str, ...], values: Iterable[tuple]) -> None:
        self._hold((model, key, "created", list(values)))

    def updated(self, model: type[models.Model], key: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> None:
        self._hold((model, key, "updated", list(rows)))

    def _hold(self, batch: tuple[type[models.Model], tuple[str, ...], str, list]) -> None:
        self.batches.append(batch)
        if self.store is not None and sum(len(items) for *_, items in self.batches) >= STORE_EVERY:
            self.flush()

    def flush(self) -> None:
        """Hand what the journal holds to ``store``, keeping only each record's key."""
        if self.store is None or not self.batches:
            return
        self.store(self.batches)
        for model, key, action, items in self.batches:
            keys = items if action == "created" else [tuple(row[k] for k in key) for row in items]
            self.stored.append((model, key, action, keys))
        self.batches = []

    @property
    def entries(self) -> Iterator[tuple[type[models.Model], dict[str, Any], str, dict[str, Any]]]:
        """The records held (not yet stored), each with its values before."""
        for batch in self.batches:
            yield from self.batch_entries(batch)

    def journalled(self) -> Iterator[tuple[type[models.Model], dict[str, Any], str]]:
        """Every record journalled, stored or held: its model, natural key and action."""
        for model, key, action, items in self.stored:
            for values in items:
                yield model, dict(zip(key, values, strict=True)), action
        for model, key, action, _before in self.entries:
            yield model, key, action

    @staticmethod
    def batch_entries(batch: tuple) -> Iterator[tuple[type[models.Model], dict[str, Any], str, dict[str, Any]]]:
        model, key, action, items = batch
        if action == "created":
            return ((model, dict(zip(key, values, strict=True)), action, {}) for values in items)
        return (
            (model, {k: row[k] for k in key}, action, {f: v for f, v in row.items() if f not in key}) for row in items
        )


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)
    # Schools a file names that the register lacks: URN → (line, name, LA) as the file gives them.
    unknown: dict[int, tuple[int, str, str]] = field(default_factory=dict)
    unknown_lines: set[int] = field(default_factory=set)
    # Rows set aside by the import with a warning (an Ofsted row for a Welsh school).
    set_aside_lines: set[int] = field(default_factory=set)

    def add(self, other: Outcome) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


def chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _changed_fields(row: tuple, key: tuple[str, ...], fields: list[str]) -> dict[str, Any]:
    """A journal row of an update from a row of its key, the fields' values before and after:
    the key and the values before of only the fields that change."""
    n = len(key)
    was, now = row[n : n + len(fields)], row[n + len(fields) :]
    return {
        **dict(zip(key, row[:n], strict=True)),
        **{f: old for f, old, new in zip(fields, was, now, strict=True) if old != new},
    }


def upsert(
    model: type[models.Model],
    records: list[dict[str, Any]],
    *,
    key: tuple[str, ...],
    dry_run: bool,
    scope: dict | None = None,
    journal: Journal | None = None,
) -> Outcome:
    """Create new records and update changed ones by natural key; leave the rest untouched.

    ``records`` are dicts of field attnames (``la_id``, not ``la``); keys starting with ``_``
    are ignored. Records may carry different sets of fields (an inspection known only by its
    grades keeps the type an earlier, fuller file recorded): each updates only the fields it
    has. ``scope`` narrows the read-back of current values on the generic path. ``journal``, if
    given, receives what was created and the values of what was updated, as they were.
    """
    outcome = Outcome()
    # Records built the same way share their keys in the same order: group on that, cheaply.
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[tuple(record)].append(record)
    by_fields: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for names, group in groups.items():
        by_fields[tuple(sorted(f for f in names if f not in key and f[0] != "_"))].extend(group)
    write = _copy_group if connection.vendor == "postgresql" else _bulk_group
    for fields, group in by_fields.items():
        outcome.add(write(model, group, key, fields, dry_run, scope or {}, journal))
    return outcome


def _has_updated_at(model) -> bool:
    return any(f.name == "updated_at" for f in model._meta.concrete_fields)


# Generic path -------------------------------------------------------------------------------


def _bulk_group(model, records, key, fields, dry_run, scope, journal) -> Outcome:
    outcome = Outcome()
    current = _current_values(model, key, fields, {tuple(r[k] for k in key) for r in records}, scope)
    changed = []
    created_keys, updated_keys, updated_rows = [], [], []
    for record in records:
        natural_key = tuple(record[k] for k in key)
        held = current.get(natural_key)
        if held is None:
            outcome.created += 1
            created_keys.append(natural_key)
        else:
            before = {f: held[f] for f in fields if held[f] != record[f]}
            if not before:
                outcome.unchanged += 1
                continue
            outcome.updated += 1
            updated_keys.append(natural_key)
            updated_rows.append({**{k: held[k] for k in key}, **before})
        changed.append(record)
    if dry_run or not changed:
        return outcome
    if journal is not None:
        journal.created(model, key, created_keys)
        journal.updated(model, key, updated_rows)
    update_fields = [*fields, "updated_at"] if _has_updated_at(model) else list(fields)
    model.objects.bulk_create(
        [model(**{k: v for k, v in r.items() if k[0] != "_"}) for r in changed],
        batch_size=BATCH_SIZE,
        update_conflicts=bool(update_fields),
        ignore_conflicts=not update_fields,
        unique_fields=list(key) if update_fields else None,
        update_fields=update_fields or None,
    )
    if audit.is_audited(model):
        audit.record_keys(model, key, created_keys, audit.CREATED)
        audit.record_keys(model, key, updated_keys, audit.CHANGED)
    return outcome


def _current_values(model, key, fields, keys: set[tuple], scope: dict) -> dict[tuple, dict]:
    """Current values of ``fields`` for the records whose natural key is in ``keys``."""
    found: dict[tuple, dict] = {}
    for chunk in chunks(sorted({k[0] for k in keys}), LOOKUP_CHUNK):
        for row in model.objects.filter(**scope, **{f"{key[0]}__in": chunk}).values(*key, *fields):
            found[tuple(row[k] for k in key)] = row
    return found


# PostgreSQL path ----------------------------------------------------------------------------


def _copy_group(model, records, key, fields, dry_run, scope, journal) -> Outcome:
    quote = connection.ops.quote_name
    by_attname = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
    stamp = timezone.now()
    # Columns a new row needs that these records do not carry get the model's defaults.
    defaults = {
        name: stamp if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        for name, f in by_attname.items()
        if name not in key and name not in fields
    }
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    keys = [quote(by_attname[k].column) for k in key]
    compared = [quote(by_attname[f].column) for f in fields]
    columns = ", ".join([*keys, *compared, *(quote(by_attname[d].column) for d in defaults)])
    updates = compared + ([quote(by_attname["updated_at"].column)] if "updated_at" in defaults else [])
    # COPY takes a JSON column's value as its text.
    tail = [json.dumps(v) if isinstance(by_attname[n], models.JSONField) else v for n, v in defaults.items()]

    def row(prefix: str) -> str:
        return "(" + ", ".join(f"{prefix}.{c}" for c in compared) + ")"

    differs = f"{row('t')} IS DISTINCT FROM {row('s')}" if compared else "FALSE"
    on_conflict = (
        "DO UPDATE SET "
        + ", ".join(f"{c} = EXCLUDED.{c}" for c in updates)
        + f" WHERE {row(table)} IS DISTINCT FROM {row('EXCLUDED')}"
        if compared
        else "DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} AS SELECT {columns} FROM {table} WITH NO DATA")
        with cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN") as copy:
            names = (*key, *fields)
            values = itemgetter(*names) if len(names) > 1 else (lambda record: (record[names[0]],))
            as_json = [i for i, name in enumerate(names) if isinstance(by_attname[name], models.JSONField)]
            for record in records:
                row = values(record)
                if as_json:
                    row = tuple(json.dumps(v) if i in as_json else v for i, v in enumerate(row))
                copy.write_row((*row, *tail))
        cursor.execute(
            f"SELECT count(*) FILTER (WHERE t.{pk} IS NULL), count(*) FILTER (WHERE t.{pk} IS NOT NULL AND {differs}) "
            f"FROM {STAGE} s LEFT JOIN {table} t ON " + " AND ".join(f"t.{k} = s.{k}" for k in keys)
        )
        created, updated = cursor.fetchone()
        if journal is not None and not dry_run and (created or updated):
            join = " AND ".join(f"t.{k} = s.{k}" for k in keys)
            new_keys = ", ".join(f"s.{k}" for k in keys)
            cursor.execute(f"SELECT {new_keys} FROM {STAGE} s LEFT JOIN {table} t ON {join} WHERE t.{pk} IS NULL")
            journal.created(model, key, cursor.fetchall())
            # The values before of the fields that change (with the new ones, to tell which), fetched
            # a few thousand rows at a time (a cursor on the server): an import may change every
            # school of the register.
            with connection.chunked_cursor() as before:
                before.execute(
                    f"SELECT {', '.join([*(f't.{k}' for k in keys), *(f't.{c}' for c in compared)])}, "
                    f"{', '.join(f's.{c}' for c in compared)} FROM {STAGE} s JOIN {table} t ON {join} WHERE {differs}"
                )
                while rows := before.fetchmany(STORE_EVERY):
                    journal.updated(model, key, [_changed_fields(row, key, fields) for row in rows])
        if not dry_run and (created or updated):
            insert = (
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {STAGE} "
                f"ON CONFLICT ({', '.join(keys)}) {on_conflict}"
            )
            params = None
            if audit.is_audited(model):
                # A row the insert created has no deleting transaction yet (xmax 0); an updated one has.
                insert, params = audit.with_history(model, insert, created="xmax = 0")
            cursor.execute(insert, params)
        cursor.execute(f"DROP TABLE {STAGE}")
    return Outcome(created=created, updated=updated, unchanged=len(records) - created - updated)
