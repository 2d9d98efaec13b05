"""The School Improvement Board: Warwickshire's board as its 2013 proposal writes it (seed 002,
section 7). Its members are two lead members of each consortium, who meet the lead member criteria,
plus LA representation (7.4); "the LA representative will only hold a single vote ensuring that
the model is owned and driven by schools" (7.6). Its decisions are the advisory board's decisions
(``boards.services.decide``: they feed the priority list, letters and support alike), each with
the members' votes; a decision carries when more votes are for it than against it.

An authority's board is a School Improvement Board when its ``BoardConstitution`` says so; without
one, it is the advisory board and nothing here applies (Birmingham's board is unchanged).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.access import require
from accounts.audit import attributed
from accounts.audit import bulk as audit
from accounts.models import User
from accounts.policy import BOARD_READERS, OFFICERS
from boards import services
from boards.models import AgendaItem, BoardConstitution, BoardMeeting, Decision, DecisionVote, LARepresentative
from schools import selectors as school_selectors
from schools.models import ConsortiumLead, School

Vote = DecisionVote.Vote


# The rule, without the database ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """The votes on one decision: each consortium lead's, and the LA's one."""

    votes_for: int
    against: int
    abstaining: int

    @property
    def carried(self) -> bool:
        """A decision carries when more members vote for it than against it (abstentions count
        neither way; a tie does not carry)."""
        return self.votes_for > self.against

    def __str__(self) -> str:
        return f"{self.votes_for} for, {self.against} against, {self.abstaining} abstaining"


def tally(lead_votes: Iterable[str], la_votes: Iterable[str] = ()) -> Tally:
    """Count the votes on a decision. The consortium leads vote one each; the LA's representation
    counts as a single vote however many officers attend (seed 002, 7.6): it is the first vote
    its representatives give (they agree it between them), and any more of theirs are not counted.
    """
    counted = [*lead_votes, *list(la_votes)[:1]]
    unknown = [v for v in counted if v not in Vote.values]
    if unknown:
        raise ValueError(f"Not a vote: {', '.join(unknown)}")
    return Tally(counted.count(Vote.FOR), counted.count(Vote.AGAINST), counted.count(Vote.ABSTAIN))


# Reads ----------------------------------------------------------------------------------------------------------


def constitution() -> BoardConstitution | None:
    return BoardConstitution.objects.first()


def votes_on_decisions() -> bool:
    """Whether the authority's board is a School Improvement Board, whose decisions are voted on."""
    return BoardConstitution.objects.filter(kind=BoardConstitution.Kind.SCHOOL_IMPROVEMENT).exists()


@dataclass(frozen=True)
class Members:
    kind: str
    leads: list[ConsortiumLead]  # those with a seat: every consortium's leads who meet the criteria
    la_representatives: list[User]
    consortia: list  # every consortium with its leads, seated or not


def members() -> Members:
    """The board's members, in a fixed number of queries however many consortia there are."""
    found = constitution()
    held = found.la_representatives.select_related("officer").order_by("officer__full_name") if found else []
    representatives = [r.officer for r in held]
    return Members(
        kind=found.kind if found else BoardConstitution.Kind.ADVISORY,
        leads=list(school_selectors.board_leads()),
        la_representatives=representatives,
        consortia=school_selectors.consortia_with_leads(),
    )


# Writes ---------------------------------------------------------------------------------------------------------

OFFICERS_REFUSED = "Only LA officers constitute the board."


