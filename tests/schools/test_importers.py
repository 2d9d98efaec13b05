"""Reading published files, without the database: encodings, headers, rows and markers."""

import codecs
import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schools.importers import FileRejected, read_file
from schools.importers.base import (
    a_date,
    check_each_row_length,
    check_row_lengths,
    decimal,
    decode,
    integer,
    lines,
    read_header,
    rows_fit,
)
from schools.importers.performance import Figure, figure
from tests.conftest import DATA
from tests.examples import examples

GIAS = DATA / "gias" / "gias_establishments_sample_2021_npq-registration.csv"


def gias_bytes() -> bytes:
    return GIAS.read_bytes()


def replace_cell(raw: bytes, line: int, column: str, value: str, encoding: str = "utf-8") -> bytes:
    """Change one cell of a CSV file, keeping everything else byte for byte."""
    import csv
    import io

    text = raw.decode(encoding)
    rows = list(csv.reader(io.StringIO(text)))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


class TestEncodings:
    def test_windows_1252_file_reads(self):
        raw = gias_bytes().replace(b"Camden", "Cam\u00e9den".encode("cp1252"), 1)
        parsed = read_file("gias_establishments", raw)
        assert not parsed.errors
        assert any(r["la_name"] == "Cam\u00e9den" for r in parsed.prepared.records)

    def test_utf8_with_byte_order_mark_reads(self):
        parsed = read_file("gias_establishments", codecs.BOM_UTF8 + gias_bytes())
        assert parsed.rows_read == 99
        assert not parsed.errors

    def test_bytes_that_are_neither_utf8_nor_windows_1252_are_one_clear_error(self):
        raw = gias_bytes().replace(b"Camden", b"Cam\x81den", 1)
        with pytest.raises(FileRejected, match="not in Windows-1252 or UTF-8 encoding: byte 0x81 on line 6"):
            read_file("gias_establishments", raw)

    def test_utf16_is_refused(self):
        with pytest.raises(FileRejected, match="UTF-16"):
            read_file("gias_establishments", gias_bytes().decode().encode("utf-16"))

    def test_a_spreadsheet_is_refused_with_advice(self):
        with pytest.raises(FileRejected, match="Save the sheet as CSV"):
            read_file("gias_establishments", b"PK\x03\x04" + b"\x00" * 100)


class TestHeader:
    def test_missing_required_column_names_it(self):
        raw = gias_bytes().replace(b"EstablishmentName,", b"SchoolName,", 1)
        with pytest.raises(FileRejected, match="missing the required column 'EstablishmentName'"):
            read_file("gias_establishments", raw)

    def test_a_different_kind_of_file_is_refused(self):
        raw = (DATA / "performance_tables" / "england_ks4provisional_KSPDeveloper.csv").read_bytes()
        with pytest.raises(FileRejected, match="Is it a GIAS establishments"):
            read_file("gias_establishments", raw)

    def test_an_ofsted_file_of_no_known_layout_names_the_columns_that_tell_the_layouts_apart(self):
        with pytest.raises(FileRejected, match="none of the columns 'Overall effectiveness' \\(graded layout\\)"):
            read_file("ofsted_latest", b"URN,School name\n100000,A school\n")

    def test_empty_file(self):
        with pytest.raises(FileRejected, match=r"empty|missing"):
            read_file("gias_establishments", b"")


