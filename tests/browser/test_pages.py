"""One browser test at least for every support and board page not covered by a journey elsewhere:
each page is reached as its user would reach it, its heading checked and, for a form, one
invalid and one valid submission made and the result seen on the page."""

import re
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from boards.annual_selectors import year_end_review_open
from boards.models import PriorityEntry
from categorisation import services as categorisation
from support import services
from support.models import Meeting
from support.selectors import current_year, half_terms
from tests.browser.conftest import sign_in
from tests.browser.test_board import error_summary, menu, weekday_date
from tests.browser.test_support import fill_date, heading, long_date, success
from tests.factories import BoardMeetingFactory, PriorityEntryFactory, UserFactory


def year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def short_date(day: date) -> str:
    """A date as the lists show it (Django's "j M Y"): 3 Mar 2026."""
    return f"{day.day} {day:%b %Y}"


def agreed_category(school, officer, code: str = "intensive") -> None:
    categorisation.recategorise(trigger="manual")
    categorisation.agree_category(school=school, by=officer, category_code=code, rationale="Agreed at the panel")


def proposed(school, year: int) -> PriorityEntry:
    return PriorityEntryFactory(
        school=school,
        academic_year=year,
        reason=PriorityEntry.Reason.OFSTED_RI,
        status=PriorityEntry.Status.PROPOSED,
        proposed_on=timezone.localdate(),
    )


# Support: partners, quality assurance, self-referrals, the calendar ---------------------------------------------


def test_an_officer_adds_a_partner_changes_their_details_and_assigns_a_school_despite_a_declared_interest(
    page, live_server, olivia, ashfield, console_errors
):
    UserFactory(email="priya@partners.example", full_name="Priya Partner", role=Role.PRIORITY_PARTNER)

    sign_in(page, live_server, olivia)
    menu(page).get_by_role("link", name="Support", exact=True).click()
    expect(heading(page)).to_have_text("Priority partners")
    expect(page.get_by_text("No partner profiles yet.")).to_be_visible()
    page.get_by_role("button", name="Add a priority partner").click()

    expect(heading(page)).to_have_text("Add a priority partner")
    page.get_by_role("button", name="Save the partner's details").click()
    expect(error_summary(page)).to_contain_text("Choose the partner")
    page.get_by_label("Priority partner", exact=True).select_option(label="Priya Partner")
    page.get_by_label("Or add an organisation").fill("Northfield Teaching School Hub")
    page.get_by_label("Specialisms").fill("Primary maths, SEND")
    page.get_by_label("Days available a year").fill("20")
    fill_date(page, "Contract starts", date(current_year(), 9, 1))
    page.get_by_role("button", name="Save the partner's details").click()

    expect(success(page)).to_contain_text("Partner added")
    expect(heading(page)).to_have_text("Priya Partner")
    summary = page.locator(".govuk-summary-list")
    expect(summary).to_contain_text("Northfield Teaching School Hub")
    expect(summary).to_contain_text("Primary maths, SEND")
    expect(summary).to_contain_text("0 allocated of 20")
    page.get_by_role("link", name="Change details").click()

    expect(heading(page)).to_have_text("Change Priya Partner's details")
    expect(page.get_by_label("Specialisms")).to_have_value("Primary maths, SEND")
    page.get_by_label("Days available a year").fill("25")
    fill_date(page, "Contract ends", date(current_year(), 8, 31))
    page.get_by_role("button", name="Save the partner's details").click()
    expect(error_summary(page)).to_contain_text("The contract must end after it starts")
    fill_date(page, "Contract ends", date(current_year() + 1, 8, 31))
    page.get_by_role("button", name="Save the partner's details").click()

    expect(success(page)).to_contain_text("Details saved")
    expect(summary).to_contain_text("0 allocated of 25")
    expect(summary).to_contain_text(f"1 September {current_year()} to 31 August {current_year() + 1}")
    page.get_by_role("link", name="Declare an interest").click()

    expect(heading(page)).to_have_text("Declare an interest of Priya Partner")
    page.get_by_role("button", name="Declare the interest").click()
    expect(error_summary(page)).to_contain_text("Enter the school's URN")
    expect(error_summary(page)).to_contain_text("Choose the relationship")
    page.get_by_label("URN of the school").fill(str(ashfield.urn))
    page.get_by_role("radio", name="Governor").check()
    page.get_by_role("button", name="Declare the interest").click()

    expect(success(page)).to_contain_text("Interest declared")
    expect(heading(page)).to_have_text("Priya Partner")
    expect(summary).to_contain_text("Governor of Ashfield Primary School")
    expect(page.get_by_text("None assigned.")).to_be_visible()
    page.get_by_label("URN of the school").fill(str(ashfield.urn))
    page.get_by_role("button", name="Assign the school").click()

    expect(error_summary(page)).to_contain_text("Explain why this partner should work with the school despite:")
    expect(page.locator("#conflicts")).to_contain_text(
        "Conflict of interest: Priya Partner is governor of Ashfield Primary School itself."
    )
    page.get_by_label("Justification, if there is a conflict of interest").fill(
        "She stood down as a governor last year and no one else has the maths expertise."
    )
    page.get_by_role("button", name="Assign the school").click()

    expect(success(page)).to_contain_text("Ashfield Primary School assigned to Priya Partner")
    schools = page.get_by_role("listitem").filter(has_text="Conflict declared")
    expect(schools.get_by_role("link", name="Ashfield Primary School")).to_be_visible()
    expect(schools).to_contain_text("Justified: She stood down as a governor last year")
    page.get_by_role("link", name="Back to partners").click()

    row = page.get_by_role("table", name="Partners and their load").get_by_role("row").filter(has_text="Priya")
    expect(row).to_contain_text("Northfield Teaching School Hub")
    expect(row.get_by_role("cell").nth(3)).to_contain_text("Does not meet the criteria")  # no NLE, LLE or inspector
    expect(row.get_by_role("cell").nth(4)).to_have_text("1")
    expect(row.get_by_role("cell").nth(5)).to_have_text("0 / 25")
    assert console_errors == []


