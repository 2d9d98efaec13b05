"""Background work for categorisation. Tasks take ids and call one service; both are safe to
run twice (a run with nothing changed writes no assessment). Each works in one authority: queued
by the nightly schedule, it is queued again for each."""

from celery import shared_task

from accounts.authorities import fan_out, spans_authorities, task_in
from accounts.models import User
from categorisation import services


@shared_task(name="categorisation.recategorise_all_schools", carries_authority=True)
def recategorise_all_schools(
    trigger: str = "nightly",
    started_by_id: int | None = None,
    import_run_id: int | None = None,
    authority_id: int | None = None,
) -> dict:
    if spans_authorities(authority_id):
        return fan_out(recategorise_all_schools, trigger=trigger, import_run_id=import_run_id)
    with task_in(authority_id):
        started_by = User.objects.filter(pk=started_by_id).first() if started_by_id else None
        run = services.recategorise(trigger=trigger, started_by=started_by, import_run_id=import_run_id)
        return {"run": run.pk, "assessed": run.assessed, "unchanged": run.unchanged}


@shared_task(name="categorisation.recategorise_school", carries_authority=True)
def recategorise_school(school_id: int, trigger: str = "school", authority_id: int | None = None) -> dict:
    with task_in(authority_id):
        run = services.recategorise(trigger=trigger, school_ids=[school_id])
        return {"run": run.pk, "assessed": run.assessed, "unchanged": run.unchanged}
