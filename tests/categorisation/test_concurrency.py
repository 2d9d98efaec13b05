"""Two officers deciding the same school's category at once, or deciding on a proposal the
engine has replaced since the page was opened: the stale decision is refused (or, in bulk,
skipped and reported) and the first decision stands."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from categorisation import services
from categorisation.models import CategoryDecision, SchoolCategory
from core.concurrency import StaleEdit, when
from schools.imports import refresh_latest_inspections
from tests.concurrency import opened_at, refused_by, signed_in
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def inspected(school, grade: int, on: date, **fields) -> None:
    InspectionFactory(school=school, overall_effectiveness=grade, start_date=on, **fields)
    refresh_latest_inspections({school.pk})


def assessed(*schools) -> None:
    for school in schools:
        inspected(school, 4, date(2022, 3, 1), category_of_concern="special_measures")
    services.recategorise(trigger="manual", as_of=TODAY)


def standing(school) -> SchoolCategory:
    return SchoolCategory.objects.select_related("changed_by", "category").get(school=school, framework__is_active=True)


def decided_by(school, user) -> str:
    return refused_by(standing(school), user, "school's category")


# The services --------------------------------------------------------------------------------------------


def test_a_decision_from_a_stale_page_is_refused_and_the_first_stands(ashfield, olivia, priya):
    assessed(ashfield)
    opened = standing(ashfield).version
    services.agree_category(
        school=ashfield, by=olivia, category_code="focused", rationale="New head", seen_version=opened
    )
    with pytest.raises(StaleEdit) as refused:
        services.agree_category(school=ashfield, by=priya, seen_version=opened)
    assert refused.value.messages[0] == (
        f"{decided_by(ashfield, olivia)} Your decision has not been saved: it is shown below so you can copy it; "
        "reload to see the current proposal and category."
    )
    assert list(CategoryDecision.objects.values_list("category__code", "decided_by")) == [("focused", olivia.pk)]
    assert standing(ashfield).category.code == "focused"
    assert standing(ashfield).history.first().history_user == olivia


def test_a_proposal_replaced_by_a_run_since_the_page_was_opened_is_not_agreed(ashfield, olivia):
    assessed(ashfield)
    opened = standing(ashfield).version
    inspected(ashfield, 1, date(2025, 6, 10))
    services.recategorise(trigger="manual", as_of=TODAY)
    assert standing(ashfield).version == opened + 1
    with pytest.raises(StaleEdit) as refused:
        services.agree_category(school=ashfield, by=olivia, seen_version=opened)
    assert refused.value.messages[0].startswith(
        f"This school's category changed since you opened it (a recategorisation run at "
        f"{when(standing(ashfield).changed_at)})."
    )
    assert not CategoryDecision.objects.exists()


def test_a_school_first_assessed_after_the_page_was_opened_is_not_decided_unseen(ashfield, olivia):
    """The page opened before the school had a standing carried version 0."""
    assessed(ashfield)
    with pytest.raises(StaleEdit):
        services.agree_category(school=ashfield, by=olivia, seen_version=0)


def test_bulk_agreement_skips_and_reports_proposals_changed_since_the_page_was_opened(
    ashfield, beacon_hill, castle, olivia, priya
):
    assessed(ashfield, beacon_hill, castle)
    seen = {s.school_id: s.version for s in SchoolCategory.objects.all()}
    services.agree_category(school=beacon_hill, by=priya, category_code="focused", rationale="Seen at panel")

    result = services.agree_proposals(
        school_ids=[ashfield.pk, beacon_hill.pk, castle.pk], by=olivia, seen_versions=seen
    )

    assert result.agreed == 2
    assert result.changed == [f"Beacon Hill Academy (Priya Shah at {when(standing(beacon_hill).changed_at)})"]
    assert standing(beacon_hill).category.code == "focused"
    assert CategoryDecision.objects.filter(school=beacon_hill).count() == 1
    assert {standing(s).changed_by for s in (ashfield, castle)} == {olivia}
    assert standing(ashfield).history.first().history_user == olivia


# The pages ------------------------------------------------------------------------------------------------


def test_two_officers_decide_the_same_school_and_the_second_is_refused(ashfield, olivia, priya):
    assessed(ashfield)
    url = reverse("categorisation:decide", args=[ashfield.urn])
    olivias, priyas = signed_in(olivia), signed_in(priya)
    olivia_opened, priya_opened = opened_at(olivias.get(url)), opened_at(priyas.get(url))

    posted = {"category": "focused", "rationale": "Improving fast under the new head", "version": olivia_opened}
    assert olivias.post(url, posted).status_code == 302
    posted = {"category": "overview", "rationale": "Strong results this year", "version": priya_opened}
    response = priyas.post(url, posted)

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert escape(decided_by(ashfield, olivia)) in page
    assert "Strong results this year</textarea>" in page
    assert list(CategoryDecision.objects.values_list("category__code", flat=True)) == ["focused"]


def test_agreeing_from_a_stale_queue_skips_the_proposal_someone_else_decided(ashfield, beacon_hill, olivia, priya):
    assessed(ashfield, beacon_hill)
    olivias, priyas = signed_in(olivia), signed_in(priya)
    queue = olivias.get(reverse("categorisation:queue"))
    posted = {
        "school": [ashfield.pk, beacon_hill.pk],
        **{f"version-{s.pk}": opened_at(queue, f"version-{s.pk}") for s in (ashfield, beacon_hill)},
    }
    decide = reverse("categorisation:decide", args=[ashfield.urn])
    decision = {"category": "focused", "rationale": "Seen at panel", "version": opened_at(priyas.get(decide))}
    assert priyas.post(decide, decision).status_code == 302

    response = olivias.post(reverse("categorisation:queue"), posted)

    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == [
        "Agreed 1 proposal",
        "1 proposal was not agreed because it changed since you opened the page: Ashfield Primary School "
        f"(Priya Shah at {when(standing(ashfield).changed_at)}). Review it again.",
    ]
    assert standing(ashfield).category.code == "focused"
    assert standing(beacon_hill).changed_by == olivia