@attributed
def constitute(*, kind: str, la_representatives: Iterable[User], by: User) -> BoardConstitution:
    """Say what the authority's board is: the advisory board, or a School Improvement Board of the
    consortium leads and the LA's representatives (seed 002, 7.4), who must be its officers."""
    require(by, OFFICERS, OFFICERS_REFUSED)
    if kind not in BoardConstitution.Kind.values:
        raise ValidationError({"kind": "Choose what the authority's board is"})
    representatives = list(la_representatives)
    not_officers = [str(u) for u in representatives if u.role not in OFFICERS]
    if not_officers:
        raise ValidationError({"la_representatives": f"Only LA officers represent the LA: {', '.join(not_officers)}"})
    with transaction.atomic():
        found, _ = BoardConstitution.objects.select_for_update().get_or_create(defaults={"kind": kind})
        found.kind, found.updated_by = kind, by
        found.save(update_fields=["kind", "updated_by", "updated_at"])
        chosen = {user.pk for user in representatives}
        held = set(found.la_representatives.values_list("officer_id", flat=True))
        # One by one, so the audit trail has a row for each officer who joins or leaves.
        for stale in found.la_representatives.exclude(officer_id__in=chosen):
            stale.delete()
        for pk in sorted(chosen - held):
            LARepresentative.objects.create(constitution=found, officer_id=pk)
    return found


@attributed
def decide_by_vote(
    *,
    school: School,
    kind: str,
    rationale: str,
    by: User,
    lead_votes: Mapping[int, str],
    la_vote: str = "",
    meeting: BoardMeeting | None = None,
    item: AgendaItem | None = None,
    reason: str = "",
    confirm_removal: bool = False,
    removal_override: str = "",
    support_kind: str = "",
    support_days: Decimal | None = None,
    seen_version: int | None = None,
) -> Decision:
    """Record a School Improvement Board decision with its votes (``lead_votes``: consortium lead id
    → for, against or abstain, blank for a lead who did not vote; ``la_vote``: the LA's single vote).

    When it carries (more for than against), it is applied exactly as the advisory board's
    decision is (``boards.services.decide``): to the priority list, support, a letter or a notice.
    When it does not, the board's decision is that nothing changes, recorded with the motion that
    fell. Either way the votes are kept with the decision."""
    require(by, BOARD_READERS, services.DECISIONS_REFUSED)
    if not votes_on_decisions():
        raise PermissionDenied("The authority's board is an advisory board: its decisions are not voted on.")
    if kind not in Decision.Kind.values:
        raise ValidationError({"kind": "Choose the decision"})
    seated = {lead.pk: lead for lead in school_selectors.board_leads()}
    cast = {pk: vote for pk, vote in lead_votes.items() if vote}
    strangers = [pk for pk in cast if pk not in seated]
    if strangers:
        raise ValidationError({"votes": "Only the board's members vote: a consortium lead who meets the criteria"})
    if any(vote not in Vote.values for vote in [*cast.values(), *([la_vote] if la_vote else [])]):
        raise ValidationError({"votes": "Each vote is for, against or abstain"})
    if not cast and not la_vote:
        raise ValidationError({"votes": "Record the members' votes"})
    result = tally(cast.values(), [la_vote] if la_vote else [])
    common = {"school": school, "rationale": rationale, "by": by, "meeting": meeting, "item": item}
    with transaction.atomic():
        if result.carried:
            decision = services.decide(
                **common,
                kind=kind,
                reason=reason,
                confirm_removal=confirm_removal,
                removal_override=removal_override,
                support_kind=support_kind,
                support_days=support_days,
                seen_version=seen_version,
            )
            decision.outcome = f"{decision.outcome}. Carried by the School Improvement Board: {result}"
        else:
            decision = services.decide(**common, kind=Decision.Kind.NO_CHANGE, seen_version=seen_version)
            motion = Decision.Kind(kind).label
            decision.outcome = f"No change: the motion ({motion}) was not carried, {result}"
        decision.save(update_fields=["outcome"])
        votes = [
            DecisionVote(
                decision=decision,
                lead=seated[pk],
                member=seated[pk].name,
                consortium=seated[pk].consortium.name,
                vote=vote,
            )
            for pk, vote in cast.items()
        ]
        if la_vote:
            votes.append(DecisionVote(decision=decision, for_la=True, member="LA representation", vote=la_vote))
        audit.bulk_create(DecisionVote, votes)
    return decision
