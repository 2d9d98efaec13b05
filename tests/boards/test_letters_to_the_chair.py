"""Letters reach the chair of governors by name (issue 22), and a removal letter thanks the school for
its work with the partner who worked with it this year."""

from datetime import timedelta

import pytest
from django.utils import timezone

from boards import services
from boards.merge import name_the_chair
from support.selectors import current_year
from tests.factories import GovernanceContactFactory, SchoolAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_seed_004_a_letter_names_the_chair(olivia, ashfield):
    ashfield.head_title, ashfield.head_first_name, ashfield.head_last_name = "Mr", "A", "Khan"
    ashfield.save()
    GovernanceContactFactory(school=ashfield, name="Mrs J Smith")
    letter = services.draft_letter(school=ashfield, kind="priority", by=olivia)
    assert letter.recipients.splitlines() == [
        "Mr A Khan, headteacher, Ashfield Primary School",
        "Mrs J Smith, chair of governors, Ashfield Primary School",
    ]
    assert letter.body.startswith("Dear Mr A Khan and Mrs J Smith, chair of governors,")


def test_without_a_recorded_chair_the_letter_is_to_the_chair_of_governors(olivia, ashfield):
    letter = services.draft_letter(school=ashfield, kind="priority", by=olivia)
    assert letter.recipients.splitlines()[1] == "The chair of governors, Ashfield Primary School"
    assert "and the chair of governors," in letter.body.splitlines()[0]


def test_a_template_that_names_the_chair_itself_is_left_as_written():
    assert name_the_chair("Dear {chair},\nThe chair of governors, hello", "Mrs J Smith") == (
        "Dear {chair},\nThe chair of governors, hello"
    )


def test_seed_004_a_removal_letter_thanks_the_school_for_its_work_with_last_partner_this_year(olivia, ashfield):
    partner = UserFactory(full_name="Patricia Partner")
    start = TODAY - timedelta(days=20)
    SchoolAssignmentFactory(user=partner, school=ashfield, starts_on=start, ends_on=TODAY - timedelta(days=1))
    letter = services.draft_letter(school=ashfield, kind="removed", by=olivia)
    assert "Thank you for your work with Patricia Partner this year" in letter.body
    assert "to be confirmed" not in letter.body
    assert letter.academic_year == current_year(TODAY)


def test_a_removal_letter_without_any_partner_never_thanks_to_be_confirmed(olivia, ashfield):
    letter = services.draft_letter(school=ashfield, kind="removed", by=olivia)
    assert "to be confirmed" not in letter.body
    assert "Thank you for your work with your priority partner this year" in letter.body
