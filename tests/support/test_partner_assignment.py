"""Assigning, changing and unassigning a school's priority partner, one school at a time and in
bulk, with the conflict-of-interest check and a history row for every change."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolAssignment
from boards.models import PriorityEntry
from schools.access import visible_schools
from support import services
from support.selectors import current_year
from tests.factories import (
    PartnerInterestFactory,
    PartnerProfileFactory,
    PriorityEntryFactory,
    SchoolFactory,
    SchoolGroupFactory,
)
from tests.roles import NOT_OFFICERS, OFFICERS, assert_each_page_by_role

pytestmark = pytest.mark.django_db

PARTNER = SchoolAssignment.Relationship.PRIORITY_PARTNER


def history_of(assignment_pk: int) -> list[tuple[str, str | None, str | None]]:
    """(type, who, reason) of each history row of an assignment, oldest first."""
    rows = SchoolAssignment.history.filter(id=assignment_pk).order_by("history_id")
    return [(r.history_type, str(r.history_user) if r.history_user else None, r.history_change_reason) for r in rows]


@pytest.fixture
def pat(db):
    """A partner who governs a school in the same trust as Beacon Hill."""
    return PartnerProfileFactory(user__full_name="Pat Partner").user


@pytest.fixture
def oak_trust(beacon_hill, birmingham, pat):
    trust = SchoolGroupFactory(name="Oak Learning Trust")
    beacon_hill.trust = trust
    beacon_hill.save()
    sister = SchoolFactory(la=birmingham, name="Oak Hill Primary", trust=trust)
    PartnerInterestFactory(partner=pat.partner_profiles.get(), school=sister, relationship="governor")
    return trust


class TestUnassign:
    def test_an_older_assignment_ends_yesterday_and_is_kept(self, ashfield, alice, olivia):
        assignment = SchoolAssignment.objects.get(user=alice, school=ashfield)
        services.unassign_partner(school=ashfield, partner=alice, by=olivia, reason="Contract ended")
        assignment.refresh_from_db()
        assert assignment.ends_on == timezone.localdate() - timedelta(days=1)
        assert not visible_schools(alice).exists()
        assert history_of(assignment.pk)[-1] == ("~", "Olivia Officer", "Contract ended")

    def test_one_made_today_is_deleted_and_its_history_kept(self, castle, olivia, pat):
        assignment = services.assign_partner(school=castle, partner=pat, by=olivia)
        services.unassign_partner(school=castle, partner=pat, by=olivia)
        assert not SchoolAssignment.objects.filter(pk=assignment.pk).exists()
        assert [row[:2] for row in history_of(assignment.pk)] == [("+", "Olivia Officer"), ("-", "Olivia Officer")]

    def test_someone_not_the_partner_cannot_be_unassigned(self, castle, olivia, pat):
        with pytest.raises(ValidationError, match="not Castle Secondary School's priority partner"):
            services.unassign_partner(school=castle, partner=pat, by=olivia)

    def test_only_officers_unassign(self, ashfield, alice, bob, hannah, bella):
        for person in (alice, bob, hannah, bella):
            with pytest.raises(PermissionDenied):
                services.unassign_partner(school=ashfield, partner=alice, by=person)

    def test_assigning_again_starts_afresh(self, ashfield, alice, olivia):
        services.unassign_partner(school=ashfield, partner=alice, by=olivia)
        again = services.assign_partner(school=ashfield, partner=alice, by=olivia)
        assert (again.starts_on, again.ends_on) == (timezone.localdate(), None)
        assert visible_schools(alice).get() == ashfield


class TestChange:
    def test_the_old_partner_goes_and_the_new_one_comes_in_one_step(self, ashfield, alice, olivia, pat):
        services.change_partner(school=ashfield, old=alice, new=pat, by=olivia)
        assert list(visible_schools(pat)) == [ashfield]
        assert not visible_schools(alice).exists()
        old = SchoolAssignment.objects.get(user=alice, school=ashfield)
        assert history_of(old.pk)[-1][2] == "Replaced by Pat Partner"

    def test_a_conflicted_new_partner_needs_a_justification_and_nothing_changes_without(
        self, beacon_hill, bob, olivia, pat, oak_trust
    ):
        with pytest.raises(ValidationError) as refused:
            services.change_partner(school=beacon_hill, old=bob, new=pat, by=olivia)
        assert "justification" in refused.value.message_dict
        assert list(visible_schools(bob)) == [beacon_hill]
        assignment = services.change_partner(
            school=beacon_hill, old=bob, new=pat, by=olivia, justification="The only secondary specialist"
        )
        assert "same trust (Oak Learning Trust)" in assignment.conflict
        assert assignment.justification == "The only secondary specialist"
        assert not visible_schools(bob).exists()

    def test_the_same_partner_is_not_a_change(self, ashfield, alice, olivia):
        with pytest.raises(ValidationError, match="already the school's priority partner"):
            services.change_partner(school=ashfield, old=alice, new=alice, by=olivia)


class TestBulk:
    def test_schools_without_a_conflict_are_assigned_in_bulk_with_history_per_school(
        self, ashfield, castle, birmingham, olivia, pat
    ):
        third = SchoolFactory(la=birmingham, name="Cedar Primary")
        with CaptureQueriesContext(connection) as two:
            done = services.assign_partner_to_schools(schools=[ashfield, castle], partner=pat, by=olivia)
        assert done.assigned == [ashfield, castle]
        with CaptureQueriesContext(connection) as three:
            services.assign_partner_to_schools(schools=[third], partner=pat, by=olivia)
        assert len(three) == len(two), "bulk writes: the query count does not grow with the schools"
        assert set(visible_schools(pat)) == {ashfield, castle, third}
        rows = SchoolAssignment.history.filter(user=pat)
        assert sorted((r.school_id, r.history_type, str(r.history_user)) for r in rows) == sorted(
            (s.pk, "+", "Olivia Officer") for s in (ashfield, castle, third)
        )

    def test_a_conflicted_school_is_not_assigned_silently(self, ashfield, beacon_hill, olivia, pat, oak_trust):
        with pytest.raises(ValidationError) as refused:
            services.assign_partner_to_schools(schools=[ashfield, beacon_hill], partner=pat, by=olivia)
        assert "Beacon Hill Academy" in refused.value.message_dict["justification"][0]
        assert not visible_schools(pat).exists()

    def test_a_justification_answers_for_the_conflicted_schools(self, ashfield, beacon_hill, olivia, pat, oak_trust):
        done = services.assign_partner_to_schools(
            schools=[ashfield, beacon_hill], partner=pat, by=olivia, justification="Agreed with the trust"
        )
        assert list(done.conflicts) == [beacon_hill.pk]
        kept = {a.school_id: (bool(a.conflict), a.justification) for a in SchoolAssignment.objects.filter(user=pat)}
        assert kept == {ashfield.pk: (False, ""), beacon_hill.pk: (True, "Agreed with the trust")}

    def test_the_officer_may_leave_the_conflicted_schools_out(self, ashfield, beacon_hill, olivia, pat, oak_trust):
        done = services.assign_partner_to_schools(
            schools=[ashfield, beacon_hill], partner=pat, by=olivia, leave_out_conflicted=True
        )
        assert (done.assigned, done.left_out) == ([ashfield], [beacon_hill])
        assert list(visible_schools(pat)) == [ashfield]

    def test_an_ended_assignment_starts_again(self, ashfield, castle, alice, olivia):
        services.unassign_partner(school=ashfield, partner=alice, by=olivia)
        services.assign_partner_to_schools(schools=[ashfield, castle], partner=alice, by=olivia)
        again = SchoolAssignment.objects.get(user=alice, school=ashfield)
        assert (again.starts_on, again.ends_on) == (timezone.localdate(), None)
        assert history_of(again.pk)[-1][:2] == ("~", "Olivia Officer")

    def test_refusals(self, ashfield, olivia, alice, hannah):
        with pytest.raises(ValidationError, match="Select the schools"):
            services.assign_partner_to_schools(schools=[], partner=alice, by=olivia)
        with pytest.raises(ValidationError, match="Choose a priority partner"):
            services.assign_partner_to_schools(schools=[ashfield], partner=hannah, by=olivia)
        with pytest.raises(PermissionDenied):
            services.assign_partner_to_schools(schools=[ashfield], partner=alice, by=alice)


def test_conflicts_by_partner_names_each_partners_conflicts(beacon_hill, bob, pat, oak_trust):
    found = services.conflicts_by_partner(beacon_hill, [bob, pat])
    assert found == {pat.pk: ["Pat Partner is governor of Oak Hill Primary, in the same trust (Oak Learning Trust)."]}


# The pages ---------------------------------------------------------------------------------------------


def assign_url(school, **query) -> str:
    url = reverse("support:assign-partner", args=[school.urn])
    return f"{url}?{urlencode(query)}" if query else url


def test_each_role_on_the_assignment_pages(client, everyone, ashfield):
    assignment = SchoolAssignment.objects.get(user=everyone["alice"], school=ashfield)
    officers_only = {**OFFICERS, **NOT_OFFICERS}
    pages = {
        "assign": (assign_url(ashfield), officers_only),
        "change": (assign_url(ashfield, change=assignment.pk), officers_only),
        "remove": (reverse("support:unassign-partner", args=[ashfield.urn, assignment.pk]), officers_only),
        "bulk": (f"{reverse('boards:assign-partners')}?school={ashfield.urn}", officers_only),
    }
    assert_each_page_by_role(client, everyone, pages, list(pages))


class TestPages:
    def test_the_school_page_names_the_partner_with_change_and_remove_for_officers(
        self, client, olivia, alice, hannah, ashfield
    ):
        client.force_login(olivia)
        page = client.get(ashfield.get_absolute_url()).content.decode()
        assert "Alice Partner" in page
        assignment = SchoolAssignment.objects.get(user=alice, school=ashfield)
        assert assign_url(ashfield, change=assignment.pk) in page
        assert reverse("support:unassign-partner", args=[ashfield.urn, assignment.pk]) in page
        client.force_login(hannah)
        assert 'id="priority-partner"' not in client.get(ashfield.get_absolute_url()).content.decode()

    def test_the_support_page_names_the_partner_for_everyone_who_sees_it(self, client, alice, hannah, ashfield):
        for person in (alice, hannah):
            client.force_login(person)
            page = client.get(reverse("support:support", args=[ashfield.urn])).content.decode()
            assert "Alice Partner" in page.split('id="priority-partner"')[1].split("</dl>")[0]

    def test_a_conflicted_choice_needs_a_justification(self, client, olivia, beacon_hill, bob, pat, oak_trust):
        client.force_login(olivia)
        url = assign_url(beacon_hill)
        shown = client.get(url)
        assert "Conflict of interest: Pat Partner is governor of Oak Hill Primary" in shown.content.decode()
        refused = client.post(url, {"partner": pat.pk})
        assert refused.status_code == 200
        assert "Explain why Pat Partner should work with the school" in refused.content.decode()
        done = client.post(url, {"partner": pat.pk, "justification": "The only secondary specialist"})
        assert done.status_code == 302
        assert SchoolAssignment.objects.get(user=pat).justification == "The only secondary specialist"

    def test_change_replaces_the_partner(self, client, olivia, ashfield, alice, pat):
        client.force_login(olivia)
        assignment = SchoolAssignment.objects.get(user=alice, school=ashfield)
        response = client.post(assign_url(ashfield, change=assignment.pk), {"partner": pat.pk}, follow=True)
        assert "Pat Partner is now the priority partner of Ashfield Primary School" in response.content.decode()
        assert not visible_schools(alice).exists()

    def test_another_schools_assignment_is_not_found(self, client, olivia, ashfield, bob, beacon_hill):
        client.force_login(olivia)
        bobs = SchoolAssignment.objects.get(user=bob, school=beacon_hill)
        assert client.get(assign_url(ashfield, change=bobs.pk)).status_code == 404
        assert client.get(reverse("support:unassign-partner", args=[ashfield.urn, bobs.pk])).status_code == 404

    def test_removal_is_confirmed_then_done_by_post(self, client, olivia, ashfield, alice):
        client.force_login(olivia)
        assignment = SchoolAssignment.objects.get(user=alice, school=ashfield)
        url = reverse("support:unassign-partner", args=[ashfield.urn, assignment.pk])
        assert "Remove Alice Partner as the school" in client.get(url).content.decode()
        assert visible_schools(alice).exists()
        response = client.post(url, {"reason": "Moved away"}, follow=True)
        assert "Alice Partner is no longer the priority partner of Ashfield Primary School" in response.content.decode()
        assert "Assign a priority partner" in response.content.decode()
        assert history_of(assignment.pk)[-1][2] == "Moved away"


class TestBulkFromThePriorityList:
    @pytest.fixture
    def listed(self, ashfield, beacon_hill, castle):
        year = current_year()
        for school in (ashfield, beacon_hill, castle):
            PriorityEntryFactory(school=school, academic_year=year, status=PriorityEntry.Status.ON_LIST)
        return year

    def test_officers_tick_schools_on_the_list_and_board_members_do_not(self, client, olivia, bella, listed):
        client.force_login(olivia)
        page = client.get(reverse("boards:list"), {"partner": "none"}).content.decode()
        assert 'name="school" type="checkbox" value="139001"' in page
        assert "Assign a priority partner to the selected schools" in page
        assert '<option value="none" selected>No priority partner</option>' in page
        client.force_login(bella)
        assert 'name="school"' not in client.get(reverse("boards:list")).content.decode()

    def test_two_schools_without_a_conflict_are_assigned_at_once(self, client, olivia, beacon_hill, castle, pat):
        client.force_login(olivia)
        url = reverse("boards:assign-partners")
        chosen = {"school": [beacon_hill.urn, castle.urn, "junk"]}
        shown = client.get(url, chosen).content.decode()
        assert "2 schools selected" in shown
        assert "Pat Partner" in shown
        assert "Priority partner of 0 schools" in shown
        response = client.post(url, {**chosen, "partner": pat.pk}, follow=True)
        assert "Pat Partner is now the priority partner of 2 schools" in response.content.decode()
        assert set(visible_schools(pat)) == {beacon_hill, castle}

    def test_conflicted_schools_are_confirmed_not_assigned_silently(
        self, client, olivia, ashfield, beacon_hill, pat, oak_trust
    ):
        client.force_login(olivia)
        url = reverse("boards:assign-partners")
        chosen = {"school": [ashfield.urn, beacon_hill.urn], "partner": pat.pk}
        confirm = client.post(url, chosen).content.decode()
        assert "Schools with a conflict of interest" in confirm
        assert "Pat Partner is governor of Oak Hill Primary, in the same trust" in confirm
        assert "There is a problem" not in confirm
        assert not visible_schools(pat).exists()
        unanswered = client.post(url, {**chosen, "confirming": "on"}).content.decode()
        assert "Choose whether to assign the schools with a conflict of interest" in unanswered
        unjustified = client.post(url, {**chosen, "confirming": "on", "conflicted": "justify"}).content.decode()
        assert "Explain why the partner should work with these schools" in unjustified
        assert not visible_schools(pat).exists()
        done = client.post(url, {**chosen, "confirming": "on", "conflicted": "leave_out"}, follow=True)
        assert "left out for a conflict of interest: Beacon Hill Academy" in done.content.decode()
        assert list(visible_schools(pat)) == [ashfield]

    def test_nothing_ticked(self, client, olivia, pat):
        client.force_login(olivia)
        url = reverse("boards:assign-partners")
        assert "No school is selected" in client.get(url).content.decode()
        assert "Select the schools" in client.post(url, {"partner": pat.pk}).content.decode()
