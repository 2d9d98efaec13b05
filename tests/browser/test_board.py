"""Browser journeys for the advisory board: preparing a meeting (schedule, agenda, pack), a board
member's decisions and the letter they draft, removal against the criterion, and the steps of a
warning notice up to the officer's compliance deadline."""

from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from boards import agenda
from boards import services as board_services
from boards.models import PriorityEntry
from schools.imports import refresh_latest_inspections
from support import services as support_services
from support.selectors import current_year, half_terms
from tests.browser.conftest import journey_step, sign_in
from tests.browser.test_support import fill_date, heading, long_date, pdf_text, success
from tests.factories import (
    AgendaItemFactory,
    BoardMeetingFactory,
    InspectionFactory,
    PriorityEntryFactory,
    SchoolFactory,
)

SELF_REFERRAL = "Two senior leaders are on long-term sick leave."
ADD_REASON = "The chair of governors has resigned and the budget is in deficit."
DROP_REASON = "The trust has put its own support in place; the board reviews academies through the DfE."
RATIONALE = "The headteacher's referral is well founded: leadership capacity is stretched across the school."
REMOVAL_RATIONALE = "The school has met every milestone of its action plan this year."
REMOVAL_OVERRIDE = "The new leadership team is secure and the next inspection is imminent."
NOTICE_RATIONALE = "Standards in reading have fallen for three years and the action plan has stalled."


def menu(page: Page):
    """The service navigation."""
    return page.get_by_role("navigation", name="Menu")


def error_summary(page: Page):
    return page.locator(".govuk-error-summary")


def agenda_item(page: Page, school_name: str):
    """A school's card on a meeting's agenda."""
    return page.locator(".agenda-item").filter(has=page.get_by_role("heading", name=school_name))


def weekday_date(day: date) -> str:
    """A date as the board pages name a meeting (Django's "l j F Y"): Wednesday 25 November 2026."""
    return f"{day:%A} {long_date(day)}"


def short_date(day: date) -> str:
    """A date as the priority list shows it (Django's "j M Y"): 3 Mar 2026."""
    return f"{day.day} {day:%b %Y}"


def fortnightly_dates(first: date, until: date) -> list[date]:
    """The meetings the schedule form makes from ``first`` to ``until`` (term time only)."""
    terms = [(t.starts, t.ends) for year in {current_year(first), current_year(until)} for t in half_terms(year)]
    return agenda.fortnightly(first, until, terms)


def on_the_list(school, year: int) -> PriorityEntry:
    return PriorityEntryFactory(
        school=school,
        academic_year=year,
        reason=PriorityEntry.Reason.OFSTED_RI,
        status=PriorityEntry.Status.ON_LIST,
        source=PriorityEntry.Source.ANNUAL,
        added_on=timezone.localdate() - timedelta(days=60),
    )


def download(page: Page, link_name: str, tmp_path):
    """Click a download link and save the file: (suggested file name, saved path)."""
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link_name).click()
    got = download_info.value
    assert got.failure() is None
    saved = tmp_path / got.suggested_filename
    got.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    return got.suggested_filename, saved


