"""The built-in data the data migrations load (the built-in frameworks, the schedules, the letter
templates), for databases made from the models without running the migrations: the test database
(``--no-migrations``, and emptied after each transactional test) and the fault tests' cluster."""

from __future__ import annotations

import importlib

# The authority every test works in unless it says otherwise (``tests.conftest``): its remit is
# every LA code, of every school the factories make (maintained schools and academies).
DEFAULT_AUTHORITY = 1


def ensure_builtin_data() -> None:
    """Put back what the data migrations load (the built-in frameworks, the schedules, the letter
    templates): the test database is made from the models without running the migrations
    (``--no-migrations``), and a test with a transactional database empties every table when it ends."""
    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    from accounts.authorities import working_in
    from boards.models import LetterTemplate
    from categorisation.models import Framework

    _default_authority()
    with working_in(DEFAULT_AUTHORITY):
        if not Framework.objects.exists():
            importlib.import_module("categorisation.migrations.0002_builtin_frameworks").create(apps, None)
            importlib.import_module("categorisation.migrations.0010_frameworks_as_written").create(apps, None)
            importlib.import_module("categorisation.migrations.0012_tiered_evidence_the_seeds_name").create(apps, None)
            importlib.import_module("categorisation.migrations.0014_oxfordshire_framework").create(apps, None)
        if not LetterTemplate.objects.exists():
            importlib.import_module("boards.migrations.0002_letter_templates").create(apps, None)
            # Their Welsh wording, for an authority in Wales only (the default authority is in England).
            importlib.import_module("boards.migrations.0008_welsh_letter_templates").create(apps, None)
            importlib.import_module("boards.migrations.0011_letter_deadlines").create(apps, None)
    if not PeriodicTask.objects.filter(task="categorisation.recategorise_all_schools").exists():
        importlib.import_module("categorisation.migrations.0003_nightly_schedule").create(apps, None)
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


def _default_authority() -> None:
    """The authority the accounts migration makes, which owns what the other data migrations load."""
    from django.core.management.color import no_style
    from django.db import connection

    from accounts.models import Authority

    if Authority.objects.filter(pk=DEFAULT_AUTHORITY).exists():
        return
    Authority.objects.create(
        pk=DEFAULT_AUTHORITY, name="Default authority", la_codes=list(range(100, 1000)), academies=True
    )
    # Made with its key: the next authority made takes the next one.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Authority]):
            cursor.execute(statement)


# The built-in data as it stood when the test database was made (``keep``): a transactional test
# empties every table when it ends, and writing it back row by row, through the services and their
# history, took 0.3 s after each browser test. It is put back as it was, a table at a time.
_KEPT: list[tuple[type, list[dict]]] = []


def keep() -> None:
    """Note every row of the built-in data, which must be all the database holds (but the content
    types and permissions, which a flush keeps)."""
    from django.apps import apps

    _KEPT.clear()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in ("django_content_type", "auth_permission"):
            continue
        rows = list(model._base_manager.using("default").values(*[f.attname for f in meta.concrete_fields]))
        if rows:
            _KEPT.append((model, rows))


def put_back() -> None:
    """The built-in data as ``keep`` noted it, when the tables are empty again (else as
    ``ensure_builtin_data`` writes it). Foreign keys are checked at the commit, so the order of the
    tables does not matter; the keys are those noted, and each table's next key is past them."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from accounts.models import Authority

    if not _KEPT or Authority.objects.exists():
        ensure_builtin_data()
        return
    with transaction.atomic():
        for model, rows in _KEPT:
            model._base_manager.bulk_create([model(**row) for row in rows])
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [model for model, _ in _KEPT]):
                cursor.execute(statement)
