"""Fuzzing every importer with hypothesis: whatever file an officer uploads, the import either fails
with a clear message and writes nothing, or succeeds with counts that match the database — never
an unhandled error, and the Imports page never answers 500.

Three kinds of file for each importer:

* arbitrary bytes;
* the real published files (``data/`` and the Ofsted fixtures, a few dozen rows of each) mutated:
  columns dropped, repeated or renamed, cells replaced with awkward values, rows repeated, dropped
  or ragged, huge fields, NUL bytes, mixed line ends, other encodings, truncated, empty;
* valid-looking files: the real header with rows recombined from the real values, mixed with
  awkward ones, for schools in the register so that something is written.

A fixed seed (``derandomize``) and a bounded number of examples keep CI repeatable and the file
under two minutes; ``pytest --hypothesis-show-statistics`` shows how each importer's files ended.
"""

from __future__ import annotations

import csv
import io
import os
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.models import CharField, Q
from django.db.models.functions import Length
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from schools import imports, services
from schools.importers import FORMATS
from schools.importers.base import decode, read_header
from schools.models import (
    EstynInspection,
    GroupMembership,
    ImportChange,
    ImportProblem,
    ImportRun,
    Inspection,
    LocalAuthority,
    LocalAuthorityFigure,
    PerformanceMeasure,
    School,
    SchoolGroup,
    SchoolLink,
)
from tests.conftest import DATA
from tests.examples import examples

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ofsted"
YEAR = 2018
# More for a longer hunt: IMPORT_FUZZ_EXAMPLES=500 pytest tests/schools/test_import_fuzz.py
EXAMPLES = int(os.environ.get("IMPORT_FUZZ_EXAMPLES") or examples(15, 40))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the register is set up once per test, and read only
        HealthCheck.too_slow,  # each example is a whole import into the database
        HealthCheck.data_too_large,  # huge fields are part of the point
        HealthCheck.large_base_example,
    ],
)


@dataclass(frozen=True)
class Seed:
    """Real files for an importer, cut to a few dozen rows (the header kept): the first rows,
    and rows naming schools in the register so that the import writes."""

    paths: tuple[Path, ...]
    first: int = 20
    matching: int = 0  # rows whose URN is in the register, beyond the first ones


GIAS = DATA / "gias"
PERFORMANCE = DATA / "performance_tables"
PUBLISHED = Path(__file__).resolve().parent.parent / "fixtures" / "published" / "performance"
EES = DATA / "ees"
ESTYN = Path(__file__).resolve().parent.parent / "fixtures" / "estyn" / "estyn_inspections_portal_layout.csv"
SEEDS = {
    "gias_establishments": Seed(
        (
            GIAS / "gias_establishments_sample_2021_npq-registration.csv",
            GIAS / "gias_establishments_sample_2018_schools-experience.csv",
        )
    ),
    "gias_links": Seed((GIAS / "gias_links_edubasealldata20250422.csv",), first=5, matching=20),
    "gias_groups": Seed((GIAS / "gias_groups_2022_processed.csv",)),
    "gias_group_links": Seed((GIAS / "gias_group_links_2022_processed.csv",), first=5, matching=20),
    "local_authorities": Seed((DATA / "reference" / "la_and_region_codes_meta.csv",), first=30),
    "ofsted_latest": Seed(
        (FIXTURES / "latest_inspections_graded_layout.csv", FIXTURES / "latest_inspections_report_card_layout.csv")
    ),
    "census": Seed((PERFORMANCE / "england_census_KSPDeveloper.csv",), first=5, matching=15),
    "ks2": Seed((PERFORMANCE / "england_ks2final_subset_columns_RalPan.csv",), first=5, matching=15),
    "ks4": Seed((PERFORMANCE / "england_ks4provisional_KSPDeveloper.csv",), first=5, matching=15),
    "absence": Seed(
        (PERFORMANCE / "england_abs_KSPDeveloper.csv", PERFORMANCE / "england_abs_RalPan_older.csv"),
        first=5,
        matching=15,
    ),
    "ks5": Seed((PUBLISHED / "ks5final_2016-2017_england_sample.csv",), first=10, matching=15),
    "ks4_destinations": Seed((PUBLISHED / "ks4-pupdest_2019-release_england_sample.csv",), first=10, matching=15),
    # The portal's own layout (Estyn publishes no file of outcomes: docs/data-formats.md §7), with
    # real Welsh URNs of the register sample.
    "estyn_inspections": Seed((ESTYN,)),
    # Explore Education Statistics: the first rows are England's (National), then regions and LAs.
    "ees_la_figures": Seed(
        (EES / "eyfsp_headline_measures_2021-22_la_slice.csv", EES / "cin_cla_outcomes_ks2_la_2019-2025.csv"), first=40
    ),
}
KINDS = list(SEEDS)
assert set(KINDS) == set(FORMATS)

