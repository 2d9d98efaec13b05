"""Background work for categorisation. Tasks take ids and call one service; both are safe to
run twice (a run with nothing changed writes no assessment)."""

from celery import shared_task

from accounts.models import User
from categorisation import services


@shared_task(name="categorisation.recategorise_all_schools")
def recategorise_all_schools(
    trigger: str = "nightly", started_by_id: int | None = None, import_run_id: int | None = None
) -> dict:
    started_by = User.objects.filter(pk=started_by_id).first() if started_by_id else None
    run = services.recategorise(trigger=trigger, started_by=started_by, import_run_id=import_run_id)
    return {"run": run.pk, "assessed": run.assessed, "unchanged": run.unchanged}


@shared_task(name="categorisation.recategorise_school")
def recategorise_school(school_id: int, trigger: str = "school") -> dict:
    run = services.recategorise(trigger=trigger, school_ids=[school_id])
    return {"run": run.pk, "assessed": run.assessed, "unchanged": run.unchanged}
