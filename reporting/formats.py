"""How the monthly report's figures read, on the page and in the PDF ("1 November 2026", "1,234",
"75.0%") and in the workbook (dates as dates, percentages as numbers with a percentage format).

A report's content is stored as JSON (``reporting.content``): numbers as numbers, a date as its ISO
text ("2026-11-01"), a percentage as its text ("75.0%") and a change as its signed text ("+3"). Those
are the only shapes ``content.build`` writes, so they are read back here by their shape, which works
for every version of a report kept since the first. Identifiers (URNs, LA codes) are numbers that are
never written with separators.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from categorisation.windows import long_date  # 1 November 2026: GOV.UK's style
from core import spreadsheets

# Columns of codes, not quantities: 125001 stays 125001.
IDENTIFIERS = frozenset({"URN", "LAESTAB", "LA code"})
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PERCENTAGE = re.compile(r"-?\d+(\.\d+)?%")
SIGNED_WHOLE = re.compile(r"[+-]\d+")


def _date(text: str) -> date | None:
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def shown(value, header: str = "") -> str:
    """A stored value as the page and the PDF show it."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or header in IDENTIFIERS:
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        return f"{value:,}"
    text = str(value)
    on = _date(text)
    return long_date(on) if on else text


def cell(value, header: str = ""):
    """A stored value as the workbook holds it: a date, a number, a percentage or a signed change as a
    number with its format, anything else as the text it is."""
    if not isinstance(value, str) or header in IDENTIFIERS:
        return value
    if PERCENTAGE.fullmatch(value):
        return spreadsheets.percent(Decimal(value[:-1]))
    if SIGNED_WHOLE.fullmatch(value):
        return spreadsheets.signed(int(value), value)
    return _date(value) or value
