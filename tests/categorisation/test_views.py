"""Categorisation pages for every role, and what officers, partners and heads see of a category."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from categorisation import selectors, services
from categorisation.models import CategoryDecision, Framework, FrameworkVersion, SchoolCategory
from operations.models import PendingJob
from schools.access import remit
from schools.imports import refresh_latest_inspections
from schools.models import School
from tests.conftest import DATA
from tests.factories import InspectionFactory, SchoolFactory
from tests.roles import NOT_OFFICERS, OFFICERS, ROLES, assert_each_page_by_role

pytestmark = pytest.mark.django_db


def assessed(*schools):
    for school in schools:
        InspectionFactory(school=school, overall_effectiveness=4, category_of_concern="special_measures")
        refresh_latest_inspections({school.pk})
    services.recategorise(trigger="manual", as_of=date(2026, 11, 23))


@pytest.fixture
def draft(adam):
    return services.create_draft(version=selectors.active_version(), by=adam)


@pytest.fixture
def pages(ashfield, beacon_hill, castle, draft):
    assessed(ashfield)
    trigger = draft.triggers.first()
    rule = draft.rules.first()
    return {
        "overview": (reverse("categorisation:overview"), OFFICERS | NOT_OFFICERS),
        "queue": (reverse("categorisation:queue"), OFFICERS | NOT_OFFICERS),
        "runs": (reverse("categorisation:runs"), OFFICERS | NOT_OFFICERS),
        "inspections expected": (reverse("categorisation:windows"), OFFICERS | NOT_OFFICERS),
        "frameworks": (reverse("categorisation:frameworks"), OFFICERS | NOT_OFFICERS),
        "a version": (draft.get_absolute_url(), OFFICERS | NOT_OFFICERS),
        "what-if": (reverse("categorisation:what-if", args=["tiered", draft.number]), OFFICERS | NOT_OFFICERS),
        "edit a trigger": (
            reverse("categorisation:edit-trigger", args=["tiered", draft.number, trigger.pk]),
            dict.fromkeys(ROLES, 403) | {"adam": 200},
        ),
        "edit a rule": (
            reverse("categorisation:edit-rule", args=["tiered", draft.number, rule.pk]),
            dict.fromkeys(ROLES, 403) | {"adam": 200},
        ),
        "change a category's support": (
            reverse("categorisation:edit-support", args=["tiered", draft.number, draft.categories.first().pk]),
            dict.fromkeys(ROLES, 403) | {"adam": 200},
        ),
        "decide Ashfield": (
            reverse("categorisation:decide", args=[ashfield.urn]),
            dict.fromkeys(ROLES, 404) | OFFICERS,
        ),
    }


PAGE_NAMES = [
    "overview",
    "queue",
    "runs",
    "inspections expected",
    "frameworks",
    "a version",
    "what-if",
    "edit a trigger",
    "edit a rule",
    "change a category's support",
    "decide Ashfield",
]


def test_every_role_gets_exactly_what_it_may_see(client, everyone, pages):
    assert_each_page_by_role(client, everyone, pages, PAGE_NAMES)


@pytest.mark.parametrize(
    ("action", "who", "status"),
    [("copy", "olivia", 403), ("adopt", "olivia", 403), ("discard", "alice", 403), ("copy", "colin", 403)],
)
def test_only_administrators_copy_adopt_or_discard_versions(client, everyone, draft, action, who, status):
    client.force_login(everyone[who])
    url = reverse("categorisation:version-action", args=["tiered", draft.number, action])
    assert client.post(url).status_code == status
    # As shipped, as written, with the evidence the seeds name, and the draft.
    assert FrameworkVersion.objects.filter(framework__code="tiered").count() == 4


def test_an_officer_cannot_switch_the_active_framework(client, olivia):
    client.force_login(olivia)
    assert client.post(reverse("categorisation:frameworks"), {"framework": "wales"}).status_code == 403
    assert selectors.active_framework().code == "tiered"


def test_an_administrator_switches_the_active_framework(client, adam, django_capture_on_commit_callbacks):
    client.force_login(adam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("categorisation:frameworks"), {"framework": "wales"})
    assert response.status_code == 302
    assert selectors.active_framework().code == "wales"


def test_a_partner_cannot_decide_another_schools_category_by_posting(client, alice, beacon_hill):
    assessed(beacon_hill)
    client.force_login(alice)
    response = client.post(reverse("categorisation:decide", args=[beacon_hill.urn]), {"category": "overview"})
    assert response.status_code == 404
    assert not CategoryDecision.objects.exists()


# What each role sees on the school page ------------------------------------------------------------


def school_page(client, user, school) -> str:
    client.force_login(user)
    return client.get(reverse("schools:detail", args=[school.urn])).content.decode()


def test_partners_and_heads_read_the_category_and_its_reasons_only(client, ashfield, olivia, alice, hannah):
    assessed(ashfield)
    services.agree_category(school=ashfield, by=olivia, category_code="focused", rationale="Confidential reasoning")
    for person in (alice, hannah):
        page = school_page(client, person, ashfield)
        assert 'id="current-category"' in page
        assert "Focused" in page
        assert "Ofsted: inadequate at the latest inspection" in page
        assert "Confidential reasoning" not in page  # the history is for officers
        assert reverse("categorisation:decide", args=[ashfield.urn]) not in page


def test_officers_see_the_pending_proposal_and_the_history(client, ashfield, olivia):
    assessed(ashfield)
    page = school_page(client, olivia, ashfield)
    assert 'id="pending-proposal"' in page
    assert "Intensive" in page
    services.agree_category(school=ashfield, by=olivia, category_code="focused", rationale="Strong new head")
    page = school_page(client, olivia, ashfield)
    assert "Strong new head" in page
    assert "Olivia Officer" in page
    assert "Tiered support v3" in page


# The queue and decisions -----------------------------------------------------------------------------


def test_an_override_without_a_rationale_is_refused_with_a_clear_message(client, ashfield, olivia):
    assessed(ashfield)
    client.force_login(olivia)
    url = reverse("categorisation:decide", args=[ashfield.urn])
    page = client.post(url, {"category": "overview", "rationale": ""}).content.decode()
    assert "There is a problem" in page
    assert "Enter why you are overriding the proposed category" in page
    assert not CategoryDecision.objects.exists()


def test_an_officer_overrides_and_sees_it_in_the_history(client, ashfield, olivia):
    assessed(ashfield)
    client.force_login(olivia)
    url = reverse("categorisation:decide", args=[ashfield.urn])
    response = client.post(url, {"category": "focused", "rationale": "Improving fast under the new head"})
    assert response.status_code == 302
    decision = CategoryDecision.objects.get()
    assert (decision.kind, decision.category.code, decision.decided_by) == ("overridden", "focused", olivia)


def test_agreeing_selected_proposals_from_the_queue(client, ashfield, beacon_hill, castle, olivia):
    assessed(ashfield, beacon_hill, castle)
    client.force_login(olivia)
    response = client.post(reverse("categorisation:queue"), {"school": [ashfield.pk, castle.pk]})
    assert response.status_code == 302
    assert set(SchoolCategory.objects.filter(pending=False).values_list("school__name", flat=True)) == {
        "Ashfield Primary School",
        "Castle Secondary School",
    }
    page = client.get(reverse("categorisation:queue")).content.decode()
    assert "Beacon Hill Academy" in page
    assert "Ashfield Primary School" not in page


def test_the_overview_counts_link_to_the_schools(client, ashfield, beacon_hill, olivia):
    assessed(ashfield)
    services.agree_proposals(school_ids=[ashfield.pk, beacon_hill.pk], by=olivia)
    client.force_login(olivia)
    counts = {row.category.code: row.count for row in client.get(reverse("categorisation:overview")).context["counts"]}
    assert counts == {"overview": 1, "focused": 0, "intensive": 1}
    listed = client.get(reverse("schools:list"), {"category": "intensive"}).context["page"].object_list
    assert [s.name for s in listed] == ["Ashfield Primary School"]


def _queue_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("categorisation:queue")).status_code == 200
    return len(queries)


def test_the_queue_makes_the_same_number_of_queries_for_10_and_200_proposals(client, olivia, birmingham):
    SchoolFactory.create_batch(10, la=birmingham)
    services.recategorise(trigger="manual")
    ten = _queue_queries(client, olivia)
    SchoolFactory.create_batch(190, la=birmingham)
    services.recategorise(trigger="manual")
    assert _queue_queries(client, olivia) == ten


def test_an_import_reassesses_every_school_once_it_commits(olivia, django_capture_on_commit_callbacks):
    from schools import imports
    from schools.services import start_command_import

    path = DATA / "gias" / "gias_establishments_sample_2021_npq-registration.csv"
    raw = path.read_bytes()
    started = start_command_import(
        kind="gias_establishments", file_name=path.name, raw=raw, dry_run=False, academic_year=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        imports.run_import(run=started, raw=raw)
    # The file's 99 establishments, of which the authority supports its maintained schools and academies.
    standings = SchoolCategory.objects.filter(framework__code="tiered")
    assert School.objects.count() == 99
    assert standings.count() == remit().count() == 45
    assert not standings.exclude(
        school__type_group_name__in=[
            "Local authority maintained schools",
            "Academies",
            "Special schools",
            "Free Schools",
        ]
    ).exists()
    assert started.recategorisations.get().trigger == "import"


def test_a_new_intelligence_note_reassesses_that_school(client, ashfield, olivia, django_capture_on_commit_callbacks):
    services.recategorise(trigger="manual")
    client.force_login(olivia)
    form = {
        "area": "safeguarding",
        "noted_on_0": "3",
        "noted_on_1": "11",
        "noted_on_2": "2026",
        "source": "Designated lead",
        "risk_grade": "high",
        "visibility": "restricted",
        "text": "Referral not followed up.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("schools:note-create", args=[ashfield.urn]), form)
    mine = SchoolCategory.objects.get(school=ashfield, framework=Framework.objects.get(code="tiered"))
    assert mine.proposed.code == "intensive"
    assert "safeguarding_intelligence" in [f["code"] for f in mine.assessment.fired]


def test_evidence_from_intelligence_is_withheld_from_partners_and_heads(client, ashfield, olivia, alice, hannah):
    from tests.factories import IntelligenceNoteFactory

    IntelligenceNoteFactory(
        school=ashfield, area="safeguarding", risk_grade="high", noted_on=date(2026, 10, 1), visibility="restricted"
    )
    services.recategorise(trigger="manual", as_of=date(2026, 11, 23))
    services.agree_category(school=ashfield, by=olivia)
    assert "Safeguarding intelligence graded high" in school_page(client, olivia, ashfield)
    for person in (alice, hannah):
        page = school_page(client, person, ashfield)
        assert "Intensive" in page
        assert "Safeguarding intelligence" not in page
        assert "1 October 2026" not in page
        assert "Information held by the local authority" in page


def support_form(category, **changes) -> dict:
    """What the "Change support" form posts for the category as it stands, with ``changes``."""
    return {
        "adviser_days": str(category.adviser_days),
        "teaching_adviser_days": str(category.teaching_adviser_days),
        "progress_meetings_per_year": str(category.progress_meetings_per_year),
        "meeting_cadence": category.meeting_cadence,
        "visit_pattern": category.visit_pattern,
        "brokered_support": "yes" if category.brokered_support else "no",
        "funding_per_pupil": "" if category.funding_per_pupil is None else str(category.funding_per_pupil),
        "support_summary": category.support_summary,
        **changes,
    }


def test_an_administrator_sets_a_draft_category_s_funding_per_pupil(client, adam, draft):
    category = draft.categories.order_by("rank").last()
    url = reverse("categorisation:edit-support", args=["tiered", draft.number, category.pk])
    client.force_login(adam)
    refused = client.post(url, support_form(category, funding_per_pupil="twelve pounds"))
    assert "Enter funding per pupil in pounds, like 12.50, or leave it blank" in refused.content.decode()
    response = client.post(url, support_form(category, funding_per_pupil="12.50"), follow=True)
    assert f"Support for &#x27;{category.label}&#x27; saved" in response.content.decode()
    assert "£12.50" in response.content.decode()
    category.refresh_from_db()
    assert str(category.funding_per_pupil) == "12.50"
    client.post(url, support_form(category, funding_per_pupil=""))
    category.refresh_from_db()
    assert category.funding_per_pupil is None


def test_the_funding_of_an_adopted_version_cannot_be_changed(client, adam):
    version = selectors.active_version()
    category = version.categories.first()
    before = category.funding_per_pupil
    client.force_login(adam)
    url = reverse("categorisation:edit-support", args=[version.framework.code, version.number, category.pk])
    response = client.post(url, support_form(category, funding_per_pupil="99"))
    assert response.status_code == 200
    assert "draft" in response.content.decode().lower()
    category.refresh_from_db()
    assert category.funding_per_pupil == before


def test_the_runs_page_says_how_many_jobs_wait_for_the_background_service(client, olivia):
    client.force_login(olivia)
    assert "waiting for the background service" not in client.get(reverse("categorisation:runs")).content.decode()
    for _ in range(2):
        PendingJob.objects.create(task="categorisation.recategorise", args=[], kwargs={}, attempts=1, last_error="down")
    page = client.get(reverse("categorisation:runs")).content.decode()
    assert "2 jobs are waiting for the background service: they will run, in the order started" in page


def test_an_overdue_window_is_listed(client, ashfield, beacon_hill, olivia, monkeypatch):
    """Ashfield, good in March 2019 and not inspected since, was due by 1 March 2024: long before
    this term, it is listed first, marked overdue; Beacon Hill, inspected in 2024, is not."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: date(2026, 12, 4))
    InspectionFactory(school=ashfield, start_date=date(2019, 3, 1), overall_effectiveness=2)
    InspectionFactory(school=beacon_hill, start_date=date(2024, 5, 1), overall_effectiveness=2)
    client.force_login(olivia)
    page = client.get(reverse("categorisation:windows")).content.decode()
    overdue = page[page.index('id="overdue"') :]
    assert "Overdue: 1 school" in overdue
    assert all(text in overdue for text in ("Ashfield Primary School", "1 Mar 2024", "Overdue</strong>"))
    assert "Beacon Hill" not in overdue


