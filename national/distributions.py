"""The shares, means and spreads the national data set is drawn from, read from the real files in
``data/`` (see ``data/SOURCES.md`` for where each file comes from).

What comes from which file:

* phase shares, pupils on roll and % free school meals by phase: the school census
  (``england_census``, state-funded schools only); the all-through share of secondary schools:
  the GIAS group links (all-through academies against secondary academies);
* the academy share and the academy types within each phase: the GIAS group links (academies in
  trusts, 2022) against the census counts; the maintained types within each phase, infant and
  junior schools, single-sex schools and religious character: the Birmingham and Warwickshire
  lists;
* Ofsted grades at the most recent inspection for secondary and special schools: the ratings file
  joined to the census by URN;
* key stage 2, key stage 4, absence and census measures: quantiles of the published values (so the
  generated figures have the real shape, skew and bounds), their decimals, and how often each
  published marker (SUPP, NA, LOWCOV …) stands instead of a value;
* local authorities, their regions and how many schools each has: the LA and region list and the
  census;
* multi-academy trusts (names, UIDs, sizes) and the share of academies in one: the GIAS groups and
  group links.

Where no file here holds what is needed, a constant stands in with its source in a comment:
primary and nursery schools' Ofsted grades (the ratings file has almost no primaries), report
cards, exclusions, disadvantage gaps, absence in other years than the file's, and sixth forms.
``load()`` reads the files once per process (under a second).
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CENSUS = DATA_DIR / "performance_tables" / "england_census_KSPDeveloper.csv"
KS2 = DATA_DIR / "performance_tables" / "england_ks2final_subset_columns_RalPan.csv"
KS4 = DATA_DIR / "performance_tables" / "england_ks4provisional_KSPDeveloper.csv"
ABSENCE = DATA_DIR / "performance_tables" / "england_abs_KSPDeveloper.csv"
ABSENCE_OLDER = DATA_DIR / "performance_tables" / "england_abs_RalPan_older.csv"
RATINGS = DATA_DIR / "performance_tables" / "ofsted_ratings_urn_KSPDeveloper.csv"
GROUPS = DATA_DIR / "gias" / "gias_groups_2022_processed.csv"
GROUP_LINKS = DATA_DIR / "gias" / "gias_group_links_2022_processed.csv"
BIRMINGHAM = DATA_DIR / "local_authority_lists" / "birmingham_schools_bcc_opendata.csv"
WARWICKSHIRE = DATA_DIR / "local_authority_lists" / "warwickshire_county_schools_gias_derived_kosmos.csv"
LA_CODES = DATA_DIR / "reference" / "la_and_region_codes_meta.csv"

PRIMARY, SECONDARY, ALL_THROUGH, SPECIAL, NURSERY = "Primary", "Secondary", "All-through", "Special", "Nursery"
PHASES = (PRIMARY, SECONDARY, ALL_THROUGH, SPECIAL, NURSERY)
# GIAS PhaseOfEducation (code, name) of each phase; special schools are "Not applicable".
GIAS_PHASES = {
    PRIMARY: ("2", "Primary"),
    SECONDARY: ("4", "Secondary"),
    ALL_THROUGH: ("7", "All-through"),
    SPECIAL: ("0", "Not applicable"),
    NURSERY: ("1", "Nursery"),
}
CENSUS_TYPES = {
    "State-funded primary": PRIMARY,
    "State-funded secondary": SECONDARY,
    "State-funded special school": SPECIAL,
    "State-funded nursery": NURSERY,
}
# GIAS EstablishmentTypeGroup codes (the names are in every GIAS extract).
TYPE_GROUP_CODES = {
    "Local authority maintained schools": "4",
    "Special schools": "5",
    "Academies": "10",
    "Free Schools": "11",
}
FREE_SCHOOL_TYPES = {"Free schools", "Free schools special", "University technical college", "Studio schools"}
# The state-funded mainstream and special academy types (not 16 to 19, not alternative provision).
ACADEMY_TYPES = {
    "Academy converter",
    "Academy sponsor led",
    "Academy special converter",
    "Academy special sponsor led",
    *FREE_SCHOOL_TYPES,
}

QUANTILE_STEPS = 201  # half-percentiles: enough for the tails of a distribution of 20,000 schools

# Ofsted grades at the most recent inspection where the ratings file has too few schools of the
# phase (it holds 1 primary and no nursery school). Ofsted, "State-funded schools inspections and
# outcomes as at 31 December 2019": 88% of primary and 98% of nursery schools good or outstanding;
# of all schools 19% outstanding and 67% good; and at 31 August 2018 11% requires improvement and
# 4% inadequate. Each phase's good-or-better share is split in those all-school proportions.
GOOD_OR_BETTER = {PRIMARY: 0.88, NURSERY: 0.98}
ALL_SCHOOLS_GRADES = (0.19, 0.67, 0.11, 0.04)

# Report cards (from 10 November 2025): share of evaluation areas at each grade, exceptional to
# urgent improvement. No file here holds report-card outcomes and Ofsted has published no annual
# statistics of them yet: assumed, most areas at the expected standard, so that about one school
# in three has an area needing attention and about one in twenty-five one needing urgent
# improvement (areas of a school are graded alike: they share its quality).
REPORT_CARD_GRADES = (0.03, 0.22, 0.62, 0.12, 0.01)

# About three in five state-funded secondary schools have a sixth form (roughly 2,000 school sixth
# forms in the DfE 16 to 18 performance tables among about 3,450 secondaries): assumed.
SIXTH_FORM_SHARE = 0.6

# Schools that open and close each year, as a share of all (GIAS records a few hundred state-funded
# openings and closures a year, most of them academy conversions, which this data set does not
# model as new URNs): assumed.
OPENED_PER_YEAR = 0.003
CLOSED_PER_YEAR = 0.002

# Measures no file here holds, by phase: (mean, standard deviation, distribution). Exclusions are
# about DfE, "Permanent and fixed-period exclusions in England: 2018 to 2019" (fixed-period, now
# "suspension", rate 5.36% of pupils and permanent rate 0.10% nationally; roughly 1.4% and 0.02%
# in primary, 10.8% and 0.20% in secondary and 12% and 0.06% in special schools); the
# disadvantage gaps are about DfE key stage 2 and key stage 4 statistics for 2018/19 (51% of
# disadvantaged pupils met the expected standard in reading, writing and maths against 71% of the
# others, a gap of about 20 points; Attainment 8 of 36.7 against 50.3, a gap of about 13.6).
# Spreads are assumed. Exclusion rates are skewed (most schools exclude nobody permanently), so
# they are drawn from a lognormal with that mean.
CONSTANT_MEASURES: dict[str, dict[str, tuple[float, float, str]]] = {
    "excl_suspension_rate": {
        PRIMARY: (1.4, 1.6, "lognormal"),
        SECONDARY: (10.8, 9.0, "lognormal"),
        ALL_THROUGH: (8.0, 7.0, "lognormal"),
        SPECIAL: (12.0, 12.0, "lognormal"),
    },
    "excl_permanent_rate": {
        PRIMARY: (0.02, 0.05, "lognormal"),
        SECONDARY: (0.20, 0.25, "lognormal"),
        ALL_THROUGH: (0.15, 0.2, "lognormal"),
        SPECIAL: (0.06, 0.12, "lognormal"),
    },
    "ks2_disadvantaged_gap": {PRIMARY: (20.0, 12.0, "normal"), ALL_THROUGH: (20.0, 12.0, "normal")},
    "ks4_disadvantaged_gap": {SECONDARY: (13.6, 6.0, "normal"), ALL_THROUGH: (13.6, 6.0, "normal")},
}

# National overall and persistent (10%) absence by academic year, from DfE "Pupil absence in
# schools in England" (state-funded primary, secondary and special schools, full year, rounded;
# 2024/25 estimated). The absence file is taken as 2018/19 (data/SOURCES.md); other years are its
# distribution scaled by the year's national rate against 2018/19's.
ABSENCE_BY_YEAR = {
    2015: (4.6, 10.5),
    2016: (4.7, 10.8),
    2017: (4.7, 11.2),
    2018: (4.7, 10.9),
    2021: (7.6, 22.5),
    2022: (7.4, 21.2),
    2023: (7.1, 20.0),
    2024: (6.9, 18.0),
}
ABSENCE_FILE_YEAR = 2018
# No key stage 2 or 4 results were published for 2019/20 or 2020/21, nor school-level absence
# (assessments cancelled and schools closed in the pandemic).
NOT_PUBLISHED = {"ks2": {2019, 2020}, "ks4": {2019, 2020}, "abs": {2019, 2020}}
# The 10% persistent-absence threshold replaced the 15% one from 2015/16.
PERSISTENT_10_FROM = 2015


@dataclass(frozen=True)
class Quantiles:
    """An empirical distribution as evenly spaced quantiles: ``at(u)``, for ``u`` uniform in
    [0, 1), draws from it, and a ``u`` that moves with a school's strength moves the value with it."""

    points: tuple[float, ...]

    @classmethod
    def of(cls, values) -> Quantiles:
        array = np.asarray(values, dtype=float)
        return cls(tuple(float(v) for v in np.quantile(array, np.linspace(0, 1, QUANTILE_STEPS))))

    @classmethod
    def parametric(cls, mean: float, spread: float, kind: str) -> Quantiles:
        """A normal or lognormal distribution (with this mean and standard deviation), as quantiles."""
        unit = NormalDist()
        zs = [unit.inv_cdf(p) for p in np.linspace(0.0005, 0.9995, QUANTILE_STEPS)]
        if kind == "lognormal":
            sigma = math.sqrt(math.log(1 + (spread / mean) ** 2))
            mu = math.log(mean) - sigma**2 / 2
            return cls(tuple(math.exp(mu + sigma * z) for z in zs))
        return cls(tuple(mean + spread * z for z in zs))

    def at(self, u: float) -> float:
        position = u * (len(self.points) - 1)
        i = min(int(position), len(self.points) - 2)
        low = self.points[i]
        return low + (self.points[i + 1] - low) * (position - i)

    @property
    def mean(self) -> float:
        return float(np.mean(self.points))


