"""The portal with the keyboard alone (WCAG 2.1.1, 2.4.3, 2.4.7, 2.4.11): signing in, the school list's
filters, sorting and pages, and forms whose error summary takes the focus and whose links move it
to the field at fault, radios and checkboxes included.

Nothing here clicks, fills or checks: every step is a key a person would press (Tab, Shift+Tab,
Enter, Space and the arrow keys), typing included. At every stop the focus must be on screen and
drawn in GOV.UK's focus style (the yellow #ffdd00, with black), so a sighted keyboard user can see
where they are. axe-core checks each page as well (see ``axe.py``).
"""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from boards import services as board_services
from categorisation import services as categorisation
from categorisation.models import FrameworkVersion
from schools.models import IntelligenceNote
from tests.browser.conftest import sign_in
from tests.browser.test_journeys import menu, school_links, wait_for_paint
from tests.factories import PASSWORD, BoardMeetingFactory, SchoolFactory

FOCUS_YELLOW = "rgb(255, 221, 0)"

# Where the focus is drawn: the element's outline, background or shadow, or for a radio or checkbox
# (whose input is hidden behind its GOV.UK drawing) the shadow of its label's circle or box.
FOCUS_STYLE = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  let style = getComputedStyle(element);
  const hidden = element.matches(".govuk-radios__input, .govuk-checkboxes__input");
  if (hidden) style = getComputedStyle(document.querySelector(`label[for="${element.id}"]`), "::before");
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 ? style.outlineColor : "";
  return {
    stop: element.id || (element.textContent || element.value || "").replace(/\\s+/g, " ").trim(),
    focusVisible: element.matches(":focus-visible"),
    drawn: [outline, style.backgroundColor, style.boxShadow].join(" "),
  };
}"""


def ready(page: Page) -> None:
    """Wait until the page has loaded and been painted, as it has by the time a person presses a key
    (GOV.UK Frontend's scripts, such as the skip link's, run by then)."""
    page.wait_for_load_state("load")
    wait_for_paint(page)


def focus_stop(page: Page) -> str:
    """The element that has the focus (its id, else its text), once it is checked the focus can be seen."""
    focused = page.evaluate(FOCUS_STYLE)
    assert focused is not None, "the focus is on nothing (the page's body)"
    assert focused["focusVisible"], f"{focused['stop']}: focused, but not :focus-visible"
    assert FOCUS_YELLOW in focused["drawn"], f"{focused['stop']}: no GOV.UK focus style ({focused['drawn']})"
    expect(page.locator(":focus")).to_be_in_viewport()
    return focused["stop"]


def press(page: Page, key: str) -> str:
    """Press a key and return the stop the focus lands on."""
    page.keyboard.press(key)
    return focus_stop(page)


def tab_to(page: Page, target: Locator, *, key: str = "Tab", limit: int = 40) -> list[str]:
    """Press Tab (or Shift+Tab) until ``target`` has the focus; the stops on the way, target last."""
    stops = []
    for _ in range(limit):
        stops.append(press(page, key))
        if target.evaluate("element => element === document.activeElement"):
            return stops
    raise AssertionError(f"{limit} presses of {key} never reached {target}: {stops}")


def choose_with_arrows(page: Page, select: Locator, value: str, *, limit: int = 20) -> None:
    """Move a focused select's choice down with the arrow key until it shows ``value``."""
    for _ in range(limit):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    expect(select).to_have_value(value)


