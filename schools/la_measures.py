"""The figures DfE publishes only for local authorities (and England), which the portal reads from
Explore Education Statistics (EES) open-data CSVs or officers enter by hand.

Seed 004 sets outcomes "relative to the core cities, statistical neighbours and national average"
for groups no school-level file carries: attainment in the early years foundation stage (B10),
children with SEND (B81) and looked-after children (B83). DfE publishes them by LA; each
publication's file is one layout, recognised by its columns, and each measure is one indicator
column on the rows whose filters have given values (``schools.importers.ees``).

Some of seed 004's outcomes are published by DfE only in its tools and tables, with no open-data
file found to import: KS1 attainment (B80), KS1, KS2 and KS4 results of children with SEND (B81)
and exclusion rates (B85). Officers copy them from DfE's Local Authority Interactive Tool (LAIT)
today; those measures are ``entered_by_hand`` (``schools.services.record_la_figure``), for the
academic year as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class LaMeasure:
    code: str
    label: str
    unit: str  # "%" or "score"
    places: str  # the precision the report shows a mean at
    higher_is_better: bool = True
    entered_by_hand: bool = False  # no file to import: officers copy it from DfE's LAIT


@dataclass(frozen=True)
class Mapping:
    """One measure: the indicator column read on the rows whose filter columns have these values."""

    filters: tuple[tuple[str, str], ...]
    indicator: str
    measure: str


@dataclass(frozen=True)
class Publication:
    """An EES publication's LA-level file: its name, the columns that tell it apart from other
    publications' files, and its measures."""

    name: str
    recognised_by: frozenset[str]
    mappings: tuple[Mapping, ...]

    @property
    def filter_columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(column for m in self.mappings for column, _ in m.filters))

    @property
    def indicator_columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.indicator for m in self.mappings))


MEASURES: tuple[LaMeasure, ...] = (
    LaMeasure("la_eyfs_gld_pct", "EYFS: % reaching a good level of development", "%", "0.1"),
    LaMeasure("la_eyfs_gld_pct_sen_support", "EYFS, SEN support: % reaching a good level of development", "%", "0.1"),
    LaMeasure("la_eyfs_gld_pct_ehcp", "EYFS, EHC plan: % reaching a good level of development", "%", "0.1"),
    LaMeasure(
        "la_ks2_rwm_expected_pct_cla",
        "KS2, looked-after children: % meeting the expected standard in reading, writing and maths",
        "%",
        "0.1",
    ),
    LaMeasure("la_ks4_att8_cla", "KS4, looked-after children: average Attainment 8", "score", "0.1"),
    LaMeasure(
        "la_ks4_basics_94_pct_cla",
        "KS4, looked-after children: % grade 4 or above in English and maths",
        "%",
        "0.1",
    ),
    LaMeasure("la_ks4_p8_cla", "KS4, looked-after children: average Progress 8", "score", "0.01"),
    # Entered by hand from DfE's LAIT (no file found to import).
    LaMeasure(
        "la_ks1_rwm_expected_pct",
        "KS1: % meeting the expected standard in reading, writing and maths",
        "%",
        "0.1",
        entered_by_hand=True,
    ),
    LaMeasure(
        "la_ks1_rwm_expected_pct_sen_support",
        "KS1, SEN support: % meeting the expected standard in reading, writing and maths",
        "%",
        "0.1",
        entered_by_hand=True,
    ),
    LaMeasure(
        "la_ks2_rwm_expected_pct_sen_support",
        "KS2, SEN support: % meeting the expected standard in reading, writing and maths",
        "%",
        "0.1",
        entered_by_hand=True,
    ),
    LaMeasure(
        "la_ks2_rwm_expected_pct_ehcp",
        "KS2, EHC plan: % meeting the expected standard in reading, writing and maths",
        "%",
        "0.1",
        entered_by_hand=True,
    ),
    LaMeasure("la_ks4_p8_sen_support", "KS4, SEN support: average Progress 8", "score", "0.01", entered_by_hand=True),
    LaMeasure("la_ks4_p8_ehcp", "KS4, EHC plan: average Progress 8", "score", "0.01", entered_by_hand=True),
    # DfE's rates are per 100 pupils on roll, that is a percentage of pupils; fewer is better.
    LaMeasure(
        "la_permanent_exclusion_rate",
        "Permanent exclusion rate (per 100 pupils)",
        "%",
        "0.01",
        higher_is_better=False,
        entered_by_hand=True,
    ),
    LaMeasure(
        "la_suspension_rate",
        "Suspension rate (per 100 pupils)",
        "%",
        "0.01",
        higher_is_better=False,
        entered_by_hand=True,
    ),
)
BY_CODE = {m.code: m for m in MEASURES}

ENTERED_BY_HAND = tuple(m for m in MEASURES if m.entered_by_hand)
# The period a figure entered by hand is for: DfE's LA tables of these measures are by academic year.
ACADEMIC_YEAR = "Academic year"
# The symbols DfE's tables show for a figure they do not give (the government statistics symbols).
MARKERS = {
    "c": "c: suppressed to protect confidentiality",
    "x": "x: not available",
    "z": "z: not applicable",
    "low": "low: rounds to 0 but is not 0",
    "u": "u: low reliability",
}

_TOTAL = (("gender", "Total"),)
_CLA = (("social_care_group", "CLA 12 months at 31 March"),)

PUBLICATIONS: tuple[Publication, ...] = (
    Publication(
        "Early years foundation stage profile results",
        frozenset({"characteristic", "characteristic_type", "gender", "gld_percentage"}),
        (
            Mapping(
                (("characteristic", "Total"), ("characteristic_type", "Total"), *_TOTAL),
                "gld_percentage",
                "la_eyfs_gld_pct",
            ),
            Mapping(
                (("characteristic", "SEN provision"), ("characteristic_type", "SEN support"), *_TOTAL),
                "gld_percentage",
                "la_eyfs_gld_pct_sen_support",
            ),
            Mapping(
                (("characteristic", "SEN provision"), ("characteristic_type", "EHC plan"), *_TOTAL),
                "gld_percentage",
                "la_eyfs_gld_pct_ehcp",
            ),
        ),
    ),
    Publication(
        "Outcomes for children in need, including children looked after by local authorities: key stage 2",
        frozenset({"social_care_group", "pt_rwm_met_expected_standard"}),
        (Mapping(_CLA, "pt_rwm_met_expected_standard", "la_ks2_rwm_expected_pct_cla"),),
    ),
    Publication(
        "Outcomes for children in need, including children looked after by local authorities: key stage 4",
        frozenset({"social_care_group", "avg_att8", "pt_l2basics_94"}),
        (
            Mapping(_CLA, "avg_att8", "la_ks4_att8_cla"),
            Mapping(_CLA, "pt_l2basics_94", "la_ks4_basics_94_pct_cla"),
            Mapping(_CLA, "avg_p8score", "la_ks4_p8_cla"),
        ),
    ),
)


def publication_for(header: list[str]) -> Publication | None:
    """The publication whose file has these columns (the first whose columns are all present)."""
    present = set(header)
    return next((p for p in PUBLICATIONS if p.recognised_by <= present), None)


def shown(measure: str, value: Decimal | None, marker: str = "") -> str:
    """A figure as an officer reads it: its value with its unit (62.7%, -0.45), or DfE's symbol."""
    if value is None:
        return marker
    figure = f"{value.normalize():f}"
    return f"{figure}%" if measure in BY_CODE and BY_CODE[measure].unit == "%" else figure
