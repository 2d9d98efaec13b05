"""Build the demo's input files from the real public data in ``data/``.

No public file gives a whole authority's GIAS register or Ofsted's management information, so
the demo assembles them, in their published layouts, from what is real:

* the register (``edubasealldata`` layout, Windows-1252): Birmingham's council list joined to
  the DfE census on LA 330 + establishment number (which gives URN and pupils), Warwickshire's
  GIAS-derived list (URN, type, head, phase …) with its LA from the census, performance tables
  or its predecessor's record, and the two real GIAS samples as published; trusts and
  federations from the real GIAS group links;
* Ofsted inspections (both published layouts): the real latest overall effectiveness from the
  ratings file (or the GIAS sample's OfstedRating and date), with the detail no public file here
  holds — inspection numbers, dates where unknown, key judgements, earlier inspections, and
  every inspection since September 2024 — generated from a fixed seed.
* Estyn inspections (the portal's own layout, ``docs/data-formats.md``) for the Welsh schools of
  the Central South Consortium (LAs 672–675 and 681), generated in each framework's shape for
  its dates, a few in follow-up. Welsh schools get no Ofsted records: Estyn inspects them.

Everything generated is deterministic: the same files come out every time.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from django.conf import settings

from accounts.models import User
from schools import estyn, ofsted, selectors, services
from schools.access import remit
from schools.importers import estyn as estyn_layout
from schools.importers.ofsted_mi import GRADED_LAYOUT, REPORT_CARD_LAYOUT
from schools.models import Consortium, GovernanceContact, School

DATA_DIR = settings.BASE_DIR / "data"
SEED = 20261123

GIAS_2021 = DATA_DIR / "gias" / "gias_establishments_sample_2021_npq-registration.csv"
GIAS_2018 = DATA_DIR / "gias" / "gias_establishments_sample_2018_schools-experience.csv"
GIAS_LINKS = DATA_DIR / "gias" / "gias_links_edubasealldata20250422.csv"
GIAS_GROUPS = DATA_DIR / "gias" / "gias_groups_2022_processed.csv"
GIAS_GROUP_LINKS = DATA_DIR / "gias" / "gias_group_links_2022_processed.csv"
BIRMINGHAM = DATA_DIR / "local_authority_lists" / "birmingham_schools_bcc_opendata.csv"
WARWICKSHIRE = DATA_DIR / "local_authority_lists" / "warwickshire_county_schools_gias_derived_kosmos.csv"
LA_CODES = DATA_DIR / "reference" / "la_and_region_codes_meta.csv"
CENSUS = DATA_DIR / "performance_tables" / "england_census_KSPDeveloper.csv"
KS2 = DATA_DIR / "performance_tables" / "england_ks2final_subset_columns_RalPan.csv"
KS4 = DATA_DIR / "performance_tables" / "england_ks4provisional_KSPDeveloper.csv"
ABSENCE = DATA_DIR / "performance_tables" / "england_abs_KSPDeveloper.csv"
ABSENCE_OLDER = DATA_DIR / "performance_tables" / "england_abs_RalPan_older.csv"
RATINGS = DATA_DIR / "performance_tables" / "ofsted_ratings_urn_KSPDeveloper.csv"

# Which academic year each performance file is taken to cover (the files do not say; see
# data/SOURCES.md): the KSPDeveloper release is the 2018/19 tables; the older absence file
# uses the 15% persistent-absence threshold and the KS2 file is levels-era, so 2014/15.
PERFORMANCE_FILES = [
    ("census", CENSUS, 2018),
    ("ks4", KS4, 2018),
    ("absence", ABSENCE, 2018),
    ("absence", ABSENCE_OLDER, 2014),
    ("ks2", KS2, 2014),
]

# Generated headteachers for schools whose public list does not name one.
_HEADS = [
    ("Ms", ["Amira", "Chloe", "Emma", "Farah", "Hannah", "Jane", "Laura", "Naomi", "Priya", "Rachel", "Uma", "Yasmin"]),
    (
        "Mr",
        ["Ben", "David", "George", "Imran", "Kwame", "Mohammed", "Owen", "Sam", "Tariq", "William", "Aled", "Gareth"],
    ),
]
_LAST_NAMES = [
    "Ahmed",
    "Baker",
    "Clarke",
    "Davies",
    "Evans",
    "Fisher",
    "Green",
    "Hughes",
    "Iqbal",
    "Johnson",
    "Khan",
    "Lewis",
    "Morgan",
    "Nolan",
    "O'Brien",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Vaughan",
    "Walker",
    "Young",
]

# Birmingham's list says "maintain_status" in its own words; these are the GIAS type codes.
_BIRMINGHAM_TYPES = {
    "Community School": ("1", "Community school"),
    "Voluntary Aided School": ("2", "Voluntary aided school"),
    "Voluntary Controlled School": ("3", "Voluntary controlled school"),
    "Foundation School": ("5", "Foundation school"),
    "Pupil Referral Unit": ("14", "Pupil referral unit"),
    "LA Nursery School": ("15", "Local authority nursery school"),
    "Academy Sponsor Led": ("28", "Academy sponsor led"),
    "Academy Converter": ("34", "Academy converter"),
    "Free Schools": ("35", "Free schools"),
    "Academy Special Converter": ("44", "Academy special converter"),
}
_SPECIAL_OF = {"1": ("7", "Community special school"), "5": ("12", "Foundation special school")}
_TYPE_CODES = {
    "Community school": "1",
    "Voluntary aided school": "2",
    "Voluntary controlled school": "3",
    "Foundation school": "5",
    "Community special school": "7",
    "Foundation special school": "12",
    "Pupil referral unit": "14",
    "Local authority nursery school": "15",
    "Academy sponsor led": "28",
    "Academy special sponsor led": "33",
    "Academy converter": "34",
    "Free schools": "35",
    "Free schools special": "36",
    "Academy special converter": "44",
    "Academy 16-19 converter": "45",
}
_TYPE_GROUPS = {
    "1": ("4", "Local authority maintained schools"),
    "2": ("4", "Local authority maintained schools"),
    "3": ("4", "Local authority maintained schools"),
    "5": ("4", "Local authority maintained schools"),
    "14": ("4", "Local authority maintained schools"),
    "15": ("4", "Local authority maintained schools"),
    "7": ("5", "Special schools"),
    "12": ("5", "Special schools"),
    "28": ("10", "Academies"),
    "33": ("10", "Academies"),
    "34": ("10", "Academies"),
    "44": ("10", "Academies"),
    "45": ("10", "Academies"),
    "35": ("11", "Free Schools"),
    "36": ("11", "Free Schools"),
}
_BIRMINGHAM_PHASES = {
    "Primary": ("2", "Primary"),
    "Infants": ("2", "Primary"),
    "Juniors": ("2", "Primary"),
    "Secondary": ("4", "Secondary"),
    "Nursery": ("1", "Nursery"),
    "All Through": ("7", "All-through"),
}
_PHASE_CODES = {
    "Nursery": "1",
    "Primary": "2",
    "Secondary": "4",
    "16 plus": "6",
    "All-through": "7",
    "Not applicable": "0",
}
_RATING_GRADES = {
    "Outstanding": 1,
    "Good": 2,
    "Requires Improvement": 3,
    "Requires improvement": 3,
    "Satisfactory": 3,
    "Inadequate": 4,
}


def _read(path: Path, encoding: str = "utf-8-sig") -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)


@dataclass
class DemoFiles:
    register: Path
    ofsted_graded: Path
    ofsted_report_cards: Path
    schools: int
    birmingham_joined: int
    warwickshire_joined: int
    estyn: Path | None = None


def build(out_dir: Path) -> DemoFiles:
    """Write the demo's register and Ofsted files into ``out_dir``; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)  # noqa: S311 - seeded so every demo is the same; not for security
    header = list(_read(GIAS_2021).columns)
    census = _read(CENSUS)
    la_names = dict(zip(_read(LA_CODES)["LEA"], _read(LA_CODES)["LA Name"], strict=True))
    groups = _groups_by_urn()

    rows: list[dict[str, str]] = []
    birmingham = _birmingham_rows(census, la_names, groups, rng)
    warwickshire = _warwickshire_rows(census, la_names, groups)
    rows += birmingham + warwickshire
    for path, encoding in ((GIAS_2021, "utf-8-sig"), (GIAS_2018, "utf-8-sig")):
        for record in _read(path, encoding).to_dict("records"):
            rows.append({column: record.get(column, "") for column in header})
    register = out_dir / "edubasealldata_demo.csv"
    _write_csv(register, header, rows, "cp1252")

    graded, report_cards = _inspections(rows, rng)
    ofsted_graded = out_dir / "ofsted_latest_inspections_graded_demo.csv"
    ofsted_rc = out_dir / "ofsted_latest_inspections_report_cards_demo.csv"
    _write_csv(ofsted_graded, graded_header(), graded, "cp1252")
    _write_csv(ofsted_rc, report_card_header(), report_cards, "cp1252")
    estyn_file = out_dir / "estyn_inspections_demo.csv"
    _write_csv(estyn_file, estyn_header(), _estyn_inspections(rows), "utf-8")
    return DemoFiles(
        register, ofsted_graded, ofsted_rc, len(rows), len(birmingham), len(warwickshire), estyn=estyn_file
    )


