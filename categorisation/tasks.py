"""Background work for categorisation. Tasks take ids and call one service; each is safe to run
twice (a chunk run again after it committed finds every result unchanged and writes nothing). Each
works in one authority: queued by the nightly schedule, a run is queued again for each.

A run of more than one chunk fans out over the workers as a chord: one task per chunk of schools
(``assess_recategorisation_chunk``), then ``finish_recategorisation`` when all are done. Without a
broker (tasks inline) the chunks run one after another in the same process."""

from datetime import date

from celery import chord, shared_task
from django.utils import timezone

from accounts.authorities import fan_out, spans_authorities, task_in
from accounts.models import User
from categorisation import services
from operations import health


@shared_task(name="categorisation.recategorise_all_schools", carries_authority=True)
def recategorise_all_schools(
    trigger: str = "nightly",
    started_by_id: int | None = None,
    import_run_id: int | None = None,
    authority_id: int | None = None,
    only_changed: bool | None = None,
    schools_per_chunk: int | None = None,
) -> dict:
    """A run over the authority's remit: the nightly one assesses only the schools whose facts
    changed or whose result could change today; any other (an officer's, a new framework version's)
    every school, unless ``only_changed`` says otherwise."""
    if only_changed is None:
        only_changed = trigger == "nightly"
    if spans_authorities(authority_id):
        return fan_out(
            recategorise_all_schools, trigger=trigger, import_run_id=import_run_id, only_changed=only_changed
        )
    with task_in(authority_id):
        started_by = User.objects.filter(pk=started_by_id).first() if started_by_id else None
        if health.tasks_run_inline():
            run = services.recategorise(
                trigger=trigger,
                started_by=started_by,
                import_run_id=import_run_id,
                only_changed=only_changed,
                schools_per_chunk=schools_per_chunk,
            )
            return {"run": run.pk, "assessed": run.assessed, "unchanged": run.unchanged}
        as_of = timezone.localdate()
        run, chunks = services.start_run(
            trigger=trigger,
            started_by=started_by,
            import_run_id=import_run_id,
            as_of=as_of,
            only_changed=only_changed,
            schools_per_chunk=schools_per_chunk,
        )
        if len(chunks) <= 1:  # nothing to share out
            run = services.assess_in_turn(run, chunks, as_of)
            return {"run": run.pk, "assessed": run.assessed, "unchanged": run.unchanged}
    day = as_of.isoformat()
    finish = finish_recategorisation.si(run.pk, authority_id=authority_id).on_error(
        fail_recategorisation.si(run.pk, authority_id=authority_id)
    )
    done = chord(assess_recategorisation_chunk.si(run.pk, chunk, day, authority_id=authority_id) for chunk in chunks)(
        finish
    )
    return {"run": run.pk, "chunks": len(chunks), "finished_by": done.id}


@shared_task(name="categorisation.assess_recategorisation_chunk", carries_authority=True)
def assess_recategorisation_chunk(run_id: int, school_ids: list[int], as_of: str, authority_id: int | None = None):
    with task_in(authority_id):
        return services.assess_chunk(run_id, school_ids, date.fromisoformat(as_of))


@shared_task(name="categorisation.finish_recategorisation", carries_authority=True)
def finish_recategorisation(run_id: int, authority_id: int | None = None) -> dict:
    with task_in(authority_id):
        run = services.finish_run(run_id)
        return {"run": run.pk, "assessed": run.assessed, "unchanged": run.unchanged}


@shared_task(name="categorisation.fail_recategorisation", carries_authority=True)
def fail_recategorisation(run_id: int, authority_id: int | None = None) -> None:
    with task_in(authority_id):
        services.fail_run(run_id)


@shared_task(name="categorisation.recategorise_school", carries_authority=True)
def recategorise_school(school_id: int, trigger: str = "school", authority_id: int | None = None) -> dict:
    with task_in(authority_id):
        run = services.recategorise(trigger=trigger, school_ids=[school_id])
        return {"run": run.pk, "assessed": run.assessed, "unchanged": run.unchanged}
