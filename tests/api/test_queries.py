"""Each list endpoint makes the same number of queries for a page of 2 rows as for a page of 20:
one for the token, one to count, one for the page, one per prefetched relation and one for the
download log's row (every read of the API's records is logged), never one per row."""

from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, SchoolAssignment
from boards.models import PriorityEntry
from categorisation import services as categorisation
from schools.models import School
from support import services as support
from support.models import Visit, VisitReport
from support.selectors import current_year
from tests.api.conftest import client_with_token, token_for
from tests.factories import (
    InspectionFactory,
    SchoolAssignmentFactory,
    SchoolFactory,
    UserFactory,
    VisitFactory,
    VisitReportFactory,
)

pytestmark = pytest.mark.django_db

URNS = count(300001)


def new_schools(n: int, la) -> list[School]:
    made = []
    for _ in range(n):
        school = SchoolFactory(urn=next(URNS), la=la)
        latest = InspectionFactory(school=school)
        School.objects.filter(pk=school.pk).update(latest_inspection=latest, ofsted_outcome="good")
        made.append(school)
    return made


def categorised(n: int, la, olivia) -> list[School]:
    made = new_schools(n, la)
    categorisation.recategorise(trigger="manual", school_ids=[s.pk for s in made])
    for school in made:
        categorisation.agree_category(school=school, by=olivia, category_code="intensive", rationale="Panel")
    return made


def with_packages(n: int, la, olivia) -> list[School]:
    made = categorised(n, la, olivia)
    partner = UserFactory(role=Role.PRIORITY_PARTNER)
    for school in made:
        package = support.create_package(school=school, year=current_year(), by=olivia)
        support.adjust_entitlement(package=package, kind="adviser", change=Decimal(1), reason="New head", by=olivia)
        support.allocate(package=package, kind="adviser", partner=partner, days=Decimal(1), by=olivia)
    return made


def on_the_list(n: int, la, olivia) -> list[School]:
    made = new_schools(n, la)
    for school in made:
        PriorityEntry.objects.create(
            school=school, academic_year=current_year(), reason="ofsted_ri", status=PriorityEntry.Status.ON_LIST
        )
        SchoolAssignmentFactory(school=school, relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER)
    return made


def visited(n: int, la, olivia, *, at=None) -> list[Visit]:
    school = at or new_schools(1, la)[0]
    visits = []
    for _ in range(n):
        visit = VisitFactory(school=school, status=Visit.Status.HELD, held_on=date(2026, 11, 17))
        VisitReportFactory(
            visit=visit,
            status=VisitReport.Status.RESPONDED,
            shared_at=timezone.now(),
            responded_by=olivia,
            qa_by=olivia,
        )
        visits.append(visit)
    return visits


# (URL name, what adds rows, queries): the token, the count, the page, each prefetch and the log's row.
LISTS = [
    ("api:school-list", lambda n, la, olivia, at: new_schools(n, la), 4),
    ("api:category-list", lambda n, la, olivia, at: categorised(n, la, olivia), 5),
    ("api:category-decision-list", lambda n, la, olivia, at: categorised(n, la, olivia), 4),
    ("api:priority-entry-list", lambda n, la, olivia, at: on_the_list(n, la, olivia), 4),
    ("api:support-package-list", lambda n, la, olivia, at: with_packages(n, la, olivia), 8),
    ("api:visit-list", lambda n, la, olivia, at: visited(n, la, olivia, at=at), 5),
]


@pytest.mark.parametrize(("name", "add", "queries"), LISTS, ids=[name for name, _, _ in LISTS])
def test_a_list_makes_the_same_queries_for_2_rows_as_for_20(
    name, add, queries, birmingham, olivia, django_assert_num_queries
):
    at = new_schools(1, birmingham)[0]
    client = client_with_token(token_for(olivia))
    url = reverse(name)
    before = client.get(url).json()["count"]
    add(2, birmingham, olivia, at)
    with django_assert_num_queries(queries):
        few = client.get(url).json()
    add(18, birmingham, olivia, at)
    with django_assert_num_queries(queries):
        many = client.get(url).json()
    assert len(few["results"]) < len(many["results"])
    assert many["count"] - few["count"] == 18
    assert few["count"] - before == 2


def test_a_schools_inspections_make_the_same_queries_for_2_as_for_20(birmingham, olivia, django_assert_num_queries):
    school = new_schools(1, birmingham)[0]
    client = client_with_token(token_for(olivia))
    url = reverse("api:school-inspection-list", kwargs={"urn": school.urn})
    InspectionFactory.create_batch(1, school=school)  # and the latest, made with the school
    client.get(url)  # the token's first use today, which the audit trail records once
    with django_assert_num_queries(5):  # the token, the school, the count, the page, the log's row
        assert client.get(url).json()["count"] == 2
    InspectionFactory.create_batch(18, school=school)
    with django_assert_num_queries(5):
        assert client.get(url).json()["count"] == 20


def test_a_heads_visits_make_the_same_queries_for_2_as_for_20(birmingham, olivia, django_assert_num_queries):
    school = new_schools(1, birmingham)[0]
    head = UserFactory(role=Role.HEADTEACHER)
    SchoolAssignmentFactory(user=head, school=school, relationship=SchoolAssignment.Relationship.HEADTEACHER)
    client = client_with_token(token_for(head))
    url = reverse("api:visit-list")
    visited(2, birmingham, olivia, at=school)
    VisitFactory(school=school)  # not shared: not the head's to see
    client.get(url)  # the token's first use today, which the audit trail records once
    with django_assert_num_queries(5):
        assert client.get(url).json()["count"] == 2
    visited(18, birmingham, olivia, at=school)
    with django_assert_num_queries(5):
        assert client.get(url).json()["count"] == 20
