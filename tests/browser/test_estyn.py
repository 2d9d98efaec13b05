"""An LA officer of a Welsh authority records an Estyn inspection on a Welsh school's page and
sees it there, in its framework's shape (issue 21)."""

from datetime import date

from playwright.sync_api import expect

from accounts.models import Authority
from tests.browser.conftest import sign_in
from tests.browser.test_board import error_summary
from tests.browser.test_support import fill_date, heading, success
from tests.builtin_data import DEFAULT_AUTHORITY
from tests.factories import LocalAuthorityFactory, SchoolFactory


def test_an_officer_records_an_estyn_inspection_and_sees_it_on_the_school_page(page, live_server, olivia):
    Authority.objects.filter(pk=DEFAULT_AUTHORITY).update(nation=Authority.Nation.WALES, la_codes=[681])
    school = SchoolFactory(
        urn=402387,
        name="Ysgol Gynradd Gymraeg Hamadryad",
        la=LocalAuthorityFactory(code=681, name="Cardiff"),
        establishment_number=2332,
        type_name="Welsh establishment",
        type_group_name="Welsh schools",
    )
    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}{school.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Estyn inspections")).to_be_visible()
    page.get_by_role("button", name="Record an Estyn inspection").click()
    expect(heading(page)).to_have_text("Record an Estyn inspection")

    # A 2019 inspection was judged on the five inspection areas: leaving them empty is refused.
    fill_date(page, "Date the inspection started", date(2019, 3, 11))
    page.get_by_role("button", name="Record the inspection").click()
    expect(error_summary(page)).to_contain_text("Select the judgement on standards")

    for area in ("Standards", "Wellbeing and attitudes to learning", "Teaching and learning experiences"):
        page.get_by_label(area).select_option(label="Good")
    page.get_by_label("Care, support and guidance").select_option(label="Adequate and needs improvement")
    page.get_by_label("Leadership and management").select_option(label="Good")
    page.get_by_label("In need of significant improvement").check()
    page.get_by_role("button", name="Record the inspection").click()

    expect(success(page)).to_contain_text("Estyn inspection recorded")
    card = page.locator(".govuk-summary-card", has_text="11 March 2019: Estyn inspection")
    expect(card).to_contain_text("Adequate and needs improvement")
    expect(card).to_contain_text("In need of significant improvement")
    expect(page.get_by_role("heading", name="Ofsted inspections")).to_have_count(0)