def test_the_head_self_refers_and_the_officer_reads_it_beside_quality_assurance_and_the_calendar(
    page, new_page, live_server, hannah, olivia, ashfield, console_errors
):
    today = timezone.localdate()
    reason = "Our headteacher and deputy are both leaving at Christmas and the budget is in deficit."

    sign_in(page, live_server, hannah)
    page.locator(".head-school").get_by_role("link", name="Tell us your school is vulnerable").click()
    expect(heading(page)).to_have_text("Tell us the school is vulnerable")
    page.get_by_role("button", name="Send the self-referral").click()
    expect(error_summary(page)).to_contain_text("Say why the school is vulnerable")
    page.get_by_label("We are vulnerable because").fill(reason)
    page.get_by_role("button", name="Send the self-referral").click()
    expect(success(page)).to_contain_text("Your self-referral has been sent to the local authority")
    expect(heading(page)).to_have_text("Welcome, Hannah")

    officer = new_page()
    sign_in(officer, live_server, olivia)
    menu(officer).get_by_role("link", name="Support", exact=True).click()
    officer.get_by_role("link", name="Self-referrals").click()
    expect(heading(officer)).to_have_text("Self-referrals")
    card = officer.locator(".govuk-summary-card").filter(
        has=officer.get_by_role("heading", name=f"Ashfield Primary School, {long_date(today)}")
    )
    expect(card).to_contain_text("New")
    expect(card).to_contain_text(reason)
    expect(card).to_contain_text("From Hannah Head")

    menu(officer).get_by_role("link", name="Support", exact=True).click()
    officer.get_by_role("link", name="Quality assurance of visit reports").click()
    expect(heading(officer)).to_have_text("Quality assurance of visit reports")
    officer.get_by_role("button", name="Draw a sample of one in five").click()
    expect(success(officer)).to_contain_text("0 reports selected for moderation")
    expect(officer.get_by_text("No report awaits moderation.")).to_be_visible()

    menu(officer).get_by_role("link", name="Support", exact=True).click()
    officer.get_by_role("link", name="Academic calendar").click()
    expect(heading(officer)).to_have_text("Academic calendar")
    year = current_year()
    for label in (year_label(year), year_label(year + 1)):
        expect(officer.get_by_role("heading", name=label, exact=True)).to_be_visible()
        terms = officer.get_by_role("table", name=f"Half-terms of {label}")
        expect(terms.locator("tbody").get_by_role("row")).to_have_count(6)
    assert console_errors == []


# Support: a school's package, meetings and plan ------------------------------------------------------------------


