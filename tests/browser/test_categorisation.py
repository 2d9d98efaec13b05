"""Browser journeys for categorisation: overriding a proposal, and a what-if."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from categorisation import selectors, services
from schools.imports import refresh_latest_inspections
from tests.browser.conftest import sign_in
from tests.factories import InspectionFactory, IntelligenceNoteFactory


@pytest.fixture
def proposals(ashfield, beacon_hill):
    InspectionFactory(school=ashfield, overall_effectiveness=4, category_of_concern="special_measures")
    refresh_latest_inspections({ashfield.pk})
    services.recategorise(trigger="manual")


def test_an_officer_overrides_a_proposal_from_the_queue_and_sees_it_in_the_history(
    page, live_server, olivia, ashfield, proposals, console_errors
):
    sign_in(page, live_server, olivia)
    page.get_by_role("link", name="Categories", exact=True).click()
    page.get_by_role("link", name="2 proposals awaiting agreement").click()
    queue = page.locator("#queue-table")
    expect(queue).to_contain_text("Ashfield Primary School")
    expect(queue).to_contain_text("Intensive")
    page.get_by_role("link", name="Agree or override for Ashfield Primary School").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Agree or override the category")
    expect(page.get_by_text("Ofsted: inadequate at the latest inspection", exact=True)).to_be_visible()
    page.get_by_label("Focused").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why you are overriding the proposed category")

    page.get_by_label("Focused").check()
    page.get_by_label("Rationale").fill("A strong interim head is in place; progress since the inspection is rapid.")
    page.get_by_role("button", name="Save decision").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ashfield Primary School")
    expect(page.locator("#current-category")).to_contain_text("Focused")
    history = page.locator("#category-history")
    expect(history).to_contain_text("Focused")
    expect(history).to_contain_text("A strong interim head is in place")
    expect(history).to_contain_text("Olivia Officer")
    expect(history).to_contain_text("Overrode the proposal")
    assert console_errors == []


def test_an_officer_runs_a_what_if_on_a_draft(page, live_server, olivia, adam, ashfield, beacon_hill, console_errors):
    IntelligenceNoteFactory(school=ashfield, area="finance", risk_grade="medium", noted_on=timezone.localdate())
    services.recategorise(trigger="manual")
    draft = services.create_draft(version=selectors.active_version(), by=adam)
    trigger = draft.triggers.get(code="budget_deficit")
    services.update_trigger(
        trigger=trigger, by=adam, severity=2, enabled=True, params={**trigger.params, "min_grade": "medium"}
    )

    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}/categories/frameworks/")
    page.get_by_role("link", name=f"Version {draft.number}").click()
    page.get_by_role("button", name="Run a what-if").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"What if version {draft.number} were adopted?")
    matrix = page.locator("#transition-matrix")
    expect(matrix).to_contain_text("Overview")
    movers = page.locator("#movers")
    expect(movers).to_contain_text("Ashfield Primary School")
    expect(movers).to_contain_text("Focused")
    expect(movers).to_contain_text("Budget deficit")
    expect(page.get_by_text("Nothing has been saved or changed.")).to_be_visible()
    assert console_errors == []


def test_an_administrator_changes_a_threshold_in_a_draft(page, live_server, adam, console_errors):
    sign_in(page, live_server, adam)
    page.goto(f"{live_server.url}/categories/frameworks/tiered/3/")
    page.get_by_role("button", name="Copy to a new draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Version 4")
    page.get_by_role("link", name="Change Falling roll").click()
    page.get_by_label("Percent").fill("5")
    page.get_by_role("button", name="Save trigger").click()
    expect(page.locator("#trigger-table")).to_contain_text("percent: 5")
    assert console_errors == []


def test_an_administrator_sets_funding_per_pupil_in_a_draft(page, live_server, adam, console_errors):
    draft = services.create_draft(version=selectors.active_version(), by=adam)
    category = draft.categories.order_by("rank").last()
    sign_in(page, live_server, adam)
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    page.get_by_role("link", name=f"Change support for {category.label}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Change support: {category.label}")
    page.get_by_label("Funding per pupil, in pounds").fill("12.50")
    page.get_by_role("button", name="Save support").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Support for '{category.label}' saved")
    row = page.locator("#category-table").get_by_role("row", name=category.label)
    expect(row).to_contain_text("£12.50")
    assert console_errors == []
