"""Headteacher recruitment (seed 000): the authority supports the school's recruitment stage by
stage; the appointment notes the new head, whose first half-term's visit then falls due."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from support import selectors, services
from support.models import HeadteacherRecruitment, NewHeadteacher

pytestmark = pytest.mark.django_db


def test_seed_000_support_for_headteacher_recruitment_notes_the_appointed_head(client, olivia, ashfield):
    client.force_login(olivia)
    url = reverse("support:recruitment", args=[ashfield.urn])
    started = {"started_on_0": "7", "started_on_1": "9", "started_on_2": "2026", "adviser": olivia.pk}
    client.post(url, started | {"stage": "shortlisting", "notes": "Advert closed, twelve applicants"})
    recruitment = HeadteacherRecruitment.objects.get(school=ashfield)
    assert (recruitment.stage, recruitment.adviser) == ("shortlisting", olivia)
    assert not NewHeadteacher.objects.exists()

    refused = client.post(url, started | {"stage": "appointed"})
    assert "Enter the appointed headteacher&#x27;s name" in refused.content.decode()
    appointed = started | {
        "stage": "appointed",
        "appointed_name": "Mr Sam Okafor",
        "appointed_starts_on_0": "4",
        "appointed_starts_on_1": "1",
        "appointed_starts_on_2": "2027",
    }
    client.post(url, appointed)
    recruitment.refresh_from_db()
    head = NewHeadteacher.objects.get(school=ashfield)
    assert (recruitment.new_head, head.name, head.starts_on) == (head, "Mr Sam Okafor", date(2027, 1, 4))
    assert selectors.new_head_visit_due_by(head) == date(2027, 2, 12)  # the end of spring 1

    page = client.get(reverse("support:support", args=[ashfield.urn])).content.decode()
    assert "Mr Sam Okafor appointed, starting 4 January 2027" in page
    assert "Support a headteacher recruitment" in page  # the next one starts afresh


def test_seed_000_only_officers_record_recruitment(alice, ashfield):
    with pytest.raises(PermissionDenied):
        services.save_recruitment(school=ashfield, by=alice, started_on=date(2026, 9, 7), stage="advert")


def test_seed_000_an_appointment_without_a_start_date_is_refused(olivia, ashfield):
    with pytest.raises(ValidationError) as refused:
        services.save_recruitment(
            school=ashfield, by=olivia, started_on=date(2026, 9, 7), stage="appointed", appointed_name="Ms Lee"
        )
    assert "appointed_starts_on" in refused.value.message_dict
