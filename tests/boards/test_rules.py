"""The board's plain-Python rules: the removal criterion for the priority list (boards/removal.py),
the life of a warning notice (boards/notices.py), letter merge fields (boards/merge.py) and why a
school is on a meeting's agenda (boards/agenda.py). No database."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta
from itertools import product

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from boards import agenda, merge, notices, removal
from boards.agenda import Dated, News, Reason, SchoolNews, fortnightly, reasons
from boards.merge import FIELDS, unknown_fields
from boards.notices import (
    DeadlineState,
    NotAllowed,
    Status,
    Step,
    allowed,
    check,
    compliance_deadline,
    deadline_state,
    default_recipients,
)
from boards.removal import RemovalFacts, Verdict, removal_criterion
from tests.examples import examples

PROPERTY = settings(max_examples=examples(80, 300), deadline=None)

# The removal criterion ==========================================================================

INSPECTED = date(2025, 3, 5)
NOT_GOOD_OUTCOMES = ["requires_improvement", "inadequate", "rc_needs_attention", "rc_urgent_improvement"]


def judged(*key_judgements: int | None, further_support: bool | None = None) -> RemovalFacts:
    return RemovalFacts(removal.JUDGEMENTS_ONLY, INSPECTED, tuple(key_judgements), further_support)


def test_the_outcomes_named_here_are_the_ones_the_schools_app_records():
    from schools.ofsted import Outcome

    assert {removal.OUTSTANDING, removal.GOOD, removal.JUDGEMENTS_ONLY, removal.RC_EXPECTED_OR_ABOVE} <= set(
        Outcome.values
    )
    assert set(NOT_GOOD_OUTCOMES) <= set(Outcome.values)


@pytest.mark.parametrize("outcome", [removal.OUTSTANDING, removal.GOOD])
def test_a_school_judged_good_or_outstanding_meets_the_criterion(outcome):
    verdict = removal_criterion(RemovalFacts(outcome, INSPECTED))
    assert verdict == Verdict(
        True,
        f"Judged {outcome} at the latest inspection (5 March 2025), "
        "and the feedback does not indicate a need for further support.",
    )


@pytest.mark.parametrize("outcome", NOT_GOOD_OUTCOMES)
def test_a_school_requiring_improvement_inadequate_or_needing_attention_does_not_meet_the_criterion(outcome):
    verdict = removal_criterion(RemovalFacts(outcome, INSPECTED))
    assert verdict == Verdict(False, "The latest inspection (5 March 2025) is not good or better.")


@pytest.mark.parametrize("outcome", NOT_GOOD_OUTCOMES)
def test_a_school_not_good_or_better_is_not_met_even_when_no_further_support_is_indicated(outcome):
    assert not removal_criterion(RemovalFacts(outcome, INSPECTED, further_support_indicated=False)).met


@pytest.mark.parametrize(
    "key_judgements",
    [
        (1, 1, 1, 1),
        (2, 2, 2, 2),
        (1, 2, 2, 1, 2, 1),
        (2, None, 2, None),  # judgements not made (no early years or sixth form) are not held against it
    ],
)
def test_an_inspection_with_no_overall_grade_meets_the_criterion_when_every_key_judgement_is_good_or_better(
    key_judgements,
):
    verdict = removal_criterion(judged(*key_judgements))
    assert verdict == Verdict(
        True,
        "Every key judgement good or better at the latest inspection (5 March 2025) (no overall grade), "
        "and the feedback does not indicate a need for further support.",
    )


@pytest.mark.parametrize(
    "key_judgements",
    [
        (3, 2, 2, 2),
        (1, 1, 1, 3),
        (2, 2, 4, 2),
        (1, None, 3),
        (4, 4, 4, 4),
    ],
)
def test_an_inspection_with_no_overall_grade_and_any_judgement_below_good_does_not_meet_the_criterion(
    key_judgements,
):
    verdict = removal_criterion(judged(*key_judgements))
    assert verdict == Verdict(
        False,
        "The latest inspection (5 March 2025) has no overall grade and not every key judgement is good or better.",
    )


@pytest.mark.parametrize("key_judgements", [(), (None,), (None, None, None, None)])
def test_an_inspection_with_no_overall_grade_and_no_key_judgements_recorded_does_not_meet_the_criterion(
    key_judgements,
):
    verdict = removal_criterion(judged(*key_judgements))
    assert not verdict.met
    assert "not every key judgement is good or better" in verdict.why


def test_a_report_card_at_the_expected_standard_or_above_meets_the_criterion_and_says_there_is_no_overall_grade():
    verdict = removal_criterion(RemovalFacts(removal.RC_EXPECTED_OR_ABOVE, date(2025, 11, 20)))
    assert verdict == Verdict(
        True,
        "Report card (20 November 2025): every area at the expected standard or above and safeguarding met "
        "(report cards have no overall grade), and the feedback does not indicate a need for further support.",
    )
    assert "report cards have no overall grade" in verdict.why


@pytest.mark.parametrize(
    "facts",
    [
        RemovalFacts(removal.OUTSTANDING, INSPECTED, further_support_indicated=True),
        RemovalFacts(removal.GOOD, INSPECTED, further_support_indicated=True),
        judged(1, 2, 2, 1, further_support=True),
        RemovalFacts(removal.RC_EXPECTED_OR_ABOVE, INSPECTED, further_support_indicated=True),
    ],
    ids=["outstanding", "good", "judgements-only", "report-card"],
)
def test_a_good_school_whose_feedback_indicates_further_support_does_not_meet_the_criterion(facts):
    verdict = removal_criterion(facts)
    assert not verdict.met
    assert verdict.why.endswith(", but the inspection feedback indicates further support is needed.")


def test_the_reason_a_good_school_with_further_support_fails_names_its_grade_and_the_feedback():
    verdict = removal_criterion(RemovalFacts(removal.GOOD, INSPECTED, further_support_indicated=True))
    assert verdict.why == (
        "Judged good at the latest inspection (5 March 2025), but the inspection feedback indicates further "
        "support is needed."
    )


@pytest.mark.parametrize("further_support", [False, None])
def test_feedback_not_recorded_or_not_indicating_support_does_not_stop_a_good_school_meeting_it(further_support):
    assert removal_criterion(RemovalFacts(removal.GOOD, INSPECTED, further_support_indicated=further_support)).met


@pytest.mark.parametrize("further_support", [None, False, True])
def test_a_school_with_no_full_inspection_does_not_meet_the_criterion(further_support):
    verdict = removal_criterion(RemovalFacts("", further_support_indicated=further_support))
    assert verdict == Verdict(
        False, "No full inspection is recorded, so the school cannot be shown to be good or better."
    )


def test_seed_004_removal_needs_a_judgement_received_since_the_school_joined_the_list():
    old_good = RemovalFacts(removal.GOOD, date(2014, 6, 4), listed_since=date(2025, 10, 10))
    assert removal_criterion(old_good) == Verdict(
        False,
        "Judged good at the latest inspection (4 June 2014), but that was before the school joined the list on "
        "10 October 2025: no judgement of good or better has been received since.",
    )
    assert removal_criterion(dataclasses.replace(old_good, inspected_on=date(2025, 10, 10))).met


def test_seed_004_an_ungraded_inspection_confirming_the_grade_since_joining_is_the_judgement_received():
    confirmed = RemovalFacts(
        removal.GOOD,
        date(2014, 6, 4),
        listed_since=date(2025, 10, 10),
        ungraded_on=date(2026, 2, 3),
        ungraded_outcome="Standards maintained",
        ungraded_signal="maintained",
    )
    assert removal_criterion(confirmed).met


def test_seed_004_an_ungraded_outcome_saying_standards_may_not_be_maintained_indicates_further_support():
    at_risk = RemovalFacts(
        removal.GOOD,
        INSPECTED,
        ungraded_on=date(2025, 11, 5),
        ungraded_outcome="School remains Good (Concerns) - S5 Next",
        ungraded_signal=removal.AT_RISK,
    )
    assert removal_criterion(at_risk) == Verdict(
        False,
        "Judged good at the latest inspection (5 March 2025), but the ungraded inspection of 5 November 2025 "
        "(‘School remains Good (Concerns) - S5 Next’) indicates standards may not be maintained and a graded "
        "inspection will follow: further support is indicated.",
    )


def test_the_ungraded_signals_named_here_are_the_ones_the_schools_app_gives():
    from schools.ofsted import UngradedSignal

    assert {removal.AT_RISK, *removal.CONFIRMED} == set(UngradedSignal.values)


@pytest.mark.parametrize(
    ("inspected_on", "shown"),
    [(date(2024, 7, 1), "(1 July 2024)"), (date(2023, 12, 25), "(25 December 2023)")],
)
@pytest.mark.parametrize(
    "facts",
    [
        RemovalFacts(removal.GOOD),
        RemovalFacts("inadequate"),
        RemovalFacts(removal.JUDGEMENTS_ONLY, key_judgements=(2, 2)),
        RemovalFacts(removal.JUDGEMENTS_ONLY, key_judgements=(3, 2)),
        RemovalFacts(removal.RC_EXPECTED_OR_ABOVE),
        RemovalFacts(removal.GOOD, further_support_indicated=True),
    ],
    ids=["good", "inadequate", "judgements-met", "judgements-not-met", "report-card", "further-support"],
)
def test_the_inspection_date_appears_in_the_reason_when_it_is_known(facts, inspected_on, shown):
    dated = removal_criterion(dataclasses.replace(facts, inspected_on=inspected_on))
    undated = removal_criterion(facts)
    assert shown in dated.why
    assert not re.search(r"\(\d{1,2} [A-Z][a-z]+ \d{4}\)", undated.why)
    assert dated.met == undated.met


JUDGEMENTS = st.lists(st.none() | st.integers(1, 4), max_size=6).map(tuple)


@PROPERTY
@given(key_judgements=JUDGEMENTS, further_support=st.sampled_from([None, False, True]))
def test_an_inspection_with_no_overall_grade_is_met_exactly_when_some_judgement_exists_and_none_is_below_good(
    key_judgements, further_support
):
    verdict = removal_criterion(judged(*key_judgements, further_support=further_support))
    made = [j for j in key_judgements if j is not None]
    assert verdict.met == (bool(made) and max(made) <= 2 and not further_support)
    assert "no overall grade" in verdict.why


@PROPERTY
@given(
    outcome=st.sampled_from(["", removal.OUTSTANDING, removal.GOOD, removal.RC_EXPECTED_OR_ABOVE, *NOT_GOOD_OUTCOMES]),
    inspected_on=st.none() | st.dates(min_value=date(2005, 1, 1), max_value=date(2027, 12, 31)),
    key_judgements=JUDGEMENTS,
)
def test_feedback_indicating_further_support_never_leaves_the_criterion_met(outcome, inspected_on, key_judgements):
    facts = RemovalFacts(outcome, inspected_on, key_judgements, further_support_indicated=True)
    assert not removal_criterion(facts).met
    # ...and every verdict is a sentence, whichever way it goes.
    assert removal_criterion(dataclasses.replace(facts, further_support_indicated=False)).why.endswith(".")


# Warning notices ================================================================================

RECOMMENDED, DECLINED, ACCEPTED, ISSUED = Status.RECOMMENDED, Status.DECLINED, Status.ACCEPTED, Status.ISSUED
COMPLIED, LIFTED, ESCALATED, REFERRED = Status.COMPLIED, Status.LIFTED, Status.ESCALATED, Status.REFERRED
ACCEPT, DECLINE, REFER, ISSUE = Step.ACCEPT, Step.DECLINE, Step.REFER, Step.ISSUE
COMPLY, LIFT, ESCALATE = Step.COMPLY, Step.LIFT, Step.ESCALATE
RD_NOTICE, RD_NO_NOTICE, RD_CLOSED = Status.RD_NOTICE, Status.RD_NO_NOTICE, Status.RD_CLOSED
RD_ISSUE, RD_NONE, RD_CLOSE = Step.RD_ISSUE, Step.RD_NO_NOTICE, Step.RD_CLOSE
ACADEMY_STATUSES = {REFERRED, RD_NOTICE, RD_NO_NOTICE, RD_CLOSED}

# Every move for a maintained school: (step, from) -> the status it leads to. Anything else is refused.
MAINTAINED: dict[tuple[Step, Status], Status] = {
    (ACCEPT, RECOMMENDED): ACCEPTED,
    (DECLINE, RECOMMENDED): DECLINED,
    (ISSUE, ACCEPTED): ISSUED,
    (COMPLY, ISSUED): COMPLIED,
    (ESCALATE, ISSUED): ESCALATED,
    (LIFT, COMPLIED): LIFTED,
}

# For an academy the LA neither responds nor issues: the recommendation is referred to the DfE
# regional director instead, who may give a termination warning notice under the funding agreement.
ACADEMY: dict[tuple[Step, Status], Status] = {
    (REFER, RECOMMENDED): REFERRED,
    (RD_ISSUE, REFERRED): RD_NOTICE,
    (RD_NONE, REFERRED): RD_NO_NOTICE,
    (RD_CLOSE, RD_NOTICE): RD_CLOSED,
}

# The reason given when the notice is in the wrong status for a step.
WRONG_STATUS = {
    ACCEPT: "The DCS responds only to a recommendation that is still awaiting a response.",
    DECLINE: "The DCS responds only to a recommendation that is still awaiting a response.",
    REFER: "Only a recommendation still awaiting action can be referred to the regional director.",
    ISSUE: "A notice is issued only after the DCS has accepted the recommendation.",
    COMPLY: "A school can comply only with a notice that has been issued.",
    LIFT: "A notice can be lifted only after the school has complied with it.",
    ESCALATE: "Only an issued notice that has not been complied with can be escalated.",
    RD_ISSUE: "The regional director's notice follows the LA's referral.",
    RD_NONE: "The regional director's decision follows the LA's referral.",
    RD_CLOSE: "An outcome is recorded only for a termination warning notice the regional director gave.",
}
NOT_FOR_ACADEMIES = (
    "The LA does not issue warning notices to academies: record the referral to the DfE regional director."
)
ONLY_FOR_ACADEMIES = "Referral to the regional director is for academies; the DCS responds for this school."


def refusal(step: Step | str, status: Status | str, *, academy: bool) -> str:
    with pytest.raises(NotAllowed) as refused:
        check(step, status, academy=academy)
    return str(refused.value)


def reachable(*, academy: bool) -> set[Status]:
    seen, todo = {RECOMMENDED}, [RECOMMENDED]
    while todo:
        status = todo.pop()
        for step in allowed(status, academy=academy):
            after = check(step, status, academy=academy)
            if after not in seen:
                seen.add(after)
                todo.append(after)
    return seen


def test_the_tables_here_cover_every_step_and_status():
    assert set(WRONG_STATUS) == set(Step) == set(notices.STEP_LABELS)
    assert len(Status) == 11


@pytest.mark.parametrize(("step", "status"), list(product(Step, Status)), ids=str)
def test_every_step_from_every_status_for_a_maintained_school_is_taken_or_refused_with_the_reason(step, status):
    if (step, status) in MAINTAINED:
        assert check(step, status, academy=False) == MAINTAINED[step, status]
    elif step in notices.ACADEMY_STEPS:
        assert refusal(step, status, academy=False) == ONLY_FOR_ACADEMIES
    else:
        assert refusal(step, status, academy=False) == f"{WRONG_STATUS[step]} This notice is {status.value}."


@pytest.mark.parametrize(("step", "status"), list(product(Step, Status)), ids=str)
def test_every_step_from_every_status_for_an_academy_is_taken_or_refused_with_the_reason(step, status):
    if (step, status) in ACADEMY:
        assert check(step, status, academy=True) == ACADEMY[step, status]
    elif step not in notices.ACADEMY_STEPS:
        assert refusal(step, status, academy=True) == NOT_FOR_ACADEMIES
    else:
        assert refusal(step, status, academy=True) == f"{WRONG_STATUS[step]} This notice is {status.value}."


def test_a_maintained_school_notice_goes_from_recommendation_to_lifted():
    status = RECOMMENDED
    for step, expected in [(ACCEPT, ACCEPTED), (ISSUE, ISSUED), (COMPLY, COMPLIED), (LIFT, LIFTED)]:
        status = check(step, status, academy=False)
        assert status == expected
    assert allowed(status, academy=False) == []


def test_a_maintained_school_notice_can_be_escalated_once_issued_and_then_nothing_more():
    status = check(ISSUE, check(ACCEPT, RECOMMENDED, academy=False), academy=False)
    assert check(ESCALATE, status, academy=False) == ESCALATED
    assert allowed(ESCALATED, academy=False) == []


def test_a_maintained_school_notice_can_reach_every_status_but_the_academy_ones():
    assert reachable(academy=False) == set(Status) - ACADEMY_STATUSES


def test_an_academy_notice_is_referred_and_then_follows_the_regional_directors_notice():
    assert allowed(RECOMMENDED, academy=True) == [REFER]
    assert check(REFER, RECOMMENDED, academy=True) == REFERRED
    assert allowed(REFERRED, academy=True) == [RD_ISSUE, RD_NONE]
    assert allowed(RD_NOTICE, academy=True) == [RD_CLOSE]
    assert reachable(academy=True) == {RECOMMENDED} | ACADEMY_STATUSES


@pytest.mark.parametrize("step", [ACCEPT, DECLINE, ISSUE])
def test_the_la_is_told_it_does_not_respond_to_or_issue_notices_for_an_academy(step):
    assert refusal(step, RECOMMENDED, academy=True) == NOT_FOR_ACADEMIES
    assert refusal(step, ACCEPTED, academy=True) == NOT_FOR_ACADEMIES


def test_a_maintained_school_recommendation_is_not_referred_and_the_dcs_is_said_to_respond():
    assert refusal(REFER, RECOMMENDED, academy=False) == ONLY_FOR_ACADEMIES


@pytest.mark.parametrize("status", [RECOMMENDED, ACCEPTED, ISSUED, LIFTED, ESCALATED, DECLINED])
def test_a_notice_can_be_lifted_only_after_the_school_has_complied(status):
    assert refusal(LIFT, status, academy=False) == (
        f"A notice can be lifted only after the school has complied with it. This notice is {status.value}."
    )


def test_a_notice_cannot_be_issued_before_the_dcs_has_accepted_it():
    assert refusal(ISSUE, RECOMMENDED, academy=False) == (
        "A notice is issued only after the DCS has accepted the recommendation. This notice is recommended."
    )


def test_a_complied_notice_cannot_be_escalated():
    assert refusal(ESCALATE, COMPLIED, academy=False) == (
        "Only an issued notice that has not been complied with can be escalated. This notice is complied."
    )


@pytest.mark.parametrize("step", [ACCEPT, DECLINE])
@pytest.mark.parametrize("status", [ACCEPTED, DECLINED])
def test_the_dcs_cannot_respond_twice(step, status):
    assert refusal(step, status, academy=False).startswith("The DCS responds only to a recommendation")


@pytest.mark.parametrize("academy", [False, True])
@pytest.mark.parametrize("status", [DECLINED, LIFTED, ESCALATED, RD_NO_NOTICE, RD_CLOSED])
def test_nothing_can_be_done_to_a_finished_notice(status, academy):
    assert allowed(status, academy=academy) == []
    for step in Step:
        with pytest.raises(NotAllowed):
            check(step, status, academy=academy)


@pytest.mark.parametrize(("status", "academy"), list(product(Status, [False, True])), ids=str)
def test_the_steps_offered_are_exactly_those_check_allows(status, academy):
    offered = allowed(status, academy=academy)
    for step in Step:
        try:
            check(step, status, academy=academy)
        except NotAllowed:
            assert step not in offered
        else:
            assert step in offered


@pytest.mark.parametrize(
    ("status", "maintained", "academy"),
    [
        (RECOMMENDED, [ACCEPT, DECLINE], [REFER]),
        (ACCEPTED, [ISSUE], []),
        (ISSUED, [COMPLY, ESCALATE], []),
        (COMPLIED, [LIFT], []),
        (DECLINED, [], []),
        (LIFTED, [], []),
        (ESCALATED, [], []),
        (REFERRED, [], [RD_ISSUE, RD_NONE]),
        (RD_NOTICE, [], [RD_CLOSE]),
    ],
)
def test_the_steps_offered_from_each_status_in_order(status, maintained, academy):
    assert allowed(status, academy=False) == maintained
    assert allowed(status, academy=True) == academy


def test_steps_and_statuses_read_from_the_database_as_text_are_understood():
    assert check("accept", "recommended", academy=False) == ACCEPTED
    assert check("refer", "recommended", academy=True) == REFERRED
    assert allowed("issued", academy=False) == [COMPLY, ESCALATE]
    assert refusal("lift", "issued", academy=False).endswith("This notice is issued.")


def test_the_statuses_match_the_warning_notice_model():
    from boards.models import WarningNotice

    assert {s.value for s in Status} == set(WarningNotice.Status.values)


@pytest.mark.parametrize(("step", "status"), [("fly", "recommended"), ("accept", "pending")])
def test_an_unknown_step_or_status_is_an_error_not_a_refusal(step, status):
    with pytest.raises(ValueError, match="is not a valid"):
        check(step, status, academy=False)


# The compliance deadline ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued_on", "period", "deadline"),
    [
        (date(2026, 1, 15), 1, date(2026, 1, 16)),
        (date(2026, 1, 15), 14, date(2026, 1, 29)),
        (date(2026, 1, 20), 15, date(2026, 2, 4)),  # across a month end
        (date(2025, 12, 20), 28, date(2026, 1, 17)),  # across a year end
        (date(2028, 2, 20), 10, date(2028, 3, 1)),  # 29 February in a leap year
        (date(2027, 2, 20), 10, date(2027, 3, 2)),
    ],
)
def test_the_compliance_deadline_is_the_issue_date_plus_the_period_in_calendar_days(issued_on, period, deadline):
    assert compliance_deadline(issued_on, period) == deadline


@pytest.mark.parametrize("period", [0, -1, -14])
def test_a_compliance_period_of_less_than_a_day_is_refused(period):
    with pytest.raises(ValueError, match="The compliance period is at least one day"):
        compliance_deadline(date(2026, 1, 15), period)


@PROPERTY
@given(
    issued_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    period=st.integers(1, 365),
)
def test_the_deadline_is_always_exactly_the_period_after_issue(issued_on, period):
    deadline = compliance_deadline(issued_on, period)
    assert (deadline - issued_on).days == period
    assert deadline_state(deadline, issued_on) == DeadlineState("near" if period <= 14 else "", period)


# Past, near or neither --------------------------------------------------------------------------

DEADLINE = date(2026, 3, 20)


@pytest.mark.parametrize(
    ("days_left", "warn_days", "label"),
    [
        (-30, 14, "past"),
        (-1, 14, "past"),  # the day after the deadline
        (-1, 0, "past"),
        (0, 14, "near"),  # the deadline is today
        (0, 0, "near"),
        (1, 14, "near"),
        (1, 1, "near"),
        (1, 0, ""),
        (14, 14, "near"),
        (15, 14, ""),
        (7, 7, "near"),
        (8, 7, ""),
    ],
)
def test_a_deadline_is_past_from_the_day_after_near_from_warn_days_ahead_to_the_day_itself(days_left, warn_days, label):
    today = DEADLINE - timedelta(days=days_left)
    assert deadline_state(DEADLINE, today, warn_days=warn_days) == DeadlineState(label, days_left)


@pytest.mark.parametrize("warn_days", [14, 7, 1, 0, 30])
def test_a_deadline_is_near_exactly_warn_days_ahead_and_not_a_day_earlier(warn_days):
    at = DEADLINE - timedelta(days=warn_days)
    before = at - timedelta(days=1)
    assert deadline_state(DEADLINE, at, warn_days=warn_days) == DeadlineState("near", warn_days)
    assert deadline_state(DEADLINE, before, warn_days=warn_days) == DeadlineState("", warn_days + 1)


def test_the_default_warning_is_two_weeks():
    assert deadline_state(DEADLINE, DEADLINE - timedelta(days=14)) == DeadlineState("near", 14)
    assert deadline_state(DEADLINE, DEADLINE - timedelta(days=15)) == DeadlineState("", 15)


@pytest.mark.parametrize("today", [date(2026, 1, 1), DEADLINE])
def test_a_notice_with_no_deadline_is_neither_past_nor_near(today):
    assert deadline_state(None, today) == DeadlineState("", 0)


@PROPERTY
@given(
    deadline=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    offset=st.integers(-400, 400),
    warn_days=st.integers(0, 60),
)
def test_a_deadline_is_always_exactly_one_of_past_near_or_neither(deadline, offset, warn_days):
    state = deadline_state(deadline, deadline - timedelta(days=offset), warn_days=warn_days)
    assert state.days == offset
    assert state.label == ("past" if offset < 0 else "near" if offset <= warn_days else "")


# Recipients -------------------------------------------------------------------------------------


def test_a_community_school_notice_goes_to_the_governing_body_and_the_headteacher():
    assert default_recipients(
        school_name="Ashfield Primary School", head="Hannah Hughes", church_school=False, diocese="Oxford"
    ) == ["The governing body of Ashfield Primary School", "Hannah Hughes, headteacher"]


def test_a_church_school_notice_also_goes_to_its_diocese():
    assert default_recipients(
        school_name="St Mary's CE Primary School", head="Hannah Hughes", church_school=True, diocese="Oxford"
    ) == ["The governing body of St Mary's CE Primary School", "Hannah Hughes, headteacher", "The diocese of Oxford"]


def test_a_church_school_with_no_diocese_recorded_still_lists_the_diocese():
    recipients = default_recipients(school_name="St Mary's", head="Hannah Hughes", church_school=True, diocese="")
    assert recipients[-1] == "The diocese"
    assert len(recipients) == 3


def test_a_school_with_no_headteacher_named_still_sends_to_the_headteacher():
    recipients = default_recipients(school_name="Ashfield", head="", church_school=False, diocese="")
    assert recipients[0] == "The governing body of Ashfield"
    assert recipients[1].startswith("The headteacher")
    assert len(recipients) == 2


@PROPERTY
@given(church_school=st.booleans(), diocese=st.sampled_from(["", "Oxford", "Liverpool"]))
def test_the_diocese_is_a_recipient_exactly_for_church_schools(church_school, diocese):
    recipients = default_recipients(school_name="A School", head="A Head", church_school=church_school, diocese=diocese)
    assert any(r.startswith("The diocese") for r in recipients) == church_school
    assert recipients[:2] == ["The governing body of A School", "A Head, headteacher"]


# Letter merge fields ============================================================================

VALUES = {
    "school_name": "Ashfield Primary School",
    "urn": "100001",
    "headteacher": "Hannah Hughes",
    "la_name": "Northshire",
    "authority": "Northshire and Southshire Partnership",
    "academic_year": "2026/27",
    "date": "10 March 2026",
    "rationale": "Outcomes have fallen for three years.",
    "reason": "Inadequate at the latest inspection",
    "partner": "Alice Adams",
    "meeting_date": "3 March 2026",
    "plan_due": "12 February 2027",
    "chair": "Mrs J Smith",
}


def test_every_field_has_a_description_and_the_values_here_cover_them():
    assert set(VALUES) == set(FIELDS)
    assert all(FIELDS.values())


def test_known_fields_are_replaced_with_their_values():
    text = "Dear {headteacher},\n\nAt its meeting on {meeting_date}, the board discussed {school_name} (URN {urn})."
    assert merge.merge(text, VALUES) == (
        "Dear Hannah Hughes,\n\nAt its meeting on 3 March 2026, the board discussed Ashfield Primary School "
        "(URN 100001)."
    )


def test_a_field_used_twice_is_replaced_both_times():
    assert (
        merge.merge("{school_name} and {school_name}", VALUES) == "Ashfield Primary School and Ashfield Primary School"
    )


def test_every_known_field_is_replaced():
    text = " ".join(f"{{{name}}}" for name in FIELDS)
    assert merge.merge(text, VALUES) == " ".join(VALUES[name] for name in FIELDS)


def test_a_known_field_without_a_value_becomes_empty():
    assert merge.merge("Partner: {partner}.", {}) == "Partner: ."
    assert merge.merge("Partner: {partner}.", {"partner": ""}) == "Partner: ."


def test_a_known_field_given_none_becomes_empty_rather_than_the_word_none():
    assert merge.merge("Partner: {partner}.", {"partner": None}) == "Partner: ."


def test_unknown_fields_are_left_as_they_are():
    text = "Dear {headteacher}, {shcool_name} {School_Name} { school_name }"
    assert merge.merge(text, VALUES) == "Dear Hannah Hughes, {shcool_name} {School_Name} { school_name }"


def test_values_for_unknown_fields_are_not_used():
    assert merge.merge("{governor}", {"governor": "Gus"}) == "{governor}"


def test_a_value_containing_braces_is_written_as_it_is_and_not_merged_again():
    assert merge.merge("{rationale}", {"rationale": "See {school_name}", "school_name": "X"}) == "See {school_name}"


@pytest.mark.parametrize("text", ["", "Dear headteacher,\n\nNo fields here.", "Ünïcode – and “quotes”"])
def test_text_with_no_braces_is_unchanged_and_has_no_unknown_fields(text):
    assert merge.merge(text, VALUES) == text
    assert unknown_fields(text) == []


def test_a_template_with_only_known_fields_has_no_unknown_fields():
    assert unknown_fields("Dear {headteacher}, {school_name} {school_name} {urn}") == []


def test_unknown_fields_are_listed_sorted_and_once_each():
    text = "{shcool_name} {headteacher} {governor} {shcool_name} {Urn} {governor}"
    assert unknown_fields(text) == ["Urn", "governor", "shcool_name"]


def test_field_names_are_case_and_space_sensitive():
    assert unknown_fields("{School_Name} { urn }") == [" urn ", "School_Name"]


def test_empty_braces_are_not_accepted_as_a_field():
    assert unknown_fields("Dear {},") != []
    assert merge.merge("Dear {},", VALUES) == "Dear {},"


@pytest.mark.parametrize(
    "text",
    ["Dear {headteacher,", "Dear headteacher},", "Dear {{headteacher}},", "{{urn}school_name}"],
    ids=["unclosed", "unopened", "doubled", "nested"],
)
def test_a_template_with_a_stray_brace_is_refused(text):
    assert unknown_fields(text) != []


# Templates made of text without braces, known fields and unknown (brace-free) names; values without
# braces, so that anything in braces in a letter can only have come from the template.
PLAIN = st.text(st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)), max_size=12)
KNOWN = st.sampled_from(sorted(FIELDS))
UNKNOWN = PLAIN.filter(lambda name: name not in FIELDS)
PIECES = st.lists(
    st.one_of(
        PLAIN.map(lambda t: ("text", t)),
        KNOWN.map(lambda n: ("known", n)),
        UNKNOWN.map(lambda n: ("unknown", n)),
    ),
    max_size=12,
)
SOME_VALUES = st.dictionaries(KNOWN, PLAIN)


@PROPERTY
@given(pieces=PIECES, values=SOME_VALUES)
@example(pieces=[("known", "urn"), ("known", "urn")], values={})
@example(pieces=[("unknown", ""), ("known", "date"), ("text", "x")], values={"date": ""})
def test_merge_never_leaves_a_known_field_in_braces(pieces, values):
    text = "".join(piece if kind == "text" else f"{{{piece}}}" for kind, piece in pieces)
    expected = "".join(
        piece if kind == "text" else values.get(piece, "") if kind == "known" else f"{{{piece}}}"
        for kind, piece in pieces
    )
    merged = merge.merge(text, values)
    assert merged == expected
    assert not any(f"{{{name}}}" in merged for name in FIELDS)
    assert unknown_fields(text) == sorted({piece for kind, piece in pieces if kind == "unknown"})
    assert unknown_fields(merged) == unknown_fields(text)


# The agenda =====================================================================================

MEETING = date(2026, 3, 10)
REVIEWED = date(2026, 2, 10)  # four weeks before the meeting
BEFORE = date(2026, 1, 20)
SINCE = date(2026, 2, 24)


def kinds(found: list[Reason]) -> list[News]:
    return [reason.kind for reason in found]


def test_a_school_with_a_new_inspection_since_its_last_review_is_on_the_agenda():
    news = SchoolNews(1, last_reviewed=REVIEWED, on_list=True, inspections=[Dated(SINCE, "Requires improvement")])
    assert reasons(news, MEETING) == [Reason(News.INSPECTION, "New inspection, 24 February 2026: Requires improvement")]


@pytest.mark.parametrize("on_list", [True, False])
def test_a_school_with_nothing_new_and_reviewed_recently_is_not_on_the_agenda(on_list):
    assert reasons(SchoolNews(1, last_reviewed=REVIEWED, on_list=on_list), MEETING) == []


def test_an_inspection_from_before_the_last_review_does_not_count_as_new():
    news = SchoolNews(
        1,
        last_reviewed=REVIEWED,
        on_list=True,
        inspections=[Dated(BEFORE, "Good")],
        category_changes=[Dated(BEFORE, "Amber to red")],
        proposal_waiting=Dated(BEFORE, "Red"),
        data=[Dated(BEFORE, "KS2 2025")],
        self_referrals=[Dated(BEFORE, "Headteacher asked for help")],
        escalations=[Dated(BEFORE, "Governors not engaging")],
    )
    assert reasons(news, MEETING) == []


def test_only_the_items_since_the_last_review_are_listed():
    news = SchoolNews(
        1, last_reviewed=REVIEWED, inspections=[Dated(BEFORE, "Good"), Dated(SINCE, "Inadequate")], on_list=True
    )
    assert reasons(news, MEETING) == [Reason(News.INSPECTION, "New inspection, 24 February 2026: Inadequate")]


def test_every_inspection_counts_as_new_for_a_school_never_reviewed():
    news = SchoolNews(1, inspections=[Dated(date(2019, 5, 1), "Good"), Dated(SINCE, "Inadequate")])
    assert kinds(reasons(news, MEETING)) == [News.INSPECTION, News.INSPECTION]


def test_a_self_referral_since_the_last_review_puts_a_school_on_the_agenda():
    news = SchoolNews(1, last_reviewed=REVIEWED, self_referrals=[Dated(SINCE, "New headteacher wants support")])
    assert reasons(news, MEETING) == [
        Reason(News.SELF_REFERRAL, "Self-referral, 24 February 2026: New headteacher wants support")
    ]


def test_an_escalation_by_the_partner_since_the_last_review_puts_a_school_on_the_agenda():
    news = SchoolNews(1, last_reviewed=REVIEWED, on_list=True, escalations=[Dated(SINCE, "No progress on actions")])
    assert reasons(news, MEETING) == [
        Reason(News.ESCALATION, "Escalated by the priority partner, 24 February 2026: No progress on actions")
    ]


def test_a_category_change_a_waiting_proposal_and_new_data_put_a_school_on_the_agenda():
    news = SchoolNews(
        1,
        last_reviewed=REVIEWED,
        category_changes=[Dated(SINCE, "Amber to red")],
        proposal_waiting=Dated(date(2026, 3, 2), "Green to amber"),
        data=[Dated(date(2026, 3, 1), "KS4 2025 revised")],
    )
    assert reasons(news, MEETING) == [
        Reason(News.CATEGORY, "Category changed on 24 February 2026: Amber to red"),
        Reason(News.PROPOSAL, "Category proposal awaiting agreement: Green to amber"),
        Reason(News.DATA, "New data: KS4 2025 revised"),
    ]


@pytest.mark.parametrize(
    ("overdue", "text"),
    [(1, "1 overdue action in the plan"), (2, "2 overdue actions in the plan"), (11, "11 overdue actions in the plan")],
)
def test_overdue_actions_put_a_school_on_the_agenda_with_the_right_plural(overdue, text):
    news = SchoolNews(1, last_reviewed=REVIEWED, on_list=True, overdue_actions=overdue)
    assert reasons(news, MEETING) == [Reason(News.OVERDUE, text)]


def test_no_overdue_actions_is_no_reason():
    assert reasons(SchoolNews(1, last_reviewed=REVIEWED, on_list=True, overdue_actions=0), MEETING) == []


def test_a_school_proposed_for_the_list_and_never_reviewed_is_on_the_agenda():
    assert reasons(SchoolNews(1, proposed=True), MEETING) == [Reason(News.PROPOSED, "Proposed for the priority list")]


def test_a_proposed_school_already_reviewed_is_not_on_the_agenda_for_the_proposal_alone():
    assert reasons(SchoolNews(1, proposed=True, last_reviewed=REVIEWED), MEETING) == []


def test_a_school_on_the_list_and_never_reviewed_is_on_the_agenda():
    assert reasons(SchoolNews(1, on_list=True), MEETING) == [
        Reason(News.FIRST_REVIEW, "On the priority list, not yet reviewed by the board")
    ]


def test_a_school_on_the_list_not_reviewed_for_exactly_the_stale_weeks_is_on_the_agenda():
    last = MEETING - timedelta(weeks=agenda.DEFAULT_STALE_WEEKS)
    assert last == date(2026, 1, 13)
    assert reasons(SchoolNews(1, last_reviewed=last, on_list=True), MEETING) == [
        Reason(News.NOT_REVIEWED, "Not reviewed for 8 weeks (last on 13 January 2026)")
    ]


def test_a_school_on_the_list_reviewed_a_day_less_than_the_stale_weeks_ago_is_not():
    last = MEETING - timedelta(weeks=agenda.DEFAULT_STALE_WEEKS) + timedelta(days=1)
    assert reasons(SchoolNews(1, last_reviewed=last, on_list=True), MEETING) == []


@pytest.mark.parametrize("stale_weeks", [2, 4, 6, 12])
def test_the_stale_period_can_be_set_per_board(stale_weeks):
    exactly = MEETING - timedelta(weeks=stale_weeks)
    news = SchoolNews(1, last_reviewed=exactly, on_list=True)
    assert reasons(news, MEETING, stale_weeks=stale_weeks) == [
        Reason(News.NOT_REVIEWED, f"Not reviewed for {stale_weeks} weeks (last on {exactly.day} {exactly:%B %Y})")
    ]
    later = dataclasses.replace(news, last_reviewed=exactly + timedelta(days=1))
    assert reasons(later, MEETING, stale_weeks=stale_weeks) == []


def test_the_weeks_not_reviewed_are_counted_in_whole_weeks():
    last = MEETING - timedelta(days=9 * 7 + 6)
    assert reasons(SchoolNews(1, last_reviewed=last, on_list=True), MEETING)[0].text.startswith(
        "Not reviewed for 9 weeks"
    )


def test_a_school_not_on_the_list_is_not_brought_back_just_because_it_has_not_been_reviewed():
    assert reasons(SchoolNews(1, last_reviewed=date(2025, 1, 1)), MEETING) == []
    assert reasons(SchoolNews(1), MEETING) == []


@pytest.mark.parametrize(
    "something_new",
    [
        {"inspections": [Dated(SINCE, "Good")]},
        {"overdue_actions": 1},
        {"self_referrals": [Dated(SINCE, "Help")]},
        {"escalations": [Dated(SINCE, "Stalled")]},
        {"data": [Dated(SINCE, "KS2")]},
    ],
    ids=["inspection", "overdue", "self-referral", "escalation", "data"],
)
@pytest.mark.parametrize("last_reviewed", [None, date(2025, 6, 1)], ids=["never-reviewed", "stale"])
def test_not_reviewed_is_given_only_when_there_is_nothing_else_new(something_new, last_reviewed):
    quiet = SchoolNews(1, last_reviewed=last_reviewed, on_list=True)
    alone = News.FIRST_REVIEW if last_reviewed is None else News.NOT_REVIEWED
    assert kinds(reasons(quiet, MEETING)) == [alone]
    busy = dataclasses.replace(quiet, **something_new)
    assert alone not in kinds(reasons(busy, MEETING))
    assert reasons(busy, MEETING)


def test_every_reason_is_given_in_order():
    news = SchoolNews(
        1,
        on_list=True,
        proposed=True,
        inspections=[Dated(SINCE, "Inadequate")],
        category_changes=[Dated(SINCE, "Amber to red")],
        proposal_waiting=Dated(SINCE, "Red"),
        data=[Dated(SINCE, "KS2")],
        overdue_actions=3,
        self_referrals=[Dated(SINCE, "Help")],
        escalations=[Dated(SINCE, "Stalled")],
    )
    assert kinds(reasons(news, MEETING)) == [
        News.INSPECTION,
        News.CATEGORY,
        News.PROPOSAL,
        News.DATA,
        News.OVERDUE,
        News.SELF_REFERRAL,
        News.ESCALATION,
        News.PROPOSED,
    ]


def test_days_are_written_without_a_leading_zero():
    news = SchoolNews(1, last_reviewed=REVIEWED, inspections=[Dated(date(2026, 3, 2), "Good")])
    assert reasons(news, MEETING)[0].text == "New inspection, 2 March 2026: Good"


DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 3, 10))
ITEMS = st.lists(st.builds(Dated, DAYS, st.sampled_from(["a", "b"])), max_size=3)
SCHOOL_NEWS = st.builds(
    SchoolNews,
    school_id=st.just(1),
    last_reviewed=st.none() | DAYS,
    on_list=st.booleans(),
    proposed=st.booleans(),
    inspections=ITEMS,
    category_changes=ITEMS,
    proposal_waiting=st.none() | st.builds(Dated, DAYS, st.just("p")),
    data=ITEMS,
    overdue_actions=st.integers(0, 5),
    self_referrals=ITEMS,
    escalations=ITEMS,
)


@PROPERTY
@given(news=SCHOOL_NEWS, stale_weeks=st.integers(1, 20))
def test_not_reviewed_never_comes_with_another_reason(news, stale_weeks):
    found = kinds(reasons(news, MEETING, stale_weeks=stale_weeks))
    if News.NOT_REVIEWED in found:
        assert found == [News.NOT_REVIEWED]
        assert news.on_list


@PROPERTY
@given(news=SCHOOL_NEWS, stale_weeks=st.integers(1, 20))
def test_a_school_on_the_list_and_never_reviewed_is_always_on_the_agenda(news, stale_weeks):
    never = dataclasses.replace(news, last_reviewed=None)
    if news.on_list or news.proposed:
        assert reasons(never, MEETING, stale_weeks=stale_weeks)


@PROPERTY
@given(news=SCHOOL_NEWS, old=ITEMS, field=st.sampled_from(["inspections", "category_changes", "data", "escalations"]))
def test_news_from_before_the_last_review_never_changes_the_reasons(news, old, field):
    if news.last_reviewed is None:
        return
    old = [dataclasses.replace(item, on=min(item.on, news.last_reviewed)) for item in old]
    more = dataclasses.replace(news, **{field: [*getattr(news, field), *old]})
    assert reasons(more, MEETING) == reasons(news, MEETING)


# Meeting dates ----------------------------------------------------------------------------------

HALF_TERMS = [
    (date(2025, 9, 3), date(2025, 10, 24)),
    (date(2025, 11, 3), date(2025, 12, 19)),
    (date(2026, 1, 5), date(2026, 2, 13)),
]


def test_meetings_are_every_other_week_skipping_the_holidays():
    assert fortnightly(date(2025, 9, 16), date(2026, 2, 13), HALF_TERMS) == [
        date(2025, 9, 16),
        date(2025, 9, 30),
        date(2025, 10, 14),
        # 28 October: half-term holiday
        date(2025, 11, 11),
        date(2025, 11, 25),
        date(2025, 12, 9),
        # 23 December: Christmas holiday
        date(2026, 1, 6),
        date(2026, 1, 20),
        date(2026, 2, 3),
    ]


def test_a_skipped_date_does_not_move_the_fortnightly_rhythm():
    found = fortnightly(date(2025, 10, 14), date(2025, 11, 30), HALF_TERMS)
    assert found == [date(2025, 10, 14), date(2025, 11, 11), date(2025, 11, 25)]


def test_the_first_and_last_days_of_a_half_term_and_the_last_date_asked_for_are_included():
    starts, ends = HALF_TERMS[0]
    assert fortnightly(starts, starts, HALF_TERMS) == [starts]
    assert fortnightly(ends, ends, HALF_TERMS) == [ends]
    assert fortnightly(date(2025, 9, 3), date(2025, 9, 17), HALF_TERMS) == [date(2025, 9, 3), date(2025, 9, 17)]


def test_no_meetings_without_half_terms_or_when_the_range_is_empty():
    assert fortnightly(date(2025, 9, 16), date(2026, 2, 13), []) == []
    assert fortnightly(date(2025, 10, 1), date(2025, 9, 30), HALF_TERMS) == []
    assert fortnightly(date(2025, 10, 27), date(2025, 10, 31), HALF_TERMS) == []


@PROPERTY
@given(
    first=st.dates(min_value=date(2025, 8, 1), max_value=date(2026, 3, 1)),
    length=st.integers(0, 250),
)
def test_meetings_are_exactly_the_fortnightly_dates_that_fall_in_a_half_term(first, length):
    until = first + timedelta(days=length)
    expected = [
        day
        for day in (first + timedelta(days=14 * n) for n in range(length // 14 + 1))
        if any(starts <= day <= ends for starts, ends in HALF_TERMS)
    ]
    assert fortnightly(first, until, HALF_TERMS) == expected


# The dates of a notice run in order (issue 22) ===================================================================

DAY = date(2026, 3, 10)


def _dates(**days: date) -> dict[str, date | None]:
    return {name: days.get(name) for name in notices.DATE_LABELS}


def test_seed_004_a_dcs_response_dated_before_the_recommendation_is_refused():
    problems = notices.date_problems(
        _dates(recommended_on=DAY, dcs_response_on=DAY - timedelta(days=1)), today=DAY + timedelta(days=30)
    )
    assert problems == {
        "dcs_response_on": "The DCS response date (9 March 2026) must be on or after the date the board "
        "recommended the notice (10 March 2026)"
    }


def test_an_issue_date_before_the_dcs_response_is_refused():
    dates = _dates(recommended_on=DAY, dcs_response_on=DAY + timedelta(days=5), issued_on=DAY + timedelta(days=4))
    problems = notices.date_problems(dates, today=DAY + timedelta(days=30))
    assert problems == {
        "issued_on": "The date the notice was issued (14 March 2026) must be on or after the DCS response date "
        "(15 March 2026)"
    }


def test_dates_in_order_and_on_the_same_day_are_accepted():
    same = _dates(
        recommended_on=DAY,
        dcs_response_on=DAY,
        issued_on=DAY,
        compliance_deadline=DAY + timedelta(days=28),
        complied_on=DAY + timedelta(days=20),
        lifted_on=DAY + timedelta(days=20),
    )
    assert notices.date_problems(same, today=DAY + timedelta(days=20)) == {}


@pytest.mark.parametrize(
    ("later", "earlier"), notices.ORDER + notices.STRICTLY_AFTER, ids=lambda n: n if isinstance(n, str) else ""
)
def test_each_step_before_the_one_it_follows_is_refused_naming_both_dates(later, earlier):
    dates = _dates(**{earlier: DAY, later: DAY - timedelta(days=1)})
    message = notices.date_problems(dates, today=DAY)[later]
    assert notices.DATE_LABELS[earlier] in message
    assert "9 March 2026" in message
    assert "10 March 2026" in message


def test_a_compliance_deadline_on_the_issue_day_is_refused_but_may_be_in_the_future():
    assert "compliance_deadline" in notices.date_problems(_dates(issued_on=DAY, compliance_deadline=DAY), today=DAY)
    assert notices.date_problems(_dates(issued_on=DAY, compliance_deadline=DAY + timedelta(days=1)), today=DAY) == {}


def test_a_step_that_says_it_happened_cannot_be_in_the_future():
    problems = notices.date_problems(
        _dates(recommended_on=DAY, referred_on=DAY + timedelta(days=1), rd_comply_by=DAY + timedelta(days=60)),
        today=DAY,
    )
    assert problems == {
        "referred_on": "The date of the referral to the regional director (11 March 2026) cannot be in the future"
    }


def test_the_compliance_deadline_counts_the_period_the_la_set_from_the_issue_date():
    # Since 18 April 2016 the notice specifies the period (s60(1)(b)); no statutory minimum or default.
    assert notices.compliance_deadline(DAY, 1) == DAY + timedelta(days=1)
    assert notices.compliance_deadline(DAY, 28) == date(2026, 4, 7)
    with pytest.raises(ValueError, match="at least one day"):
        notices.compliance_deadline(DAY, 0)
