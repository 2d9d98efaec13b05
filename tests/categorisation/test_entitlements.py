"""Entitlements as data (issue 21): what each category of a draft brings is changed on one page
through one service, shown against the active version in the what-if, followed by the schools'
support once adopted, and turned into funding per school."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from categorisation import selectors, services
from categorisation.models import Category, SchoolCategory
from schools.imports import refresh_latest_inspections
from tests.factories import InspectionFactory, LocalAuthorityFactory, SchoolFactory
from tests.roles import NOT_OFFICERS, OFFICERS, status_by_role

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 23)


@pytest.fixture
def draft(adam):
    return services.create_draft(version=selectors.active_version(), by=adam)


def focused_of(version) -> Category:
    return version.categories.get(code="focused")


def agreed(school, officer, code: str) -> None:
    services.recategorise(trigger="manual", as_of=AS_OF)
    services.agree_category(school=school, by=officer, category_code=code, rationale="Agreed at panel")


# The service ----------------------------------------------------------------------------------------


class TestUpdateSupport:
    def test_an_administrator_changes_every_part_of_a_draft_category_s_support(self, draft, adam):
        focused = focused_of(draft)
        services.update_support(
            category=focused,
            by=adam,
            values={
                "adviser_days": "3",
                "teaching_adviser_days": "1.5",
                "progress_meetings_per_year": "6",
                "meeting_cadence": "half_termly",
                "visit_pattern": "2 weekly visits",
                "brokered_support": "yes",
                "funding_per_pupil": "£1,012.50",
                "support_summary": "  A maximum of three days.  ",
            },
        )
        focused.refresh_from_db()
        assert (focused.adviser_days, focused.teaching_adviser_days) == (Decimal(3), Decimal("1.5"))
        assert (focused.progress_meetings_per_year, focused.meeting_cadence) == (6, "half_termly")
        assert (focused.visit_pattern, focused.brokered_support) == ("2 weekly visits", True)
        assert focused.funding_per_pupil == Decimal("1012.50")
        assert focused.support_summary == "A maximum of three days."
        change = focused.history.first()
        assert change.history_user == adam
        assert change.prev_record.adviser_days == Decimal(4)

    def test_a_field_left_out_keeps_its_value(self, draft, adam):
        focused = focused_of(draft)
        services.update_support(category=focused, by=adam, values={"adviser_days": 3})
        focused.refresh_from_db()
        assert (focused.adviser_days, focused.progress_meetings_per_year) == (3, 3)

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("adviser_days", "three", "Enter adviser days as a number, like 4 or 2.5"),
            ("adviser_days", "-1", "Adviser days must be 0 or more"),
            ("adviser_days", "100.5", "Adviser days must be 100 or fewer"),
            ("teaching_adviser_days", "2.25", "Learning and teaching adviser days must be in whole or half days"),
            ("progress_meetings_per_year", "2.5", "Enter progress meetings a year as a whole number, like 6"),
            ("progress_meetings_per_year", "53", "Progress meetings a year must be from 0 to 52"),
            ("meeting_cadence", "daily", "Select how often the meetings are held"),
            ("visit_pattern", "x" * 201, "The visit pattern must be 200 characters or fewer"),
            ("brokered_support", "maybe", "Select yes if the category brings brokered support"),
            ("funding_per_pupil", "twelve", "Enter funding per pupil in pounds, like 12.50, or leave it blank"),
            ("funding_per_pupil", "-0.01", "Funding per pupil must be £0 or more"),
            ("funding_per_pupil", "12.505", "Enter funding per pupil in pounds and pence, like 12.50"),
            ("funding_per_pupil", "1000000", "Funding per pupil must be less than £1,000,000"),
        ],
    )
    def test_each_wrong_value_is_refused_in_words_an_officer_understands(self, draft, adam, field, value, message):
        focused = focused_of(draft)
        with pytest.raises(ValidationError) as refused:
            services.update_support(category=focused, by=adam, values={field: value})
        assert any(m.startswith(message) for m in refused.value.message_dict[field])
        focused.refresh_from_db()
        assert focused.adviser_days == 4

    def test_every_wrong_field_is_named_at_once_and_nothing_is_saved(self, draft, adam):
        focused = focused_of(draft)
        with pytest.raises(ValidationError) as refused:
            services.update_support(
                category=focused,
                by=adam,
                values={"adviser_days": "3", "progress_meetings_per_year": "60", "funding_per_pupil": "-1"},
            )
        assert set(refused.value.message_dict) == {"progress_meetings_per_year", "funding_per_pupil"}
        focused.refresh_from_db()
        assert focused.adviser_days == 4

    def test_boundaries_are_allowed(self, draft, adam):
        focused = focused_of(draft)
        services.update_support(
            category=focused,
            by=adam,
            values={"adviser_days": "100", "progress_meetings_per_year": "52", "funding_per_pupil": "0"},
        )
        focused.refresh_from_db()
        assert (focused.adviser_days, focused.progress_meetings_per_year) == (100, 52)
        assert focused.funding_per_pupil == 0

    def test_only_a_draft_is_changed_and_only_by_an_administrator(self, draft, adam, olivia):
        with pytest.raises(ValidationError, match="Only a draft can be changed"):
            services.update_support(
                category=focused_of(selectors.active_version()), by=adam, values={"adviser_days": "3"}
            )
        with pytest.raises(PermissionDenied):
            services.update_support(category=focused_of(draft), by=olivia, values={"adviser_days": "3"})

    def test_an_unknown_field_is_refused(self, draft, adam):
        with pytest.raises(ValidationError, match="Unknown support fields: rank"):
            services.update_support(category=focused_of(draft), by=adam, values={"rank": 9})


# The pages ---------------------------------------------------------------------------------------------


def test_the_version_page_shows_every_entitlement_and_the_change_links_in_a_draft(client, draft, adam, olivia):
    services.update_support(
        category=focused_of(draft),
        by=adam,
        values={"meeting_cadence": "termly", "visit_pattern": "2 weekly visits", "funding_per_pupil": "12.50"},
    )
    client.force_login(adam)
    page = client.get(draft.get_absolute_url()).content.decode()
    for header in ("Adviser days", "Learning and teaching adviser days", "Progress meetings a year", "How often"):
        assert header in page
    assert "Termly" in page
    assert "2 weekly visits" in page
    assert "£12.50" in page
    links = [
        reverse("categorisation:edit-support", args=["tiered", draft.number, category.pk])
        for category in draft.categories.all()
    ]
    assert all(link in page for link in links)
    client.force_login(olivia)
    officer_page = client.get(draft.get_absolute_url()).content.decode()
    assert not any(link in officer_page for link in links)


def test_the_change_support_page_shows_the_errors_at_their_fields(client, draft, adam):
    focused = focused_of(draft)
    url = reverse("categorisation:edit-support", args=["tiered", draft.number, focused.pk])
    client.force_login(adam)
    page = client.get(url).content.decode()
    assert "Change support: Focused" in page
    assert 'value="4"' in page
    refused = client.post(
        url,
        {
            "adviser_days": "2.25",
            "teaching_adviser_days": "0",
            "progress_meetings_per_year": "99",
            "brokered_support": "no",
        },
    )
    body = refused.content.decode()
    assert "Adviser days must be in whole or half days, like 2.5" in body
    assert "Progress meetings a year must be from 0 to 52" in body
    focused.refresh_from_db()
    assert focused.adviser_days == 4


def test_the_change_support_page_is_for_administrators_only(client, everyone, draft):
    url = reverse("categorisation:edit-support", args=["tiered", draft.number, focused_of(draft).pk])
    assert status_by_role(client, everyone, url) == {**dict.fromkeys(everyone, 403), "adam": 200}


# The what-if ---------------------------------------------------------------------------------------------


def schools_with_inspections(count: int, grade: int) -> list:
    schools = [SchoolFactory() for _ in range(count)]
    for school in schools:
        InspectionFactory(school=school, overall_effectiveness=grade)
    refresh_latest_inspections({s.pk for s in schools})
    return schools


def test_the_what_if_shows_each_category_s_support_now_and_in_the_draft(draft, adam):
    schools_with_inspections(2, 3)
    services.update_support(category=focused_of(draft), by=adam, values={"adviser_days": "3"})
    result = selectors.what_if(draft, as_of=AS_OF)
    focused = next(c for c in result.support if c.code == "focused")
    assert [(line.label, line.now, line.draft) for line in focused.changes] == [("Adviser days", "4", "3")]
    assert [c.code for c in result.support_changes] == ["focused"]
    intensive = next(c for c in result.support if c.code == "intensive")
    assert intensive.changes == []
    for category in result.support:
        days_now = selectors.support_days(result.active.categories.get(code=category.code))
        days_draft = selectors.support_days(draft.categories.get(code=category.code))
        assert category.days_now == category.schools_now * days_now
        assert category.days_draft == category.schools_draft * days_draft
    assert focused.schools_now == focused.schools_draft >= 2
    assert focused.days_draft == focused.schools_draft * 3
    assert result.days_now - result.days_draft == focused.schools_now


def test_the_what_if_s_queries_do_not_grow_with_the_schools(draft, adam):
    schools_with_inspections(2, 3)
    with CaptureQueriesContext(connection) as few:
        selectors.what_if(draft, as_of=AS_OF)
    schools_with_inspections(6, 4)
    with CaptureQueriesContext(connection) as many:
        selectors.what_if(draft, as_of=AS_OF)
    assert len(many) == len(few)


def test_the_what_if_page_marks_the_changes(client, draft, adam, olivia):
    schools_with_inspections(1, 3)
    services.update_support(category=focused_of(draft), by=adam, values={"adviser_days": "3"})
    client.force_login(olivia)
    page = client.get(reverse("categorisation:what-if", args=["tiered", draft.number])).content.decode()
    assert "Focused: adviser days 4 → 3" in page
    assert "Days of support implied" in page


# The active version's entitlement ---------------------------------------------------------------------------


def test_after_adoption_a_school_gets_the_new_version_s_entitlement_and_its_decision_is_unchanged(
    ashfield, olivia, adam, draft
):
    agreed(ashfield, olivia, "focused")
    decision_category = SchoolCategory.objects.get(school=ashfield).category
    assert selectors.entitled_category(ashfield) == decision_category
    services.update_support(category=focused_of(draft), by=adam, values={"adviser_days": "3"})
    assert selectors.entitled_category(ashfield).adviser_days == 4  # a draft changes nothing yet
    services.adopt_draft(version=draft, by=adam)

    entitled = selectors.entitled_category(ashfield)
    assert (entitled.pk, entitled.adviser_days) == (focused_of(draft).pk, 3)
    standing = SchoolCategory.objects.get(school=ashfield)
    assert standing.category == decision_category  # the agreed decision is never rewritten
    assert standing.decision.category == decision_category
    assert selectors.in_active_version(entitled) == entitled


def test_a_school_without_an_agreed_category_has_no_entitlement(ashfield):
    assert selectors.entitled_category(ashfield) is None


# Funding per school -------------------------------------------------------------------------------------------


@pytest.fixture
def funded(ashfield, castle, olivia, adam, draft):
    """Intensive brings £12.50 a pupil and Focused £4, set in a draft and adopted after Ashfield
    (320 pupils) was agreed Intensive and Castle (no roll known) Focused."""
    castle.pupils_on_roll = None
    castle.save()
    agreed(ashfield, olivia, "intensive")
    services.agree_category(school=castle, by=olivia, category_code="focused", rationale="Agreed at panel")
    services.update_support(
        category=draft.categories.get(code="intensive"), by=adam, values={"funding_per_pupil": "12.50"}
    )
    services.update_support(category=focused_of(draft), by=adam, values={"funding_per_pupil": "4"})
    services.adopt_draft(version=draft, by=adam)
    return draft


def test_the_funding_table_multiplies_each_school_s_pupils_by_its_category_s_amount(funded, ashfield, castle):
    table = selectors.funding_table()
    rows = {row.school.urn: row for row in table.rows}
    assert set(rows) == {ashfield.urn, castle.urn}
    assert (rows[ashfield.urn].category_label, rows[ashfield.urn].per_pupil) == ("Intensive", Decimal("12.50"))
    assert rows[ashfield.urn].funding == Decimal("4000.00")
    assert rows[castle.urn].funding is None
    totals = {t.name: t for t in table.totals}
    assert (totals["Intensive"].schools, totals["Intensive"].pupils, totals["Intensive"].funding) == (
        1,
        320,
        Decimal("4000.00"),
    )
    assert (totals["Focused"].schools, totals["Focused"].funding, totals["Focused"].roll_unknown) == (1, 0, 1)
    assert table.grand_total.funding == Decimal("4000.00")
    assert table.grand_total.schools == 2


def test_funding_totals_group_by_any_path_ready_for_consortia(funded, ashfield, castle):
    """Consortia do not exist yet: the same totals group by another path from the standing."""
    totals = selectors.funding_totals(selectors.funding_table().rows, "school__la__name")
    assert totals["Birmingham"]["total"] == Decimal("4000.00")
    assert (totals["Warwickshire"]["schools"], totals["Warwickshire"]["roll_unknown"]) == (1, 1)


def test_the_funding_table_keeps_to_the_remit_and_to_funded_categories(funded, olivia):
    elsewhere = SchoolFactory(la=LocalAuthorityFactory(code=50, name="Outside the remit"))
    framework = selectors.active_framework()
    SchoolCategory.objects.create(
        school=elsewhere, framework=framework, category=funded.categories.get(code="intensive")
    )
    overview = SchoolFactory()
    agreed(overview, olivia, "overview")
    urns = {row.school.urn for row in selectors.funding_table().rows}
    assert elsewhere.urn not in urns
    assert overview.urn not in urns


def test_the_funding_page_s_queries_do_not_grow_with_its_rows(client, funded, olivia):
    client.force_login(olivia)
    url = reverse("categorisation:funding")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        agreed(SchoolFactory(), olivia, "intensive")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    assert "£24,000.00" in page  # six schools of 320 pupils at £12.50, and one whose roll is not known


def test_the_funding_page_downloads_every_row(client, funded, olivia, ashfield):
    client.force_login(olivia)
    response = client.get(reverse("categorisation:funding"), {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    by_urn = {row["URN"]: row for row in rows}
    assert by_urn[str(ashfield.urn)]["Category"] == "Intensive"
    assert by_urn[str(ashfield.urn)]["Pupils on roll"] == "320"
    assert Decimal(by_urn[str(ashfield.urn)]["Funding (£)"]) == Decimal("4000")
    xlsx = client.get(reverse("categorisation:funding"), {"export": "xlsx"})
    assert xlsx.status_code == 200


def test_the_funding_page_says_when_no_category_brings_funding(client, olivia):
    client.force_login(olivia)
    page = client.get(reverse("categorisation:funding")).content.decode()
    assert "No category of the active version brings funding per pupil" in page


def test_every_role_gets_what_it_may_see_of_the_funding_page(client, everyone):
    assert status_by_role(client, everyone, reverse("categorisation:funding")) == {**OFFICERS, **NOT_OFFICERS}
