"""The visit report workflow, as plain Python (DESIGN §6):

draft → submitted → shared with the head → head responds (accurate / not accurate, with
comments) → quality-assured. Only the author edits a draft; after submission a change is a new
version, which starts again as a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SHARED = "shared"
    RESPONDED = "responded"
    QUALITY_ASSURED = "quality_assured"
    SUPERSEDED = "superseded"


class Step(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    SHARE = "share"
    RESPOND = "respond"
    QUALITY_ASSURE = "quality_assure"
    REVISE = "revise"


class Actor(StrEnum):
    AUTHOR = "author"  # the partner or adviser who wrote the report
    OFFICER = "officer"
    HEAD = "head"  # a headteacher of the school visited
    OTHER = "other"


class NotAllowed(Exception):
    """A step the report's state or the person's role does not allow; the message says why."""


@dataclass(frozen=True)
class Rule:
    from_states: frozenset[Status]
    actors: frozenset[Actor]
    to: Status | None
    wrong_state: str
    wrong_actor: str


RULES: dict[Step, Rule] = {
    Step.EDIT: Rule(
        frozenset({Status.DRAFT}),
        frozenset({Actor.AUTHOR}),
        None,
        "This report has been submitted, so it cannot be edited. Start a new version to change it.",
        "Only the report's author can edit a draft.",
    ),
    Step.SUBMIT: Rule(
        frozenset({Status.DRAFT}),
        frozenset({Actor.AUTHOR}),
        Status.SUBMITTED,
        "Only a draft can be submitted.",
        "Only the report's author can submit it.",
    ),
    Step.SHARE: Rule(
        frozenset({Status.SUBMITTED}),
        frozenset({Actor.AUTHOR, Actor.OFFICER}),
        Status.SHARED,
        "Only a submitted report can be shared with the headteacher.",
        "Only the report's author or an LA officer can share it.",
    ),
    Step.RESPOND: Rule(
        frozenset({Status.SHARED}),
        frozenset({Actor.HEAD}),
        Status.RESPONDED,
        "The headteacher can respond only to a report shared with them, once.",
        "Only the school's headteacher can respond to the report.",
    ),
    Step.QUALITY_ASSURE: Rule(
        frozenset({Status.RESPONDED}),
        frozenset({Actor.OFFICER}),
        Status.QUALITY_ASSURED,
        "A report is quality-assured after the headteacher has responded to it.",
        "Only an LA officer can quality-assure a report.",
    ),
    Step.REVISE: Rule(
        frozenset({Status.SUBMITTED, Status.SHARED, Status.RESPONDED}),
        frozenset({Actor.AUTHOR}),
        Status.SUPERSEDED,
        "Only a submitted report can be revised; a draft can be edited, and a quality-assured report is final.",
        "Only the report's author can start a new version.",
    ),
}


FINAL = "This report is final: a quality-assured report, or a version replaced by a later one, cannot change."


def check(step: Step, status: Status | str, actor: Actor) -> Status | None:
    """The state the step leads to, or NotAllowed with the reason."""
    rule = RULES[step]
    if Status(status) not in rule.from_states:
        if step == Step.EDIT and Status(status) in (Status.QUALITY_ASSURED, Status.SUPERSEDED):
            raise NotAllowed(FINAL)
        raise NotAllowed(rule.wrong_state)
    if actor not in rule.actors:
        raise NotAllowed(rule.wrong_actor)
    return rule.to


def allowed(status: Status | str, actor: Actor) -> list[Step]:
    """Every step this person may take on a report in this state (for the page's buttons)."""
    steps = []
    for step in RULES:
        try:
            check(step, status, actor)
        except NotAllowed:
            continue
        steps.append(step)
    return steps
