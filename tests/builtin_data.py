"""The built-in data the data migrations load (the built-in frameworks, the schedules, the letter
templates), for databases made from the models without running the migrations: the test database
(``--no-migrations``, and emptied after each transactional test) and the fault tests' cluster."""

from __future__ import annotations

import importlib


def ensure_builtin_data() -> None:
    """Put back what the data migrations load (the built-in frameworks, the schedules, the letter
    templates): the test database is made from the models without running the migrations
    (``--no-migrations``), and a test with a transactional database empties every table when it ends."""
    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    from boards.models import LetterTemplate
    from categorisation.models import Framework

    if not Framework.objects.exists():
        for name in ("0002_builtin_frameworks", "0003_nightly_schedule"):
            importlib.import_module(f"categorisation.migrations.{name}").create(apps, None)
    if not PeriodicTask.objects.filter(task="support.send_reminders").exists():
        importlib.import_module("support.migrations.0002_daily_reminders").create(apps, None)
    if not PeriodicTask.objects.filter(task="reporting.monthly_report_if_due").exists():
        importlib.import_module("reporting.migrations.0002_monthly_schedule").create(apps, None)
    if not PeriodicTask.objects.filter(task="reporting.refresh_dashboard").exists():
        importlib.import_module("reporting.migrations.0004_dashboard_refresh_schedule").create(apps, None)
    if not PeriodicTask.objects.filter(task="operations.send_pending_jobs").exists():
        importlib.import_module("operations.migrations.0002_outbox_sweep_schedule").create(apps, None)
    if not PeriodicTask.objects.filter(task="schools.purge_closed_cases").exists():
        importlib.import_module("schools.migrations.0004_retention_purge_schedule").create(apps, None)
    if not LetterTemplate.objects.exists():
        importlib.import_module("boards.migrations.0002_letter_templates").create(apps, None)
