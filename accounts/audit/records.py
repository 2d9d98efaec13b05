"""``AuditedRecords``: simple-history's ``HistoricalRecords`` as the portal uses it.

Compared with the library's defaults: the actor and reason come from ``accounts.audit.context``
before the request's user; the reason is free text (an import's file name can be long); and a
save that changes nothing the history keeps (only ``updated_at``, say, or the fields left out of
the history) writes no row, so the History page shows changes, not saves.
"""

from __future__ import annotations

from django.db import models
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords

from accounts.audit.context import current_actor


def _is_timestamp(field: models.Field) -> bool:
    return bool(getattr(field, "auto_now", False))


class _HistoryDescriptor(HistoryDescriptor):
    """The library's ``Model.history``, with its manager class made once rather than at every use:
    the library makes it afresh each time (``from_queryset``, which walks the query set's members
    with ``inspect``), twice for every history row written."""

    def __init__(self, model, manager, queryset):
        super().__init__(model, manager=manager, queryset=queryset)
        self._manager = manager.from_queryset(queryset)

    def __get__(self, instance, owner):
        return self._manager(self.model, instance)


class AuditedRecords(HistoricalRecords):
    def __init__(self, **kwargs):
        kwargs.setdefault("history_change_reason_field", models.TextField(null=True, blank=True))
        super().__init__(**kwargs)

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        made = sender.__dict__.get(self.manager_name)
        if type(made) is HistoryDescriptor:
            setattr(sender, self.manager_name, _HistoryDescriptor(made.model, made.manager_class, made.queryset_class))

    def get_history_user(self, instance):
        if hasattr(instance, "_history_user"):
            return instance._history_user
        actor = current_actor().user
        return actor if actor is not None else super().get_history_user(instance)

    def get_change_reason_for_object(self, instance, history_type, using):
        return super().get_change_reason_for_object(instance, history_type, using) or current_actor().reason

    def compared_fields(self, model) -> list[models.Field]:
        """The fields whose change is worth a history row: all kept but the automatic timestamps."""
        return [f for f in self.fields_included(model) if not _is_timestamp(f)]

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields is not None:
            kept = {f.name for f in self.compared_fields(instance)}
            if not kept.intersection(update_fields):
                return
        super().post_save(instance, created, using=using, **kwargs)

    def create_historical_record(self, instance, history_type, using=None):
        if history_type == "~" and not self._changed(instance):
            return
        super().create_historical_record(instance, history_type, using=using)

    def _changed(self, instance) -> bool:
        """Whether the record differs from its latest history row (one query)."""
        history = getattr(type(instance), self.manager_name).model
        names = [f.attname for f in self.compared_fields(instance)]
        pk_name = instance._meta.pk.attname
        last = history.objects.filter(**{pk_name: instance.pk}).order_by("-history_id").values(*names).first()
        return last is None or any(last[name] != getattr(instance, name) for name in names)
