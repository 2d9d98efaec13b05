"""An LA officer enters the chair of governors on the school page, and the letter then drafted to
the school names the chair (issue 22)."""

from playwright.sync_api import expect

from boards import services
from tests.browser.conftest import sign_in
from tests.browser.test_support import heading, success


def test_an_officer_enters_the_chair_and_the_letter_names_them(page, live_server, olivia, ashfield):
    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}{ashfield.get_absolute_url()}")
    expect(page.locator("#governance-chair")).to_have_count(0)
    page.get_by_role("button", name="Change the chair and clerk").click()
    expect(heading(page)).to_have_text("Chair and clerk: governing body")
    chair = page.get_by_role("group", name="Chair of the governing body")
    chair.get_by_label("Name").fill("Mrs J Smith")
    chair.get_by_label("Email address").fill("j.smith@ashfield.example")
    page.get_by_role("button", name="Save the contacts").click()
    expect(success(page)).to_contain_text("Chair recorded")
    expect(page.locator("#governance-chair")).to_have_text("Mrs J Smith")

    letter = services.draft_letter(school=ashfield, kind="priority", by=olivia)
    page.goto(f"{live_server.url}{letter.get_absolute_url()}")
    expect(page.get_by_role("listitem").filter(has_text="Mrs J Smith, chair of governors")).to_have_text(
        "Mrs J Smith, chair of governors, Ashfield Primary School"
    )
    expect(page.locator("#letter-body")).to_contain_text("Dear Headteacher and Mrs J Smith, chair of governors,")