# The records each import counts, and their history where they have one.
COUNTED = {
    "gias_establishments": School,
    "gias_links": SchoolLink,
    "gias_groups": SchoolGroup,
    "gias_group_links": GroupMembership,
    "local_authorities": LocalAuthority,
    "ofsted_latest": Inspection,
    "census": PerformanceMeasure,
    "ks2": PerformanceMeasure,
    "ks4": PerformanceMeasure,
    "absence": PerformanceMeasure,
    "ks5": PerformanceMeasure,
    "ks4_destinations": PerformanceMeasure,
    "estyn_inspections": EstynInspection,
    "ees_la_figures": LocalAuthorityFigure,
}


# Where each import's records get their key in the file: what it writes must come from that column.
KEYS = {
    "gias_establishments": ("urn", "URN"),
    "gias_links": ("school__urn", "URN"),
    "gias_groups": ("uid", "Group UID"),
    "gias_group_links": ("school__urn", "URN"),
    "local_authorities": ("code", "LEA"),
    "ofsted_latest": ("school__urn", "URN"),
    "census": ("school__urn", "URN"),
    "ks2": ("school__urn", "URN"),
    "ks4": ("school__urn", "URN"),
    "absence": ("school__urn", "URN"),
    "ks5": ("school__urn", "URN"),
    "ks4_destinations": ("school__urn", "URN"),
    "estyn_inspections": ("school__urn", "URN"),
    "ees_la_figures": ("la_code", "old_la_code"),
}
# Records whose key the file leaves empty: England's figures have no LA code (held as 0).
UNKEYED = {"ees_la_figures": {"level": "national"}}


# The register the files are imported against ---------------------------------------------------------


@cache
def register_urns() -> tuple[int, ...]:
    """The URNs of the register the tests import: the 2021 GIAS sample and the Ofsted fixtures'."""
    text = decode(SEEDS["gias_establishments"].paths[0].read_bytes(), "cp1252")
    urns = [int(row["URN"]) for row in csv.DictReader(io.StringIO(text))]
    return (*urns, 103001, 139001, 125001)


@pytest.fixture
def register(ashfield, beacon_hill, castle):
    raw = SEEDS["gias_establishments"].paths[0].read_bytes()
    assert imported("gias_establishments", raw).status == ImportRun.Status.SUCCEEDED
    assert set(School.objects.values_list("urn", flat=True)) == set(register_urns())


# The real files, cut down -------------------------------------------------------------------------------


