"""How many examples the property tests try. The README's test command tries a quick number, so
that the whole suite stays within minutes on a laptop; CI's run on PostgreSQL sets
``THOROUGH_PROPERTIES=1`` and tries the thorough number, so every change is still checked over the
larger sample before it lands."""

import os

THOROUGH = os.environ.get("THOROUGH_PROPERTIES") == "1"


def examples(quick: int, thorough: int) -> int:
    return thorough if THOROUGH else quick
