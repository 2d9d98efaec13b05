"""Browser journeys for Oxfordshire's processes (seed 003): tracking a school that requires
improvement to Good within four terms, and a strategy meeting from scheduling to its outcome."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from support import selectors
from tests.browser.conftest import sign_in
from tests.browser.test_support import fill_date, heading, long_date, success
from tests.factories import InspectionFactory


def test_an_officer_tracks_a_school_that_requires_improvement_to_good(
    page, live_server, olivia, ashfield, console_errors
):
    today = timezone.localdate()
    published = today - timedelta(days=30)
    InspectionFactory(
        school=ashfield, start_date=published - timedelta(days=14), publication_date=published, overall_effectiveness=3
    )
    target = selectors.ri_target(published)

    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}{reverse('support:ri-to-good')}")
    expect(heading(page)).to_have_text("Requires improvement to Good")
    row = page.get_by_role("row").filter(has_text="Ashfield Primary School")
    expect(row).to_contain_text(long_date(target))
    expect(row).to_contain_text("Not reviewed yet")
    row.get_by_role("link", name="Record a review of Ashfield Primary School").click()

    expect(heading(page)).to_have_text("Review progress to Good")
    expect(page.get_by_text("To meet the criteria for Good within four terms")).to_contain_text(long_date(target))
    fill_date(page, "Date of the review", today)
    page.get_by_label("At risk").check()
    page.get_by_label("Evidence").fill(
        "Writing in key stage 2 remains weak; the new leader of English starts in January."
    )
    page.get_by_role("button", name="Record the review").click()

    expect(success(page)).to_contain_text("Review recorded for Ashfield Primary School")
    row = page.get_by_role("row").filter(has_text="Ashfield Primary School")
    expect(row).to_contain_text(f"At risk, {long_date(today)} by Olivia Officer")
    expect(row.locator(".govuk-tag")).to_have_text("At risk")
    assert console_errors == []


def test_an_officer_schedules_a_strategy_meeting_with_its_chair_and_members_and_records_it(
    page, live_server, olivia, priya, alice, ashfield, console_errors
):
    today = timezone.localdate()
    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}{reverse('support:support', args=[ashfield.urn])}")
    page.get_by_role("link", name="Schedule a strategy meeting").click()

    expect(heading(page)).to_have_text("Schedule a strategy meeting")
    fill_date(page, "Date of the meeting", today)
    page.get_by_label("Chair (a senior local authority officer)").select_option(label="Priya Shah")
    page.get_by_label("Alice Partner").check()
    page.get_by_label("Headteacher (name)").fill("Hannah Head")
    page.get_by_label("Chair of governors (name)").fill("Gwen Gray")
    page.get_by_role("button", name="Schedule the strategy meeting").click()

    expect(success(page)).to_contain_text("Strategy meeting scheduled")
    item = page.get_by_role("listitem").filter(has_text="chaired by Priya Shah")
    expect(item).to_contain_text("Alice Partner, school improvement professional providing the support")
    expect(item).to_contain_text("Gwen Gray, chair of governors")
    item.get_by_role("link", name=f"record it ({long_date(today)})").click()

    fill_date(page, "Date held", today)
    page.get_by_label("Attendees").fill("Priya Shah (chair), Alice Partner, Hannah Head, Gwen Gray")
    page.get_by_label("Notes").fill("Reading plan reviewed.")
    page.get_by_label("On track to be Good").check()
    page.get_by_role("group", name="Is the support timely?").get_by_label("Yes").check()
    page.get_by_label("Impact of the support").fill("Phonics screening results up by a fifth.")
    page.get_by_label("Action 1 agreed").fill("Observe phonics in year 1")
    page.get_by_label("Who owns action 1").fill("Alice Partner")
    fill_date(page, "Deadline for action 1", today + timedelta(days=14))
    page.get_by_role("button", name="Record the meeting").click()

    expect(success(page)).to_contain_text("Meeting recorded")
    held = page.get_by_role("listitem").filter(has_text=f"held {long_date(today)}")
    held.get_by_text("Notes and actions").click()
    expect(held).to_contain_text("On track to be Good; support timely.")
    expect(held).to_contain_text("Observe phonics in year 1 – Alice Partner")
    assert console_errors == []
