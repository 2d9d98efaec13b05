"""The header's search in a real browser: a name, then a URN straight to the school."""

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def test_an_officer_searches_from_the_header(page, live_server, console_errors, olivia, ashfield, beacon_hill):
    sign_in(page, live_server, olivia)
    header = page.locator("header")
    header.get_by_label("Search schools and people").fill("beacon")
    header.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.locator("#result-count")).to_contain_text("1 school found for ‘beacon’")
    expect(page.locator("#search-results").get_by_role("link")).to_have_text(["Beacon Hill Academy"])

    header.get_by_label("Search schools and people").fill(str(ashfield.urn))
    header.get_by_role("button", name="Search").click()
    expect(page).to_have_url(f"{live_server.url}/schools/{ashfield.urn}/")
    assert console_errors == []
