"""The accessibility statement, privacy notice and cookies page, reached from every page's footer
by someone not signed in (axe-core checks each page: see ``axe.py``)."""

from playwright.sync_api import expect


def test_a_visitor_reads_the_accessibility_statement_privacy_notice_and_cookies_from_the_footer(
    page, live_server, console_errors
):
    page.goto(f"{live_server.url}/sign-in/")
    footer = page.locator("footer")

    footer.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Accessibility statement for the School improvement portal"
    )
    expect(page.locator("main")).to_contain_text("partially compliant with the Web Content Accessibility Guidelines")

    footer.get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")

    footer.get_by_role("link", name="Cookies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cookies")
    expect(page.get_by_role("table").get_by_role("rowheader")).to_have_text(
        ["sessionid", "csrftoken", "messages", "django_language"]
    )
    assert console_errors == []
