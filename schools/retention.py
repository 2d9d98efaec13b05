"""How long the case records of a closed school are kept (data protection: storage limitation).

A school's case — the notes, visits and reports, plans, meetings, letters, referrals and
escalations about it — is closed when the school closes. ``CLOSED_CASE_RETENTION_YEARS`` after its
close date, those records, which name and describe people, are deleted. What the law or the
sector keeps longer stays: the school itself and its public data (inspections, performance), its
category decisions, the board's decisions and warning notices (statutory records).

The deleted records' versions in the audit trail go with them: they hold the same personal data,
and keeping them would keep the case. What the trail keeps is a ``RetentionPurge`` record (itself
audited): when, on whose instruction, which schools, how many records of each kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The records deleted when a closed school's retention period ends, as (app label, model, label).
DELETED = [
    ("schools", "IntelligenceNote", "intelligence notes"),
    ("schools", "GovernanceContact", "chairs' and clerks' contact details"),
    ("schools", "GovernanceReview", "reviews of governance"),
    ("support", "Visit", "visits and their reports"),
    ("support", "ActionPlan", "action plans"),
    ("support", "Meeting", "progress meetings"),
    ("support", "NewHeadteacher", "new headteacher records"),
    ("support", "HeadteacherRecruitment", "headteacher recruitments"),
    ("support", "RiToGoodReview", "reviews of progress from requires improvement to Good"),
    ("support", "SelfReferral", "self-referrals"),
    ("support", "PartnerInterest", "partners' declared interests"),
    ("boards", "Letter", "letters"),
    ("boards", "Escalation", "escalations"),
    ("boards", "ConcernAction", "actions from schools causing concern meetings"),
    ("boards", "InspectionNotice", "inspection notifications and feedback"),
]


def retention_cutoff(today: date, years: int) -> date:
    """Schools closed on or before this date have passed their retention period."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@dataclass(frozen=True)
class Purge:
    cutoff: date
    schools: int
    deleted: dict[str, int]
    history_rows: int = 0

    @property
    def total(self) -> int:
        return sum(self.deleted.values())
