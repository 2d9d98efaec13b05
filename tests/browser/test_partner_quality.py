"""Browser journey: an officer records a partner's quality assurance for the year (seed 004) and
the partner reads it from their caseload."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import journey_step, sign_in
from tests.browser.test_support import fill_date, heading, long_date, success
from tests.factories import PartnerProfileFactory, VisitFactory


def test_an_officer_records_a_partners_quality_assurance_and_the_partner_reads_it(
    page, new_page, live_server, olivia, alice, bella, ashfield, console_errors
):
    PartnerProfileFactory(user=alice)
    visited = timezone.localdate() - timedelta(days=7)
    VisitFactory(school=ashfield, visitor=alice, scheduled_for=visited)

    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}/partners/")
    page.get_by_role("link", name="Quality assurance of partners").click()
    expect(heading(page)).to_contain_text("Quality assurance of partners")
    expect(page.locator("#missing-counts")).to_contain_text("No induction: 1 partner")
    journey_step(page, "officer", "partner-quality-1-list")
    page.get_by_role("link", name="Alice Partner").click()

    expect(page.locator("#gaps + ul")).to_contain_text("No induction")
    page.get_by_role("button", name="Update the record").click()
    fill_date(page, "Formal induction day", visited)
    page.get_by_label("Visit shadowed").select_option(label=f"{long_date(visited)}: Ashfield Primary School")
    page.get_by_label("Shadowed by").select_option(label="Bella Board")
    fill_date(page, "Performance review held on", visited)
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the partner's self-assessment")
    fill_date(page, "Self-assessment completed on", visited)
    page.get_by_label("Review held by").select_option(label="Olivia Officer")
    journey_step(page, "officer", "partner-quality-2-record")
    page.get_by_role("button", name="Save the record").click()

    expect(success(page)).to_contain_text("Quality assurance record saved")
    record = page.locator("#record")
    expect(record).to_contain_text(f"Ashfield Primary School, {long_date(visited)}, by Bella Board")
    expect(page.locator("#gaps + ul")).not_to_contain_text("No induction")
    page.get_by_role("button", name="Add training").click()
    page.get_by_role("radio", name="Keep in Touch event").check()
    page.get_by_label("Title").fill("Autumn Keep in Touch: the new inspection framework")
    fill_date(page, "Attended on", visited)
    page.get_by_role("button", name="Add the training").click()
    expect(page.locator("#training")).to_contain_text("Autumn Keep in Touch: the new inspection framework")

    partner = new_page()
    sign_in(partner, live_server, alice)
    partner.goto(f"{live_server.url}/caseload/")
    partner.get_by_role("link", name="Your quality assurance this year").click()
    expect(partner.locator("#record")).to_contain_text(long_date(visited))
    expect(partner.get_by_role("button", name="Update the record")).to_have_count(0)
    journey_step(partner, "partner", "partner-quality-3-own-record")
    assert console_errors == []
