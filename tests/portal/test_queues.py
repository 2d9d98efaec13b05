"""Each role's home page as a work queue (portal/queues.py, issue 23): the order of the items, what
each role's queue holds, the count beside "Home", and that the home page's queries do not grow with
the number of items."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards import deadlines
from boards.models import PriorityEntry, WarningNotice
from categorisation import services as categorisation
from portal import queues
from portal.queues import Item, Queue, Urgency, ordered
from schools.models import ImportRun
from support import selectors as support
from support import services
from support.models import ActionPlan, Visit, VisitReport
from tests.factories import (
    ActionPlanFactory,
    AgendaItemFactory,
    BoardMeetingFactory,
    EscalationFactory,
    ImportRunFactory,
    LetterFactory,
    MonthlyReportFactory,
    PriorityEntryFactory,
    SchoolFactory,
    SelfReferralFactory,
    VisitFactory,
    VisitReportFactory,
    WarningNoticeFactory,
)

TODAY = timezone.localdate()
YEAR = support.current_year(TODAY)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


# The order, without a database ------------------------------------------------------------------------


def test_overdue_first_then_by_due_date_then_newest_waiting_first():
    items = [
        Item("waiting long", "/a", since=days(-30)),
        Item("due later", "/b", due=days(40)),
        Item("overdue a little", "/c", due=days(-1)),
        Item("waiting a day", "/d", since=days(-1)),
        Item("due soon", "/e", due=days(3)),
        Item("overdue long", "/f", due=days(-20)),
        Item("no date", "/g"),
    ]
    assert [i.title for i in ordered(items)] == [
        "overdue long",
        "overdue a little",
        "due soon",
        "due later",
        "waiting a day",
        "waiting long",
        "no date",
    ]


def test_an_items_urgency_on_the_day():
    assert Item("x", "/", due=days(-1)).urgency(TODAY) == Urgency.OVERDUE
    assert Item("x", "/", due=TODAY).urgency(TODAY) == Urgency.DUE_SOON
    assert Item("x", "/", due=days(14)).urgency(TODAY) == Urgency.DUE_SOON
    assert Item("x", "/", due=days(15)).urgency(TODAY) == Urgency.DUE
    assert Item("x", "/", since=days(-3)).urgency(TODAY) == Urgency.WAITING


def test_groups_lead_with_the_most_urgent_and_show_the_first_few_of_their_count():
    queue = Queue(today=TODAY)
    queue.add("Waiting", [Item("w", "/", since=days(-2))], count=12, see_all="/all")
    queue.add("Nothing", [])
    queue.add("Overdue", [Item(f"o{n}", "/", due=days(-n)) for n in range(1, 8)])
    groups = queue.grouped()
    assert [g.heading for g in groups] == ["Overdue", "Waiting"]
    assert [i.title for i in groups[0].items] == ["o7", "o6", "o5", "o4", "o3"]
    assert (groups[0].count, groups[0].more) == (7, 2)
    assert (groups[1].count, groups[1].more, groups[1].see_all) == (12, 11, "/all")
    assert queue.count == 19


# Each role's queue ----------------------------------------------------------------------------------------


def headings(queue: Queue) -> dict[str, int]:
    return {g.heading: g.count for g in queue.grouped()}


@pytest.mark.django_db
def test_the_officers_queue_holds_each_kind_of_work(olivia, alice, ashfield, beacon_hill, castle):
    categorisation.recategorise(trigger="manual")  # a proposal for each school
    PriorityEntryFactory(school=ashfield, academic_year=YEAR)
    SelfReferralFactory(school=beacon_hill)
    ActionPlanFactory(school=castle, academic_year=YEAR, due_by=days(5))
    WarningNoticeFactory(school=ashfield, status=WarningNotice.Status.ISSUED, compliance_deadline=days(-2))
    WarningNoticeFactory(school=castle, status=WarningNotice.Status.ISSUED, compliance_deadline=days(3))
    EscalationFactory(school=beacon_hill, raised_by=alice)
    PriorityEntryFactory(school=castle, academic_year=YEAR, status=PriorityEntry.Status.ON_LIST, added_on=TODAY)
    LetterFactory(school=ashfield)
    report = VisitReportFactory(
        visit__school=ashfield, status=VisitReport.Status.RESPONDED, selected_for_qa=True, responded_at=timezone.now()
    )
    ImportRunFactory(status=ImportRun.Status.FAILED, message="The URN column is missing")
    ImportRunFactory(status=ImportRun.Status.FAILED, message="Cancelled by the officer")

    queue = queues.officer_queue(TODAY)
    found = headings(queue)
    assert found["Category proposals to decide"] == 3
    assert found["Priority list proposals to agree"] == 1
    assert found["New self-referrals"] == 1
    assert found["Action plans overdue or due soon"] == 1
    assert found["Warning notice compliance deadlines"] == 2
    assert found["Escalations waiting"] == 1
    assert found["Priority schools with no partner"] == 1
    assert found["Letters to send"] == 1
    assert found["Visit reports to quality-assure"] == 1
    assert found["Failed imports"] == 1  # not the cancelled one
    notices = next(g for g in queue.grouped() if g.heading == "Warning notice compliance deadlines")
    assert [(i.school, i.urgency(TODAY)) for i in notices.items] == [
        ("Ashfield Primary School", Urgency.OVERDUE),
        ("Castle Secondary School", Urgency.DUE_SOON),
    ]
    letters = next(g for g in queue.grouped() if g.heading == "Letters to send")
    assert letters.items[0].due == deadlines.Today.of(TODAY).october_half_term  # the annual letter's deadline
    assert deadlines.LETTER not in found  # the schools without a letter sent: on the overdue list only
    qa = next(g for g in queue.grouped() if g.heading == "Visit reports to quality-assure")
    assert qa.items[0].url == reverse("support:quality", args=[report.visit_id])
    proposals = next(g for g in queue.grouped() if g.heading == "Category proposals to decide")
    assert proposals.see_all == reverse("categorisation:queue")
    assert {i.url for i in proposals.items} >= {reverse("categorisation:decide", args=[ashfield.urn])}


@pytest.mark.django_db
def test_a_failed_import_leaves_the_queue_once_the_same_kind_imports(olivia):
    ImportRunFactory(status=ImportRun.Status.FAILED, message="Bad file")
    assert headings(queues.officer_queue(TODAY)).get("Failed imports") == 1
    ImportRunFactory(status=ImportRun.Status.SUCCEEDED)
    assert "Failed imports" not in headings(queues.officer_queue(TODAY))


def held(school, partner):
    return VisitFactory(
        school=school, visitor=partner, status=Visit.Status.HELD, held_on=days(-5), scheduled_for=days(-5)
    )


def shared_report(school, partner):
    visit = VisitFactory(school=school, visitor=partner, scheduled_for=days(-3))
    services.record_visit_held(visit=visit, by=partner, held_on=days(-3))
    report = services.start_report(visit=visit, by=partner)
    services.edit_report(report=report, by=partner, findings="Reading is strong.", next_steps="Extend it to year 6.")
    services.submit_report(report=report, by=partner)
    return services.share_report(report=report, by=partner)


def responded_report(school, partner, head):
    report = shared_report(school, partner)
    return services.respond_to_report(report=report, by=head, response="accurate", comment="Fair")


@pytest.mark.django_db
def test_the_partners_queue_and_the_heads_response_leaving_it_once_read(alice, hannah, ashfield):
    VisitFactory(school=ashfield, visitor=alice, scheduled_for=days(-1))
    VisitFactory(school=ashfield, visitor=alice, scheduled_for=days(10), purpose="Governors' meeting")
    VisitFactory(school=ashfield, visitor=alice, scheduled_for=days(40))  # not yet
    VisitFactory(school=ashfield, visitor=alice, status=Visit.Status.HELD, held_on=days(-2), scheduled_for=days(-2))
    VisitReportFactory(visit=held(ashfield, alice))  # a draft
    report = responded_report(ashfield, alice, hannah)
    ActionPlanFactory(school=ashfield, academic_year=YEAR, due_by=days(7))

    queue = queues.partner_queue(alice, TODAY)
    assert headings(queue) == {
        "Visits to hold": 2,
        "Visits held without a report": 1,
        "Reports to finish": 1,
        "The head responded": 1,
        "Action plans to draft or update": 1,
    }
    visits = next(g for g in queue.grouped() if g.heading == "Visits to hold")
    assert [i.title for i in visits.items] == ["Visit not recorded as held", "Visit: Governors' meeting"]
    responded = next(g for g in queue.grouped() if g.heading == "The head responded")
    assert responded.items[0].title == "The head responded: accurate"
    assert responded.items[0].url == reverse("support:visit", args=[report.visit_id])

    assert services.see_response(report=report, by=hannah) is False  # the head's own look changes nothing
    assert services.see_response(report=report, by=alice) is True
    assert services.see_response(report=report, by=alice) is False  # once
    assert "The head responded" not in headings(queues.partner_queue(alice, TODAY))


@pytest.mark.django_db
def test_the_partner_opening_the_visit_sees_the_response_and_the_caseload_shows_it(client, alice, hannah, ashfield):
    report = responded_report(ashfield, alice, hannah)
    client.force_login(alice)
    caseload = client.get(reverse("support:caseload")).content.decode()
    assert "The head responded: accurate" in caseload
    assert "New</strong>" in caseload
    page = client.get(reverse("support:visit", args=[report.visit_id])).content.decode()
    assert "Accurate: Fair" in page
    report.refresh_from_db()
    assert report.response_seen_at is not None
    caseload = client.get(reverse("support:caseload")).content.decode()
    assert "The head responded: accurate" in caseload
    assert "New</strong>" not in caseload


@pytest.mark.django_db
def test_the_heads_queue_reports_to_respond_to_within_a_week_and_the_plan_to_agree(alice, hannah, ashfield):
    report = shared_report(ashfield, alice)
    visit = report.visit
    ActionPlanFactory(school=ashfield, academic_year=YEAR, due_by=days(20))

    queue = queues.head_queue(support.head_home(hannah), TODAY)
    respond, plan = queue.grouped()
    assert respond.heading == "Reports to respond to"
    assert respond.items[0].url == reverse("support:respond", args=[visit.pk])
    assert respond.items[0].due == TODAY + timedelta(days=7)
    assert (plan.heading, plan.items[0].due) == ("Plans to agree", days(20))
    ActionPlan.objects.update(status=ActionPlan.Status.AGREED)
    services.respond_to_report(report=report, by=hannah, response="accurate")
    assert queues.head_queue(support.head_home(hannah), TODAY).groups == []


@pytest.mark.django_db
def test_the_board_members_queue_the_next_meeting_to_decide_and_its_pack(bella, ashfield, beacon_hill):
    meeting = BoardMeetingFactory(meets_on=days(9), pack_status="ready")
    AgendaItemFactory(meeting=meeting, school=ashfield, kinds=["escalation"])
    # Routine reviews are one decision, on the consent list.
    AgendaItemFactory(meeting=meeting, school=beacon_hill, kinds=["not_reviewed"])
    AgendaItemFactory(meeting=meeting, school=SchoolFactory(), kinds=["not_reviewed"])
    AgendaItemFactory(meeting=meeting, school=SchoolFactory(), dropped=True)
    PriorityEntryFactory(school=ashfield, academic_year=YEAR, status=PriorityEntry.Status.ON_LIST)
    EscalationFactory(school=ashfield)
    EscalationFactory(school=SchoolFactory())  # not a board school

    found = headings(queues.board_queue(bella, TODAY))
    assert found == {"Next board meeting": 2, "Board packs to read": 1, "Escalations awaiting the board": 1}
    item = queues.board_queue(bella, TODAY).grouped()[0].items[0]
    assert (item.title, item.url, item.due) == (
        "1 decision item and a consent list of 2 routine reviews to decide",
        meeting.get_absolute_url(),
        days(9),
    )


@pytest.mark.django_db
def test_the_commissioners_queue_is_the_latest_report(colin):
    assert queues.commissioner_queue(TODAY).groups == []
    report = MonthlyReportFactory()
    (group,) = queues.commissioner_queue(TODAY).grouped()
    assert group.items[0].url == report.get_absolute_url()


# The home page and the navigation -----------------------------------------------------------------------------


def home_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_officers_home_page_queries_do_not_grow_with_the_items(client, olivia, alice):
    client.force_login(olivia)

    def more(n: int) -> None:
        for _ in range(n):
            school = SchoolFactory()
            SelfReferralFactory(school=school)
            EscalationFactory(school=school, raised_by=alice)
            LetterFactory(school=school)
            PriorityEntryFactory(school=school, academic_year=YEAR)
            ActionPlanFactory(school=school, academic_year=YEAR, due_by=days(3))

    more(1)
    client.get(reverse("home"))
    few = home_queries(client)
    more(8)
    assert home_queries(client) == few
    page = client.get(reverse("home")).content.decode()
    assert "See all 9" in page
    assert 'id="queue-new-self-referrals"' in page


@pytest.mark.django_db
def test_the_partners_home_page_queries_do_not_grow_with_the_items(client, alice, hannah, ashfield):
    client.force_login(alice)

    def more(n: int) -> None:
        for _ in range(n):
            VisitFactory(school=ashfield, visitor=alice, scheduled_for=days(2))
            VisitReportFactory(visit=held(ashfield, alice))

    more(1)
    client.get(reverse("home"))
    few = home_queries(client)
    more(8)
    assert home_queries(client) == few
    page = client.get(reverse("home")).content.decode()
    assert "Visits to hold (9)" in page, [line for line in page.splitlines() if "<h3" in line]


@pytest.mark.django_db
def test_home_in_the_navigation_counts_the_queue_from_the_cache(client, settings, alice, ashfield):
    settings.WORK_QUEUE_COUNT_SECONDS = 60
    cache.clear()
    ActionPlanFactory(school=ashfield, academic_year=YEAR, due_by=days(60), status=ActionPlan.Status.AGREED)
    VisitFactory(school=ashfield, visitor=alice, scheduled_for=days(2))
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert '<span class="app-nav-count">1</span><span class="govuk-visually-hidden"> item to do</span>' in page
    VisitFactory(school=ashfield, visitor=alice, scheduled_for=days(3))
    # Another page reads the count the home page kept: no queue queries, the count up to a minute old.
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("support:caseload")).content.decode()
    assert '<span class="app-nav-count">1</span>' in page
    assert not any("OVER ()" in q["sql"] for q in captured)
    cache.clear()
    page = client.get(reverse("support:caseload")).content.decode()
    assert '<span class="app-nav-count">2</span><span class="govuk-visually-hidden"> items to do</span>' in page
    cache.clear()


@pytest.mark.django_db
def test_without_a_cache_time_the_navigation_has_no_count(client, alice, ashfield):
    VisitFactory(school=ashfield, visitor=alice, scheduled_for=days(2))
    client.force_login(alice)
    assert "app-nav-count" not in client.get(reverse("support:caseload")).content.decode()