def test_an_officer_sets_up_a_schools_support_and_records_everything_it_gets(
    page, live_server, olivia, alice, ashfield, console_errors
):
    today = timezone.localdate()
    agreed_category(ashfield, olivia)

    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}/schools/{ashfield.urn}/")
    page.get_by_role("link", name="Support, visits and meetings").click()
    expect(heading(page)).to_have_text(f"Support {year_label(current_year())}")
    expect(page.get_by_text("No support package has been set up for this year.")).to_be_visible()
    page.get_by_role("button", name="Set up support from the school's category").click()

    expect(success(page)).to_contain_text("Support package set up from the school's category")
    entitlement = page.get_by_role("table", name="Entitled, allocated, delivered and remaining")
    expect(entitlement.get_by_role("row", name=re.compile("^School improvement adviser days"))).to_be_visible()
    expect(page.get_by_text("From the school's category, Intensive")).to_be_visible()
    page.get_by_role("button", name="Adjust the entitlement").click()

    expect(heading(page)).to_have_text("Adjust the entitlement")
    page.get_by_label("Kind of support").select_option(label="School improvement adviser days")
    page.get_by_label("Days to add").fill("0")
    page.get_by_label("Reason").fill("The board agreed two more days for the new leadership team.")
    page.get_by_role("button", name="Adjust the entitlement").click()
    expect(error_summary(page)).to_contain_text("Enter a number of days other than 0")
    page.get_by_label("Days to add").fill("2")
    page.get_by_role("button", name="Adjust the entitlement").click()

    expect(success(page)).to_contain_text("Entitlement adjusted")
    expect(page.get_by_role("listitem").filter(has_text="The board agreed two more days")).to_contain_text(
        f"2 school improvement adviser days – The board agreed two more days for the new leadership team. "
        f"(Olivia Officer, {short_date(today)})"
    )
    page.get_by_role("button", name="Allocate days").click()

    expect(heading(page)).to_have_text("Allocate days")
    page.get_by_label("Kind of support").select_option(label="School improvement adviser days")
    page.get_by_label("Partner or adviser").select_option(label="Alice Partner")
    page.get_by_role("button", name="Allocate the days").click()
    expect(error_summary(page)).to_be_visible()
    page.get_by_label("Days", exact=True).fill("3")
    page.get_by_role("button", name="Allocate the days").click()

    expect(success(page)).to_contain_text("Days allocated")
    expect(page.get_by_role("listitem").filter(has_text="to Alice Partner")).to_have_text(
        "3 school improvement adviser days to Alice Partner"
    )
    page.get_by_role("button", name="Record brokered support").click()

    expect(heading(page)).to_have_text("Record brokered support")
    page.get_by_role("button", name="Record brokered support").click()
    expect(error_summary(page)).to_be_visible()
    page.get_by_label("Provider", exact=True).select_option(label="National leader of education")
    page.get_by_label("Name of the provider").fill("Jo Bloggs")
    page.get_by_label("Purpose").fill("Coaching the new deputy head")
    fill_date(page, "Start date", today)
    page.get_by_label("Days", exact=True).fill("2")
    page.get_by_label("Cost (£)").fill("600")
    page.get_by_label("Funded by").select_option(label="Local authority")
    page.get_by_role("button", name="Record brokered support").click()

    expect(success(page)).to_contain_text("Brokered support recorded")
    expect(page.get_by_role("listitem").filter(has_text="Jo Bloggs")).to_have_text(
        f"Jo Bloggs (National leader of education) from {short_date(today)}: 2 days, £600.00, funded by local authority"
    )
    page.get_by_role("button", name="Record a traded service").click()

    expect(heading(page)).to_have_text("Record a traded service")
    page.get_by_label("Service bought").fill("Governor training")
    fill_date(page, "Date bought", today)
    page.get_by_label("Days", exact=True).fill("1")
    page.get_by_label("Cost (£)").fill("350")
    page.get_by_role("button", name="Record the traded service").click()

    expect(success(page)).to_contain_text("Traded service recorded")
    expect(page.get_by_role("listitem").filter(has_text="Governor training")).to_have_text(
        f"Governor training, {short_date(today)}: 1 days, £350.00"
    )
    page.get_by_role("link", name="Record a new headteacher").click()

    expect(heading(page)).to_have_text("Record a new headteacher")
    page.get_by_role("button", name="Record the new headteacher").click()
    expect(error_summary(page)).to_be_visible()
    page.get_by_label("Name of the new headteacher").fill("Nadia Newhead")
    fill_date(page, "Start date", today)
    page.get_by_label("Acting or interim headteacher").check()
    page.get_by_role("button", name="Record the new headteacher").click()

    expect(success(page)).to_contain_text("New headteacher recorded: a visit is due in their first half-term")
    expect(page.locator(".govuk-warning-text", has_text="Nadia Newhead")).to_contain_text(
        f"Nadia Newhead became acting headteacher on {long_date(today)}: a visit is due by"
    )
    assert console_errors == []


def test_a_partner_schedules_the_progress_meetings_and_records_a_meeting_with_an_action(
    page, live_server, alice, ashfield, console_errors
):
    today = timezone.localdate()
    deadline = today + timedelta(days=21)
    ashfield.ofsted_outcome = "requires_improvement"
    ashfield.save(update_fields=["ofsted_outcome"])
    Meeting.objects.create(school=ashfield, kind=Meeting.Kind.STRATEGY, scheduled_for=today, created_by=alice)

    sign_in(page, live_server, alice)
    page.get_by_role("link", name="My caseload: visits, reports and actions due").click()
    page.get_by_role("table", name="My schools and what is due").get_by_role(
        "link", name="Ashfield Primary School", exact=True
    ).click()
    expect(heading(page)).to_have_text(f"Support {year_label(current_year())}")
    page.get_by_role("button", name="Schedule this year's progress meetings").click()

    made = Meeting.objects.filter(school=ashfield, kind=Meeting.Kind.PROGRESS).count()
    expect(success(page)).to_contain_text(f"{made} progress meeting{'s' if made != 1 else ''} scheduled")
    meetings = page.locator("#meetings + form + ul")
    expect(meetings.get_by_role("listitem")).to_have_count(made + 1)
    page.get_by_role("link", name=f"record it ({long_date(today)})").click()

    expect(heading(page)).to_have_text(f"Record the strategy meeting of {today:%d %B %Y}")
    fill_date(page, "Date held", today)
    page.get_by_label("Attendees").fill("Hannah Head, Alice Partner, the chair of governors")
    page.get_by_label("Notes").fill("Reviewed the reading plan; phonics training is behind schedule.")
    page.get_by_label("On track to be Good").check()
    page.get_by_role("group", name="Is the support timely?").get_by_label("No").check()
    page.get_by_label("Impact of the support").fill("Too early to see in reading.")
    page.get_by_label("Action 1 agreed").fill("Book the phonics training for year 3 staff")
    page.get_by_role("button", name="Record the meeting").click()
    expect(error_summary(page)).to_contain_text("Enter who owns action 1")
    expect(error_summary(page)).to_contain_text("Enter the deadline for action 1")
    page.get_by_label("Who owns action 1").fill("Deputy headteacher")
    fill_date(page, "Deadline for action 1", deadline)
    page.get_by_role("button", name="Record the meeting").click()

    expect(success(page)).to_contain_text("Meeting recorded")
    held = page.get_by_role("listitem").filter(has_text=f"held {long_date(today)}")
    expect(held).to_contain_text(f"Strategy meeting, {long_date(today)} – held {long_date(today)}")
    held.get_by_text("Notes and actions").click()
    expect(held).to_contain_text("Attendees: Hannah Head, Alice Partner, the chair of governors")
    expect(held).to_contain_text(
        f"Book the phonics training for year 3 staff – Deputy headteacher, by {long_date(deadline)}"
    )
    expect(page.get_by_role("link", name=f"record it ({long_date(today)})")).to_have_count(0)
    assert console_errors == []


