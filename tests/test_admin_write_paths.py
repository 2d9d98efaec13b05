"""The administration is not a second way to write (issue 17, finding 8): each attack below is
an administrator doing through the Django administration what the portal's pages refuse or do
only through a service; each is refused, or goes through that service. Security logs cannot be
deleted by anyone there. Every model registered in the administration is read only unless it is
on ``MAY_WRITE``, with the service its save goes through."""

import json
import logging
from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, SchoolAssignment, User
from categorisation.models import InspectionPolicySetting, RecategorisationRun
from support.models import AcademicYear
from tests.factories import (
    PASSWORD,
    InspectionFactory,
    PartnerInterestFactory,
    PartnerProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# What an administrator may still write in the administration, and through what. Anything else
# registered there must refuse add, change and delete to a superuser.
MAY_WRITE = {
    # People are managed here. Deactivating someone ends their sessions and revokes their API tokens
    # (accounts.signals: services.end_sessions, services.revoke_every_api_token); nobody is deleted.
    "accounts.User": {"add", "change"},
    # accounts.services.save_authority: platform administrators only; an authority is never deleted.
    "accounts.Authority": {"add", "change"},
    # support.services.assign_partner (the conflict-of-interest check, as on a partner's page),
    # assign_headteacher and end_assignment; never deleted.
    "accounts.SchoolAssignment": {"add", "change"},
    # categorisation.services.set_inspection_policy, which checks the intervals and queues every
    # school's reassessment (the one row is added once, where the data migration has not).
    "categorisation.InspectionPolicySetting": {"add", "change"},
    # support.services.set_half_terms, which checks the six dates fit the year.
    "support.AcademicYear": {"add", "change"},
    # The beat scheduler's timetable, no record of the domain: when a regular job runs and whether
    # it is on. What it runs and its arguments are read only, and no job is added or deleted.
    "django_celery_beat.PeriodicTask": {"change"},
    "django_celery_beat.CrontabSchedule": {"add", "change"},
    "django_celery_beat.IntervalSchedule": {"add", "change"},
    "django_celery_beat.SolarSchedule": {"add", "change"},
    "django_celery_beat.ClockedSchedule": {"add", "change"},
}

TODAY = timezone.localdate()


@pytest.fixture
def as_adam(adam):
    client = Client()
    client.force_login(adam)
    return client


def posted(obj, **changes) -> dict:
    """The record's fields as its administration form posts them, with ``changes``."""
    data = {}
    for name, value in {**model_to_dict(obj), **changes}.items():
        if value is None:
            value = ""
        elif isinstance(value, dict | list):
            value = json.dumps(value)
        elif isinstance(value, models.Model):
            value = value.pk
        data[name] = value
    return data


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def add_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def delete_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])


def action(client, model, name: str, *objs):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return client.post(url, {"action": name, "index": "0", "_selected_action": [o.pk for o in objs]})


# Every model ---------------------------------------------------------------------------------------


def test_every_model_in_the_administration_is_read_only_unless_it_saves_through_a_service(adam):
    request = RequestFactory().get("/admin/")
    request.user = adam
    wrong = {}
    for model, model_admin in admin.site._registry.items():
        granted = {
            name
            for name, allowed in (
                ("add", model_admin.has_add_permission(request)),
                ("change", model_admin.has_change_permission(request)),
                ("delete", model_admin.has_delete_permission(request)),
            )
            if allowed
        }
        extra = granted - MAY_WRITE.get(model._meta.label, set())
        if extra:
            wrong[model._meta.label] = sorted(extra)
    assert wrong == {}


def test_nothing_in_the_administration_makes_an_api_token_or_shows_its_key(adam):
    request = RequestFactory().get("/admin/")
    request.user = adam
    for model, model_admin in admin.site._registry.items():
        if "token" not in model._meta.model_name and model._meta.app_label not in ("authtoken", "knox"):
            continue
        assert not model_admin.has_add_permission(request), model._meta.label
        shown = {*model_admin.get_list_display(request), *(model_admin.get_fields(request) or [])}
        assert not shown & {"key", "digest", "token_key"}, model._meta.label