@dataclass(frozen=True)
class Phase:
    """What a phase of school looks like in England."""

    key: str
    share: float  # of state-funded schools
    academy_share: float
    maintained_types: tuple[tuple[str, float], ...]  # GIAS type name, share within the maintained
    academy_types: tuple[tuple[str, float], ...]  # GIAS type name, share within the academies
    roll: Quantiles  # pupils on roll
    fsm: Quantiles  # % of pupils eligible for free school meals
    grades: tuple[float, float, float, float]  # at the most recent inspection: outstanding … inadequate
    single_sex: float
    sources: tuple[str, ...] = ()

    @property
    def gias_code(self) -> str:
        return GIAS_PHASES[self.key][0]

    @property
    def gias_name(self) -> str:
        return GIAS_PHASES[self.key][1]


@dataclass(frozen=True)
class MeasureShape:
    """A performance measure: its values by phase, which way is better, and its published markers."""

    code: str
    family: str  # census, ks2, ks4, abs or excl: which file (and which years) it belongs to
    values: dict[str, Quantiles]  # phase key → distribution of the published figures
    decimals: int
    low: float
    high: float
    direction: int  # +1 higher is better, -1 lower is better, 0 neither (a characteristic)
    markers: tuple[tuple[str, float], ...] = ()  # published marker, share of school figures
    source: str = ""
    first_year: int | None = None
    last_year: int | None = None

    def published_in(self, year: int) -> bool:
        if self.first_year is not None and year < self.first_year:
            return False
        if self.last_year is not None and year > self.last_year:
            return False
        return year not in NOT_PUBLISHED.get(self.family, set())

    def scale(self, year: int) -> float:
        """How this year's national level compares with the file's year (absence only)."""
        if self.family != "abs" or self.code == "abs_persistent15_pct":
            return 1.0
        column = 1 if self.code == "abs_persistent10_pct" else 0
        known = sorted(ABSENCE_BY_YEAR)
        nearest = min(known, key=lambda y: (abs(y - year), -y))
        return ABSENCE_BY_YEAR[nearest][column] / ABSENCE_BY_YEAR[ABSENCE_FILE_YEAR][column]


