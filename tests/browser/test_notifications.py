"""Browser journey for notifications: a partner sees the head's response counted in the header,
opens it from the notifications page, lands on the visit, and chooses which kinds come by email."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Notification
from support import services
from support.models import Visit
from tests.browser.conftest import sign_in
from tests.factories import VisitFactory


def test_a_partner_follows_the_heads_response_from_the_header_to_the_visit(
    page, live_server, alice, hannah, ashfield, console_errors
):
    held = timezone.localdate() - timedelta(days=2)
    visit = VisitFactory(school=ashfield, visitor=alice, status=Visit.Status.HELD, held_on=held)
    report = services.start_report(visit=visit, by=alice)
    services.edit_report(report=report, by=alice, findings="Reading is improving.", next_steps="Observe year 3.")
    services.submit_report(report=report, by=alice)
    services.share_report(report=report, by=alice)
    services.respond_to_report(report=report, by=hannah, response="accurate")

    sign_in(page, live_server, alice)
    header_link = page.locator("#header-notifications")
    expect(header_link).to_have_text("Notifications (1 unread)")
    header_link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    item = page.locator("#notifications li").first
    expect(item).to_contain_text("New")
    item.get_by_role(
        "link", name="Hannah Head responded to the visit report on Ashfield Primary School: accurate"
    ).click()

    expect(page).to_have_url(re.compile(rf"/visits/{visit.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Visit on")
    expect(page.locator("#header-notifications")).to_have_text("Notifications")

    page.locator("#header-notifications").click()
    page.get_by_role("link", name="Choose which notifications you get by email").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications by email")
    page.get_by_role("checkbox", name="Deadline near").uncheck()
    page.get_by_role("button", name="Save your choices").click()
    expect(page.get_by_role("alert")).to_contain_text("Your email choices are saved")
    alice.refresh_from_db()
    assert alice.notification_emails_off == [Notification.Kind.DEADLINE_NEAR]
    assert console_errors == []
