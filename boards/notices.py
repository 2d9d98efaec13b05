"""The life of a formal warning notice (Education and Inspections Act 2006, s60; DESIGN §6), as
plain Python: which step may follow which, the compliance deadline and who receives it.

    recommended ──accept──▶ accepted ──issue──▶ issued ──comply──▶ complied ──lift──▶ lifted
         │                                         └──escalate──▶ escalated (IEB or other powers)
         ├──decline──▶ declined
         └──refer──▶ referred (academies: to the DfE regional director, instead of the DCS)
                        ├──rd_issue──▶ rd_notice (the regional director's termination warning notice)
                        │                 └──rd_close──▶ rd_closed
                        └──rd_no_notice──▶ rd_no_notice

The compliance period. Since 18 April 2016 (Education and Adoption Act 2016, s2, amending s60(1)(b) of the
2006 Act) a school is eligible for intervention once "the period for compliance specified in the notice ('the
compliance period') has expired": the authority giving the notice sets the period; the fixed 15-working-day
initial period and the right to make representations to Ofsted went. No minimum or default is in the Act, so
the officer enters the period at issue and the deadline is counted from the date of issue. In Wales the 2013
Act, s3(2)(d), likewise leaves "the period within which the action is to be taken" to the authority.

Academies are not maintained schools: s60 does not reach them. Under the academy trust's funding agreement
the Secretary of State (through the DfE regional director, formerly the regional schools commissioner) may
give a termination warning notice; the LA records its referral and, when the regional director acts, the
dates and the outcome of that notice, which it did not give.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Status(StrEnum):
    RECOMMENDED = "recommended"
    DECLINED = "declined"
    ACCEPTED = "accepted"
    ISSUED = "issued"
    COMPLIED = "complied"
    LIFTED = "lifted"
    ESCALATED = "escalated"
    REFERRED = "referred"
    RD_NOTICE = "rd_notice"
    RD_NO_NOTICE = "rd_no_notice"
    RD_CLOSED = "rd_closed"


class Step(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    REFER = "refer"
    ISSUE = "issue"
    COMPLY = "comply"
    LIFT = "lift"
    ESCALATE = "escalate"
    RD_ISSUE = "rd_issue"
    RD_NO_NOTICE = "rd_no_notice"
    RD_CLOSE = "rd_close"


ACADEMY_STEPS = {Step.REFER, Step.RD_ISSUE, Step.RD_NO_NOTICE, Step.RD_CLOSE}

STEP_LABELS = {
    Step.ACCEPT: "Record that the DCS accepted the recommendation",
    Step.DECLINE: "Record that the DCS declined the recommendation",
    Step.REFER: "Record the referral to the DfE regional director",
    Step.ISSUE: "Record the notice as issued",
    Step.COMPLY: "Record that the school has complied",
    Step.LIFT: "Lift the notice",
    Step.ESCALATE: "Escalate (interim executive board or other powers)",
    Step.RD_ISSUE: "Record the regional director's termination warning notice",
    Step.RD_NO_NOTICE: "Record that the regional director gave no notice",
    Step.RD_CLOSE: "Record the outcome of the regional director's notice",
}

_MOVES: dict[Status, dict[Step, Status]] = {
    Status.RECOMMENDED: {Step.ACCEPT: Status.ACCEPTED, Step.DECLINE: Status.DECLINED, Step.REFER: Status.REFERRED},
    Status.ACCEPTED: {Step.ISSUE: Status.ISSUED},
    Status.ISSUED: {Step.COMPLY: Status.COMPLIED, Step.ESCALATE: Status.ESCALATED},
    Status.COMPLIED: {Step.LIFT: Status.LIFTED},
    Status.REFERRED: {Step.RD_ISSUE: Status.RD_NOTICE, Step.RD_NO_NOTICE: Status.RD_NO_NOTICE},
    Status.RD_NOTICE: {Step.RD_CLOSE: Status.RD_CLOSED},
}

_WHY_NOT = {
    Step.ACCEPT: "The DCS responds only to a recommendation that is still awaiting a response.",
    Step.DECLINE: "The DCS responds only to a recommendation that is still awaiting a response.",
    Step.REFER: "Only a recommendation still awaiting action can be referred to the regional director.",
    Step.ISSUE: "A notice is issued only after the DCS has accepted the recommendation.",
    Step.COMPLY: "A school can comply only with a notice that has been issued.",
    Step.LIFT: "A notice can be lifted only after the school has complied with it.",
    Step.ESCALATE: "Only an issued notice that has not been complied with can be escalated.",
    Step.RD_ISSUE: "The regional director's notice follows the LA's referral.",
    Step.RD_NO_NOTICE: "The regional director's decision follows the LA's referral.",
    Step.RD_CLOSE: "An outcome is recorded only for a termination warning notice the regional director gave.",
}


class NotAllowed(Exception):
    pass


def check(step: Step | str, status: Status | str, *, academy: bool) -> Status:
    """The status after ``step``, or NotAllowed saying why the step cannot be taken."""
    step, status = Step(step), Status(status)
    if academy and step not in ACADEMY_STEPS:
        raise NotAllowed(
            "The LA does not issue warning notices to academies: record the referral to the DfE regional director."
        )
    if not academy and step in ACADEMY_STEPS:
        raise NotAllowed("Referral to the regional director is for academies; the DCS responds for this school.")
    after = _MOVES.get(status, {}).get(step)
    if after is None:
        raise NotAllowed(f"{_WHY_NOT[step]} This notice is {status.value}.")
    return after


def allowed(status: Status | str, *, academy: bool) -> list[Step]:
    found = []
    for step in _MOVES.get(Status(status), {}):
        try:
            check(step, status, academy=academy)
        except NotAllowed:
            continue
        found.append(step)
    return found


def compliance_deadline(issued_on: date, period_days: int) -> date:
    """The last day to comply: the period the authority specified (s60(1)(b) as amended in 2016; no statutory
    minimum or default), counted in days from the date of issue."""
    if period_days < 1:
        raise ValueError("The compliance period is at least one day")
    return issued_on + timedelta(days=period_days)


# Dates in order -------------------------------------------------------------------------------------------------
# Each step happens on or after the one it follows, and a step that says something happened cannot be dated
# tomorrow (issue 22: a DCS response dated before the recommendation and an issue date before the response were
# both accepted). A deadline (the compliance deadline, the regional director's "comply by") may be in the future.

DATE_LABELS = {
    "recommended_on": "the date the board recommended the notice",
    "dcs_response_on": "the DCS response date",
    "referred_on": "the date of the referral to the regional director",
    "issued_on": "the date the notice was issued",
    "compliance_deadline": "the compliance deadline",
    "complied_on": "the date the school complied",
    "lifted_on": "the date the notice was lifted",
    "escalated_on": "the date of the escalation",
    "rd_notice_on": "the date of the regional director's notice",
    "rd_comply_by": "the date the regional director's notice must be complied with by",
    "rd_outcome_on": "the date of the regional director's outcome",
}

# (later, earlier): the later date is on or after the earlier one. The compliance deadline is after the issue.
ORDER: list[tuple[str, str]] = [
    ("dcs_response_on", "recommended_on"),
    ("referred_on", "recommended_on"),
    ("issued_on", "dcs_response_on"),
    ("complied_on", "issued_on"),
    ("escalated_on", "issued_on"),
    ("lifted_on", "complied_on"),
    ("rd_notice_on", "referred_on"),
    ("rd_outcome_on", "rd_notice_on"),
]
STRICTLY_AFTER: list[tuple[str, str]] = [("compliance_deadline", "issued_on"), ("rd_comply_by", "rd_notice_on")]
DEADLINES = {"compliance_deadline", "rd_comply_by"}


def ordering() -> list[tuple[str, str, str]]:
    """(later, earlier, lookup) for the database's check constraints."""
    return [(a, b, "gte") for a, b in ORDER] + [(a, b, "gt") for a, b in STRICTLY_AFTER]


