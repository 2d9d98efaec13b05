"""The school's History page and the administrators' audit search: what they show, who may open
them, a bounded number of queries, and that no one rewrites the trail through the
administration."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.audit.bulk import is_audited
from accounts.audit.selectors import record_types
from categorisation import services as categorisation
from schools import services as schools
from schools.models import School
from support import services as support
from support.models import Action
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    DecisionFactory,
    LetterFactory,
    VisitReportFactory,
    WarningNoticeFactory,
)
from tests.roles import assert_sends_to_sign_in, status_by_role

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def text_of(response) -> str:
    """The page's text without its markup, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).replace(" :", ":")


def history_url(school) -> str:
    return reverse("schools:history", args=[school.urn])


@pytest.fixture
def overridden(ashfield, olivia):
    """Ashfield's proposal (Overview) agreed, then overridden to Intensive."""
    categorisation.recategorise(trigger="manual", as_of=TODAY)
    categorisation.agree_category(school=ashfield, by=olivia)
    categorisation.agree_category(
        school=ashfield, by=olivia, category_code="intensive", rationale="Safeguarding concerns at the visit"
    )
    return ashfield


class TestTheSchoolsHistory:
    def test_shows_the_override_with_the_category_before_and_after_and_who_made_it(self, client, olivia, overridden):
        client.force_login(olivia)
        page = text_of(client.get(history_url(overridden)))
        assert "Category: Overview → changed to Intensive" in page
        assert "Olivia Officer" in page
        assert "School category" in page
        assert "Category decision" in page
        assert "Created" in page

    def test_names_the_job_that_made_a_change(self, client, olivia, overridden):
        client.force_login(olivia)
        page = text_of(client.get(history_url(overridden)))
        assert re.search(r"Recategorisation run \d+: run by an officer", page)

    def test_shows_the_records_about_the_school_and_nothing_of_another_school(
        self, client, olivia, alice, ashfield, beacon_hill
    ):
        mine = ActionFactory(priority__plan__school=ashfield, rag=Action.Rag.GREEN)
        theirs = ActionFactory(priority__plan__school=beacon_hill, description="Another school's action")
        support.update_action(action=mine, by=alice, rag=Action.Rag.AMBER)
        support.update_action(action=theirs, by=olivia, rag=Action.Rag.RED)
        client.force_login(olivia)
        page = text_of(client.get(history_url(ashfield)))
        assert "RAG status: Green: on track → changed to Amber: some concerns" in page
        assert "Alice Partner" in page
        assert "Red: not on track" not in page

    def test_newest_first_and_paginated(self, client, olivia, ashfield):
        action = ActionFactory(priority__plan__school=ashfield)
        for n in range(30):
            support.update_action(action=action, by=olivia, rag=Action.Rag.AMBER, evidence=f"Evidence {n}")
        client.force_login(olivia)
        first = text_of(client.get(history_url(ashfield)))
        assert "Evidence 28 → changed to Evidence 29" in first
        assert first.index("Evidence 29") < first.index("Evidence 27")
        assert "Page 1 of 2" in first
        second = text_of(client.get(history_url(ashfield) + "?page=2"))
        assert "Created" in second

    def test_queries_do_not_grow_with_the_changes(self, client, olivia, ashfield, django_assert_max_num_queries):
        action = ActionFactory(priority__plan__school=ashfield)
        for n in range(2):
            support.update_action(action=action, by=olivia, rag=Action.Rag.AMBER, evidence=f"Evidence {n}")
        client.force_login(olivia)
        with CaptureQueriesContext(connection) as two:
            assert client.get(history_url(ashfield)).status_code == 200
        for n in range(2, 20):
            support.update_action(action=action, by=olivia, rag=Action.Rag.AMBER, evidence=f"Evidence {n}")
        with django_assert_max_num_queries(len(two.captured_queries)):
            response = client.get(history_url(ashfield))
        assert "Evidence 19" in text_of(response)

    def test_each_record_is_named_with_a_link_to_its_page_in_bounded_queries(
        self, client, olivia, ashfield, django_assert_max_num_queries
    ):
        """Not "ID 100": the visit, its report (to the visit), the plan, its priority and action (to
        the plan), the board's decision (to its meeting), the letter and the notice, each by name."""
        action = ActionFactory(priority__plan__school=ashfield)
        report = VisitReportFactory(visit__school=ashfield)
        decision = DecisionFactory(school=ashfield, meeting=AgendaItemFactory(school=ashfield).meeting)
        letter = LetterFactory(school=ashfield)
        notice = WarningNoticeFactory(school=ashfield)
        client.force_login(olivia)
        with CaptureQueriesContext(connection) as few:
            page = client.get(history_url(ashfield)).content.decode()
        budget = len(few.captured_queries)
        plan = reverse("support:plan", args=[ashfield.urn])
        for record, url in [
            (action, plan),
            (action.priority, plan),
            (action.priority.plan, plan),
            (report, report.visit.get_absolute_url()),
            (report.visit, report.visit.get_absolute_url()),
            (decision, decision.meeting.get_absolute_url()),
            (letter, letter.get_absolute_url()),
            (notice, notice.get_absolute_url()),
        ]:
            assert f'<a class="govuk-link" href="{url}">{escape(str(record))}</a>' in page, record
        assert "ID " not in text_of(client.get(history_url(ashfield)))
        for _ in range(3):
            ActionFactory(priority__plan=action.priority.plan)
            VisitReportFactory(visit__school=ashfield)
            LetterFactory(school=ashfield)
        with django_assert_max_num_queries(budget):
            client.get(history_url(ashfield))

    def test_only_officers_and_administrators_may_open_it(self, client, everyone, ashfield):
        assert status_by_role(client, everyone, history_url(ashfield)) == {
            "olivia": 200,
            "adam": 200,
            "alice": 403,
            "bob": 403,
            "hannah": 403,
            "ezra": 403,
            "bella": 403,
            "colin": 403,
        }

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, client, ashfield):
        assert_sends_to_sign_in(client, history_url(ashfield))

    def test_an_unknown_school_is_not_found(self, client, olivia):
        client.force_login(olivia)
        assert client.get(reverse("schools:history", args=[999999])).status_code == 404

    def test_the_school_page_links_to_it_for_officers_only(self, client, olivia, alice, ashfield):
        client.force_login(olivia)
        assert history_url(ashfield) in client.get(ashfield.get_absolute_url()).content.decode()
        client.force_login(alice)
        assert history_url(ashfield) not in client.get(ashfield.get_absolute_url()).content.decode()


