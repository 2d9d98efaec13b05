"""Oxfordshire's pages (seed 003) through the client: the lists keep their query count as they
grow, and the network's meetings and attendance are recorded from the pages."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from support import selectors
from support.models import NetworkInvitation
from tests.factories import InspectionFactory, NewHeadteacherFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _ri_school(n: int):
    """A maintained school and an academy requiring improvement, the school with a new head."""
    school = SchoolFactory(name=f"RI School {n}", ofsted_outcome="requires_improvement")
    InspectionFactory(school=school, start_date=date(2025, 1, 10 + n), overall_effectiveness=3)
    NewHeadteacherFactory(school=school, starts_on=timezone.localdate() - timedelta(days=n + 1))
    SchoolFactory(name=f"RI Academy {n}", ofsted_outcome="requires_improvement", type_group_name="Academies")


@pytest.mark.parametrize("name", ["support:ri-to-good", "support:network", "support:academy-conversations"])
def test_oxfordshire_lists_keep_their_query_count_as_they_grow(client, olivia, name):
    client.force_login(olivia)
    url = reverse(name)
    _ri_school(1)
    one = _queries(client, url)
    for n in range(2, 6):
        _ri_school(n)
    assert _queries(client, url) == one


def test_an_officer_adds_a_network_meeting_and_records_who_came(client, olivia, ashfield):
    head = NewHeadteacherFactory(school=ashfield, name="Jo Rahman", starts_on=timezone.localdate())
    client.force_login(olivia)
    today = timezone.localdate()
    response = client.post(
        reverse("support:network-meeting-new"),
        {
            "held_on_0": today.day,
            "held_on_1": today.month,
            "held_on_2": today.year,
            "topic": "Budgets",
            "heads": [head.pk],
        },
        follow=True,
    )
    assert "Network meeting added" in response.content.decode()
    invitation = NetworkInvitation.objects.get(head=head)
    response = client.post(
        reverse("support:network-meeting", args=[invitation.meeting.pk]), {"attended": [head.pk]}, follow=True
    )
    assert "Attendance recorded" in response.content.decode()
    assert "Attended" in client.get(reverse("support:network")).content.decode()


def test_the_school_s_support_page_shows_its_target_to_good_and_where_to_review_it(client, alice, ashfield):
    published = timezone.localdate() - timedelta(days=30)
    InspectionFactory(school=ashfield, start_date=published, publication_date=published, overall_effectiveness=3)
    client.force_login(alice)
    page = client.get(reverse("support:support", args=[ashfield.urn])).content.decode()
    target = selectors.ri_target(published)
    assert f"to meet the criteria for Good within four terms, by {target.day} {target:%B %Y}" in page
    assert reverse("support:ri-review", args=[ashfield.urn]) in page