def _write_csv(path: Path, header: list[str], rows: list[dict[str, str]], encoding: str) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    # Windows-1252 cannot hold every Welsh letter (ŵ, ŷ); GIAS's own downloads show "?" too.
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))


def _groups_by_urn() -> dict[str, dict[str, str]]:
    """Each school's trust and federation from the real GIAS group links."""
    links = _read(GIAS_GROUP_LINKS)
    found: dict[str, dict[str, str]] = {}
    for row in links.to_dict("records"):
        if row["Group Status"] != "Open":
            continue
        kind = row["Group Type"]
        entry = found.setdefault(row["URN"], {})
        if kind in ("Multi-academy trust", "Single-academy trust", "Trust"):
            entry["Trusts (code)"] = row["Group UID"]
            entry["Trusts (name)"] = row["Group Name"]
            entry["TrustSchoolFlag (name)"] = (
                "Supported by a multi-academy trust" if kind.startswith("Multi") else "Supported by a trust"
            )
        elif kind == "Federation":
            entry["Federations (code)"] = row["Group UID"]
            entry["Federations (name)"] = row["Group Name"]
            entry["FederationFlag (name)"] = "Supported by a federation"
    return found


def _fsm_percentage(row: dict[str, str]) -> str:
    try:
        return f"{100 * int(row['NUMFSM']) / int(row['NOR']):.1f}"
    except (ValueError, ZeroDivisionError, KeyError):
        return ""


