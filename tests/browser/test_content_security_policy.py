"""The browser tests' own check of the Content-Security-Policy can fail: an inline style the policy
forbids is reported, and a page without the header would be too."""

from tests.browser.conftest import sign_in


def test_an_inline_style_is_refused_by_the_browser_and_reported(page, live_server, olivia, browser_record):
    sign_in(page, live_server, olivia)
    assert browser_record.documents
    assert browser_record.without_csp == []
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p id=\"x\" style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)
    assert page.locator("#x").evaluate("element => getComputedStyle(element).color") != "rgb(255, 0, 0)"
    assert any("style-src" in message for message in browser_record.csp_violations)
    # Seen and proven: clear it so the check after the test passes.
    browser_record.csp_violations.clear()
    browser_record.console_errors.clear()
