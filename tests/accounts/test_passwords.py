"""People's passwords are set only in the administration (adding a person, changing a password);
both refuse a weak one (AUTH_PASSWORD_VALIDATORS). The demo sets its published password in code,
and createsuperuser is an operator's tool that warns about a weak password before using it."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

WEAK = {
    "short": "Tr0ub4dor&3",  # 11 characters
    "common": "password1234",
    "numeric": "839201748392",
    "like the email": "newperson@council",
}
STRONG = "quiet-lantern-orchard-47"


@pytest.mark.parametrize("password", WEAK.values(), ids=WEAK.keys())
def test_the_validators_refuse_weak_passwords(password):
    person = User(email="newperson@council.example", full_name="New Person")
    with pytest.raises(ValidationError):
        validate_password(password, person)


def test_twelve_characters_is_the_minimum():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Tr0ub4dor&3x"[:11])
    validate_password(STRONG)


def _add_person(client, password):
    return client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "newperson@council.example",
            "full_name": "New Person",
            "role": "partner",
            "password1": password,
            "password2": password,
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "school_assignments-TOTAL_FORMS": "0",
            "school_assignments-INITIAL_FORMS": "0",
        },
    )


@pytest.mark.parametrize("password", WEAK.values(), ids=WEAK.keys())
def test_adding_a_person_with_a_weak_password_is_refused(client, adam, password):
    client.force_login(adam)
    response = _add_person(client, password)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["password2"]
    assert not User.objects.filter(email="newperson@council.example").exists()


def test_adding_a_person_with_a_strong_password(client, adam):
    client.force_login(adam)
    assert _add_person(client, STRONG).status_code == 302
    assert User.objects.get(email="newperson@council.example").check_password(STRONG)


def test_changing_a_password_to_a_weak_one_is_refused(client, adam, olivia):
    client.force_login(adam)
    url = reverse("admin:auth_user_password_change", args=[olivia.pk])
    response = client.post(url, {"password1": "password1234", "password2": "password1234"})
    assert response.status_code == 200
    assert "This password is too common" in response.content.decode()
    olivia.refresh_from_db()
    assert not olivia.check_password("password1234")
