"""Imports run as Celery tasks: inline on a bare machine, on a real worker when Redis is configured."""

import time

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import Role
from schoolimprovement.celery import app as celery_app
from schools.models import ImportRun, School
from schools.tasks import import_file
from tests.conftest import DATA, uses_real_worker
from tests.factories import UserFactory

GIAS = DATA / "gias" / "gias_establishments_sample_2021_npq-registration.csv"


def wait_until_finished(run_id: int, seconds: float = 60) -> ImportRun:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = ImportRun.objects.get(pk=run_id)
        if run.is_finished:
            return run
        time.sleep(0.2)
    pytest.fail(f"Import run {run_id} did not finish within {seconds} s (status {run.status})")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_uploaded_file_is_imported_in_the_background_and_the_page_shows_it(client):
    # With Redis configured the task must really go to the worker, not run inline.
    assert celery_app.conf.task_always_eager is (not uses_real_worker())
    officer = UserFactory(role=Role.LA_OFFICER)
    client.force_login(officer)
    with GIAS.open("rb") as handle:
        response = client.post(reverse("schools:imports"), {"kind": "gias_establishments", "file": handle})
    assert response.status_code == 302
    run = wait_until_finished(ImportRun.objects.get().pk)
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert (run.created, run.updated, run.rows_read) == (99, 0, 99)
    assert School.objects.count() == 99
    page = client.get(response["Location"]).content.decode()
    assert "Import complete" in page
    assert 'http-equiv="refresh"' not in page


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_delivered_twice_imports_once():
    run = ImportRun.objects.create(kind="gias_establishments", file_name=GIAS.name, sha256="x")
    run.file.save(GIAS.name, ContentFile(GIAS.read_bytes()), save=True)
    import_file.delay(run.pk)
    import_file.delay(run.pk)
    wait_until_finished(run.pk)
    time.sleep(1)  # let a second delivery run if it were going to
    run.refresh_from_db()
    assert (run.status, run.created) == (ImportRun.Status.SUCCEEDED, 99)
    assert School.objects.count() == 99
