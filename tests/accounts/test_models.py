"""How accounts keep their email addresses: one form for every way of typing one address (issue 17),
so sign-in, the lockout and the unique constraint all see the same string."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import User, normalise_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REAL = "commissioner@council.example"
LONG_S = "Commiſſioner@Council.Example"  # a long ſ (U+017F) for each s


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (" Olivia@Council.Example ", "olivia@council.example"),
        (LONG_S, REAL),
        ("\u212aris@council.example", "kris@council.example"),  # a Kelvin sign
        ("commıssioner@council.example", "commıssioner@council.example"),  # a dotless ı stays: another address
    ],
)
def test_an_address_is_normalised_with_nfkc_and_case_folding(typed, kept):
    assert normalise_email(typed) == kept


def test_a_new_account_keeps_its_address_normalised():
    assert User.objects.create_user(LONG_S, "x", full_name="Tom Ellis").email == REAL
    assert UserFactory(email="Other@Council.EXAMPLE").email == "other@council.example"


def test_a_second_account_for_another_spelling_of_an_address_is_refused():
    User.objects.create_user(REAL, "x", full_name="Tom Ellis")
    with pytest.raises(IntegrityError):
        User.objects.create_user(LONG_S, "x", full_name="Someone Else")


def test_the_administration_keeps_addresses_normalised_and_refuses_another_spelling(client, adam, olivia):
    client.force_login(adam)
    change = reverse("admin:accounts_user_change", args=[olivia.pk])
    form = {"full_name": olivia.full_name, "role": olivia.role, "is_active": "on", "date_joined_0": "2026-01-05"}
    form |= {"date_joined_1": "09:00:00", "initial-date_joined_0": "2026-01-05", "initial-date_joined_1": "09:00:00"}
    form |= {
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "school_assignments-TOTAL_FORMS": "0",
        "school_assignments-INITIAL_FORMS": "0",
    }
    assert client.post(change, {**form, "email": "Olivia.Officer@Council.Example"}).status_code == 302
    olivia.refresh_from_db()
    assert olivia.email == "olivia.officer@council.example"
    page = client.post(change, {**form, "email": "ADAM@council.example"}).content.decode()
    assert "User with this Email address already exists" in page
    olivia.refresh_from_db()
    assert olivia.email == "olivia.officer@council.example"


def normalise_existing_addresses():
    importlib.import_module("accounts.migrations.0008_normalise_email_addresses").normalise(apps, None)


def test_the_migration_normalises_existing_addresses(olivia):
    User.objects.filter(pk=olivia.pk).update(email="Olivia@Council.Example")
    User.objects.create(email="placeholder@council.example", full_name="Tom Ellis")
    User.objects.filter(email="placeholder@council.example").update(email=LONG_S)
    normalise_existing_addresses()
    assert set(User.objects.values_list("email", flat=True)) == {"olivia@council.example", REAL}


def test_the_migration_stops_and_names_accounts_that_would_share_an_address(olivia):
    other = UserFactory(email="placeholder@council.example")
    User.objects.filter(pk=other.pk).update(email="OLIVIA@council.example")
    with pytest.raises(RuntimeError, match=f"account {olivia.pk} .*account {other.pk} "):
        normalise_existing_addresses()
    assert User.objects.get(pk=other.pk).email == "OLIVIA@council.example"