@dataclass(frozen=True)
class Authority:
    code: int
    name: str
    region_code: str
    region_name: str
    schools: int  # state-funded schools in the census: how many of the generated schools it gets


@dataclass(frozen=True)
class Trust:
    uid: int
    group_id: str
    name: str
    companies_house_number: str
    incorporated_on: str
    town: str
    postcode: str
    academies: int  # in the group links: how likely it is to take a generated academy


@dataclass(frozen=True)
class Distributions:
    phases: dict[str, Phase]
    measures: dict[str, MeasureShape]
    authorities: tuple[Authority, ...]
    trusts: tuple[Trust, ...]
    mat_share: float  # of academies in a multi-academy trust (the rest in a single-academy trust)
    type_codes: dict[str, str]  # GIAS type name → code
    primary_ages: tuple[tuple[str, tuple[int, int], float], ...]  # (kind, ages, share)
    religious_character: dict[str, tuple[tuple[str, float], ...]]  # type name → (character, share)
    report_card_grades: tuple[float, ...] = REPORT_CARD_GRADES
    notes: dict[str, str] = field(default_factory=dict)


@functools.cache
def load() -> Distributions:
    """Read the files once and derive every share, mean and spread the generator uses."""
    census = _census()
    links = _academy_links()
    la_lists = _la_lists()
    phases = _phases(census, links, la_lists)
    return Distributions(
        phases=phases,
        measures=_measures(census),
        authorities=_authorities(census),
        trusts=_trusts(),
        mat_share=_mat_share(),
        type_codes=_type_codes(),
        primary_ages=_primary_ages(),
        religious_character=_religious_character(),
    )


