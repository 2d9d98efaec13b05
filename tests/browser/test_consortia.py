"""Browser journeys for Warwickshire's consortia and School Improvement Board (seed 002): an officer
sets up a consortium, puts schools in it and records its two lead members; the board decides on a
school with the members' votes, the LA's representatives counting once, and the school joins the
priority list."""

from django.utils import timezone
from playwright.sync_api import Page, expect

from boards import improvement_board
from schools import services as school_services
from support.selectors import current_year
from tests.browser.conftest import journey_step, sign_in
from tests.browser.test_board import agenda_item, menu, weekday_date
from tests.browser.test_support import heading, success
from tests.factories import AgendaItemFactory, BoardMeetingFactory, SchoolFactory, UserFactory

RATIONALE = "Inadequate at its inspection this term; the consortium asks for the LA's support."


def test_an_officer_sets_up_a_consortium_with_its_schools_and_two_leads(
    page: Page, live_server, olivia, castle, warwickshire, console_errors
):
    outstanding = SchoolFactory(name="Kingsbury Primary School", la=warwickshire, ofsted_outcome="outstanding")
    sign_in(page, live_server, olivia)
    menu(page).get_by_role("link", name="Board", exact=True).click()
    page.get_by_role("link", name="The board's members and the consortia").click()
    page.get_by_role("link", name="The consortia of schools").click()

    expect(heading(page)).to_have_text("Consortia of schools")
    page.get_by_label("Name of the consortium").fill("North Warwickshire Secondary")
    page.get_by_role("radio", name="Secondary and special").check()
    page.get_by_role("button", name="Set up the consortium").click()

    expect(success(page)).to_contain_text("North Warwickshire Secondary set up")
    expect(heading(page)).to_have_text("North Warwickshire Secondary")
    for school in (castle, outstanding):
        page.get_by_role("button", name="Add a school").click()
        page.get_by_label("URN of the school").fill(str(school.urn))
        page.get_by_role("button", name="Add the school").click()
        expect(success(page)).to_contain_text(f"{school.name} added to North Warwickshire Secondary")
    expect(page.get_by_role("heading", name="Schools (2)")).to_be_visible()

    page.get_by_role("button", name="Add a lead member").click()
    page.get_by_label("Name", exact=True).fill("Dana Price")
    page.get_by_role("radio", name="Headteacher of an outstanding school").check()
    page.get_by_label("URN of the school they lead").fill(str(castle.urn))
    page.get_by_role("button", name="Add the lead member").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Castle Secondary School's latest Ofsted judgement is not outstanding"
    )
    page.get_by_label("URN of the school they lead").fill(str(outstanding.urn))
    page.get_by_role("button", name="Add the lead member").click()
    expect(success(page)).to_contain_text("Dana Price is a lead member of North Warwickshire Secondary")

    page.get_by_role("button", name="Add a lead member").click()
    page.get_by_label("Name", exact=True).fill("Eli Stone")
    page.get_by_role("radio", name="Local leader of education (LLE)").check()
    page.get_by_role("button", name="Add the lead member").click()
    leads = page.get_by_role("table", name="Lead members")
    expect(leads).to_contain_text("Headteacher of an outstanding school")
    expect(leads).to_contain_text("Local leader of education (LLE)")
    # Two leads: the consortium has no seat for a third.
    expect(page.get_by_role("button", name="Add a lead member")).to_have_count(0)
    journey_step(page, "officer", "consortium")

    page.get_by_role("link", name="Back to the consortia").click()
    row = page.get_by_role("table", name="Consortia").get_by_role("row").filter(has_text="North Warwickshire")
    expect(row).to_contain_text("Secondary and special")
    expect(row).to_contain_text("2 of 2")


def test_the_school_improvement_board_votes_the_la_once_and_the_school_joins_the_list(
    page: Page, live_server, olivia, ashfield, console_errors
):
    today = timezone.localdate()
    priya = UserFactory(full_name="Priya Shah", email="priya.shah@council.example")
    north = school_services.create_consortium(name="North Primary", phase="primary", by=olivia)
    rugby = school_services.create_consortium(name="Rugby Secondary", phase="secondary", by=olivia)
    for consortium, name, criterion in [
        (north, "Amira Khan", "nle"),
        (north, "Ben Ward", "lle"),
        (rugby, "Cara Lee", "nle"),
    ]:
        school_services.add_consortium_lead(consortium=consortium, by=olivia, name=name, criterion=criterion)
    improvement_board.constitute(kind="school_improvement", la_representatives=[olivia, priya], by=olivia)
    meeting = BoardMeetingFactory(meets_on=today, created_by=olivia)
    AgendaItemFactory(meeting=meeting, school=ashfield, reasons=["New inspection: inadequate"], kinds=[])

    sign_in(page, live_server, olivia)
    menu(page).get_by_role("link", name="Board", exact=True).click()
    page.get_by_role("link", name="The board's members and the consortia").click()
    expect(heading(page)).to_have_text("School Improvement Board")
    expect(page.locator("#la-representation")).to_have_text("Olivia Officer, Priya Shah – a single vote")

    menu(page).get_by_role("link", name="Board", exact=True).click()
    page.get_by_role("table", name="Board meetings").get_by_role("link", name=weekday_date(today)).click()
    agenda_item(page, "Ashfield Primary School").get_by_role(
        "link", name="Record a decision and the votes for Ashfield Primary School"
    ).click()

    expect(heading(page)).to_have_text("Decision for Ashfield Primary School")
    expect(page.get_by_text("However many of them attend: Olivia Officer, Priya Shah")).to_be_visible()
    page.get_by_role("radio", name="Add to the priority list", exact=True).check()
    page.get_by_role("radio", name="Ofsted: inadequate, or urgent improvement in a report card").check()
    for member, vote in [
        ("Amira Khan (North Primary)", "For"),
        ("Ben Ward (North Primary)", "For"),
        ("Cara Lee (Rugby Secondary)", "Abstain"),
        ("The LA's representation (a single vote)", "Against"),
    ]:
        page.get_by_role("group", name=member).get_by_role("radio", name=vote, exact=True).check()
    page.get_by_label("Rationale").fill(RATIONALE)
    journey_step(page, "officer", "school-improvement-board-vote")
    page.get_by_role("button", name="Record the decision and the votes").click()

    # Counted once, the LA's vote against leaves it carried (counted per officer it would be a tie).
    expect(success(page)).to_contain_text("Carried by the School Improvement Board: 2 for, 1 against, 1 abstaining")
    decision = agenda_item(page, "Ashfield Primary School").locator(".decision")
    expect(decision).to_contain_text(f"Add to the priority list – {RATIONALE}")

    menu(page).get_by_role("link", name="Priority list", exact=True).click()
    year = current_year(today)
    expect(heading(page)).to_have_text(f"Priority list {year}/{(year + 1) % 100:02d}")
    row = (
        page.get_by_role("table", name="Schools on the priority list")
        .get_by_role("row")
        .filter(has_text="Ashfield Primary School")
    )
    expect(row).to_contain_text("On the priority list")