class TestRows:
    def test_every_row_of_the_real_file_is_read(self):
        parsed = read_file("gias_establishments", gias_bytes())
        assert parsed.rows_read == 99
        assert len(parsed.prepared.records) == 99
        assert not parsed.errors

    def test_a_date_that_cannot_be_read_is_no_date_and_a_warning_naming_line_column_and_reason(self):
        raw = replace_cell(gias_bytes(), 57, "OpenDate", "31-02-2019")
        parsed = read_file("gias_establishments", raw)
        assert not parsed.errors
        assert [str(w) for w in parsed.warnings] == [
            "Line 57, column 'OpenDate': '31-02-2019' is not a date (DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD or YYYYMMDD)"
        ]
        by_line = {r["_line"]: r for r in parsed.prepared.records}
        assert len(by_line) == 99
        assert by_line[57]["open_date"] is None
        assert str(by_line[3]["open_date"]) == "1920-01-01"  # other rows keep theirs

    def test_a_urn_that_cannot_be_read_is_an_error_naming_line_column_and_reason(self):
        raw = replace_cell(gias_bytes(), 57, "URN", "abc")
        parsed = read_file("gias_establishments", raw)
        assert [str(e) for e in parsed.errors] == ["Line 57, column 'URN': 'abc' is not a whole number"]
        assert not parsed.warnings

    def test_every_bad_key_is_an_error_and_every_other_bad_value_a_warning(self):
        raw = replace_cell(gias_bytes(), 3, "URN", "ABC")
        raw = replace_cell(raw, 10, "LA (code)", "Camden")
        raw = replace_cell(raw, 20, "NumberOfPupils", "-4")
        raw = replace_cell(raw, 30, "StatutoryHighAge", "eleven")
        parsed = read_file("gias_establishments", raw)
        assert [(e.line, e.column) for e in parsed.errors] == [(3, "URN"), (10, "LA (code)")]
        assert [(w.line, w.column, w.value, w.reason) for w in parsed.warnings] == [
            (20, "NumberOfPupils", "-4", "is not between 0 and 100000"),
            (30, "StatutoryHighAge", "eleven", "is not a whole number"),
        ]

    def test_a_urn_repeated_in_one_file_is_an_error_on_the_later_line(self):
        raw = replace_cell(gias_bytes(), 6, "URN", "100000")
        parsed = read_file("gias_establishments", raw)
        assert [(e.line, e.column, e.reason) for e in parsed.errors] == [(6, "URN", "repeats the record on line 2")]

    def test_a_register_longer_than_the_rows_made_at_a_time_keeps_every_row_on_its_line(self):
        """Rows are made a few hundred at a time: a larger file has each row, in order, with
        its own values and line, and its warnings on theirs."""
        header = "URN,LA (code),EstablishmentName,OpenDate"
        body = [f"{100000 + i},202,School {i},{'31-02-2019' if i % 97 == 0 else '01-09-2010'}" for i in range(1000)]
        parsed = read_file("gias_establishments", "\n".join([header, *body]).encode())
        assert [(r["_line"], r["urn"], r["name"]) for r in parsed.prepared.records] == [
            (i + 2, 100000 + i, f"School {i}") for i in range(1000)
        ]
        assert [w.line for w in parsed.warnings] == [i + 2 for i in range(0, 1000, 97)]
        assert all(r["open_date"] is None for r in parsed.prepared.records if (r["_line"] - 2) % 97 == 0)

    def test_laestab_is_the_la_code_and_establishment_number(self):
        parsed = read_file("gias_establishments", gias_bytes())
        first = parsed.prepared.records[0]
        assert first["laestab"] == first["la_code"] * 10000 + first["establishment_number"]


