"""The academic year, as schools count it: from 1 September to 31 August, named by the year it
starts (2026 is 2026/27). The one definition every app uses."""

from datetime import date


def academic_year_of(day: date) -> int:
    """The year an academic year starts: 20 November 2026 is in 2026 (2026/27); 1 March 2027 too."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_label(start_year: int) -> str:
    """2018 → '2018/19'."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def year_span(year: int) -> tuple[date, date]:
    """The first and last days of the academic year starting in ``year``."""
    return date(year, 9, 1), date(year + 1, 8, 31)