def test_a_partner_adds_a_priority_an_action_and_a_milestone_and_updates_the_action(
    page, live_server, alice, ashfield, console_errors
):
    today = timezone.localdate()
    deadline = today + timedelta(days=30)
    due = today + timedelta(days=60)
    services.create_plan(school=ashfield, year=current_year(), by=alice)

    sign_in(page, live_server, alice)
    page.get_by_role("link", name="My caseload: visits, reports and actions due").click()
    page.get_by_role("link", name="Draft plan for Ashfield Primary School").click()
    expect(heading(page)).to_have_text("Action plan")
    expect(page.get_by_text("No priorities yet.")).to_be_visible()
    page.get_by_role("button", name="Add a priority").click()

    expect(heading(page)).to_have_text("Add a priority")
    page.get_by_role("button", name="Add the priority").click()
    expect(error_summary(page)).to_contain_text("Enter the priority")
    page.get_by_label("Priority", exact=True).fill("Raise attainment in reading")
    page.get_by_label("Description").fill("More pupils reach the expected standard in reading at key stage 2.")
    page.get_by_role("button", name="Add the priority").click()

    expect(success(page)).to_contain_text("Priority added")
    expect(page.get_by_role("heading", name="Priority 1: Raise attainment in reading")).to_be_visible()
    expect(page.get_by_text("No actions yet.")).to_be_visible()
    page.get_by_role("link", name="Add an action to this priority").click()

    expect(heading(page)).to_have_text("Add an action to 'Raise attainment in reading'")
    page.get_by_role("button", name="Add the action").click()
    expect(error_summary(page)).to_contain_text("Describe the action")
    expect(error_summary(page)).to_contain_text("Enter who owns the action")
    page.get_by_label("Action", exact=True).fill("Train all year 3 staff in the phonics programme")
    page.get_by_label("Owner").fill("Deputy headteacher")
    fill_date(page, "Deadline", deadline)
    page.get_by_label("Success criteria").fill("Every year 3 teacher delivers the programme with fidelity")
    page.get_by_role("button", name="Add the action").click()

    expect(success(page)).to_contain_text("Action added")
    actions = page.get_by_role("table", name="Actions for Raise attainment in reading")
    row = actions.get_by_role("row").filter(has_text="Train all year 3 staff")
    expect(row).to_contain_text("Deputy headteacher")
    expect(row).to_contain_text(short_date(deadline))
    expect(row).to_contain_text("Green: on track")
    row.get_by_role("link", name=re.compile("^Update")).click()

    expect(heading(page)).to_have_text("Update the action")
    page.get_by_label("RAG status").select_option(label="Amber: some concerns")
    page.get_by_label("Evidence").fill("Two of the three teachers are trained; the third starts in January.")
    page.get_by_role("button", name="Update the action").click()

    expect(success(page)).to_contain_text("Action updated")
    expect(row).to_contain_text("Amber: some concerns")
    expect(row).to_contain_text("Evidence: Two of the three teachers are trained")
    page.get_by_role("button", name="Add a milestone").click()

    expect(heading(page)).to_have_text("Add a milestone")
    page.get_by_role("button", name="Add the milestone").click()
    expect(error_summary(page)).to_be_visible()
    page.get_by_label("Milestone").fill("Reading fluency checks show every year 3 pupil on track")
    fill_date(page, "Due", due)
    page.get_by_role("button", name="Add the milestone").click()

    expect(success(page)).to_contain_text("Milestone added")
    expect(page.get_by_role("heading", name="Milestones")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Reading fluency checks")).to_have_text(
        f"Reading fluency checks show every year 3 pupil on track – due {long_date(due)}"
    )
    assert console_errors == []


