"""An officer assigns priority partners where the work is: from the school's page (with a conflict of
interest to justify), removes one, then assigns one partner to two schools at once from the
priority list filtered to the schools without a partner; the support page names the partner."""

from playwright.sync_api import expect

from boards.models import PriorityEntry
from support.selectors import current_year
from tests.browser.conftest import sign_in
from tests.factories import (
    PartnerInterestFactory,
    PartnerProfileFactory,
    PriorityEntryFactory,
    SchoolFactory,
    SchoolGroupFactory,
)


def test_an_officer_assigns_removes_and_bulk_assigns_priority_partners(
    page, live_server, olivia, ashfield, beacon_hill, castle, birmingham, console_errors
):
    trust = SchoolGroupFactory(name="Oak Learning Trust")
    beacon_hill.trust = trust
    beacon_hill.save()
    pat = PartnerProfileFactory(user__full_name="Pat Partner")
    PartnerInterestFactory(partner=pat, school=SchoolFactory(la=birmingham, name="Oak Hill Primary", trust=trust))
    PartnerProfileFactory(user__full_name="Quinn Partner")
    for school in (ashfield, beacon_hill, castle):
        PriorityEntryFactory(school=school, academic_year=current_year(), status=PriorityEntry.Status.ON_LIST)

    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}{beacon_hill.get_absolute_url()}")
    partner_row = page.locator("#priority-partner")
    expect(partner_row).to_contain_text("None assigned")
    partner_row.get_by_role("link", name="Assign a priority partner").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Assign a priority partner")
    expect(page.get_by_text("Conflict of interest: Pat Partner is governor of Oak Hill Primary")).to_be_visible()
    page.get_by_label("Pat Partner").check()
    page.get_by_role("button", name="Assign the priority partner").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Explain why Pat Partner should work with the school despite the conflict")
    page.get_by_label("If the partner you choose has a conflict of interest").fill("The only secondary specialist")
    page.get_by_role("button", name="Assign the priority partner").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Beacon Hill Academy")
    expect(page.get_by_role("alert")).to_contain_text("Pat Partner is now the priority partner of Beacon Hill Academy")
    expect(partner_row).to_contain_text("Assigned despite a conflict of interest")
    partner_row.get_by_role("link", name="Remove priority partner Pat Partner").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Remove Pat Partner as the school's priority partner?")
    page.get_by_label("Why is the partner no longer working with the school?").fill("Conflict grew")
    page.get_by_role("button", name="Remove the priority partner").click()
    expect(page.get_by_role("alert")).to_contain_text("Pat Partner is no longer the priority partner")
    expect(partner_row).to_contain_text("None assigned")

    page.goto(f"{live_server.url}/priority-list/")
    page.get_by_label("Priority partner").select_option(label="No priority partner")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#no-partner")).to_contain_text("3 of 3 priority schools have no named priority partner")
    expect(page.locator("#result-count")).to_contain_text("3 schools without a named priority partner")
    page.get_by_label("Select Ashfield Primary School").check()
    page.get_by_label("Select Castle Secondary School").check()
    page.get_by_role("button", name="Assign a priority partner to the selected schools").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Assign a priority partner to the selected schools")
    expect(page.locator("#selected-schools")).to_contain_text("Ashfield Primary School")
    page.get_by_label("Quinn Partner").check()
    page.get_by_role("button", name="Assign the priority partner").click()
    expect(page.get_by_role("alert")).to_contain_text("Quinn Partner is now the priority partner of 2 schools")
    expect(page.locator("#no-partner")).to_contain_text("1 of 3 priority schools has no named priority partner")

    page.goto(f"{live_server.url}/schools/{ashfield.urn}/support/")
    expect(page.locator("#priority-partner")).to_contain_text("Quinn Partner")
    assert console_errors == []
