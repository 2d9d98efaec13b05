"""Form fields shared by every part of the portal.

``GovukDateField`` is the GOV.UK date input (day, month, year) with the Design System's error
messages (https://design-system.service.gov.uk/components/date-input/): "Enter the date of the
visit", "The date of the visit must include a month", "The date of the visit must be a real
date", "Year must include 4 numbers", one message at a time and the most useful first. The part at
fault is highlighted and the error summary links to it; the date as a whole when nothing was
entered. crispy-forms-gds's own field says "day is out of range for month" (Python's words)."""

from __future__ import annotations

from datetime import date

from crispy_forms_gds.fields import DateInputField
from django.core.exceptions import ValidationError

PARTS = ("day", "month", "year")
# Labels that already name a date ("Start date", "Deadline for action 1") read well after "the".
_DATE_WORDS = ("date", "deadline")
# Labels too short to say what the date is, named in full.
_NAMED = {
    "due": "the due date",
    "from": "the start date",
    "to": "the end date",
    "first meeting": "the date of the first meeting",
    "last meeting on or before": "the date of the last meeting",
}


def date_name(label: str | None) -> str:
    """What the date is, as the Design System's messages name it ("Enter the date the contract
    ends"): "the date of the visit", "the start date", "the date attended" for "Attended on",
    "the date to improve by" for "Improve by"."""
    base = str(label or "Date").removesuffix(" (optional)").strip()
    lowered = base[:1].lower() + base[1:] if not base[1:2].isupper() else base
    words = lowered.lower()
    if words in _NAMED:
        return _NAMED[words]
    if words.startswith(_DATE_WORDS) or words.endswith((" date", " day")):
        return f"the {lowered}"
    if words.endswith(" on"):
        return f"the date {lowered.removesuffix(' on')}"
    if words.endswith(" by"):
        return f"the date {lowered}" if words.startswith("to ") else f"the date to {lowered}"
    if words.endswith((" starts", " ends")):
        return f"the date the {lowered}"
    return f"the date for ‘{base}’"


def _sentence(name: str) -> str:
    return name[:1].upper() + name[1:]


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


class DateProblem(Exception):
    """Why the parts entered are not a date: the message and the parts at fault (none: the whole)."""

    def __init__(self, message: str, parts: tuple[int, ...] = ()):
        super().__init__(message)
        self.message, self.parts = message, parts


def parse_date(values, *, name: str, required: bool) -> date | None:
    """The date the day, month and year entered make, or ``DateProblem`` with the Design
    System's message: missing parts first, then parts that cannot be right, then a day the month
    does not have. Plain Python, so the rules are tested without a form."""
    parts = [str(v).strip() if v is not None else "" for v in [*(values or []), "", "", ""][:3]]
    if not any(parts):
        if required:
            raise DateProblem(f"Enter {name}")
        return None
    missing = [i for i, part in enumerate(parts) if not part]
    if missing:
        raise DateProblem(f"{_sentence(name)} must include a {_joined([PARTS[i] for i in missing])}", tuple(missing))
    wrong = [i for i, part in enumerate(parts) if not part.isdigit()]
    if wrong:
        raise DateProblem(f"{_sentence(name)} must be a real date", tuple(wrong) if len(wrong) == 1 else ())
    day, month, year = (int(part) for part in parts)
    if len(parts[2]) != 4:
        raise DateProblem("Year must include 4 numbers", (2,))
    if not 1 <= month <= 12:
        raise DateProblem(f"{_sentence(name)} must be a real date", (1,) if 1 <= day <= 31 else ())
    try:
        return date(year, month, day)
    except ValueError:
        raise DateProblem(f"{_sentence(name)} must be a real date", (0,)) from None


class GovukDateField(DateInputField):
    """The GOV.UK date input with the Design System's messages, named from the field's label.

    ``require_all_fields`` is accepted for crispy-forms-gds's signature and ignored: a part left
    out is always named ("must include a month")."""

    def __init__(self, **kwargs):
        kwargs.pop("require_all_fields", None)
        super().__init__(require_all_fields=False, **kwargs)
        for field in self.fields:
            field.required = False

    def clean(self, value):
        for field in self.fields:
            field.widget.errors = []
        if self.disabled and not isinstance(value, list | tuple):
            value = self.widget.decompress(value)
        try:
            out = parse_date(value, name=date_name(self.label), required=self.required)
        except DateProblem as problem:
            # crispy-forms-gds highlights the parts whose widgets hold the message (all of them
            # when none does) and the error summary links to the first part that holds it.
            for index in problem.parts:
                self.fields[index].widget.errors.append(problem.message)
            raise ValidationError(problem.message, code="invalid") from None
        self.run_validators(out)
        return out
