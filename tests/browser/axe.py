"""axe-core on every page the browser tests open: WCAG 2.0, 2.1 and 2.2 at levels A and AA.

Every distinct page is checked once in a run (by whichever pytest-xdist worker opens it first): when its DOM is ready,
or sooner if the test leaves it first. A page is the same page when the same role sees the same path
with its ids taken out, with or without an error summary; the page decides that itself, from the keys
checked before this test began (an init script) and those checked in this test's tab
(``sessionStorage``), so a navigation is never held for a page already checked.

axe-core comes from npm (``node_modules/axe-core``, a dev dependency) and its source goes into each
document as a Playwright init script, which DevTools evaluates before the
page's own scripts: not an inline ``<script>`` tag, so the page's Content-Security-Policy neither
blocks it nor reports it, and the browser tests' own CSP check still sees only what the portal does.

Why the check runs inside the page and reports through a binding rather than being started with
``page.evaluate`` from Python: once a navigation has begun, Chromium holds back DevTools messages to
the page until the next document commits, so an evaluate sent then would only ever reach the new
page, and one sent on ``load`` races the test's next click. A script already in the page keeps
running, and a route holds each navigation until the page has reported.

The check sees the page as the test has it at that moment, the focus included, so a control's
focus style is checked too; the one rule axe gets wrong about GOV.UK's focus style is listed in
``FOCUSED_FALSE_POSITIVES`` and set aside for the focused element only.

Serious and critical violations fail the test that found them; every violation, of any impact,
goes into ``test-results/axe-summary.json`` with the pages checked (by the path with its ids taken
out, and by the role of the person signed in), so a run shows what axe saw.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Route

ROOT = Path(__file__).resolve().parent.parent.parent
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# One summary per process: each pytest-xdist worker writes its own (axe-summary-gw0.json, ...).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
SUMMARY = ROOT / "test-results" / (f"axe-summary-{_WORKER}.json" if _WORKER else "axe-summary.json")
# The pages checked by any worker of this run (pytest-xdist names the run): each worker adds the pages
# it checks, and skips those another has checked, so a page is checked once in the run, not once per
# worker (a quarter of the checks were repeats: docs/benchmarks.md).
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
SHARED = ROOT / "test-results" / f"axe-checked-{_RUN}.txt" if _RUN else None

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}
# Rules turned off, each with the reason it is a false positive here. Keep this empty unless a rule
# is wrong about a page, not merely inconvenient.
RULES_OFF: dict[str, str] = {}
# Rules axe gets wrong about the element that has the focus (the control a test is using), each with
# the reason. Elsewhere on the page the rule still applies.
FOCUSED_FALSE_POSITIVES = {
    "link-in-text-block": "GOV.UK's focus style replaces a link's underline with a yellow highlight and a thick "
    "black bar beneath it; axe looks only for an underline or a border, so fails every focused link in a paragraph",
}
# GOV.UK Frontend's conditional reveal sets aria-expanded on the radio that reveals content (its
# documented, user-researched pattern); ARIA 1.2 does not list aria-expanded for a radio, so axe's
# aria-allowed-attr fails every such radio. Set aside for those radios only.
GOVUK_CONDITIONAL_REVEAL = re.compile(r'class="govuk-radios__input"[^>]*aria-controls="[^"]+"[^>]*aria-expanded=')

# Every request for a page of the portal (not its static files) goes through the route.
PAGE_REQUESTS = re.compile(r"^https?://[^/]+/(?!static/)")
# How long a navigation waits for the page it leaves: to start its check, then to finish it.
START_GRACE = 1.0
FINISH_LIMIT = 20.0

CHECK_IN_PAGE = """
(() => {
  if (window.top !== window || !location.protocol.startsWith("http")) return;
  const token = `${performance.timeOrigin} ${location.href}`;
  const options = {
    runOnly: { type: "tag", values: %(tags)s },
    rules: Object.fromEntries(%(rules_off)s.map((id) => [id, { enabled: false }])),
    resultTypes: ["violations"],
    elementRef: true,
  };
  let started = false;
  const roleShown = () => {
    const role = document.querySelector(".app-header__role");
    return role ? role.textContent.trim().replace(/^\\(|\\)$/g, "") : "Signed out";
  };
  // A page is the same page for another school or record (ids taken out), for the same role, and
  // with or without its error summary.
  const pageKey = () =>
    `${roleShown()} ${location.pathname.replace(/\\/\\d+(?=\\/|$)/g, "/<id>")}` +
    (document.querySelector(".govuk-error-summary") ? " (with errors)" : "");
  const remembered = () => {
    try {
      return JSON.parse(sessionStorage.getItem("axe-checked") || "[]");
    } catch (error) {
      return [];
    }
  };
  const remember = (key) => {
    try {
      sessionStorage.setItem("axe-checked", JSON.stringify([...remembered(), key]));
    } catch (error) {
      // no storage for this document: the page is checked again next time
    }
  };
  const check = (when) => {
    if (started) return;
    started = true;
    const key = when === "leaving" ? null : pageKey();
    if (key && (window.__axeAlreadyChecked || []).concat(remembered()).includes(key)) {
      window.__axeSkipped(token);
      return;
    }
    window.__axeRunning(token);
    const focused = document.activeElement;
    if (!window.axe) window.__axeLoad();
    window.axe.run(document, options).then(
      (results) => {
        if (key) remember(key);
        window.__axeReport(token, {
          url: location.href,
          when,
          key,
          role: roleShown(),
          violations: results.violations.flatMap((rule) =>
            rule.nodes.map((node) => ({
              id: rule.id,
              impact: node.impact || rule.impact,
              help: rule.help,
              target: node.target.map(String).join(" "),
              focused: node.element === focused || node.element === document.activeElement,
              html: node.html.slice(0, 200),
            }))
          ),
        });
      },
      (error) => window.__axeReport(token, { url: location.href, error: String(error) })
    );
  };
  window.__axeBegin(token);
  window.__axeCheckNow = check;
  // By DOMContentLoaded the stylesheet has applied and the module scripts (charts, components) have run.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => check("ready"));
  else check("ready");
  // A page left before it was ready is checked as it stands.
  window.addEventListener("beforeunload", () => check("leaving"));
})();
"""


@dataclass(frozen=True)
class Violation:
    id: str
    impact: str
    help: str
    target: str
    html: str
    url: str
    when: str  # "ready", "leaving" (left before it was ready) or "at the end" of the test
    focused: bool  # whether the element had the focus

    @property
    def false_positive(self) -> bool:
        if self.id == "aria-allowed-attr" and GOVUK_CONDITIONAL_REVEAL.search(self.html):
            return True
        return self.focused and self.id in FOCUSED_FALSE_POSITIVES

    @property
    def fails(self) -> bool:
        return self.impact in FAILING_IMPACTS and not self.false_positive

    def __str__(self) -> str:
        return f"{self.url} ({self.when}): {self.id} ({self.impact}) at {self.target}: {self.help}\n    {self.html}"


@dataclass
class Session:
    """What axe checked in this test run, for the summary written at its end."""

    checks: int = 0
    pages: dict[str, dict] = field(default_factory=dict)
    roles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    violations: list[Violation] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)
    # Pages checked in this process, as the page names itself ("<role> <path with ids out>"): a
    # later load of the same page, by any test (of any worker: ``SHARED``), is not checked again.
    keys: set[str] = field(default_factory=set)
    skipped: int = 0

    def record(self, name: str, role: str, violations: list[Violation]) -> None:
        self.checks += 1
        entry = self.pages.setdefault(name, {"checks": 0, "roles": set(), "violations": set()})
        entry["checks"] += 1
        entry["roles"].add(role)
        entry["violations"].update(
            f"{v.id} ({v.impact}) at {v.target}{' (focused: a false positive)' if v.false_positive else ''}"
            for v in violations
        )
        self.roles[role].add(name)
        self.violations += violations

    def add(self, key: str) -> None:
        """A page checked here, for this worker and the others."""
        self.keys.add(key)
        if SHARED is not None and "/axe-check-test/" not in key:  # the check's own test page is its alone
            SHARED.parent.mkdir(exist_ok=True)
            with SHARED.open("a", encoding="utf-8") as shared:
                shared.write(key + "\n")

    def checked_anywhere(self) -> set[str]:
        """The pages this worker or another of the run has checked."""
        if SHARED is None or not SHARED.exists():
            return set(self.keys)
        return self.keys | set(SHARED.read_text(encoding="utf-8").splitlines())

    def forget(self, name: str) -> None:
        """Leave a page out of the summary (the check's own test page)."""
        self.keys = {key for key in self.keys if not key.endswith(f" {name}")}
        entry = self.pages.pop(name)
        self.checks -= entry["checks"]
        for names in self.roles.values():
            names.discard(name)
        self.violations = [v for v in self.violations if page_name(v.url) != name]

    def summary(self) -> dict:
        return {
            "tags": TAGS,
            "rules_off": RULES_OFF,
            "false_positives_on_the_focused_element": FOCUSED_FALSE_POSITIVES,
            "page_loads_checked": self.checks,
            "page_loads_not_checked_again": self.skipped,
            "pages_checked": len(self.pages),
            "violations_found": len(self.violations),
            "serious_or_critical": sum(v.fails for v in self.violations),
            "false_positives_ignored": sum(v.false_positive for v in self.violations),
            "pages_by_role": {role: sorted(names) for role, names in sorted(self.roles.items())},
            "pages": {
                name: {
                    "checks": entry["checks"],
                    "roles": sorted(entry["roles"]),
                    "violations": sorted(entry["violations"]),
                }
                for name, entry in sorted(self.pages.items())
            },
            "not_checked": self.not_checked,
        }

    def write(self, path: Path = SUMMARY) -> None:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(self.summary(), indent=2) + "\n")


