"""The real performance tables downloads of ``tests/fixtures/published/performance`` (MANIFEST-
gias-performance.md, section C) read as DfE published them: no error and no warning, every school
row a record, every other row set aside with its reason, the state-funded England row as the
national figures, and every published marker (SUPP, NE, NA, NP, NEW, SP, a single space, short
rows) read as no value with the marker kept.

Reading needs no database: ``read_file`` only parses and checks.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from schools import measures
from schools.importers import read_file
from schools.importers.performance import (
    ALL_SCHOOLS,
    ALL_SCHOOLS_AND_COLLEGES,
    CONSORTIUM,
    LA_TOTALS,
    Figure,
    figure,
)

PERFORMANCE = Path(__file__).resolve().parent.parent / "fixtures" / "published" / "performance"

KS2_2017 = "ks2final_2016-2017_la936-surrey_sample.csv"
KS2_2019 = "ks2final_2018-2019_la850-hampshire_sample.csv"
KS4_2017 = "ks4final_2016-2017_la850-hampshire_sample.csv"
KS4_2019 = "ks4final_2018-2019_la936-surrey_sample.csv"
KS5_2016 = "ks5final_2015-2016_england_sample.csv"
KS5_2017 = "ks5final_2016-2017_england_sample.csv"
DESTINATIONS = "ks4-pupdest_2019-release_england_sample.csv"


def D(text: str) -> Decimal:
    return Decimal(text).quantize(Decimal("0.0001"))


def cell(name: str, line: int, column: str) -> str:
    """The cell as the file has it (line 1 is the header); a short row's missing cells are ''."""
    rows = list(csv.reader(io.StringIO((PERFORMANCE / name).read_bytes().decode("utf-8-sig"), newline="")))
    row = rows[line - 1]
    index = rows[0].index(column)
    return row[index] if index < len(row) else ""


# What each file must read as -------------------------------------------------------------------

# kind, rows read, school records, rows set aside by reason (their lines), national figures
EXPECTED = {
    KS2_2017: (
        "ks2",
        123,
        120,  # RECTYPE 1 (107) and 2 (13)
        {LA_TOTALS: [113], ALL_SCHOOLS: [124]},
        # RECTYPE 5, line 123 (progress scores are " " on the national rows)
        {"ks2_rwm_expected_pct": "61", "ks2_rwm_higher_pct": "9", "ks2_disadvantaged_2016_pct": "32"},
    ),
    KS2_2019: (
        "ks2",
        111,
        108,  # RECTYPE 1 (92) and 2 (16)
        {LA_TOTALS: [110], ALL_SCHOOLS: [111]},
        {"ks2_rwm_expected_pct": "65", "ks2_rwm_higher_pct": "11", "ks2_disadvantaged_2016_pct": "31"},
    ),
    KS4_2017: (
        "ks4",
        83,
        80,  # RECTYPE 1 (52) and 2 (28)
        {LA_TOTALS: [19], ALL_SCHOOLS: [83]},
        {
            "ks4_pupils": "527744",
            "ks4_att8": "46.3",
            "ks4_p8": "-0.03",
            "ks4_basics_94_pct": "63.9",
            "ks4_basics_95_pct": "42.7",
            "ks4_ebacc_entry_pct": "38.2",
        },
    ),
    KS4_2019: (
        "ks4",
        71,
        68,  # RECTYPE 1 (32) and 2 (36)
        {LA_TOTALS: [70], ALL_SCHOOLS: [71]},
        {
            "ks4_pupils": "542621",
            "ks4_att8": "46.7",
            "ks4_p8": "-0.03",
            "ks4_basics_94_pct": "65",
            "ks4_basics_95_pct": "43",
            "ks4_ebacc_aps": "4.07",
            "ks4_ebacc_entry_pct": "40",
        },
    ),
    KS5_2016: (
        "ks5",
        449,
        419,  # RECTYPE 1
        {
            ALL_SCHOOLS_AND_COLLEGES: [2],
            CONSORTIUM: [23, 89, 140, 234, 439],
            LA_TOTALS: [
                *(6, 24, 43, 61, 80, 90, 106, 127, 141, 160, 180, 198, 219, 235, 270, 283, 302, 328, 359, 382),
                *(406, 419, 440),
            ],
        },
        # RECTYPE 7, line 3; its value added is NA in 2016
        {
            "ks5_alevel_aps": "30.45",
            "ks5_academic_aps": "30.63",
            "ks5_applied_general_aps": "34.67",
            "ks5_tech_level_aps": "30.77",
        },
    ),
    KS5_2017: (
        "ks5",
        166,
        150,
        {
            ALL_SCHOOLS_AND_COLLEGES: [2],
            CONSORTIUM: [88, 145, 166],
            LA_TOTALS: [7, 13, 19, 26, 52, 57, 66, 89, 96, 104, 146],
        },
        {
            "ks5_alevel_aps": "31.14",
            "ks5_academic_aps": "31.32",
            "ks5_applied_general_aps": "35.69",
            "ks5_tech_level_aps": "32.25",
            "ks5_alevel_va": "-0.01",
        },
    ),
    DESTINATIONS: (
        "ks4_destinations",
        472,
        444,  # RECTYPE 1 (356) and 2 (88)
        {
            LA_TOTALS: [
                *(14, 29, 46, 62, 76, 83, 102, 120, 139, 161, 179, 191, 204, 228, 246, 263, 285, 310, 327),
                *(350, 366, 380, 398, 424, 446, 460, 472),
            ]
        },
        # RECTYPE NAT, line 473
        {
            "ks4dest_cohort": "528139",
            "ks4dest_sustained_pct": "94",
            "ks4dest_education_pct": "87",
            "ks4dest_apprenticeship_pct": "4",
            "ks4dest_employment_pct": "3",
            "ks4dest_not_sustained_pct": "5",
        },
    ),
}


