"""The browser tests' own accessibility check can fail: a page with a nameless button is reported
with the rule, its impact, the element and the page."""

from playwright.sync_api import Route, expect

from tests.browser import axe

PAGE = (
    '<!DOCTYPE html><html lang="en-GB"><head><title>A page with a problem</title></head>'
    "<body><main><h1>A page with a problem</h1><button></button></main></body></html>"
)


def serve(route: Route) -> None:
    route.fulfill(body=PAGE, content_type="text/html", headers={"Content-Security-Policy": "default-src 'self'"})


def test_a_button_without_a_name_is_reported_by_axe(page, live_server, browser_record):
    page.route("**/axe-check-test/", serve)
    page.goto(f"{live_server.url}/axe-check-test/")
    expect(page.get_by_role("heading", level=1)).to_have_text("A page with a problem")
    checker = browser_record.accessibility[0]
    checker.finish()

    failing = [v for v in checker.violations if v.fails]
    assert [(v.id, v.impact, v.target, v.url) for v in failing] == [
        ("button-name", "critical", "button", f"{live_server.url}/axe-check-test/")
    ]
    assert "Buttons must have discernible text" in str(failing[0])
    # Seen and proven: forget it so the check after the test passes and the run's summary is the portal's.
    checker.violations.clear()
    axe.SESSION.forget("/axe-check-test/")
