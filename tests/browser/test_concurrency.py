"""Two officers at two computers update the same action of a plan: the second save is refused in
the error summary, their words stay in the form, and the plan shows the first officer's."""

import re
from datetime import date

from playwright.sync_api import expect

from accounts.models import Role
from core.concurrency import when
from support import selectors, services
from support.models import Action
from tests.browser.conftest import sign_in
from tests.factories import UserFactory


def test_the_second_of_two_officers_saving_the_same_action_is_refused_and_keeps_their_words(
    new_page, live_server, olivia, alice, ashfield, console_errors
):
    priya = UserFactory(full_name="Priya Shah", email="priya.shah@council.example", role=Role.LA_OFFICER)
    plan = services.create_plan(school=ashfield, year=selectors.current_year(), by=alice)
    priority = services.add_priority(plan=plan, by=alice, title="Reading")
    services.add_action(
        priority=priority, by=alice, description="Train staff in phonics", owner="Deputy", deadline=date(2027, 1, 8)
    )
    olivias, priyas = new_page(), new_page()
    for page, person in ((olivias, olivia), (priyas, priya)):
        sign_in(page, live_server, person)
        page.goto(f"{live_server.url}/schools/{ashfield.urn}/plan/")
        page.get_by_role("link", name="Update Train staff in phonics").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Update the action")

    olivias.get_by_label("RAG status").select_option("amber")
    olivias.get_by_label("Evidence").fill("Two of five staff trained")
    olivias.get_by_role("button", name="Update the action").click()
    expect(olivias.get_by_role("alert")).to_contain_text("Action updated")

    priyas.get_by_label("RAG status").select_option("red")
    priyas.get_by_label("Evidence").fill("Training postponed to January")
    priyas.get_by_role("button", name="Update the action").click()

    summary = priyas.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    changed_at = when(Action.objects.get(priority=priority).changed_at)
    expect(summary).to_contain_text(
        f"Someone else changed this action since you opened it (Olivia Officer at {changed_at}). Your changes have "
        "not been saved: they are shown below so you can copy them; reload to see the current action."
    )
    expect(priyas).to_have_title(re.compile(r"^Error: Update the action"))
    expect(priyas.get_by_label("Evidence")).to_have_value("Training postponed to January")

    priyas.goto(f"{live_server.url}/schools/{ashfield.urn}/plan/")
    expect(priyas.get_by_text("Evidence: Two of five staff trained")).to_be_visible()
    expect(priyas.get_by_text("Amber: some concerns")).to_be_visible()
    assert console_errors == []
