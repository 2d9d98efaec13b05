"""Who is a system leader (seed 003), as plain Python.

Seed 003: "System Leaders are practising headteachers in good or outstanding schools who have been
designated as Local or National Leaders of Education (LLEs or NLEs). In addition, System Leaders
may also be Ofsted inspectors or ex-headteachers within two years of having retired who were
previously NLEs, LLEs or an Ofsted inspector."

A school is good or outstanding by its latest full inspection: a graded one judged 1 or 2, or
(September 2024 to November 2025) one whose key judgements are all good or better. A report card
has no overall grade and is never turned into one (DESIGN §6): the officer decides, and the answer
says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schools import ofsted

RETIRED_WITHIN_DAYS = 730  # "within two years of having retired"
GOOD = 2


@dataclass(frozen=True)
class LeaderFacts:
    """What a partner's profile records of their designations and headship."""

    national_leader: bool = False
    local_leader: bool = False
    ofsted_inspector: bool = False
    school_name: str = ""  # the school they are practising headteacher of
    school_inspection: ofsted.InspectionFacts | None = None  # its latest full inspection
    retired_on: date | None = None


@dataclass(frozen=True)
class Verdict:
    """Whether the person is a system leader: True, False, or None where an officer must decide."""

    meets: bool | None
    reason: str


def _school_is_good(inspection: ofsted.InspectionFacts | None) -> bool | None:
    if inspection is None:
        return False
    if inspection.shape == ofsted.Shape.GRADED:
        return inspection.overall_effectiveness is not None and inspection.overall_effectiveness <= GOOD
    if inspection.shape == ofsted.Shape.JUDGEMENTS_ONLY:
        worst = ofsted.worst_key_judgement(inspection)
        return worst is not None and worst <= GOOD
    return None  # a report card: no overall grade


def system_leader(facts: LeaderFacts, on: date) -> Verdict:
    """Whether the person meets seed 003's system leader criteria on ``on``, with the reason."""
    leader = facts.national_leader or facts.local_leader
    title = "NLE" if facts.national_leader else "LLE"
    if leader and facts.school_name:
        good = _school_is_good(facts.school_inspection)
        if good:
            return Verdict(True, f"{title} and headteacher of {facts.school_name}, judged good or outstanding")
        if good is None:
            return Verdict(
                None, f"{title} and headteacher of {facts.school_name}: its report card has no overall grade to read"
            )
    retired = facts.retired_on is not None and facts.retired_on <= on
    if facts.ofsted_inspector and not retired:
        return Verdict(True, "Ofsted inspector")
    if retired and (leader or facts.ofsted_inspector):
        if (on - facts.retired_on).days <= RETIRED_WITHIN_DAYS:
            return Verdict(True, f"Retired headteacher (from {facts.retired_on:%-d %B %Y}), previously {_held(facts)}")
        return Verdict(False, f"Retired as a headteacher more than two years ago ({facts.retired_on:%-d %B %Y})")
    if leader and facts.school_name:
        return Verdict(False, f"{facts.school_name}'s latest inspection is not good or outstanding")
    if leader:
        return Verdict(False, f"{title} but neither a practising headteacher nor retired within two years")
    return Verdict(False, "Not designated an NLE or LLE, and not an Ofsted inspector")


def _held(facts: LeaderFacts) -> str:
    held = [
        name
        for name, has in (
            ("an NLE", facts.national_leader),
            ("an LLE", facts.local_leader),
            ("an Ofsted inspector", facts.ofsted_inspector),
        )
        if has
    ]
    return " and ".join(held)
