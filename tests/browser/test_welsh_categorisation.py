"""An officer of a Welsh authority records a school's standards group, the challenge adviser's
capacity to improve and agrees it, and sees the support category the guidance's matrix gives
(issue 21, seed 001)."""

from playwright.sync_api import expect

from accounts.models import SchoolAssignment
from categorisation import services
from categorisation.models import Framework
from tests.browser.conftest import sign_in
from tests.browser.test_support import heading, success
from tests.factories import SchoolAssignmentFactory


def test_the_three_steps_from_the_school_page_to_amber(page, live_server, olivia, adam, in_wales):
    services.set_active_framework(framework=Framework.objects.get(code="wales"), by=adam)
    SchoolAssignmentFactory(user=olivia, school=in_wales, relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER)
    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}{in_wales.get_absolute_url()}")
    page.get_by_role("link", name="Categorisation steps").click()
    expect(heading(page)).to_contain_text("Categorisation steps for")
    expect(page.locator("#step-3-proposal")).to_contain_text("no standards group recorded for the year")

    page.get_by_label("Standards group 3").check()
    page.get_by_role("button", name="Save standards group").click()
    expect(success(page)).to_contain_text("Standards group saved")
    expect(page.locator("#standards-group")).to_contain_text("Standards group 3")
    expect(page.locator("#step-3-proposal")).to_contain_text("Not yet categorised")

    page.get_by_label("C: in need of improvement").check()
    page.get_by_label("Evidence").fill("Self-evaluation is not yet accurate; plans lack measurable targets.")
    page.get_by_role("button", name="Save judgement").click()
    expect(page.locator("#agreement")).to_contain_text("Not yet agreed")

    page.get_by_role("button", name="Agree the capacity to improve").click()
    expect(success(page)).to_contain_text("Capacity to improve agreed")
    expect(page.locator("#step-3-proposal")).to_contain_text("Amber")
    expect(page.locator("#step-3-proposal")).to_contain_text("standards group 3")
