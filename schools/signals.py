"""What apps above this one may react to: the schools app never imports upwards. Categorisation
connects a receiver that reassesses schools (``categorisation.apps``)."""

from django.dispatch import Signal

# The facts about schools changed: sent inside the transaction that changed them, so a receiver
# queues its work for when that transaction commits. Arguments: ``trigger`` ("import" or
# "school"), and either ``import_run`` (every school may have changed) or ``school_ids``.
facts_changed = Signal()

# An intelligence note says the school has a new or acting headteacher (argument: ``note``): support
# schedules the new-head visit. A new headteacher alone never moves a category.
new_headteacher_noted = Signal()