def _label(name: str) -> str:
    return DATE_LABELS[name][0].upper() + DATE_LABELS[name][1:]


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def date_problems(dates: dict[str, date | None], today: date) -> dict[str, str]:
    """What is wrong with a notice's dates, by the later date's name; each message names both dates. Empty
    when the dates run in order and none that records something done is in the future."""
    found: dict[str, str] = {}
    for name, day in dates.items():
        if day is not None and name not in DEADLINES and day > today:
            found[name] = f"{_label(name)} ({_long(day)}) cannot be in the future"
    for pairs, word in ((ORDER, "on or after"), (STRICTLY_AFTER, "after")):
        for later, earlier in pairs:
            after, before = dates.get(later), dates.get(earlier)
            if after is None or before is None or later in found:
                continue
            if after < before or (word == "after" and after == before):
                found[later] = (
                    f"{_label(later)} ({_long(after)}) must be {word} {DATE_LABELS[earlier]} ({_long(before)})"
                )
    return found


@dataclass(frozen=True)
class DeadlineState:
    label: str  # "" when not near
    days: int  # days left (negative when past)


def deadline_state(deadline: date | None, today: date, *, warn_days: int = 14) -> DeadlineState:
    """Whether a compliance deadline is past, near (within ``warn_days``) or neither."""
    if deadline is None:
        return DeadlineState("", 0)
    left = (deadline - today).days
    if left < 0:
        return DeadlineState("past", left)
    if left <= warn_days:
        return DeadlineState("near", left)
    return DeadlineState("", left)