# The register ---------------------------------------------------------------------------------


def _read(path: Path, **kwargs) -> pd.DataFrame:
    encoding = "cp1252" if "edubasealldata" in path.name else "utf-8-sig"
    return pd.read_csv(path, dtype=str, encoding=encoding, keep_default_na=False, **kwargs)


def _numbers(series: pd.Series) -> pd.Series:
    """Published cells as numbers; markers and blanks become NaN (KS4 percentages end in %)."""
    return pd.to_numeric(series.str.removesuffix("%"), errors="coerce")


@functools.cache
def _census() -> pd.DataFrame:
    """State-funded schools of the census with their phase."""
    census = _read(CENSUS)
    census = census[census["SCHOOLTYPE"].isin(CENSUS_TYPES) & census["URN"].str.isdigit()].copy()
    census["phase"] = census["SCHOOLTYPE"].map(CENSUS_TYPES)
    return census


@functools.cache
def _group_links() -> pd.DataFrame:
    return _read(GROUP_LINKS)


def _academy_links() -> pd.DataFrame:
    """One row per academy in the GIAS group links, with its phase."""
    links = _group_links().drop_duplicates("URN")
    links = links[links["TypeOfEstablishment (name)"].isin(ACADEMY_TYPES)].copy()
    gias_phase = links["PhaseOfEducation (name)"]
    links["phase"] = np.select(
        [
            links["TypeOfEstablishment (name)"].str.contains("special"),
            gias_phase.isin(["Primary", "Middle deemed primary"]),
            gias_phase.isin(["Secondary", "Middle deemed secondary"]),
            gias_phase == "All-through",
        ],
        [SPECIAL, PRIMARY, SECONDARY, ALL_THROUGH],
        default="",
    )
    return links[links["phase"] != ""]


_BIRMINGHAM_TYPES = {
    "Community School": "Community school",
    "Voluntary Aided School": "Voluntary aided school",
    "Voluntary Controlled School": "Voluntary controlled school",
    "Foundation School": "Foundation school",
    "LA Nursery School": "Local authority nursery school",
}
_BIRMINGHAM_PHASES = {
    "Primary": PRIMARY,
    "Infants": PRIMARY,
    "Juniors": PRIMARY,
    "Secondary": SECONDARY,
    "All Through": ALL_THROUGH,
    "Special": SPECIAL,
    "Nursery": NURSERY,
}
_WARWICKSHIRE_PHASES = {"Primary": PRIMARY, "Secondary": SECONDARY, "All-through": ALL_THROUGH, "Nursery": NURSERY}
_MAINTAINED = {
    "Community school",
    "Voluntary aided school",
    "Voluntary controlled school",
    "Foundation school",
    "Local authority nursery school",
    "Community special school",
    "Foundation special school",
}


