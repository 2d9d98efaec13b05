"""The audit trail: who created, changed or deleted each record of the domain, when, and what it
held before and after (django-simple-history).

Every audited model carries ``history = AuditedRecords()``: each save and delete writes a row to
the model's history table. The person is the ``by`` of the service that wrote (``@attributed``),
a job's starter (``acting``), or the signed-in user of the request (the middleware). Bulk writes
record their rows in bulk through ``accounts.audit.bulk``. ``accounts.audit.selectors`` reads the
trail back as changes (field: before → after) for the school's History page and the
administrators' audit search. History rows are never changed or deleted through the portal or
the administration pages.
"""

from accounts.audit.context import acting, attributed, current_actor
from accounts.audit.records import AuditedRecords

__all__ = ["AuditedRecords", "acting", "attributed", "current_actor"]
