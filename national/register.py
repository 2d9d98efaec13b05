"""The register: local authorities, trusts and schools, as GIAS would list them.

Each school gets, besides its GIAS fields, two hidden traits every later part draws on: its
``quality`` (about N(0, 1), higher is stronger: better inspections and results, less often on
the priority list) and its ``disadvantage`` (about N(0, 1), more pupils on free school meals;
weaker schools lean that way, as they do in the census).
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from national import distributions as dist
from national.draws import clamp, day_between, normal_cdf, nth_weekday

FIRST_URN = 100_000
SINGLE_ACADEMY_TRUST_UIDS = 1_000_000  # above every real GIAS group UID
MAINTAINED_GROUP = "Local authority maintained schools"
OPENED_AS = {"Academy converter": "Academy Converter", "Academy sponsor led": "Academy Sponsor Led"}

PLACE_STARTS = [
    "Oak", "Ash", "Beech", "Elm", "Hazel", "Holly", "Willow", "Birch", "Cedar", "Maple", "Brook", "Church",
    "Castle", "Mill", "Bridge", "Green", "Hill", "Park", "Meadow", "Orchard", "Spring", "Stone", "Thorn",
    "Fern", "Heath", "Lark", "Kings", "Queens", "West", "East", "North", "South", "High", "Long", "Red",
    "White", "Black", "Fair", "New", "Abbey", "Rose", "Wheat", "Bar", "Cliff", "Copper", "Hart", "Marsh",
]  # fmt: skip
PLACE_ENDS = [
    "field", "wood", "lands", "side", "gate", "bury", "ton", "ley", "croft", "dale", "hurst", "mead", "bank",
    "well", "ford", "lea", "moor", "view", "combe", "stead", "worth", "by", "thorpe", "ham", "cote",
]  # fmt: skip
SAINTS = [
    "Mary's", "Joseph's", "John's", "Peter's", "Paul's", "Michael's", "Anne's", "Thomas's", "Andrew's",
    "Margaret's", "Bernadette's", "Augustine's", "Patrick's", "Teresa's", "Chad's", "George's", "Luke's",
    "Mark's", "Matthew's", "James's", "Edmund's", "Hilda's", "Alban's", "Bede's", "Wilfrid's",
]  # fmt: skip
STREETS = ["Road", "Lane", "Street", "Avenue", "Way", "Drive", "Close", "Grove"]
FIRST_NAMES = {
    "f": [
        "Amira", "Chloe", "Emma", "Farah", "Hannah", "Jane", "Laura", "Naomi", "Priya", "Rachel", "Uma",
        "Yasmin", "Alison", "Bethan", "Claire", "Deborah", "Eleanor", "Fiona", "Gemma", "Helen", "Joanne",
        "Katherine", "Lucy", "Nadia", "Rebecca", "Sarah", "Sian", "Victoria", "Zainab", "Grace",
    ],
    "m": [
        "Ben", "David", "George", "Imran", "Kwame", "Mohammed", "Owen", "Sam", "Tariq", "William", "Aled",
        "Gareth", "Adam", "Chris", "Daniel", "Edward", "Gary", "Ian", "James", "Karl", "Liam", "Mark",
        "Neil", "Paul", "Richard", "Simon", "Tom", "Vikram", "Andrew", "Joseph",
    ],
}  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Baker", "Clarke", "Davies", "Evans", "Fisher", "Green", "Hughes", "Iqbal", "Johnson", "Khan",
    "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Underwood",
    "Varga", "Walker", "Young", "Adeyemi", "Bennett", "Campbell", "Dixon", "Edwards", "Fletcher", "Graham",
    "Harris", "Jones", "Kaur", "Murphy", "Nelson", "O'Brien", "Price", "Robinson", "Shah", "Thompson",
    "Wilson", "Wright", "Begum", "Chowdhury", "Mensah", "Kowalski", "Hussain", "Marsh", "Collins",
]  # fmt: skip
# Establishment number series a local authority gives each kind of school (GIAS convention:
# nursery 1xxx, primary 2xxx and 3xxx for voluntary schools, secondary 4xxx and 5xxx, special 7xxx).
NUMBER_SERIES = {
    dist.NURSERY: 1000,
    dist.PRIMARY: 2000,
    dist.SECONDARY: 4000,
    dist.ALL_THROUGH: 4500,
    dist.SPECIAL: 7000,
}


@dataclass(frozen=True)
class PlannedSchool:
    """What the later parts need to know of a generated school."""

    pk: int
    urn: int
    la_pk: int
    phase: str  # a key of distributions.PHASES
    maintained: bool
    type_name: str
    name: str
    quality: float
    disadvantage: float
    opened: date
    closed: date | None
    roll: int
    sixth_form: bool
    head_title: str
    head_first_name: str
    head_last_name: str

    def open_on(self, day: date) -> bool:
        return self.opened <= day and (self.closed is None or self.closed > day)

    @property
    def head_name(self) -> str:
        return f"{self.head_first_name} {self.head_last_name}"


@dataclass
class Register:
    authorities: list[dict[str, Any]]  # LocalAuthority rows
    groups: list[dict[str, Any]]  # SchoolGroup rows
    memberships: list[dict[str, Any]]  # GroupMembership rows
    school_rows: list[dict[str, Any]]  # School rows, without the latest inspection
    schools: list[PlannedSchool] = field(default_factory=list)
    la_names: dict[int, str] = field(default_factory=dict)  # LocalAuthority pk → name
    la_codes: dict[int, int] = field(default_factory=dict)  # LocalAuthority pk → code


def _choice(rng: random.Random, shares: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([name for name, _ in shares], [share for _, share in shares])[0]


def place_name(rng: random.Random) -> str:
    start, end = rng.choice(PLACE_STARTS), rng.choice(PLACE_ENDS)
    return f"{start}{end}" if not start.lower().endswith(end[0]) else f"{start} {end.title()}"


def person(rng: random.Random) -> tuple[str, str, str]:
    """A title, first name and last name."""
    sex = rng.choice("fm")
    title = rng.choices(["Mrs", "Ms", "Miss", "Dr"], [0.45, 0.4, 0.1, 0.05])[0] if sex == "f" else None
    title = title or rng.choices(["Mr", "Dr"], [0.94, 0.06])[0]
    return title, rng.choice(FIRST_NAMES[sex]), rng.choice(LAST_NAMES)


def _school_name(rng: random.Random, phase: str, kind: str, type_name: str, maintained: bool, religion: str) -> str:
    place = place_name(rng)
    academy = not maintained
    if phase == dist.NURSERY:
        return f"{place} Nursery School"
    if phase in (dist.PRIMARY,):
        noun = {"Infant": "Infant", "Junior": "Junior"}.get(kind, "Primary")
        if religion == "Church of England":
            lead = f"St {rng.choice(SAINTS)}" if rng.random() < 0.5 else place
            return f"{lead} Church of England {noun} {'Academy' if academy else 'School'}"
        if religion == "Roman Catholic":
            return f"St {rng.choice(SAINTS)} Catholic {noun} {'Academy' if academy else 'School'}"
        if type_name == "Free schools":
            return f"{place} {noun} Free School"
        return f"{place} {noun} {'Academy' if academy and rng.random() < 0.6 else 'School'}"
    if phase == dist.SPECIAL:
        return f"{place} {rng.choice(['School', 'Special School', 'Academy' if academy else 'School'])}"
    if type_name == "University technical college":
        return f"{place} University Technical College"
    if type_name == "Studio schools":
        return f"{place} Studio School"
    if religion == "Roman Catholic":
        return f"St {rng.choice(SAINTS)} Catholic {'Academy' if academy else 'High School'}"
    if religion == "Church of England":
        return f"{place} Church of England {'Academy' if academy else 'School'}"
    if phase == dist.ALL_THROUGH:
        return f"{place} {'All-Through Academy' if academy else 'All-Through School'}"
    nouns = (
        ["Academy", "Academy", "High School", "School"] if academy else ["High School", "School", "Community College"]
    )
    return f"{place} {rng.choice(nouns)}"


def _ages(rng: random.Random, phase: str, kind_ages: tuple[int, int], sixth_form: bool) -> tuple[int, int]:
    if phase == dist.PRIMARY:
        return kind_ages
    if phase == dist.SECONDARY:
        return (11, 18 if sixth_form else 16)
    if phase == dist.ALL_THROUGH:
        return (4, 18 if sixth_form else 16)
    if phase == dist.SPECIAL:
        return rng.choice([(2, 19), (4, 19), (11, 19), (5, 16)])
    return rng.choice([(2, 5), (3, 5)])


def plan(rng: random.Random, *, count: int, years: int, as_of: date, window_start: date) -> Register:
    """``count`` schools in England's mix of phases, types, sizes and authorities."""
    shapes = dist.load()
    authorities = list(shapes.authorities)
    la_rows = [
        {"id": i, "code": a.code, "name": a.name, "region_code": a.region_code, "region_name": a.region_name}
        for i, a in enumerate(authorities, start=1)
    ]
    la_weights = list(itertools.accumulate(a.schools for a in authorities))
    phase_names = list(shapes.phases)
    phase_weights = [shapes.phases[p].share for p in phase_names]
    trusts = list(shapes.trusts)
    trust_weights = list(itertools.accumulate(t.academies for t in trusts))
    census_year = as_of.year if as_of.month >= 2 else as_of.year - 1
    census_date = nth_weekday(census_year, 1, 3, 3)  # the January census, on its third Thursday
    new_share = min(0.5, dist.OPENED_PER_YEAR * years)
    closed_share = min(0.5, dist.CLOSED_PER_YEAR * years)

    register = Register(authorities=la_rows, groups=[], memberships=[], school_rows=[])
    register.la_names = {row["id"]: row["name"] for row in la_rows}
    register.la_codes = {row["id"]: row["code"] for row in la_rows}
    numbers: dict[tuple[int, int], int] = {}
    used_trusts: dict[int, int] = {}  # trust uid → SchoolGroup id
    for i in range(count):
        pk, urn = i + 1, FIRST_URN + i
        phase_key = rng.choices(phase_names, phase_weights)[0]
        phase = shapes.phases[phase_key]
        maintained = rng.random() >= phase.academy_share or not phase.academy_types
        type_name = _choice(rng, phase.maintained_types if maintained else phase.academy_types)
        if maintained:
            group = "Special schools" if "special" in type_name else MAINTAINED_GROUP
        else:
            group = "Free Schools" if type_name in dist.FREE_SCHOOL_TYPES else "Academies"
        authority = bisect.bisect_right(la_weights, rng.random() * la_weights[-1])
        la_pk = authority + 1
        kind, kind_ages = "", (4, 11)
        if phase_key == dist.PRIMARY:
            kind, kind_ages, _ = rng.choices(shapes.primary_ages, [s for *_, s in shapes.primary_ages])[0]
        sixth_form = phase_key in (dist.SECONDARY, dist.ALL_THROUGH) and rng.random() < dist.SIXTH_FORM_SHARE
        low, high = _ages(rng, phase_key, kind_ages, sixth_form)
        religion = _choice(rng, shapes.religious_character.get(type_name, (("Does not apply", 1.0),)))
        if phase_key == dist.SPECIAL or type_name in ("Community school", "Local authority nursery school"):
            religion = "Does not apply"
        name = _school_name(rng, phase_key, kind, type_name, maintained, religion)

        if rng.random() < new_share:
            opened = date(rng.randint(window_start.year, max(window_start.year, as_of.year - 1)), 9, 1)
            reason_opened = "Academy Free School" if group == "Free Schools" else "New Provision"
        elif maintained:
            opened = day_between(rng, date(1950, 1, 1), date(2005, 8, 31))
            reason_opened = "Not applicable"
        else:  # an academy's GIAS record opens when it converts
            opened = day_between(rng, date(2011, 9, 1), date(2022, 9, 1))
            reason_opened = OPENED_AS.get(
                type_name, "Academy Free School" if group == "Free Schools" else "Academy Converter"
            )
        closed = None
        if rng.random() < closed_share:
            first, last = max(window_start, opened + timedelta(days=730)), as_of - timedelta(days=30)
            closed = day_between(rng, first, last) if first < last else None

        roll = max(5, round(phase.roll.at(rng.random())))
        quality = rng.gauss(0, 1)
        disadvantage = -0.45 * quality + math.sqrt(1 - 0.45**2) * rng.gauss(0, 1)
        fsm = clamp(phase.fsm.at(normal_cdf(disadvantage)), 0, 100)
        title, first, last = person(rng)
        series = NUMBER_SERIES[phase_key] + (1000 if type_name.startswith("Voluntary") else 0)
        numbers[(la_pk, series)] = numbers.get((la_pk, series), series) + 1
        number = numbers[(la_pk, series)]
        gender = rng.choice(["Boys", "Girls"]) if rng.random() < phase.single_sex else "Mixed"
        la_name = register.la_names[la_pk]
        row: dict[str, Any] = {
            "id": pk,
            "urn": urn,
            "la_id": la_pk,
            "establishment_number": number,
            "laestab": register.la_codes[la_pk] * 10000 + number,
            "name": name,
            "type_code": shapes.type_codes.get(type_name, ""),
            "type_name": type_name,
            "type_group_code": dist.TYPE_GROUP_CODES[group],
            "type_group_name": group,
            "status_code": "2" if closed else "1",
            "status_name": "Closed" if closed else "Open",
            "open_date": opened,
            "reason_opened": reason_opened,
            "close_date": closed,
            "reason_closed": rng.choice(["Closure", "Merged"]) if closed else "",
            "phase_code": phase.gias_code,
            "phase_name": phase.gias_name,
            "statutory_low_age": low,
            "statutory_high_age": high,
            "gender": gender,
            "religious_character": religion,
            "admissions_policy": (
                ("Selective" if rng.random() < 0.05 else "Non-selective")  # about 160 grammar schools
                if phase_key == dist.SECONDARY
                else "Not applicable"
            ),
            "head_title": title,
            "head_first_name": first,
            "head_last_name": last,
            "head_job_title": "Headteacher" if rng.random() < 0.9 else "Executive Headteacher",
            "pupils_on_roll": roll,
            "capacity": max(roll, round(roll * rng.uniform(1.0, 1.3) / 5) * 5),
            "percentage_fsm": Decimal(f"{fsm:.1f}"),
            "census_date": census_date,
            "street": f"{rng.randint(1, 250)} {place_name(rng)} {rng.choice(STREETS)}",
            "town": la_name,
            "region_name": authorities[authority].region_name,
            "last_changed_date": as_of - timedelta(days=rng.randrange(400)),
        }
        if not maintained:
            _join_trust(rng, register, row, shapes, trusts, trust_weights, used_trusts, opened)
        register.school_rows.append(row)
        register.schools.append(
            PlannedSchool(
                pk=pk,
                urn=urn,
                la_pk=la_pk,
                phase=phase_key,
                maintained=maintained,
                type_name=type_name,
                name=name,
                quality=quality,
                disadvantage=disadvantage,
                opened=opened,
                closed=closed,
                roll=roll,
                sixth_form=sixth_form,
                head_title=title,
                head_first_name=first,
                head_last_name=last,
            )
        )
    return register