def _head(rng: random.Random) -> tuple[str, str, str]:
    title, first_names = rng.choice(_HEADS)
    return rng.choice([title, "Dr"]) if rng.random() < 0.1 else title, rng.choice(first_names), rng.choice(_LAST_NAMES)


def _birmingham_rows(census, la_names, groups, rng) -> list[dict[str, str]]:
    by_estab = {r["ESTAB"]: r for r in census[census["LA"] == "330"].to_dict("records")}
    rows = []
    for record in _read(BIRMINGHAM).to_dict("records"):
        pupils = by_estab.get(record["dcfs_no"])
        if pupils is None:
            continue  # no URN to be found for it
        type_code, type_name = _BIRMINGHAM_TYPES.get(record["maintain_status"], ("", record["maintain_status"]))
        if record["school_group"] == "Special" and type_code in _SPECIAL_OF:
            type_code, type_name = _SPECIAL_OF[type_code]
        phase_code, phase_name = _BIRMINGHAM_PHASES.get(record["school_group"], ("0", "Not applicable"))
        group_code, group_name = _TYPE_GROUPS.get(type_code, ("", ""))
        title, first, last = _head(rng)
        rows.append(
            {
                "URN": pupils["URN"],
                "LA (code)": "330",
                "LA (name)": la_names.get("330", "Birmingham"),
                "EstablishmentNumber": record["dcfs_no"],
                "EstablishmentName": record["school_name"],
                "TypeOfEstablishment (code)": type_code,
                "TypeOfEstablishment (name)": type_name,
                "EstablishmentTypeGroup (code)": group_code,
                "EstablishmentTypeGroup (name)": group_name,
                "EstablishmentStatus (code)": "1",
                "EstablishmentStatus (name)": "Open",
                "PhaseOfEducation (code)": phase_code,
                "PhaseOfEducation (name)": phase_name,
                "NumberOfPupils": pupils["NOR"],
                "PercentageFSM": _fsm_percentage(pupils),
                "Street": record["street"],
                "Town": "Birmingham",
                "Postcode": record["postcode"],
                "SchoolWebsite": record["web_site"],
                "HeadTitle (name)": title,
                "HeadFirstName": first,
                "HeadLastName": last,
                "HeadPreferredJobTitle": "Headteacher",
                "GOR (name)": "West Midlands",
                **groups.get(pupils["URN"], {}),
            }
        )
    return rows


def _la_by_urn(census) -> dict[str, str]:
    found: dict[str, str] = {}
    sources = [(census, "URN", "LA"), (_read(ABSENCE), "URN", "LA"), (_read(KS4), "URN", "LEA")]
    for frame, urn_column, la_column in sources:
        for urn, la in zip(frame[urn_column], frame[la_column], strict=True):
            if urn and la and la != "NAT":
                found.setdefault(urn, la)
    return found