def _la_lists() -> pd.DataFrame:
    """The Birmingham and Warwickshire lists as (phase, GIAS type name) of each maintained school."""
    birmingham = _read(BIRMINGHAM, usecols=["school_group", "maintain_status"])
    birmingham = birmingham[birmingham["maintain_status"].isin(_BIRMINGHAM_TYPES)]
    b_phase = birmingham["school_group"].map(_BIRMINGHAM_PHASES)
    b_type = birmingham["maintain_status"].map(_BIRMINGHAM_TYPES)
    b_type = b_type.where(b_phase != SPECIAL, b_type.str.replace(" school", " special school"))
    warwickshire = _read(WARWICKSHIRE, usecols=["type", "phase"])
    w_phase = warwickshire["phase"].map(_WARWICKSHIRE_PHASES)
    w_phase = w_phase.where(~warwickshire["type"].str.contains("special"), SPECIAL)
    rows = pd.DataFrame(
        {"phase": pd.concat([b_phase, w_phase]), "type": pd.concat([b_type, warwickshire["type"]])}
    ).dropna()
    return rows[rows["type"].isin(_MAINTAINED)]


def _shares(counts: Counter | pd.Series) -> tuple[tuple[str, float], ...]:
    items = sorted(((str(k), float(v)) for k, v in dict(counts).items() if v > 0), key=lambda kv: (-kv[1], kv[0]))
    total = sum(v for _, v in items)
    return tuple((k, v / total) for k, v in items)


def _phases(census: pd.DataFrame, academies: pd.DataFrame, la_lists: pd.DataFrame) -> dict[str, Phase]:
    counts = census["phase"].value_counts()
    academy_counts = academies["phase"].value_counts()
    # The census counts all-through schools among the secondaries; the group links tell them apart.
    all_through = academy_counts.get(ALL_THROUGH, 0) / (
        academy_counts.get(ALL_THROUGH, 0) + academy_counts.get(SECONDARY, 0)
    )
    schools = {
        PRIMARY: counts[PRIMARY],
        SECONDARY: counts[SECONDARY] * (1 - all_through),
        ALL_THROUGH: counts[SECONDARY] * all_through,
        SPECIAL: counts[SPECIAL],
        NURSERY: counts[NURSERY],
    }
    total = sum(schools.values())
    roll = _numbers(census["NOR"])
    fsm = _numbers(census["NUMFSM"]) * 100 / roll
    grades = _ofsted_grades(census)
    single_sex = _single_sex()
    phases = {}
    for key in PHASES:
        census_phase = SECONDARY if key == ALL_THROUGH else key
        in_phase = census["phase"] == census_phase
        maintained = la_lists[la_lists["phase"] == key]["type"].value_counts()
        if maintained.sum() < 5:  # too few in the lists (all-through): the secondaries' mix
            maintained = la_lists[la_lists["phase"] == SECONDARY]["type"].value_counts()
        academy_types = academies[academies["phase"] == key]["TypeOfEstablishment (name)"].value_counts()
        phases[key] = Phase(
            key=key,
            share=float(schools[key] / total),
            academy_share=float(min(0.95, academy_counts.get(key, 0) / schools[key])),
            maintained_types=_shares(maintained),
            academy_types=_shares(academy_types),
            roll=Quantiles.of(roll[in_phase & (roll >= 5)].dropna()),
            fsm=Quantiles.of(fsm[in_phase & (roll >= 5)].dropna().clip(0, 100)),
            grades=grades[key],
            single_sex=single_sex.get(key, 0.0),
            sources=(
                "share: census school types (all-through split from secondary by the GIAS group links)",
                "academy share and types: GIAS group links against the census; maintained types: LA lists",
                "roll and % FSM: census NOR and NUMFSM / NOR",
                f"Ofsted grades: {'ratings file' if key in (SECONDARY, SPECIAL, ALL_THROUGH) else 'Ofsted statistics'}",
            ),
        )
    return phases


