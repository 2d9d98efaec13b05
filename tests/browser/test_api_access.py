"""The API's pages in the browser: a partner creates a token under Your account, reads their own
school through the API with it, and revokes it."""

from django.test import Client
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_support import heading


def test_a_partner_creates_a_token_reads_their_school_with_it_and_revokes_it(
    page, live_server, alice, ashfield, beacon_hill, console_errors
):
    sign_in(page, live_server, alice)
    page.get_by_role("link", name=alice.full_name).click()
    page.get_by_role("link", name="Create a token for the API").click()
    expect(heading(page)).to_have_text("API access")
    expect(page.locator("#api-token-status")).to_contain_text("You do not have an API token")

    page.get_by_label("Name the token").fill("Caseload spreadsheet")
    page.get_by_label("30 days").check()
    page.get_by_role("button", name="Create a token").click()
    expect(page.get_by_role("heading", name="Your new API token")).to_be_visible()
    key = page.locator("#api-token").inner_text().strip()
    assert len(key) == 64
    expect(page.locator("#api-tokens")).to_contain_text("Caseload spreadsheet")

    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    mine = api.get(f"/api/schools/{ashfield.urn}/")
    assert mine.status_code == 200
    assert mine.json()["name"] == ashfield.name
    assert api.get(f"/api/schools/{beacon_hill.urn}/").status_code == 404

    page.goto(f"{live_server.url}/account/api-access/")  # the key is shown once only
    expect(page.locator("#api-token")).to_have_count(0)
    page.get_by_role("link", name="read-only API").click()
    expect(heading(page)).to_have_text("The portal's API")
    page.go_back()
    page.get_by_role("button", name="Revoke Caseload spreadsheet").click()
    expect(page.locator("#api-token-status")).to_contain_text("You do not have an API token")
    assert api.get(f"/api/schools/{ashfield.urn}/").status_code == 401
    assert console_errors == []
