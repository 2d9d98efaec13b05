"""Birmingham's annual identification (seed 004, stage 1): the visit that agrees with the head of a
newly vulnerable school whether it is a priority, and academies of concern notified to the DfE
regional director and the Education Improvement Group in September."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards import annual_selectors as selectors
from boards import annual_services as services
from boards import services as board_services
from boards.models import Decision, PriorityEntry, VulnerabilityVisit
from categorisation import services as categorisation
from support.selectors import current_year
from tests.factories import PriorityEntryFactory, SchoolFactory
from tests.roles import NOT_OFFICERS, OFFICERS, status_by_role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = current_year(TODAY)
AGREED, NOT_PRIORITY, NOT_AGREED = VulnerabilityVisit.Outcome.values


def vulnerable(school, year=YEAR, **kwargs):
    return PriorityEntryFactory(
        school=school, academic_year=year, reason=PriorityEntry.Reason.VULNERABLE, status="proposed", **kwargs
    )


def good(school):
    school.ofsted_outcome = "good"
    school.save()
    return school


def visit(school, by, outcome, **kwargs):
    values = {"contacted_on": TODAY - timedelta(days=7), "visited_on": TODAY, "reasons": "Leadership is stretched"}
    return services.record_vulnerability_visit(
        school=school, year=YEAR, visited_by=by, outcome=outcome, by=by, **{**values, **kwargs}
    )


def test_seed_004_a_school_vulnerable_for_the_first_time_awaits_the_visit_to_its_head(ashfield, birmingham):
    again = good(SchoolFactory(la=birmingham, name="Again Primary"))
    vulnerable(good(ashfield))
    vulnerable(again)
    vulnerable(again, year=YEAR - 1)
    assert [e.school for e in selectors.newly_vulnerable(YEAR)] == [ashfield]
    assert [e.school for e in selectors.awaiting_visit(YEAR)] == [ashfield]


def test_seed_004_agreeing_with_the_head_that_the_school_is_not_a_priority_leaves_it_off_the_list(ashfield, olivia):
    entry = vulnerable(good(ashfield))
    visit(ashfield, olivia, NOT_PRIORITY)
    entry.refresh_from_db()
    assert entry.status == PriorityEntry.Status.NOT_ADDED
    decision = Decision.objects.get(school=ashfield)
    assert decision.rationale == "Leadership is stretched"
    assert selectors.awaiting_visit(YEAR) == []


def test_seed_004_agreeing_a_priority_proposes_the_school_and_not_agreeing_leaves_it_to_the_board(
    ashfield, birmingham, olivia
):
    visit(good(ashfield), olivia, AGREED)
    entry = PriorityEntry.objects.get(school=ashfield, academic_year=YEAR)
    assert (entry.status, entry.reason) == ("proposed", "vulnerable")
    assert "Agreed: a priority for support. Leadership is stretched" in entry.evidence
    other = good(SchoolFactory(la=birmingham))
    vulnerable(other)
    visit(other, olivia, NOT_AGREED)
    assert PriorityEntry.objects.get(school=other).status == "proposed"


def test_the_visit_is_refused_out_of_order_for_a_school_below_good_twice_or_by_a_partner(
    ashfield, birmingham, olivia, alice
):
    good(ashfield)
    with pytest.raises(ValidationError, match="on or after"):
        visit(ashfield, olivia, AGREED, contacted_on=TODAY, visited_on=TODAY - timedelta(days=1))
    ri = SchoolFactory(la=birmingham, ofsted_outcome="requires_improvement")
    with pytest.raises(ValidationError, match="good or outstanding"):
        visit(ri, olivia, AGREED)
    with pytest.raises(PermissionDenied):
        visit(ashfield, alice, AGREED)
    visit(ashfield, olivia, AGREED)
    with pytest.raises(ValidationError, match="already recorded"):
        visit(ashfield, olivia, NOT_AGREED)


def test_seed_004_the_agreement_page_warns_of_newly_vulnerable_schools_not_visited(client, ashfield, olivia):
    vulnerable(good(ashfield))
    client.force_login(olivia)
    page = client.get(reverse("boards:agree-list")).content.decode()
    assert "1 newly vulnerable school without the visit" in page
    visit(ashfield, olivia, NOT_AGREED)
    page = client.get(reverse("boards:agree-list")).content.decode()
    assert "without the visit" not in page
    assert "Not agreed: the board decides" in page


def test_seed_004_academies_of_concern_are_listed_and_notified_in_september(client, ashfield, beacon_hill, olivia):
    beacon_hill.ofsted_outcome = "inadequate"
    beacon_hill.save()
    ashfield.ofsted_outcome = "inadequate"
    ashfield.save()
    concerns = selectors.academy_concerns()
    assert [(c.school, c.concerns) for c in concerns] == [(beacon_hill, ("Latest inspection: inadequate",))]
    assert selectors.notification_overdue(YEAR, date(YEAR, 10, 1))
    assert not selectors.notification_overdue(YEAR, date(YEAR, 9, 30))
    notification = services.notify_academy_concerns(
        year=YEAR,
        notified_on=TODAY,
        schools=[beacon_hill],
        summary="Beacon Hill Academy was judged inadequate.",
        to_regional_director=True,
        to_improvement_group=True,
        by=olivia,
    )
    assert not selectors.notification_overdue(YEAR, date(YEAR, 10, 1))
    client.force_login(olivia)
    csv = b"".join(client.get(f"{notification.get_absolute_url()}?export=csv").streaming_content).decode()
    assert "139001,Beacon Hill Academy" in csv
    assert "Latest inspection: inadequate" in csv
    pdf = client.get(f"{notification.get_absolute_url()}?format=pdf")
    assert pdf.content.startswith(b"%PDF")


def test_a_notification_needs_a_recipient_and_academies(beacon_hill, olivia):
    values = {"year": YEAR, "notified_on": TODAY, "summary": "Concerns", "by": olivia}
    with pytest.raises(ValidationError, match="Select who was notified"):
        services.notify_academy_concerns(
            schools=[beacon_hill], to_regional_director=False, to_improvement_group=False, **values
        )
    with pytest.raises(ValidationError, match="Select the academies"):
        services.notify_academy_concerns(schools=[], to_regional_director=True, to_improvement_group=False, **values)


@pytest.mark.parametrize(
    "name", ["boards:vulnerability-visits", "boards:vulnerability-visit", "boards:academy-notifications"]
)
def test_only_officers_open_the_stage_one_pages(client, everyone, ashfield, name):
    url = reverse(name, args=[ashfield.urn]) if name == "boards:vulnerability-visit" else reverse(name)
    assert status_by_role(client, everyone, url) == OFFICERS | NOT_OFFICERS


def test_seed_004_a_head_who_agreed_the_school_is_not_a_priority_is_not_proposed_again(birmingham, olivia):
    visited, other = (good(SchoolFactory(la=birmingham, name=name)) for name in ("Visited Primary", "Other Primary"))
    categorisation.recategorise(trigger="manual", as_of=TODAY)
    for school in (visited, other):
        categorisation.agree_category(school=school, by=olivia, category_code="intensive", rationale="Agreed at panel")
    visit(visited, olivia, NOT_PRIORITY)
    assert board_services.propose_annual_list(year=YEAR, by=olivia) == 1
    assert [e.school for e in PriorityEntry.objects.filter(reason="vulnerable")] == [other]


def test_the_stage_one_pages_read_in_the_same_queries_however_many_schools(client, birmingham, olivia):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.force_login(olivia)
    pages = [reverse("boards:vulnerability-visits"), reverse("boards:academy-notifications")]

    def add_schools():
        academy = SchoolFactory(la=birmingham, type_group_name="Academies", ofsted_outcome="inadequate")
        services.notify_academy_concerns(
            year=YEAR,
            notified_on=TODAY,
            schools=[academy],
            summary="Inadequate",
            to_regional_director=True,
            to_improvement_group=True,
            by=olivia,
        )
        visit(good(vulnerable(SchoolFactory(la=birmingham)).school), olivia, NOT_AGREED)

    add_schools()
    few = [queries(url) for url in pages]
    for _ in range(3):
        add_schools()
    assert [queries(url) for url in pages] == few
