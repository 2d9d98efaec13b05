"""Where a school's figure sits among the authority's schools, as plain Python (seed 004).

Seed 004: "The school action plan will include actions to address data variabilities in both
attainment and progress in all key stages and key measures including attendance and exclusions,
where performance is in the lowest quartile in Birmingham."

The boundary of the lowest quartile is the lower quartile of the schools' figures where a higher
figure is better (the upper quartile where a lower one is, such as absence and exclusions), by the
inclusive method (``statistics.quantiles``); a figure on the boundary is in the lowest quartile.
"""

from __future__ import annotations

import statistics
from decimal import Decimal

FEWEST_SCHOOLS = 4  # fewer figures than this have no quartiles to speak of


def lowest_quartile_boundary(figures: list[Decimal], higher_is_better: bool) -> Decimal | None:
    """The figure at the edge of the worst quarter of ``figures``, or None if there are too few."""
    if len(figures) < FEWEST_SCHOOLS:
        return None
    lower, _, upper = statistics.quantiles(figures, n=4, method="inclusive")
    return lower if higher_is_better else upper


def in_lowest_quartile(value: Decimal, boundary: Decimal, higher_is_better: bool) -> bool:
    return value <= boundary if higher_is_better else value >= boundary