def test_inspections_expected_shows_one_list_a_page_at_a_time(
    client, olivia, birmingham, monkeypatch, django_assert_max_num_queries
):
    """The overdue list first, 50 schools a page; each term's list a link away."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: date(2026, 12, 4))
    for number in range(55):
        school = SchoolFactory(urn=300000 + number, name=f"Overdue School {number:02}", la=birmingham)
        InspectionFactory(school=school, start_date=date(2019, 3, 1), overall_effectiveness=2)
    client.force_login(olivia)
    url = reverse("categorisation:windows")
    first = client.get(url)
    assert first.context["chosen"] == "overdue"
    assert len(first.context["page"].object_list) == 50
    page = first.content.decode()
    assert "Showing 1 to 50" in page
    assert 'href="?list=overdue&amp;page=2"' in page
    assert 'href="?list=this-term"' in page
    second = client.get(url, {"list": "overdue", "page": 2})
    assert [row.school.name for row in second.context["page"].object_list][-1] == "Overdue School 54"
    assert "Showing 51 to 55" in second.content.decode()
    with django_assert_max_num_queries(15):
        term = client.get(url, {"list": "this-term"})
    assert term.context["chosen"] == "this-term"
    assert "Overdue School" not in term.content.decode().split('id="this-term"')[1]
