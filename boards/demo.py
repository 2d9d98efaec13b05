"""Demo board: this year's meetings, the priority list proposed from the facts and agreed at an
October meeting, letters, a letter of concern, a warning notice near its compliance deadline, an
escalation, an inspection notification and the next meeting's agenda and pack — all written
through the services, so the demo follows the portal's rules. People and words are invented."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.audit import acting
from accounts.audit import bulk as audit
from accounts.models import User
from boards import improvement_board, pack, services
from boards.models import BoardMeeting, Decision, PriorityEntry
from categorisation.models import CategoryDecision
from schools import demo as schools_demo
from schools.models import ImportRun, School
from support.selectors import current_year

# The audit trail shows the demo's back-dating as what it is.
DATED = "Demo data: dated as the year would have run"


def load(*, officer: User, board_member: User, partner: User, head_school: School) -> None:
    """Add the demo's board records once; a second run leaves them as they are."""
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
        for meeting in past:
            services.record_meeting(
                meeting=meeting,
                by=officer,
                present=[board_member.pk],
                minutes="Reviewed the schools on the agenda; decisions recorded against each school.",
            )
        _letters(officer, head_school, year, today)
        _statutory(officer, board_member, partner, head_school, october, today)
        upcoming = services.next_meeting(today)
        if upcoming:
            services.generate_agenda(meeting=upcoming, by=officer)
    if upcoming:
        pack.build(upcoming.pk)


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


def _letters(officer: User, head_school: School, year: int, today: date) -> None:
    services.annual_letters(year=year, by=officer, la_id=head_school.la_id)
    letter = head_school.letters.filter(kind="priority").first()
    if letter:
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