class TestValues:
    @pytest.mark.parametrize(
        ("text", "year", "month", "day"),
        [
            ("01-09-2017", 2017, 9, 1),
            ("01/09/2017", 2017, 9, 1),
            ("2017-09-01", 2017, 9, 1),
            ("2022-07-01 00:00", 2022, 7, 1),
            ("20170901", 2017, 9, 1),  # the performance tables' OPEN_AC
            ("20170901.0", 2017, 9, 1),  # the same, re-saved as a number
            ("01/09/17", 2017, 9, 1),  # a spreadsheet's two-digit year
            ("01-09-17", 2017, 9, 1),
            ("1 September 2017", 2017, 9, 1),
            ("01-Sep-2017", 2017, 9, 1),
        ],
    )
    def test_published_date_forms(self, text, year, month, day):
        parsed = a_date(text)
        assert (parsed.year, parsed.month, parsed.day) == (year, month, day)

    @pytest.mark.parametrize("text", ["31-02-2019", "yesterday", "2019-13-01", "01-09-2017 noon"])
    def test_text_that_is_not_a_date_is_refused_with_the_forms_read(self, text):
        with pytest.raises(ValueError, match=r"^is not a date \(DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD or YYYYMMDD\)$"):
            a_date(text)

    def test_the_gias_unknown_date_is_no_date(self):
        assert a_date("01-01-1900") is None

    @pytest.mark.parametrize("marker", ["SUPP", "NE", "NA", "NP", "LOWCOV", "x", "c", "z", "low"])
    def test_suppression_markers_are_no_value_never_zero(self, marker):
        assert figure(marker) == Figure(None, marker)

    def test_percentages_are_numbers(self):
        assert figure("41%").value == figure("41").value

    @pytest.mark.parametrize(("text", "number"), [("2", 2), ("2.0", 2), ("+2", 2), ("1,234", 1234)])
    def test_whole_numbers_as_published_or_re_saved(self, text, number):
        assert integer()(text) == number

    @pytest.mark.parametrize("marker", ["SUPP", "x", "..", "NE", "z"])
    def test_a_marker_in_a_whole_number_column_is_no_value(self, marker):
        assert integer()(marker) is None

    @pytest.mark.parametrize("parse", [integer(), decimal(1)])
    def test_scientific_notation_in_a_number_column_is_refused_saying_why(self, parse):
        with pytest.raises(ValueError, match="is in scientific notation"):
            parse("1.0E+5")

    def test_a_word_that_is_not_a_marker_is_an_error(self):
        with pytest.raises(ValueError, match="not a number or a published marker"):
            figure("n/a please")


class TestPerformanceFiles:
    def test_national_rows_become_national_figures_by_phase(self):
        raw = (DATA / "performance_tables" / "england_abs_KSPDeveloper.csv").read_bytes()
        parsed = read_file("absence", raw)
        national = {(n["measure"], n["phase"]): n["value"] for n in parsed.prepared.national}
        assert str(national[("abs_overall_pct", "secondary")]) == "5.5000"
        assert str(national[("abs_persistent10_pct", "special")]) == "28.8000"

    def test_census_national_rows_carry_nat_in_the_urn_column(self):
        raw = (DATA / "performance_tables" / "england_census_KSPDeveloper.csv").read_bytes()
        parsed = read_file("census", raw)
        assert not parsed.errors
        assert {n["phase"] for n in parsed.prepared.national} == {"primary", "secondary", "special"}

    def test_ks4_local_authority_rows_are_set_aside(self):
        raw = (DATA / "performance_tables" / "england_ks4provisional_KSPDeveloper.csv").read_bytes()
        parsed = read_file("ks4", raw)
        assert parsed.prepared.set_aside == 155 + 1  # LA rows and the all-schools England row
        assert len(parsed.prepared.records) == 4296 + 1199

    def test_a_file_without_any_measure_column_is_refused(self):
        with pytest.raises(FileRejected, match="none of the measure columns"):
            read_file("ks4", b"URN,RECTYPE,SCHNAME\n100000,1,A school\n")


# Awkward CSV text: quotes where a value starts and inside one, commas, every kind of line end, and
# characters str.splitlines would take for line ends but the csv module does not.
CSV_TEXT = st.text(alphabet=["a", " ", ",", ",", '"', '"', "\r", "\n", "\x0b", "\x0c", "\x85", "\u2028"], max_size=40)


