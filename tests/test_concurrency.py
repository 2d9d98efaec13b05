"""Optimistic concurrency (core.concurrency): a save from a stale version is refused
with a message naming who changed the record and when; a save from the current one moves it on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.concurrency import StaleEdit, claim, seen_version, stale_message, when
from tests.factories import ActionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def priya(db):
    return UserFactory(full_name="Priya Shah", email="priya.shah@council.example")


@pytest.fixture
def action(db):
    return ActionFactory()


def test_a_save_from_the_current_version_moves_the_record_on(action, olivia):
    claim(action, seen=1, by=olivia, what="action")
    action.refresh_from_db()
    assert (action.version, action.changed_by) == (2, olivia)
    assert action.changed_at is not None


def test_a_save_from_an_older_version_is_refused_and_names_who_changed_it(action, olivia, priya):
    claim(action, seen=1, by=priya, what="action")
    with pytest.raises(StaleEdit) as refused:
        claim(action, seen=1, by=olivia, what="action")
    action.refresh_from_db()
    assert action.version == 2
    assert refused.value.messages == [
        f"Someone else changed this action since you opened it (Priya Shah at {when(action.changed_at)}). "
        "Your changes have not been saved: they are shown below so you can copy them; reload to see the current "
        "action."
    ]


def test_without_a_version_the_save_is_not_checked_but_still_moves_the_record_on(action, olivia):
    claim(action, seen=None, by=olivia, what="action")
    claim(action, seen=None, by=olivia, what="action")
    assert action.version == 3
    action.refresh_from_db()
    assert action.version == 3


def test_a_whole_record_save_leaves_the_version_alone(action, olivia):
    stale = type(action).objects.get(pk=action.pk)
    claim(action, seen=1, by=olivia, what="action")
    stale.owner = "Headteacher"
    stale.save()
    action.refresh_from_db()
    assert (action.owner, action.version, action.changed_by) == ("Headteacher", 2, olivia)


def test_the_message_says_when_it_was_you_in_another_window_or_a_job(action, olivia):
    claim(action, seen=1, by=olivia, what="action")
    at = when(action.changed_at)
    assert stale_message(action, by=olivia, what="action", advice="", unattended="a job").startswith(
        f"You changed this action in another tab or window since you opened it (at {at})."
    )
    action.changed_by = None
    assert stale_message(action, by=olivia, what="action", advice="", unattended="a job").startswith(
        f"This action changed since you opened it (a job at {at})."
    )


def test_a_change_on_another_day_gives_its_date():
    moment = timezone.now() - timedelta(days=3)
    local = timezone.localtime(moment)
    assert when(moment) == f"{local:%H:%M} on {local.day} {local:%B %Y}"
    assert when(timezone.now()) == f"{timezone.localtime():%H:%M}"


@pytest.mark.parametrize(("posted", "seen"), [("4", 4), ("", None), (None, None), ("four", -1), ("4.5", -1)])
def test_a_posted_version_that_is_not_a_number_never_matches(posted, seen):
    assert seen_version(posted) == seen
