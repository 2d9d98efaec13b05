"""How thorough the suite is. The README's test command runs the quick sample, so that the whole
suite stays within minutes on a laptop; CI's run on PostgreSQL and Redis sets ``THOROUGH_TESTS=1``
and runs the thorough one, so that every change is still checked over the larger sample before it
lands: more examples in the property tests, the importers' fuzzing and the API's schema tests,
every junk value in the query-parameter sweep, and the fault tests (``make test-faults`` sets it too)."""

import os

THOROUGH = os.environ.get("THOROUGH_TESTS") == "1"


def examples(quick: int, thorough: int) -> int:
    return thorough if THOROUGH else quick
