"""Forgotten your password? in a real browser: from the sign-in page to the emailed link, a new
password, and signing in with it (the live server's email goes to Django's outbox)."""

import re

from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

NEW = "quiet-lantern-orchard-47"


def test_a_person_who_forgot_their_password_chooses_a_new_one_and_signs_in(page, live_server, console_errors, olivia):
    cache.clear()  # the requests-per-hour limits start from nothing
    heading = page.get_by_role("heading", level=1)
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(heading).to_have_text("Reset your password")
    page.get_by_role("button", name="Send a reset link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")

    page.get_by_label("Email address").fill(olivia.email)
    page.get_by_role("button", name="Send a reset link").click()
    expect(heading).to_have_text("Check your email")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/password-reset/\S+/", mail.outbox[0].body).group(0)

    page.goto(link)
    expect(heading).to_have_text("Choose a new password")
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("Confirm new password").fill("something-else-entirely")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The passwords do not match")
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("Confirm new password").fill(NEW)
    page.get_by_role("button", name="Change password").click()
    expect(heading).to_have_text("Your password has been changed")

    page.get_by_role("button", name="Sign in").click()
    page.locator("#id_username").fill(olivia.email)
    page.locator("#id_password").fill(NEW)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")
    assert console_errors == []
