"""Two people editing the same record: the second save is refused, and nothing is lost.

A record that people change through forms (an action plan and its actions, a school's category,
a board meeting and its agenda items) is ``Versioned``: it carries a counter that every change
through a service moves on, with who made the change and when. A form carries the version it
was opened at in a hidden field (``with_version``); the service ``claim``\\s the record at that
version in one conditional ``UPDATE … WHERE version = seen``, so of two saves from the same
version exactly one wins, on SQLite and PostgreSQL alike. The other gets ``StaleEdit``, a
``ValidationError`` that the page shows in its error summary above the person's own input,
which stays in the form for them to copy.

The counter and its author are left out of the audit history (``VERSION_FIELDS``): the history
already says who changed what, and a new version alone is not a change worth a row.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone

VERSION_FIELDS = ["version", "changed_by", "changed_at"]

SAVE_ADVICE = (
    "Your changes have not been saved: they are shown below so you can copy them; reload to see the current {what}."
)


class Versioned(models.Model):
    """The version a form was opened at, and who moved the record on from it last."""

    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Only ``claim`` moves the counter: a whole-record save of a record already stored (the
        administration pages, say) leaves the version it holds in the database alone."""
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in VERSION_FIELDS
            ]
        super().save(*args, **kwargs)


class StaleEdit(ValidationError):
    """The record changed since the person opened the form: their save is refused."""


def when(moment: datetime) -> str:
    """'14:02' today, '14:02 on 3 March 2026' another day (local time)."""
    local = timezone.localtime(moment)
    text = f"{local:%H:%M}"
    return text if local.date() == timezone.localdate() else f"{text} on {local.day} {local:%B %Y}"


def stale_message(record: Versioned, *, by, what: str, advice: str, unattended: str) -> str:
    """Say who changed the record since it was opened, and what became of this save."""
    at = when(record.changed_at) if record.changed_at else "an earlier time"
    if record.changed_by_id is None:
        headline = f"This {what} changed since you opened it ({unattended} at {at})."
    elif by is not None and record.changed_by_id == by.pk:
        headline = f"You changed this {what} in another tab or window since you opened it (at {at})."
    else:
        headline = f"Someone else changed this {what} since you opened it ({record.changed_by} at {at})."
    return f"{headline} {advice.format(what=what)}"


def claim(
    record: Versioned,
    *,
    seen: int | None,
    by,
    what: str,
    advice: str = SAVE_ADVICE,
    unattended: str = "an automatic update",
) -> Versioned:
    """Move ``record`` on to its next version as changed by ``by``, provided it is still at the
    version ``seen`` when the form was opened (``None``: not opened through a form, no check:
    :func:`bump`). Call it inside the service's transaction, before writing; on refusal nothing
    is written."""
    if seen is None:
        bump(record, by=by)
        return record
    now = timezone.now()
    rows = type(record)._default_manager.filter(pk=record.pk)
    if not rows.filter(version=seen).update(version=F("version") + 1, changed_by=by, changed_at=now):
        current = rows.select_related("changed_by").get()
        raise StaleEdit(stale_message(current, by=by, what=what, advice=advice, unattended=unattended), code="stale")
    record.version, record.changed_by, record.changed_at = seen + 1, by, now
    return record


def bump(*records: Versioned, by) -> None:
    """Move each record on to its next version as changed by ``by``, unchecked: a change made
    without a form that showed a version (adding to a plan, a visit report's findings). One
    ``UPDATE`` and one read of the new versions for each model, however many records (a record
    given twice moves on once)."""
    now = timezone.now()
    by_model: dict[type[Versioned], dict[int, list[Versioned]]] = {}
    for record in records:
        by_model.setdefault(type(record), {}).setdefault(record.pk, []).append(record)
    for model, held in by_model.items():
        rows = model._default_manager.filter(pk__in=list(held))
        rows.update(version=F("version") + 1, changed_by=by, changed_at=now)
        for pk, version in rows.values_list("pk", "version"):
            for record in held[pk]:
                record.version, record.changed_by, record.changed_at = version, by, now


def seen_version(value) -> int | None:
    """The version a posted form or button carried, or ``None`` when it carried none."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return -1  # a version that never matches: the save is refused, not applied unchecked


def with_version(form: forms.Form, record: Versioned | None) -> forms.Form:
    """Carry the version ``record`` is at (0 when there is no record yet) in a hidden field of
    ``form`` (crispy renders it); the view reads it back with
    ``seen_version(form.cleaned_data["version"])``."""
    form.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False)
    form.initial.setdefault("version", record.version if record is not None else 0)
    if hasattr(form, "helper"):
        form.helper.render_hidden_fields = True
    return form
