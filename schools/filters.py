"""What every list of schools searches and filters by (the school list page and the API): the
register's own fields. The school list's filter set, which adds the category, is ``portal.filters``."""

import re
import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Q, QuerySet

from accounts.authorities import every_authority_id
from core.query import whole_number
from schools.access import remit
from schools.models import School

NO_INSPECTION = "none"


def distinct_values(*fields: str) -> list[list[tuple[str, str]]]:
    """The values in use of each field, for its choices, from one query of the combinations in
    use (read from the index on the three register fields the list filters by)."""
    combinations = list(remit().order_by().values_list(*fields).distinct())
    return [[(v, v) for v in sorted({row[i] for row in combinations} - {"", None})] for i in range(len(fields))]


# The phases as Get Information about Schools names them. Other spellings of one in the files
# imported (a council's list says "All Through", a GIAS sample "All through") are offered once, under
# this name: a filter offering "All through" and "All-through" would split the same schools in two.
GIAS_PHASES = (
    "Not applicable",
    "Nursery",
    "Primary",
    "Middle deemed primary",
    "Secondary",
    "Middle deemed secondary",
    "16 plus",
    "All-through",
)


def phase_key(name: str) -> str:
    """What the spellings of one phase share: the words, whatever their case, spaces or hyphens."""
    return " ".join(re.split(r"[\s\-]+", name.strip())).casefold()


_GIAS_PHASE_OF = {phase_key(phase): phase for phase in GIAS_PHASES}


def phase_choices(names: Iterable[str]) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """Each phase in use once, for the phase filter's choices: under its GIAS name where it has one
    (otherwise its first spelling), with the spellings in the register that each choice stands for."""
    spellings: dict[str, list[str]] = {}
    for name in sorted(set(names) - {"", None}):
        spellings.setdefault(phase_key(name), []).append(name)
    by_label = {_GIAS_PHASE_OF.get(key, names[0]): names for key, names in spellings.items()}
    return [(label, label) for label in sorted(by_label)], by_label


# The key names the shape of what it holds (now the values in use of the schools one may see, and
# each phase's spellings), so that a shared cache still holding an earlier shape after a deploy is a
# miss, not a page that fails to unpack it.
CHOICES_KEY = "schools:list-choices:4"


def choices_key(authority_id: int | None) -> str:
    """Each authority's list filters offer the values of its own remit."""
    return f"{CHOICES_KEY}:{authority_id}"


def forget_choices() -> None:
    """After an import (or anything else that changes the register's rows): every authority's
    choices, and every figure kept of the register (``register_generation``), are read again."""
    cache.delete_many([choices_key(pk) for pk in every_authority_id()])
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


# The figures kept of the register (the school list's counts, the officer's home figures) name the
# register's generation in their keys: a new generation after each change makes every one a miss.
GENERATION_KEY = "schools:register-generation"


def register_generation() -> str:
    """The register's current generation (a new one after each import: ``forget_choices``)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        # Another process may have set one meanwhile: keep whichever got there first.
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY) or generation
    return generation


def search(queryset: QuerySet[School], name: str, value: str) -> QuerySet[School]:
    """Digits search URN and LAESTAB exactly (330/2020 and 3302020 alike); words search names."""
    term = value.strip()
    number = whole_number(term.replace("/", "").replace(" ", ""))
    if number is not None:
        return queryset.filter(Q(urn=number) | Q(laestab=number))
    return queryset.filter(name__icontains=term)


def filter_ofsted(queryset: QuerySet[School], name: str, value: str) -> QuerySet[School]:
    """Schools whose latest Ofsted outcome is ``value`` (``NO_INSPECTION``: none on record)."""
    if value == NO_INSPECTION:
        return queryset.filter(ofsted_outcome="")
    return queryset.filter(ofsted_outcome=value)