class TestTheAuditSearch:
    URL = reverse("audit:search")

    def test_only_administrators_may_search(self, client, everyone):
        assert status_by_role(client, everyone, self.URL) == {
            "olivia": 403,
            "adam": 200,
            "alice": 403,
            "bob": 403,
            "hannah": 403,
            "ezra": 403,
            "bella": 403,
            "colin": 403,
        }

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, client):
        assert_sends_to_sign_in(client, self.URL)

    def test_lists_every_change_with_the_school_it_is_about(self, client, adam, overridden):
        client.force_login(adam)
        page = text_of(client.get(self.URL))
        assert "Category: Overview → changed to Intensive" in page
        assert "Ashfield Primary School" in page
        assert history_url(overridden) in client.get(self.URL).content.decode()

    def test_filters_by_person(self, client, adam, olivia, alice, ashfield):
        action = ActionFactory(priority__plan__school=ashfield)
        support.update_action(action=action, by=alice, rag=Action.Rag.AMBER, evidence="By Alice")
        support.update_action(action=action, by=olivia, rag=Action.Rag.RED, evidence="By Olivia")
        client.force_login(adam)
        page = text_of(client.get(self.URL, {"person": alice.pk}))
        assert "By Alice" in page
        assert "By Olivia" not in page

    def test_filters_by_record_type(self, client, adam, olivia, ashfield):
        schools.add_intelligence_note(
            school=ashfield,
            by=olivia,
            area="finance",
            noted_on=TODAY - timedelta(days=1),
            source="Finance team",
            risk_grade="medium",
            visibility="restricted",
            text="Deficit budget",
        )
        client.force_login(adam)
        notes = text_of(client.get(self.URL, {"record_type": "schools.intelligencenote"}))
        assert "Intelligence note" in notes
        assert "1 change" in notes
        assert "Deficit budget" in notes
        schools_only = text_of(client.get(self.URL, {"record_type": "schools.school"}))
        assert "Deficit budget" not in schools_only
        assert "Ashfield Primary School" in schools_only

    def test_filters_by_date(self, client, adam, ashfield):
        client.force_login(adam)
        today = timezone.localdate()
        yesterday = today - timedelta(days=1)
        before = {"changed_to_0": yesterday.day, "changed_to_1": yesterday.month, "changed_to_2": yesterday.year}
        assert "No changes match" in text_of(client.get(self.URL, before))
        since = {"changed_from_0": today.day, "changed_from_1": today.month, "changed_from_2": today.year}
        assert "Ashfield Primary School" in text_of(client.get(self.URL, since))

    def test_an_end_before_the_start_is_an_error(self, client, adam):
        client.force_login(adam)
        response = client.get(
            self.URL,
            {
                "changed_from_0": 2,
                "changed_from_1": 9,
                "changed_from_2": 2026,
                "changed_to_0": 1,
                "changed_to_1": 9,
                "changed_to_2": 2026,
            },
        )
        assert "The end date must be the same as or after the start date" in text_of(response)

    def test_every_audited_record_type_can_be_chosen(self, client, adam):
        client.force_login(adam)
        page = client.get(self.URL).content.decode()
        for kind in record_types():
            assert f'value="{kind.key}"' in page
        assert {"schools.school", "categorisation.categorydecision", "support.actionplan", "accounts.user"} <= {
            kind.key for kind in record_types()
        }

    def test_queries_do_not_grow_with_the_changes(self, client, adam, olivia, ashfield, django_assert_max_num_queries):
        action = ActionFactory(priority__plan__school=ashfield)
        support.update_action(action=action, by=olivia, rag=Action.Rag.AMBER, evidence="Evidence")
        client.force_login(adam)
        filters = {"record_type": "support.action"}
        with CaptureQueriesContext(connection) as few:
            client.get(self.URL, filters)
        for n in range(20):
            support.update_action(action=action, by=olivia, rag=Action.Rag.AMBER, evidence=f"Evidence {n}")
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(self.URL, filters)


