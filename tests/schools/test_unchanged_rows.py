"""Imports cost what changed: a register row unchanged since the last import of its kind is counted
as unchanged without being read, checked or written again (issue 24)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schools import importers, imports, services, signals
from schools.importers import unchanged
from schools.importers.base import _QUOTED_FIELD
from schools.models import ImportRowHash, ImportRun, School
from tests.examples import examples
from tests.factories import UserFactory
from tests.schools.test_importers import replace_cell
from tests.schools.test_imports import GIAS, counts, read, run

pytestmark = pytest.mark.django_db

KIND = "gias_establishments"


def register() -> bytes:
    """The real sample as the tests' cell edits write it (each row's bytes as they keep them)."""
    first = read(GIAS).iloc[0]["URN"]
    return replace_cell(GIAS.read_bytes(), 2, "URN", first)


@pytest.fixture
def rows_read(monkeypatch):
    """How many rows each import read and checked."""
    seen: list[int] = []
    parse = importers.parse_columns

    def counting(frame, *args, **kwargs):
        seen.append(len(frame))
        return parse(frame, *args, **kwargs)

    monkeypatch.setattr(importers, "parse_columns", counting)
    return seen


def test_an_unchanged_register_is_counted_unchanged_without_reading_a_row(rows_read):
    raw = register()
    assert counts(run(KIND, raw)) == (99, 0, 0)
    again = run(KIND, raw)
    assert (again.rows_read, *counts(again)) == (99, 0, 0, 99)
    assert again.message == "Records were: 0 created, 0 updated, 99 unchanged."
    assert rows_read == [99, 0]


def test_a_changed_row_is_read_and_written_and_only_it(rows_read):
    raw = register()
    run(KIND, raw)
    urn = int(read(GIAS).iloc[5 - 2]["URN"])
    changed = replace_cell(raw, 5, "EstablishmentName", "Renamed Primary School")
    changed = replace_cell(changed, 10, "StatutoryHighAge", "eleven")
    result = run(KIND, changed)
    assert counts(result) == (0, 2, 97)
    assert School.objects.get(urn=urn).name == "Renamed Primary School"
    assert rows_read[-1] == 2
    # Its problems are reported on its line in the whole file.
    assert list(result.problems.values_list("kind", "line", "column")) == [("warning", 10, "StatutoryHighAge")]


def test_a_row_with_a_warning_is_read_and_reported_every_time(rows_read):
    raw = replace_cell(register(), 9, "OpenDate", "31-02-2019")
    run(KIND, raw)
    again = run(KIND, raw)
    assert counts(again) == (0, 0, 99)
    assert again.warning_count == 1
    assert rows_read[-1] == 1


def test_a_row_that_goes_back_to_what_it_was_is_written_again():
    raw = register()
    urn = int(read(GIAS).iloc[5 - 2]["URN"])
    run(KIND, raw)
    run(KIND, replace_cell(raw, 5, "StatutoryHighAge", "eleven"))  # a warning: stored as no age
    assert School.objects.get(urn=urn).statutory_high_age is None
    back = run(KIND, raw)
    assert counts(back) == (0, 1, 98)
    assert School.objects.get(urn=urn).statutory_high_age is not None


def test_a_repeated_row_is_still_an_error_though_its_first_copy_is_unchanged():
    raw = register()
    run(KIND, raw)
    lines = raw.decode().splitlines(keepends=True)
    repeated = "".join([*lines, lines[3]]).encode()
    result = run(KIND, repeated)
    assert result.status == ImportRun.Status.FAILED
    assert [(e["line"], e["column"]) for e in result.errors] == [(len(lines) + 1, "URN")]
    # The same school under a URN written another way is the same record, so the same error.
    urn = read(GIAS).iloc[2]["URN"]
    padded = lines[3].replace(urn, "0" + urn, 1)
    result = run(KIND, "".join([*lines, padded]).encode())
    assert result.status == ImportRun.Status.FAILED
    assert "repeats the record" in result.errors[0]["reason"]


def test_a_dry_run_stores_nothing_and_the_import_after_it_writes_every_row():
    raw = register()
    assert counts(run(KIND, raw, dry_run=True)) == (99, 0, 0)
    assert not ImportRowHash.objects.exists()
    assert counts(run(KIND, raw)) == (99, 0, 0)
    assert School.objects.count() == 99
    assert counts(run(KIND, raw, dry_run=True)) == (0, 0, 99)


def test_after_an_undo_every_row_is_read_and_written_again():
    officer = UserFactory()
    raw = register()
    urn = int(read(GIAS).iloc[5 - 2]["URN"])
    first = run(KIND, raw)
    renamed = replace_cell(raw, 5, "EstablishmentName", "Renamed Primary School")
    second = run(KIND, renamed)
    services.undo_import(run=second, by=officer)
    assert School.objects.get(urn=urn).name != "Renamed Primary School"
    assert not ImportRowHash.objects.exists()
    third = run(KIND, renamed)
    assert counts(third) == (0, 1, 98)
    assert School.objects.get(urn=urn).name == "Renamed Primary School"
    # An unchanged re-import reads nothing and journals nothing; undoing the imports before it
    # empties the register, and the same file then adds every school again.
    assert counts(run(KIND, renamed)) == (0, 0, 99)
    services.undo_import(run=third, by=officer)
    services.undo_import(run=first, by=officer)
    assert not School.objects.exists()
    assert counts(run(KIND, renamed)) == (99, 0, 0)


def test_an_import_names_the_schools_it_changed_for_recategorisation():
    sent: list[dict] = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    signals.facts_changed.connect(receiver)
    try:
        raw = register()
        run(KIND, raw)
        assert sorted(sent[-1]["school_ids"]) == sorted(School.objects.values_list("pk", flat=True))
        urn = int(read(GIAS).iloc[5 - 2]["URN"])
        run(KIND, replace_cell(raw, 5, "EstablishmentName", "Renamed Primary School"))
        assert sent[-1]["school_ids"] == [School.objects.get(urn=urn).pk]
        assert sent[-1]["import_run"].kind == KIND
        run(KIND, replace_cell(raw, 5, "EstablishmentName", "Renamed Primary School"))
        assert sent[-1]["school_ids"] == []
    finally:
        signals.facts_changed.disconnect(receiver)


def test_a_command_import_keeps_the_file_it_read_and_shares_it_with_a_later_run_of_the_same_file():
    raw = register()
    first = run(KIND, raw, name="edubasealldata.csv")
    with first.file.open("rb") as handle:
        assert handle.read() == raw
    again = services.start_command_import(
        kind=KIND, file_name="edubasealldata.csv", raw=raw, dry_run=True, academic_year=None
    )
    assert again.file.name == first.file.name
    imports.run_import(run=again)  # from the stored file
    again.refresh_from_db()
    assert counts(again) == (0, 0, 99)


# Text with every line end, quotes, blank and whitespace-only lines, under a header with the key.
RECORDS = st.lists(st.sampled_from(["1", "a", ",", '"', " ", "\r\n", "\n", "\r"]), max_size=30).map("".join)


@settings(max_examples=examples(300, 1000), deadline=None, derandomize=True, database=None)
@given(body=RECORDS)
@pytest.mark.django_db(False)
def test_a_file_is_cut_into_the_records_its_lines_are(body):
    """Records are cut where a file's lines end (LF or CRLF), as the file's text would be split
    into lines; a file whose lines cannot be told apart that way is read whole instead."""
    content = "URN,Name\r\n" + body
    cut = unchanged.split(content, ("URN",), {})
    text = content.replace("\r\n", "\n")
    lines = text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
    quoted_line_end = any("\n" in quoted for quoted in _QUOTED_FIELD.findall(text))
    if len(lines) < 2 or "\r" in text or quoted_line_end or any(not line.strip() for line in lines):
        assert cut is None
        return
    assert cut is not None
    changed, numbers = cut.changed_content(content)
    assert changed == "\n".join(lines) + "\n"
    assert numbers == list(range(2, len(lines) + 1))
    assert cut.keys == [line.split(",")[0] if '"' not in line.split(",")[0] else None for line in lines[1:]]
