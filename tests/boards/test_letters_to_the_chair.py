"""Letters reach the chair of governors by name (issue 22), and a removal letter thanks the school for
its work with the partner who worked with it this year."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boards import services
from boards.merge import name_the_chair
from boards.models import Decision, Letter, PriorityEntry
from support.selectors import current_year
from tests.factories import (
    ActionPlanFactory,
    DecisionFactory,
    GovernanceContactFactory,
    LocalAuthorityFactory,
    PriorityEntryFactory,
    SchoolAssignmentFactory,
    SchoolFactory,
    UserFactory,
)

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


def _la_of(count: int):
    """An LA of ``count`` maintained schools, each with a chair, a partner and this year's plan; every
    other one on the priority list with the board's decision, and one judged inadequate."""
    la = LocalAuthorityFactory()
    year = current_year(TODAY)
    for n in range(count):
        school = SchoolFactory(la=la, ofsted_outcome="inadequate" if n == 0 else "requires_improvement")
        GovernanceContactFactory(school=school, name=f"Chair {n}")
        SchoolAssignmentFactory(school=school, user=UserFactory(full_name=f"Partner {n}"), starts_on=TODAY)
        ActionPlanFactory(school=school, academic_year=year, due_by=TODAY + timedelta(days=30))
        if n % 2:
            PriorityEntryFactory(school=school, academic_year=year, status=PriorityEntry.Status.ON_LIST)
            DecisionFactory(school=school, academic_year=year, kind=Decision.Kind.ADD, rationale=f"Reason {n}")
    return la, year


def test_the_annual_letters_take_as_many_queries_for_six_schools_as_for_two(olivia):
    counts = []
    for size in (2, 6):
        la, year = _la_of(size)
        with CaptureQueriesContext(connection) as queries:
            assert services.annual_letters(year=year, by=olivia, la_id=la.pk) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    letter = Letter.objects.get(school__la=la, school__governance_contacts__name="Chair 5")
    assert letter.kind == "priority"
    assert letter.body.startswith("Dear Headteacher and Chair 5, chair of governors,")
    assert "Partner 5" in letter.body
    assert "Reason 5" in letter.body
    assert letter.recipients.splitlines()[1].startswith("Chair 5, chair of governors, ")
