"""The advisory board through the database: the annual cycle of the priority list, generated
agendas, decisions and what they apply, letters, the board pack and who may see what."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from boards import pack, selectors, services
from boards.demo import notice_dates
from boards.models import AgendaItem, BoardMeeting, Decision, Letter, PriorityEntry, WarningNotice
from categorisation import services as categorisation
from schools.access import visible_schools
from schools.imports import refresh_latest_inspections
from support import services as support
from support.models import SelfReferral
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgendaItemFactory,
    BoardMeetingFactory,
    InspectionFactory,
    PriorityEntryFactory,
    PriorityFactory,
    SchoolFactory,
    SelfReferralFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = support.selectors.current_year(TODAY)


def maintained(school, outcome=""):
    school.type_group_name, school.type_name = "Local authority maintained schools", "Community school"
    school.ofsted_outcome = outcome
    school.save()
    return school


def on_list(school, reason=PriorityEntry.Reason.OFSTED_RI):
    return PriorityEntryFactory(
        school=school, academic_year=YEAR, reason=reason, status=PriorityEntry.Status.ON_LIST, added_on=TODAY
    )


def held_meeting(on, *schools):
    meeting = BoardMeetingFactory(meets_on=on, status=BoardMeeting.Status.HELD, created_by=None)
    for school in schools:
        AgendaItemFactory(meeting=meeting, school=school, reasons=["Reviewed"], kinds=[])
    return meeting


@pytest.fixture
def meeting(db):
    return BoardMeetingFactory(meets_on=TODAY, created_by=None)


# The annual cycle ----------------------------------------------------------------------------------------


class TestAnnualCycle:
    def test_the_proposed_list_takes_maintained_schools_of_concern_and_agreed_self_referrals(self, olivia, birmingham):
        ri = maintained(SchoolFactory(name="RI School", la=birmingham), "requires_improvement")
        urgent = maintained(SchoolFactory(name="Urgent School", la=birmingham), "rc_urgent_improvement")
        academy = SchoolFactory(name="RI Academy", la=birmingham, ofsted_outcome="requires_improvement")
        academy.type_group_name = "Academies"
        academy.save()
        good = maintained(SchoolFactory(name="Good School", la=birmingham), "good")
        referred = maintained(SchoolFactory(name="Referred School", la=birmingham), "good")
        SelfReferralFactory(school=referred, status=SelfReferral.Status.CONSIDERED, response="Agreed with the head")
        assert services.propose_annual_list(year=YEAR, by=olivia) == 3
        proposed = {e.school.name: e.reason for e in PriorityEntry.objects.filter(status="proposed")}
        assert proposed == {
            "RI School": PriorityEntry.Reason.OFSTED_RI,
            "Urgent School": PriorityEntry.Reason.OFSTED_CONCERN,
            "Referred School": PriorityEntry.Reason.SELF_REFERRAL,
        }
        assert not PriorityEntry.objects.filter(school__in=[academy, good]).exists()
        # Proposing again adds nothing.
        assert services.propose_annual_list(year=YEAR, by=olivia) == 0
        assert {ri, urgent} <= {e.school for e in PriorityEntry.objects.all()}

    def test_seed_004_an_inadequate_key_judgement_is_a_concern_not_good_but_vulnerable(self, olivia, birmingham):
        inadequate = maintained(SchoolFactory(name="Key Judgement School", la=birmingham))
        InspectionFactory(school=inadequate, judgements_only=True, quality_of_education=2, leadership_and_management=4)
        ri = maintained(SchoolFactory(name="Key Judgement RI School", la=birmingham))
        InspectionFactory(school=ri, judgements_only=True, quality_of_education=3, leadership_and_management=2)
        good = maintained(SchoolFactory(name="Key Judgement Good School", la=birmingham))
        InspectionFactory(school=good, judgements_only=True, quality_of_education=2, leadership_and_management=2)
        refresh_latest_inspections({inadequate.pk, ri.pk, good.pk})
        services.propose_annual_list(year=YEAR, by=olivia)
        proposed = {e.school.name: (e.reason, e.evidence) for e in PriorityEntry.objects.filter(status="proposed")}
        assert proposed == {
            "Key Judgement School": (
                PriorityEntry.Reason.OFSTED_CONCERN,
                "Latest inspection: a key judgement inadequate",
            ),
            "Key Judgement RI School": (
                PriorityEntry.Reason.OFSTED_RI,
                "Latest inspection: a key judgement requires improvement",
            ),
        }

    def test_the_board_agrees_the_list_leaving_a_school_off_with_the_reason(self, bella, olivia, ashfield, castle):
        maintained(ashfield, "requires_improvement")
        maintained(castle, "inadequate")
        services.propose_annual_list(year=YEAR, by=olivia)
        left = PriorityEntry.objects.get(school=castle)
        with pytest.raises(ValidationError):
            services.agree_annual_list(year=YEAR, by=bella, rationale="Agreed", leave_out={left.pk: " "})
        added = services.agree_annual_list(
            year=YEAR, by=bella, rationale="Agreed at the October meeting", leave_out={left.pk: "Academy order made"}
        )
        assert added == 1
        assert PriorityEntry.objects.get(school=ashfield).status == PriorityEntry.Status.ON_LIST
        assert PriorityEntry.objects.get(school=castle).status == PriorityEntry.Status.NOT_ADDED
        decisions = {d.school: (d.kind, d.rationale) for d in Decision.objects.all()}
        assert decisions == {
            ashfield: (Decision.Kind.ADD, "Agreed at the October meeting"),
            castle: (Decision.Kind.NO_CHANGE, "Academy order made"),
        }

    def test_the_list_needs_a_rationale_and_a_board_member_or_officer(self, alice, olivia):
        with pytest.raises(ValidationError, match="rationale"):
            services.agree_annual_list(year=YEAR, by=olivia, rationale="  ")
        with pytest.raises(PermissionDenied):
            services.agree_annual_list(year=YEAR, by=alice, rationale="Agreed")

    def test_the_year_end_review_carries_the_kept_schools_forward(self, bella, ashfield, castle):
        kept, dropped = on_list(ashfield), on_list(castle)
        assert services.carry_forward(from_year=YEAR, keep=[kept.pk], by=bella, rationale="Still RI") == 1
        next_year = PriorityEntry.objects.get(academic_year=YEAR + 1)
        assert (next_year.school, next_year.source) == (ashfield, PriorityEntry.Source.CARRIED_FORWARD)
        assert Decision.objects.get(school=castle).outcome.startswith("Not carried forward")
        assert dropped.school not in [e.school for e in PriorityEntry.objects.filter(academic_year=YEAR + 1)]


# Meetings and the generated agenda -------------------------------------------------------------------------


def test_meetings_are_fortnightly_and_skip_the_holidays(olivia):
    made = services.schedule_meetings(first=date(2026, 12, 2), until=date(2027, 1, 27), by=olivia)
    days = [m.meets_on for m in made]
    # 30 December falls in the Christmas holidays.
    assert days == [date(2026, 12, 2), date(2026, 12, 16), date(2027, 1, 13), date(2027, 1, 27)]
    assert services.schedule_meetings(first=date(2026, 12, 2), until=date(2027, 1, 27), by=olivia) == []


class TestAgenda:
    def test_a_school_with_a_new_inspection_since_its_last_review_appears(self, meeting, ashfield, beacon_hill):
        on_list(ashfield)
        on_list(beacon_hill)
        held_meeting(TODAY - timedelta(days=14), ashfield, beacon_hill)
        InspectionFactory(
            school=ashfield,
            start_date=TODAY - timedelta(days=7),
            publication_date=TODAY - timedelta(days=3),
            overall_effectiveness=4,
        )
        services.generate_agenda(meeting=meeting)
        items = {i.school: i for i in meeting.items.all()}
        assert set(items) == {ashfield}  # Beacon Hill: nothing new, reviewed a fortnight ago
        assert items[ashfield].kinds == ["inspection"]
        assert items[ashfield].reasons[0].startswith("New inspection")

    def test_an_inspection_before_the_last_review_does_not_count(self, meeting, ashfield):
        on_list(ashfield)
        InspectionFactory(school=ashfield, start_date=TODAY - timedelta(days=40), overall_effectiveness=3)
        held_meeting(TODAY - timedelta(days=14), ashfield)
        services.generate_agenda(meeting=meeting)
        assert not meeting.items.exists()

    def test_self_referrals_appear_even_for_schools_not_on_the_list(self, meeting, castle, hannah):
        SelfReferralFactory(school=castle, reason="Our head has resigned with immediate effect")
        services.generate_agenda(meeting=meeting)
        item = meeting.items.get()
        assert item.school == castle
        assert "Our head has resigned" in item.reasons[0]

    def test_overdue_actions_and_a_school_not_reviewed_for_weeks_appear(self, meeting, ashfield, beacon_hill):
        on_list(ashfield)
        on_list(beacon_hill)
        ActionFactory(
            priority=PriorityFactory(plan__school=ashfield, plan__academic_year=YEAR),
            deadline=TODAY - timedelta(days=1),
        )
        held_meeting(TODAY - timedelta(weeks=10), ashfield, beacon_hill)
        services.generate_agenda(meeting=meeting)
        kinds = {i.school: i.kinds for i in meeting.items.all()}
        assert kinds == {ashfield: ["overdue"], beacon_hill: ["not_reviewed"]}

    def test_regenerating_keeps_dropped_and_added_items(self, meeting, ashfield, castle, olivia):
        on_list(ashfield)
        services.generate_agenda(meeting=meeting)
        item = meeting.items.get(school=ashfield)
        services.drop_item(item=item, reason="Discussed last week at the concern meeting", by=olivia)
        services.add_item(meeting=meeting, school=castle, reason="Governors asked for a review", by=olivia)
        services.generate_agenda(meeting=meeting)
        items = {i.school: i for i in meeting.items.all()}
        assert items[ashfield].dropped
        assert items[ashfield].drop_reason.startswith("Discussed")
        assert items[castle].origin == AgendaItem.Origin.ADDED

    def test_the_agenda_costs_the_same_queries_for_2_or_20_schools(self, meeting, birmingham):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def run():
            with CaptureQueriesContext(connection) as ctx:
                selectors.with_news(meeting, 8)
            return len(ctx.captured_queries)

        for school in SchoolFactory.create_batch(2, la=birmingham):
            on_list(school)
            InspectionFactory(school=school, start_date=TODAY - timedelta(days=5))
        small = run()
        for school in SchoolFactory.create_batch(18, la=birmingham):
            on_list(school)
            InspectionFactory(school=school, start_date=TODAY - timedelta(days=5))
        assert run() == small


# Decisions --------------------------------------------------------------------------------------------------


class TestDecisions:
    def test_a_decision_without_a_rationale_is_refused(self, bella, ashfield, meeting):
        on_list(ashfield)
        with pytest.raises(ValidationError, match="rationale"):
            services.decide(school=ashfield, kind="no_change", rationale=" ", by=bella, meeting=meeting)
        assert not Decision.objects.exists()

    def test_adding_puts_the_school_on_the_list_and_drafts_the_letter(self, bella, ashfield, meeting):
        AgendaItemFactory(meeting=meeting, school=ashfield, reasons=["Self-referral"], kinds=[])
        decision = services.decide(
            school=ashfield,
            kind="add",
            reason="in_crisis",
            rationale="The head and deputy have both left; leadership must be stabilised.",
            by=bella,
            meeting=meeting,
        )
        entry = PriorityEntry.objects.get(school=ashfield)
        assert (entry.status, entry.reason) == (PriorityEntry.Status.ON_LIST, "in_crisis")
        letter = Letter.objects.get(decision=decision)
        assert letter.kind == "priority"
        assert "leadership must be stabilised" in letter.body
        assert "Ashfield Primary School" in letter.subject
        assert letter.sent_on is None

    def test_seed_004_a_letter_of_concern_goes_to_the_head_and_the_governors(self, bella, ashfield, meeting):
        on_list(ashfield)
        decision = services.decide(
            school=ashfield,
            kind="letter_of_concern",
            rationale="No engagement with the priority partner since September.",
            by=bella,
            meeting=meeting,
        )
        letter = Letter.objects.get(decision=decision)
        assert letter.kind == "concern"
        assert "No engagement with the priority partner" in letter.body
        assert any("chair of governors" in line.lower() for line in letter.recipients.splitlines())
        assert any("headteacher" in line.lower() for line in letter.recipients.splitlines())

    def test_removing_a_school_that_fails_the_criterion_needs_confirmation_and_a_reason(self, bella, ashfield, meeting):
        on_list(ashfield)
        InspectionFactory(school=ashfield, overall_effectiveness=3, start_date=date(2026, 3, 1))
        refresh_latest_inspections({ashfield.pk})
        ashfield.refresh_from_db()
        with pytest.raises(ValidationError) as refused:
            services.decide(school=ashfield, kind="remove", rationale="Improving fast", by=bella, meeting=meeting)
        assert "removal criterion is not met" in str(refused.value)
        with pytest.raises(ValidationError):
            services.decide(
                school=ashfield, kind="remove", rationale="Improving", by=bella, meeting=meeting, confirm_removal=True
            )
        decision = services.decide(
            school=ashfield,
            kind="remove",
            rationale="Improving fast",
            by=bella,
            meeting=meeting,
            confirm_removal=True,
            removal_override="The school is converting to an academy next month.",
        )
        assert decision.removal_criterion_met is False
        assert PriorityEntry.objects.get(school=ashfield).status == PriorityEntry.Status.REMOVED

    def test_removing_a_good_school_needs_no_confirmation(self, bella, ashfield, meeting):
        entry = on_list(ashfield)
        InspectionFactory(school=ashfield, overall_effectiveness=2, start_date=date(2026, 3, 1))
        refresh_latest_inspections({ashfield.pk})
        ashfield.refresh_from_db()
        # A school that joined the list after that inspection (agreed vulnerable, say) is not suggested.
        entry.added_on = date(2026, 4, 1)
        entry.save()
        assert selectors.removal_suggestions(YEAR) == []
        entry.added_on = date(2025, 10, 10)
        entry.save()
        assert [e.school for e, _ in selectors.removal_suggestions(YEAR)] == [ashfield]
        decision = services.decide(school=ashfield, kind="remove", rationale="Judged good", by=bella, meeting=meeting)
        assert decision.removal_criterion_met is True

    def test_seed_004_a_good_judgement_from_before_the_school_joined_the_list_is_not_received(
        self, bella, ashfield, meeting
    ):
        entry = on_list(ashfield)
        entry.added_on = date(2025, 10, 10)
        entry.save()
        InspectionFactory(school=ashfield, overall_effectiveness=2, start_date=date(2014, 6, 4))
        refresh_latest_inspections({ashfield.pk})
        ashfield.refresh_from_db()
        verdict = selectors.removal_verdict(ashfield)
        assert not verdict.met
        assert verdict.why == (
            "Judged good at the latest inspection (4 June 2014), but that was before the school joined the list on "
            "10 October 2025: no judgement of good or better has been received since."
        )
        with pytest.raises(ValidationError, match="removal criterion is not met"):
            services.decide(school=ashfield, kind="remove", rationale="Judged good", by=bella, meeting=meeting)

    def test_seed_004_a_year_carried_forward_continues_the_stay_the_judgement_is_counted_from(self, ashfield):
        PriorityEntryFactory(
            school=ashfield, academic_year=YEAR - 1, status=PriorityEntry.Status.ON_LIST, added_on=date(2024, 10, 1)
        )
        carried = PriorityEntryFactory(
            school=ashfield,
            academic_year=YEAR,
            status=PriorityEntry.Status.ON_LIST,
            source=PriorityEntry.Source.CARRIED_FORWARD,
            added_on=TODAY,
        )
        assert selectors.listed_since(carried) == date(2024, 10, 1)

    def test_seed_004_an_ungraded_outcome_saying_standards_may_not_be_maintained_stops_removal(self, ashfield):
        entry = on_list(ashfield)
        entry.added_on = date(2024, 10, 10)
        entry.save()
        InspectionFactory(school=ashfield, overall_effectiveness=2, start_date=date(2025, 3, 1))
        InspectionFactory(
            school=ashfield, ungraded=True, start_date=date(2025, 11, 5), ungraded_outcome="Some aspects not as strong"
        )
        refresh_latest_inspections({ashfield.pk})
        ashfield.refresh_from_db()
        verdict = selectors.removal_verdict(ashfield)
        assert not verdict.met
        assert "(‘Some aspects not as strong’) indicates standards may not be maintained" in verdict.why
        assert selectors.removal_suggestions(YEAR) == []

    def test_changing_support_adjusts_the_package(self, bella, olivia, ashfield, meeting):
        on_list(ashfield)
        categorisation.recategorise(trigger="manual")
        categorisation.agree_category(school=ashfield, by=olivia, category_code="focused", rationale="Agreed")
        package = support.create_package(school=ashfield, year=YEAR, by=olivia)
        services.decide(
            school=ashfield,
            kind="change_support",
            support_kind="adviser",
            support_days=Decimal(2),
            rationale="Needs more help with reading",
            by=bella,
            meeting=meeting,
        )
        adjustment = package.adjustments.get()
        assert (adjustment.change, adjustment.reason) == (Decimal(2), "Board decision: Needs more help with reading")

    def test_recommending_a_warning_notice_starts_one(self, bella, ashfield, meeting):
        maintained(ashfield)
        on_list(ashfield)
        decision = services.decide(
            school=ashfield,
            kind="recommend_warning_notice",
            rationale="No progress in a year",
            by=bella,
            meeting=meeting,
        )
        notice = WarningNotice.objects.get()
        assert (notice.decision, notice.status) == (decision, WarningNotice.Status.RECOMMENDED)
        assert "Director of Children's Services" in decision.outcome

    def test_a_board_member_cannot_decide_on_a_school_outside_the_list_and_agenda(self, bella, castle, meeting):
        with pytest.raises(PermissionDenied):
            services.decide(school=castle, kind="no_change", rationale="x", by=bella, meeting=meeting)


# Letters, visibility, the pack -----------------------------------------------------------------------------


def test_a_sent_letter_tells_the_head_of_the_decision(bella, olivia, hannah, ashfield, meeting):
    AgendaItemFactory(meeting=meeting, school=ashfield, reasons=["x"], kinds=[])
    decision = services.decide(
        school=ashfield,
        kind="add",
        reason="vulnerable",
        rationale="New head, falling results",
        by=bella,
        meeting=meeting,
    )
    assert list(selectors.decisions_for(hannah, ashfield)) == []
    letter = decision.letters.get()
    services.mark_sent(letter=letter, by=olivia, sent_on=TODAY, recipients=letter.recipients)
    assert list(selectors.decisions_for(hannah, ashfield)) == [decision]
    assert list(selectors.letters_for(hannah, ashfield)) == [letter]
    with pytest.raises(ValidationError, match="already been sent"):
        services.mark_sent(letter=letter, by=olivia, sent_on=TODAY, recipients="x")


def test_board_members_see_listed_and_agenda_schools_only(bella, ashfield, beacon_hill, castle, meeting):
    on_list(ashfield)
    AgendaItemFactory(meeting=meeting, school=beacon_hill, reasons=["Self-referral"], kinds=[])
    assert set(visible_schools(bella)) == {ashfield, beacon_hill}


def test_an_unknown_merge_field_is_refused(olivia):
    from boards.models import LetterTemplate

    template = LetterTemplate.objects.get(kind="concern")
    with pytest.raises(ValidationError, match="shcool_name"):
        services.update_template(template=template, subject="x", body="Dear {shcool_name}", by=olivia)


def test_the_pack_names_each_school_its_reasons_and_decisions_and_is_built_once(settings, tmp_path, bella, ashfield):
    settings.MEDIA_ROOT = tmp_path
    meeting = BoardMeetingFactory(meets_on=TODAY, created_by=None)
    item = AgendaItemFactory(meeting=meeting, school=ashfield, reasons=["New inspection: inadequate"], kinds=[])
    services.decide(
        school=ashfield,
        kind="add",
        reason="ofsted_concern",
        rationale="Inadequate at its latest inspection",
        by=bella,
        meeting=meeting,
        item=item,
    )
    assert pack.build(meeting.pk) == {"meeting": meeting.pk, "built": True}
    meeting.refresh_from_db()
    text = "".join(page.extract_text() for page in PdfReader(meeting.pack.path).pages)
    for expected in ("Ashfield Primary School", "New inspection: inadequate", "Inadequate at its latest inspection"):
        assert expected in " ".join(text.split())
    assert meeting.meets_on.strftime("%B %Y") in text
    first = (meeting.pack.name, meeting.pack_built_at)
    assert pack.build(meeting.pk) == {"meeting": meeting.pk, "built": False}
    meeting.refresh_from_db()
    assert (meeting.pack.name, meeting.pack_built_at) == first


def test_an_inspection_brought_by_the_ofsted_file_is_the_notices_outcome(olivia, alice, ashfield):
    notice = services.log_inspection_notice(
        school=ashfield,
        by=olivia,
        notified_on=TODAY - timedelta(days=9),
        starts_on=TODAY - timedelta(days=8),
        partner_attending=alice,
    )
    assert selectors.published_inspection(notice) is None
    published = InspectionFactory(school=ashfield, report_card=True, start_date=TODAY - timedelta(days=8))
    assert selectors.published_inspection(notice) == published
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_inspection_outcome(notice=notice, by=olivia, grades={"rc_inclusion": 3}, safeguarding_met=True)


def test_a_letter_sent_in_december_asks_for_the_plan_by_the_next_deadline_not_october_half_term(olivia, ashfield):
    letter = services.draft_letter(school=ashfield, kind="priority", by=olivia, dated=date(2026, 12, 4))
    assert "to agree an action plan by 12 February 2027." in letter.body
    assert "October half-term" not in letter.body


def test_seed_004_a_letter_to_a_school_carried_forward_asks_for_the_plan_by_october_half_term(olivia, ashfield):
    ActionPlanFactory(school=ashfield, academic_year=2025, due_by=date(2025, 10, 25))
    letter = services.draft_letter(school=ashfield, kind="priority", by=olivia, dated=date(2026, 9, 10))
    assert "to agree an action plan by 24 October 2026." in letter.body


# Warning notices: dates in order, the report back to the board, an academy's termination warning notice --------

ACTION = "Agree a Statement of Action and show progress on reading at each monthly review"


def recommended(school, by, on):
    """A recommendation made at the board meeting held ``on``."""
    meeting = held_meeting(on, school)
    decision = services.decide(
        school=school, kind="recommend_warning_notice", rationale="No progress in a year", by=by, meeting=meeting
    )
    return decision.warning_notice


def issue(notice, by, on, **extra):
    given = {"grounds": ["low_standards"], "required_action": ACTION, "compliance_period_days": 28} | extra
    return services.notice_step(notice=notice, step="issue", by=by, on=on, **given)


class TestNoticeDates:
    def test_the_recommendation_is_dated_by_the_board_meeting(self, olivia, ashfield):
        notice = recommended(maintained(ashfield), olivia, TODAY - timedelta(days=10))
        assert notice.recommended_on == TODAY - timedelta(days=10)

    def test_seed_004_a_dcs_response_dated_before_the_recommendation_is_refused(self, olivia, ashfield):
        notice = recommended(maintained(ashfield), olivia, TODAY - timedelta(days=10))
        with pytest.raises(ValidationError) as refused:
            services.notice_step(notice=notice, step="accept", by=olivia, on=TODAY - timedelta(days=11))
        message = refused.value.message_dict["on"][0]
        assert message.startswith("The DCS response date (")
        assert "must be on or after the date the board recommended the notice" in message
        notice.refresh_from_db()
        assert (notice.status, notice.dcs_response_on) == (WarningNotice.Status.RECOMMENDED, None)

    def test_an_issue_date_before_the_dcs_response_is_refused(self, olivia, ashfield):
        notice = recommended(maintained(ashfield), olivia, TODAY - timedelta(days=10))
        services.notice_step(notice=notice, step="accept", by=olivia, on=TODAY - timedelta(days=5))
        with pytest.raises(ValidationError) as refused:
            issue(notice, olivia, TODAY - timedelta(days=6))
        assert "must be on or after the DCS response date" in refused.value.message_dict["on"][0]
        notice.refresh_from_db()
        assert (notice.status, notice.issued_on) == (WarningNotice.Status.ACCEPTED, None)

    def test_compliance_and_lifting_follow_the_issue_in_order_and_not_in_the_future(self, olivia, ashfield):
        notice = recommended(maintained(ashfield), olivia, TODAY - timedelta(days=10))
        services.notice_step(notice=notice, step="accept", by=olivia, on=TODAY - timedelta(days=8))
        issue(notice, olivia, TODAY - timedelta(days=6))
        assert notice.compliance_deadline == TODAY + timedelta(days=22)  # 28 days from issue: the period the LA set
        with pytest.raises(ValidationError, match="must be on or after the date the notice was issued"):
            services.notice_step(notice=notice, step="comply", by=olivia, on=TODAY - timedelta(days=7))
        with pytest.raises(ValidationError, match="cannot be in the future"):
            services.notice_step(notice=notice, step="comply", by=olivia, on=TODAY + timedelta(days=1))
        services.notice_step(notice=notice, step="comply", by=olivia, on=TODAY - timedelta(days=1))
        with pytest.raises(ValidationError, match="must be on or after the date the school complied"):
            services.notice_step(notice=notice, step="lift", by=olivia, on=TODAY - timedelta(days=2))

    def test_issuing_needs_the_action_the_governing_body_must_take(self, olivia, ashfield):
        notice = recommended(maintained(ashfield), olivia, TODAY)
        services.notice_step(notice=notice, step="accept", by=olivia, on=TODAY)
        with pytest.raises(ValidationError) as refused:
            issue(notice, olivia, TODAY, required_action=" ")
        assert refused.value.message_dict == {"required_action": ["Enter what the governing body must do to comply"]}

    def test_seed_004_the_dcs_response_and_the_action_taken_are_reported_back_on_the_boards_decision(
        self, olivia, ashfield
    ):
        notice = recommended(maintained(ashfield), olivia, TODAY - timedelta(days=10))
        services.notice_step(notice=notice, step="accept", by=olivia, on=TODAY - timedelta(days=8))
        issue(notice, olivia, TODAY - timedelta(days=6))
        decision = Decision.objects.get(pk=notice.decision_id)
        responded, issued = TODAY - timedelta(days=8), TODAY - timedelta(days=6)
        assert decision.outcome == (
            "Recommendation sent to the Director of Children's Services. "
            f"The DCS accepted the recommendation on {responded.day} {responded:%B %Y}. "
            f"The warning notice was issued on {issued.day} {issued:%B %Y}"
        )

    def test_an_academys_termination_warning_notice_is_the_regional_directors_in_order(self, olivia, beacon_hill):
        notice = recommended(beacon_hill, olivia, TODAY - timedelta(days=30))
        services.notice_step(notice=notice, step="refer", by=olivia, on=TODAY - timedelta(days=25))
        with pytest.raises(ValidationError) as refused:
            services.notice_step(
                notice=notice, step="rd_issue", by=olivia, on=TODAY - timedelta(days=26), comply_by=TODAY
            )
        assert "must be on or after the date of the referral" in refused.value.message_dict["on"][0]
        with pytest.raises(ValidationError) as refused:
            services.notice_step(notice=notice, step="rd_issue", by=olivia, on=TODAY - timedelta(days=20))
        assert "comply_by" in refused.value.message_dict
        services.notice_step(
            notice=notice, step="rd_issue", by=olivia, on=TODAY - timedelta(days=20), comply_by=TODAY + timedelta(5)
        )
        services.notice_step(notice=notice, step="rd_close", by=olivia, on=TODAY, outcome="terminated")
        notice.refresh_from_db()
        assert (notice.status, notice.rd_outcome, notice.issued_on) == ("rd_closed", "terminated", None)
        assert notice.rd_comply_by == TODAY + timedelta(days=5)
        outcome = Decision.objects.get(pk=notice.decision_id).outcome
        assert "The regional director gave a termination warning notice on" in outcome
        assert "concluded on" in outcome
        assert outcome.endswith("the funding agreement was terminated: the academy moves to another trust")
        with pytest.raises(ValidationError, match="does not issue warning notices to academies"):
            issue(notice, olivia, TODAY)


def test_the_demos_notice_dates_run_in_order_whenever_the_demo_is_loaded():
    for recommended_on in (TODAY - timedelta(days=60), TODAY - timedelta(days=3), TODAY, TODAY + timedelta(days=20)):
        responded, issued, period = notice_dates(min(recommended_on, TODAY), TODAY)
        assert min(recommended_on, TODAY) <= responded <= issued <= TODAY
        assert issued + timedelta(days=period) == TODAY + timedelta(days=10)
