"""Welsh for authorities in Wales (issue 21): a headteacher switches their pages to Cymraeg with the
header's switch, and an officer writes the year's letters bilingually (Welsh first)."""

from playwright.sync_api import expect

from accounts.authorities import working_in
from accounts.models import Authority, Role, SchoolAssignment
from boards import services
from boards.models import Letter
from support.selectors import current_year
from tests.browser.conftest import sign_in
from tests.browser.test_support import heading, success
from tests.factories import AuthorityFactory, LocalAuthorityFactory, SchoolAssignmentFactory, SchoolFactory, UserFactory


def _wales():
    cardiff = LocalAuthorityFactory(code=681, name="Cardiff")
    authority = AuthorityFactory(name="Central South Consortium", nation=Authority.Nation.WALES, la_codes=[681])
    school = SchoolFactory(
        name="Ysgol Gynradd Hamadryad",
        la=cardiff,
        type_name="Welsh establishment",
        type_group_name="Welsh schools",
        establishment_number=2332,
        head_first_name="Siân",
        head_last_name="Jones",
    )
    return authority, school


def test_a_welsh_headteacher_switches_to_cymraeg_and_reads_their_page_in_welsh(page, live_server, console_errors):
    authority, school = _wales()
    with working_in(authority):
        head = UserFactory(full_name="Siân Jones", role=Role.HEADTEACHER)
        SchoolAssignmentFactory(user=head, school=school, relationship=SchoolAssignment.Relationship.HEADTEACHER)
        officer = UserFactory(full_name="Gwen Officer", role=Role.LA_OFFICER)
        services.annual_letters(year=current_year(), by=officer, la_id=school.la_id)
        letter = Letter.objects.get(school=school)
        services.mark_sent(letter=letter, by=officer, sent_on=letter.dated, recipients=letter.recipients)

    sign_in(page, live_server, head)
    expect(page.get_by_role("heading", name="Your school's category")).to_be_visible()
    page.get_by_role("button", name="Cymraeg").click()

    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(heading(page)).to_have_text("Croeso, Siân")
    expect(page.get_by_role("heading", name="Categori eich ysgol")).to_be_visible()
    expect(page.get_by_role("heading", name="Llythyrau gan yr awdurdod lleol")).to_be_visible()
    expect(page.get_by_role("button", name="Allgofnodi")).to_be_visible()
    # The letter's link is its Welsh subject; its page gives the Welsh letter first.
    page.get_by_role("link", name="Ysgol Gynradd Hamadryad: cymorth gwella ysgolion", exact=False).click()
    expect(heading(page)).to_have_text("Nid yw'n flaenoriaeth ar gyfer cymorth")
    expect(page.locator("#letter-cy")).to_contain_text("Annwyl Siân Jones a chadeirydd y llywodraethwyr")
    expect(page.locator(".govuk-inset-text").first).to_have_attribute("lang", "cy")

    page.get_by_role("button", name="English").click()
    expect(heading(page)).to_have_text("Not a priority for support")
    assert console_errors == []


def test_an_officer_of_a_welsh_authority_writes_the_years_letters_bilingually(page, live_server, console_errors):
    authority, _school = _wales()
    with working_in(authority):
        officer = UserFactory(full_name="Gwen Officer", role=Role.LA_OFFICER)

    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/board/letters/annual/")
    expect(heading(page)).to_have_text("Write the annual letters")
    expect(page.get_by_label("Bilingual")).to_be_checked()
    page.get_by_label("Local authority").select_option(label="Cardiff (681)")
    page.get_by_role("button", name="Write the letters for the year").click()

    expect(success(page)).to_contain_text("1 letter written")
    page.get_by_role("link", name="Ysgol Gynradd Hamadryad").first.click()
    expect(page.locator("#letter-language")).to_have_text("Bilingual")
    welsh, english = page.locator("#letter-cy"), page.locator("#letter-en-gb")
    expect(welsh).to_contain_text("Annwyl Siân Jones a chadeirydd y llywodraethwyr")
    expect(english).to_contain_text("Dear Siân Jones and the chair of governors")
    assert welsh.bounding_box()["y"] < english.bounding_box()["y"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    # Not sent yet: the officer writes it again in Welsh only.
    page.get_by_role("group", name="Language of the letter").get_by_label("Cymraeg").check()
    page.get_by_role("button", name="Write it again").click()
    expect(success(page)).to_contain_text("Letter written again: Cymraeg")
    expect(page.locator("#letter-cy")).to_contain_text("Annwyl Siân Jones")
    expect(page.locator("#letter-en-gb")).to_have_count(0)
    assert console_errors == []
