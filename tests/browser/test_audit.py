"""Browser journey for the audit trail: an officer overrides a category and reads the change on
the school's History page; an administrator finds it in the audit search."""

from playwright.sync_api import expect

from categorisation import services
from tests.browser.conftest import sign_in


def test_an_officer_overrides_a_category_and_sees_it_on_the_schools_history(
    page, live_server, olivia, ashfield, console_errors
):
    services.recategorise(trigger="manual")
    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}{ashfield.get_absolute_url()}")
    page.get_by_role("link", name="Agree or override").first.click()
    page.get_by_label("Intensive").check()
    page.get_by_label("Rationale").fill("The head has resigned and governors have asked for help.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ashfield Primary School")

    page.get_by_role("link", name="History", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History")
    latest = page.locator("#audit-entries tbody tr").first
    expect(latest).to_contain_text("Olivia Officer")
    expect(latest).to_contain_text("School category")
    expect(latest).to_contain_text("Category: none → changed to Intensive")
    record = page.locator("td:nth-child(3)", has_text="Category decision")
    decision = page.locator("#audit-entries tbody tr").filter(has=record).first
    decision.get_by_text("Values recorded").click()
    expect(decision).to_contain_text("The head has resigned and governors have asked for help.")
    expect(decision).to_contain_text("Overrode the proposal")
    expect(page.locator("#audit-entries")).to_contain_text("Recategorisation run")
    assert console_errors == []


def test_an_administrator_finds_a_change_in_the_audit_trail(page, live_server, adam, olivia, ashfield, console_errors):
    services.recategorise(trigger="manual")
    services.agree_category(school=ashfield, by=olivia, category_code="focused", rationale="Agreed at panel")
    sign_in(page, live_server, adam)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    page.get_by_label("Person").select_option(label="Olivia Officer")
    page.get_by_label("Record type").select_option(label="Category decision")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#result-count")).to_contain_text("1 change")
    entries = page.locator("#audit-entries")
    expect(entries).to_contain_text("Olivia Officer")
    expect(entries).to_contain_text("Ashfield Primary School")
    entries.get_by_role("link", name="Ashfield Primary School").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History")
    assert console_errors == []


def test_an_administrator_sees_who_downloaded_a_list(page, live_server, adam, olivia, ashfield, console_errors):
    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}/schools/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    filename = download_info.value.suggested_filename
    page.context.clear_cookies()

    sign_in(page, live_server, adam)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Downloads").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download log")
    page.get_by_label("Person").select_option(label="Olivia Officer")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#result-count")).to_contain_text("1 download")
    row = page.locator("#downloads tbody tr").first
    expect(row).to_contain_text("Olivia Officer")
    expect(row).to_contain_text(filename)
    expect(row).to_contain_text("/schools/?export=csv")
    assert console_errors == []
