"""Two people changing the same action plan at once: the second save is refused with a message
naming the first, the second person's input stays on the page, and the first person's change is
kept (with its history)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from core.concurrency import StaleEdit
from support import selectors, services
from support.models import Action, ActionPlan
from tests.concurrency import opened_at, refused_by, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(ashfield, alice):
    plan = services.create_plan(school=ashfield, year=selectors.current_year(), by=alice)
    priority = services.add_priority(plan=plan, by=alice, title="Reading")
    services.add_action(
        priority=priority, by=alice, description="Train staff", owner="Deputy", deadline=date(2027, 1, 8)
    )
    plan.refresh_from_db()
    return plan


@pytest.fixture
def action(plan):
    return Action.objects.get(priority__plan=plan)


@pytest.fixture
def statement(ashfield, alice):
    ashfield.ofsted_outcome, ashfield.type_group_name = "inadequate", "Local authority maintained schools"
    ashfield.save()
    return services.create_plan(school=ashfield, year=selectors.current_year(), by=alice)


# The services --------------------------------------------------------------------------------------------


def test_updating_an_action_from_a_stale_version_is_refused(action, olivia, priya):
    opened = action.version
    services.update_action(action=action, by=olivia, rag="amber", evidence="Two staff trained", seen_version=opened)
    stale = Action.objects.get(pk=action.pk)
    stale.version = opened
    with pytest.raises(StaleEdit) as refused:
        services.update_action(action=stale, by=priya, rag="red", evidence="Nobody trained", seen_version=opened)
    assert refused.value.messages[0].startswith(refused_by(action, olivia, "action"))
    action.refresh_from_db()
    assert (action.rag, action.evidence, action.version) == ("amber", "Two staff trained", opened + 1)
    assert [(h.rag, h.history_user) for h in action.history.all()[:1]] == [("amber", olivia)]


def test_a_change_to_an_action_moves_the_plan_on(action, plan, olivia):
    services.update_action(action=action, by=olivia, rag="amber")
    refreshed = ActionPlan.objects.get(pk=plan.pk)
    assert (refreshed.version, refreshed.changed_by) == (plan.version + 1, olivia)


def test_two_people_adding_priorities_at_once_both_keep_theirs(plan, alice, olivia):
    first, second = ActionPlan.objects.get(pk=plan.pk), ActionPlan.objects.get(pk=plan.pk)
    services.add_priority(plan=first, by=alice, title="Writing")
    services.add_priority(plan=second, by=olivia, title="Attendance")
    assert list(plan.priorities.values_list("title", flat=True)) == ["Reading", "Writing", "Attendance"]


def test_the_head_cannot_agree_a_plan_that_changed_since_they_read_it(plan, action, hannah, alice):
    read = plan.version
    services.update_action(action=action, by=alice, rag="red", evidence="Training postponed")
    with pytest.raises(StaleEdit) as refused:
        services.agree_plan(plan=plan, by=hannah, seen_version=read)
    assert refused.value.messages[0] == (
        f"{refused_by(plan, alice, 'plan')} The plan has not been agreed: check the current plan below and agree it "
        "again if it is right."
    )
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.DRAFT
    services.agree_plan(plan=plan, by=hannah, seen_version=plan.version)
    plan.refresh_from_db()
    assert (plan.status, plan.agreed_by) == (ActionPlan.Status.AGREED, hannah)
    assert plan.history.first().status == ActionPlan.Status.AGREED


def test_reopening_a_plan_someone_else_reopened_and_changed_is_refused(plan, hannah, alice, olivia):
    services.agree_plan(plan=plan, by=hannah)
    read = plan.version
    services.reopen_plan(plan=ActionPlan.objects.get(pk=plan.pk), by=alice, seen_version=read)
    with pytest.raises(StaleEdit):
        services.reopen_plan(plan=plan, by=olivia, seen_version=read)
    plan.refresh_from_db()
    assert (plan.status, plan.changed_by) == (ActionPlan.Status.UNDER_REVIEW, alice)


def test_saving_an_academy_order_from_a_stale_version_is_refused(statement, olivia, priya):
    opened = statement.version
    services.record_academy_order(
        plan=statement,
        by=olivia,
        academy_order_on=date(2026, 10, 2),
        academy_trust="Northfield Learning Trust",
        conversion_expected_on=None,
        seen_version=opened,
    )
    with pytest.raises(StaleEdit) as refused:
        services.record_academy_order(
            plan=ActionPlan.objects.get(pk=statement.pk),
            by=priya,
            academy_order_on=date(2026, 9, 1),
            academy_trust="Southfield Trust",
            conversion_expected_on=None,
            seen_version=opened,
        )
    assert refused.value.messages[0].startswith(refused_by(statement, olivia, "plan"))
    statement.refresh_from_db()
    assert (statement.academy_order_on, statement.academy_trust) == (date(2026, 10, 2), "Northfield Learning Trust")


# The pages ------------------------------------------------------------------------------------------------


def test_two_officers_update_the_same_action_and_the_second_is_refused(action, olivia, priya):
    url = reverse("support:update-action", args=[action.priority.plan.school.urn, action.pk])
    olivias, priyas = signed_in(olivia), signed_in(priya)
    olivia_opened, priya_opened = opened_at(olivias.get(url)), opened_at(priyas.get(url))

    response = olivias.post(url, {"rag": "amber", "evidence": "Two staff trained", "version": olivia_opened})
    assert response.status_code == 302
    response = priyas.post(url, {"rag": "red", "evidence": "Nobody has been trained yet", "version": priya_opened})

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "<title>Error: " in page
    assert refused_by(action, olivia, "action") in page
    assert "Your changes have not been saved: they are shown below so you can copy them" in page
    assert "Nobody has been trained yet</textarea>" in page
    assert (action.rag, action.evidence) == ("amber", "Two staff trained")


def test_the_refused_officer_reloads_and_saves_over_the_current_version(client, action, olivia, priya):
    url = reverse("support:update-action", args=[action.priority.plan.school.urn, action.pk])
    client.force_login(priya)
    stale = opened_at(client.get(url))
    services.update_action(action=action, by=olivia, rag="amber", seen_version=action.version)
    assert client.post(url, {"rag": "red", "evidence": "", "version": stale}).status_code == 200
    fresh = opened_at(client.get(url))
    assert client.post(url, {"rag": "red", "evidence": "", "version": fresh}).status_code == 302
    action.refresh_from_db()
    assert (action.rag, action.changed_by) == ("red", priya)


def test_two_officers_save_the_academy_order_and_the_second_is_refused(statement, olivia, priya):
    url = reverse("support:academy-order", args=[statement.school.urn])
    olivias, priyas = signed_in(olivia), signed_in(priya)
    olivia_opened, priya_opened = opened_at(olivias.get(url)), opened_at(priyas.get(url))

    form = {"academy_order_on_0": 2, "academy_order_on_1": 10, "academy_order_on_2": 2026}
    saved = olivias.post(url, {**form, "academy_trust": "Northfield Learning Trust", "version": olivia_opened})
    assert saved.status_code == 302
    response = priyas.post(url, {**form, "academy_trust": "Southfield Trust", "version": priya_opened})

    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert refused_by(statement, olivia, "plan") in page
    assert 'value="Southfield Trust"' in page
    assert statement.academy_trust == "Northfield Learning Trust"


def test_the_head_is_told_the_plan_changed_before_they_agreed_it(client, plan, action, hannah, alice):
    agree = reverse("support:agree-plan", args=[plan.school.urn])
    client.force_login(hannah)
    read = re.search(r"\?version=(\d+)", client.get(reverse("support:plan", args=[plan.school.urn])).content.decode())
    confirming = client.get(f"{agree}?version={read.group(1)}")
    services.update_action(action=action, by=alice, rag="red", evidence="Training postponed")

    response = client.post(agree, {"version": opened_at(confirming)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert refused_by(plan, alice, "plan") in page
    assert "The plan has not been agreed" in page
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.DRAFT

    response = client.post(agree, {"version": opened_at(response)}, follow=True)
    assert "You have agreed the plan" in response.content.decode()