def _warwickshire_rows(census, la_names, groups) -> list[dict[str, str]]:
    la_of = _la_by_urn(census)
    predecessors = {}
    for row in _read(GIAS_LINKS, "cp1252").to_dict("records"):
        if row["LinkType"].startswith("Predecessor"):
            predecessors.setdefault(row["URN"], row["LinkURN"])
    pupils_of = {r["URN"]: r for r in census.to_dict("records")}
    rows = []
    for record in _read(WARWICKSHIRE).to_dict("records"):
        urn = record["urn"]
        la = la_of.get(urn) or la_of.get(predecessors.get(urn, ""))
        if not la:
            continue
        type_code = _TYPE_CODES.get(record["type"], "")
        group_code, group_name = _TYPE_GROUPS.get(type_code, ("", ""))
        pupils = pupils_of.get(urn) or pupils_of.get(predecessors.get(urn, ""), {})
        phone = record["phone"].split(".")[0]
        rows.append(
            {
                "URN": urn,
                "LA (code)": la,
                "LA (name)": la_names.get(la, ""),
                "EstablishmentNumber": pupils_of[urn]["ESTAB"] if urn in pupils_of else "",
                "EstablishmentName": record["name"],
                "TypeOfEstablishment (code)": type_code,
                "TypeOfEstablishment (name)": record["type"],
                "EstablishmentTypeGroup (code)": group_code,
                "EstablishmentTypeGroup (name)": group_name,
                "EstablishmentStatus (code)": "1",
                "EstablishmentStatus (name)": record["status"],
                "OpenDate": record["opened_date"].replace("/", "-"),
                "PhaseOfEducation (code)": _PHASE_CODES.get(record["phase"], ""),
                "PhaseOfEducation (name)": record["phase"],
                "Gender (name)": record["gender"],
                "ReligiousCharacter (name)": record["religion"],
                "NumberOfPupils": pupils.get("NOR", "") if pupils.get("NOR") != "NA" else "",
                "PercentageFSM": _fsm_percentage(pupils) if pupils else "",
                "Street": record["street"],
                "Locality": record["locality"],
                "Town": record["town"],
                "County (name)": record["county"],
                "Postcode": record["postcode"],
                "SchoolWebsite": record["website"],
                "TelephoneNum": f"0{phone}" if phone else "",
                "HeadTitle (name)": record["head_title"],
                "HeadFirstName": record["head_first_name"],
                "HeadLastName": record["head_last_name"],
                "HeadPreferredJobTitle": record["head_job_title"],
                "GOR (name)": "West Midlands" if la == "937" else "",
                **groups.get(urn, {}),
            }
        )
    return rows


# Ofsted -----------------------------------------------------------------------------------

_GRADED_KEYS = [
    "Quality of education",
    "Behaviour and attitudes",
    "Personal development",
    "Effectiveness of leadership and management",
]
_RC_FIELDS = {
    "Inclusion": "rc_inclusion",
    "Curriculum and teaching": "rc_curriculum_and_teaching",
    "Achievement": "rc_achievement",
    "Attendance and behaviour": "rc_attendance_and_behaviour",
    "Personal development and wellbeing": "rc_personal_development",
    "Leadership and governance": "rc_leadership_and_governance",
}
_EIF_FROM = date(2019, 9, 1)
_DEMO_AS_AT = date(2026, 10, 31)


def graded_header() -> list[str]:
    return _header(GRADED_LAYOUT)


def report_card_header() -> list[str]:
    return _header(REPORT_CARD_LAYOUT)


def _header(blocks) -> list[str]:
    names = ["URN", "LAESTAB", "School name"]
    for block in blocks:
        for published, _ in block.columns.values():
            if published not in names:
                names.append(published)
    return names


class _Numbers:
    def __init__(self):
        self.next = 10_000_001

    def __call__(self) -> str:
        self.next += 1
        return str(self.next)


def _parse_day(text: str) -> date | None:
    try:
        day, month, year = (int(p) for p in text.split("-"))
        return date(year, month, day)
    except ValueError:
        return None


def _between(rng: random.Random, start: date, end: date) -> date:
    days = max(0, (end - start).days)
    return start + timedelta(days=rng.randint(0, days))


def _near(rng: random.Random, grade: int) -> int:
    return min(4, max(1, grade + rng.choice([0, 0, 0, 1, -1])))


def _real_ratings(rows: list[dict[str, str]]) -> dict[str, tuple[int, date | None, str]]:
    """URN → (grade, inspection date if published, URN inspected) from the real sources."""
    ratings = dict(zip(_read(RATINGS)["URN"], _read(RATINGS)["Rating"], strict=True))
    predecessors: dict[str, str] = {}
    for row in _read(GIAS_LINKS, "cp1252").to_dict("records"):
        if row["LinkType"].startswith("Predecessor"):
            predecessors.setdefault(row["URN"], row["LinkURN"])
    found = {}
    for row in rows:
        urn = row["URN"]
        if row.get("OfstedRating (name)") in _RATING_GRADES:
            found[urn] = (_RATING_GRADES[row["OfstedRating (name)"]], _parse_day(row.get("OfstedLastInsp", "")), urn)
        elif ratings.get(urn) in _RATING_GRADES:
            found[urn] = (_RATING_GRADES[ratings[urn]], None, urn)
        elif ratings.get(predecessors.get(urn, "")) in _RATING_GRADES:
            found[urn] = (_RATING_GRADES[ratings[predecessors[urn]]], None, predecessors[urn])
    return found