def test_an_officer_schedules_meetings_shapes_the_agenda_and_downloads_the_board_pack(
    page, live_server, olivia, ezra, ashfield, beacon_hill, castle, tmp_path, console_errors
):
    first = board_services.default_first_meeting()
    until = first + timedelta(weeks=10)
    dates = fortnightly_dates(first, until)
    meets_on = dates[0]
    on_the_list(ashfield, current_year(meets_on))
    support_services.self_refer(school=beacon_hill, by=ezra, reason=SELF_REFERRAL)

    sign_in(page, live_server, olivia)
    menu(page).get_by_role("link", name="Board", exact=True).click()
    expect(heading(page)).to_have_text(f"Meetings {current_year()}/{(current_year() + 1) % 100:02d}")
    expect(page.get_by_text("No meetings are scheduled this year.")).to_be_visible()
    fill_date(page, "First meeting", first)
    fill_date(page, "Last meeting on or before", until)
    page.get_by_role("button", name="Schedule fortnightly meetings").click()

    plural = "s" if len(dates) != 1 else ""
    expect(success(page)).to_contain_text(f"{len(dates)} meeting{plural} scheduled")
    if current_year(meets_on) != current_year():
        # In the summer holiday the first meeting is in the next academic year, listed on its own page.
        page.goto(f"{live_server.url}/board/meetings/?year={current_year(meets_on)}")
    listed = [day for day in dates if current_year(day) == current_year(meets_on)]
    meetings = page.get_by_role("table", name="Board meetings")
    expect(meetings.get_by_role("row")).to_have_count(len(listed) + 1)
    row = meetings.get_by_role("row").filter(has_text=weekday_date(meets_on))
    expect(row).to_contain_text("Scheduled")
    expect(row).to_contain_text("Not generated")
    row.get_by_role("link", name=weekday_date(meets_on)).click()

    expect(heading(page)).to_have_text(f"Meeting on {weekday_date(meets_on)}")
    expect(page.locator("#meeting-status")).to_have_text("Scheduled")
    expect(page.locator("#pack")).to_have_text("Not built")
    expect(page.get_by_text("No school is on the agenda yet")).to_be_visible()
    page.get_by_role("button", name="Generate the agenda").click()

    expect(success(page)).to_contain_text("Agenda generated: 2 schools with something new")
    ashfield_item = agenda_item(page, "Ashfield Primary School")
    expect(ashfield_item).to_contain_text("On the priority list, not yet reviewed by the board")
    expect(ashfield_item).to_contain_text("On the list")
    beacon_item = agenda_item(page, "Beacon Hill Academy")
    expect(beacon_item).to_contain_text(f"Self-referral, {long_date(timezone.localdate())}: {SELF_REFERRAL}")
    expect(beacon_item).to_contain_text("Not on the list")
    expect(page.get_by_role("button", name="Refresh the agenda")).to_be_visible()

    page.get_by_role("button", name="Add a school").click()
    expect(heading(page)).to_have_text(f"Add a school to the agenda of {long_date(meets_on)}")
    page.get_by_role("button", name="Add to the agenda").click()
    expect(error_summary(page)).to_contain_text("Enter the school's URN")
    expect(error_summary(page)).to_contain_text("Say why the school is added to the agenda")
    page.get_by_label("URN of the school").fill(str(castle.urn))
    page.get_by_label("Why the board should review the school").fill(ADD_REASON)
    page.get_by_role("button", name="Add to the agenda").click()

    expect(success(page)).to_contain_text("School added to the agenda")
    expect(agenda_item(page, "Castle Secondary School")).to_contain_text(f"Added by Olivia Officer: {ADD_REASON}")
    page.get_by_role("link", name="Drop Beacon Hill Academy").click()

    expect(heading(page)).to_have_text("Drop Beacon Hill Academy from the agenda")
    page.get_by_label("Why the school is dropped from the agenda").fill(DROP_REASON)
    page.get_by_role("button", name="Drop from the agenda").click()

    expect(success(page)).to_contain_text("Beacon Hill Academy dropped from the agenda")
    expect(agenda_item(page, "Beacon Hill Academy")).to_have_count(0)
    expect(page.locator(".agenda-item")).to_have_count(2)
    expect(page.get_by_role("heading", name="Dropped from the agenda")).to_be_visible()
    expect(page.get_by_text(f"Beacon Hill Academy – {DROP_REASON} (Olivia Officer)")).to_be_visible()
    page.get_by_role("button", name="Build the board pack").click()

    expect(success(page)).to_contain_text("The board pack is being built")
    page.reload()
    expect(page.get_by_role("link", name="Download the board pack (PDF)")).to_be_visible()
    expect(page.get_by_role("button", name="Rebuild the board pack")).to_be_visible()
    name, saved = download(page, "Download the board pack (PDF)", tmp_path)
    assert name == f"board-pack-{meets_on:%Y-%m-%d}.pdf"

    page.get_by_role("link", name="Back to the meetings").click()
    row = page.get_by_role("table", name="Board meetings").get_by_role("row").filter(has_text=weekday_date(meets_on))
    expect(row.get_by_role("cell").nth(2)).to_have_text("2")
    expect(row.get_by_role("link", name=f"Download the pack for {long_date(meets_on)}")).to_be_visible()
    assert console_errors == []

    text = pdf_text(saved)
    assert text is not None, "Install pypdf (or poppler-utils for pdftotext) to read the PDF's text"
    assert f"Board pack for the meeting on {weekday_date(meets_on)} · 2 schools" in text
    assert "Ashfield Primary School" in text
    assert "On the priority list, not yet reviewed by the board" in text
    assert "Castle Secondary School" in text
    assert ADD_REASON in text
    assert "Beacon Hill Academy" not in text


