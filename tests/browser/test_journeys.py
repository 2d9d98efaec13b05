"""Journeys through the portal in a real browser, each checking what the person would notice."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from reporting import figures
from reporting import services as reporting
from schools.imports import refresh_latest_inspections
from schools.models import IntelligenceNote
from tests.browser.conftest import fill_sign_in, journey_step, sign_in
from tests.conftest import DATA, ROOT
from tests.factories import InspectionFactory, IntelligenceNoteFactory
from tests.pdfs import pdf_text

GIAS_SAMPLE = DATA / "gias" / "gias_establishments_sample_2021_npq-registration.csv"
# Built from Ofsted's published layout: Ashfield (URN 103001) inadequate, in special measures.
OFSTED_GRADED = ROOT / "tests" / "fixtures" / "ofsted" / "latest_inspections_graded_layout.csv"


def menu(page):
    """The service navigation."""
    return page.get_by_role("navigation", name="Menu")


def school_links(page):
    """The school names linked from the school list, in order."""
    return page.locator("#school-table tbody tr td:first-child a")


def wait_for_paint(page):
    """Wait until the page has been painted, as it has by the time a person presses a key.

    The browser applies ``autofocus`` at the first paint; a Tab pressed before then would test a
    page no one sees."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def test_an_officer_filters_the_list_and_sees_each_inspection_in_its_own_shape(
    page, live_server, console_errors, olivia, ashfield, beacon_hill, castle
):
    InspectionFactory(school=beacon_hill, overall_effectiveness=3)
    InspectionFactory(school=beacon_hill, report_card=True, rc_achievement=5)
    InspectionFactory(school=castle, overall_effectiveness=2)
    refresh_latest_inspections({ashfield.pk, beacon_hill.pk, castle.pk})

    sign_in(page, live_server, olivia)
    menu(page).get_by_role("link", name="Schools", exact=True).click()
    expect(school_links(page)).to_have_count(3)

    page.get_by_label("Phase", exact=True).select_option("Secondary")
    page.get_by_label("Latest Ofsted outcome").select_option(
        label="Report card: urgent improvement or safeguarding not met"
    )
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"phase=Secondary.*ofsted=rc_urgent_improvement"))
    expect(school_links(page)).to_have_text(["Beacon Hill Academy"])
    expect(page.locator("#result-count")).to_contain_text("1 school")

    school_links(page).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beacon Hill Academy")
    for heading in ("Ofsted inspections", "Performance", "Intelligence"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    cards = page.locator(".govuk-summary-card")
    report_card = cards.filter(has_text="Report card inspection")
    graded = cards.filter(has_text="Graded inspection")
    expect(report_card).to_have_count(1)
    expect(report_card).to_contain_text("Urgent improvement")
    expect(graded).to_have_count(1)
    expect(graded).to_contain_text("Requires improvement")
    # The latest inspection comes first.
    expect(cards.first).to_contain_text("3 February 2026: Report card inspection")
    assert console_errors == []


def test_a_headteacher_sees_only_their_school(page, live_server, hannah, ashfield, beacon_hill):
    sign_in(page, live_server, hannah)
    expect(page.locator(".head-school h2")).to_have_text(["Ashfield Primary School"])
    expect(page.get_by_role("heading", name="Your school's category")).to_be_visible()

    page.goto(f"{live_server.url}/schools/")
    expect(school_links(page)).to_have_text(["Ashfield Primary School"])

    response = page.goto(f"{live_server.url}/schools/{beacon_hill.urn}/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text("Beacon Hill Academy")).to_have_count(0)


def test_an_executive_head_sees_and_opens_each_of_their_schools(page, live_server, ezra, ashfield):
    sign_in(page, live_server, ezra)
    expect(page.locator(".head-school h2")).to_have_text(["Beacon Hill Academy", "Castle Secondary School"])

    for name, urn in (("Beacon Hill Academy", 139001), ("Castle Secondary School", 125001)):
        page.get_by_role("link", name=name, exact=True).click()
        expect(page).to_have_url(f"{live_server.url}/schools/{urn}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        expect(page.get_by_text(f"URN {urn}")).to_be_visible()
        page.go_back()
        expect(page.locator(".head-school h2")).to_have_count(2)


def test_a_partners_shared_note_reaches_the_school_and_restricted_notes_stay_with_officers(
    page, new_page, live_server, alice, hannah, olivia, ashfield
):
    IntelligenceNoteFactory(
        school=ashfield,
        author=olivia,
        visibility=IntelligenceNote.Visibility.RESTRICTED,
        text="Projected deficit at year end.",
    )

    sign_in(page, live_server, alice)
    page.get_by_role("link", name="Ashfield Primary School").click()
    expect(page.get_by_text("Projected deficit at year end.")).to_have_count(0)
    page.get_by_role("button", name="Add an intelligence note").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Add an intelligence note")
    page.get_by_label("Area", exact=True).select_option(label="Staffing and vacancies")
    page.locator("#id_noted_on_0").fill("3")
    page.locator("#id_noted_on_1").fill("3")
    page.locator("#id_noted_on_2").fill("2026")
    page.get_by_label("Source").fill("Conversation with the chair of governors")
    page.get_by_role("radio", name="Medium").check()
    page.get_by_role("radio", name="Shared with the school").check()
    expect(page.get_by_role("radio", name="LA officers only")).to_have_count(0)
    page.get_by_label("Note", exact=True).fill("Two teachers leave at Easter; interviews are booked.")
    page.get_by_role("button", name="Save note").click()

    expect(page).to_have_url(f"{live_server.url}/schools/{ashfield.urn}/#intelligence")
    expect(page.get_by_text("Intelligence note saved")).to_be_visible()
    note = page.locator(".govuk-summary-card", has_text="Two teachers leave at Easter")
    expect(note).to_contain_text("Staffing and vacancies, 3 March 2026")
    expect(note).to_contain_text("Medium risk")
    expect(note).to_contain_text("Visible to: Shared with the school")

    head = new_page()
    sign_in(head, live_server, hannah)
    head.get_by_role("link", name="Ashfield Primary School").click()
    expect(head.get_by_text("Two teachers leave at Easter; interviews are booked.")).to_be_visible()
    expect(head.get_by_text("Projected deficit at year end.")).to_have_count(0)
    expect(head.get_by_role("button", name="Add an intelligence note")).to_have_count(0)

    officer = new_page()
    sign_in(officer, live_server, olivia)
    officer.goto(f"{live_server.url}/schools/{ashfield.urn}/")
    expect(officer.get_by_text("Projected deficit at year end.")).to_be_visible()
    expect(officer.get_by_text("Two teachers leave at Easter; interviews are booked.")).to_be_visible()


def test_an_officer_imports_a_published_gias_file_and_finds_a_school_from_it(page, live_server, olivia):
    sign_in(page, live_server, olivia)
    menu(page).get_by_role("link", name="Imports", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imports")

    page.get_by_label("What kind of file is it?").select_option(label="GIAS establishments (edubasealldata)")
    page.get_by_label("Upload a file").set_input_files(GIAS_SAMPLE)
    page.get_by_role("button", name="Upload and import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(GIAS_SAMPLE.name)
    expect(page.locator(".govuk-panel__title")).to_have_text("Import complete")
    expect(page.locator(".govuk-panel__body")).to_contain_text("99 created")
    expect(page.locator("#created")).to_have_text("99")

    page.goto(f"{live_server.url}/schools/")
    page.get_by_label("Name, URN or LAESTAB").fill("100000")
    page.get_by_role("button", name="Apply filters").click()
    expect(school_links(page)).to_have_text(["The Aldgate School"])
    school_links(page).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The Aldgate School")
    expect(page.get_by_text("City of London (201)")).to_be_visible()


def test_an_anonymous_visitor_signs_in_and_returns_to_the_school_list(page, live_server, olivia, ashfield):
    page.goto(f"{live_server.url}/schools/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/schools/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    fill_sign_in(page, olivia)

    expect(page).to_have_url(f"{live_server.url}/schools/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Schools")
    expect(school_links(page)).to_have_text(["Ashfield Primary School"])


def test_skip_to_main_content_is_the_first_tab_stop_on_sign_in(page, live_server):
    page.goto(f"{live_server.url}/sign-in/")
    wait_for_paint(page)
    page.keyboard.press("Tab")
    # Focus moves as the key is pressed: no need to wait the default 5 seconds for it.
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused(timeout=1_000)


def test_skip_to_main_content_is_the_first_tab_stop_and_moves_to_the_content(page, live_server, olivia):
    sign_in(page, live_server, olivia)
    page.reload()
    wait_for_paint(page)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/#main-content")
    expect(page.locator("#main-content")).to_be_focused()


def test_an_officer_imports_ofsted_outcomes_and_agrees_the_category_they_propose(
    page, live_server, olivia, ashfield, beacon_hill, castle, console_errors
):
    sign_in(page, live_server, olivia)
    journey_step(page, "officer", "1-home")
    menu(page).get_by_role("link", name="Imports", exact=True).click()
    page.get_by_label("What kind of file is it?").select_option(
        label="Ofsted management information: latest or all inspections"
    )
    page.get_by_label("Upload a file").set_input_files(OFSTED_GRADED)
    page.get_by_role("button", name="Upload and import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(OFSTED_GRADED.name)
    expect(page.locator(".govuk-panel__title")).to_have_text("Import complete")
    journey_step(page, "officer", "2-import-complete")

    # The import reassesses every school: Ashfield's inadequate outcome proposes a new category.
    menu(page).get_by_role("link", name="Categories", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^\d+ proposals? awaiting agreement$")).click()
    queue = page.locator("#queue-table")
    row = queue.get_by_role("row").filter(has_text="Ashfield Primary School")
    expect(row).to_contain_text("Intensive")
    journey_step(page, "officer", "3-proposals")
    row.get_by_role("link", name="Agree or override for Ashfield Primary School").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Agree or override the category")
    expect(page.get_by_text("Ofsted: inadequate at the latest inspection", exact=True)).to_be_visible()
    expect(page.get_by_role("radio", name="Intensive (proposed)")).to_be_checked()
    journey_step(page, "officer", "4-decision")
    page.get_by_role("button", name="Save decision").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ashfield Primary School")
    expect(page.locator("#current-category")).to_contain_text("Intensive")
    expect(page.locator("#current-category")).to_contain_text("by Olivia Officer")
    history = page.locator("#category-history")
    expect(history).to_contain_text("Agreed the proposal and its evidence")
    journey_step(page, "officer", "5-agreed")

    page.get_by_role("link", name="Categories", exact=True).click()
    page.get_by_role("link", name=re.compile("awaiting agreement")).click()
    expect(page.locator("#queue-table").get_by_role("row").filter(has_text="Ashfield Primary School")).to_have_count(0)
    assert console_errors == []


def test_the_commissioner_reads_the_dashboard_and_downloads_last_months_report(
    page, live_server, colin, olivia, ashfield, castle, tmp_path, console_errors
):
    last_month = figures.previous_month(timezone.localdate())
    InspectionFactory(school=ashfield, overall_effectiveness=2)
    refresh_latest_inspections({ashfield.pk})
    # Built on the first working day of the month, as the schedule does.
    reporting.generate(last_month, trigger="scheduled")
    label = f"{last_month:%B %Y}"

    sign_in(page, live_server, colin)
    nav = menu(page)
    expect(nav.get_by_role("link", name="Schools", exact=True)).to_have_count(0)
    journey_step(page, "commissioner", "1-home")
    nav.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator("section.app-chart--drawn")).to_have_count(page.locator("section.app-chart").count())
    journey_step(page, "commissioner", "2-dashboard")

    menu(page).get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly reports")
    # Only officers run a report; the commissioner reads them.
    expect(page.get_by_role("button", name="Run the report")).to_have_count(0)
    row = page.get_by_role("table", name="Reports, latest month first").get_by_role("row").filter(has_text=label)
    expect(row).to_contain_text("Version 1")
    expect(row).to_contain_text("on schedule")
    journey_step(page, "commissioner", "3-reports")
    row.get_by_role("link", name=label, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(label)
    journey_step(page, "commissioner", "4-report")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the report (PDF)").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == f"monthly-report-{last_month:%Y-%m}-v1.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = pdf_text(saved)
    assert f"Default authority school improvement monthly report: {label}" in text
    assert "Maintained schools good or better" in text
    assert console_errors == []