def _inspections(rows: list[dict[str, str]], rng: random.Random) -> tuple[list[dict], list[dict]]:
    number = _Numbers()
    real = _real_ratings(rows)
    graded_rows, report_card_rows = [], []
    for row in sorted(rows, key=lambda r: int(r["URN"])):
        if row.get("EstablishmentStatus (name)", "").startswith("Closed"):
            continue
        urn = row["URN"]
        base = {"URN": urn, "LAESTAB": _laestab(row), "School name": row["EstablishmentName"]}
        latest = _latest_graded(real.get(urn), row, rng, number)
        previous = _previous_graded(latest, rng, number) if latest else None
        roll = rng.random()
        if latest and roll < 0.12:
            # A 2024–25 inspection: key judgements, no overall grade; the real one becomes previous.
            newer = _judgements_only(latest, rng, number, urn)
            graded_rows.append(base | newer | _as_previous(latest))
        elif latest:
            record = base | latest | (_as_previous(previous) if previous else {})
            if latest["Overall effectiveness"] in ("1", "2") and rng.random() < 0.4:
                record |= _ungraded(latest, rng, number, urn)
            graded_rows.append(record)
        elif roll < 0.15:
            # No public file gives this school's graded outcome: only the inspections since
            # September 2024, which no public file here covers for anyone, are generated.
            graded_rows.append(base | _judgements_only(None, rng, number, urn))
        if roll >= 0.88 or (not latest and 0.15 <= roll < 0.5):
            report_card_rows.append(base | _report_card(rng, number, urn) | (_as_oeif(latest) if latest else {}))
    # Ofsted does not inspect schools in Wales. Their rows are generated and then dropped, so that
    # every English school's inspections come out as they always have from the seed.
    welsh = {row["URN"] for row in rows if _is_welsh(row)}
    return [r for r in graded_rows if r["URN"] not in welsh], [r for r in report_card_rows if r["URN"] not in welsh]


def _is_welsh(row: dict[str, str]) -> bool:
    return row.get("EstablishmentTypeGroup (name)", "") in ("Welsh schools",)


def _laestab(row: dict[str, str]) -> str:
    if row.get("EstablishmentNumber"):
        return f"{row['LA (code)']}{int(row['EstablishmentNumber']):04d}"
    return ""


def _latest_graded(real, row, rng, number) -> dict[str, str] | None:
    if real is None:
        return None
    grade, when, urn_inspected = real
    if when is None:
        when = (
            _between(rng, date(2009, 9, 1), date(2012, 7, 31))
            if grade == 3 and rng.random() < 0.05
            else _between(rng, date(2014, 9, 1), date(2024, 7, 15))
        )
    record = {
        "Inspection number of latest graded inspection": number(),
        "Inspection type": "Section 5",
        "Inspection type grouping": "Section 5",
        "Event type grouping": "Full inspection",
        "Inspection start date": when.strftime("%d/%m/%Y"),
        "Inspection end date": (when + timedelta(days=1)).strftime("%d/%m/%Y"),
        "Publication date": (when + timedelta(days=rng.randint(20, 45))).strftime("%d/%m/%Y"),
        "Does the latest graded inspection relate to the URN of the current school?": "Yes"
        if urn_inspected == row["URN"]
        else "No",
        "URN at time of latest graded inspection": urn_inspected,
        "Overall effectiveness": str(grade),
        "Category of concern": rng.choice(["SM", "SWK"]) if grade == 4 else "",
        "Safeguarding is effective?": "No" if grade == 4 and rng.random() < 0.3 else "Yes",
    }
    if when >= _EIF_FROM:
        for key in _GRADED_KEYS:
            record[key] = str(_near(rng, grade))
    return record


def _previous_graded(latest: dict[str, str], rng, number) -> dict[str, str]:
    when = _parse_slash(latest["Inspection start date"]) - timedelta(days=rng.randint(2 * 365, 5 * 365))
    grade = int(latest["Overall effectiveness"])
    previous_grade = min(4, grade + 1) if grade >= 3 and rng.random() < 0.5 else _near(rng, grade)
    return {
        "Inspection number of latest graded inspection": number(),
        "Inspection start date": when.strftime("%d/%m/%Y"),
        "Inspection end date": (when + timedelta(days=1)).strftime("%d/%m/%Y"),
        "Publication date": (when + timedelta(days=30)).strftime("%d/%m/%Y"),
        "Overall effectiveness": str(previous_grade),
        "Category of concern": "SWK" if previous_grade == 4 else "",
        "Safeguarding is effective?": "Yes",
        "Does the latest graded inspection relate to the URN of the current school?": latest[
            "Does the latest graded inspection relate to the URN of the current school?"
        ],
        "URN at time of latest graded inspection": latest["URN at time of latest graded inspection"],
    }


def _parse_slash(text: str) -> date:
    day, month, year = (int(p) for p in text.split("/"))
    return date(year, month, day)


_PREVIOUS_NAMES = {
    "Inspection number of latest graded inspection": "Previous inspection number",
    "Inspection start date": "Previous inspection start date",
    "Inspection end date": "Previous inspection end date",
    "Publication date": "Previous publication date",
    "Does the latest graded inspection relate to the URN of the current school?": (
        "Does the previous graded inspection relate to the URN of the current school?"
    ),
    "URN at time of latest graded inspection": "URN at time of previous graded inspection",
    "Overall effectiveness": "Previous graded inspection overall effectiveness",
    "Category of concern": "Previous category of concern",
    "Safeguarding is effective?": "Previous safeguarding is effective?",
    **{key: f"Previous {key[0].lower()}{key[1:]}" for key in _GRADED_KEYS},
}

