"""Entitlements as data (issue 21), in the browser: an administrator changes what a category brings
in a draft, sees it in the what-if, adopts it, and the school's support follows; officers read the
funding each school's category brings."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from categorisation import selectors, services
from support import calendar, entitlements
from support import selectors as support_selectors
from support.models import SupportPackage
from tests.browser.conftest import sign_in


@pytest.fixture
def focused(ashfield, olivia):
    """Ashfield agreed as Focused (4 adviser days a year) under the active version."""
    services.recategorise(trigger="manual")
    services.agree_category(school=ashfield, by=olivia, category_code="focused", rationale="Agreed at panel")
    return ashfield


def test_an_administrator_changes_focused_s_days_and_the_support_pages_show_them(
    page, live_server, adam, focused, console_errors
):
    active = selectors.active_version()
    sign_in(page, live_server, adam)
    page.goto(f"{live_server.url}/categories/frameworks/")
    page.get_by_role("link", name=f"Version {active.number}", exact=True).first.click()
    page.get_by_role("button", name="Copy to a new draft").click()
    draft_number = active.number + 1
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Version {draft_number}")

    page.get_by_role("link", name="Change support for Focused").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change support: Focused")
    expect(page.get_by_label("Adviser days", exact=True)).to_have_value("4")
    page.get_by_label("Adviser days", exact=True).fill("3")
    page.get_by_role("button", name="Save support").click()
    expect(page.get_by_role("alert")).to_contain_text("Support for 'Focused' saved")
    expect(page.locator("#category-table").get_by_role("row", name="Focused")).to_contain_text("3")

    page.get_by_role("button", name="Run a what-if").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"What if version {draft_number} were adopted?")
    expect(page.locator("#support-changes")).to_contain_text("Focused: adviser days 4 → 3")
    focused_table = page.locator("#support-focused")
    expect(focused_table.get_by_role("row", name="Adviser days Changed")).to_contain_text("4")
    expect(focused_table.get_by_role("row", name="Adviser days Changed")).to_contain_text("3")

    page.get_by_role("link", name=f"Back to version {draft_number}").click()
    page.get_by_role("button", name="Adopt this draft").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Version {draft_number} is now active")

    page.goto(f"{live_server.url}/schools/{focused.urn}/support/")
    entitlement = page.locator("#category-entitlement")
    expect(entitlement.locator(".govuk-summary-list__row", has_text="Adviser days").first).to_contain_text("3")
    expect(page.get_by_text(f"version {draft_number} of Tiered support")).to_be_visible()

    page.get_by_role("button", name="Set up support from the school's category").click()
    expect(page.get_by_role("alert")).to_contain_text("Support package set up from the school's category")
    # The package shares the 3 days out by the half-terms left today, as the service does.
    year = support_selectors.current_year()
    today = max(timezone.localdate(), date(year, 9, 1))
    expected = entitlements.prorate(Decimal(3), *calendar.fraction_remaining(today, support_selectors.half_terms(year)))
    package = SupportPackage.objects.get(school=focused)
    assert package.adviser_days == expected
    assert package.category.version.number == draft_number
    adviser_row = page.locator("#entitlement-table").get_by_role("row", name="School improvement adviser days")
    expect(adviser_row.locator("td").first).to_have_text(f"{expected.normalize():f}")
    assert console_errors == []


def test_an_officer_reads_the_funding_each_school_s_category_brings(
    page, live_server, adam, olivia, focused, console_errors
):
    draft = services.create_draft(version=selectors.active_version(), by=adam)
    services.update_support(
        category=draft.categories.get(code="focused"), by=adam, values={"funding_per_pupil": "12.50"}
    )
    services.adopt_draft(version=draft, by=adam)

    sign_in(page, live_server, olivia)
    page.get_by_role("link", name="Categories", exact=True).click()
    page.get_by_role("link", name="Funding per school").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Funding per school")
    totals = page.locator("#funding-totals")
    expect(totals.get_by_role("row", name="Focused")).to_contain_text("£4,000.00")
    expect(page.locator("#funding-grand-total")).to_have_text("£4,000.00")
    row = page.locator("#funding-table").get_by_role("row", name=focused.name)
    expect(row).to_contain_text(str(focused.urn))
    expect(row).to_contain_text("320")
    expect(row).to_contain_text("£12.50")
    expect(row).to_contain_text("£4,000.00")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename.startswith("funding-")
    assert console_errors == []
