"""Demo board: this year's meetings, the priority list proposed from the facts and agreed at an
October meeting, letters, a letter of concern, a warning notice near its compliance deadline, an
escalation, an inspection notification and the next meeting's agenda and pack — all written
through the services, so the demo follows the portal's rules. People and words are invented."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.audit import acting
from accounts.audit import bulk as audit
from accounts.models import User
from boards import improvement_board, pack, services, siab
from boards.models import BoardMeeting, Decision, Escalation, Letter, LetterKind, PriorityEntry
from categorisation import selectors as category_selectors
from categorisation.models import CategoryDecision
from schools import demo as schools_demo
from schools.models import ImportRun, School
from support import demo as support_demo
from support import selectors as support_selectors
from support.selectors import current_year

# The audit trail shows the demo's back-dating as what it is.
DATED = "Demo data: dated as the year would have run"


def load(
    *,
    officer: User,
    board_member: User,
    partner: User,
    head_school: School,
    partners: Sequence[User] = (),
    members: Sequence[User] = (),
) -> None:
    """Add the demo's board records once; a second run leaves them as they are. Once the list is
    agreed, the chairs and clerks of the listed and more supported schools are recorded and
    ``partners`` named for the listed schools without one, so the letters name both; ``members``
    sit on the board with ``board_member`` as its chair."""
    if BoardMeeting.objects.exists():
        return
    today = timezone.localdate()
    year = current_year(today)
    with transaction.atomic():
        _date_the_history(year)
        services.schedule_meetings(first=_first_wednesday(year), until=date(year + 1, 7, 21), by=officer)
        past = list(BoardMeeting.objects.filter(meets_on__lt=today).order_by("meets_on"))
        october = next((m for m in past if m.meets_on.month == 10), past[-1] if past else None)
        services.propose_annual_list(year=year, by=officer)
        _make_sure_listed(head_school, year, today)
        proposed = list(
            PriorityEntry.objects.filter(academic_year=year, status=PriorityEntry.Status.PROPOSED).order_by(
                "school__urn"
            )
        )
        leave_out = {}
        if len(proposed) > 3:
            leave_out[proposed[-1].pk] = "Converting to an academy in January; the trust leads its improvement."
        services.agree_annual_list(
            year=year,
            by=board_member,
            meeting=october,
            rationale="Agreed from the annual review of data, inspections and intelligence, with each headteacher.",
            leave_out=leave_out,
        )
        if october:
            # The demo's list was agreed at the October meeting: date its decisions then.
            when = timezone.make_aware(datetime.combine(october.meets_on, time(17)))
            with acting(reason=DATED):
                audit.update(Decision.objects.filter(meeting=october), decided_at=when)
                audit.update(
                    PriorityEntry.objects.filter(academic_year=year, status=PriorityEntry.Status.ON_LIST),
                    added_on=october.meets_on,
                )
        _membership(officer, board_member, members)
        _governors_and_partners(officer, head_school, partners, year, today)
        for meeting in past:
            services.record_meeting(
                meeting=meeting,
                by=officer,
                present=[board_member.pk, *[m.pk for m in members]],
                minutes="Reviewed the schools on the agenda; decisions recorded against each school.",
            )
        _letters(officer, head_school, year, today)
        _statutory(officer, board_member, partner, head_school, october, today)
        _education_improvement_group(officer, today)
        support_demo.load_quality(officer=officer, shadow=board_member, year=year, today=today)
        upcoming = services.next_meeting(today)
        if upcoming:
            services.generate_agenda(meeting=upcoming, by=officer)
    if upcoming:
        pack.build(upcoming.pk)


def _membership(officer: User, chair: User, members: Sequence[User]) -> None:
    """Seed 004's board: "an external, independent Chair and recently serving Birmingham expert head
    teachers across all phases"."""
    siab.set_membership(by=officer, member=chair, basis=siab.Basis.EXPERT, chair=True, independent=True)
    for member, phase in zip(members, siab.Phase.values, strict=False):
        siab.set_membership(by=officer, member=member, basis=siab.Basis.RECENT_HEAD, phase=phase)


def _governors_and_partners(
    officer: User, head_school: School, partners: Sequence[User], year: int, today: date
) -> None:
    """The chairs and clerks of the schools on the list and those in the more supported categories;
    a named partner for each school on the list but one, left for the officer to name."""
    listed = [
        e.school
        for e in PriorityEntry.objects.filter(academic_year=year, status=PriorityEntry.Status.ON_LIST)
        .select_related("school__trust")
        .order_by("school__urn")
    ]
    ranked = list(category_selectors.active_version().categories.order_by("rank"))
    supported = (
        School.objects.filter(
            categories__framework__is_active=True,
            categories__pending=False,
            categories__category__rank__gt=ranked[0].rank if ranked else 0,
        )
        .exclude(pk__in=[s.pk for s in listed])
        .select_related("trust")
        .order_by("urn")
    )
    schools_demo.load_governors(
        schools=[*listed, *supported], officer=officer, named={head_school.pk: support_demo.HEAD_SCHOOL_CHAIR}
    )
    unnamed = support_selectors.priority_schools_without_partner(year).schools
    # The last by URN keeps no partner, so the partners page and the officer's home page show the gap.
    support_demo.name_partners(
        officer=officer,
        partners=list(partners),
        schools=sorted(unnamed, key=lambda s: s.urn)[:-1],
        year=year,
        today=today,
    )