class TestTheTrailCannotBeRewritten:
    def test_an_administrator_cannot_delete_or_change_a_history_record_through_the_administration(
        self, client, adam, ashfield
    ):
        record = School.history.get(id=ashfield.pk, history_type="+")
        client.force_login(adam)
        base = f"/admin/schools/historicalschool/{record.history_id}"
        assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 404
        assert client.post(f"{base}/change/", {"history_type": "-"}).status_code == 404
        record.refresh_from_db()
        assert record.history_type == "+"
        assert School.history.filter(id=ashfield.pk).count() == 1

    def test_no_history_table_is_registered_in_the_administration_and_revert_is_off(self):
        histories = {kind.history for kind in record_types()}
        assert not histories & set(admin.site._registry)
        assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
        assert all(is_audited(model) for model in admin.site._registry if model in {k.model for k in record_types()})

    def test_a_change_made_in_the_administration_is_recorded_with_the_administrator(self, client, adam, olivia):
        # People are what the administration still changes (every domain record there is read only).
        client.force_login(adam)
        response = client.post(
            reverse("admin:accounts_user_change", args=[olivia.pk]),
            {
                "email": olivia.email,
                "full_name": "Olivia Renamed",
                "organisation": "",
                "role": olivia.role,
                "is_active": "on",
                "last_login_0": "",
                "last_login_1": "",
                "date_joined_0": "2026-01-05",
                "date_joined_1": "09:00:00",
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
                "school_assignments-TOTAL_FORMS": "0",
                "school_assignments-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        change = olivia.history.order_by("-history_id").first()
        assert (change.history_type, change.history_user, change.full_name) == ("~", adam, "Olivia Renamed")