def read(name: str):
    kind = EXPECTED[name][0]
    return read_file(kind, (PERFORMANCE / name).read_bytes())


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_file_reads_with_no_error_and_no_warning(name):
    parsed = read(name)
    assert parsed.errors == []
    assert parsed.warnings == []


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_file_gives_its_school_records_and_sets_the_other_rows_aside_with_a_reason(name):
    _, rows, records, set_aside, _ = EXPECTED[name]
    parsed = read(name)
    assert parsed.rows_read == rows
    assert len(parsed.prepared.records) == records
    by_reason: dict[str, list[int]] = {}
    for skipped in parsed.prepared.skipped:
        by_reason.setdefault(skipped.reason, []).append(skipped.line)
    assert by_reason == {reason: sorted(lines) for reason, lines in set_aside.items()}
    assert parsed.prepared.set_aside == sum(map(len, set_aside.values()))
    # Every line is a record, set aside, or the national row.
    assert records + parsed.prepared.set_aside + 1 == rows


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_file_gives_the_state_funded_england_figures(name):
    national = EXPECTED[name][4]
    parsed = read(name)
    assert {(n["measure"], n["phase"]): n["value"] for n in parsed.prepared.national} == {
        (code, "all"): D(value) for code, value in national.items()
    }
    assert len(parsed.prepared.national) == len(national)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_school_record_carries_the_file_s_name_and_la(name):
    parsed = read(name)
    for record in parsed.prepared.records:
        assert record["_name"].strip(), record
        assert record["_la"].isdigit(), record
        assert set(record["figures"]) <= {m.code for m in measures.for_source(EXPECTED[name][0])}


def figures_of(name: str, urn: int) -> tuple[int, str, str, dict[str, Figure]]:
    parsed = read(name)
    [record] = [r for r in parsed.prepared.records if r["urn"] == urn]
    return record["_line"], record["_name"], record["_la"], record["figures"]