def test_a_board_member_adds_a_school_and_the_officer_sends_the_letter_the_head_then_reads(
    page, new_page, live_server, bella, olivia, hannah, ashfield, tmp_path, console_errors
):
    today = timezone.localdate()
    year = current_year(today)
    meeting = BoardMeetingFactory(meets_on=today, created_by=olivia)
    support_services.self_refer(school=ashfield, by=hannah, reason=SELF_REFERRAL)
    board_services.generate_agenda(meeting=meeting, by=olivia)

    sign_in(page, live_server, bella)
    menu(page).get_by_role("link", name="Board", exact=True).click()
    page.get_by_role("table", name="Board meetings").get_by_role("link", name=weekday_date(today)).click()

    expect(heading(page)).to_have_text(f"Meeting on {weekday_date(today)}")
    item = agenda_item(page, "Ashfield Primary School")
    expect(item).to_contain_text(f"Self-referral, {long_date(today)}: {SELF_REFERRAL}")
    expect(item).to_contain_text("Not on the list")
    # Board members decide; only officers shape the agenda and build the pack.
    expect(page.get_by_role("button", name="Generate the agenda")).to_have_count(0)
    expect(page.get_by_role("link", name="Drop Ashfield Primary School")).to_have_count(0)
    journey_step(page, "board-member", "1-agenda")
    item.get_by_role("link", name="Record a decision for Ashfield Primary School").click()

    expect(heading(page)).to_have_text("Decision for Ashfield Primary School")
    page.get_by_role("radio", name="Add to the priority list", exact=True).check()
    page.get_by_role("radio", name="Agreed self-referral").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(error_summary(page)).to_contain_text("Enter the rationale for the decision")
    expect(page.get_by_role("radio", name="Add to the priority list", exact=True)).to_be_checked()
    expect(page.get_by_role("radio", name="Agreed self-referral")).to_be_checked()
    page.get_by_label("Rationale").fill(RATIONALE)
    journey_step(page, "board-member", "2-decision")
    page.get_by_role("button", name="Record the decision").click()

    expect(success(page)).to_contain_text("Decision recorded for Ashfield Primary School")
    expect(heading(page)).to_have_text(f"Meeting on {weekday_date(today)}")
    decision = agenda_item(page, "Ashfield Primary School").locator(".decision")
    expect(decision).to_contain_text(f"Add to the priority list – {RATIONALE}")
    expect(decision).to_contain_text("Added to the priority list: Agreed self-referral")
    expect(decision).to_contain_text(f"Bella Board, {long_date(today)}")
    journey_step(page, "board-member", "3-decision-recorded")

    menu(page).get_by_role("link", name="Priority list", exact=True).click()
    expect(heading(page)).to_have_text(f"Priority list {year}/{(year + 1) % 100:02d}")
    listed = page.get_by_role("table", name="Schools on the priority list")
    row = listed.get_by_role("row").filter(has_text="Ashfield Primary School")
    expect(row).to_contain_text("Agreed self-referral")
    expect(row).to_contain_text("On the priority list")
    expect(row).to_contain_text(short_date(today))
    expect(page.locator("#result-count")).to_have_text("1 school")
    journey_step(page, "board-member", "4-priority-list")

    officer = new_page()
    sign_in(officer, live_server, olivia)
    officer.goto(f"{live_server.url}/schools/{ashfield.urn}/")
    expect(officer.locator("#priority-status")).to_contain_text("On the priority list")
    subject = f"Ashfield Primary School: a priority for school improvement support in {year}/{(year + 1) % 100:02d}"
    letters = officer.get_by_role("heading", name="Letters")
    expect(letters).to_be_visible()
    expect(officer.get_by_role("listitem").filter(has_text=subject)).to_contain_text("not sent")
    officer.get_by_role("link", name=subject).click()

    expect(heading(officer)).to_have_text("Confirmation of priority status")
    expect(officer.locator("#letter-sent")).to_have_text("Not sent")
    expect(officer.locator("#letter-body")).to_contain_text(f"The advisory board's rationale: {RATIONALE}")
    name, saved = download(officer, "Download as PDF", tmp_path)
    assert name == f"letter-{ashfield.urn}-{today:%Y-%m-%d}.pdf"
    text = pdf_text(saved)
    assert text is not None, "Install pypdf (or poppler-utils for pdftotext) to read the PDF's text"
    assert subject in text
    assert "Reason: Agreed self-referral" in text
    assert RATIONALE in text
    assert long_date(today) in text

    fill_date(officer, "Date sent", today)
    expect(officer.get_by_label("Sent to")).to_contain_text("The chair of governors, Ashfield Primary School")
    officer.get_by_role("button", name="Record as sent").click()
    expect(success(officer)).to_contain_text("Letter recorded as sent")
    expect(officer.locator("#letter-sent")).to_have_text(f"{long_date(today)}, recorded by Olivia Officer")
    expect(officer.get_by_role("button", name="Record as sent")).to_have_count(0)

    head = new_page()
    sign_in(head, live_server, hannah)
    school = head.locator(".head-school")
    expect(school.get_by_role("heading", name="Letters from the local authority")).to_be_visible()
    expect(school.get_by_role("listitem").filter(has_text=subject)).to_contain_text(long_date(today))
    school.get_by_role("link", name=subject).click()
    expect(heading(head)).to_have_text("Confirmation of priority status")
    expect(head.locator("#letter-body")).to_contain_text(RATIONALE)
    expect(head.get_by_role("button", name="Record as sent")).to_have_count(0)
    assert console_errors == []


