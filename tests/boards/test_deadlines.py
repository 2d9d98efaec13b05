"""The overdue list (boards/deadlines.py): every deadline the seeds name that has passed, each source
on its own, on the officer's home page, in a fixed number of queries. England's default calendar
for 2026/27: October half-term from 24 October 2026, Autumn 1 ends 23 October, Autumn 2 18 December."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards import deadlines
from boards import services as board_services
from boards.models import LetterKind, PriorityEntry, WarningNotice
from support import services as support_services
from support.models import ActionPlan, Visit
from tests.factories import (
    ActionPlanFactory,
    InspectionFactory,
    LetterFactory,
    NewHeadteacherFactory,
    PriorityEntryFactory,
    SchoolAssignmentFactory,
    SchoolFactory,
    VisitFactory,
    WarningNoticeFactory,
)

pytestmark = pytest.mark.django_db

AFTER_OCTOBER = date(2026, 11, 2)


def found(source, today):
    return [(i.kind, i.school.name, i.due) for i in source(deadlines.Today.of(today))]


def on_list(school, added_on=date(2026, 9, 15)):
    return PriorityEntryFactory(school=school, status=PriorityEntry.Status.ON_LIST, added_on=added_on)


def test_seed_004_a_carried_forward_plan_not_agreed_by_october_half_term_is_overdue(ashfield):
    ActionPlanFactory(school=ashfield, academic_year=2026, due_by=date(2026, 10, 24))
    assert found(deadlines.plans, date(2026, 10, 20)) == []
    assert found(deadlines.plans, AFTER_OCTOBER) == [("Action plan", ashfield.name, date(2026, 10, 24))]
    ActionPlan.objects.update(status=ActionPlan.Status.AGREED)
    assert found(deadlines.plans, AFTER_OCTOBER) == []


def test_seed_004_a_priority_school_with_no_plan_is_overdue_once_its_plan_was_due(ashfield, beacon_hill):
    on_list(ashfield)  # carried forward: a plan last year, so due by October half-term
    ActionPlanFactory(school=ashfield, academic_year=2025, due_by=date(2025, 10, 25))
    on_list(beacon_hill)  # new this year: until the end of the next half-term, Autumn 2
    assert found(deadlines.plans, AFTER_OCTOBER) == [("Action plan", ashfield.name, date(2026, 10, 24))]
    assert ("Action plan", beacon_hill.name, date(2026, 12, 18)) in found(deadlines.plans, date(2027, 1, 5))


def test_seed_004_the_list_is_agreed_by_october_half_term(ashfield):
    PriorityEntryFactory(school=ashfield)
    assert found(deadlines.priority_list, date(2026, 10, 20)) == []
    assert found(deadlines.priority_list, AFTER_OCTOBER) == [("Priority list", ashfield.name, date(2026, 10, 24))]


def test_seed_004_every_maintained_school_is_sent_a_letter_after_the_list_is_agreed(ashfield, birmingham):
    sent = SchoolFactory(urn=103002, name="Brook Primary School", la=birmingham, establishment_number=2002)
    LetterFactory(school=sent, kind=LetterKind.NOT_PRIORITY, academic_year=2026, sent_on=date(2026, 10, 20))
    LetterFactory(school=ashfield, kind=LetterKind.PRIORITY, academic_year=2026)  # drafted, never sent
    assert found(deadlines.letters, AFTER_OCTOBER) == [("Priority letter", ashfield.name, date(2026, 10, 24))]


def test_seed_003_a_new_headteacher_not_visited_in_their_first_half_term_is_overdue(ashfield, alice):
    NewHeadteacherFactory(school=ashfield, starts_on=date(2026, 11, 2))
    assert found(deadlines.new_head_visits, date(2026, 12, 18)) == []
    assert found(deadlines.new_head_visits, date(2027, 1, 5)) == [
        ("New headteacher's visit", ashfield.name, date(2026, 12, 18))
    ]
    VisitFactory(school=ashfield, visitor=alice, status=Visit.Status.HELD, held_on=date(2027, 1, 4))
    assert found(deadlines.new_head_visits, date(2027, 1, 5)) == []


def test_a_new_headteacher_noted_from_intelligence_is_overdue_by_school_and_date_not_by_the_note(ashfield):
    NewHeadteacherFactory(school=ashfield, name="", from_intelligence=True, starts_on=date(2026, 11, 2))
    (line,) = deadlines.new_head_visits(deadlines.Today.of(date(2027, 1, 5)))
    assert line.what == (
        "A new headteacher of Ashfield Primary School was noted from intelligence on 2 November 2026: "
        "no visit held since"
    )


def test_a_warning_notice_not_complied_with_by_its_deadline_is_overdue(ashfield):
    WarningNoticeFactory(
        school=ashfield,
        status=WarningNotice.Status.ISSUED,
        issued_on=date(2026, 9, 7),
        compliance_deadline=date(2026, 10, 1),
    )
    assert found(deadlines.warning_notices, AFTER_OCTOBER) == [("Warning notice", ashfield.name, date(2026, 10, 1))]


def test_seed_003_a_school_past_four_terms_without_meeting_the_criteria_for_good_is_overdue(ashfield):
    InspectionFactory(
        school=ashfield, start_date=date(2025, 3, 4), publication_date=date(2025, 3, 28), overall_effectiveness=3
    )
    [(kind, name, due)] = found(deadlines.ri_to_good, AFTER_OCTOBER)
    assert (kind, name) == ("Requires improvement to Good", ashfield.name)
    assert date(2026, 7, 1) < due < AFTER_OCTOBER  # the end of the summer term 2026: the fourth term after


def test_seed_004_a_listed_school_with_no_named_partner_after_october_half_term_is_overdue(alice, birmingham):
    school = SchoolFactory(urn=103003, name="Canal Primary School", la=birmingham, establishment_number=2003)
    on_list(school)
    assert found(deadlines.partners, date(2026, 10, 20)) == []
    assert found(deadlines.partners, AFTER_OCTOBER) == [("Named priority partner", school.name, date(2026, 10, 24))]
    SchoolAssignmentFactory(school=school, user=alice, relationship="priority_partner", starts_on=date(2026, 9, 1))
    assert found(deadlines.partners, AFTER_OCTOBER) == []


def test_seed_004_a_newly_vulnerable_school_not_visited_by_october_half_term_is_overdue(ashfield):
    PriorityEntryFactory(school=ashfield, academic_year=2026, reason=PriorityEntry.Reason.VULNERABLE)
    assert found(deadlines.vulnerability_visits, AFTER_OCTOBER) == [
        ("Visit and agree", ashfield.name, date(2026, 10, 24))
    ]


def test_seed_004_a_listed_school_its_partner_has_not_visited_is_overdue(ashfield, alice):
    on_list(ashfield)
    assert found(deadlines.first_visits, date(2026, 10, 20)) == []
    assert found(deadlines.first_visits, AFTER_OCTOBER) == [
        ("Priority partner's visit", ashfield.name, date(2026, 10, 24))
    ]
    VisitFactory(school=ashfield, visitor=alice, status=Visit.Status.HELD, held_on=date(2026, 10, 1))
    assert found(deadlines.first_visits, AFTER_OCTOBER) == []


def test_the_officers_home_page_lists_what_is_overdue_in_the_same_queries_for_2_or_20_schools(
    client, olivia, birmingham, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda: AFTER_OCTOBER)
    client.force_login(olivia)

    def add(n: int) -> None:
        school = SchoolFactory(urn=150000 + n, name=f"School {n:02}", la=birmingham, establishment_number=3000 + n)
        ActionPlanFactory(school=school, academic_year=2026, due_by=date(2026, 10, 24))
        NewHeadteacherFactory(school=school, starts_on=date(2026, 9, 7))

    for n in range(2):
        add(n)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    for n in range(2, 20):
        add(n)
    with CaptureQueriesContext(connection) as large:
        page = client.get(reverse("home")).content.decode()
    assert len(large) == len(small)
    section = page[page.index('id="overdue"') :]
    assert "Action plan: 20 overdue" in section
    assert "New headteacher&#x27;s visit: 20 overdue" in section
    assert "School 00" in section
    # The letters are read as their first ten and a count: all twenty schools are unsent.
    assert "Priority letter: 20 overdue" in section
    assert "The first 10 of 20 are shown." in section


def test_the_first_overdue_items_and_counts_agree_with_the_whole_list(ashfield, birmingham):
    for n in range(12):
        SchoolFactory(urn=160000 + n, name=f"Unsent {n:02}", la=birmingham, establishment_number=4000 + n)
    now = deadlines.Today.of(AFTER_OCTOBER)
    whole = deadlines.overdue(now=now)
    first = deadlines.first_overdue(now, 10)
    assert first.counts == {kind.kind: len(kind.items) for kind in deadlines.by_kind(whole)}
    letters = [i.school.name for i in first.items if i.kind == deadlines.LETTER]
    assert letters == [i.school.name for i in whole if i.kind == deadlines.LETTER][:10]
    assert first.counts[deadlines.LETTER] == 13


def test_the_ri_to_good_cases_kept_for_the_home_page_follow_each_review(
    ashfield, olivia, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CHOICES_CACHE_SECONDS = 300
    InspectionFactory(
        school=ashfield, start_date=date(2025, 3, 4), publication_date=date(2025, 3, 28), overall_effectiveness=3
    )
    now = deadlines.Today.of(AFTER_OCTOBER)
    first = deadlines.first_overdue(now, 10)
    assert first.counts[deadlines.RI_TO_GOOD] == 1
    assert deadlines.first_overdue(now, 10) == first  # kept: the same items, read again
    monkeypatch.setattr(timezone, "localdate", lambda: AFTER_OCTOBER)
    with django_capture_on_commit_callbacks(execute=True):
        support_services.review_ri_to_good(
            school=ashfield, by=olivia, reviewed_on=AFTER_OCTOBER, judgement="meets_good", evidence="Moderated."
        )
    assert deadlines.RI_TO_GOOD not in deadlines.first_overdue(now, 10).counts


def test_the_letters_overdue_kept_for_the_home_page_follow_each_letter_sent(
    ashfield, olivia, settings, django_capture_on_commit_callbacks
):
    settings.CHOICES_CACHE_SECONDS = 300
    letter = LetterFactory(school=ashfield, kind=LetterKind.PRIORITY, academic_year=2026)
    now = deadlines.Today.of(AFTER_OCTOBER)
    assert deadlines.first_overdue(now, 10).counts[deadlines.LETTER] == 1
    assert deadlines.first_overdue(now, 10).counts[deadlines.LETTER] == 1  # kept
    with django_capture_on_commit_callbacks(execute=True):
        board_services.mark_sent(letter=letter, by=olivia, sent_on=date(2026, 10, 30), recipients="Head")
    assert deadlines.LETTER not in deadlines.first_overdue(now, 10).counts
