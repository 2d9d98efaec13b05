"""A person who works for two authorities sees which one they are in and switches with one click
(issue 20); each authority's schools and cases are the only ones on their pages."""

from playwright.sync_api import expect

from accounts.authorities import working_in
from accounts.models import Membership, Role, SchoolAssignment
from tests.browser.conftest import sign_in
from tests.factories import AuthorityFactory, SchoolAssignmentFactory, SchoolFactory, UserFactory


def test_a_partner_switches_between_the_two_councils_they_work_for(page, live_server, birmingham, warwickshire):
    city = AuthorityFactory(name="Birmingham City Council", la_codes=[330])
    county = AuthorityFactory(name="Warwickshire County Council", la_codes=[937])
    ashfield = SchoolFactory(name="Ashfield Primary School", la=birmingham)
    castle = SchoolFactory(name="Castle Secondary School", la=warwickshire, phase_name="Secondary")
    with working_in(city):
        partner = UserFactory(full_name="Pat Partner", role=Role.PRIORITY_PARTNER)
        SchoolAssignmentFactory(
            user=partner, school=ashfield, relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER
        )
    Membership.objects.create(user=partner, authority=county, role=Role.PRIORITY_PARTNER)
    with working_in(county):
        SchoolAssignmentFactory(
            user=partner, school=castle, relationship=SchoolAssignment.Relationship.PRIORITY_PARTNER
        )

    sign_in(page, live_server, partner)
    page.goto(f"{live_server.url}/caseload/")
    expect(page.locator("#current-authority")).to_have_text("Birmingham City Council")
    expect(page.get_by_role("link", name="Ashfield Primary School", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Castle Secondary School", exact=True)).to_have_count(0)

    page.get_by_role("button", name="Switch to Warwickshire County Council").click()
    expect(page.get_by_text("You are now working in Warwickshire County Council as Priority partner")).to_be_visible()
    expect(page.locator("#current-authority")).to_have_text("Warwickshire County Council")
    page.goto(f"{live_server.url}/caseload/")
    expect(page.get_by_role("link", name="Castle Secondary School", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Ashfield Primary School", exact=True)).to_have_count(0)
    # Ashfield's page is not Warwickshire's to show.
    response = page.goto(f"{live_server.url}/schools/{ashfield.urn}/")
    assert response.status == 404
    page.goto(f"{live_server.url}/caseload/")
    page.get_by_role("button", name="Switch to Birmingham City Council").click()
    expect(page.locator("#current-authority")).to_have_text("Birmingham City Council")