# Spot checks against the file ---------------------------------------------------------------


def test_ks2_2017_a_school_a_suppressed_school_and_a_school_with_no_results():
    line, name, la, figures = figures_of(KS2_2017, 125471)
    assert (line, name, la) == (35, "The Ridgeway Community School", "936")
    assert [cell(KS2_2017, line, c) for c in ("PTRWM_EXP", "READPROG", "MATPROG", "PTFSM6CLA1A")] == [
        "0%",
        "-1.2",
        "-2.4",
        "29%",
    ]
    assert figures["ks2_rwm_expected_pct"] == Figure(D("0"))
    assert figures["ks2_read_progress"] == Figure(D("-1.2"))
    assert figures["ks2_maths_progress"] == Figure(D("-2.4"))
    assert figures["ks2_disadvantaged_2016_pct"] == Figure(D("29"))

    line, _, _, figures = figures_of(KS2_2017, 125457)  # Chart Wood School, a row of 259 values
    assert cell(KS2_2017, line, "PTRWM_EXP") == "SUPP"
    assert figures["ks2_rwm_expected_pct"] == Figure(None, "SUPP")
    assert figures["ks2_read_progress"] == Figure(None, "SUPP")

    line, name, _, figures = figures_of(KS2_2017, 125284)  # a row of 24 values: no results at all
    assert (line, name) == (7, "Hawkedale Primary School")
    assert figures == {}


def test_ks2_2019_a_school_and_progress_not_applicable():
    line, name, _, figures = figures_of(KS2_2019, 116642)
    assert (line, name) == (108, "Shepherds Down Special School")
    assert [cell(KS2_2019, line, c) for c in ("READPROG", "WRITPROG", "MATPROG")] == ["0", "-1.4", "0.5"]
    assert figures["ks2_read_progress"] == Figure(D("0"))
    assert figures["ks2_write_progress"] == Figure(D("-1.4"))
    assert figures["ks2_maths_progress"] == Figure(D("0.5"))

    line, _, _, figures = figures_of(KS2_2019, 116609)  # Icknield School
    assert cell(KS2_2019, line, "READPROG") == "NA"
    assert figures["ks2_read_progress"] == Figure(None, "NA")
    assert figures["ks2_disadvantaged_2016_pct"] == Figure(D("50"))

    line, _, _, figures = figures_of(KS2_2019, 147021)  # Oakfield Primary: TOTPUPS NEW, 25 values
    assert cell(KS2_2019, line, "TOTPUPS") == "NEW"
    assert figures == {}


def test_ks4_2017_progress_8_not_published_and_no_entries():
    line, name, la, figures = figures_of(KS4_2017, 116432)
    assert (line, name, la) == (2, "Cranbourne Business and Enterprise College", "850")
    assert [cell(KS4_2017, 2, c) for c in ("ATT8SCR", "P8MEA", "PTL2BASICS_94")] == ["42.1", "-0.57", "65%"]
    assert figures["ks4_att8"] == Figure(D("42.1"))
    assert figures["ks4_p8"] == Figure(D("-0.57"))
    assert figures["ks4_basics_94_pct"] == Figure(D("65"))
    assert figures_of(KS4_2017, 116534)[3]["ks4_p8"] == Figure(None, "NP")  # St Swithun's, independent
    assert figures_of(KS4_2017, 135240)[3]["ks4_att8"] == Figure(None, "NE")  # Fair Ways School


def test_ks4_2019_a_school_and_suppressed_figures():
    line, name, _, figures = figures_of(KS4_2019, 139948)
    assert (line, name) == (2, "Jubilee High School")
    assert cell(KS4_2019, 2, "P8MEA") == "0.22"
    assert figures["ks4_p8"] == Figure(D("0.22"))
    assert figures["ks4_ebacc_aps"] == Figure(D("3.81"))
    figures = figures_of(KS4_2019, 145169)[3]  # The Beech House School, two pupils
    assert figures["ks4_pupils"] == Figure(D("2"))
    assert figures["ks4_att8"] == Figure(None, "SUPP")
    assert figures["ks4_p8"] == Figure(None, "NP")