def test_an_officer_records_the_academy_order_of_a_statement_of_action(
    page, live_server, olivia, ashfield, console_errors
):
    today = timezone.localdate()
    ordered = today - timedelta(days=7)
    ashfield.ofsted_outcome = "inadequate"
    ashfield.save(update_fields=["ofsted_outcome"])
    assert ashfield.type_group_name == "Local authority maintained schools"
    services.create_plan(school=ashfield, year=current_year(), by=olivia)

    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}/schools/{ashfield.urn}/")
    page.get_by_role("link", name="Action plan").first.click()
    expect(heading(page)).to_have_text("Statement of Action")
    academy_order = page.locator(".govuk-summary-list__row").filter(has_text="Academy order")
    expect(academy_order).to_contain_text("Not recorded")
    page.get_by_role("link", name="Change academy order").click()

    expect(heading(page)).to_have_text("Academy order")
    fill_date(page, "Date the academy order was made", ordered)
    page.get_by_label("Trust to take the school on").fill("Oak Learning Trust")
    fill_date(page, "Conversion expected on", ordered - timedelta(days=1))
    page.get_by_role("button", name="Save the academy order").click()
    expect(error_summary(page)).to_contain_text("Conversion must be expected after the order is made")
    converts = date(today.year + 1, 4, 1)
    fill_date(page, "Conversion expected on", converts)
    page.get_by_role("button", name="Save the academy order").click()

    expect(success(page)).to_contain_text("Academy order saved")
    expect(heading(page)).to_have_text("Statement of Action")
    expect(academy_order).to_contain_text(
        f"Made {long_date(ordered)}; trust: Oak Learning Trust; conversion expected {long_date(converts)}"
    )
    assert console_errors == []


# The board: the list, meetings, letters --------------------------------------------------------------------------


def test_an_officer_agrees_the_proposed_list_at_todays_meeting_and_records_the_meeting(
    page, live_server, olivia, bella, ashfield, castle, console_errors
):
    today = timezone.localdate()
    year = current_year()
    proposed(ashfield, year)
    proposed(castle, year)
    BoardMeetingFactory(meets_on=today, created_by=olivia)
    rationale = "Both schools require improvement; Ashfield's leadership needs support this year."

    sign_in(page, live_server, olivia)
    menu(page).get_by_role("link", name="Priority list", exact=True).click()
    expect(page.get_by_text("0 on the list · 2 proposed · 0 removed this year.")).to_be_visible()
    page.get_by_role("button", name="Agree the proposed list").click()

    expect(heading(page)).to_have_text("Agree the priority list")
    expect(page.get_by_role("table", name="2 proposed schools")).to_contain_text("Castle Secondary School")
    page.get_by_label("Leave off Castle Secondary School").check()
    page.get_by_role("button", name="Agree the list").click()
    expect(error_summary(page)).to_contain_text("Enter the rationale for the list")
    expect(error_summary(page)).to_contain_text("Say why Castle Secondary School is left off the list")
    expect(page.get_by_label("Leave off Castle Secondary School")).to_be_checked()
    page.get_by_label("Why Castle Secondary School is left off").fill("Warwickshire's own board reviews it.")
    page.get_by_label("The board's rationale for the list").fill(rationale)
    page.get_by_role("button", name="Agree the list").click()

    expect(success(page)).to_contain_text("1 school added to the priority list")
    expect(heading(page)).to_have_text(f"Priority list {year_label(year)}")
    expect(page.get_by_text("1 on the list · 0 proposed · 0 removed this year.")).to_be_visible()
    row = page.get_by_role("table", name="Schools on the priority list").get_by_role("row").filter(has_text="Ashfield")
    expect(row).to_contain_text("On the priority list")
    expect(row).to_contain_text(short_date(today))

    menu(page).get_by_role("link", name="Board", exact=True).click()
    page.get_by_role("table", name="Board meetings").get_by_role("link", name=weekday_date(today)).click()
    expect(heading(page)).to_have_text(f"Meeting on {weekday_date(today)}")
    page.get_by_role("button", name="Record attendance and minutes").click()

    expect(heading(page)).to_have_text(f"Record the meeting of {long_date(today)}")
    page.get_by_label("Bella Board").check()
    page.get_by_label("Minutes").fill("The board agreed this year's priority list.")
    page.get_by_role("button", name="Record the meeting").click()

    expect(success(page)).to_contain_text("Meeting recorded")
    expect(heading(page)).to_have_text(f"Meeting on {weekday_date(today)}")
    expect(page.locator("#meeting-status")).to_have_text("Held")
    details = page.locator(".govuk-summary-list").first
    expect(details.locator(".govuk-summary-list__row").filter(has_text="Present")).to_contain_text("Bella Board")
    expect(details.locator(".govuk-summary-list__row").filter(has_text="Minutes")).to_contain_text(
        "The board agreed this year's priority list."
    )
    expect(page.get_by_role("button", name="Change attendance and minutes")).to_be_visible()
    assert console_errors == []


