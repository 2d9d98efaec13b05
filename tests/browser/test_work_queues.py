"""Browser journeys that start from the home page's work queue and complete the item (issue 23): the
officer agrees a category proposal, the partner reads the head's response, the head responds to a
report, the commissioner opens the monthly report from its notification. Each item leaves the queue
once done. The board member's (the consent list, then an escalation) is in test_board.py."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from playwright.sync_api import Page, expect

from categorisation import services as categorisation
from reporting import services as reporting
from reporting.figures import previous_month
from schools.imports import refresh_latest_inspections
from support import services
from tests.browser.conftest import journey_step, sign_in
from tests.factories import InspectionFactory, VisitFactory

FINDINGS = "Pupils in year 4 read fluently and talk with confidence about the books they have chosen."


def group(page: Page, heading: str):
    """A kind of item in the work queue, found by its heading (the partial's id is its slug)."""
    return page.locator(f"#queue-{slugify(heading)}")


def home(page: Page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Home", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def shared_report(school, partner):
    today = timezone.localdate()
    visit = VisitFactory(school=school, visitor=partner, scheduled_for=today, purpose="Review of reading")
    services.record_visit_held(visit=visit, by=partner, held_on=today)
    report = services.start_report(visit=visit, by=partner)
    services.edit_report(report=report, by=partner, findings=FINDINGS, next_steps="Extend the reading spine.")
    services.submit_report(report=report, by=partner)
    return services.share_report(report=report, by=partner)


@pytest.fixture
def proposal(ashfield):
    InspectionFactory(school=ashfield, overall_effectiveness=4, category_of_concern="special_measures")
    refresh_latest_inspections({ashfield.pk})
    categorisation.recategorise(trigger="manual")


def test_an_officer_agrees_a_proposal_from_the_work_queue(
    page, live_server, olivia, ashfield, proposal, console_errors
):
    sign_in(page, live_server, olivia)
    proposals = group(page, "Category proposals to decide")
    expect(proposals.get_by_role("heading")).to_have_text("Category proposals to decide (1)")
    item = proposals.get_by_role("listitem").filter(has_text="Ashfield Primary School")
    expect(item).to_contain_text("Waiting since")
    journey_step(page, "officer", "work-queue")
    item.get_by_role("link", name="Proposed: Intensive").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Agree or override the category")
    expect(page.get_by_label("Intensive (proposed)")).to_be_checked()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator("#current-category")).to_contain_text("Intensive")

    home(page)
    expect(group(page, "Category proposals to decide")).to_have_count(0)
    assert console_errors == []


def test_a_partner_reads_the_heads_response_from_the_work_queue(
    page, live_server, alice, hannah, ashfield, console_errors
):
    report = shared_report(ashfield, alice)
    services.respond_to_report(report=report, by=hannah, response="accurate", comment="A fair picture of reading.")

    sign_in(page, live_server, alice)
    responded = group(page, "The head responded")
    expect(responded).to_contain_text("Ashfield Primary School")
    responded.get_by_role("link", name="The head responded: accurate").click()

    expect(page.locator("#head-response")).to_contain_text("Accurate: A fair picture of reading.")
    home(page)
    expect(group(page, "The head responded")).to_have_count(0)
    page.get_by_role("link", name="My caseload", exact=True).click()
    expect(page.get_by_role("table", name="My schools and what is due")).to_contain_text("The head responded: accurate")
    assert console_errors == []


def test_a_head_responds_to_a_report_from_the_work_queue(page, live_server, alice, hannah, ashfield, console_errors):
    shared_report(ashfield, alice)

    sign_in(page, live_server, hannah)
    to_respond = group(page, "Reports to respond to")
    expect(to_respond).to_contain_text("Ashfield Primary School")
    expect(to_respond.locator(".govuk-tag")).to_contain_text("Due")
    to_respond.get_by_role(
        "link", name=f"Respond to the report on the visit of {timezone.localdate():%-d %B %Y}"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Respond to the visit report")
    page.get_by_role("radio", name="Accurate", exact=True).check()
    page.get_by_role("button", name="Send your response").click()
    expect(page.get_by_role("alert")).to_contain_text("Your response has been sent")

    home(page)
    expect(group(page, "Reports to respond to")).to_have_count(0)
    assert console_errors == []


def test_the_commissioner_opens_the_monthly_report_from_its_notification(page, live_server, colin, console_errors):
    last_month = previous_month(timezone.localdate())
    # Built on the first working day of the month, as the schedule does: the commissioner is told.
    report, _ = reporting.generate(last_month, trigger="scheduled")
    label = f"{last_month:%B %Y}"

    sign_in(page, live_server, colin)
    expect(group(page, "Monthly report")).to_contain_text(f"Monthly report for {label}")
    header = page.locator("#header-notifications")
    expect(header).to_have_text("Notifications (1 unread)")
    header.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    page.get_by_role("link", name=f"The monthly report for {label} is ready").click()
    expect(page).to_have_url(f"{live_server.url}{reverse('reporting:report', args=[report.pk])}")
    expect(page.get_by_role("heading", level=1)).to_have_text(label)
    expect(page.locator("#header-notifications")).to_have_text("Notifications")
    assert console_errors == []