def sign_in_by_keyboard(page: Page, live_server, user) -> None:
    """Sign in from the sign-in page with the keyboard, checking each stop in order on the way."""
    page.goto(f"{live_server.url}/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    ready(page)
    assert press(page, "Tab") == "Skip to main content"
    assert press(page, "Tab") == "School improvement portal"
    assert press(page, "Tab") == "id_username"
    page.keyboard.type(user.email)
    assert press(page, "Tab") == "id_password"
    page.keyboard.type(PASSWORD)
    assert press(page, "Tab") == "submit-id-sign_in"
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {user.get_short_name()}")
    ready(page)


def error_summary(page: Page) -> Locator:
    return page.locator(".govuk-error-summary")


def follow_error_links(page: Page, targets: dict[str, str]) -> None:
    """From the focused error summary, follow each link in turn, each moving the focus to its field.

    ``targets`` maps each link's text to the id of the field it must focus: the first radio or
    checkbox of a group, the day of a date. Back to the summary is Shift+Tab, as a person would go."""
    expect(error_summary(page)).to_be_focused()
    links = error_summary(page).get_by_role("link")
    expect(links).to_have_text(list(targets))
    for number, (text, field_id) in enumerate(targets.items()):
        link = links.nth(number)
        tab_to(page, link, key="Tab" if number == 0 else "Shift+Tab")
        page.keyboard.press("Enter")
        expect(page.locator(f"#{field_id}")).to_be_focused()
        assert focus_stop(page) == field_id, text


def test_an_officer_signs_in_filters_sorts_and_pages_the_school_list_with_the_keyboard(
    page, live_server, olivia, ashfield, beacon_hill, castle, birmingham, console_errors
):
    for number in range(55):
        SchoolFactory(la=birmingham, name=f"Keyboard Primary {number:02d}", pupils_on_roll=100 + number)

    sign_in_by_keyboard(page, live_server, olivia)
    # The header, then the service navigation, in the order they are read.
    schools = menu(page).get_by_role("link", name="Schools", exact=True)
    assert tab_to(page, schools) == [
        "Skip to main content",
        "School improvement portal",
        "header-search",  # the search box, then its button
        "Search",
        "Olivia Officer (LA officer)",
        "header-notifications",
        "Sign out",
        "Home",
        "Schools",
    ]
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Schools")
    ready(page)

    # The skip link jumps over the header and navigation to the filters.
    assert press(page, "Tab") == "Skip to main content"
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/schools/#main-content")
    expect(page.locator("#main-content")).to_be_focused()
    apply = page.get_by_role("button", name="Apply filters")
    assert tab_to(page, apply) == [
        "id_q",
        "id_la",
        "id_phase",
        "id_type",
        "id_status",
        "id_ofsted",
        "id_category",
        "id_sort",
        "submit-id-apply",
    ]
    assert press(page, "Shift+Tab") == "id_sort"
    # Back up to the phase and choose Primary with the arrow keys.
    phase = page.get_by_label("Phase", exact=True)
    tab_to(page, phase, key="Shift+Tab")
    choose_with_arrows(page, phase, "Primary")
    tab_to(page, apply)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/schools/\?.*phase=Primary.*&sort=name"))
    expect(page.locator("#result-count")).to_contain_text("56 schools – showing 1 to 50")
    expect(school_links(page).first).to_have_text("Ashfield Primary School")
    ready(page)

    pupils = page.get_by_role("link", name="Pupils", exact=True)
    stops = tab_to(page, pupils)
    assert stops[-5:] == ["Download as XLSX", "School", "Local authority", "Phase", "Pupils"]
    page.keyboard.press("Enter")
    expect(page.get_by_role("columnheader", name="Pupils")).to_have_attribute("aria-sort", "ascending")
    expect(school_links(page).first).to_have_text("Keyboard Primary 00")
    expect(page.get_by_role("columnheader", name="School")).to_have_attribute("aria-sort", "none")
    ready(page)

    # Fifty schools' links lie between the header and the pages: the skip link shortens the way.
    assert press(page, "Tab") == "Skip to main content"
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Next page"), limit=80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Pagination")).to_contain_text("Page 2 of 2")
    expect(page.locator("#result-count")).to_contain_text("56 schools – showing 51 to 56")
    # The filters and the order carry over to the next page.
    expect(school_links(page)).to_have_text(
        [*(f"Keyboard Primary {number}" for number in range(50, 55)), "Ashfield Primary School"]
    )
    expect(phase).to_have_value("Primary")
    ready(page)
    # Shift+Tab from the top of the page goes round to its foot: the licence, the footer's links, then
    # the previous page.
    assert tab_to(page, page.get_by_role("link", name="Previous page"), key="Shift+Tab") == [
        "Open Government Licence v3.0",
        "Cookies",
        "Privacy",
        "Accessibility statement",
        "Previous page",
    ]
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Pagination")).to_contain_text("Page 1 of 2")
    assert console_errors == []


def test_a_partner_adds_an_intelligence_note_with_the_keyboard_after_following_each_error(
    page, live_server, alice, ashfield, console_errors
):
    noted = timezone.localdate() - timedelta(days=1)
    sign_in_by_keyboard(page, live_server, alice)
    school = page.get_by_role("table", name="Schools").get_by_role("link", name="Ashfield Primary School")
    tab_to(page, school)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ashfield Primary School")
    ready(page)
    # A GOV.UK button that is a link answers the space bar as a button does.
    tab_to(page, page.get_by_role("button", name="Add an intelligence note"), limit=80)
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an intelligence note")
    ready(page)

    save = page.get_by_role("button", name="Save note")
    assert tab_to(page, save)[-9:] == [
        "id_area",
        "id_noted_on_0",
        "id_noted_on_1",
        "id_noted_on_2",
        "id_source",
        "id_risk_grade_1",
        "id_visibility_1",
        "id_text",
        "submit-id-save",
    ]
    page.keyboard.press("Enter")

    expect(page).to_have_title("Error: Add an intelligence note – School improvement portal")
    ready(page)
    assert focus_stop(page).startswith("There is a problem Enter the date of the intelligence")
    follow_error_links(
        page,
        {
            "Enter the date of the intelligence": "id_noted_on_0",
            "Enter the source": "id_source",
            "Select the risk": "id_risk_grade_1",
            "Select who can see it": "id_visibility_1",
            "Enter the note": "id_text",
        },
    )

    # Back to the first field at fault, then on through the form in order.
    tab_to(page, error_summary(page).get_by_role("link").first, key="Shift+Tab")
    page.keyboard.press("Enter")
    page.keyboard.type(str(noted.day))
    assert press(page, "Tab") == "id_noted_on_1"
    page.keyboard.type(str(noted.month))
    assert press(page, "Tab") == "id_noted_on_2"
    page.keyboard.type(str(noted.year))
    assert press(page, "Tab") == "id_source"
    page.keyboard.type("Conversation with the chair of governors")
    # Tab enters a radio group at its first choice; the arrow keys move along it and choose.
    assert press(page, "Tab") == "id_risk_grade_1"
    expect(page.get_by_role("radio", name="Low")).not_to_be_checked()
    assert press(page, "ArrowRight") == "id_risk_grade_2"
    expect(page.get_by_role("radio", name="Medium")).to_be_checked()
    # Space chooses the focused radio.
    assert press(page, "Tab") == "id_visibility_1"
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="LA officers and the school's priority partner")).to_be_checked()
    assert press(page, "ArrowDown") == "id_visibility_2"
    expect(page.get_by_role("radio", name="Shared with the school")).to_be_checked()
    assert press(page, "Tab") == "id_text"
    page.keyboard.type("Two teachers leave at Easter; interviews are booked.")
    assert press(page, "Tab") == "submit-id-save"
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/schools/{ashfield.urn}/#intelligence")
    expect(page.get_by_role("alert")).to_contain_text("Intelligence note saved")
    note = page.locator(".govuk-summary-card", has_text="Two teachers leave at Easter")
    expect(note).to_contain_text("Medium risk")
    expect(note).to_contain_text("Visible to: Shared with the school")
    assert IntelligenceNote.objects.get(school=ashfield).noted_on == noted
    assert console_errors == []


