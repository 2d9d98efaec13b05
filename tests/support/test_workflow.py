"""The visit report workflow (support/workflow.py): who may take which step from which state, the
reason given when they may not, and the buttons each person sees."""

from __future__ import annotations

from itertools import product

import pytest

from support import workflow
from support.workflow import RULES, Actor, NotAllowed, Status, Step, allowed, check

AUTHOR, OFFICER, HEAD, OTHER = Actor.AUTHOR, Actor.OFFICER, Actor.HEAD, Actor.OTHER
DRAFT, SUBMITTED, SHARED = Status.DRAFT, Status.SUBMITTED, Status.SHARED
RESPONDED, QUALITY_ASSURED, SUPERSEDED = Status.RESPONDED, Status.QUALITY_ASSURED, Status.SUPERSEDED
EDIT, SUBMIT, SHARE, RESPOND = Step.EDIT, Step.SUBMIT, Step.SHARE, Step.RESPOND
QUALITY_ASSURE, REVISE = Step.QUALITY_ASSURE, Step.REVISE

# Every step anyone may take: (step, from, by whom) -> the state it leads to. Anything else is
# refused.
LEGAL: dict[tuple[Step, Status, Actor], Status | None] = {
    (EDIT, DRAFT, AUTHOR): None,  # editing leaves a draft a draft
    (SUBMIT, DRAFT, AUTHOR): SUBMITTED,
    (SHARE, SUBMITTED, AUTHOR): SHARED,
    (SHARE, SUBMITTED, OFFICER): SHARED,
    (RESPOND, SHARED, HEAD): RESPONDED,
    (QUALITY_ASSURE, RESPONDED, OFFICER): QUALITY_ASSURED,
    (REVISE, SUBMITTED, AUTHOR): SUPERSEDED,
    (REVISE, SHARED, AUTHOR): SUPERSEDED,
    (REVISE, RESPONDED, AUTHOR): SUPERSEDED,
}

# The reason given when the report is in the wrong state for a step.
WRONG_STATE = {
    EDIT: "This report has been submitted, so it cannot be edited. Start a new version to change it.",
    SUBMIT: "Only a draft can be submitted.",
    SHARE: "Only a submitted report can be shared with the headteacher.",
    RESPOND: "The headteacher can respond only to a report shared with them, once.",
    QUALITY_ASSURE: "A report is quality-assured after the headteacher has responded to it.",
    REVISE: "Only a submitted report can be revised; a draft can be edited, and a quality-assured report is final.",
}

# The reason given when the state is right but the person is not.
WRONG_ACTOR = {
    EDIT: "Only the report's author can edit a draft.",
    SUBMIT: "Only the report's author can submit it.",
    SHARE: "Only the report's author or an LA officer can share it.",
    RESPOND: "Only the school's headteacher can respond to the report.",
    QUALITY_ASSURE: "Only an LA officer can quality-assure a report.",
    REVISE: "Only the report's author can start a new version.",
}


def states_for(step: Step) -> set[Status]:
    return {status for (legal_step, status, _) in LEGAL if legal_step == step}


def refusal(step: Step, status: Status | str, actor: Actor) -> str:
    with pytest.raises(NotAllowed) as refused:
        check(step, status, actor)
    return str(refused.value)


def test_the_tables_here_cover_every_step_status_and_actor():
    assert set(RULES) == set(Step) == set(WRONG_STATE) == set(WRONG_ACTOR)
    assert len(Status) == 6
    assert len(Actor) == 4


@pytest.mark.parametrize(
    ("step", "status", "actor"),
    list(product(Step, Status, Actor)),
    ids=str,
)
def test_every_step_from_every_status_by_every_actor_is_taken_or_refused_with_the_reason(step, status, actor):
    if (step, status, actor) in LEGAL:
        assert check(step, status, actor) == LEGAL[step, status, actor]
    elif status not in states_for(step):
        final = step == EDIT and status in (QUALITY_ASSURED, SUPERSEDED)
        assert refusal(step, status, actor) == (workflow.FINAL if final else WRONG_STATE[step])
    else:
        assert refusal(step, status, actor) == WRONG_ACTOR[step]


# The path through ----------------------------------------------------------------------------


@pytest.mark.parametrize("sharer", [AUTHOR, OFFICER])
def test_a_report_goes_from_draft_to_quality_assured(sharer):
    status = DRAFT
    assert check(EDIT, status, AUTHOR) is None
    status = check(SUBMIT, status, AUTHOR)
    assert status == SUBMITTED
    status = check(SHARE, status, sharer)
    assert status == SHARED
    status = check(RESPOND, status, HEAD)
    assert status == RESPONDED
    status = check(QUALITY_ASSURE, status, OFFICER)
    assert status == QUALITY_ASSURED
    assert allowed(status, AUTHOR) == allowed(status, OFFICER) == allowed(status, HEAD) == []


def test_statuses_read_from_the_database_as_text_are_understood():
    assert check(SHARE, "submitted", OFFICER) == SHARED
    assert allowed("draft", AUTHOR) == [EDIT, SUBMIT]
    assert refusal(SUBMIT, "shared", AUTHOR) == "Only a draft can be submitted."


# Refusals users will meet -------------------------------------------------------------------