_OEIF_NAMES = {
    "Inspection number of latest graded inspection": "Inspection number of latest OEIF graded inspection",
    "Inspection type": "Inspection type of latest OEIF graded inspection",
    "Inspection type grouping": "Inspection type grouping of latest OEIF graded inspection",
    "Event type grouping": "Event type grouping of latest OEIF graded inspection",
    "Inspection start date": "Inspection start date of latest OEIF graded inspection",
    "Publication date": "Publication date of latest OEIF graded inspection",
    "Does the latest graded inspection relate to the URN of the current school?": (
        "Does the latest OEIF graded inspection relate to the URN of the current school?"
    ),
    "URN at time of latest graded inspection": "URN at time of latest OEIF graded inspection",
    "Overall effectiveness": "Latest OEIF overall effectiveness",
    "Category of concern": "Latest OEIF category of concern",
    "Safeguarding is effective?": "Latest OEIF  safeguarding is effective?",
    **{key: f"Latest OEIF {key[0].lower()}{key[1:]}" for key in _GRADED_KEYS},
}


def _as_previous(record: dict[str, str]) -> dict[str, str]:
    return {_PREVIOUS_NAMES[k]: v for k, v in record.items() if k in _PREVIOUS_NAMES}


def _as_oeif(record: dict[str, str]) -> dict[str, str]:
    return {_OEIF_NAMES[k]: v for k, v in record.items() if k in _OEIF_NAMES}


def _judgements_only(latest: dict[str, str] | None, rng, number, urn: str) -> dict[str, str]:
    when = _between(rng, date(2024, 9, 16), date(2025, 7, 11))
    grade = int(latest["Overall effectiveness"]) if latest else rng.choice([1, 2, 2, 2, 2, 3, 3, 4])
    record = {
        "Inspection number of latest graded inspection": number(),
        "Inspection type": "Section 5",
        "Inspection type grouping": "Section 5",
        "Event type grouping": "Full inspection",
        "Inspection start date": when.strftime("%d/%m/%Y"),
        "Inspection end date": (when + timedelta(days=1)).strftime("%d/%m/%Y"),
        "Publication date": (when + timedelta(days=rng.randint(20, 45))).strftime("%d/%m/%Y"),
        "Does the latest graded inspection relate to the URN of the current school?": "Yes",
        "URN at time of latest graded inspection": urn,
        "Overall effectiveness": "Not judged",
        "Category of concern": "",
        "Safeguarding is effective?": "Yes",
    }
    for key in _GRADED_KEYS:
        record[key] = str(_near(rng, grade))
    return record


def _ungraded(latest: dict[str, str], rng, number, urn: str) -> dict[str, str]:
    after = _parse_slash(latest["Inspection start date"]) + timedelta(days=rng.randint(3 * 365, 4 * 365))
    if after > date(2024, 7, 15):
        return {}
    word = ofsted.GRADED_LABELS[int(latest["Overall effectiveness"])]
    return {
        "Latest ungraded inspection number since last graded inspection": number(),
        "Date of latest ungraded inspection": after.strftime("%d/%m/%Y"),
        "Ungraded inspection publication date": (after + timedelta(days=25)).strftime("%d/%m/%Y"),
        "Does the ungraded inspection relate to the URN of the current school?": "Yes",
        "URN at time of the ungraded inspection": urn,
        "Ungraded inspection overall outcome": f"School remains {word}",
    }


def _report_card(rng, number, urn: str) -> dict[str, str]:
    when = _between(rng, ofsted.REPORT_CARDS_FROM, _DEMO_AS_AT - timedelta(days=30))
    profile = rng.random()
    grades = {}
    for area in _RC_FIELDS:
        if profile < 0.08:
            grades[area] = rng.choice(["Urgent improvement", "Needs attention", "Needs attention"])
        elif profile < 0.3:
            grades[area] = rng.choice(["Needs attention", "Expected standard", "Expected standard"])
        else:
            grades[area] = rng.choice(["Expected standard", "Expected standard", "Strong standard", "Exceptional"])
    safeguarding = "Not met" if profile < 0.04 else "Met"
    concern = ofsted.report_card_concern(
        {_RC_FIELDS[area]: ofsted.parse_report_card(grade) for area, grade in grades.items()}, safeguarding == "Met"
    )
    return {
        "Inspection number of latest full inspection": number(),
        "Inspection type": "Full inspection",
        "Inspection type grouping": "Full inspection",
        "Event type grouping": "Full inspection",
        "Inspection start date": when.strftime("%d/%m/%Y"),
        "Publication date": (when + timedelta(days=rng.randint(20, 40))).strftime("%d/%m/%Y"),
        "Does the latest full inspection relate to the URN of the current school?": "Yes",
        "URN at time of latest full inspection": urn,
        "Category of concern": ofsted.CategoryOfConcern(concern).label if concern else "",
        "Safeguarding standards": safeguarding,
        **grades,
    }