def _join_trust(
    rng: random.Random,
    register: Register,
    row: dict[str, Any],
    shapes: dist.Distributions,
    trusts: list[dist.Trust],
    weights: list[int],
    used: dict[int, int],
    opened: date,
) -> None:
    """Put an academy in a multi-academy trust (a real one, the bigger the likelier) or in a
    single-academy trust of its own."""
    if trusts and rng.random() < shapes.mat_share:
        trust = trusts[bisect.bisect_right(weights, rng.random() * weights[-1])]
        if trust.uid not in used:
            used[trust.uid] = len(register.groups) + 1
            register.groups.append(
                {
                    "id": used[trust.uid],
                    "uid": trust.uid,
                    "group_id": trust.group_id,
                    "name": trust.name,
                    "companies_house_number": trust.companies_house_number,
                    "type_code": "6",
                    "type_name": "Multi-academy trust",
                    "status": "Open",
                    "incorporated_on": date.fromisoformat(trust.incorporated_on) if trust.incorporated_on else None,
                    "town": trust.town,
                    "postcode": trust.postcode,
                }
            )
        group = used[trust.uid]
    else:
        group = len(register.groups) + 1
        register.groups.append(
            {
                "id": group,
                "uid": SINGLE_ACADEMY_TRUST_UIDS + group,
                "group_id": f"TR{90000 + group}",
                "name": f"{row['name']} Trust".upper(),
                "type_code": "10",
                "type_name": "Single-academy trust",
                "status": "Open",
                "open_date": opened,
                "incorporated_on": opened - timedelta(days=rng.randint(30, 200)),
                "town": row["town"],
            }
        )
    row["trust_id"] = group
    register.memberships.append(
        {"id": len(register.memberships) + 1, "group_id": group, "school_id": row["id"], "joined_date": opened}
    )