def _ofsted_grades(census: pd.DataFrame) -> dict[str, tuple[float, float, float, float]]:
    """Shares outstanding, good, requires improvement and inadequate at the latest inspection."""
    ratings = _read(RATINGS).merge(census[["URN", "phase"]], on="URN")
    grade = ratings["Rating"].map({"Outstanding": 0, "Good": 1, "Requires Improvement": 2, "Satisfactory": 2})
    grade = grade.where(ratings["Rating"] != "Inadequate", 3)
    ratings = ratings.assign(grade=grade).dropna(subset=["grade"])
    found: dict[str, tuple[float, float, float, float]] = {}
    for key in (SECONDARY, SPECIAL):
        counts = ratings[ratings["phase"] == key]["grade"].value_counts()
        total = counts.sum()
        found[key] = tuple(float(counts.get(g, 0) / total) for g in range(4))  # type: ignore[assignment]
    found[ALL_THROUGH] = found[SECONDARY]
    outstanding, good, ri, inadequate = ALL_SCHOOLS_GRADES
    for key, better in GOOD_OR_BETTER.items():
        worse = 1 - better
        found[key] = (
            better * outstanding / (outstanding + good),
            better * good / (outstanding + good),
            worse * ri / (ri + inadequate),
            worse * inadequate / (ri + inadequate),
        )
    return found


def _single_sex() -> dict[str, float]:
    warwickshire = _read(WARWICKSHIRE, usecols=["phase", "gender"])
    shares = {}
    for name, key in _WARWICKSHIRE_PHASES.items():
        rows = warwickshire[warwickshire["phase"] == name]
        if len(rows) >= 5:
            shares[key] = float((rows["gender"] != "Mixed").mean())
    return shares


def _primary_ages() -> tuple[tuple[str, tuple[int, int], float], ...]:
    """Infant, junior and primary schools: Birmingham's list says how many of each."""
    groups = _read(BIRMINGHAM, usecols=["school_group"])["school_group"].value_counts()
    kinds = [("Infant", (4, 7), "Infants"), ("Junior", (7, 11), "Juniors"), ("Primary", (4, 11), "Primary")]
    total = sum(groups.get(name, 0) for *_, name in kinds)
    return tuple((kind, ages, float(groups.get(name, 0) / total)) for kind, ages, name in kinds)


def _religious_character() -> dict[str, tuple[tuple[str, float], ...]]:
    warwickshire = _read(WARWICKSHIRE, usecols=["type", "religion"])
    warwickshire = warwickshire[warwickshire["religion"] != ""]
    return {
        type_name: _shares(rows["religion"].value_counts())
        for type_name, rows in warwickshire.groupby("type")
        if len(rows) >= 3
    }


def _type_codes() -> dict[str, str]:
    links = _group_links()[["TypeOfEstablishment (code)", "TypeOfEstablishment (name)"]].drop_duplicates()
    return dict(zip(links["TypeOfEstablishment (name)"], links["TypeOfEstablishment (code)"], strict=True))


def _authorities(census: pd.DataFrame) -> tuple[Authority, ...]:
    codes = _read(LA_CODES)
    schools = census["LA"].value_counts()
    return tuple(
        Authority(int(row[0]), row[1], row[2], row[3], int(schools.get(row[0], 1)))
        for row in codes.itertuples(index=False)
    )


def _trusts() -> tuple[Trust, ...]:
    groups = _read(GROUPS)
    groups = groups[(groups["Group Type"] == "Multi-academy trust") & (groups["Group Status"] == "Open")]
    sizes = _group_links()
    sizes = sizes[sizes["Group Type"] == "Multi-academy trust"]["Group UID"].value_counts()
    trusts = []
    for row in groups.itertuples(index=False):
        size = int(sizes.get(row[0], 0))
        if size:
            number = row[3].split(".")[0]
            trusts.append(
                Trust(
                    uid=int(row[0]),
                    group_id=row[1],
                    name=row[2],
                    companies_house_number=number.zfill(8) if number else "",
                    incorporated_on=row[8],
                    town=row[14],
                    postcode=row[16],
                    academies=size,
                )
            )
    return tuple(sorted(trusts, key=lambda t: t.uid))


def _mat_share() -> float:
    links = _group_links()
    links = links[links["TypeOfEstablishment (name)"].isin(ACADEMY_TYPES)]
    in_mat = set(links[links["Group Type"] == "Multi-academy trust"]["URN"])
    in_sat = set(links[links["Group Type"] == "Single-academy trust"]["URN"]) - in_mat
    return len(in_mat) / (len(in_mat) + len(in_sat))


# Performance measures --------------------------------------------------------------------------

