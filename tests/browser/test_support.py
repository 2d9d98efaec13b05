"""Browser journeys for support delivery: a partner's visit and its report, the head's response,
quality assurance, agreeing the action plan, and the report as a PDF."""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from support import selectors, services
from tests.browser.conftest import journey_step, sign_in
from tests.factories import ActionPlanFactory, PerformanceMeasureFactory, SchoolFactory
from tests.pdfs import pdf_text

PURPOSE = "Review of reading in key stage 2"
FINDINGS = "Pupils in year 4 read fluently and talk with confidence about the books they have chosen."
NEXT_STEPS = "Extend the reading spine to year 6 before the spring term."


def long_date(day: date) -> str:
    """A date as the pages show it (Django's "j F Y"): 3 March 2026."""
    return f"{day.day} {day:%B %Y}"


def fill_date(page: Page, legend: str, day: date) -> None:
    """Fill a GOV.UK date input, found by its fieldset's legend."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def success(page: Page):
    """The success banner shown after a change (GOV.UK notification banner, role alert)."""
    return page.get_by_role("alert")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def shared_report(school, partner, *, findings: str = FINDINGS):
    """A visit held today whose report the partner wrote, submitted and shared with the head."""
    today = timezone.localdate()
    visit = services.schedule_visit(
        school=school, by=partner, visitor=partner, kind="adviser", purpose=PURPOSE, scheduled_for=today, days=1
    )
    services.record_visit_held(visit=visit, by=partner, held_on=today)
    report = services.start_report(visit=visit, by=partner)
    services.edit_report(
        report=report,
        by=partner,
        evidence="Heard twelve readers; read the reading policy.",
        findings=findings,
        strengths="A love of reading is evident across the school.",
        areas_for_development="Fluency of the weakest readers in year 5.",
        next_steps=NEXT_STEPS,
    )
    services.submit_report(report=report, by=partner)
    return services.share_report(report=report, by=partner)


def test_a_partner_records_a_visit_and_submits_its_report_and_an_officer_shares_it(
    page, new_page, live_server, alice, olivia, ashfield, console_errors
):
    today = timezone.localdate()
    sign_in(page, live_server, alice)
    page.get_by_role("link", name="My caseload: visits, reports and actions due").click()
    expect(heading(page)).to_have_text("My caseload")
    caseload = page.get_by_role("table", name="My schools and what is due")
    expect(caseload).to_contain_text("None scheduled")
    journey_step(page, "partner", "1-caseload")
    caseload.get_by_role("link", name="Ashfield Primary School", exact=True).click()

    expect(heading(page)).to_have_text(re.compile(r"^Support \d{4}/\d{2}$"))
    expect(page.get_by_text("Ashfield Primary School · URN 103001")).to_be_visible()
    expect(page.get_by_text("No visits yet.")).to_be_visible()
    page.get_by_role("button", name="Schedule a visit").click()

    expect(heading(page)).to_have_text("Schedule a visit")
    page.get_by_role("button", name="Schedule the visit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the purpose")
    page.get_by_label("Purpose of the visit").fill(PURPOSE)
    page.get_by_role("radio", name="Adviser visit", exact=True).check()
    fill_date(page, "Date of the visit", today)
    page.get_by_label("Length in days").fill("1")
    journey_step(page, "partner", "2-schedule-visit")
    page.get_by_role("button", name="Schedule the visit").click()

    expect(success(page)).to_contain_text("Visit scheduled")
    visits = page.get_by_role("table", name="Visits")
    row = visits.get_by_role("row").filter(has_text=PURPOSE)
    expect(row).to_contain_text("Alice Partner")
    expect(row).to_contain_text("Scheduled")
    expect(row).to_contain_text("None yet")
    row.get_by_role("link", name=PURPOSE).click()

    expect(heading(page)).to_have_text(f"Visit on {long_date(today)}")
    visit_summary = page.locator(".govuk-summary-list").first
    expect(visit_summary).to_contain_text("Scheduled")
    fill_date(page, "Date the visit took place", today)
    page.get_by_role("button", name="Record the visit as held").click()
    expect(success(page)).to_contain_text("Visit recorded as held")
    expect(visit_summary).to_contain_text("Held")
    expect(page.get_by_role("group", name="Date the visit took place")).to_have_count(0)
    journey_step(page, "partner", "3-visit-held")
    page.get_by_role("button", name="Write the report").click()

    expect(heading(page)).to_have_text("Visit report, version 1 (draft)")
    expect(page.get_by_label("Purpose", exact=True)).to_have_value(PURPOSE)
    page.get_by_label("Evidence").fill("Heard twelve readers from years 3 to 6; read the reading policy.")
    page.get_by_label("Findings").fill(FINDINGS)
    page.get_by_label("Strengths").fill("A love of reading is evident across the school.")
    page.get_by_label("Areas for development").fill("Fluency of the weakest readers in year 5.")
    page.get_by_label("Next steps").fill(NEXT_STEPS)
    journey_step(page, "partner", "4-write-report")
    page.get_by_role("button", name="Save the draft").click()

    expect(success(page)).to_contain_text("Draft saved")
    expect(page.locator("#report-status")).to_have_text("Draft")
    body = page.locator("#report-body")
    expect(body).to_contain_text(FINDINGS)
    expect(body).to_contain_text(NEXT_STEPS)
    expect(body).to_contain_text("Fluency of the weakest readers in year 5.")
    page.get_by_role("button", name="Submit the report").click()

    expect(success(page)).to_contain_text("Report submitted")
    expect(page.locator("#report-status")).to_have_text("Submitted")
    expect(page.get_by_role("button", name="Edit the draft")).to_have_count(0)
    journey_step(page, "partner", "5-report-submitted")
    # The author may share it too; here the officer does.
    expect(page.get_by_role("button", name="Share with the headteacher")).to_be_visible()

    officer = new_page()
    sign_in(officer, live_server, olivia)
    officer.goto(f"{live_server.url}/schools/{ashfield.urn}/")
    officer.get_by_role("link", name="Support, visits and meetings").click()
    officer.get_by_role("table", name="Visits").get_by_role("link", name=PURPOSE).click()
    expect(officer.locator("#report-status")).to_have_text("Submitted")
    expect(officer.get_by_role("button", name="Submit the report")).to_have_count(0)
    officer.get_by_role("button", name="Share with the headteacher").click()

    expect(success(officer)).to_contain_text("Report shared with the headteacher")
    expect(officer.locator("#report-status")).to_have_text("Shared with the headteacher")
    expect(officer.get_by_role("button", name="Share with the headteacher")).to_have_count(0)
    officer.get_by_role("link", name="Back to support for Ashfield Primary School").click()
    row = officer.get_by_role("table", name="Visits").get_by_role("row").filter(has_text=PURPOSE)
    expect(row).to_contain_text("Held")
    expect(row).to_contain_text("Shared with the headteacher")
    expect(officer.get_by_role("link", name=f"{PURPOSE}, {long_date(today)}")).to_be_visible()

    page.goto(f"{live_server.url}/caseload/")
    expect(page.get_by_role("table", name="My schools and what is due")).to_contain_text(
        "1 awaiting the head's response"
    )
    assert console_errors == []


def test_the_head_reads_a_shared_report_and_says_it_is_accurate(
    page, live_server, alice, hannah, ashfield, console_errors
):
    today = timezone.localdate()
    shared_report(ashfield, alice)

    sign_in(page, live_server, hannah)
    school = page.locator(".head-school")
    expect(school.get_by_role("heading", name="Visit reports for your response")).to_be_visible()
    journey_step(page, "headteacher", "1-home")
    school.get_by_role("link", name=f"{PURPOSE}, {long_date(today)}").click()

    expect(heading(page)).to_have_text(f"Visit on {long_date(today)}")
    expect(page.locator("#report-status")).to_have_text("Shared with the headteacher")
    expect(page.locator("#report-body")).to_contain_text(FINDINGS)
    page.get_by_role("button", name="Respond to the report").click()

    expect(heading(page)).to_have_text("Respond to the visit report")
    expect(page.locator("#the-report")).to_contain_text(FINDINGS)  # the report beside the form
    page.get_by_role("button", name="Send your response").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether the report is accurate")
    expect(page.locator("#the-report")).to_contain_text(FINDINGS)
    page.get_by_role("radio", name="Accurate", exact=True).check()
    page.get_by_label("Your comments").fill("A fair picture of reading; thank you for the clear next steps.")
    journey_step(page, "headteacher", "2-respond-to-report")
    page.get_by_role("button", name="Send your response").click()

    expect(success(page)).to_contain_text("Your response has been sent")
    expect(page.locator("#report-status")).to_have_text("Headteacher has responded")
    response = page.locator("#head-response")
    expect(response).to_contain_text("Accurate: A fair picture of reading; thank you for the clear next steps.")
    expect(response).to_contain_text(f"Hannah Head, {long_date(today)}")
    expect(page.get_by_role("button", name="Respond to the report")).to_have_count(0)
    journey_step(page, "headteacher", "3-report-responded")

    page.get_by_role("link", name="Home", exact=True).click()
    section = page.locator(".head-school")
    expect(section.get_by_role("link", name=f"{PURPOSE}, {long_date(today)}")).to_have_count(0)
    expect(section).to_contain_text("None waiting.")
    assert console_errors == []


def test_an_officer_quality_assures_a_report_the_head_has_responded_to(
    page, live_server, alice, hannah, olivia, ashfield, console_errors
):
    today = timezone.localdate()
    report = shared_report(ashfield, alice)
    services.respond_to_report(report=report, by=hannah, response="accurate", comment="A fair picture.")

    sign_in(page, live_server, olivia)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Support", exact=True).click()
    page.get_by_role("link", name="Quality assurance of visit reports").click()
    expect(heading(page)).to_have_text("Quality assurance of visit reports")
    expect(page.get_by_text("No report awaits moderation.")).to_be_visible()
    page.get_by_role("button", name="Draw a sample of one in five").click()

    expect(success(page)).to_contain_text("1 report selected for moderation")
    queue = page.get_by_role("table", name="Reports awaiting moderation")
    row = queue.get_by_role("row").filter(has_text="Ashfield Primary School")
    expect(row).to_contain_text("Alice Partner")
    expect(row).to_contain_text("Accurate")
    row.get_by_role("link", name=PURPOSE).click()

    expect(heading(page)).to_have_text(f"Visit on {long_date(today)}")
    expect(page.locator("#report-status")).to_have_text("Headteacher has responded")
    expect(page.locator("#head-response")).to_contain_text("Accurate: A fair picture.")
    page.get_by_role("button", name="Quality-assure the report").click()

    expect(heading(page)).to_have_text("Quality-assure the report")
    page.get_by_role("button", name="Record quality assurance").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the moderation outcome")
    page.get_by_role("radio", name="Secure, with amendments advised").check()
    page.get_by_label("Feedback to the author").fill("Link the next steps to the action plan's priorities.")
    page.get_by_role("button", name="Record quality assurance").click()

    expect(success(page)).to_contain_text("Quality assurance recorded")
    expect(page.locator("#report-status")).to_have_text("Quality-assured")
    outcome = page.locator("#qa-outcome")
    expect(outcome).to_contain_text(
        "Secure, with amendments advised: Link the next steps to the action plan's priorities."
    )
    expect(outcome).to_contain_text(f"Olivia Officer, {long_date(today)}")
    expect(page.get_by_role("button", name="Quality-assure the report")).to_have_count(0)

    page.goto(f"{live_server.url}/quality-assurance/")
    expect(page.get_by_text("No report awaits moderation.")).to_be_visible()
    assert console_errors == []


def test_the_head_comments_on_and_agrees_the_action_plan(page, live_server, alice, hannah, ashfield, console_errors):
    today = timezone.localdate()
    plan = services.create_plan(school=ashfield, year=selectors.current_year(), by=alice)
    priority = services.add_priority(
        plan=plan, by=alice, title="Raise attainment in reading", description="Reading at the expected standard."
    )
    services.add_action(
        priority=priority,
        by=alice,
        description="Train all year 3 staff in the phonics programme",
        owner="Deputy headteacher",
        deadline=today + timedelta(days=30),
        success_criteria="Every year 3 teacher delivers the programme with fidelity",
    )

    sign_in(page, live_server, hannah)
    school = page.locator(".head-school")
    expect(school).to_contain_text("please read it, comment and agree it")
    school.get_by_role("link", name="Action plan: draft").click()

    expect(heading(page)).to_have_text("Action plan")
    expect(page.locator("#plan-status")).to_have_text("Draft")
    expect(page.get_by_role("heading", name="Priority 1: Raise attainment in reading")).to_be_visible()
    actions = page.get_by_role("table", name="Actions for Raise attainment in reading")
    expect(actions).to_contain_text("Train all year 3 staff in the phonics programme")
    expect(actions).to_contain_text("Deputy headteacher")
    # Only officers and the partner change the plan.
    expect(page.get_by_role("button", name="Add a priority")).to_have_count(0)
    expect(page.get_by_text("No comments yet.")).to_be_visible()
    journey_step(page, "headteacher", "4-plan")

    page.get_by_label("Comment", exact=True).fill("We will release the deputy for the training in January.")
    page.get_by_role("button", name="Add your comment").click()
    expect(success(page)).to_contain_text("Comment added")
    comment = page.locator(".govuk-inset-text", has_text="We will release the deputy for the training in January.")
    expect(comment).to_contain_text("Hannah Head")

    page.get_by_role("button", name="Agree the plan").click()
    expect(heading(page)).to_have_text("Are you sure you want to agree the plan?")
    expect(page.locator("#plan-summary")).to_contain_text("Raise attainment in reading (1 action)")
    page.get_by_role("button", name="Agree the plan").click()
    expect(success(page)).to_contain_text("You have agreed the plan")
    expect(page.locator("#plan-status")).to_have_text(
        f"Agreed with the headteacher by Hannah Head on {long_date(today)}"
    )
    expect(page.get_by_role("button", name="Agree the plan")).to_have_count(0)
    journey_step(page, "headteacher", "5-plan-agreed")

    page.get_by_role("link", name="Home", exact=True).click()
    school = page.locator(".head-school")
    expect(school.get_by_role("link", name="Action plan: agreed with the headteacher")).to_be_visible()
    expect(school).not_to_contain_text("please read it, comment and agree it")
    assert console_errors == []


def test_the_head_downloads_the_visit_report_as_a_pdf(
    page, live_server, alice, hannah, ashfield, tmp_path, console_errors
):
    today = timezone.localdate()
    shared_report(ashfield, alice)

    sign_in(page, live_server, hannah)
    page.locator(".head-school").get_by_role("link", name=f"{PURPOSE}, {long_date(today)}").click()
    expect(heading(page)).to_have_text(f"Visit on {long_date(today)}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the report as a PDF").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == f"visit-report-{ashfield.urn}-{today:%Y%m%d}-v1.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    assert console_errors == []

    text = pdf_text(saved)
    assert text is not None, "Install pypdf (or poppler-utils for pdftotext) to read the PDF's text"
    assert "Visit report: Ashfield Primary School" in text
    assert f"URN {ashfield.urn}" in text
    assert f"Visit on {long_date(today)}" in text
    assert "Version 1 (shared with the headteacher)" in text
    assert FINDINGS in text
    assert NEXT_STEPS in text


def test_an_officer_records_the_decision_on_a_headteacher_s_self_referral(
    page, live_server, olivia, hannah, ashfield, console_errors
):
    referral = services.self_refer(school=ashfield, by=hannah, reason="Our deputy and SENCo leave at Christmas.")

    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}/self-referrals/")
    card = page.locator(".govuk-summary-card", has_text="Ashfield Primary School")
    expect(card.locator(".govuk-tag")).to_have_text("New")
    card.get_by_role("link", name="Record the decision on the self-referral from Ashfield Primary School").click()

    expect(heading(page)).to_have_text("Record the decision on a self-referral")
    expect(page.get_by_text("Our deputy and SENCo leave at Christmas.")).to_be_visible()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Record what was decided")

    page.get_by_label("What was decided").fill("Agreed with the head: two extra days a term.")
    page.get_by_role("button", name="Record the decision").click()
    expect(success(page)).to_contain_text(
        "Decision recorded: Ashfield Primary School goes forward to the priority list proposal"
    )
    card = page.locator(".govuk-summary-card", has_text="Ashfield Primary School")
    expect(card.locator(".govuk-tag")).to_have_text("Considered")
    expect(card).to_contain_text("Decided: Agreed with the head: two extra days a term.")
    referral.refresh_from_db()
    assert referral.response == "Agreed with the head: two extra days a term."
    assert console_errors == []


def test_an_officer_finds_an_overdue_plan_on_the_home_page_and_the_partner_on_the_caseload(
    page, live_server, olivia, alice, ashfield, console_errors
):
    due = timezone.localdate() - timedelta(days=30)
    ActionPlanFactory(school=ashfield, academic_year=selectors.current_year(), due_by=due)
    sign_in(page, live_server, olivia)
    overdue = page.get_by_role("table", name="Action plan: overdue")
    expect(page.get_by_role("heading", name="Action plan: 1 overdue")).to_be_visible()
    expect(overdue).to_contain_text(f"{due.day} {due:%b %Y}")
    overdue.get_by_role("link", name="Ashfield Primary School").click()
    expect(page.locator("main")).to_contain_text(f"By {long_date(due)} overdue")
    journey_step(page, "officer", "overdue-plan")

    sign_in(page, live_server, alice)
    page.goto(live_server.url + reverse("support:caseload"))
    expect(page.locator("#caseload")).to_contain_text("Plan overdue")
    assert not console_errors


def test_an_officer_finds_the_secondary_schools_low_on_both_progress_8_and_attainment_8(
    page, live_server, olivia, birmingham, console_errors
):
    figures = [("Low Secondary", "-1.2", 30), ("Mid Secondary", "0.1", 45), ("Good Secondary", "0.3", 50)]
    for name, p8, a8 in [*figures, ("Top Secondary", "0.5", 55)]:
        school = SchoolFactory(la=birmingham, name=name, phase_name="Secondary")
        PerformanceMeasureFactory(school=school, academic_year=2023, measure="ks4_p8", value=Decimal(p8))
        PerformanceMeasureFactory(school=school, academic_year=2023, measure="ks4_att8", value=a8)

    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}{reverse('support:partners')}")
    page.get_by_role("link", name="Lowest quartile for Progress 8 and Attainment 8").click()
    expect(heading(page)).to_have_text("Lowest quartile for Progress 8 and Attainment 8")
    expect(page.locator("#lowest-quartile-boundaries")).to_contain_text("2023/24")
    rows = page.locator("#lowest-quartile-schools tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Low Secondary")
    expect(rows.first).to_contain_text("Not on the list")
    assert console_errors == []
