"""A Welsh authority's officer issues an informal warning notice from the school page, escalates it to
a formal warning notice under the 2013 Act, and records the month's risk management conference
(issue 21, seed 001)."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_support import fill_date, heading, success


def test_an_informal_warning_notice_is_issued_and_escalated_to_a_formal_one(page, live_server, olivia, in_wales):
    today = timezone.localdate()
    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}{in_wales.get_absolute_url()}")
    page.get_by_role("link", name="Issue an informal warning notice").click()
    expect(heading(page)).to_have_text("Issue an informal warning notice")
    fill_date(page, "Date of issue", today)
    page.get_by_label("Concerns").fill("Reading at key stage 2 has fallen for two years.")
    page.get_by_label("What must improve").fill("A recovery plan with measurable reading targets.")
    fill_date(page, "Improve by", today + timedelta(days=90))
    page.get_by_role("button", name="Issue the informal warning notice").click()
    expect(success(page)).to_contain_text("Informal warning notice issued")
    expect(page.locator("#recovery-plan")).to_contain_text("2")

    page.get_by_role("button", name="Escalate to a formal warning notice").click()
    fill_date(page, "Date of the escalation", today)
    page.get_by_label("Why is a formal warning notice needed?").fill("No improvement by the date set.")
    page.get_by_role("button", name="Escalate to a formal warning notice").click()
    expect(success(page)).to_contain_text("a formal warning notice is recommended")
    expect(page.locator("#notice-legislation")).to_have_text(
        "School Standards and Organisation (Wales) Act 2013, ss. 2–3"
    )


def test_the_months_risk_management_conference_is_recorded(page, live_server, olivia, in_wales):
    today = timezone.localdate()
    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}/wales/risk-conferences/")
    expect(page.locator("#not-held")).to_be_visible()
    page.get_by_role("button", name="Record a conference").click()
    fill_date(page, "Date of the conference", today)
    page.get_by_label("Attendee 1: name").fill("Lowri Lewis")
    page.get_by_label("Attendee 6: name").fill("Mair Morgan")
    school = page.get_by_role("group", name="School discussed 1")
    school.get_by_label("URN of the school").fill(str(in_wales.urn))
    school.get_by_label("Risks identified").fill("Falling reading; an acting headteacher")
    school.get_by_label("Decision: support planned or reviewed").fill("Broker literacy support")
    page.get_by_role("button", name="Record the conference").click()
    expect(success(page)).to_contain_text("Conference recorded")
    expect(page.locator("#attendees")).to_contain_text("Lowri Lewis, Head of Legal Services")
    expect(page.locator("#attendees")).to_contain_text("Mair Morgan, Director of Education")
    expect(page.locator("#school-risks")).to_contain_text("Broker literacy support")