def test_ks5_2016_a_school_no_entries_and_a_new_school():
    line, name, la, figures = figures_of(KS5_2016, 100003)
    assert (line, name, la) == (4, "City of London School", "201")
    assert [cell(KS5_2016, 4, c) for c in ("TALLPPE_ALEV_1618", "TALLPPE_AGEN", "VA_INS_ALEV")] == [
        "47.71",
        "NE",
        "0.08",
    ]
    assert figures["ks5_alevel_aps"] == Figure(D("47.71"))
    assert figures["ks5_applied_general_aps"] == Figure(None, "NE")
    assert figures["ks5_alevel_va"] == Figure(D("0.08"))
    line, _, _, figures = figures_of(KS5_2016, 142608)  # International Academy of Greenwich
    assert cell(KS5_2016, line, "TPUP1618") == "NEW"
    assert figures == {"ks5_students": Figure(None, "NEW"), "ks5_alevel_va": Figure(None, "NA")}


def test_ks5_consortium_rows_are_set_aside_by_urn_and_name():
    parsed = read(KS5_2016)
    harrow = [s for s in parsed.prepared.skipped if s.line == 439]
    assert [(s.urn, s.name, s.la, s.reason) for s in harrow] == [(135469, "Harrow Collegiate", "310", CONSORTIUM)]
    assert cell(KS5_2016, 439, "NFTYPE/FESITYPE") == "3104027"  # a member's LAESTAB, not a type
    assert 135469 not in {r["urn"] for r in parsed.prepared.records}


def test_ks5_2017_a_further_education_college():
    line, name, _, figures = figures_of(KS5_2017, 130567)
    assert (line, name) == (5, "Hartlepool College of Further Education")
    assert cell(KS5_2017, 5, "NFTYPE/FESITYPE") == "General Further Education College"
    assert figures["ks5_students"] == Figure(D("1094"))
    assert figures["ks5_alevel_aps"] == Figure(None, "SUPP")
    assert figures["ks5_tech_level_aps"] == Figure(D("33.57"))
    assert figures["ks5_alevel_va"] == Figure(D("-0.36"))


def test_destinations_percentages_and_the_small_percentage_marker():
    line, name, la, figures = figures_of(DESTINATIONS, 100052)
    assert (line, name, la) == (6, "Hampstead School", "202")
    assert [cell(DESTINATIONS, 6, c) for c in ("OVERALL_DESTPER", "APPRENPER", "NOT_SUSTAINEDPER")] == [
        "91%",
        "SP",
        "8%",
    ]
    assert figures["ks4dest_sustained_pct"] == Figure(D("91"))
    assert figures["ks4dest_apprenticeship_pct"] == Figure(None, "SP")
    assert figures["ks4dest_not_sustained_pct"] == Figure(D("8"))
    figures = figures_of(DESTINATIONS, 135175)[3]  # Parayhouse School, a cohort of 4
    assert figures["ks4dest_cohort"] == Figure(D("4"))
    assert figures["ks4dest_sustained_pct"] == Figure(None, "SUPP")


def test_destinations_la_rows_name_their_la():
    parsed = read(DESTINATIONS)
    assert [s.la for s in parsed.prepared.skipped][:3] == ["202", "203", "204"]
    assert {s.urn for s in parsed.prepared.skipped} == {None}


# Values -------------------------------------------------------------------------------------


