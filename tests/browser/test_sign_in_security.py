"""Strong sign-in in a real browser: an officer sets up an authenticator app before reaching any
page, five wrong passwords lock the account, and an idle session warns before it ends."""

import re
import time
from base64 import b32decode
from types import SimpleNamespace

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from accounts import sessions
from tests.browser.conftest import fill_sign_in, sign_in


def current_code(secret: str) -> str:
    """What an authenticator app shows now for the key typed from the set-up page."""
    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6)
    totp.time = time.time()
    return f"{totp.token():06d}"


def heading(page):
    return page.get_by_role("heading", level=1)


@pytest.mark.two_factor
def test_an_officer_sets_up_two_factor_before_reaching_the_home_page(page, live_server, console_errors, olivia):
    page.goto(f"{live_server.url}/sign-in/")
    fill_sign_in(page, olivia)

    expect(page).to_have_url(f"{live_server.url}/account/two-factor/set-up/")
    expect(heading(page)).to_have_text("Set up your authenticator app")
    expect(page.locator(".app-qr-code svg")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#secret-key").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})+", secret)

    page.get_by_label("Enter the 6-digit code from the app").fill(current_code(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()

    expect(heading(page)).to_have_text("Your recovery codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    recovery_code = page.locator("#recovery-codes li").first.inner_text().strip()
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(heading(page)).to_have_text("Welcome, Olivia")
    page.get_by_role("link", name=re.compile("Olivia Officer")).click()
    expect(page.locator("#two-factor-status")).to_contain_text("On")

    # The next sign-in asks for a code; a recovery code will do (the app's would be the one just used).
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/sign-in/")
    fill_sign_in(page, olivia)
    expect(heading(page)).to_have_text("Enter the code from your authenticator app")
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(recovery_code)
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Welcome, Olivia")
    assert console_errors == []


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(page, live_server, olivia):
    page.goto(f"{live_server.url}/sign-in/")
    for _ in range(4):
        page.locator("#id_username").fill(olivia.email)
        page.locator("#id_password").fill("not-my-password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_contain_text("Enter a correct email address and password")
    page.locator("#id_username").fill(olivia.email)
    page.locator("#id_password").fill("not-my-password")
    page.get_by_role("button", name="Sign in").click()

    expect(heading(page)).to_have_text("Your account is locked")
    expect(page.locator("main")).to_contain_text(
        "Your account is locked for 30 minutes after 5 wrong passwords from this address."
    )
    expect(page.locator("main")).to_contain_text("contact your LA officer")

    page.get_by_role("link", name="Go to the sign-in page").click()
    fill_sign_in(page, olivia)  # the right password, from the same address
    expect(heading(page)).to_have_text("Your account is locked")


class Clocks:
    """The browser's clock (Playwright's) and the server's (``accounts.sessions`` reads
    ``time.time()``), moved on together, so that idle minutes pass without waiting for them."""

    def __init__(self, page, monkeypatch):
        self.page, self.ahead = page, 0.0
        monkeypatch.setattr(sessions, "time", SimpleNamespace(time=lambda: time.time() + self.ahead))
        page.clock.install()

    def pass_seconds(self, seconds: float) -> None:
        self.ahead += seconds
        self.page.clock.run_for(int(seconds * 1000))


def test_an_idle_session_warns_then_signs_out(new_page, live_server, console_errors, olivia, settings, monkeypatch):
    settings.SESSION_IDLE_TIMEOUT = 8
    settings.SESSION_IDLE_WARNING = 5
    page = new_page(fresh=True)  # its clock is installed for good
    clocks = Clocks(page, monkeypatch)
    sign_in(page, live_server, olivia)
    dialog = page.get_by_role("dialog", name="You will be signed out soon")

    clocks.pass_seconds(3.5)
    expect(dialog).to_be_visible(timeout=8000)
    expect(dialog).to_contain_text("For your security, you will be signed out in")
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()

    clocks.pass_seconds(3.5)
    expect(dialog).to_be_visible(timeout=8000)
    clocks.pass_seconds(5)
    expect(page).to_have_url(f"{live_server.url}/sign-in/?next=/", timeout=12000)
    expect(page.locator("main")).to_contain_text("You were signed out after 8 seconds without activity")
    assert console_errors == []