def default_recipients(
    *, school_name: str, head: str, church_school: bool, diocese: str, welsh: bool = False
) -> list[str]:
    """The governing body and the headteacher, and for a church school the diocese (s60). In Wales
    (2013 Act, s3(3)) the Welsh Ministers receive a copy too."""
    found = [f"The governing body of {school_name}", f"{head}, headteacher" if head else "The headteacher"]
    if church_school:
        found.append(f"The diocese{f' of {diocese}' if diocese else ''}")
    if welsh:
        found.append("The Welsh Ministers")
    return found


# Wales ----------------------------------------------------------------------------------------------------------
# A school in Wales is under the School Standards and Organisation (Wales) Act 2013, not the 2006 Act: a
# local authority may give a warning notice to the governing body of one of its maintained schools when
# satisfied that one or more of grounds 1 to 6 (s2) exist (s3(1)); the notice specifies the grounds, the
# reasons, the action required, the period for it ("the compliance period") and what the authority is
# minded to do if the action is not taken (s3(2)); copies go at the same time to the head teacher, for a
# foundation or voluntary school the person who appoints the foundation governors and, for a school with a
# religious character, the appropriate religious body, and the Welsh Ministers (s3(3)).
# https://www.legislation.gov.uk/anaw/2013/1/section/2 and /section/3

ENGLAND_ACT = "Education and Inspections Act 2006, s60"
WALES_ACT = "School Standards and Organisation (Wales) Act 2013, ss. 2–3"

# Grounds 7 and 8 (significant improvement, special measures after an Estyn inspection) need no warning notice.
WALES_GROUNDS: dict[str, str] = {
    "w1_low_standards": "Ground 1: the standards of performance of pupils are unacceptably low",
    "w2_breakdown": "Ground 2: a serious breakdown in the way the school is managed or governed",
    "w3_behaviour": "Ground 3: the behaviour of pupils, or action by them or their parents, severely prejudices "
    "the education of pupils",
    "w4_safety": "Ground 4: the safety of pupils or staff is threatened",
    "w5_duty": "Ground 5: the governing body or head teacher has failed, or is likely to fail, to comply with a "
    "duty under the Education Acts",
    "w6_unreasonable": "Ground 6: the governing body or head teacher has acted, or proposes to act, unreasonably",
}


def legislation(*, welsh: bool) -> str:
    """The Act a school's formal warning notice is given under."""
    return WALES_ACT if welsh else ENGLAND_ACT
