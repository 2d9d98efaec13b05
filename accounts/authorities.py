"""The authority every case record belongs to, and the scope every query of one runs in.

Case records (frameworks and categories, packages, visits, plans, notes, the priority list, board
meetings and decisions, letters, notices, monthly reports) belong to one authority. Their default
managers are scoped with django-scopes: inside ``working_in(authority)`` a query sees that
authority's records only, and outside any scope it is refused (``ScopeError``) rather than
answering with everyone's. A request works in its person's current authority
(``AuthorityScopeMiddleware``), a Celery task in the authority it was queued in
(``operations.jobs``), and the few jobs that span authorities (the nightly run, the monthly
schedule) loop over them, each in its own scope. A new case record takes the authority of the
scope it is made in.

The national register, inspections and performance data are shared by everyone and not scoped.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar

from django.apps import apps
from django.db import models
from django.db.models import Q
from django_scopes import ScopedManager, ScopeError, get_scope, scope, scopes_disabled

from operations import jobs

DIMENSION = "authority"
# The scope of a person with no authority: it matches no record (``None`` would match every one).
NO_AUTHORITY = 0


def _pk(authority) -> int:
    if authority is None:
        return NO_AUTHORITY
    return authority if isinstance(authority, int) else authority.pk


# The Authority itself, when the code entering its scope had it at hand (a request's person's):
# ``current_authority`` then answers without a query.
_AUTHORITY: ContextVar = ContextVar("current_authority", default=None)


@contextmanager
def working_in(authority) -> Iterator[None]:
    """Run the block in ``authority``'s scope (an Authority or its pk; None matches nothing)."""
    held = _AUTHORITY.set(None if authority is None or isinstance(authority, int) else authority)
    try:
        with scope(**{DIMENSION: _pk(authority)}):
            yield
    finally:
        _AUTHORITY.reset(held)


@contextmanager
def across_authorities() -> Iterator[None]:
    """Run the block over every authority's records: the platform's own work (the retention
    purge, the demo's list of who works where), never a page of one authority."""
    with scopes_disabled():
        yield


def current_authority_id() -> int | None:
    """The pk of the authority the code is working in; None outside one (a new case record made
    there is refused by the database: its authority is required)."""
    state = get_scope()
    if not state.get("_enabled", True):
        return None
    value = state.get(DIMENSION)
    return value or None


def current_authority():
    """The Authority the code is working in, or None."""
    pk = current_authority_id()
    if pk is None:
        return None
    held = _AUTHORITY.get()
    if held is not None and held.pk == pk:
        return held
    return apps.get_model("accounts", "Authority").objects.filter(pk=pk).first()


def owned_by_authority(path: str = DIMENSION, manager: type[models.Manager] = models.Manager) -> models.Manager:
    """The default manager of a case record: scoped to the current authority through ``path``
    (``"authority"`` for a record that holds it, ``"plan__authority"`` for one that belongs to
    a record that does)."""
    scoped = ScopedManager(_manager_class=manager, **{DIMENSION: path})
    scoped.authority_path = path  # which the audit trail follows to its authority's changes
    return scoped


def authority_field() -> models.ForeignKey:
    """The authority a case record belongs to: the current scope's, when it is made."""
    return models.ForeignKey(
        "accounts.Authority", on_delete=models.PROTECT, related_name="+", default=current_authority_id
    )


def fill_with_default_authority(app_label: str, *model_names: str):
    """A migration step: the records made before authorities existed belong to the first
    authority (the default one the accounts migration makes), and so do their audit rows."""

    def fill(apps, schema_editor):
        authority = apps.get_model("accounts", "Authority").objects.order_by("pk").first()
        if authority is None:
            return
        for name in model_names:
            for label in (name, f"historical{name}"):
                try:
                    model = apps.get_model(app_label, label)
                except LookupError:
                    continue
                model._base_manager.filter(authority__isnull=True).update(authority=authority)

    return fill


def copy_as_shipped(data_migration: str, authority) -> None:
    """Give a new authority its own copy of what a data migration ships (its ``create``): the
    built-in frameworks, the letter templates."""
    with working_in(authority):
        importlib.import_module(data_migration).create(apps, None)


def every_authority_id() -> list[int]:
    """Every authority, for the work done once in each (the schedule's jobs, cache keys)."""
    return list(apps.get_model("accounts", "Authority").objects.order_by("pk").values_list("pk", flat=True))


def fan_out(task, *args, **kwargs) -> dict:
    """Queue ``task`` (which ``carries_authority``) once for each authority: the schedule's work,
    and what an import of the shared register sets off."""
    authorities = every_authority_id()
    for pk in authorities:
        jobs.enqueue(task, *args, authority_id=pk, **kwargs)
    return {"authorities": len(authorities)}


def spans_authorities(authority_id: int | None) -> bool:
    """Whether a task queued with this ``authority_id`` is to be queued again for each authority:
    queued by the schedule, with none, and run outside any (a task run inline, as the demo and the
    tests do, works in the authority of the code that ran it)."""
    return authority_id is None and current_authority_id() is None


def task_in(authority_id: int | None) -> AbstractContextManager:
    """The scope a task runs in: the authority it was queued in; run inline with none, the
    authority of the code that ran it. Queued with none, it is refused."""
    if authority_id is not None:
        return working_in(authority_id)
    if current_authority_id() is not None:
        return nullcontext()
    raise ScopeError("This task works in one authority and was queued without one.")


def authority_condition(model: type[models.Model], authority_id: int | None) -> Q | None:
    """Which rows of ``model`` (or of its history, which holds the same keys) belong to the
    authority: a case record's by its authority, a person's by their membership; None for the
    shared register, which is everyone's."""
    path = getattr(model._default_manager, "authority_path", None)
    if path is not None:
        return Q(**{f"{path}_id": authority_id})
    members = apps.get_model("accounts", "Membership").objects.filter(authority_id=authority_id).values("user_id")
    if model is apps.get_model("accounts", "User"):
        return Q(pk__in=members)
    names = {f.name: f for f in model._meta.concrete_fields}
    user = names.get("user")
    if user is not None and user.related_model is apps.get_model("accounts", "User"):
        return Q(user_id__in=members)
    return None


def in_wales(authority=None) -> bool:
    """Whether the authority (the current one by default) is in Wales: its letters may be in Welsh
    or bilingual, its people may read the portal in Welsh, and its own processes apply."""
    authority = authority if authority is not None else current_authority()
    return authority is not None and authority.nation == "wales"