@pytest.mark.parametrize("status", [DRAFT, SUBMITTED])
def test_a_head_cannot_respond_to_a_report_not_yet_shared_with_them(status):
    assert refusal(RESPOND, status, HEAD) == "The headteacher can respond only to a report shared with them, once."


def test_a_head_cannot_respond_twice():
    assert refusal(RESPOND, RESPONDED, HEAD) == "The headteacher can respond only to a report shared with them, once."


@pytest.mark.parametrize("actor", [AUTHOR, OFFICER, OTHER])
def test_only_the_head_can_respond_to_a_shared_report(actor):
    assert refusal(RESPOND, SHARED, actor) == "Only the school's headteacher can respond to the report."


@pytest.mark.parametrize("status", [SUBMITTED, SHARED, RESPONDED])
def test_the_author_cannot_edit_a_submitted_report_and_is_told_to_start_a_new_version(status):
    assert refusal(EDIT, status, AUTHOR) == (
        "This report has been submitted, so it cannot be edited. Start a new version to change it."
    )
    assert REVISE in allowed(status, AUTHOR)


@pytest.mark.parametrize("actor", [OTHER, OFFICER, HEAD])
def test_nobody_but_the_author_can_edit_or_submit_a_draft(actor):
    assert refusal(EDIT, DRAFT, actor) == "Only the report's author can edit a draft."
    assert refusal(SUBMIT, DRAFT, actor) == "Only the report's author can submit it."


@pytest.mark.parametrize("actor", [HEAD, OTHER])
def test_only_the_author_or_an_officer_can_share_a_report(actor):
    assert refusal(SHARE, SUBMITTED, actor) == "Only the report's author or an LA officer can share it."


def test_a_draft_cannot_be_shared_before_it_is_submitted():
    assert refusal(SHARE, DRAFT, AUTHOR) == "Only a submitted report can be shared with the headteacher."


@pytest.mark.parametrize("status", [DRAFT, SUBMITTED, SHARED, QUALITY_ASSURED])
def test_an_officer_quality_assures_only_after_the_head_has_responded(status):
    assert refusal(QUALITY_ASSURE, status, OFFICER) == (
        "A report is quality-assured after the headteacher has responded to it."
    )


@pytest.mark.parametrize("actor", [AUTHOR, HEAD, OTHER])
def test_only_an_officer_can_quality_assure(actor):
    assert refusal(QUALITY_ASSURE, RESPONDED, actor) == "Only an LA officer can quality-assure a report."


# Revising --------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [SUBMITTED, SHARED, RESPONDED])
def test_the_author_can_revise_a_submitted_shared_or_responded_report_which_is_superseded(status):
    assert check(REVISE, status, AUTHOR) == SUPERSEDED


@pytest.mark.parametrize(("status", "actor"), list(product([SUBMITTED, SHARED, RESPONDED], [OFFICER, HEAD, OTHER])))
def test_nobody_but_the_author_can_revise(status, actor):
    assert refusal(REVISE, status, actor) == "Only the report's author can start a new version."


@pytest.mark.parametrize("status", [DRAFT, QUALITY_ASSURED, SUPERSEDED])
def test_a_draft_a_quality_assured_report_or_an_old_version_cannot_be_revised(status):
    assert refusal(REVISE, status, AUTHOR) == (
        "Only a submitted report can be revised; a draft can be edited, and a quality-assured report is final."
    )


@pytest.mark.parametrize(("step", "actor"), list(product(Step, Actor)), ids=str)
def test_nothing_can_be_done_to_a_superseded_version(step, actor):
    with pytest.raises(NotAllowed):
        check(step, SUPERSEDED, actor)


@pytest.mark.parametrize("status", [QUALITY_ASSURED, SUPERSEDED])
def test_the_author_is_not_told_to_start_a_new_version_of_a_report_that_cannot_be_revised(status):
    assert REVISE not in allowed(status, AUTHOR)
    assert "new version" not in refusal(EDIT, status, AUTHOR)


# Buttons ---------------------------------------------------------------------------------------

BUTTONS = {
    DRAFT: {AUTHOR: [EDIT, SUBMIT], OFFICER: [], HEAD: [], OTHER: []},
    SUBMITTED: {AUTHOR: [SHARE, REVISE], OFFICER: [SHARE], HEAD: [], OTHER: []},
    SHARED: {AUTHOR: [REVISE], OFFICER: [], HEAD: [RESPOND], OTHER: []},
    RESPONDED: {AUTHOR: [REVISE], OFFICER: [QUALITY_ASSURE], HEAD: [], OTHER: []},
    QUALITY_ASSURED: {AUTHOR: [], OFFICER: [], HEAD: [], OTHER: []},
    SUPERSEDED: {AUTHOR: [], OFFICER: [], HEAD: [], OTHER: []},
}


@pytest.mark.parametrize(("status", "actor"), list(product(Status, Actor)), ids=str)
def test_each_person_sees_exactly_the_buttons_for_the_steps_they_may_take(status, actor):
    assert allowed(status, actor) == BUTTONS[status][actor]


def test_someone_unconnected_with_the_report_never_sees_a_button():
    assert all(allowed(status, OTHER) == [] for status in Status)
