"""Letters from templates with merge fields: ``{school_name}`` and the like, replaced with the
school's and the decision's values. Anything else in braces is refused when a template is saved,
so a typo never reaches a headteacher."""

from __future__ import annotations

import re

FIELDS = {
    "school_name": "The school's name",
    "urn": "The school's URN",
    "headteacher": "The headteacher's name",
    "chair": "The chair of governors' (or the trust board's) name, when recorded",
    "la_name": "The school's local authority",
    "authority": "The authority sending the letter (a council, or a partnership of councils)",
    "academic_year": "The academic year, like 2026/27",
    "date": "The date of the letter",
    "rationale": "The board's rationale",
    "reason": "The reason for priority status",
    "partner": "The school's priority partner",
    "meeting_date": "The date of the board meeting",
    "plan_due": "When the school's action plan is due: its plan's date, or the next deadline the policy gives "
    "from the letter's date (October half-term for a school carried forward from last year)",
}
_FIELD = re.compile(r"\{([^{}]*)\}")
STRAY = "a stray { or }"


def unknown_fields(text: str) -> list[str]:
    """Fields the template uses that do not exist, and any brace left over once the known
    fields are taken out (an unclosed field, or doubled braces)."""
    unknown = {name for name in _FIELD.findall(text) if name not in FIELDS}
    rest = _FIELD.sub(lambda m: "" if m.group(1) in FIELDS else " ", text)
    if "{" in rest or "}" in rest:
        unknown.add(STRAY)
    return sorted(unknown)


def merge(text: str, values: dict[str, str | None]) -> str:
    """Replace each known field; a field without a value becomes an empty string."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in FIELDS:
            return match.group(0)
        found = values.get(name)
        return "" if found is None else str(found)

    return _FIELD.sub(value, text)


# The salutation of the letters as shipped, written before the portal knew the chair's name, in
# English and in Welsh (boards/migrations/0008_welsh_letter_templates.py).
_UNNAMED_CHAIR = re.compile(r"^(Dear .*?)\bthe chair of governors,", re.MULTILINE)
_UNNAMED_CHAIR_CY = re.compile(r"^(Annwyl .*?)\ba chadeirydd y llywodraethwyr,", re.MULTILINE)
_VOWELS = "aeiouâêîôû"


def name_the_chair(text: str, chair: str, *, welsh: bool = False) -> str:
    """Address a template's salutation ("Dear {headteacher} and the chair of governors,"; in Welsh
    "Annwyl {headteacher} a chadeirydd y llywodraethwyr,") to the chair by name when it is known
    ("Annwyl {headteacher} a {chair}, cadeirydd y llywodraethwyr,", with "ac" before a vowel, as
    Welsh writes it); a template that uses ``{chair}`` itself is left as written."""
    if not chair:
        return text
    if welsh:
        conjunction = "ac" if chair[:1].lower() in _VOWELS else "a"
        return _UNNAMED_CHAIR_CY.sub(
            lambda m: f"{m.group(1)}{conjunction} {{chair}}, cadeirydd y llywodraethwyr,", text, count=1
        )
    return _UNNAMED_CHAIR.sub(lambda m: f"{m.group(1)}{{chair}}, chair of governors,", text, count=1)
