"""Property tests for reading files as published (issue 18): any published-looking number, every
marker and every date format, in every column of every format, is stored correctly or reported as a
warning — never a crash, and never an error outside a key column (a URN, an LA code, an inspection
number, a group UID)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schools.importers import FORMATS, read_file
from schools.importers.base import MARKERS, a_date, decimal, decode, integer, read_header
from tests.conftest import DATA

PUBLISHED = Path(__file__).resolve().parent.parent / "fixtures" / "published"
GIAS = DATA / "gias"
PERFORMANCE = DATA / "performance_tables"
# A real file for every format (and every Ofsted layout), its header and first rows.
SAMPLES = {
    "gias_establishments": [PUBLISHED / "gias" / "gias_edubasealldata_2024_itt-mentor-services.csv"],
    "gias_links": [GIAS / "gias_links_edubasealldata20250422.csv"],
    "gias_groups": [GIAS / "gias_groups_2022_processed.csv"],
    "gias_group_links": [GIAS / "gias_group_links_2022_processed.csv"],
    "local_authorities": [DATA / "reference" / "la_and_region_codes_meta.csv"],
    "ofsted_latest": [
        PUBLISHED / "ofsted" / "mi_latest_31aug2024_graded_first22rows.csv",
        PUBLISHED / "ofsted" / "mi_latest_as_at_30jun2026_report_card_layout_sliced.csv",
        PUBLISHED / "ofsted" / "mi_all_inspections_ytd_published_by_31may2025_sept2024_layout_sliced.csv",
        PUBLISHED / "ofsted" / "mi_all_inspections_ytd_published_by_28feb2026_report_card_sliced.csv",
    ],
    "census": [PERFORMANCE / "england_census_KSPDeveloper.csv"],
    "absence": [PERFORMANCE / "england_abs_KSPDeveloper.csv"],
    "ks2": [PUBLISHED / "performance" / "ks2final_2018-2019_la850-hampshire_sample.csv"],
    "ks4": [PUBLISHED / "performance" / "ks4final_2018-2019_la936-surrey_sample.csv"],
    "ks5": [PUBLISHED / "performance" / "ks5final_2016-2017_england_sample.csv"],
    "ks4_destinations": [PUBLISHED / "performance" / "ks4-pupdest_2019-release_england_sample.csv"],
    # The portal's own layout: Estyn publishes no file of outcomes (docs/data-formats.md §7).
    "estyn_inspections": [PUBLISHED.parent / "estyn" / "estyn_inspections_portal_layout.csv"],
    "ees_la_figures": [
        DATA / "ees" / "eyfsp_headline_measures_2021-22_la_slice.csv",
        DATA / "ees" / "cin_cla_outcomes_ks4_la_2019-2025.csv",
    ],
}
assert set(SAMPLES) == set(FORMATS)


@cache
def sample(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and the first few data rows (rows of schools, so every column is in play)."""
    text = decode(path.read_bytes(), FORMATS["gias_establishments"].encoding)
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    rows = []
    for row in reader:
        if len(rows) == 3:
            break
        rows.append(row + [""] * (len(header) - len(row)))
    return header, rows


def columns_of(kind: str, path: Path):
    header, _ = sample(path)
    return FORMATS[kind].columns(read_header(",".join(f'"{h}"' for h in header)))


CASES = [
    (kind, path, column.name, column.key)
    for kind, paths in SAMPLES.items()
    for path in paths
    for column in columns_of(kind, path)
    if column.name in sample(path)[0]
]

NUMBERS = ["2", "2.0", " 2 ", "+2", "2.00", "1,234", "44%", "-0.57", "0", "33.0", "1.00063E+11", "10080827.0"]
CODES = ["9", "9.0", "8", "NULL", "Not judged", "Not applicable", "NTI", "SWK", "SM", "RSI", "Met", "Not met", "Yes"]
DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%Y%m%d", "%d/%m/%y", "%d %B %Y", "%Y-%m-%dT00:00:00"]
MARKER_TEXT = sorted(MARKERS) + [m.upper() for m in sorted(MARKERS)]
published_dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2040, 12, 31))
values = st.one_of(
    st.sampled_from(NUMBERS),
    st.sampled_from(MARKER_TEXT),
    st.sampled_from(CODES),
    st.builds(lambda d, f: d.strftime(f), published_dates, st.sampled_from(DATE_FORMATS)),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30),
)


def with_value(path: Path, column: str, value: str) -> bytes:
    header, rows = sample(path)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        changed = list(row)
        changed[header.index(column)] = value
        writer.writerow(changed)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize(
    ("kind", "path", "column", "key"), CASES, ids=[f"{c[0]}:{c[1].stem[:25]}:{c[2]}" for c in CASES]
)
@settings(max_examples=8, deadline=None, derandomize=True, database=None)
@given(value=values)
def test_any_published_value_in_any_column_is_stored_or_a_warning_never_an_error_outside_a_key(
    kind, path, column, key, value
):
    parsed = read_file(kind, with_value(path, column, value))
    errors = [e for e in parsed.errors if e.column == column]
    if not key:
        assert errors == [], f"{column} {value!r}: {errors[:1]}"
        assert len(parsed.errors) == 0 or all(e.column != column for e in parsed.errors)
    warned = {e.line for e in parsed.warnings if e.column == column}
    assert warned <= {2, 3, 4}


@given(
    number=st.integers(min_value=0, max_value=10**9), spelling=st.sampled_from(["{}", "{}.0", " {} ", "+{}", "{}.00"])
)
def test_a_whole_number_reads_however_a_spreadsheet_wrote_it(number, spelling):
    assert integer(0, 10**9)(spelling.format(number).strip()) == number


@given(marker=st.sampled_from(MARKER_TEXT))
def test_every_published_marker_is_no_value_in_every_number_and_date_column(marker):
    assert integer()(marker) is None
    assert decimal(1)(marker) is None
    assert a_date(marker) is None


@given(value=st.decimals(min_value=-1000, max_value=1000, places=2), percent=st.booleans())
def test_a_decimal_reads_with_or_without_a_percent_sign(value, percent):
    assert decimal(2)(f"{value}{'%' if percent else ''}") == Decimal(value).quantize(Decimal("0.01"))


@given(day=published_dates, fmt=st.sampled_from(DATE_FORMATS))
def test_every_published_date_format_reads_as_the_same_date(day, fmt):
    text = day.strftime(fmt)
    if fmt == "%d/%m/%y" and not date(1969, 1, 1) <= day <= date(2068, 12, 31):
        return  # two-digit years are read in the window Python gives them
    assert a_date(text) == day


def test_scientific_notation_is_a_warning_not_a_wrong_number():
    with pytest.raises(ValueError, match="scientific notation"):
        integer(0, 10**12)("1.00063E+11")
