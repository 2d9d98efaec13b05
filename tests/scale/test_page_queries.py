"""The pages an officer and the board use most make the same, small number of queries whether the
portal holds 100 schools or 2,000: the school list (filtered, sorted, a later page), the school
page, the priority list, the officer's home page and dashboard, and the board's agenda."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards import deadlines
from boards.models import (
    AgendaItem,
    BoardMeeting,
    Decision,
    Escalation,
    InspectionNotice,
    Letter,
    PriorityEntry,
    WarningNotice,
)
from categorisation import services as categorisation
from portal import queues
from schools import ofsted
from schools.imports import refresh_latest_inspections
from schools.models import Inspection, School
from support.selectors import current_year
from tests.factories import (
    InspectionFactory,
    IntelligenceNoteFactory,
    NationalFigureFactory,
    PerformanceMeasureFactory,
    SchoolAssignmentFactory,
    SchoolLinkFactory,
)

pytestmark = pytest.mark.django_db

# Ten, and one for the header's count of unread notifications.
MOST_QUERIES = 11
TODAY = timezone.localdate()
YEAR = current_year(TODAY)
PHASES = ["Primary", "Primary", "Primary", "Secondary", "Special"]
SHAPES = [ofsted.Shape.GRADED, ofsted.Shape.JUDGEMENTS_ONLY, ofsted.Shape.REPORT_CARD]


def grow(la, meeting, partner, upto: int) -> None:
    """Add schools (with two inspections each, every tenth on the priority list and every
    twentieth on the meeting's agenda) until the portal holds ``upto``."""
    held = School.objects.count()
    schools = School.objects.bulk_create(
        School(
            urn=800_000 + n,
            la=la,
            establishment_number=3000 + n,
            laestab=la.code * 10000 + 3000 + n,
            name=f"Hawthorn {PHASES[n % 5]} School {n}",
            type_name="Community school",
            type_group_name="Local authority maintained schools",
            status_name="Open",
            phase_name=PHASES[n % 5],
            statutory_low_age=4,
            statutory_high_age=11,
            pupils_on_roll=100 + n % 900,
            postcode="B1 1AA",
        )
        for n in range(held, upto)
    )
    inspections = []
    for n, school in enumerate(schools, start=held):
        for k, shape in enumerate((SHAPES[n % 3], ofsted.Shape.GRADED)):
            inspections.append(
                Inspection(
                    school=school,
                    inspection_number=str(20_000_000 + 2 * n + k),
                    shape=shape,
                    inspection_type="Section 5",
                    start_date=date(2025, 12, 1) - timedelta(days=400 * k + n % 300),
                    overall_effectiveness=None if shape != ofsted.Shape.GRADED else 1 + n % 4,
                    quality_of_education=None if shape == ofsted.Shape.REPORT_CARD else 1 + n % 4,
                    rc_achievement=1 + n % 5 if shape == ofsted.Shape.REPORT_CARD else None,
                    rc_safeguarding_met=True if shape == ofsted.Shape.REPORT_CARD else None,
                )
            )
    Inspection.objects.bulk_create(inspections)
    refresh_latest_inspections({s.pk for s in schools})
    PriorityEntry.objects.bulk_create(
        PriorityEntry(
            school=school,
            academic_year=YEAR,
            reason="ofsted_ri",
            status=PriorityEntry.Status.ON_LIST,
            added_on=TODAY,
        )
        for n, school in enumerate(schools, start=held)
        if n % 10 == 0
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, school=school, reasons=["New inspection"], position=n)
        for n, school in enumerate(schools, start=held)
        if n % 20 == 0
    )
    for n, school in enumerate(schools, start=held):
        if n % 10 == 0:
            SchoolAssignmentFactory(user=partner, school=school, relationship="priority_partner")
    categorisation.recategorise(trigger="manual")


def a_full_case(school, officer, partner, meeting) -> None:
    """Every kind of record the school page lists, so that each is read (in its one query)."""
    SchoolLinkFactory(school=school, linked_urn=800_001, linked_name="Hawthorn Primary School 1")
    IntelligenceNoteFactory(school=school, author=officer, text="The deficit is growing.")
    for year in (2022, 2023):
        PerformanceMeasureFactory(school=school, academic_year=year, measure="abs_overall_pct", value="5.1")
        NationalFigureFactory(academic_year=year, measure="abs_overall_pct", phase="all", value="4.7")
    categorisation.agree_category(school=school, by=officer, category_code="intensive", rationale="Resigned head")
    item = AgendaItem.objects.filter(school=school, meeting=meeting).first() or AgendaItem.objects.create(
        meeting=meeting, school=school, reasons=["New inspection"]
    )
    Decision.objects.create(
        school=school,
        meeting=meeting,
        item=item,
        academic_year=YEAR,
        kind="monitor",
        rationale="Keep watching",
        decided_by=officer,
    )
    Letter.objects.create(
        school=school,
        kind="concern",
        academic_year=YEAR,
        subject="Letter of concern",
        body="…",
        recipients="Head",
        dated=TODAY,
    )
    WarningNotice.objects.create(school=school, rationale="Standards", compliance_deadline=TODAY + timedelta(days=30))
    Escalation.objects.create(school=school, raised_by=partner, reason="No progress on reading")
    InspectionNotice.objects.create(school=school, notified_on=TODAY, starts_on=TODAY + timedelta(days=2))


@pytest.fixture
def meeting(db):
    return BoardMeeting.objects.create(meets_on=TODAY + timedelta(days=14))


def pages(school, meeting) -> dict[str, tuple[str, dict]]:
    return {
        "school list": (reverse("schools:list"), {"phase": "Primary", "sort": "-inspected", "page": 3}),
        "school page": (reverse("schools:detail", args=[school.urn]), {}),
        "priority list": (reverse("boards:list"), {}),
        "officer's home page": (reverse("home"), {}),
        "dashboard": (reverse("reporting:dashboard"), {}),
        "board agenda": (reverse("boards:meeting", args=[meeting.pk]), {}),
    }


def queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(captured)


def test_each_page_makes_the_same_few_queries_for_100_and_2000_schools(client, olivia, alice, birmingham, meeting):
    grow(birmingham, meeting, alice, 100)
    school = School.objects.order_by("urn").first()
    InspectionFactory(school=school, shape=ofsted.Shape.REPORT_CARD, report_card=True, start_date=date(2026, 2, 3))
    a_full_case(school, olivia, alice, meeting)
    client.force_login(olivia)
    urls = pages(school, meeting)
    shown = client.get(school.get_absolute_url()).content.decode()
    for text in (
        "Hawthorn Primary School 1",
        "The deficit is growing.",
        "Resigned head",
        "Keep watching",
        "Letter of concern",
        "No progress on reading",
        "Inspection from",
        "4.7",
    ):
        assert text in shown, text
    for url, params in urls.values():  # the first request of a session warms caches
        client.get(url, params)
    at_100 = {name: queries(client, url, params) for name, (url, params) in urls.items()}

    grow(birmingham, meeting, alice, 2000)
    at_2000 = {name: queries(client, url, params) for name, (url, params) in urls.items()}

    assert at_2000 == at_100
    # The officer's home page carries the overdue list and the work queue too: a fixed number of queries more.
    at_2000["officer's home page"] -= deadlines.QUERIES + queues.OFFICER_QUERIES
    assert max(at_2000.values()) <= MOST_QUERIES, at_2000