def replace_cell(name: str, line: int, column: str, value: str) -> bytes:
    text = (PERFORMANCE / name).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    row = rows[line - 1]
    row += [""] * (len(rows[0]) - len(row))
    row[rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


def test_a_figure_that_is_neither_a_number_nor_a_marker_is_a_warning_not_an_error():
    parsed = read_file("ks4", replace_cell(KS4_2019, 2, "ATT8SCR", "abc"))
    assert parsed.errors == []
    assert [(w.line, w.column, w.value) for w in parsed.warnings] == [(2, "ATT8SCR", "abc")]
    assert "not a number or a published marker" in parsed.warnings[0].reason
    record = next(r for r in parsed.prepared.records if r["_line"] == 2)
    assert "ks4_att8" not in record["figures"]  # no value: nothing is stored for it
    assert record["figures"]["ks4_p8"] == Figure(D("0.22"))
    assert len(parsed.prepared.records) == 68


@pytest.mark.parametrize(("written", "value"), [("2.0", "2"), (" 2 ", "2"), ("44%", "44"), ("-0.57", "-0.57")])
def test_numbers_as_written(written, value):
    parsed = read_file("ks4", replace_cell(KS4_2019, 2, "ATT8SCR", written))
    assert parsed.errors == parsed.warnings == []
    record = next(r for r in parsed.prepared.records if r["_line"] == 2)
    assert record["figures"]["ks4_att8"] == Figure(D(value))


@pytest.mark.parametrize("marker", ["SUPP", "NE", "NA", "NP", "NEW", "LOWCOV", "SP", "NR", "x", "c", "z", "supp"])
def test_every_published_marker_is_no_value_with_the_marker_kept(marker):
    assert figure(marker) == Figure(None, marker)
    parsed = read_file("ks4_destinations", replace_cell(DESTINATIONS, 2, "OVERALL_DESTPER", marker))
    assert parsed.errors == parsed.warnings == []
    assert parsed.prepared.records[0]["figures"]["ks4dest_sustained_pct"] == Figure(None, marker)


def test_a_single_space_is_an_empty_cell():
    parsed = read_file("ks4_destinations", replace_cell(DESTINATIONS, 2, "OVERALL_DESTPER", " "))
    assert parsed.errors == parsed.warnings == []
    assert "ks4dest_sustained_pct" not in parsed.prepared.records[0]["figures"]


def test_a_urn_that_is_not_a_number_is_an_error():
    parsed = read_file("ks2", replace_cell(KS2_2019, 2, "URN", "11623X"))
    assert [(e.line, e.column, e.value) for e in parsed.errors] == [(2, "URN", "11623X")]
    assert len(parsed.prepared.records) == 107


def test_an_unknown_record_type_is_set_aside_saying_so():
    parsed = read_file("ks5", replace_cell(KS5_2017, 4, "RECTYPE", "9"))
    assert parsed.errors == []
    assert [(s.line, s.reason, s.urn) for s in parsed.prepared.skipped if s.line == 4] == [
        (4, "Unknown record type (RECTYPE '9')", 139405)
    ]


def test_a_ks2_file_of_the_current_layout_is_no_longer_refused():
    # It carries none of the levels-era columns (PT2READ12, TAPS …), only the 2016 ones.
    header = (PERFORMANCE / KS2_2019).read_bytes().decode("utf-8-sig").split("\r\n", 1)[0].split(",")
    assert "PT2READ12" not in header
    assert "PTRWM_EXP" in header
    assert read(KS2_2019).prepared.records


def test_a_second_national_row_is_skipped_and_the_first_used():
    """Two England rows would write the same national figures twice (PostgreSQL refuses that in
    one statement): the first is used, the second skipped with its reason."""
    text = (PERFORMANCE / KS4_2019).read_bytes().decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    national = next(line for line in lines[1:] if line.startswith("7,"))
    parsed = read_file("ks4", (text.rstrip("\r\n") + "\r\n" + national).encode("utf-8-sig"))
    assert parsed.errors == []
    second = [s for s in parsed.prepared.skipped if s.reason.startswith("A second national row")]
    assert [s.line for s in second] == [len(lines) + 1]
    measures_once = [n["measure"] for n in parsed.prepared.national]
    assert len(measures_once) == len(set(measures_once))