def test_a_board_member_carries_schools_forward_at_the_year_end_review(
    page, live_server, bella, ashfield, castle, console_errors
):
    year = current_year()
    for school in (ashfield, castle):
        PriorityEntryFactory(
            school=school,
            academic_year=year,
            reason=PriorityEntry.Reason.OFSTED_RI,
            status=PriorityEntry.Status.ON_LIST,
            added_on=timezone.localdate() - timedelta(days=60),
        )

    sign_in(page, live_server, bella)
    menu(page).get_by_role("link", name="Priority list", exact=True).click()
    # The list offers the review only from the summer's last half-term (tests/boards/test_agenda.py);
    # out of it, the board member follows the review's address.
    button = page.get_by_role("button", name="Year-end review")
    if year_end_review_open(year, timezone.localdate(), half_terms(year)):
        button.click()
    else:
        expect(button).to_have_count(0)
        page.goto(live_server.url + reverse("boards:carry-forward"))

    expect(heading(page)).to_have_text("Year-end review: carry schools forward")
    keep = page.get_by_role("group", name="Schools to carry forward into next year")
    expect(keep.get_by_role("checkbox", name="Ashfield Primary School (URN 103001)")).to_be_checked()
    castle_box = keep.get_by_role("checkbox", name=f"Castle Secondary School (URN {castle.urn})")
    expect(castle_box).to_be_checked()
    castle_box.uncheck()
    page.get_by_role("button", name="Save the review").click()
    expect(error_summary(page)).to_contain_text("Enter the rationale for the review")
    expect(castle_box).not_to_be_checked()
    page.get_by_label("The rationale for the review").fill("Castle has improved; Ashfield's plan is not finished.")
    page.get_by_role("button", name="Save the review").click()

    expect(success(page)).to_contain_text("1 school carried forward into next year")
    expect(heading(page)).to_have_text(f"Priority list {year_label(year + 1)}")
    listed = page.get_by_role("table", name="Schools on the priority list")
    expect(listed.get_by_role("row")).to_have_count(2)
    row = listed.get_by_role("row").filter(has_text="Ashfield Primary School")
    expect(row).to_contain_text("On the priority list")
    expect(row).to_contain_text("Carried forward from last year")
    assert console_errors == []


def test_an_officer_writes_the_annual_letters_and_changes_a_letter_template(
    page, live_server, olivia, ashfield, beacon_hill, console_errors
):
    today = timezone.localdate()
    year = current_year()

    sign_in(page, live_server, olivia)
    menu(page).get_by_role("link", name="Priority list", exact=True).click()
    page.get_by_role("link", name="Letters", exact=True).click()
    expect(heading(page)).to_have_text("Letters")
    expect(page.get_by_text("0 letters not sent yet.", exact=False)).to_be_visible()
    expect(page.get_by_text("No letters match.")).to_be_visible()
    page.get_by_role("button", name="Write the annual letters").click()

    expect(heading(page)).to_have_text("Write the annual letters")
    expect(page.get_by_label("Academic year")).to_have_value(str(year))
    page.get_by_role("button", name="Write the letters for the year").click()
    expect(error_summary(page)).to_contain_text("Choose the local authority")
    page.get_by_label("Local authority").select_option(label="Birmingham (330)")
    page.get_by_role("button", name="Write the letters for the year").click()

    # Beacon Hill is an academy: only the maintained Ashfield gets a letter.
    expect(success(page)).to_contain_text("1 letter written. Check each one, then record it as sent.")
    expect(heading(page)).to_have_text("Letters")
    expect(page.get_by_label("Sent", exact=True)).to_have_value("no")
    expect(page.locator("#result-count")).to_have_text("1 letter")
    row = page.get_by_role("table", name="Letters matching the filters").get_by_role("row").filter(has_text="Ashfield")
    expect(row).to_contain_text("Not a priority for support")
    expect(row).to_contain_text(short_date(today))
    expect(row).to_contain_text("Not sent")
    page.get_by_role("link", name="Letter templates").click()

    expect(heading(page)).to_have_text("Letter templates")
    page.get_by_role("link", name="Change the letter: not a priority for support").click()

    expect(heading(page)).to_have_text("Change the letter: not a priority for support")
    page.get_by_label("Subject").fill("{school_nme}: support in {academic_year}")
    page.get_by_role("button", name="Save the template").click()
    expect(error_summary(page)).to_contain_text("Unknown merge fields: {school_nme}. Use only those listed.")
    page.get_by_label("Subject").fill("{school_name}: support from the local authority in {academic_year}")
    page.get_by_role("button", name="Save the template").click()

    expect(success(page)).to_contain_text("Template saved: letters written from now on use it")
    expect(heading(page)).to_have_text("Letter templates")
    card = page.locator("#template-not_priority")
    expect(card).to_contain_text("{school_name}: support from the local authority in {academic_year}")
    expect(card).to_contain_text(f"{long_date(today)} by Olivia Officer")
    assert console_errors == []


# The board: escalations, concern meetings, inspections -----------------------------------------------------------


