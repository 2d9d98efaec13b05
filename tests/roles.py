"""The named users of tests/conftest.py by role, and what each gets from a page."""

from django.urls import reverse

ROLES = ["olivia", "adam", "alice", "bob", "hannah", "ezra", "bella", "colin"]
OFFICERS = {"olivia": 200, "adam": 200}
NOT_OFFICERS = dict.fromkeys(["alice", "bob", "hannah", "ezra", "bella", "colin"], 403)


def status_by_role(client, everyone: dict, url: str) -> dict[str, int]:
    """The status code each named user gets from a GET of the page."""
    got = {}
    for role in ROLES:
        client.force_login(everyone[role])
        got[role] = client.get(url).status_code
    client.logout()
    return got


def assert_sends_to_sign_in(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