def test_removing_a_school_that_fails_the_removal_criterion_needs_confirmation(
    page, live_server, bella, olivia, ashfield, console_errors
):
    today = timezone.localdate()
    InspectionFactory(school=ashfield, overall_effectiveness=3, leadership_and_management=3)
    refresh_latest_inspections({ashfield.pk})
    on_the_list(ashfield, current_year(today))
    meeting = BoardMeetingFactory(meets_on=today, created_by=olivia)
    board_services.generate_agenda(meeting=meeting, by=olivia)

    sign_in(page, live_server, bella)
    menu(page).get_by_role("link", name="Board", exact=True).click()
    page.get_by_role("table", name="Board meetings").get_by_role("link", name=weekday_date(today)).click()
    page.get_by_role("link", name="Record a decision for Ashfield Primary School").click()

    expect(heading(page)).to_have_text("Decision for Ashfield Primary School")
    criterion = page.locator("#removal-criterion")
    expect(criterion).to_contain_text("Not met")
    expect(criterion).to_contain_text("The latest inspection (1 March 2022) is not good or better.")
    page.get_by_role("radio", name="Remove from the priority list").check()
    page.get_by_label("Rationale").fill(REMOVAL_RATIONALE)
    page.get_by_role("button", name="Record the decision").click()

    expect(error_summary(page)).to_contain_text(
        "The removal criterion is not met: The latest inspection (1 March 2022) is not good or better. "
        "To remove the school anyway, confirm and say why."
    )
    expect(page.get_by_role("radio", name="Remove from the priority list")).to_be_checked()
    expect(page.get_by_label("Rationale")).to_have_value(REMOVAL_RATIONALE)
    page.get_by_label("Remove the school although the removal criterion is not met").check()
    page.get_by_label("Why the school is removed although the criterion is not met").fill(REMOVAL_OVERRIDE)
    page.get_by_role("button", name="Record the decision").click()

    expect(success(page)).to_contain_text("Decision recorded for Ashfield Primary School")
    decision = agenda_item(page, "Ashfield Primary School").locator(".decision")
    expect(decision).to_contain_text(f"Remove from the priority list – {REMOVAL_RATIONALE}")
    expect(decision).to_contain_text("Removed from the priority list (removal criterion not met; confirmed)")

    menu(page).get_by_role("link", name="Priority list", exact=True).click()
    expect(page.get_by_text("0 on the list · 0 proposed · 1 removed this year.")).to_be_visible()
    expect(page.get_by_text("No school matches.")).to_be_visible()
    page.get_by_label("Status").select_option(label="Removed")
    page.get_by_role("button", name="Apply filters").click()

    row = (
        page.get_by_role("table", name="Schools on the priority list")
        .get_by_role("row")
        .filter(has_text="Ashfield Primary School")
    )
    expect(row).to_contain_text("Removed")
    expect(row).to_contain_text(f"Removed {short_date(today)}")
    expect(page.get_by_label("Status")).to_have_value("removed")
    assert console_errors == []


