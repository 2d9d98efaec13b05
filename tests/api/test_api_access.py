"""Your account, API access: a signed-in person creates, replaces and revokes their own token; its
key is shown once, on the page answering the request that made it."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.api.conftest import client_with_token
from tests.roles import ROLES, assert_sends_to_sign_in, status_by_role

pytestmark = pytest.mark.django_db

PAGE = "accounts:api-access"


def test_everyone_signed_in_may_open_it_and_anonymous_visitors_are_sent_to_sign_in(client, everyone):
    assert status_by_role(client, everyone, reverse(PAGE)) == dict.fromkeys(ROLES, 200)
    assert_sends_to_sign_in(client, reverse(PAGE))
    response = client.post(reverse(PAGE))
    assert response.status_code == 302
    assert not Token.objects.exists()


def test_the_account_page_links_to_it(client, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:account")).content.decode()
    assert reverse(PAGE) in page
    assert "Create a token" in page


def test_creating_a_token_shows_its_key_once(client, alice, ashfield):
    client.force_login(alice)
    assert "You do not have an API token" in client.get(reverse(PAGE)).content.decode()
    response = client.post(reverse(PAGE))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = Token.objects.get(user=alice).key
    assert f'<code id="api-token">{key}</code>' in response.content.decode()
    again = client.get(reverse(PAGE)).content.decode()
    assert key not in again
    assert "Active" in again
    assert "Revoke your token" in again
    assert key[:8] not in client.get(reverse("accounts:account")).content.decode()
    assert client_with_token(key).get(reverse("api:school-list")).json()["count"] == 1


def test_replacing_the_token_stops_the_old_one(client, alice):
    client.force_login(alice)
    client.post(reverse(PAGE))
    old = Token.objects.get(user=alice).key
    client.post(reverse(PAGE))
    new = Token.objects.get(user=alice).key
    assert old != new
    assert client_with_token(old).get(reverse("api:school-list")).status_code == 401
    assert client_with_token(new).get(reverse("api:school-list")).status_code == 200


def test_revoking_the_token(client, alice, bob):
    client.force_login(bob)
    client.post(reverse(PAGE))
    client.force_login(alice)
    client.post(reverse(PAGE))
    key = Token.objects.get(user=alice).key
    response = client.post(reverse("accounts:api-access-revoke"), follow=True)
    assert response.redirect_chain == [(reverse(PAGE), 302)]
    assert "Your API token has been revoked" in response.content.decode()
    assert not Token.objects.filter(user=alice).exists()
    assert Token.objects.filter(user=bob).exists()  # only one's own
    assert client_with_token(key).get(reverse("api:school-list")).status_code == 401
    assert client.get(reverse("accounts:api-access-revoke")).status_code == 405


def test_the_forms_need_their_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(reverse(PAGE)).status_code == 403
    assert client.post(reverse("accounts:api-access-revoke")).status_code == 403
    assert not Token.objects.exists()
    page = client.get(reverse(PAGE)).content.decode()
    assert f'action="{reverse(PAGE)}"' in page
    assert f'action="{reverse("accounts:api-access-revoke")}"' not in page  # nothing to revoke yet


@pytest.mark.two_factor
def test_someone_who_owes_an_authenticator_code_cannot_make_a_token(client, olivia):
    client.force_login(olivia)
    response = client.post(reverse(PAGE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor-setup"))
    assert not Token.objects.exists()


def test_the_api_page_explains_the_api(client, colin):
    client.force_login(colin)
    page = client.get(reverse("api:index")).content.decode()
    assert reverse("api:schema") in page
    assert reverse(PAGE) in page
    assert "Authorization: Token" in page
    assert_sends_to_sign_in(Client(), reverse("api:index"))