def test_every_administration_page_opens_for_an_administrator(as_adam, adam, alice, olivia, ashfield):
    """Lists, records and the add pages that are left: read only or not, each one shows."""
    InspectionFactory(school=ashfield)
    PartnerInterestFactory(school=ashfield)
    TOTPDevice.objects.create(user=olivia, name="Authenticator app", confirmed=True)
    StaticDevice.objects.create(user=olivia, name="Recovery codes")
    for _ in range(5):
        Client().post(
            reverse("accounts:sign-in"), {"username": olivia.email, "password": "wrong"}, REMOTE_ADDR="10.0.0.9"
        )
    InspectionPolicySetting.objects.get_or_create(pk=1)
    request = RequestFactory().get("/admin/")
    request.user = adam
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls = [reverse(f"{name}_changelist")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"{name}_change", args=[first.pk]))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"{name}_add"))
        for url in urls:
            assert as_adam.get(url).status_code == 200, url


# The findings ---------------------------------------------------------------------------------------


def test_an_inspection_cannot_be_changed_in_the_administration(as_adam, ashfield):
    """Inspections come from Ofsted's files through the import, which queues the school's
    recategorisation; a grade changed here would change the school's category without one."""
    inspection = InspectionFactory(school=ashfield, overall_effectiveness=2)
    response = as_adam.post(change_url(inspection), posted(inspection, overall_effectiveness=4))
    inspection.refresh_from_db()
    assert inspection.overall_effectiveness == 2
    assert response.status_code == 403


def _conflicted_partner(school) -> User:
    """A priority partner who governs the school: a conflict of interest."""
    profile = PartnerProfileFactory(user__full_name="Pat Partner", user__email="pat@partners.example")
    PartnerInterestFactory(partner=profile, school=school)
    return profile.user


def _new_assignment(partner, school, **fields) -> dict:
    return {
        "user": partner.pk,
        "school": school.pk,
        "relationship": SchoolAssignment.Relationship.PRIORITY_PARTNER,
        "starts_on": TODAY.isoformat(),
        "ends_on": "",
        "conflict": "",
        "justification": "",
        "assigned_by": "",
        **fields,
    }


def test_a_partner_with_a_conflict_of_interest_is_not_assigned_without_a_justification(as_adam, ashfield):
    pat = _conflicted_partner(ashfield)
    response = as_adam.post(add_url(SchoolAssignment), _new_assignment(pat, ashfield))
    assert not SchoolAssignment.objects.filter(user=pat).exists()
    assert response.status_code == 200
    page = response.content.decode()
    assert "Explain why this partner should work with the school despite" in page
    assert "Pat Partner is governor of Ashfield Primary School itself." in page


