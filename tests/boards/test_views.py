"""The priority list and board pages for every role, decisions through the pages, the school's
board history, the officer's deadlines and query counts that stay the same as the list grows."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from boards import services
from boards.models import BoardMeeting, Decision, PriorityEntry, WarningNotice
from schools.imports import refresh_latest_inspections
from support.selectors import current_year
from tests.factories import (
    AgendaItemFactory,
    BoardMeetingFactory,
    InspectionFactory,
    PriorityEntryFactory,
    SchoolAssignmentFactory,
    SchoolFactory,
    WarningNoticeFactory,
)
from tests.roles import NOT_OFFICERS, OFFICERS, ROLES, assert_each_page_by_role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = current_year(TODAY)
BOARD = OFFICERS | NOT_OFFICERS | {"bella": 200}


def on_list(school, **kwargs):
    return PriorityEntryFactory(
        school=school,
        academic_year=YEAR,
        reason=kwargs.get("reason", "ofsted_ri"),
        status=kwargs.get("status", PriorityEntry.Status.ON_LIST),
        added_on=TODAY,
    )


@pytest.fixture
def meeting(db):
    return BoardMeetingFactory(meets_on=TODAY, created_by=None)


@pytest.fixture
def item(meeting, ashfield):
    on_list(ashfield)
    return AgendaItemFactory(meeting=meeting, school=ashfield, reasons=["New inspection: inadequate"], kinds=[])


@pytest.fixture
def pages(settings, tmp_path, everyone, meeting, item):
    settings.MEDIA_ROOT = tmp_path
    meeting.pack.save("pack.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    meeting.pack_status = BoardMeeting.PackStatus.READY
    meeting.save()
    return {
        "priority list": (reverse("boards:list"), BOARD),
        "agree the list": (reverse("boards:agree-list"), BOARD),
        "year-end review": (reverse("boards:carry-forward"), BOARD),
        "meetings": (reverse("boards:meetings"), BOARD),
        "a meeting": (meeting.get_absolute_url(), BOARD),
        "add to the agenda": (reverse("boards:add-item", args=[meeting.pk]), OFFICERS | NOT_OFFICERS),
        "record the meeting": (reverse("boards:record-meeting", args=[meeting.pk]), OFFICERS | NOT_OFFICERS),
        "the pack": (reverse("boards:pack-pdf", args=[meeting.pk]), BOARD),
        "drop from the agenda": (reverse("boards:drop-item", args=[item.pk]), OFFICERS | NOT_OFFICERS),
        "decide": (reverse("boards:decide", args=[item.pk]), BOARD),
    }


PAGE_NAMES = [
    "priority list",
    "agree the list",
    "year-end review",
    "meetings",
    "a meeting",
    "add to the agenda",
    "record the meeting",
    "the pack",
    "drop from the agenda",
    "decide",
]


def test_every_role_gets_exactly_what_it_may_see(client, everyone, pages):
    assert_each_page_by_role(client, everyone, pages, PAGE_NAMES)


def test_the_matrix_covers_every_board_page(pages):
    from boards import views
    from boards.urls import urlpatterns

    post_only = {"propose", "generate-agenda", "build-pack", "consent"}
    # Assigning partners from the priority list is checked role by role in its own file.
    elsewhere = {"assign-partners"}  # tests/support/test_partner_assignment.py
    mine = {p.name for p in urlpatterns if p.callback.__module__ == views.__name__}
    covered = {resolve(url).url_name for url, _ in pages.values()}
    assert mine - post_only - elsewhere == covered


@pytest.mark.parametrize(
    ("name", "who"),
    [("propose", "alice"), ("propose", "bella"), ("generate-agenda", "bella"), ("build-pack", "hannah")],
)
def test_steps_only_officers_take_are_refused_to_others(client, everyone, meeting, name, who):
    client.force_login(everyone[who])
    url = reverse(f"boards:{name}", args=[] if name == "propose" else [meeting.pk])
    assert client.post(url).status_code == 403
    assert not PriorityEntry.objects.exists()
    meeting.refresh_from_db()
    assert (meeting.agenda_generated_at, meeting.pack_status) == (None, "")


def test_a_board_member_gets_404_for_a_school_not_on_the_list_or_agenda(client, bella, castle, item):
    client.force_login(bella)
    assert client.get(reverse("schools:detail", args=[castle.urn])).status_code == 404
    assert client.get(reverse("schools:detail", args=[item.school.urn])).status_code == 200


# Decisions through the pages ------------------------------------------------------------------------------


def test_a_decision_without_a_rationale_shows_the_error(client, bella, item):
    client.force_login(bella)
    response = client.post(reverse("boards:decide", args=[item.pk]), {"kind": "no_change"})
    assert response.status_code == 200
    assert "Enter the rationale for the decision" in response.content.decode()
    assert not Decision.objects.exists()


def test_removing_a_school_that_fails_the_criterion_asks_for_confirmation(client, bella, item):
    client.force_login(bella)
    url = reverse("boards:decide", args=[item.pk])
    page = client.get(url).content.decode()
    assert "Not met" in page
    response = client.post(url, {"kind": "remove", "rationale": "Much improved"})
    assert "The removal criterion is not met" in response.content.decode()
    assert PriorityEntry.objects.get(school=item.school).status == PriorityEntry.Status.ON_LIST
    response = client.post(
        url,
        {
            "kind": "remove",
            "rationale": "Much improved",
            "confirm_removal": "on",
            "removal_override": "Joining a strong trust next month",
        },
        follow=True,
    )
    assert "Decision recorded for Ashfield Primary School" in response.content.decode()
    assert PriorityEntry.objects.get(school=item.school).status == PriorityEntry.Status.REMOVED


def test_every_decision_shows_in_the_schools_history_with_who_when_and_why(client, bella, olivia, item):
    client.force_login(bella)
    client.post(
        reverse("boards:decide", args=[item.pk]),
        {"kind": "letter_of_concern", "rationale": "Governors have not met the partner since September"},
    )
    client.force_login(olivia)
    page = client.get(reverse("schools:detail", args=[item.school.urn])).content.decode()
    assert "Letter of concern" in page
    assert "Governors have not met the partner since September" in page
    assert "Bella Board" in page
    assert TODAY.strftime("%b %Y") in page


def test_the_head_sees_a_decision_only_once_it_is_communicated(client, bella, olivia, hannah, item):
    decision = services.decide(
        school=item.school, kind="letter_of_concern", rationale="Slow progress", by=bella, meeting=item.meeting
    )
    client.force_login(hannah)
    url = reverse("schools:detail", args=[item.school.urn])
    assert "Slow progress" not in client.get(url).content.decode()
    letter = decision.letters.get()
    services.mark_sent(letter=letter, by=olivia, sent_on=TODAY, recipients=letter.recipients)
    page = client.get(url).content.decode()
    assert "Slow progress" in page
    assert letter.subject in client.get("/").content.decode()


def _issued(school, deadline):
    return WarningNoticeFactory(
        school=school,
        rationale="No progress",
        status=WarningNotice.Status.ISSUED,
        grounds=[],
        issued_on=TODAY - timedelta(days=20),
        compliance_period_days=15,
        compliance_deadline=deadline,
    )


def test_the_officers_home_page_shows_each_compliance_deadline_once_coming_up_or_overdue(
    client, olivia, bella, ashfield, castle
):
    past = _issued(ashfield, TODAY - timedelta(days=5))
    near = _issued(castle, TODAY + timedelta(days=3))
    _issued(SchoolFactory(name="Far Away School"), TODAY + timedelta(days=60))
    client.force_login(olivia)
    page = client.get("/").content.decode()
    # The work queue lists the deadlines near and passed, once each; the overdue list, below, the passed one.
    group = page[page.index('id="queue-warning-notice-compliance-deadlines"') :]
    group = group[: group.index("</ul>")]
    overdue = page[page.index('id="overdue"') :]
    assert "Castle Secondary School" in group
    assert "Compliance deadline coming up" in group
    assert group.count(reverse("boards:notice", args=[past.pk])) == 1
    assert "Compliance deadline passed" in group
    assert "Far Away School" not in group
    assert reverse("boards:notice", args=[past.pk]) in overdue
    assert "Not complied with" in overdue
    assert reverse("boards:notice", args=[near.pk]) not in overdue
    client.force_login(bella)
    assert "Compliance deadline" not in client.get("/").content.decode()


def test_an_officer_generates_the_agenda_and_adds_and_drops_schools(client, olivia, meeting, ashfield, castle):
    on_list(ashfield)
    client.force_login(olivia)
    response = client.post(reverse("boards:generate-agenda", args=[meeting.pk]), follow=True)
    assert "Agenda generated: 1 school" in response.content.decode()
    response = client.post(
        reverse("boards:add-item", args=[meeting.pk]), {"urn": castle.urn, "reason": "Governors asked"}, follow=True
    )
    assert "Castle Secondary School" in response.content.decode()
    item = meeting.items.get(school=ashfield)
    response = client.post(reverse("boards:drop-item", args=[item.pk]), {"reason": ""})
    assert "Say why the school is dropped from the agenda" in response.content.decode()
    client.post(reverse("boards:drop-item", args=[item.pk]), {"reason": "Reviewed at the concern meeting"})
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Dropped from the agenda" in page
    assert "Reviewed at the concern meeting" in page


def test_the_pack_is_built_by_the_task_and_downloads(
    client, settings, tmp_path, olivia, bella, item, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(olivia)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("boards:build-pack", args=[item.meeting.pk]))
    item.meeting.refresh_from_db()
    assert item.meeting.pack_status == BoardMeeting.PackStatus.READY
    client.force_login(bella)
    response = client.get(reverse("boards:pack-pdf", args=[item.meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_proposed_list_is_agreed_through_the_page(client, olivia, bella, ashfield, castle):
    for school in (ashfield, castle):
        school.type_group_name, school.ofsted_outcome = "Local authority maintained schools", "requires_improvement"
        school.save()
    client.force_login(olivia)
    response = client.post(reverse("boards:propose"), {}, follow=True)
    assert "2 schools proposed for the priority list" in response.content.decode()
    client.force_login(bella)
    castle_entry = PriorityEntry.objects.get(school=castle)
    response = client.post(
        reverse("boards:agree-list"),
        {"rationale": "Both require improvement", f"leave_{castle_entry.pk}": "on", f"why_{castle_entry.pk}": ""},
    )
    assert "Say why Castle Secondary School is left off the list" in response.content.decode()
    response = client.post(
        reverse("boards:agree-list"),
        {
            "rationale": "Both require improvement",
            f"leave_{castle_entry.pk}": "on",
            f"why_{castle_entry.pk}": "Academy conversion in December",
        },
        follow=True,
    )
    assert "1 school added to the priority list" in response.content.decode()
    assert PriorityEntry.objects.get(school=ashfield).status == PriorityEntry.Status.ON_LIST


# Query counts ---------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(meeting, n, birmingham, partner):
    """Schools on the list and the agenda; half judged good since they joined (so suggested for
    removal), half requiring improvement."""
    schools = SchoolFactory.create_batch(n, la=birmingham)
    for i, school in enumerate(schools):
        on_list(school)
        SchoolAssignmentFactory(user=partner, school=school, relationship="priority_partner")
        InspectionFactory(school=school, overall_effectiveness=2 if i % 2 else 3, start_date=TODAY)
        AgendaItemFactory(meeting=meeting, school=school, reasons=["x"], kinds=[])
    refresh_latest_inspections({s.pk for s in schools})


@pytest.mark.parametrize("who", ["olivia", "bella"])
def test_the_list_and_the_meeting_run_the_same_queries_for_2_or_40_schools(
    client, everyone, meeting, birmingham, alice, who
):
    client.force_login(everyone[who])
    _grow(meeting, 2, birmingham, alice)
    urls = [reverse("boards:list"), meeting.get_absolute_url()]
    small = [_queries(client, url) for url in urls]
    assert "Suggested for removal" in client.get(urls[0]).content.decode()
    _grow(meeting, 38, birmingham, alice)
    assert [_queries(client, url) for url in urls] == small
    assert max(small) <= 15


def test_the_matrix_names_every_role():
    assert set(ROLES) == set(BOARD)


def test_the_error_summary_links_reach_the_first_radio_of_a_choice(client, bella, item):
    client.force_login(bella)
    page = client.post(reverse("boards:decide", args=[item.pk]), {"rationale": ""}).content.decode()
    assert 'href="#id_kind_1"' in page
    assert 'id="id_kind_1"' in page
    assert 'href="#id_rationale"' in page