# Estyn ------------------------------------------------------------------------------------

CENTRAL_SOUTH_LAS = ("672", "673", "674", "675", "681")
_ESTYN_AS_AT = date(2026, 10, 31)


def estyn_header() -> list[str]:
    return [column.name for column in estyn_layout.COLUMNS]


def _estyn_inspections(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """One to three Estyn inspections for each open Welsh school of the Central South Consortium,
    each in the shape its date implies: a core inspection every six or seven years, the latest
    either in 2017–2020 (five inspection areas, with one before September 2017) or from
    September 2022 (no summative judgement). About one school in six is placed in follow-up."""
    rng = random.Random(SEED + 21)  # noqa: S311 - reproducible demo data, not security
    found = []
    for row in sorted(rows, key=lambda r: int(r["URN"])):
        if not _is_welsh(row) or row.get("LA (code)") not in CENTRAL_SOUTH_LAS:
            continue
        if row.get("EstablishmentStatus (name)", "") != "Open":
            continue
        number = int(row["EstablishmentNumber"] or 0)
        if 6000 <= number <= 6999:
            continue  # an independent school: not the consortium's to support
        years = [rng.choice([2023, 2024, 2025, 2026]) if rng.random() < 0.55 else rng.choice([2018, 2019])]
        while len(years) < 3 and years[-1] > 2011:
            earlier = years[-1] - rng.randint(6, 7)
            years.append(2019 if earlier in (2020, 2021) else earlier)  # none in the pandemic
        dates = [_term_day(rng, year) for year in years]
        strength = rng.choice([1, 2, 2, 2, 3, 3, 4])
        kept = sorted(d for d in dates if d > date(2010, 9, 1))
        for when in kept:
            found.append(_estyn_row(row, when, strength, rng, newest=when == kept[-1]))
    return found


def _term_day(rng: random.Random, year: int) -> date:
    """A Monday in term time (an inspection starts early in the week), before the demo's date."""
    months = [1, 2, 3, 5, 6, 10, 11] if year < _ESTYN_AS_AT.year else [1, 2, 3, 5, 6]
    day = date(year, rng.choice(months), rng.randint(1, 21))
    return day - timedelta(days=day.weekday())


def _estyn_row(row: dict[str, str], when: date, strength: int, rng: random.Random, *, newest: bool) -> dict:
    shape = estyn.shape_for(when)
    record = {
        "URN": row["URN"],
        "LAESTAB": _laestab(row),
        "School name": row["EstablishmentName"],
        "Inspection start date": when.strftime("%d/%m/%Y"),
        "Inspection end date": (when + timedelta(days=3)).strftime("%d/%m/%Y"),
        "Report published": (when + timedelta(days=rng.randint(50, 70))).strftime("%d/%m/%Y"),
        "Framework": shape.value,
    }
    for judgement in estyn.JUDGEMENTS_OF[shape]:
        grade = min(4, max(1, strength + rng.choice([0, 0, 0, 1, -1])))
        record[judgement.label] = estyn.grade_label(shape, grade)
    follow_up = estyn.FollowUp.NONE
    roll = rng.random()
    if strength >= 3 and roll < 0.5:
        follow_up = {
            estyn.Shape.PRE_2017: estyn.FollowUp.ESTYN_MONITORING,
            estyn.Shape.INSPECTION_AREAS: estyn.FollowUp.ESTYN_REVIEW,
            estyn.Shape.NO_SUMMATIVE: estyn.FollowUp.ESTYN_REVIEW,
        }[shape]
        if strength == 4:
            follow_up = estyn.FollowUp.SPECIAL_MEASURES if roll < 0.2 else estyn.FollowUp.SIGNIFICANT_IMPROVEMENT
    record["Follow-up"] = follow_up.label
    if follow_up != estyn.FollowUp.NONE and not newest:
        record["Removed from follow-up on"] = (when + timedelta(days=rng.randint(400, 700))).strftime("%d/%m/%Y")
    return record


# Chairs and clerks of governors -----------------------------------------------------------------------------


def load_governors(*, schools: list[School], officer: User, named: dict[int, str] | None = None) -> int:
    """The chair and the clerk of each school's board (an academy's trust board), as the officer
    would enter them, with generated names and ``@governors.example`` addresses; ``named`` gives a
    school's chair by its id. A board already recorded is left as it is, so a second run, or a
    second school of the same trust, changes nothing. Returns how many boards were recorded."""
    rng = random.Random(SEED + 31)  # noqa: S311 - reproducible demo data, not security
    held = GovernanceContact.objects.filter(role=GovernanceContact.Role.CHAIR)
    done = {("school", pk) for pk in held.values_list("school_id", flat=True) if pk}
    done |= {("trust_id", pk) for pk in held.values_list("trust_id", flat=True) if pk}
    recorded = 0
    for school in schools:
        # The board that governs the school: its own governing body, or its trust's board.
        ((field, value),) = selectors.board_q(school).children
        board = (field, getattr(value, "pk", value))
        chair, clerk = _governor(rng), _governor(rng)
        if board in done:
            continue
        done.add(board)
        if named and school.pk in named:
            chair = (named[school.pk], _address(named[school.pk].split()[-2:]))
        services.set_governance_contacts(
            school=school,
            by=officer,
            contacts={"chair": {"name": chair[0], "email": chair[1]}, "clerk": {"name": clerk[0], "email": clerk[1]}},
        )
        recorded += 1
    return recorded


def _governor(rng: random.Random) -> tuple[str, str]:
    title, first, last = _head(rng)
    return f"{'Mrs' if title == 'Ms' and rng.random() < 0.4 else title} {first} {last}", _address([first, last])


def _address(names: list[str]) -> str:
    return ".".join(n.lower().replace("'", "") for n in names) + "@governors.example"


# Warwickshire's consortia (seed 002, 7.4) ---------------------------------------------------------------------

# The demo's primary area and secondary (and special) consortia, by the towns of Warwickshire's
# maintained schools; a school in a town none lists stays in no consortium, as the consortia page
# then says. The names of the areas are Warwickshire's districts; the lead members are invented.
PRIMARY_CONSORTIA = {
    "North Warwickshire primary": ("Atherstone", "Coleshill", "Birmingham"),
    "Nuneaton and Bedworth primary": ("Nuneaton", "Bedworth", "Coventry"),
    "Rugby primary": ("Rugby",),
    "Warwick, Leamington and Kenilworth primary": ("Warwick", "Leamington Spa", "Kenilworth", "Southam", "Solihull"),
    "Stratford-on-Avon primary": ("Stratford-upon-Avon", "Alcester", "Shipston-on-Stour", "Studley"),
}
SECONDARY_CONSORTIA = {
    "North Warwickshire and Nuneaton secondary": ("Atherstone", "Coleshill", "Birmingham", "Nuneaton", "Bedworth"),
    "Rugby secondary": ("Rugby", "Coventry"),
    "South Warwickshire secondary": (
        "Warwick",
        "Leamington Spa",
        "Kenilworth",
        "Southam",
        "Solihull",
        "Stratford-upon-Avon",
        "Alcester",
        "Shipston-on-Stour",
        "Studley",
    ),
}
PRIMARY_PHASES = ("Primary", "Nursery", "Middle deemed primary")
LEAD_NAMES = [
    "Joanna Whitfield",
    "Imran Siddiqui",
    "Catherine Doyle",
    "Owen Prescott",
    "Harriet Lomax",
    "Samuel Okoro",
    "Bethany Carver",
    "Rajesh Menon",
    "Eleanor Fitch",
    "Gareth Hollins",
    "Naomi Achterberg",
    "Philip Ransome",
    "Lucy Tranter",
    "Declan Moore",
    "Ayesha Qureshi",
    "Martin Kessler",
]


def load_consortia(*, officer) -> int:
    """Warwickshire's consortia of its demo schools, each with two lead members (a headteacher of
    one of its outstanding schools where it has one, else an NLE; and an LLE), written through the
    services; one nominated lead does not yet meet the criteria. Run in Warwickshire's scope; a
    second run leaves them as they are. Returns how many consortia there are."""
    if Consortium.objects.exists():
        return Consortium.objects.count()
    schools = list(remit().filter(status_name__istartswith="open").order_by("urn"))
    names = iter(LEAD_NAMES)
    plan = [(name, Consortium.Phase.PRIMARY, towns) for name, towns in PRIMARY_CONSORTIA.items()]
    plan += [(name, Consortium.Phase.SECONDARY, towns) for name, towns in SECONDARY_CONSORTIA.items()]
    for name, phase, towns in plan:
        consortium = services.create_consortium(name=name, phase=phase, by=officer)
        primary = phase == Consortium.Phase.PRIMARY
        members = [s for s in schools if s.town in towns and (s.phase_name in PRIMARY_PHASES) == primary]
        for school in members:
            services.add_school_to_consortium(consortium=consortium, school=school, by=officer)
        outstanding = next((s for s in members if s.ofsted_outcome == ofsted.Outcome.OUTSTANDING), None)
        first = "outstanding_head" if outstanding else "nle"
        second = "none" if name == "Rugby secondary" else "lle"  # nominated, awaiting LLE designation
        for criterion, school in ((first, outstanding), (second, None)):
            services.add_consortium_lead(
                consortium=consortium,
                by=officer,
                name=next(names),
                criterion=criterion,
                school=school,
                nominated_on=date(2026, 9, 14),
            )
    return len(plan)