def _education_improvement_group(officer: User, today: date) -> None:
    """Seed 004, stage 5: the group's last half-termly meeting, and the demo escalation taken to its next."""
    siab.record_eig_meeting(
        by=officer,
        held_on=today - timedelta(days=28),
        notes="Reviewed the priority schools escalated by BEP this half-term and the trusts' responses.",
        themes="Governance capacity in small maintained primaries; recruitment of headteachers.",
        actions="BCC to brief governor services on the two federations proposed; RSC to raise one trust's "
        "response with its CEO.",
    )
    escalation = Escalation.objects.filter(eig_meeting__isnull=True).order_by("pk").first()
    if escalation is not None:
        services.update_escalation(
            escalation=escalation,
            by=officer,
            status=Escalation.Status.TO_EIG,
            outcome="",
            eig_meeting_on=today + timedelta(days=14),
        )


def _date_the_history(year: int) -> None:
    """The demo loads everything today; date the imports and the category decisions at the start
    of the year, as they would be, so the next agenda shows only what came after the board's
    October review."""
    start = timezone.make_aware(datetime.combine(date(year, 9, 1), time(9)))
    ImportRun.objects.update(started_at=start, finished_at=start)
    with acting(reason=DATED):
        audit.update(CategoryDecision.objects.all(), decided_at=start + timedelta(days=9))


def _first_wednesday(year: int) -> date:
    day = date(year, 9, 2)
    return day + timedelta(days=(2 - day.weekday()) % 7)


def _make_sure_listed(school: School, year: int, today: date) -> None:
    PriorityEntry.objects.get_or_create(
        school=school,
        academic_year=year,
        defaults={
            "reason": PriorityEntry.Reason.OFSTED_CONCERN,
            "evidence": "Latest inspection: a concern",
            "proposed_on": today,
        },
    )


# The year's letters the demo leaves for the officer to send (on their home page's work queue); the
# rest went out, as they would have by December.
LETTERS_LEFT_TO_SEND = 3


def _letters(officer: User, head_school: School, year: int, today: date) -> None:
    services.annual_letters(year=year, by=officer, la_id=head_school.la_id)
    annual = [LetterKind.PRIORITY, LetterKind.NOT_PRIORITY]
    unsent = list(
        Letter.objects.filter(academic_year=year, kind__in=annual, school__la_id=head_school.la_id, sent_on=None)
        .exclude(school=head_school)
        .order_by("school__name")
    )
    head_letter = head_school.letters.filter(kind=LetterKind.PRIORITY, sent_on=None).first()
    for letter in ([head_letter] if head_letter else []) + unsent[LETTERS_LEFT_TO_SEND:]:
        services.mark_sent(letter=letter, by=officer, sent_on=today, recipients=letter.recipients)


def notice_dates(recommended_on: date, today: date) -> tuple[date, date, int]:
    """The demo notice's DCS response, issue date and compliance period: in order after the board's
    recommendation, none in the future, and the deadline ten days ahead (near, on the officer's home page)."""
    responded = min(recommended_on + timedelta(days=7), today)
    issued = max(responded, today - timedelta(days=20))
    return responded, issued, (today + timedelta(days=10) - issued).days


def _statutory(officer, board_member, partner, head_school, meeting, today) -> None:
    listed = list(
        PriorityEntry.objects.filter(status=PriorityEntry.Status.ON_LIST)
        .exclude(school=head_school)
        .select_related("school")
        .order_by("school__urn")
    )
    if not listed:
        return
    concern = listed[0].school
    services.decide(
        school=concern,
        kind=Decision.Kind.LETTER_OF_CONCERN,
        rationale="The governing body has not met the priority partner this term and two plan actions are overdue.",
        by=board_member,
        meeting=meeting,
    )
    maintained = [e.school for e in listed[1:] if e.school.is_maintained]
    if maintained:
        school = maintained[0]
        decision = services.decide(
            school=school,
            kind=Decision.Kind.RECOMMEND_WARNING_NOTICE,
            rationale="Standards have stayed unacceptably low for two years despite intensive support.",
            by=board_member,
            meeting=meeting,
        )
        notice = decision.warning_notice
        responded, issued, period = notice_dates(notice.recommended_on, today)
        services.notice_step(notice=notice, step="accept", by=officer, on=responded, comment="Accepted by the DCS")
        services.notice_step(
            notice=notice,
            step="issue",
            by=officer,
            on=issued,
            grounds=["low_standards"],
            required_action="Agree a Statement of Action with the LA within the period, and show at each monthly "
            "review that the actions on reading and mathematics are on track.",
            compliance_period_days=period,
        )
    services.escalate(
        school=head_school,
        by=partner,
        reason="The governing body has twice cancelled the meeting to agree the Statement of Action.",
    )
    notice = services.log_inspection_notice(
        school=head_school,
        by=officer,
        notified_on=today - timedelta(days=3),
        starts_on=today - timedelta(days=2),
        partner_attending=partner,
    )
    services.record_inspection_feedback(
        notice=notice,
        by=partner,
        feedback_notes="Inspectors recognised the improvements in early reading; "
        "leadership capacity remains a concern.",
        further_support_indicated=True,
    )


def load_school_improvement_board(*, officer: User) -> None:
    """Warwickshire's board as its 2013 proposal writes it (seed 002, section 7): its consortia of
    schools with their lead members (``schools.demo.load_consortia``), and a School Improvement Board
    of those leads plus the LA's representation, the officer, holding a single vote. Run in
    Warwickshire's scope; a second run leaves it as it is."""
    schools_demo.load_consortia(officer=officer)
    if improvement_board.constitution() is None:
        improvement_board.constitute(kind="school_improvement", la_representatives=[officer], by=officer)
