"""Support entitlement arithmetic, as plain Python (DESIGN §2, step 5).

A school's entitlement for a year comes from its category (days of adviser time, of learning
and teaching adviser time, progress meetings, brokered support), shared out by the half-terms
left when the school joins mid-year, and changed by adjustments made with a reason. Days are
then allocated to partners and delivered by visits; what is left, and any over-allocation of a
school or of a partner, follows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HALF = Decimal("0.5")
ZERO = Decimal(0)


def to_half_days(value: Decimal) -> Decimal:
    """Round to the nearest half day (support is booked in half days)."""
    return (value / HALF).quantize(Decimal(1), rounding=ROUND_HALF_UP) * HALF


def prorate(days: Decimal, remaining: int, of: int) -> Decimal:
    """A school joining with ``remaining`` of ``of`` half-terms left gets that share, to the half
    day; a school there from the start gets it all."""
    if of <= 0 or remaining >= of:
        return days
    if remaining <= 0:
        return ZERO
    return to_half_days(days * remaining / of)


@dataclass(frozen=True)
class Balance:
    """One kind of support for one school and year."""

    entitled: Decimal
    allocated: Decimal
    delivered: Decimal

    @property
    def remaining(self) -> Decimal:
        """Entitled but not yet delivered (never below zero)."""
        return max(ZERO, self.entitled - self.delivered)

    @property
    def unallocated(self) -> Decimal:
        return self.entitled - self.allocated

    @property
    def over_allocated(self) -> bool:
        return self.allocated > self.entitled

    @property
    def over_delivered(self) -> bool:
        return self.delivered > self.entitled


def entitled(base: Decimal, adjustments: Iterable[Decimal]) -> Decimal:
    """The base (already prorated) with every adjustment applied; never below zero."""
    return max(ZERO, base + sum(adjustments, ZERO))


def balance(
    base: Decimal, adjustments: Iterable[Decimal], allocations: Iterable[Decimal], delivered: Iterable[Decimal]
) -> Balance:
    return Balance(entitled(base, adjustments), sum(allocations, ZERO), sum(delivered, ZERO))


@dataclass(frozen=True)
class PartnerLoad:
    capacity: Decimal
    allocated: Decimal

    @property
    def spare(self) -> Decimal:
        return self.capacity - self.allocated

    @property
    def over_allocated(self) -> bool:
        return self.allocated > self.capacity


def partner_load(capacity: Decimal, allocations: Iterable[Decimal]) -> PartnerLoad:
    return PartnerLoad(capacity, sum(allocations, ZERO))