def test_an_officer_records_the_steps_of_a_warning_notice_and_sees_its_deadline(
    page, live_server, olivia, ashfield, console_errors
):
    today = timezone.localdate()
    deadline = today + timedelta(days=10)
    assert ashfield.type_group_name == "Local authority maintained schools"
    meeting = BoardMeetingFactory(meets_on=today, created_by=olivia)
    board_services.decide(
        school=ashfield, meeting=meeting, kind="recommend_warning_notice", rationale=NOTICE_RATIONALE, by=olivia
    )

    sign_in(page, live_server, olivia)
    expect(page.locator("#queue-warning-notice-compliance-deadlines")).to_have_count(0)
    menu(page).get_by_role("link", name="Priority list", exact=True).click()
    page.get_by_role("link", name="Warning notices").click()

    expect(heading(page)).to_have_text("Warning notices")
    row = page.get_by_role("table", name="Warning notices").get_by_role("row").filter(has_text="Ashfield")
    expect(row).to_contain_text("Recommended by the board")
    row.get_by_role("link", name="Ashfield Primary School").click()

    expect(heading(page)).to_have_text("Warning notice")
    expect(page.locator("#notice-status")).to_have_text("Recommended by the board")
    expect(page.locator("#notice-rationale")).to_have_text(NOTICE_RATIONALE)
    steps = page.locator("#notice-steps")
    expect(steps.get_by_role("button")).to_have_text(
        [
            "Record that the DCS accepted the recommendation",
            "Record that the DCS declined the recommendation",
        ]
    )
    notice_url = page.url

    # A notice cannot be issued before the DCS accepts the recommendation, even from a stale link.
    page.goto(f"{notice_url}issue/")
    expect(heading(page)).to_have_text("Record the notice as issued")
    expect(page.locator("#warning")).to_contain_text(
        "A notice is issued only after the DCS has accepted the recommendation. This notice is recommended."
    )
    fill_date(page, "Date the notice was issued", today)
    page.get_by_role("checkbox", name="Standards of performance are unacceptably low").check()
    page.get_by_label("What the governing body must do to comply").fill("Agree a Statement of Action")
    page.get_by_label("Compliance period in days").fill("10")
    page.get_by_role("button", name="Record the notice as issued").click()
    expect(error_summary(page)).to_contain_text(
        "A notice is issued only after the DCS has accepted the recommendation. This notice is recommended."
    )
    page.get_by_role("link", name="Back", exact=True).click()

    expect(page.locator("#notice-status")).to_have_text("Recommended by the board")
    page.get_by_role("button", name="Record that the DCS accepted the recommendation").click()
    expect(heading(page)).to_have_text("Record that the DCS accepted the recommendation")
    fill_date(page, "Date of the DCS's response", today)
    page.get_by_label("The DCS's comments (optional)").fill("Accepted; issue the notice this week.")
    page.get_by_role("button", name="Record that the DCS accepted the recommendation").click()

    expect(success(page)).to_contain_text("The DCS's acceptance is recorded: the notice can now be issued")
    expect(page.locator("#notice-status")).to_have_text("Accepted by the DCS, to be issued")
    details = page.locator("#notice-details")
    expect(details).to_contain_text("Accepted; issue the notice this week.")
    page.get_by_role("button", name="Record the notice as issued").click()

    expect(page.locator("#warning")).to_have_count(0)
    fill_date(page, "Date the notice was issued", today)
    page.get_by_role("button", name="Record the notice as issued").click()
    expect(error_summary(page)).to_contain_text("Choose at least one ground for the notice")
    expect(error_summary(page)).to_contain_text("Enter the compliance period in days")
    expect(error_summary(page)).to_contain_text("Enter what the governing body must do to comply")
    page.get_by_role("checkbox", name="Standards of performance are unacceptably low").check()
    page.get_by_label("What the governing body must do to comply").fill("Agree a Statement of Action")
    page.get_by_label("Compliance period in days").fill("10")
    page.get_by_role("button", name="Record the notice as issued").click()

    expect(success(page)).to_contain_text(
        f"The notice is recorded as issued: the school must comply by {long_date(deadline)}"
    )
    expect(page.locator("#notice-status")).to_have_text("Issued")
    expect(details).to_contain_text("Standards of performance are unacceptably low")
    expect(details).to_contain_text("10 days")
    expect(page.locator("#notice-deadline")).to_contain_text(long_date(deadline))
    expect(page.locator("#notice-deadline")).to_contain_text("Due soon")
    expect(page.locator("#notice-deadline")).to_contain_text("10 days left")
    expect(page.locator("#notice-recipients")).to_contain_text("The governing body of Ashfield Primary School")

    menu(page).get_by_role("link", name="Home", exact=True).click()
    deadlines = page.locator("#queue-warning-notice-compliance-deadlines")
    expect(deadlines.get_by_role("listitem")).to_have_count(1)
    expect(deadlines).to_contain_text("Ashfield Primary School")
    expect(deadlines).to_contain_text(f"Due {deadline:%-d %b %Y}")
    deadlines.get_by_role("link", name="Compliance deadline coming up").click()
    expect(page.locator("#notice-status")).to_have_text("Issued")
    assert console_errors == []