@cache
def seeds(kind: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Each seed file of ``kind`` as rows of cells, the header first."""
    seed = SEEDS[kind]
    urns = {str(u) for u in register_urns()}
    found = []
    for path in seed.paths:
        rows = list(csv.reader(io.StringIO(decode(path.read_bytes(), FORMATS[kind].encoding))))
        header, body = rows[0], rows[1:]
        kept = body[: seed.first]
        if seed.matching:
            at = header.index("URN")
            kept += [row for row in body[seed.first :] if len(row) > at and row[at] in urns][: seed.matching]
        found.append(tuple(tuple(row) for row in [header, *kept]))
    return tuple(found)


def as_csv(rows, newline: str = "\n") -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(rows)
    return out.getvalue()


# Awkward values and mutations ---------------------------------------------------------------------------

AWKWARD = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "NULL",
            "NAT",
            "SUPP",
            "x",
            "-1",
            "0",
            "1e309",
            "NaN",
            "-inf",
            "1,000",
            "99999999999999999999",
            "01-01-1900",
            "31-02-2019",
            "2019-13-01",
            "9999-12-31",
            "0001-01-01",
            "2019-06-01 25:61",
            "1.5",
            "=HYPERLINK()",
            '"',
            "\x00",
            "\r",
            "\n",
            "caf\u00e9",
            "\u2603\U0001f600",
            "\ufeff",
            "9" * 300,
        ]
    ),
    st.integers().map(str),
    st.floats().map(str),
    st.text(max_size=40),
)
# Values as long as a column allows: several of them together must still fit where they are stored.
AT_THE_LIMIT = st.sampled_from([20, 40, 60, 100, 120, 200, 255]).map(lambda n: "a" * n)
HUGE = st.sampled_from([10_000, 200_000]).map(lambda n: "x" * n)
# Mostly what the publishers use, so that most files get past decoding to the rows.
ENCODINGS = [*["utf-8"] * 4, "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "utf-32", "mac_roman"]


def _column(draw, rows) -> int:
    return draw(st.integers(0, max(0, len(rows[0]) - 1)))


def _row(draw, rows) -> int:
    return draw(st.integers(1, max(1, len(rows) - 1)))


def drop_column(draw, rows):
    at = _column(draw, rows)
    return [row[:at] + row[at + 1 :] for row in rows]


def repeat_column(draw, rows):
    at = _column(draw, rows)
    return [row + row[at : at + 1] for row in rows]


def extra_field(draw, rows):
    """A value past the last column on every row (a trailing comma, or more)."""
    extra = draw(st.sampled_from(["", "", "x", "Y"]))
    return [rows[0], *([*row, extra] for row in rows[1:])]


def rename_column(draw, rows):
    at = _column(draw, rows)
    name = rows[0][at] if rows[0] else ""
    new = draw(st.one_of(st.just(name.upper()), st.just(f" {name} "), st.just(name + "x"), AWKWARD, HUGE))
    return [[*rows[0][:at], new, *rows[0][at + 1 :]], *rows[1:]]


def replace_cells(draw, rows):
    rows = [list(row) for row in rows]
    for _ in range(draw(st.integers(1, 6))):
        row = rows[_row(draw, rows)] if len(rows) > 1 else rows[0]
        if row:
            row[draw(st.integers(0, len(row) - 1))] = draw(st.one_of(AWKWARD, AT_THE_LIMIT, HUGE))
    return rows


def repeat_row(draw, rows):
    return [*rows, rows[_row(draw, rows)]] if len(rows) > 1 else rows


def drop_rows(draw, rows):
    return rows[: draw(st.integers(1, len(rows)))]


def ragged_row(draw, rows):
    rows = [list(row) for row in rows]
    at = _row(draw, rows) if len(rows) > 1 else 0
    rows[at] = rows[at][: draw(st.integers(0, len(rows[at])))] + draw(st.lists(AWKWARD, max_size=3))
    return rows


def blank_line(draw, rows):
    at = draw(st.integers(1, len(rows)))
    return [*rows[:at], [], *rows[at:]]


ROW_MUTATIONS = [
    drop_column,
    repeat_column,
    rename_column,
    replace_cells,
    repeat_row,
    drop_rows,
    ragged_row,
    blank_line,
    extra_field,
]


def truncate(draw, raw: bytes) -> bytes:
    return raw[: draw(st.integers(0, len(raw)))]


def nul_bytes(draw, raw: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + b"\x00" + raw[at:]
    return raw


def mixed_newlines(draw, raw: bytes) -> bytes:
    parts = raw.split(b"\n")
    ends = draw(st.lists(st.sampled_from([b"\n", b"\r\n", b"\r", b"\n\r"]), min_size=len(parts), max_size=len(parts)))
    return b"".join(part + end for part, end in zip(parts[:-1], ends, strict=False)) + parts[-1]


def random_bytes(draw, raw: bytes) -> bytes:
    at = draw(st.integers(0, len(raw)))
    return raw[:at] + draw(st.binary(min_size=1, max_size=16)) + raw[at:]


def emptied(draw, raw: bytes) -> bytes:
    return draw(st.sampled_from([b"", b"\n", b"\r\n\r\n", b"\xef\xbb\xbf", b" ", raw.split(b"\n", 1)[0]]))


def bom_twice(draw, raw: bytes) -> bytes:
    return b"\xef\xbb\xbf\xef\xbb\xbf" + raw


def stray_comma(draw, raw: bytes) -> bytes:
    """A comma typed into a value that is not in quotes."""
    at = draw(st.integers(0, len(raw)))
    return raw[:at] + b"," + raw[at:]


BYTE_MUTATIONS = [truncate, nul_bytes, mixed_newlines, random_bytes, emptied, bom_twice, stray_comma, stray_comma]


@st.composite
def mutated_file(draw, kind: str) -> bytes:
    rows = [list(row) for row in draw(st.sampled_from(seeds(kind)))]
    for mutation in draw(st.lists(st.sampled_from(ROW_MUTATIONS), max_size=3)):
        rows = mutation(draw, rows)
    text = as_csv(rows, draw(st.sampled_from(["\n", "\r\n"])))
    raw = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    for mutation in draw(st.lists(st.sampled_from(BYTE_MUTATIONS), max_size=2)):
        raw = mutation(draw, raw)
    return raw


KEY_COLUMNS = {"URN", "LinkURN"}


PERCENT = st.integers(0, 99)
AWKWARD_CELL = st.one_of(AWKWARD, AT_THE_LIMIT, st.just(""))


@cache
def published_values(rows: tuple[tuple[str, ...], ...]) -> list:
    """For each column of a seed file, a draw of one of the values published in it (made once: a
    strategy is checked each time it is made, and a file has up to 12 rows of 100 cells)."""
    header, body = rows[0], rows[1:]
    return [st.sampled_from(sorted({row[i] for row in body if i < len(row)}) or [""]) for i in range(len(header))]


@st.composite
def valid_looking_file(draw, kind: str) -> bytes:
    """The real header; each cell a real value of its column, or (at the file's own rate, often
    none) an awkward or empty one; the schools taken from the register, each once unless awkward."""
    rows = draw(st.sampled_from(seeds(kind)))
    header, published = rows[0], published_values(rows)
    schools = draw(st.permutations([str(u) for u in register_urns()]))
    awkward_in_100 = draw(st.sampled_from([0, 0, 2, 10]))

    def cell(i: int, n: int) -> str:
        if awkward_in_100 and draw(PERCENT) < awkward_in_100:
            return draw(AWKWARD_CELL)
        if header[i] in KEY_COLUMNS:
            return schools[n] if header[i] == "URN" else draw(st.sampled_from(schools))
        return draw(published[i])

    made = [[cell(i, n) for i in range(len(header))] for n in range(draw(st.integers(1, 12)))]
    encoding = FORMATS[kind].encoding
    return as_csv([header, *made], draw(st.sampled_from(["\n", "\r\n"]))).encode(encoding, errors="replace")


# Importing and checking ---------------------------------------------------------------------------------


@contextmanager
def rolled_back():
    """Each example starts from the register alone, so that its rows are new and get written."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def imported(kind: str, raw: bytes) -> ImportRun:
    year = YEAR if FORMATS[kind].needs_academic_year else None
    started = services.start_command_import(kind=kind, file_name="fuzz.csv", raw=raw, dry_run=False, academic_year=year)
    imports.run_import(run=started, raw=raw)
    started.refresh_from_db()
    return started


# What an import records about itself, failed or not: the run, its report and its undo journal.
RUN_RECORDS = {ImportRun, ImportProblem, ImportChange}


def table_counts() -> dict[str, int]:
    """Rows in every table of the schools app (history included) but the import runs' own, read in
    one query (an example reads them two or three times)."""
    models = counted_models()
    quote = connection.ops.quote_name
    # Table names from the models' metadata.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in models)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, row, strict=True)}


@cache
def counted_models() -> list:
    return [model for model in apps.get_app_config("schools").get_models() if model not in RUN_RECORDS]


def history_label(model) -> str | None:
    history = getattr(model, "history", None)
    return history.model._meta.label if history is not None else None


def note(text: str) -> None:
    """Count how the files ended (``--hypothesis-show-statistics``), inside a hypothesis test."""
    from hypothesis.control import currently_in_test_context

    if currently_in_test_context():
        event(text)


def assert_fits(model) -> None:
    """Every text stored fits its column: SQLite does not enforce lengths, PostgreSQL does."""
    limits = {f.name: f.max_length for f in model._meta.concrete_fields if isinstance(f, CharField) and f.max_length}
    if not limits:
        return
    lengths = model.objects.annotate(**{f"length_{name}": Length(name) for name in limits})
    too_long = Q()
    for name, limit in limits.items():
        too_long |= Q(**{f"length_{name}__gt": limit})
    assert not lengths.filter(too_long).exists(), f"a {model.__name__} value is longer than its column"


def keys_held(kind: str) -> set:
    return set(COUNTED[kind].objects.exclude(**UNKEYED.get(kind, {})).values_list(KEYS[kind][0], flat=True))


def keys_in_file(kind: str, raw: bytes) -> set[int]:
    """The whole numbers in the file's key column, read with the csv module, not pandas."""
    content = decode(raw, FORMATS[kind].encoding)
    reader = csv.reader(io.StringIO(content, newline=""))
    column = [name.strip() for name in next(reader)].index(KEYS[kind][1])
    cells = (row[column].strip() for row in reader if len(row) > column)
    return {int(cell) for cell in cells if cell.isdigit()}


def key_columns(kind: str, raw: bytes) -> set[str]:
    """The columns of the file whose values place its records: only there is a value that
    cannot be read an error (anywhere else it is a warning, and the import goes on)."""
    fmt = FORMATS[kind]
    return {column.name for column in fmt.columns(read_header(decode(raw, fmt.encoding))) if column.key}


def reported(run: ImportRun, kind: str) -> int:
    return ImportProblem.objects.filter(run=run, kind=kind).count()


def assert_reported(run: ImportRun) -> None:
    """The run's counts agree with the report it keeps: every error and warning, each with its
    line, column and reason; rows skipped counted once, never more than were read."""
    problems = ImportProblem.Kind
    assert reported(run, problems.ERROR) == run.error_count, run.message
    assert reported(run, problems.WARNING) == run.warning_count, run.message
    assert reported(run, problems.UNKNOWN_SCHOOL) == run.unknown_school_count, run.message
    for problem in ImportProblem.objects.filter(run=run, kind__in=[problems.ERROR, problems.WARNING]):
        assert problem.line is not None, problem
        assert problem.line >= 2, problem  # line 1 is the header
        assert problem.column, problem
        assert problem.reason, problem
    assert 0 <= run.skipped <= run.rows_read, run.message
    assert sum(g["count"] for g in run.problem_groups) == ImportProblem.objects.filter(run=run).count()


def assert_all_or_nothing(kind: str, raw: bytes) -> ImportRun:
    """The import fails with a message and writes nothing, or succeeds with counts that match
    the database and records keyed from the file's key column, and a second import of the same
    file then changes nothing. Either way its report agrees with its counts."""
    before, keys_before = table_counts(), keys_held(kind)
    run = imported(kind, raw)
    after = table_counts()
    note(f"{kind}: {run.status}")
    if run.status == ImportRun.Status.FAILED:
        assert run.message.strip(), "a failed import says why"
        assert "unexpected error" not in run.message
        assert after == before, "a failed import wrote rows"
        assert not ImportChange.objects.filter(run=run).exists(), "a failed import has nothing to undo"
        for error in run.errors:
            assert error["line"] >= 1, error
            assert error["column"], error
            assert error["reason"], error
        if run.errors:
            assert run.message.startswith("Nothing was imported: "), run.message
            assert {e["column"] for e in run.errors} <= key_columns(kind, raw), "an error outside a key column"
            assert_reported(run)
        note(f"{kind}: {'row errors' if run.errors else run.message.split(':')[0][:60]}")
        return run
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert_reported(run)
    if run.warning_count:
        note(f"{kind}: succeeded with warnings")
    model = COUNTED[kind]
    label = model._meta.label
    assert after[label] - before[label] == run.created, run.message
    history = history_label(model)
    if history:
        assert after[history] - before[history] == run.created + run.updated, run.message
    assert_fits(model)
    new_keys = keys_held(kind) - keys_before
    assert new_keys <= keys_in_file(kind, raw), f"records for keys not in the file's {KEYS[kind][1]} column"
    again = imported(kind, raw)
    assert again.status == ImportRun.Status.SUCCEEDED, again.message
    assert (again.created, again.updated) == (0, 0), again.message
    assert table_counts() == after, "importing the same file again wrote rows"
    if run.created or run.updated:
        note(f"{kind}: wrote records")
    return run


# The properties -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(raw=st.binary(max_size=4096))
def test_arbitrary_bytes_fail_cleanly_or_import_consistently(register, kind, raw):
    with rolled_back():
        assert_all_or_nothing(kind, raw)


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(data=st.data())
def test_mutated_real_files_fail_cleanly_or_import_consistently(register, kind, data):
    with rolled_back():
        assert_all_or_nothing(kind, data.draw(mutated_file(kind), label="file"))


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(data=st.data())
def test_valid_looking_files_fail_cleanly_or_import_consistently(register, kind, data):
    with rolled_back():
        assert_all_or_nothing(kind, data.draw(valid_looking_file(kind), label="file"))


@pytest.mark.parametrize("kind", KINDS)
def test_the_real_seed_files_import(register, kind):
    """The unmutated seeds succeed, so the mutations start from files that work."""
    for rows in seeds(kind):
        run = assert_all_or_nothing(kind, as_csv(rows).encode(FORMATS[kind].encoding))
        assert run.status == ImportRun.Status.SUCCEEDED, run.message


UPLOADS = st.one_of(
    st.binary(max_size=2048),
    st.text(max_size=500).map(str.encode),
    st.sampled_from([b"", b"\x00" * 10, b"URN\n1\n"]),
)


@settings(max_examples=30, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(kind=st.sampled_from(KINDS), raw=UPLOADS)
def test_uploading_random_bytes_never_breaks_the_imports_page(
    client, olivia, django_capture_on_commit_callbacks, kind, raw
):
    client.force_login(olivia)
    upload = io.BytesIO(raw)
    upload.name = "upload.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("schools:imports"), {"kind": kind, "file": upload, "academic_year": "2018"})
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        page = client.get(response["Location"])
        assert page.status_code == 200
        run = ImportRun.objects.latest("pk")
        assert run.status in (ImportRun.Status.FAILED, ImportRun.Status.SUCCEEDED), run.status
        assert run.message
        note(f"upload: {run.status}")
    else:
        note("upload: refused by the form")


# What the fuzzing found: each was an unhandled error or wrong data before its fix ----------------------

LINKS_HEADER = "URN,LinkURN,LinkName,LinkType,LinkEstablishedDate"


def test_a_file_with_old_mac_line_ends_imports(register):
    """The header was read up to the first LF only, and csv refused the CR inside it."""
    lines = [LINKS_HEADER, "103001,139001,Beacon Hill Academy,Successor,01-09-2020"]
    run = imported("gias_links", "\r".join(lines).encode())
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert SchoolLink.objects.get().linked_urn == 139001


def test_a_header_too_long_to_read_is_refused_with_a_message(register):
    run = imported("gias_links", f"URN,{'x' * 200_000}\n1,2\n".encode())
    assert run.status == ImportRun.Status.FAILED
    assert run.message.startswith("The first line of the file is not a row of column names")


def test_a_trailing_comma_on_every_line_does_not_move_the_values_along(register):
    """pandas took the first column for an index, so URN read LinkURN's values, and so on."""
    lines = [LINKS_HEADER, "103001,139001,Beacon Hill Academy,Successor,01-09-2020,", ""]
    run = imported("gias_links", "\n".join(lines).encode())
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    link = SchoolLink.objects.get()
    assert (link.school.urn, link.linked_urn, link.link_type) == (103001, 139001, "Successor")


def test_a_value_with_an_unquoted_comma_is_refused_naming_its_line(register):
    """The extra value was dropped silently and the rest of the row read one column along."""
    lines = [
        LINKS_HEADER,
        "103001,139001,Beacon Hill Academy,Successor,01-09-2020",
        "103001,125001,Castle, the,Successor,01-09-2020",
    ]
    run = imported("gias_links", "\n".join(lines).encode())
    assert run.status == ImportRun.Status.FAILED
    assert run.message == (
        "Line 3 has 6 values but the header has 5 columns, so the values cannot be matched to their columns. "
        "A value with a comma in it must be in double quotes; if the values are right, the header is missing "
        "a column name."
    )
    assert not SchoolLink.objects.exists()


@pytest.mark.parametrize(
    ("kind", "header", "row", "column"),
    [
        ("gias_groups", "Group UID,Group Name,Group Type", ",Trust A,Multi-academy trust", "Group UID"),
        ("local_authorities", "LEA,LA Name", ",Nowhere", "LEA"),
        ("gias_links", LINKS_HEADER, "103001,,Somewhere,Successor,", "LinkURN"),
        ("gias_group_links", "URN,Group UID,Group Name,Group Type", "103001,,Trust A,Multi-academy trust", "Group UID"),
        (
            "gias_establishments",
            "URN,LA (code),LA (name),EstablishmentName,EstablishmentStatus (name)",
            "100999,,Camden,A School,Open",
            "LA (code)",
        ),
    ],
)
def test_an_empty_key_is_a_row_error_not_a_database_error(register, kind, header, row, column):
    """The empty key reached the database (NOT NULL) or the comparison of keys (None < int)."""
    before = table_counts()
    run = imported(kind, f"{header}\n{row}\n".encode())
    assert run.status == ImportRun.Status.FAILED
    assert run.errors == [{"line": 2, "column": column, "value": "", "reason": "is required but empty"}]
    assert table_counts() == before


def test_an_ofsted_row_without_a_urn_is_a_row_error(register):
    """The row's inspections had no URN and the import stopped with a KeyError."""
    rows = list(
        csv.reader(io.StringIO(decode((FIXTURES / "latest_inspections_graded_layout.csv").read_bytes(), "cp1252")))
    )
    rows[1][rows[0].index("URN")] = ""
    run = imported("ofsted_latest", as_csv(rows).encode("cp1252"))
    assert run.status == ImportRun.Status.FAILED
    assert {"line": 2, "column": "URN", "value": "", "reason": "is required but empty"} in run.errors


def test_a_utf8_file_that_is_not_utf8_says_so_once():
    from schools.importers.base import FileRejected

    with pytest.raises(FileRejected, match=r"^The file is not in UTF-8 encoding: byte 0xFF on line 2"):
        decode(b"URN\n\xff\n", "utf-8-sig")


def test_a_nul_character_far_into_the_file_is_refused_naming_its_line(register):
    """Only the first 4 KB were checked; on PostgreSQL the NUL then stopped the import unhandled."""
    lines = [LINKS_HEADER, *(f"103001,{200000 + n},Name {n},Successor,01-09-2020" for n in range(200))]
    lines.append("103001,139001,Beacon\x00Hill,Successor,01-09-2020")
    run = imported("gias_links", "\n".join(lines).encode())
    assert run.status == ImportRun.Status.FAILED
    assert run.message.startswith("The file contains a NUL character (byte 0x00) on line 202")
    assert not SchoolLink.objects.exists()


def test_a_head_of_group_name_too_long_to_store_is_a_warning_and_the_group_imported(register):
    """Title, first and last names (40 + 100 + 100) joined did not fit the 200 characters held;
    PostgreSQL stopped the import unhandled. Now the group is imported without the name."""
    header = "Group UID,Group Name,Group Type,Head of Group Title,Head of Group First Name,Head of Group Last Name"
    row = f"5001,Trust A,Multi-academy trust,Dr,{'A' * 100},{'B' * 100}"
    run = imported("gias_groups", f"{header}\n{row}\n".encode())
    assert run.status == ImportRun.Status.SUCCEEDED
    warning = ImportProblem.objects.get(run=run, kind="warning")
    assert (warning.line, warning.column) == (2, "Head of Group Last Name")
    assert warning.reason.startswith("makes the head of group's name longer than 200 characters")
    assert SchoolGroup.objects.get(uid=5001).head_of_group == ""
