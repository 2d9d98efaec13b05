"""The GOV.UK date input's messages (core.fields): the Design System's words, never Python's."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.fields import DateProblem, GovukDateField, date_name, parse_date

NAME = "the date of the visit"


def problem(*values: str, required: bool = True) -> tuple[str, tuple[int, ...]]:
    with pytest.raises(DateProblem) as raised:
        parse_date(values, name=NAME, required=required)
    return raised.value.message, raised.value.parts


@pytest.mark.parametrize(
    ("values", "message", "parts"),
    [
        (("40", "2", "2026"), "The date of the visit must be a real date", (0,)),
        (("30", "2", "2026"), "The date of the visit must be a real date", (0,)),
        (("3", "13", "2026"), "The date of the visit must be a real date", (1,)),
        (("3", "2", ""), "The date of the visit must include a year", (2,)),
        (("", "", "2026"), "The date of the visit must include a day and month", (0, 1)),
        (("3", "Feb", "2026"), "The date of the visit must be a real date", (1,)),
        (("x", "y", "2026"), "The date of the visit must be a real date", ()),
        (("3", "2", "26"), "Year must include 4 numbers", (2,)),
        (("", "", ""), "Enter the date of the visit", ()),
    ],
)
def test_each_mistake_gets_the_design_systems_message_at_the_part_at_fault(values, message, parts):
    assert problem(*values) == (message, parts)


def test_a_real_date_is_read_and_an_optional_date_may_be_left_blank():
    assert parse_date([" 3", "2 ", "2026"], name=NAME, required=True) == date(2026, 2, 3)
    assert parse_date(["", "", ""], name=NAME, required=False) is None


def test_the_messages_name_the_date_from_its_label():
    assert date_name("Date of the visit") == "the date of the visit"
    assert date_name("DBS check date") == "the DBS check date"
    assert date_name("Deadline for action 1") == "the deadline for action 1"
    assert date_name("Date the inspection ended (optional)") == "the date the inspection ended"
    assert date_name("Attended on") == "the date attended"
    assert date_name("The appointed headteacher starts on") == "the date the appointed headteacher starts"
    assert date_name("Improve by") == "the date to improve by"
    assert date_name("To be complied with by") == "the date to be complied with by"
    assert date_name("Contract ends") == "the date the contract ends"
    assert date_name("Formal induction day") == "the formal induction day"
    assert date_name("Due") == "the due date"
    assert date_name("To (optional)") == "the end date"
    assert date_name("Visit") == "the date for ‘Visit’"


def test_the_field_marks_the_part_at_fault_for_the_error_summary():
    field = GovukDateField(label="Date held")
    with pytest.raises(ValidationError, match="The date held must be a real date"):
        field.clean(["40", "2", "2026"])
    assert [f.widget.errors for f in field.fields] == [["The date held must be a real date"], [], []]
    assert field.clean(["3", "2", "2026"]) == date(2026, 2, 3)
    assert [f.widget.errors for f in field.fields] == [[], [], []]