SESSION = Session()


def page_name(url: str) -> str:
    """The page a URL shows, ids taken out: /schools/103001/support/ is /schools/<urn>/support/."""
    path = urlsplit(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return re.sub(r"/\d+(?=/|$)", "/<id>", path)

    def name(part: re.Match) -> str:
        converter, key = part.groups()
        if converter in {"int", "path", "uuid"}:
            return f"<{key}>"
        return str(match.kwargs.get(key, key))  # a step or a framework's code names the page

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", name, match.route)


@cache
def check_in_page_script() -> str:
    """axe-core's source (in a function the check calls before its first run) and the check: the
    init script of every page."""
    if not AXE_SOURCE.exists():
        raise RuntimeError(f"{AXE_SOURCE} is missing: run `npm ci` to install axe-core (a dev dependency)")
    check = CHECK_IN_PAGE % {"tags": json.dumps(TAGS), "rules_off": json.dumps(list(RULES_OFF))}
    # Loaded only when a page is checked: most page loads are of pages checked before, and compiling
    # and running axe-core's half a megabyte in each of them cost more than the checks themselves.
    return f"window.__axeLoad = function () {{\n{AXE_SOURCE.read_text()};\n}};\n{check}"


class PageChecker:
    """Checks every document one page loads in one test, holding each navigation until the page it
    leaves has reported. A page is wired once (``attach``) and reports to its test's checker."""

    def __init__(self, page: Page):
        self.page = page
        self.violations: list[Violation] = []
        self.errors: list[str] = []
        self.current: str | None = None
        self.running: set[str] = set()
        self.done: set[str] = set()

    def _begin(self, token: str) -> None:
        self.current = token

    def _running(self, token: str) -> None:
        self.running.add(token)

    def _skipped(self, token: str) -> None:
        """The page was checked before (in this test or an earlier one): it is not checked again."""
        self.done.add(token)
        SESSION.skipped += 1

    def _report(self, token: str, result: dict) -> None:
        self.running.discard(token)
        self.done.add(token)
        if "error" in result:
            self.errors.append(f"{result['url']}: axe failed: {result['error']}")
            return
        if result.get("key"):
            SESSION.add(result["key"])
        found = [Violation(url=result["url"], when=result["when"], **violation) for violation in result["violations"]]
        self.violations += found
        SESSION.record(page_name(result["url"]), result["role"], found)

    def _before_request(self, route: Route) -> None:
        try:
            request = route.request
            if request.is_navigation_request() and request.frame.parent_frame is None:
                self._wait_for_current_page()
        finally:
            route.fallback()

    def _wait_for_current_page(self) -> None:
        """Wait until the document being left has reported (it starts its check as it is left)."""
        token = self.current
        began = time.monotonic()
        while token is not None and token not in self.done and not self.page.is_closed():
            waited = time.monotonic() - began
            if waited > FINISH_LIMIT or (token not in self.running and waited > START_GRACE):
                self._not_checked(token)
                return
            self.page.wait_for_timeout(20)

    def _not_checked(self, token: str) -> None:
        message = f"{token.split(' ', 1)[1]}: not checked by axe (the page was left before the check finished)"
        self.errors.append(message)
        SESSION.not_checked.append(message)

    def finish(self) -> None:
        """At the end of the test: check the document the page shows, if it has not been checked yet."""
        if self.page.is_closed() or self.current is None or self.current in self.done:
            return
        try:
            self.page.wait_for_load_state("domcontentloaded", timeout=10_000)
            self.page.evaluate("() => window.__axeCheckNow && window.__axeCheckNow('at the end')")
        except PlaywrightError as error:
            self.errors.append(f"{self.page.url}: axe could not run: {error.message.splitlines()[0]}")
            return
        self._wait_for_current_page()


def attach(page: Page, checker: Callable[[], PageChecker | None]) -> None:
    """Once for each page: axe in every document it loads, reporting through bindings, and a route
    holding each navigation, to the checker of the test using the page then (none between tests)."""

    def binding(method: str) -> Callable:
        def call(_source, token: str, *args) -> None:
            current = checker()
            if current is not None:
                getattr(current, method)(token, *args)

        return call

    page.expose_binding("__axeBegin", binding("_begin"))
    page.expose_binding("__axeRunning", binding("_running"))
    page.expose_binding("__axeReport", binding("_report"))
    page.expose_binding("__axeSkipped", binding("_skipped"))
    page.add_init_script(script=check_in_page_script())
    route(page, checker)


def route(page: Page, checker: Callable[[], PageChecker | None]) -> None:
    """Hold each navigation of the page until the document it leaves has reported (``attach``; again
    after a test's own routes are removed)."""

    def before_request(route: Route) -> None:
        current = checker()
        if current is None:
            route.fallback()
        else:
            current._before_request(route)

    page.route(PAGE_REQUESTS, before_request)


def already_checked(page: Page):
    """An init script naming the pages checked before now, which the page skips; ``.close()``
    removes it (a page kept for the next test gets the list as it is then)."""
    return page.add_init_script(
        script=f"window.__axeAlreadyChecked = {json.dumps(sorted(SESSION.checked_anywhere()))};"
    )
