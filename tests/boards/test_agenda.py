"""A board agenda a board can get through: items ranked by what needs a decision, routine reviews
agreed in one consent list with exceptions pulled out, the next item after each decision, the
decisions offered by the school's place on the list, the year-end review in its window and a pack
that opens with a short summary."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from boards import agenda, annual_selectors, pack, selectors, services
from boards.agenda import Dated, Kind, News, SchoolNews, decisions_offered, kind_of, reasons
from boards.models import AgendaItem, Decision, PriorityEntry
from support import calendar
from support.models import AcademicYear, HalfTerm
from support.selectors import current_year
from tests.factories import AgendaItemFactory, BoardMeetingFactory, PriorityEntryFactory, SchoolFactory
from tests.roles import ROLES

TODAY = timezone.localdate()
YEAR = current_year(TODAY)
ROUTINE = ["Not reviewed for 8 weeks (last on 8 October 2026)"]


# Ranking, as plain Python -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kinds", "kind"),
    [
        (["escalation"], Kind.ESCALATION),
        (["inspection", "escalation", "self_referral"], Kind.ESCALATION),
        (["warning_notice", "self_referral"], Kind.WARNING_NOTICE),
        (["overdue", "self_referral"], Kind.SELF_REFERRAL),
        (["removal"], Kind.REMOVAL),
        (["proposed"], Kind.ADDITION),
        (["inspection"], Kind.OTHER),
        (["first_review"], Kind.OTHER),
        (["added"], Kind.OTHER),
        ([], Kind.OTHER),
        (["not_reviewed"], Kind.ROUTINE),
        (["not_reviewed", "pulled"], Kind.OTHER),
    ],
)
def test_an_item_goes_where_its_most_pressing_news_puts_it(kinds, kind):
    assert kind_of(kinds) == kind


def test_the_agenda_takes_escalations_first_and_routine_reviews_last():
    order = sorted(Kind, key=agenda.rank)
    assert order == [
        Kind.ESCALATION,
        Kind.WARNING_NOTICE,
        Kind.SELF_REFERRAL,
        Kind.REMOVAL,
        Kind.ADDITION,
        Kind.OTHER,
        Kind.ROUTINE,
    ]
    assert [k.label for k in order][:2] == ["Escalations", "Warning notices"]


def test_a_school_on_the_list_never_reviewed_is_a_first_review_not_a_routine_one():
    found = reasons(SchoolNews(1, on_list=True), date(2026, 3, 10))
    assert [r.kind for r in found] == [News.FIRST_REVIEW]
    assert kind_of([r.kind for r in found]) == Kind.OTHER


def test_a_warning_notice_and_the_removal_criterion_since_the_last_review_are_news():
    news = SchoolNews(
        1,
        last_reviewed=date(2026, 2, 10),
        on_list=True,
        warning_notices=[Dated(date(2026, 2, 20), "issued on 20 February 2026")],
        removal=Dated(date(2026, 2, 12), "The latest inspection (12 February 2026) is good."),
    )
    found = reasons(news, date(2026, 3, 10))
    assert [(r.kind, r.text) for r in found] == [
        (News.WARNING_NOTICE, "Formal warning notice: issued on 20 February 2026"),
        (News.REMOVAL, "Meets the removal criterion: The latest inspection (12 February 2026) is good."),
    ]
    assert kind_of([r.kind for r in found]) == Kind.WARNING_NOTICE


def test_the_removal_criterion_met_before_the_last_review_is_not_news_again():
    news = SchoolNews(1, last_reviewed=date(2026, 2, 10), on_list=True, removal=Dated(date(2026, 1, 5), "Good."))
    assert [r.kind for r in reasons(news, date(2026, 4, 10))] == [News.NOT_REVIEWED]


# The decisions offered ------------------------------------------------------------------------------


def test_the_decisions_are_the_boards_decision_kinds():
    assert Decision.Kind.values == agenda.DECISIONS


@pytest.mark.parametrize(
    ("on_list", "left_out"),
    [(True, {"add", "agree_category"}), (False, {"remove", "agree_category"}), (None, {"agree_category"})],
)
def test_a_school_on_the_list_cannot_be_added_nor_one_off_it_removed(on_list, left_out):
    assert set(Decision.Kind.values) - set(decisions_offered(on_list=on_list, categories=False)) == left_out
    assert "agree_category" in decisions_offered(on_list=on_list, categories=True)


# The year-end review ------------------------------------------------------------------------------------


def test_the_year_end_review_opens_at_the_last_half_term_and_not_in_december():
    terms = calendar.england_half_terms(2026)
    assert annual_selectors.year_end_review_opens(terms) == date(2027, 6, 7)
    assert not annual_selectors.year_end_review_open(2026, date(2026, 12, 5), terms)
    assert not annual_selectors.year_end_review_open(2026, date(2027, 6, 6), terms)
    assert annual_selectors.year_end_review_open(2026, date(2027, 6, 7), terms)
    assert annual_selectors.year_end_review_open(2026, date(2027, 8, 31), terms)
    assert not annual_selectors.year_end_review_open(2026, date(2027, 9, 1), terms)


def term_dates_with_today_in_the_last_half_term() -> None:
    """The authority's term dates set so that today falls in the year's last half-term."""
    year = AcademicYear.objects.create(start_year=YEAR)
    for number, name in enumerate(calendar.NAMES, start=1):
        starts = TODAY - timedelta(days=7 * (7 - number))
        HalfTerm.objects.create(year=year, number=number, name=name, starts=starts, ends=starts + timedelta(days=5))


@pytest.mark.django_db
def test_the_year_end_review_button_shows_only_in_the_year_end_window(client, bella, ashfield):
    PriorityEntryFactory(school=ashfield, academic_year=YEAR, status=PriorityEntry.Status.ON_LIST, added_on=TODAY)
    client.force_login(bella)
    opens = annual_selectors.year_end_review_opens(calendar.england_half_terms(YEAR))
    in_window = opens <= TODAY
    assert ("Year-end review</a>" in client.get(reverse("boards:list")).content.decode()) == in_window
    if not in_window:
        term_dates_with_today_in_the_last_half_term()
        assert "Year-end review</a>" in client.get(reverse("boards:list")).content.decode()


# The consent list ---------------------------------------------------------------------------------------


@pytest.fixture
def meeting(db):
    return BoardMeetingFactory(meets_on=TODAY, created_by=None)


def routine_items(meeting, n: int) -> list[AgendaItem]:
    return [
        AgendaItemFactory(meeting=meeting, school=school, reasons=ROUTINE, kinds=["not_reviewed"], position=10 + i)
        for i, school in enumerate(SchoolFactory.create_batch(n))
    ]


def escalation(meeting, school, position=1) -> AgendaItem:
    return AgendaItemFactory(
        meeting=meeting,
        school=school,
        reasons=["Escalated by the priority partner, 1 December 2026: governors cancelled twice"],
        kinds=["escalation"],
        position=position,
    )


@pytest.mark.django_db
class TestConsentList:
    def test_one_call_agrees_every_routine_review_and_pulls_out_the_exceptions(self, meeting, bella, ashfield):
        decided_first = escalation(meeting, ashfield)
        first, pulled, third = routine_items(meeting, 3)
        done = services.agree_consent_list(meeting=meeting, by=bella, pull=[pulled.pk])
        assert (done.agreed, done.pulled) == (2, 1)
        decisions = Decision.objects.filter(meeting=meeting)
        assert {d.item_id for d in decisions} == {first.pk, third.pk}
        assert {(d.kind, d.outcome, d.decided_by) for d in decisions} == {
            (Decision.Kind.NO_CHANGE, services.CONSENT_OUTCOME, bella)
        }
        assert all(d.rationale.startswith("Agreed on the consent list") for d in decisions)
        # Each decision is audited as one made by the member.
        history = Decision.history.filter(history_type="+")
        assert history.count() == 2
        assert {h.history_user_id for h in history} == {bella.pk}
        pulled.refresh_from_db()
        assert kind_of(pulled.kinds) == Kind.OTHER
        ranked = selectors.ranked(selectors.items_of(meeting))
        assert [(k, [i.pk for i in items]) for k, items in ranked.groups] == [
            (Kind.ESCALATION, [decided_first.pk]),
            (Kind.OTHER, [pulled.pk]),
        ]
        assert ranked.consent == []
        assert {i.pk for i in ranked.agreed} == {first.pk, third.pk}

    def test_a_second_agreement_finds_nothing_left_and_writes_nothing(self, meeting, bella):
        routine_items(meeting, 2)
        services.agree_consent_list(meeting=meeting, by=bella)
        with pytest.raises(ValidationError, match="already has a decision"):
            services.agree_consent_list(meeting=meeting, by=bella)
        assert Decision.objects.count() == 2

    def test_a_routine_review_decided_on_its_own_is_left_out(self, meeting, bella):
        alone, other = routine_items(meeting, 2)
        services.decide(school=alone.school, kind="no_change", rationale="Seen", by=bella, meeting=meeting, item=alone)
        assert services.agree_consent_list(meeting=meeting, by=bella).agreed == 1
        assert Decision.objects.filter(item=other).exists()

    def test_it_costs_the_same_queries_for_3_or_30_schools(self, meeting, bella):
        def run(n):
            BoardMeeting = type(meeting)
            fresh = BoardMeeting.objects.create(meets_on=meeting.meets_on + timedelta(days=n))
            routine_items(fresh, n)
            with CaptureQueriesContext(connection) as ctx:
                services.agree_consent_list(meeting=fresh, by=bella, pull=[])
            return len(ctx.captured_queries)

        assert run(3) == run(30)

    @pytest.mark.parametrize("who", ["alice", "hannah", "colin"])
    def test_only_board_members_and_officers_agree_it(self, meeting, everyone, who):
        routine_items(meeting, 1)
        with pytest.raises(PermissionDenied):
            services.agree_consent_list(meeting=meeting, by=everyone[who])

    def test_each_role_posting_the_consent_list(self, client, everyone, meeting):
        routine_items(meeting, 2)
        url = reverse("boards:consent", args=[meeting.pk])
        got = {}
        for role in ROLES:
            client.force_login(everyone[role])
            got[role] = client.post(url).status_code
        assert got == {role: 302 if role in ("olivia", "adam", "bella") else 403 for role in ROLES}
        client.force_login(everyone["bella"])
        assert client.get(url).status_code == 405
        assert Decision.objects.filter(meeting=meeting).count() == 2


# The meeting page and the next item ------------------------------------------------------------------


@pytest.mark.django_db
class TestPages:
    def test_the_meeting_shows_the_escalation_first_counts_by_kind_and_filters(self, client, bella, meeting, ashfield):
        routine_items(meeting, 3)
        escalation(meeting, ashfield, position=99)
        client.force_login(bella)
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert page.index("Escalations (1)") < page.index("Ashfield Primary School") < page.index("consent-list")
        assert "routine reviews (3)" in page
        assert "Agree the consent list" in page
        only = client.get(meeting.get_absolute_url() + "?kind=routine").content.decode()
        assert "Ashfield Primary School" not in only
        assert only.count('class="govuk-table__row consent-item"') == 3
        escalations = client.get(meeting.get_absolute_url() + "?kind=escalation").content.decode()
        assert "Ashfield Primary School" in escalations
        assert "consent-item" not in escalations

    def test_after_a_decision_the_member_lands_on_the_next_item(self, client, bella, meeting, ashfield, beacon_hill):
        first = escalation(meeting, ashfield)
        second = AgendaItemFactory(
            meeting=meeting, school=beacon_hill, reasons=["Self-referral"], kinds=["self_referral"]
        )
        routine_items(meeting, 2)
        client.force_login(bella)
        page = client.get(reverse("boards:decide", args=[first.pk])).content.decode()
        assert "Next item" in page
        assert reverse("boards:decide", args=[second.pk]) in page
        answer = client.post(
            reverse("boards:decide", args=[first.pk]),
            {"kind": "no_change", "rationale": "Discussed", "version": first.version},
            follow=True,
        )
        assert answer.redirect_chain[-1][0] == reverse("boards:decide", args=[second.pk])
        assert "Decision recorded for Ashfield Primary School" in answer.content.decode()
        answer = client.post(
            reverse("boards:decide", args=[second.pk]),
            {"kind": "no_change", "rationale": "Discussed", "version": second.version},
            follow=True,
        )
        assert answer.redirect_chain[-1][0] == meeting.get_absolute_url()
        assert "Every decision item on the agenda now has a decision" in answer.content.decode()

    def test_adding_a_school_already_on_the_list_is_neither_offered_nor_accepted(
        self, client, bella, meeting, ashfield
    ):
        PriorityEntryFactory(school=ashfield, academic_year=YEAR, status=PriorityEntry.Status.ON_LIST, added_on=TODAY)
        item = escalation(meeting, ashfield)
        client.force_login(bella)
        url = reverse("boards:decide", args=[item.pk])
        page = client.get(url).content.decode()
        assert "Add to the priority list" not in page
        assert "Remove from the priority list" in page
        assert 'data-module="govuk-radios"' in page
        assert "govuk-radios__conditional" in page
        answer = client.post(url, {"kind": "add", "reason": "ofsted_ri", "rationale": "Again", "version": item.version})
        assert answer.status_code == 200
        assert "Choose one of the decisions offered for this school" in answer.content.decode()
        assert not Decision.objects.exists()


# The pack -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_packs_summary_is_at_most_two_pages_with_94_schools(settings, tmp_path, meeting, ashfield, beacon_hill):
    settings.MEDIA_ROOT = tmp_path
    escalation(meeting, ashfield)
    AgendaItemFactory(
        meeting=meeting, school=beacon_hill, reasons=["Self-referral: head resigned"], kinds=["self_referral"]
    )
    for school in SchoolFactory.create_batch(2):
        AgendaItemFactory(meeting=meeting, school=school, reasons=["New inspection: inadequate"], kinds=["inspection"])
    routine_items(meeting, 90)
    pack.build(meeting.pk)
    meeting.refresh_from_db()
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(meeting.pack.path).pages]
    first_paper = next(n for n, text in enumerate(pages) if "Decision paper 1 of 4" in text)
    assert first_paper <= 2
    summary = " ".join(pages[:first_paper])
    assert "94 schools" in summary
    assert "Routine reviews (the consent list, appendix) 90" in summary
    assert (
        summary.index("Escalations") < summary.index("Ashfield Primary School") < summary.index("Beacon Hill Academy")
    )
    papers = [n for n, text in enumerate(pages) if "Decision paper" in text]
    assert len(papers) == 4
    appendix = next(n for n, text in enumerate(pages) if "Appendix: routine reviews on the consent list" in text)
    assert appendix > papers[-1]
    assert len(pages) - appendix <= 6  # 90 rows of a table, not 90 sections


def test_the_one_line_summary_of_an_item_is_the_reason_that_ranks_it():
    kinds = ["overdue", "escalation"]
    texts = ["1 overdue action in the plan", "Escalated by the priority partner: stalled"]
    assert agenda.headline(kinds, texts) == "Escalated by the priority partner: stalled"
    assert agenda.headline(["inspection", "data"], ["New inspection", "New data"]) == "New inspection"
    assert agenda.headline([], []) == ""