def test_a_partner_escalates_a_school_and_an_officer_takes_it_to_the_education_improvement_group(
    page, new_page, live_server, alice, olivia, ashfield, console_errors
):
    today = timezone.localdate()
    eig = today + timedelta(days=14)
    reason = "The school has cancelled three visits and the action plan has not moved since September."

    sign_in(page, live_server, alice)
    page.get_by_role("table", name="Schools").get_by_role("link", name="Ashfield Primary School").click()
    page.get_by_role("link", name="Escalate the school").click()
    expect(heading(page)).to_have_text("Escalate a lack of progress")
    page.get_by_role("button", name="Escalate to the local authority").click()
    expect(error_summary(page)).to_contain_text("Say what is preventing progress")
    page.get_by_label("What is preventing progress?").fill(reason)
    page.get_by_role("button", name="Escalate to the local authority").click()

    expect(success(page)).to_contain_text("Escalation sent to the local authority")
    expect(heading(page)).to_have_text("Ashfield Primary School")
    expect(page.get_by_role("listitem").filter(has_text=reason)).to_have_text(
        f"{long_date(today)}, Alice Partner: {reason} – Open"
    )

    officer = new_page()
    sign_in(officer, live_server, olivia)
    # No page links to the escalations list (see the report): the officer goes there directly.
    officer.goto(f"{live_server.url}/board/escalations/")
    expect(heading(officer)).to_have_text("Escalations")
    row = officer.get_by_role("table", name="Escalations, open first").get_by_role("row").filter(has_text="Ashfield")
    expect(row).to_contain_text("Alice Partner")
    expect(row).to_contain_text("Open")
    row.get_by_role("link", name="Ashfield Primary School").click()

    expect(heading(officer)).to_have_text("Escalation")
    expect(officer.locator("#escalation-details")).to_contain_text(reason)
    officer.get_by_role("radio", name="Taken to the Education Improvement Group").check()
    officer.get_by_role("button", name="Save").click()
    expect(error_summary(officer)).to_contain_text("Enter the date of the Education Improvement Group meeting")
    fill_date(officer, "Date of the Education Improvement Group meeting", eig)
    officer.get_by_role("button", name="Save").click()

    expect(success(officer)).to_contain_text("Escalation updated")
    expect(officer.locator("#escalation-status")).to_have_text("Taken to the Education Improvement Group")
    expect(officer.locator("#escalation-details")).to_contain_text(long_date(eig))
    officer.get_by_role("link", name="Back to escalations").click()
    expect(row).to_contain_text("Taken to the Education Improvement Group")
    expect(row).to_contain_text(short_date(eig))

    # No progress since: the officer recommends a formal warning notice; the notice and the escalation
    # link to each other (seed 004).
    row.get_by_role("link", name="Ashfield Primary School").click()
    expect(officer.locator("#escalation-notice")).to_have_text("None recommended")
    officer.get_by_role("link", name="Recommend a formal warning notice").click()
    expect(heading(officer)).to_have_text("Recommend a formal warning notice")
    officer.get_by_role("button", name="Recommend a formal warning notice").click()
    expect(error_summary(officer)).to_contain_text("Enter why a formal warning notice is needed")
    officer.get_by_label("Why is a formal warning notice needed?").fill("Still no plan after the EIG meeting.")
    officer.get_by_role("button", name="Recommend a formal warning notice").click()
    expect(success(officer)).to_contain_text("Formal warning notice recommended")
    expect(officer.locator("#notice-rationale")).to_have_text("Still no plan after the EIG meeting.")
    officer.locator("#notice-escalation").get_by_role("link", name=f"the escalation of {long_date(today)}").click()
    expect(heading(officer)).to_have_text("Escalation")
    expect(officer.locator("#escalation-notice")).to_contain_text(f"Recommended on {long_date(today)}")
    expect(officer.get_by_role("link", name="Recommend a formal warning notice")).to_have_count(0)
    # The escalation page answers an invalid form with 400, which Chromium logs; nothing else may.
    assert [error for error in console_errors if "status of 400 (Bad Request)" not in error] == []


def test_an_officer_records_a_schools_causing_concern_meeting(
    page, live_server, olivia, ashfield, beacon_hill, console_errors
):
    today = timezone.localdate()
    deadline = today + timedelta(days=28)

    sign_in(page, live_server, olivia)
    # No page links to the concern meetings (see the report): the officer goes there directly.
    page.goto(f"{live_server.url}/board/concern-meetings/")
    expect(heading(page)).to_have_text("Schools causing concern meetings")
    expect(page.get_by_text("No meetings recorded yet.")).to_be_visible()
    page.get_by_role("button", name="Record a meeting").click()

    expect(heading(page)).to_have_text("Record a schools-causing-concern meeting")
    fill_date(page, "Date of the meeting", today)
    page.get_by_label("Who attended").fill("School improvement, finance, HR and governor services")
    page.get_by_label("Notes").fill("Ashfield's deficit is growing; Beacon Hill's trust has a new CEO.")
    page.get_by_label("Schools discussed").fill(f"{ashfield.urn}, 999999")
    action = page.get_by_role("group", name="Action 1")
    action.get_by_label("Action agreed").fill("Finance to meet Ashfield's governors about the budget")
    page.get_by_role("button", name="Record the meeting").click()
    expect(error_summary(page)).to_contain_text("There is no school with URN 999999")
    expect(error_summary(page)).to_contain_text("Enter who owns action 1")
    expect(error_summary(page)).to_contain_text("Enter the deadline for action 1")
    page.get_by_label("Schools discussed").fill(f"{ashfield.urn}, {beacon_hill.urn}")
    action.get_by_label("Who owns it").fill("Finance business partner")
    deadline_group = action.get_by_role("group", name="Deadline")
    deadline_group.get_by_label("Day").fill(str(deadline.day))
    deadline_group.get_by_label("Month").fill(str(deadline.month))
    deadline_group.get_by_label("Year").fill(str(deadline.year))
    action.get_by_label("URN of the school it is about (optional)").fill(str(ashfield.urn))
    page.get_by_role("button", name="Record the meeting").click()

    expect(success(page)).to_contain_text("Meeting recorded")
    expect(heading(page)).to_have_text(long_date(today))
    expect(page.locator("#schools-discussed").get_by_role("link")).to_have_text(
        ["Ashfield Primary School", "Beacon Hill Academy"]
    )
    row = page.get_by_role("table", name="Actions agreed at the meeting").get_by_role("row").nth(1)
    expect(row).to_contain_text("Finance to meet Ashfield's governors about the budget")
    expect(row).to_contain_text("Finance business partner")
    expect(row).to_contain_text(short_date(deadline))
    expect(row).to_contain_text("Not done")
    page.get_by_role("link", name="Back to the meetings").click()

    row = page.get_by_role("table", name="Meetings, latest first").get_by_role("row").nth(1)
    expect(row.get_by_role("cell")).to_have_text([long_date(today), "2", "1", "1"])
    assert console_errors == []