class TestRowLengths:
    """``rows_fit`` lets a file through without reading it row by row only where the csv module,
    reading row by row, would find nothing to refuse."""

    @staticmethod
    def refused(content: str, width: int) -> bool:
        try:
            check_each_row_length(content, width)
        except FileRejected:
            return True
        return False

    @settings(max_examples=examples(800, 3000), deadline=None, derandomize=True, database=None)
    @given(content=CSV_TEXT, width=st.integers(1, 5), field_limit=st.sampled_from([4, 12, None]))
    def test_rows_fit_only_where_no_row_is_refused(self, content, width, field_limit):
        limit = csv.field_size_limit()
        try:
            if field_limit is not None:
                csv.field_size_limit(field_limit)
            if rows_fit(content, width):
                assert not self.refused(content, width)
        finally:
            csv.field_size_limit(limit)

    @settings(max_examples=examples(800, 3000), deadline=None, derandomize=True, database=None)
    @given(
        content=CSV_TEXT, width=st.integers(1, 5), slice_size=st.integers(1, 12), field_limit=st.sampled_from([4, 12])
    )
    def test_rows_fit_gives_the_same_answer_slice_by_slice_as_for_the_whole_text(
        self, content, width, slice_size, field_limit
    ):
        """A register is read a slice at a time: a slice edge inside quotes, between CR and LF or
        at a quote changes no answer, and a file it clears is one the csv module clears too."""
        limit = csv.field_size_limit()
        try:
            csv.field_size_limit(field_limit)
            whole = rows_fit(content, width, slice_size=len(content) + 1)
            assert rows_fit(content, width, slice_size=slice_size) == whole
            if whole:
                assert not self.refused(content, width)
        finally:
            csv.field_size_limit(limit)

    @pytest.mark.parametrize(
        ("content", "fits"),
        [
            ('a,b\r\n1,"x\r\ny,z"\r\n2,3\r\n', True),  # a quoted line end across the slice edge
            ('a,b\r\n1,"x\r\ny,z",w\r\n2,3\r\n', False),  # the same row, one value too many
            ('a,b\r1,2\r3,"4\r5"\r6,7,8', False),  # old Mac line ends, the long row last
            ('a,b\n1,\r"q"\n2,3\n', True),  # a CR, then a quoted field, then its LF
            ('a,b\n1,"unclosed\n2,3,4\n', True),  # an unclosed quote runs to the end
            ('a,b\n1,x"y\n2,"z""\n,w"\n', True),  # a quote inside a value, doubled quotes
        ],
    )
    @pytest.mark.parametrize("slice_size", [1, 3, 5, 8, 100])
    def test_rows_fit_at_every_slice_edge(self, content, fits, slice_size):
        assert rows_fit(content, 2, slice_size=slice_size) is fits
        if fits:
            assert not self.refused(content, 2)

    @settings(max_examples=examples(200, 500), deadline=None, derandomize=True, database=None)
    @given(content=CSV_TEXT)
    def test_lines_are_those_the_csv_module_reads_from_a_file(self, content):
        assert list(lines(content)) == list(io.StringIO(content, newline=""))

    def test_a_real_register_fits_without_being_read_row_by_row(self):
        content = decode(gias_bytes(), "cp1252")
        assert rows_fit(content, len(read_header(content)))

    def test_a_long_row_is_still_refused_naming_its_line(self):
        content = 'URN,Name\n1,"A, B"\n2,"C\nD",x\n'
        assert not rows_fit(content, 2)
        with pytest.raises(FileRejected, match=r"^Line 4 has 3 values but the header has 2 columns, so the values"):
            check_row_lengths(content, 2)

    def test_linked_establishments_spilling_into_extra_values_are_accepted_as_the_last_column(self):
        """GIAS search downloads write the list of linked establishments into as many values as
        it has: those rows are longer than the header, and nothing moves along."""
        header = "URN,LA (code),EstablishmentName,Linked establishments"
        content = f"{header}\n100000,202,A School,Successor 100001,Predecessor 100002,Sixth form 100003\n"
        assert check_row_lengths(content, 4, spills=True) == 6
        with pytest.raises(FileRejected, match=r"^Line 2 has 6 values but the header has 4 columns"):
            check_row_lengths(content, 4)
        parsed = read_file("gias_establishments", content.encode())
        assert not parsed.errors
        assert [(r["urn"], r["la_code"], r["name"]) for r in parsed.prepared.records] == [(100000, 202, "A School")]

    def test_a_long_row_is_refused_when_the_last_column_is_not_one_that_spills(self):
        content = "URN,LA (code),EstablishmentName,Town\n100000,202,A School,Camden,London\n"
        with pytest.raises(FileRejected, match=r"^Line 2 has 5 values but the header has 4 columns"):
            read_file("gias_establishments", content.encode())

    def test_a_value_longer_than_the_csv_modules_limit_is_still_refused(self):
        content = f'URN,Name\n1,"{"x" * 200_000}"\n'
        assert not rows_fit(content, 2)
        with pytest.raises(FileRejected, match=r"^The file is not a well-formed CSV: line 2: field larger"):
            check_row_lengths(content, 2)
