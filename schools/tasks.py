"""Background work for the schools domain. Tasks take ids and call one service."""

from celery import shared_task

from schools import imports
from schools.models import ImportRun


@shared_task(name="schools.import_file")
def import_file(run_id: int) -> str:
    """Run a queued import. Safe to deliver twice: a finished run is left as it is."""
    run = ImportRun.objects.get(pk=run_id)
    imports.run_import(run=run)
    return run.status


@shared_task(name="schools.purge_closed_cases")
def purge_closed_cases() -> dict:
    """Run monthly: delete the case records of schools past their retention period. Safe to repeat."""
    # Imported here: schools.services imports this module to queue imports.
    from schools import services

    purge = services.purge_closed_cases()
    return {
        "cutoff": purge.cutoff.isoformat(),
        "schools": purge.schools,
        "deleted": purge.total,
        "history_rows": purge.history_rows,
    }
