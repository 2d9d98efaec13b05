"""What apps above this one may react to: the schools app never imports upwards. Categorisation
connects a receiver that reassesses schools (``categorisation.apps``)."""

from django.dispatch import Signal

# The facts about schools changed: sent inside the transaction that changed them, or just after
# it, so a receiver queues its work for when that transaction commits. Arguments:
# - ``trigger``: "import" or "school";
# - ``school_ids``: the pks of the schools whose facts were created or changed (a list, possibly
#   empty: an import that changed nothing), or None when the sender cannot tell which (then every
#   school may have changed);
# - ``import_run``: the ImportRun, when an import or its undo sent it (sent with ``school_ids``:
#   a list for an import, None for an undo). An authority's own collection sends ``school_ids``
#   alone (sender School).
facts_changed = Signal()

# An intelligence note says the school has a new or acting headteacher (argument: ``note``): support
# schedules the new-head visit. A new headteacher alone never moves a category.
new_headteacher_noted = Signal()
