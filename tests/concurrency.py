"""Helpers for the tests of two people changing the same record at once."""

import re

from django.test import Client

from core.concurrency import when


def signed_in(user) -> Client:
    """A browser of the person's own."""
    client = Client()
    client.force_login(user)
    return client


def opened_at(response, name: str = "version") -> str:
    """The version a page's form carries in its hidden field."""
    return re.search(rf'name="{name}" value="(\d+)"', response.content.decode()).group(1)


def refused_by(record, user, what: str) -> str:
    """The first sentence of the refusal when ``user`` changed ``record`` last."""
    record.refresh_from_db()
    return f"Someone else changed this {what} since you opened it ({user.full_name} at {when(record.changed_at)})."
