"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright cannot download its own browsers here, so every launch names an installed Chromium:
``CHROMIUM_PATH`` if set, otherwise the first of chromium, chromium-browser or google-chrome on
the PATH. Without one, the browser tests are skipped with that reason.

Each page a test opens is in a browser context of its own, with no cookies or storage carried over
(one an earlier test on the worker used and emptied: see ``Tab``). Each test gets a record of the
JavaScript console errors and page errors it caused, and, if it fails, a full-page screenshot of each of its
pages in ``test-results/``: CI keeps that folder as an artifact, so a failure can be seen as the
user saw it (the journeys' main steps are kept there whether or not they fail).

Every distinct page the tests open is checked with axe-core against WCAG 2.2 AA (see ``axe.py``):
a serious or critical violation fails the test, and ``test-results/axe-summary*.json`` (one per
pytest-xdist worker) lists the pages checked.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.browser import axe
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM must stay usable from
# the test body (creating data, reading what the live server saved).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
RESULTS = ROOT / "test-results"
JOURNEYS = RESULTS / "journeys"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
# A navigation waits for axe to finish checking the page it leaves (up to axe.FINISH_LIMIT): with
# the suite on both cores that can pass Playwright's 5 s, so assertions wait as long as axe may.
expect.set_options(timeout=25_000)


# A page takes no click until its scripts have run (DOMContentLoaded follows the module scripts).
# GOV.UK Frontend moves the focus to an error summary or a success banner as it starts, which
# scrolls the page: a click Playwright aimed before that would land wherever the scroll left the
# pointer. While a page is loading nothing on it receives pointer events, so Playwright's check
# that its target would receive the click waits, and aims again, until the page is ready. The
# style is a constructed stylesheet, which the page's Content-Security-Policy does not govern.
CLICKS_WAIT_FOR_SCRIPTS = """
(() => {
  if (window.top !== window || !document.adoptedStyleSheets) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync("* { pointer-events: none !important; }");
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  const ready = () => {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((each) => each !== sheet);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready, { once: true });
  else ready();
})();
"""


def chromium_path() -> str | None:
    """The Chromium to launch: CHROMIUM_PATH, else the first one found on the PATH."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return shutil.which(configured)
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder as a browser test (``-m "not browser"`` leaves them out)."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so fixtures can tell in teardown whether it failed."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


_REPORTS = pytest.StashKey[dict]()


def _failed(node) -> bool:
    reports = node.stash.get(_REPORTS, {})
    return any(report.failed for report in reports.values())


# The browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    if not path:
        pytest.skip(
            "No Chromium found: CHROMIUM_PATH is not an executable and none of chromium, chromium-browser or "
            "google-chrome is on the PATH (apt-get install chromium, or set CHROMIUM_PATH)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class BrowserRecord:
    """What the pages opened in one test said on the console, and the pages themselves."""

    console_errors: list[str] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    without_csp: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    accessibility: list[axe.PageChecker] = field(default_factory=list)

    def watch(self, tab: Tab) -> Page:
        """Take the tab's console, page errors, responses and axe's reports for this test."""
        tab.record, tab.checker = self, axe.PageChecker(tab.page)
        tab.already = axe.already_checked(tab.page)
        self.accessibility.append(tab.checker)
        self.pages.append(tab.page)
        return tab.page

    def accessibility_failures(self) -> list[str]:
        """The serious or critical violations axe found on this test's pages."""
        return [str(v) for checker in self.accessibility for v in checker.violations if v.fails]

    def will_fail(self) -> bool:
        """Whether the checks after the test (CSP, axe) will fail it."""
        return bool(self.without_csp or self.csp_violations or self.accessibility_failures())

    def console(self, page: Page, msg) -> None:
        if msg.type == "error":
            self.console_errors.append(f"{page.url}: {msg.text}")
        if "Content Security Policy" in msg.text:
            self.csp_violations.append(f"{page.url}: {msg.text}")

    def page_error(self, page: Page, error) -> None:
        self.console_errors.append(f"{page.url}: page error: {error}")

    def response(self, response) -> None:
        """Every page the portal serves carries its Content-Security-Policy."""
        if response.request.resource_type != "document":
            return
        self.documents.append(response.url)
        if "content-security-policy" not in response.headers:
            self.without_csp.append(f"{response.status} {response.url}")


@pytest.fixture
def browser_record() -> BrowserRecord:
    return BrowserRecord()


@dataclass
class Tab:
    """A browser context with one page, kept open on this worker for the next test once emptied: a
    new context and its renderer cost Chromium about 0.6 s of CPU, a navigation in an open one a
    tenth of that (docs/benchmarks.md). Its listeners report to the test using it (``record``)."""

    context: BrowserContext
    page: Page
    record: BrowserRecord | None = None
    checker: axe.PageChecker | None = None
    already: Any = None  # the init script naming the pages axe checked before this test
    kept: bool = True  # whether it may serve another test

    @classmethod
    def open(cls, browser: Browser, *, kept: bool) -> Tab:
        context = browser.new_context(viewport=VIEWPORT)
        tab = cls(context, context.new_page(), kept=kept)
        page = tab.page
        page.add_init_script(script=CLICKS_WAIT_FOR_SCRIPTS)
        page.on("console", lambda msg: tab.record and tab.record.console(page, msg))
        page.on("response", lambda response: tab.record and tab.record.response(response))
        page.on("pageerror", lambda error: tab.record and tab.record.page_error(page, error))
        axe.attach(page, lambda: tab.checker)
        return tab

    def emptied(self) -> bool:
        """Leave the test's page and forget what the test did in this context (cookies, this tab's
        storage, routes, permissions, the window's size, the pointer's place), for the next test:
        whether that worked."""
        page = self.page
        self.record = self.checker = None
        try:
            if page.url.startswith("http"):
                page.evaluate("() => { try { sessionStorage.clear(); } catch (error) {} }")
            page.goto("about:blank")  # stops the page's timers (the session warning's among them)
            page.unroute_all(behavior="ignoreErrors")
            axe.route(page, lambda: self.checker)
            self.already.close()
            self.context.clear_cookies()
            self.context.clear_permissions()
            if page.viewport_size != VIEWPORT:  # a test that looked at a phone's width
                page.set_viewport_size(VIEWPORT)
            page.mouse.move(0, 0)
        except PlaywrightError:
            return False
        return True


@pytest.fixture(scope="session")
def idle_tabs(browser, live_server) -> Iterator[list[Tab]]:
    """This worker's tabs waiting for a test, closed before the live server stops: a tab keeps its
    connections to the server open, and the server's thread for each would close its database
    connection as the socket closes, after the server had stopped sharing it."""
    tabs: list[Tab] = []
    yield tabs
    for tab in tabs:
        tab.context.close()


@pytest.fixture
def new_page(browser, idle_tabs, browser_record, request) -> Iterator[Callable[..., Page]]:
    """Open a page in a browser context of its own, as another person on another computer would
    (no cookies, no storage; a context an earlier test emptied, or a new one). ``fresh=True`` gives
    a new context used by this test only (one whose clock the test installs, which cannot be undone)."""
    tabs: list[Tab] = []

    def open_page(*, fresh: bool = False) -> Page:
        tab = idle_tabs.pop() if idle_tabs and not fresh else Tab.open(browser, kept=not fresh)
        tabs.append(tab)
        return browser_record.watch(tab)

    yield open_page

    for checker in browser_record.accessibility:
        checker.finish()
    failed = _failed(request.node) or browser_record.will_fail()
    if failed:
        for number, page in enumerate(browser_record.pages, start=1):
            suffix = "" if number == 1 else f"-{number}"
            _screenshot(page, f"{_file_name(request.node.name)}{suffix}")
    for tab in tabs:
        # A failed test's contexts are not used again, whatever state they were left in.
        if not failed and tab.kept and not tab.page.is_closed() and tab.emptied():
            idle_tabs.append(tab)
        else:
            tab.context.close()


@pytest.fixture
def page(new_page) -> Page:
    """A page in a context of its own for this test; screenshot saved to test-results/ if it fails."""
    return new_page()


@pytest.fixture
def console_errors(browser_record) -> list[str]:
    """Console errors and uncaught page errors from every page this test opened."""
    return browser_record.console_errors


def _file_name(test_name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name).strip("_")


def _screenshot(page: Page, name: str) -> None:
    if page.is_closed():
        return
    RESULTS.mkdir(exist_ok=True)
    try:
        page.screenshot(path=RESULTS / f"{name}.png", full_page=True)
    except Exception as exc:  # a missing screenshot must not hide the test's own result
        print(f"Could not save a screenshot of {page.url}: {exc}")


@pytest.fixture(autouse=True)
def _content_security_policy(browser_record):
    """After every browser test: each page it opened had the CSP header and broke none of it."""
    yield
    assert browser_record.without_csp == [], "pages served without a Content-Security-Policy"
    assert browser_record.csp_violations == [], "Content-Security-Policy violations on the console"


@pytest.fixture(autouse=True)
def _accessibility(browser_record):
    """After every browser test: axe found no serious or critical WCAG 2.2 AA failure on its pages."""
    yield
    for error in (error for checker in browser_record.accessibility for error in checker.errors):
        print(f"axe: {error}")
    failures = browser_record.accessibility_failures()
    assert failures == [], "axe found serious or critical accessibility violations:\n" + "\n".join(failures)


def pytest_sessionfinish(session):
    """Write what axe checked in this run to test-results/axe-summary.json."""
    if axe.SESSION.checks:
        axe.SESSION.write()


def pytest_terminal_summary(terminalreporter):
    if not axe.SESSION.checks:
        return
    summary = axe.SESSION.summary()
    terminalreporter.write_line(
        f"axe-core: {summary['pages_checked']} distinct pages in {summary['page_loads_checked']} page loads "
        f"({summary['page_loads_not_checked_again']} more loads of pages already checked), "
        f"{summary['violations_found']} violations ({summary['serious_or_critical']} serious or critical, "
        f"{summary['false_positives_ignored']} known false positives); see {axe.SUMMARY.relative_to(ROOT)}"
    )


@pytest.fixture(autouse=True)
def _report_failure(request, browser_record):
    """On failure, say where the screenshots are and what the console said."""
    yield
    if _failed(request.node) and browser_record.pages:
        print(f"Screenshots in {RESULTS}/{_file_name(request.node.name)}*.png")
        for error in browser_record.console_errors:
            print(f"Console error: {error}")


# Helpers -------------------------------------------------------------------------------------


def fill_sign_in(page: Page, user) -> None:
    """Fill the sign-in form that is on the page and submit it."""
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[name=sign_in], input[name=sign_in]").click()


def journey_step(page: Page, role: str, step: str) -> None:
    """Keep a full-page screenshot of a main step of a role's journey, as
    ``test-results/journeys/<role>-<step>.png`` (CI keeps test-results/ as an artifact)."""
    JOURNEYS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=JOURNEYS / f"{role}-{step}.png", full_page=True)
    except PlaywrightError:
        # Chromium now and then cannot capture a page while the machine is very busy ("Unable to
        # capture screenshot"): the picture is a record of the journey, not a check; try once more.
        page.screenshot(path=JOURNEYS / f"{role}-{step}.png", full_page=True)


def sign_in(page: Page, live_server, user) -> None:
    """Sign the person in and wait for the home page to greet them.

    The session is made as the sign-in page makes it (``login``, whose signal starts the session's
    clock) and handed to the browser as its cookie, which saves each journey two page loads; the
    sign-in page itself is filled in by the tests about signing in (``fill_sign_in``)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": live_server.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {user.get_short_name()}")
