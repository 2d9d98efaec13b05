"""Your account, API access: a signed-in person names and makes their own tokens, sees them listed
(names and dates, never a key) and revokes them; a new key is shown once, on the page answering the
request that made it, and only its digest is stored."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from tests.api.conftest import client_with_token
from tests.roles import ROLES, assert_sends_to_sign_in, status_by_role

pytestmark = pytest.mark.django_db

PAGE = "accounts:api-access"
REVOKE = "accounts:api-access-revoke"


def make(client, name="Termly dashboard", days=90):
    return client.post(reverse(PAGE), {"name": name, "days": days})


def shown_key(response) -> str:
    page = response.content.decode()
    return page.split('<code id="api-token" class="app-token">', 1)[1].split("</code>", 1)[0]


def test_everyone_signed_in_may_open_it_and_anonymous_visitors_are_sent_to_sign_in(client, everyone):
    assert status_by_role(client, everyone, reverse(PAGE)) == dict.fromkeys(ROLES, 200)
    assert_sends_to_sign_in(client, reverse(PAGE))
    response = make(client)
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_the_account_page_links_to_it_and_lists_tokens_without_keys(client, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:account")).content.decode()
    assert reverse(PAGE) in page
    assert "Create a token" in page
    key = shown_key(make(client, name="Power BI"))
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Power BI: expires" in page
    assert key[:8] not in page


def test_creating_a_token_shows_its_key_once_and_stores_only_its_digest(client, alice, ashfield):
    client.force_login(alice)
    assert "You do not have an API token" in client.get(reverse(PAGE)).content.decode()
    response = make(client, name="Termly dashboard", days=30)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = shown_key(response)
    assert len(key) == 64
    token = ApiToken.objects.get(user=alice)
    assert token.name == "Termly dashboard"
    assert key not in {token.digest, token.token_key}
    assert abs(token.expiry - token.created - timedelta(days=30)) < timedelta(minutes=1)
    again = client.get(reverse(PAGE)).content.decode()
    assert key not in again
    assert "Termly dashboard" in again
    assert "Revoke" in again
    assert client_with_token(key).get(reverse("api:school-list")).json()["count"] == 1


def test_a_token_needs_a_name_and_a_lifetime_from_the_list(client, alice):
    client.force_login(alice)
    page = client.post(reverse(PAGE), {"name": " ", "days": 90}).content.decode()
    assert "There is a problem" in page
    assert "Enter a name for the token" in page
    page = client.post(reverse(PAGE), {"name": "Script", "days": 3650}).content.decode()
    assert "Choose how long the token lasts" in page
    make(client, name="Script")
    page = make(client, name="Script").content.decode()
    assert "You already have a token with this name" in page
    assert ApiToken.objects.filter(user=alice).count() == 1


def test_two_tokens_work_side_by_side_until_one_is_revoked(client, alice, bob):
    client.force_login(bob)
    make(client, name="Bob's")
    client.force_login(alice)
    first = shown_key(make(client, name="First"))
    second = shown_key(make(client, name="Second"))
    assert first != second
    assert client_with_token(first).get(reverse("api:school-list")).status_code == 200
    token = ApiToken.objects.get(user=alice, name="First")
    response = client.post(reverse(REVOKE), {"token": token.pk}, follow=True)
    assert response.redirect_chain == [(reverse(PAGE), 302)]
    assert "The API token has been revoked" in response.content.decode()
    assert client_with_token(first).get(reverse("api:school-list")).status_code == 401
    assert client_with_token(second).get(reverse("api:school-list")).status_code == 200
    assert ApiToken.objects.filter(user=bob).exists()  # only one's own
    assert client.get(reverse(REVOKE)).status_code == 405


def test_nobody_revokes_another_persons_token(client, alice, bob):
    client.force_login(bob)
    key = shown_key(make(client, name="Bob's"))
    client.force_login(alice)
    response = client.post(reverse(REVOKE), {"token": ApiToken.objects.get(user=bob).pk}, follow=True)
    assert "That token was not found" in response.content.decode()
    assert client.post(reverse(REVOKE), {"token": "abc"}).status_code == 302
    assert client_with_token(key).get(reverse("api:school-list")).status_code == 200


def test_the_forms_need_their_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert make(client).status_code == 403
    assert client.post(reverse(REVOKE)).status_code == 403
    assert not ApiToken.objects.exists()
    page = client.get(reverse(PAGE)).content.decode()
    assert f'action="{reverse(PAGE)}"' in page
    assert f'action="{reverse(REVOKE)}"' not in page  # nothing to revoke yet


@pytest.mark.two_factor
def test_someone_who_owes_an_authenticator_code_cannot_make_a_token(client, olivia):
    client.force_login(olivia)
    response = make(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor-setup"))
    assert not ApiToken.objects.exists()


def test_the_api_page_explains_the_api(client, colin):
    client.force_login(colin)
    page = client.get(reverse("api:index")).content.decode()
    assert reverse("api:schema") in page
    assert reverse(PAGE) in page
    assert "Authorization: Token" in page
    assert_sends_to_sign_in(Client(), reverse("api:index"))
