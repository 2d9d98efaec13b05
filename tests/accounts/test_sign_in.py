"""Signing in and out, and what every page does for someone who has not signed in."""

import pytest
from django.urls import reverse

from accounts.models import Role, User
from schools.access import visible_schools
from tests.factories import PASSWORD, SchoolAssignmentFactory

pytestmark = pytest.mark.django_db


def test_a_person_signs_in_with_their_email_address(client, olivia):
    response = client.post(reverse("accounts:sign-in"), {"username": "OLIVIA@council.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == olivia


def test_a_wrong_password_is_refused_with_a_clear_message(client, olivia):
    response = client.post(reverse("accounts:sign-in"), {"username": olivia.email, "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a correct email address and password" in page


def test_empty_fields_are_named(client):
    page = client.post(reverse("accounts:sign-in"), {"username": "", "password": ""}).content.decode()
    assert "Enter your email address" in page
    assert "Enter your password" in page


def test_a_deactivated_account_cannot_sign_in(client, olivia):
    olivia.is_active = False
    olivia.save()
    response = client.post(reverse("accounts:sign-in"), {"username": olivia.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_in_returns_to_the_page_asked_for(client, olivia, ashfield):
    wanted = reverse("schools:detail", args=[ashfield.urn])
    response = client.post(
        f"{reverse('accounts:sign-in')}?next={wanted}", {"username": olivia.email, "password": PASSWORD, "next": wanted}
    )
    assert response["Location"] == wanted


def test_signing_out_needs_a_post_and_ends_the_session(client, olivia):
    client.force_login(olivia)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"))
    assert response["Location"] == reverse("accounts:sign-in")
    assert client.get(reverse("home")).status_code == 302


def test_the_sign_in_page_shows_the_service_name_and_no_crown(client):
    page = client.get(reverse("accounts:sign-in")).content.decode()
    assert "School improvement portal" in page
    assert "govuk-logo" not in page
    assert "crown" not in page.lower()


class TestVisibleSchools:
    def test_officers_and_administrators_see_every_school(self, olivia, adam, ashfield, beacon_hill, castle):
        assert visible_schools(olivia).count() == visible_schools(adam).count() == 3

    def test_a_partner_sees_only_assigned_schools(self, alice, beacon_hill):
        assert list(visible_schools(alice).values_list("name", flat=True)) == ["Ashfield Primary School"]

    def test_an_ended_assignment_gives_no_access(self, alice):
        alice.school_assignments.update(ends_on="2025-12-31")
        assert not visible_schools(alice).exists()

    def test_an_assignment_that_does_not_match_the_role_gives_no_access(self, olivia, ashfield, bella):
        SchoolAssignmentFactory(user=bella, school=ashfield)
        assert not visible_schools(bella).exists()

    def test_board_members_and_commissioners_see_no_school_pages_yet(self, bella, colin, ashfield):
        assert not visible_schools(bella).exists()
        assert not visible_schools(colin).exists()

    def test_a_deactivated_partner_sees_nothing(self, alice):
        alice.is_active = False
        assert not visible_schools(alice).exists()


def test_create_superuser_makes_an_administrator():
    user = User.objects.create_superuser("root@council.example", "a-long-password-1", full_name="Root")
    assert (user.role, user.is_staff, user.is_superuser) == (Role.ADMIN, True, True)


def test_email_addresses_are_stored_in_lower_case():
    assert User.objects.create_user("Someone@Council.Example", "pw-123456789").email == "someone@council.example"


def test_the_sign_in_form_is_one_form_not_nested(client):
    page = client.get(reverse("accounts:sign-in")).content.decode()
    assert page.count("<form") == 1
    assert page.count('name="csrfmiddlewaretoken"') == 1
