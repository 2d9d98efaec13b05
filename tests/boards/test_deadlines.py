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


def a_priority_list_longer_than_the_home_page_shows(birmingham, n: int = 12) -> None:
    """``n`` schools of each kind the priority list brings: late plans and Statements of Action in two
    states, listed schools with no plan, partner or visit, and newly vulnerable schools not visited."""

    def school(offset: int, name: str, i: int):
        urn = 170000 + offset * 100 + i
        return SchoolFactory(urn=urn, name=f"{name} {i:02}", la=birmingham, establishment_number=urn - 165000)

    for i in range(n):
        kind = ActionPlan.Kind.STATEMENT_OF_ACTION if i % 3 == 0 else ActionPlan.Kind.PLAN
        status = ActionPlan.Status.UNDER_REVIEW if i % 2 else ActionPlan.Status.DRAFT
        ActionPlanFactory(school=school(0, "Late", i), kind=kind, status=status, due_by=date(2026, 10, 1 + i))
        on_list(school(1, "Listed", i), added_on=date(2026, 9, 1 + i))
        PriorityEntryFactory(school=school(2, "Vulnerable", i), reason=PriorityEntry.Reason.VULNERABLE)


def test_the_priority_lists_kinds_are_read_as_their_first_items_and_counts(birmingham):
    a_priority_list_longer_than_the_home_page_shows(birmingham)
    now = deadlines.Today.of(date(2027, 1, 5))
    whole = deadlines.overdue(now=now)
    with CaptureQueriesContext(connection) as captured:
        first = deadlines.first_overdue(now, 10)
    assert first.counts == {kind.kind: len(kind.items) for kind in deadlines.by_kind(whole)}
    assert first.counts[deadlines.PLAN] == 8 + 12  # eight late plans, twelve listed schools with none
    assert first.counts[deadlines.STATEMENT] == 4
    for kind in (deadlines.PLAN, deadlines.PARTNER, deadlines.VISIT_AND_AGREE, deadlines.FIRST_VISIT):
        shown = [(i.school.name, i.due, i.what) for i in first.items if i.kind == kind][:10]
        assert shown == [(i.school.name, i.due, i.what) for i in whole if i.kind == kind][:10], kind
    assert len(captured) <= deadlines.QUERIES


def test_the_home_page_counts_every_overdue_item_of_the_priority_list_and_leads_to_the_full_list(
    client, olivia, birmingham, monkeypatch
):
    a_priority_list_longer_than_the_home_page_shows(birmingham)
    monkeypatch.setattr(timezone, "localdate", lambda: date(2027, 1, 5))
    client.force_login(olivia)
    page = client.get(reverse("home")).content.decode()
    section = page[page.index('id="overdue"') :]
    assert "Named priority partner: 12 overdue" in section
    assert "Visit and agree: 12 overdue" in section
    assert "Priority partner&#x27;s visit: 12 overdue" in section
    assert "Action plan: 20 overdue" in section
    assert "The first 10 of 12 are shown." in section
    assert f'<a class="govuk-link" href="{reverse("boards:list")}?partner=none">See all 12' in section
    assert f'<a class="govuk-link" href="{reverse("boards:vulnerability-visits")}">See all 12' in section
    # The queue counts every late plan and Statement of Action, not only those the overdue list shows.
    assert "Action plans overdue or due soon (24)" in page[: page.index('id="overdue"')]


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