def test_an_officer_visits_the_head_of_a_newly_vulnerable_school_before_the_list_is_agreed(
    page, live_server, olivia, ashfield
):
    ashfield.ofsted_outcome = "good"
    ashfield.save()
    PriorityEntryFactory(
        school=ashfield, academic_year=current_year(), reason=PriorityEntry.Reason.VULNERABLE, status="proposed"
    )
    today = timezone.localdate()
    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}/priority-list/agree/")
    warning = page.locator("#not-visited")
    expect(warning).to_contain_text("1 newly vulnerable school without the visit")
    warning.get_by_role("link", name=ashfield.name).click()
    expect(heading(page)).to_have_text("Visit the headteacher and agree")
    fill_date(page, "Date the headteacher was contacted", today - timedelta(days=3))
    fill_date(page, "Date of the visit", today)
    page.get_by_label("Who visited").select_option(label=olivia.full_name)
    page.get_by_label("Agreed: not a priority for support").check()
    page.get_by_label("What was discussed and why").fill("The new deputy has stabilised reading; no support needed.")
    page.get_by_role("button", name="Record the visit").click()
    expect(success(page)).to_contain_text("Visit recorded")
    row = page.get_by_role("table", name="1 newly vulnerable school").get_by_role("row").filter(has_text=ashfield.name)
    expect(row).to_contain_text("Agreed: not a priority for support")
    expect(row).to_contain_text("Proposed, not added")


def test_a_board_member_agrees_the_consent_list_then_decides_the_escalation_and_goes_on(
    page, live_server, bella, ashfield, birmingham, console_errors
):
    today = timezone.localdate()
    meeting = BoardMeetingFactory(meets_on=today)
    routine = ["Larch Primary School", "Maple Primary School", "Rowan Primary School"]
    for n, name in enumerate(routine):
        AgendaItemFactory(
            meeting=meeting,
            school=SchoolFactory(name=name, la=birmingham),
            reasons=["Not reviewed for 8 weeks (last on 8 October 2026)"],
            kinds=["not_reviewed"],
            position=n,
        )
    AgendaItemFactory(
        meeting=meeting,
        school=ashfield,
        reasons=["Escalated by the priority partner: the governors cancelled the meeting twice"],
        kinds=["escalation"],
        position=9,
    )

    sign_in(page, live_server, bella)
    # From the home page's work queue: the next meeting, its decision items and its consent list.
    page.locator("#queue-next-board-meeting").get_by_role(
        "link", name="1 decision item and a consent list of 3 routine reviews to decide"
    ).click()
    expect(page.locator(".agenda-group").first).to_have_text("Escalations (1)")
    expect(page.locator(".agenda-item").first).to_contain_text("Ashfield Primary School")
    expect(page.locator(".consent-item")).to_have_count(3)
    page.get_by_label("Pull out Maple Primary School").check()
    page.get_by_role("button", name="Agree the consent list").click()

    expect(success(page)).to_contain_text("Consent list agreed: no change for 2 schools; 1 pulled out")
    expect(agenda_item(page, "Maple Primary School")).to_contain_text("Pulled out of the consent list")
    expect(page.locator("#consent-agreed")).to_contain_text("2 routine reviews agreed on the consent list")
    page.get_by_role("link", name="Record a decision for Ashfield Primary School").click()

    expect(heading(page)).to_have_text("Decision for Ashfield Primary School")
    reason = page.get_by_role("radio", name="Agreed self-referral")
    expect(reason).to_be_hidden()
    page.get_by_role("radio", name="Add to the priority list", exact=True).check()
    expect(reason).to_be_visible()
    page.get_by_role("radio", name="No change").check()
    expect(reason).to_be_hidden()
    page.get_by_label("Rationale").fill(RATIONALE)
    page.get_by_role("button", name="Record the decision").click()

    expect(success(page)).to_contain_text("Decision recorded for Ashfield Primary School")
    expect(heading(page)).to_have_text("Decision for Maple Primary School")
    assert console_errors == []