def test_an_inspection_is_logged_the_partner_records_the_feedback_and_the_officer_the_outcome(
    page, new_page, live_server, olivia, alice, ashfield, console_errors
):
    today = timezone.localdate()
    starts = today - timedelta(days=1)
    notified = today - timedelta(days=3)

    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}/schools/{ashfield.urn}/")
    page.get_by_role("link", name="Log an Ofsted inspection notification").click()
    expect(heading(page)).to_have_text("Log a notice of inspection")
    fill_date(page, "Date Ofsted notified the school", notified)
    fill_date(page, "Date the inspection starts", notified - timedelta(days=1))
    page.get_by_label("Priority partner attending (optional)").select_option(label="Alice Partner")
    page.get_by_role("button", name="Log the notice").click()
    expect(error_summary(page)).to_contain_text("The inspection starts on or after the day of notification")
    fill_date(page, "Date the inspection starts", starts)
    page.get_by_role("button", name="Log the notice").click()

    expect(success(page)).to_contain_text("Notice of inspection logged")
    expect(heading(page)).to_have_text(f"Inspection from {long_date(starts)}")
    details = page.locator("#inspection-details")
    expect(details).to_contain_text("Alice Partner")
    expect(page.locator("#inspection-feedback")).to_have_text("Not recorded yet")

    partner = new_page()
    sign_in(partner, live_server, alice)
    partner.get_by_role("table", name="Schools").get_by_role("link", name="Ashfield Primary School").click()
    partner.get_by_role("link", name=f"Inspection from {long_date(starts)}").click()
    expect(heading(partner)).to_have_text(f"Inspection from {long_date(starts)}")
    expect(partner.get_by_role("button", name="Record the outcome")).to_have_count(0)
    partner.get_by_role("button", name="Record the feedback").click()

    expect(heading(partner)).to_have_text("Record the inspectors' feedback")
    partner.get_by_role("button", name="Save the feedback").click()
    expect(error_summary(partner)).to_contain_text("Enter the notes of the feedback")
    expect(error_summary(partner)).to_contain_text("Select whether the feedback indicates further support")
    partner.get_by_label("Notes of the feedback").fill("Inspectors praised reading; attendance needs attention.")
    partner.get_by_role("radio", name="Yes").check()
    partner.get_by_role("button", name="Save the feedback").click()

    expect(success(partner)).to_contain_text("Feedback recorded")
    expect(partner.locator("#inspection-feedback")).to_have_text(
        "Inspectors praised reading; attendance needs attention."
    )
    expect(partner.get_by_role("button", name="Change the feedback")).to_be_visible()

    page.get_by_role("link", name="Back to inspections").click()
    expect(heading(page)).to_have_text("Inspections of priority schools")
    row = page.get_by_role("table", name="Inspections, latest first").get_by_role("row").filter(has_text="Ashfield")
    expect(row).to_contain_text("Alice Partner")
    expect(row).to_contain_text("Yes")
    expect(row).to_contain_text("Not recorded yet")
    row.get_by_role("link", name="Ashfield Primary School").click()
    page.get_by_role("button", name="Record the outcome").click()

    expect(heading(page)).to_have_text("Record the outcome of the inspection")
    page.get_by_role("button", name="Record the outcome").click()
    expect(error_summary(page)).to_contain_text("Choose the grade for inclusion")
    expect(error_summary(page)).to_contain_text("Select whether the safeguarding standards are met")
    for area in (
        "Inclusion",
        "Curriculum and teaching",
        "Achievement",
        "Personal development and well-being",
        "Leadership and governance",
    ):
        page.get_by_label(area, exact=True).select_option(label="Expected standard")
    page.get_by_label("Attendance and behaviour", exact=True).select_option(label="Needs attention")
    page.get_by_role("radio", name="Met", exact=True).check()
    page.get_by_role("button", name="Record the outcome").click()

    summary = "Report card: 1 needs attention, 5 expected standard, safeguarding met"
    expect(success(page)).to_contain_text(f"Outcome recorded: {summary}")
    expect(heading(page)).to_have_text(f"Inspection from {long_date(starts)}")
    expect(page.get_by_role("button", name="Record the outcome")).to_have_count(0)
    page.locator("#inspection-outcome").get_by_role("link", name=summary).click()

    expect(heading(page)).to_have_text("Ashfield Primary School")
    card = page.locator(".govuk-summary-card").filter(
        has=page.get_by_role("heading", name=f"{long_date(starts)}: Report card")
    )
    expect(card).to_contain_text("Attendance and behaviour")
    expect(card).to_contain_text("Needs attention")
    expect(card).to_contain_text("Inspection number LA-")
    assert console_errors == []