def test_a_justified_assignment_is_made_by_the_service_and_keeps_the_conflict(as_adam, adam, ashfield):
    pat = _conflicted_partner(ashfield)
    response = as_adam.post(
        add_url(SchoolAssignment), _new_assignment(pat, ashfield, justification="No one else covers Year 6 maths")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment = SchoolAssignment.objects.get(user=pat, school=ashfield)
    assert assignment.conflict == "Pat Partner is governor of Ashfield Primary School itself."
    assert (assignment.justification, assignment.assigned_by) == ("No one else covers Year 6 maths", adam)


def test_the_people_page_cannot_assign_a_school(as_adam, olivia, ashfield):
    """The person's page lists their schools; it does not add one behind the service's back."""
    pat = _conflicted_partner(ashfield)
    data = {
        "email": pat.email,
        "full_name": pat.full_name,
        "organisation": "",
        "role": pat.role,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": pat.date_joined.date().isoformat(),
        "date_joined_1": "09:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "school_assignments-TOTAL_FORMS": "1",
        "school_assignments-INITIAL_FORMS": "0",
        "school_assignments-0-school": ashfield.pk,
        "school_assignments-0-relationship": SchoolAssignment.Relationship.PRIORITY_PARTNER,
        "school_assignments-0-starts_on": TODAY.isoformat(),
    }
    response = as_adam.post(change_url(pat), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not SchoolAssignment.objects.filter(user=pat).exists()


def test_a_headteacher_is_linked_to_a_school_and_a_link_is_ended_never_deleted(as_adam, castle, alice, ashfield):
    head = UserFactory(full_name="Harriet Head", role=Role.HEADTEACHER)
    link = {"user": head.pk, "school": castle.pk, "relationship": SchoolAssignment.Relationship.HEADTEACHER}
    assert as_adam.post(add_url(SchoolAssignment), link).status_code == 302
    assert SchoolAssignment.objects.filter(user=head, school=castle, ends_on=None).exists()

    wrong_person = {**link, "user": alice.pk}
    response = as_adam.post(add_url(SchoolAssignment), wrong_person)
    assert "Choose a person with the headteacher role" in response.content.decode()

    alices = SchoolAssignment.objects.get(user=alice, school=ashfield)
    assert as_adam.post(delete_url(alices), {"post": "yes"}).status_code == 403
    yesterday = TODAY - timedelta(days=1)
    assert as_adam.post(change_url(alices), {"ends_on": yesterday.isoformat()}).status_code == 302
    alices.refresh_from_db()
    assert alices.ends_on == yesterday
    # Ended: starting it again is assigning again, with the conflict-of-interest check.
    response = as_adam.post(change_url(alices), {"ends_on": ""})
    assert "This assignment has ended" in response.content.decode()
    alices.refresh_from_db()
    assert alices.ends_on == yesterday


def test_inspection_intervals_the_estimate_cannot_use_are_refused(as_adam):
    setting, _ = InspectionPolicySetting.objects.get_or_create(pk=1)
    before = setting.values
    for values in ({"good_earliest_months": "soon"}, {"autumn_term_starts": 5}, {"good_latest_months": 12}):
        response = as_adam.post(change_url(setting), {"values": json.dumps(values)})
        assert response.status_code == 200, values
        setting.refresh_from_db()
        assert setting.values == before


def test_inspection_intervals_set_in_the_administration_reassess_every_school(
    as_adam, ashfield, django_capture_on_commit_callbacks
):
    setting, _ = InspectionPolicySetting.objects.get_or_create(pk=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_adam.post(change_url(setting), {"values": json.dumps({"good_earliest_months": 30})})
    assert response.status_code == 302
    setting.refresh_from_db()
    assert setting.values == {"good_earliest_months": 30}
    assert RecategorisationRun.objects.filter(trigger=RecategorisationRun.Trigger.FRAMEWORK).exists()


def test_the_lockout_failure_log_cannot_be_deleted(as_adam, olivia):
    Client().post(reverse("accounts:sign-in"), {"username": olivia.email, "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    entry = AccessFailureLog.objects.get()
    assert as_adam.post(delete_url(entry), {"post": "yes"}).status_code == 403
    action(as_adam, AccessFailureLog, "delete_selected", entry)
    assert as_adam.post(change_url(entry), {"username": "someone.else@example.com"}).status_code == 403
    entry.refresh_from_db()
    assert entry.username == olivia.email


# What else an administrator could do there ---------------------------------------------------------


def test_a_lockout_is_lifted_through_the_service_and_logged_never_by_deleting_rows(as_adam, olivia, caplog):
    person = Client()

    def sign_in(password):
        return person.post(
            reverse("accounts:sign-in"), {"username": olivia.email, "password": password}, REMOTE_ADDR="10.0.0.9"
        )

    for _ in range(5):
        sign_in("wrong")
    assert sign_in(PASSWORD).status_code == 429
    attempt = AccessAttempt.objects.get()
    assert as_adam.post(delete_url(attempt), {"post": "yes"}).status_code == 403
    logged = AccessFailureLog.objects.count()

    with caplog.at_level(logging.WARNING, logger="accounts.security"):
        action(as_adam, AccessAttempt, "lift_lockout", attempt)

    assert sign_in(PASSWORD).status_code == 302
    assert AccessFailureLog.objects.count() == logged
    assert f"Sign-in lockout lifted: {olivia.email} from 10.0.0.9, by administrator" in caplog.text


def test_an_authenticator_cannot_be_added_for_someone_else(as_adam, olivia):
    """An administrator who made someone's authenticator would know its secret."""
    data = {
        "user": olivia.pk,
        "name": "Planted",
        "confirmed": "on",
        "key": "3132333435363738393031323334353637383930",
        "step": 30,
        "t0": 0,
        "digits": 6,
        "tolerance": 1,
        "drift": 0,
        "throttling_failure_count": 0,
    }
    as_adam.post(add_url(TOTPDevice), data)
    assert not TOTPDevice.objects.filter(user=olivia).exists()


def test_two_factor_authentication_is_reset_through_the_service(as_adam, adam, olivia, caplog):
    TOTPDevice.objects.create(user=olivia, name="Authenticator app", confirmed=True)
    StaticDevice.objects.create(user=olivia, name="Recovery codes")
    signed_in = Client()
    signed_in.force_login(olivia)

    with caplog.at_level(logging.WARNING, logger="accounts.security"):
        response = action(as_adam, User, "reset_two_factor", olivia, adam)

    assert not TOTPDevice.objects.filter(user=olivia).exists()
    assert not StaticDevice.objects.filter(user=olivia).exists()
    assert signed_in.get(reverse("home")).status_code == 302  # signed out everywhere
    assert f"Two-factor authentication of user {olivia.pk} reset by administrator {adam.pk}" in caplog.text
    # Never one's own: another administrator does that.
    said = [str(m) for m in as_adam.get(response["Location"]).context["messages"]]
    assert f"{adam}: Ask another administrator to reset your two-factor authentication." in said


def test_a_person_is_deactivated_never_deleted(as_adam, olivia):
    assert as_adam.post(delete_url(olivia), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=olivia.pk).exists()


def test_groups_cannot_be_made(as_adam):
    as_adam.post(add_url(Group), {"name": "Editors"})
    assert not Group.objects.exists()


def test_a_regular_job_cannot_be_added_or_made_to_run_something_else(as_adam):
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.MINUTES)
    new_job = {
        "name": "Purge now",
        "regtask": "schools.purge_closed_cases",
        "task": "",
        "enabled": "on",
        "interval": every_minute.pk,
        "args": "[]",
        "kwargs": "{}",
        "priority": "",
        "headers": "{}",
    }
    as_adam.post(add_url(PeriodicTask), new_job)
    assert not PeriodicTask.objects.filter(name="Purge now").exists()

    job = PeriodicTask.objects.get(task="support.send_reminders")
    changed = {**posted(job), "task": "schools.purge_closed_cases", "kwargs": '{"dry_run": false}', "enabled": ""}
    assert as_adam.post(change_url(job), changed).status_code == 302
    job.refresh_from_db()
    assert (job.task, job.kwargs, job.enabled) == ("support.send_reminders", "{}", False)
    assert as_adam.post(delete_url(job), {"post": "yes"}).status_code == 403


def _half_terms(*spans) -> dict:
    data = {"start_year": 2030, "half_terms-TOTAL_FORMS": len(spans), "half_terms-INITIAL_FORMS": 0}
    for n, (starts, ends) in enumerate(spans):
        data |= {
            f"half_terms-{n}-number": n + 1,
            f"half_terms-{n}-name": f"Half-term {n + 1}",
            f"half_terms-{n}-starts": starts,
            f"half_terms-{n}-ends": ends,
        }
    return data


def test_half_terms_that_do_not_fit_together_are_refused(as_adam):
    overlapping = [
        ("2030-09-02", "2030-10-25"),
        ("2030-10-01", "2030-12-20"),  # starts before autumn 1 ends
        ("2031-01-06", "2031-02-14"),
        ("2031-02-24", "2031-04-04"),
        ("2031-04-22", "2031-05-23"),
        ("2031-06-02", "2031-07-22"),
    ]
    response = as_adam.post(add_url(AcademicYear), _half_terms(*overlapping))
    assert response.status_code == 200
    assert "Half-term 2 must start after Half-term 1 ends" in response.content.decode()
    assert not AcademicYear.objects.filter(start_year=2030).exists()


def test_half_terms_are_saved_through_the_service(as_adam):
    terms = [
        ("2030-09-02", "2030-10-25"),
        ("2030-11-04", "2030-12-20"),
        ("2031-01-06", "2031-02-14"),
        ("2031-02-24", "2031-04-04"),
        ("2031-04-22", "2031-05-23"),
        ("2031-06-02", "2031-07-22"),
    ]
    response = as_adam.post(add_url(AcademicYear), _half_terms(*terms))
    assert response.status_code == 302, response.content.decode()[:3000]
    year = AcademicYear.objects.get(start_year=2030)
    assert [h.starts for h in year.half_terms.all()] == [date.fromisoformat(s) for s, _ in terms]


def test_staff_given_a_model_permission_still_cannot_write_a_read_only_record(client, olivia, ashfield):
    olivia.is_staff = True
    olivia.save()
    olivia.user_permissions.set(Permission.objects.filter(codename="change_inspection"))
    client.force_login(olivia)
    inspection = InspectionFactory(school=ashfield, overall_effectiveness=2)
    client.post(change_url(inspection), posted(inspection, overall_effectiveness=4))
    inspection.refresh_from_db()
    assert inspection.overall_effectiveness == 2
