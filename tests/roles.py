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


def sends_to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("accounts:sign-in"))


def assert_sends_to_sign_in(client, url: str) -> None:
    assert sends_to_sign_in(client.get(url))


def assert_each_page_by_role(client, everyone: dict, pages: dict, names: list[str]) -> None:
    """Each named page of ``pages`` (name: (url, the status each role gets)) gives each role exactly
    its status, and sends an anonymous visitor to sign in. The pages' objects are made once for them
    all; every page that answers wrongly is listed, not only the first."""
    wrong = []
    for name in names:
        url, expected = pages[name]
        got = status_by_role(client, everyone, url)
        if got != expected:
            differs = {
                role: f"{got[role]}, not {expected.get(role)}" for role in got if got[role] != expected.get(role)
            }
            wrong.append(f"{name} ({url}): {differs}")
        response = client.get(url)
        if not sends_to_sign_in(response):
            wrong.append(f"{name} ({url}): an anonymous visitor gets {response.status_code}, not sent to sign in")
    assert not wrong, f"{len(wrong)} of {len(names)} pages answer wrongly:\n" + "\n".join(wrong)
