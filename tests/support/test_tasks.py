"""The daily reminders as a Celery task: inline on a bare machine, on a real worker with Redis."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from support.models import ReminderSent
from support.tasks import send_reminders
from tests.conftest import uses_real_worker, worker_mail
from tests.factories import ActionFactory, PriorityFactory


def sent_subjects() -> list[str]:
    return worker_mail() if uses_real_worker() else [m.subject for m in mail.outbox]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_running_the_reminder_task_twice_sends_each_reminder_once(ashfield, alice, hannah):
    before = len(sent_subjects())
    ActionFactory(
        priority=PriorityFactory(plan__school=ashfield, plan__academic_year=2026),
        description="Train staff in phonics",
        deadline=timezone.localdate() - timedelta(days=2),
    )
    assert send_reminders.delay().get(timeout=60) >= 2
    first = sent_subjects()[before:]
    assert first.count("Overdue action at Ashfield Primary School") == 2  # the partner and the head
    assert send_reminders.delay().get(timeout=60) == 0
    assert sent_subjects()[before:] == first
    assert ReminderSent.objects.count() == len(first)


@pytest.mark.django_db
def test_the_reminders_run_every_morning():
    task = PeriodicTask.objects.get(task="support.send_reminders")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("7", "0")