# code: (family, file, column, higher is better, the rows of the file that are schools)
_FILE_MEASURES = {
    "census_nor": ("census", CENSUS, "NOR", 0),
    "census_fsm6_pct": ("census", CENSUS, "PNUMFSMEVER", 0),
    "ks2_read_progress_pct": ("ks2", KS2, "PT2READ12", 1),
    "ks2_write_progress_pct": ("ks2", KS2, "PT2WRITTA12", 1),
    "ks2_maths_progress_pct": ("ks2", KS2, "PT2MATH12", 1),
    "ks2_aps": ("ks2", KS2, "TAPS", 1),
    "ks4_att8": ("ks4", KS4, "ATT8SCR", 1),
    "ks4_p8": ("ks4", KS4, "P8MEA", 1),
    "ks4_basics_94_pct": ("ks4", KS4, "PTL2BASICS_94", 1),
    "abs_overall_pct": ("abs", ABSENCE, "PERCTOT", -1),
    "abs_persistent10_pct": ("abs", ABSENCE, "PPERSABS10", -1),
    "abs_persistent15_pct": ("abs", ABSENCE_OLDER, "PPERSABS15", -1),
}
_FAMILY_PHASES = {
    "ks2": (PRIMARY, ALL_THROUGH),
    "ks4": (SECONDARY, ALL_THROUGH),
    "abs": (PRIMARY, SECONDARY, ALL_THROUGH, SPECIAL),
    "excl": (PRIMARY, SECONDARY, ALL_THROUGH, SPECIAL),
    "census": PHASES,
}


def _rows_of(family: str, path: Path, census: pd.DataFrame) -> pd.DataFrame:
    """The file's rows for state-funded schools, each with the phase whose figures it gives."""
    rows = _read(path)
    if family == "ks2":
        rows = rows[rows["RECTYPE"] == "1"].assign(phase=PRIMARY)  # 1: mainstream schools
    elif family == "ks4":
        rows = rows[(rows["RECTYPE"] == "1") & (rows["NFTYPE"] != "IND")].assign(phase=SECONDARY)
    elif family == "abs":
        rows = rows.merge(census[["URN", "phase"]], on="URN")
    else:
        rows = census
    return rows


def _decimals(texts: pd.Series) -> int:
    """The number of decimal places the file publishes (the commonest, over a sample of cells)."""
    places = Counter(len(text.partition(".")[2].rstrip("%")) for text in texts.iloc[:2000])
    return places.most_common(1)[0][0] if places else 0


def _measures(census: pd.DataFrame) -> dict[str, MeasureShape]:
    shapes: dict[str, MeasureShape] = {}
    files: dict[Path, pd.DataFrame] = {}
    for code, (family, path, column, direction) in _FILE_MEASURES.items():
        if path not in files:
            files[path] = _rows_of(family, path, census)
        rows = files[path]
        texts = rows[column]
        published = texts != ""
        numbers = _numbers(texts)
        markers = texts[published & numbers.isna()].value_counts()
        values: dict[str, Quantiles] = {}
        for key in _FAMILY_PHASES[family]:
            source = SECONDARY if key == ALL_THROUGH else key
            if family in ("ks2", "ks4"):
                source = rows["phase"].iloc[0]
            chosen = numbers[(rows["phase"] == source) & numbers.notna()]
            if code == "census_nor":
                chosen = chosen[chosen >= 5]
            if len(chosen) >= 30:
                values[key] = Quantiles.of(chosen)
        shapes[code] = MeasureShape(
            code=code,
            family=family,
            values=values,
            decimals=_decimals(texts[numbers.notna()]),
            low=float(numbers.min()),
            high=float(numbers.max()),
            direction=direction,
            markers=tuple((str(m), float(n / published.sum())) for m, n in markers.items()),
            source=f"{path.name}, column {column}",
            first_year=PERSISTENT_10_FROM if code == "abs_persistent10_pct" else None,
            last_year=PERSISTENT_10_FROM - 1 if code == "abs_persistent15_pct" else None,
        )
    for code, by_phase in CONSTANT_MEASURES.items():
        family = "excl" if code.startswith("excl_") else code[:3]
        shapes[code] = MeasureShape(
            code=code,
            family=family,
            values={key: Quantiles.parametric(*shape) for key, shape in by_phase.items()},
            decimals=2 if family == "excl" else 1,
            low=0.0 if family == "excl" else -40.0,
            high=100.0 if family == "excl" else 60.0,
            direction=-1,
            source="constant (national statistics, see CONSTANT_MEASURES)",
        )
    return shapes
