"""The local authorities an authority compares itself with (seed 004: "relative to the core cities,
statistical neighbours and national averages").

Statistical neighbours are DfE's (the children's services statistical neighbour benchmarking
model, each English LA's ten, as DfE's Local Authority Interactive Tool publishes them:
``data/reference/sn_may_2025.xlsx``, source in ``data/SOURCES.md``). The core cities are the
eight seed 004 names; an authority compares itself with them when it is one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from openpyxl import load_workbook

NEIGHBOURS_FILE = Path(settings.BASE_DIR) / "data" / "reference" / "sn_may_2025.xlsx"
NEIGHBOURS_SOURCE = "DfE statistical neighbours, May 2025 (Local Authority Interactive Tool)"
# Seed 004: "*Birmingham, Bristol, Leeds, Liverpool, Manchester, Nottingham, Newcastle, Sheffield", by DfE LA code.
CORE_CITIES = (330, 801, 383, 341, 352, 892, 391, 373)


@cache
def statistical_neighbours() -> dict[int, tuple[int, ...]]:
    """Each LA code's ten statistical neighbours, nearest first, read from the published workbook:
    rows whose first cell is an LA number; neighbours are columns SN1 to SN10 (every other column
    from the sixth, each followed by its closeness)."""
    workbook = load_workbook(NEIGHBOURS_FILE, read_only=True, data_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        return {
            row[0]: tuple(code for code in row[5:25:2] if isinstance(code, int))
            for row in rows
            if row and isinstance(row[0], int)
        }
    finally:
        workbook.close()


@dataclass(frozen=True)
class Group:
    name: str
    codes: tuple[int, ...]


def groups_for(la_codes: list[int], neighbours: dict[int, tuple[int, ...]]) -> list[Group]:
    """The authority itself, its statistical neighbours (of each of its LAs, less its own) and, when
    it is a core city, the other core cities. A group with no LA is left out."""
    own = tuple(sorted(la_codes))
    found = [Group("This authority", own)]
    near = sorted({n for code in own for n in neighbours.get(code, ())} - set(own))
    if near:
        found.append(Group("Statistical neighbours", tuple(near)))
    if set(own) & set(CORE_CITIES):
        others = tuple(sorted(set(CORE_CITIES) - set(own)))
        if others:
            found.append(Group("Other core cities", others))
    return found