def test_an_officer_issues_a_warning_notice_with_the_keyboard_after_following_each_error(
    page, live_server, olivia, ashfield, console_errors
):
    today = timezone.localdate()
    meeting = BoardMeetingFactory(meets_on=today, created_by=olivia)
    decision = board_services.decide(
        school=ashfield, meeting=meeting, kind="recommend_warning_notice", rationale="Standards have fallen.", by=olivia
    )
    notice = board_services.notice_step(notice=decision.warning_notice, step="accept", by=olivia, on=today)

    sign_in_by_keyboard(page, live_server, olivia)
    page.goto(f"{live_server.url}/board/notices/{notice.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Warning notice")
    ready(page)
    tab_to(page, page.get_by_role("button", name="Record the notice as issued"), limit=80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the notice as issued")
    ready(page)

    tab_to(page, page.get_by_role("button", name="Record the notice as issued"), limit=80)
    page.keyboard.press("Enter")
    expect(page).to_have_title("Error: Record the notice as issued – School improvement portal")
    ready(page)
    follow_error_links(
        page,
        {
            "Enter the date the notice was issued": "id_on_0",
            "Choose at least one ground for the notice": "id_grounds_1",
            "Enter what the governing body must do to comply": "id_required_action",
            "Enter the compliance period in days": "id_compliance_period_days",
        },
    )

    tab_to(page, error_summary(page).get_by_role("link").first, key="Shift+Tab")
    page.keyboard.press("Enter")
    page.keyboard.type(str(today.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(today.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(today.year))
    # Each checkbox is its own tab stop; Space ticks the focused one.
    assert press(page, "Tab") == "id_grounds_1"
    page.keyboard.press("Space")
    assert press(page, "Tab") == "id_grounds_2"
    grounds = page.get_by_role("group", name="Grounds for the notice").get_by_role("checkbox")
    expect(grounds.first).to_be_checked()
    expect(grounds.nth(1)).not_to_be_checked()
    tab_to(page, page.get_by_label("What the governing body must do to comply"))
    page.keyboard.type("Agree a Statement of Action")
    tab_to(page, page.get_by_label("Compliance period in days"))
    page.keyboard.type("10")
    tab_to(page, page.get_by_role("button", name="Record the notice as issued"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_contain_text("The notice is recorded as issued")
    expect(page.locator("#notice-status")).to_have_text("Issued")
    assert console_errors == []


def test_the_pages_no_journey_reaches_are_checked_too(page, live_server, adam, ashfield, castle, console_errors):
    """axe checks every page a test opens: these are opened for it alone."""
    categorisation.recategorise(trigger="manual")
    tiered = categorisation.create_draft(
        version=FrameworkVersion.objects.get(framework__code="tiered", status="active"), by=adam
    )
    wales = categorisation.create_draft(
        version=FrameworkVersion.objects.get(framework__code="wales", status="active"), by=adam
    )
    rule = tiered.rules.first()
    pages = {
        "/categories/runs/": "Assessment runs",
        "/categories/inspections/": "Inspections expected",
        f"/categories/frameworks/tiered/{tiered.number}/rules/{rule.pk}/": f"Rule {rule.order}",
        f"/categories/frameworks/wales/{wales.number}/matrix/edit/": "Support category matrix",
        "/dashboard/impact/": "The impact of support",
    }
    sign_in(page, live_server, adam)
    for path, title in pages.items():
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    assert console_errors == []
