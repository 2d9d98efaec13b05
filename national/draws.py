"""Seeded random draws and the calendar helpers every part of the generator shares."""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, time, timedelta


def rng_for(seed: int, part: str) -> random.Random:
    """A generator of its own for each part, so that the parts do not shift one another."""
    return random.Random(f"{seed}:{part}")  # noqa: S311 - reproducible generated data, not secrets


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def normal_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


def weekday(day: date) -> date:
    """The day, or the Monday after it when it falls at a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def nth_weekday(year: int, month: int, weekday_number: int, n: int = 1) -> date:
    """The ``n``th Monday (0) … Sunday (6) of the month."""
    day = date(year, month, 1)
    return day + timedelta(days=(weekday_number - day.weekday()) % 7 + 7 * (n - 1))


def moment(day: date, rng: random.Random) -> datetime:
    """A moment in the working day of ``day``."""
    return datetime(day.year, day.month, day.day, rng.randint(8, 16), rng.randrange(60), tzinfo=UTC)


def stamp_of(as_of: date) -> datetime:
    """The creation and change time of every generated row that has no date of its own."""
    return datetime.combine(as_of, time(6, 0), tzinfo=UTC)


class Ids:
    """The next id of each table: the tables are emptied with their ids restarting at 1."""

    def __init__(self) -> None:
        self._last: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        self._last[table] = self._last.get(table, 0) + 1
        return self._last[table]
