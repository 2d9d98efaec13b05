"""Writes for categorisation: running the engine, agreeing and overriding categories, and
managing framework versions. Each runs in one transaction and enqueues follow-up work on commit.
"""

from __future__ import annotations

import gc
import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.access import require
from accounts.audit import acting, attributed
from accounts.audit import bulk as audit
from accounts.authorities import across_authorities, copy_as_shipped, fan_out, working_in
from accounts.models import Authority, User
from accounts.policy import ADMIN, BOARD_READERS, OFFICER, OFFICERS, PARTNER, roles
from categorisation import rules, selectors, windows
from categorisation.models import (
    AssessmentSchedule,
    CapacityJudgement,
    Category,
    CategoryDecision,
    Framework,
    FrameworkVersion,
    InspectionPolicySetting,
    MappingRule,
    MeetingCadence,
    RecategorisationRun,
    RiskAssessment,
    SchoolCategory,
    StandardsGroup,
    TriggerDefinition,
)
from core.concurrency import claim, when
from operations import jobs
from operations.jobs import Enqueued
from schools.models import School
from schools.upsert import chunks as in_chunks

logger = logging.getLogger(__name__)

CATEGORIES_REFUSED = "Only LA officers can change a school's category."
BOARD_CATEGORY_REFUSED = "Only the board's decision, recorded at one of its meetings, agrees a category this way."
FRAMEWORKS_REFUSED = "Only administrators can change frameworks."


# Running the engine --------------------------------------------------------------------------


def recategorise(
    *,
    trigger: str,
    school_ids: list[int] | None = None,
    started_by: User | None = None,
    import_run_id: int | None = None,
    as_of: date | None = None,
    only_changed: bool = False,
    schools_per_chunk: int | None = None,
) -> RecategorisationRun:
    """Assess every school in the remit (or the given ones; or, ``only_changed``, those whose facts
    changed or whose result could change today: ``selectors.schools_to_assess``) under the active
    framework version, in this process, chunk by chunk (``assess_chunk``), and finish the run.

    A new assessment is written only where the result — the fired triggers with their evidence
    and the proposed category — differs from the school's latest assessment under this version,
    so running twice in a row writes nothing the second time. Where the proposal differs from
    the agreed category, it waits in the queue for an officer. The history of what the run writes
    names the run and the person who started it. The Celery task runs the same chunks in parallel
    (``categorisation.tasks``).
    """
    as_of = as_of or timezone.localdate()
    run, chunks = start_run(
        trigger=trigger,
        school_ids=school_ids,
        started_by=started_by,
        import_run_id=import_run_id,
        as_of=as_of,
        only_changed=only_changed,
        schools_per_chunk=schools_per_chunk,
    )
    return assess_in_turn(run, chunks, as_of)


def assess_in_turn(run: RecategorisationRun, chunks: list[list[int]], as_of: date) -> RecategorisationRun:
    """Assess the run's chunks one after another in this process, then finish it (or mark it failed)."""
    try:
        for chunk in chunks:
            assess_chunk(run.pk, chunk, as_of)
    except BaseException:
        logger.exception("A chunk of recategorisation run %s failed", run.pk)
        fail_run(run.pk)
        raise
    return finish_run(run.pk)


def start_run(
    *,
    trigger: str,
    school_ids: list[int] | None = None,
    started_by: User | None = None,
    import_run_id: int | None = None,
    as_of: date,
    only_changed: bool = False,
    schools_per_chunk: int | None = None,
) -> tuple[RecategorisationRun, list[list[int]]]:
    """Record a run under the active version and split the schools it assesses into chunks."""
    version = selectors.active_version()
    ids = selectors.schools_to_assess(version, school_ids=school_ids, only_changed=only_changed, as_of=as_of)
    scope = RecategorisationRun.Scope
    run = RecategorisationRun.objects.create(
        version=version,
        scope=scope.NAMED if school_ids is not None else scope.CHANGED if only_changed else scope.EVERY,
        trigger=trigger,
        started_by=started_by,
        import_run_id=import_run_id,
        school_id=school_ids[0] if school_ids and len(school_ids) == 1 else None,
        schools=len(ids),
    )
    return run, list(in_chunks(ids, schools_per_chunk or selectors.schools_per_chunk()))


def assess_chunk(run_id: int, school_ids: list[int], as_of: date) -> int:
    """Assess these schools for the run, in one transaction: their new assessments, their standings
    pointed at them and when each is next due. A chunk killed part-way leaves nothing; a chunk run
    again after it committed finds every result unchanged and writes nothing (the standings already
    point at its assessments). Returns how many assessments it wrote."""
    run = RecategorisationRun.objects.select_related("version__framework", "started_by").get(pk=run_id)
    spec = selectors.spec_for(run.version)
    read_at = timezone.now()
    with _collector_paused():
        with transaction.atomic(), acting(run.started_by, reason=job_name(run)):
            # A run of every school takes them in id order: a chunk is every school of the remit
            # from its first to its last, read by that range.
            every = run.scope == RecategorisationRun.Scope.EVERY
            facts = selectors.load_facts(spec, school_ids=school_ids, as_of=as_of, contiguous=every)
            written = _write_assessments(run.version, spec, facts, run, as_of, read_at, school_ids, every)
        # Freed now, while the collector is paused: once it resumes, it would walk every one of
        # these objects before they went.
        del facts
    return written


def finish_run(run_id: int) -> RecategorisationRun:
    """Mark the run succeeded, with what it wrote and how many proposals now wait."""
    run = RecategorisationRun.objects.select_related("version__framework").get(pk=run_id)
    written = RiskAssessment.objects.filter(run=run).count()
    run.assessed, run.unchanged = written, max(run.schools - written, 0)
    run.proposals_pending = SchoolCategory.objects.filter(framework=run.version.framework, pending=True).count()
    run.status = RecategorisationRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    run.message = f"{run.schools} schools assessed: {written} new assessments, {run.unchanged} unchanged."
    run.save()
    return run


def fail_run(run_id: int) -> None:
    """Mark a run failed: its chunks that finished stand (each is whole); the rest are assessed by
    the next run, their schedule not having moved."""
    logger.error("Recategorisation run %s failed", run_id)
    RecategorisationRun.objects.filter(pk=run_id).update(
        status=RecategorisationRun.Status.FAILED, finished_at=timezone.now(), message="The run failed."
    )


def job_name(run: RecategorisationRun) -> str:
    """How the history rows a run writes name it."""
    if run.trigger == RecategorisationRun.Trigger.NIGHTLY:
        return f"Nightly recategorisation run {run.pk}"
    if run.import_run_id:
        return f"Recategorisation run {run.pk} after import {run.import_run_id}"
    return f"Recategorisation run {run.pk}: {run.get_trigger_display().lower()}"


@contextmanager
def _collector_paused():
    """A chunk builds many small objects that all live until it ends: the cyclic garbage
    collector would only walk them again and again (about a fifth of the run for England)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _chunk_filter(school_ids: list[int], contiguous: bool) -> dict:
    """The chunk's schools as a filter: by their range where they are every school in it (a run of
    every school), else by their ids. A run's chunks are slices of its schools in id order, so
    their ranges never overlap: the run's own rows of a chunk are always found by its range."""
    if contiguous:
        return {"school_id__gte": school_ids[0], "school_id__lte": school_ids[-1]}
    return {"school_id__in": school_ids}


def _write_assessments(version, spec, facts, run, as_of, read_at, school_ids, contiguous) -> int:
    framework = version.framework
    categories = {c.code: c.pk for c in version.categories.all()}
    school_ids = sorted(school_ids)
    # Only the latest result's version and hash are needed to know whether anything changed.
    latest = {
        school_id: (version_id, result_hash)
        for school_id, version_id, result_hash in SchoolCategory.objects.filter(
            framework=framework, **_chunk_filter(school_ids, contiguous)
        ).values_list("school_id", "assessment__version_id", "assessment__result_hash")
    }
    now = timezone.now()
    rows, due = [], []
    for school_id, school_facts in facts.items():
        proposal = rules.evaluate(school_facts, spec, as_of)
        due.append((school_id, rules.next_change(school_facts, spec, as_of)))
        if latest.get(school_id) == (version.pk, proposal.result_hash):
            continue
        rows.append(
            (
                school_id,
                version.pk,
                categories[proposal.category],
                proposal.fired_json,
                proposal.explanation,
                proposal.basis,
                proposal.result_hash,
                run.pk,
                now,
            )
        )
    _insert_assessments(rows)
    if rows:
        last_standing = SchoolCategory.objects.aggregate(n=Max("pk"))["n"] or 0
        _point_standings_at(run, framework, now, school_ids[0], school_ids[-1])
        # The standings the run pointed at its new assessments: new ones have the higher ids.
        moved = SchoolCategory.objects.filter(
            framework=framework, assessment__run=run, **_chunk_filter(school_ids, contiguous=True)
        )
        audit.record(moved.filter(pk__gt=last_standing), audit.CREATED)
        audit.record(moved.filter(pk__lte=last_standing), audit.CHANGED)
    _schedule(version, due, read_at, _chunk_filter(school_ids, contiguous))
    return len(rows)


def _schedule(version: FrameworkVersion, due: list[tuple[int, date]], read_at, chunk: dict) -> None:
    """Record when each school assessed is next due (``AssessmentSchedule``): only where that
    moved, the version is new or the facts changed since the last assessment, so that a run that
    finds nothing new writes nothing here either."""
    held = {
        school_id: (version_id, due_on, changed_at is not None and changed_at > assessed_at)
        for school_id, version_id, due_on, changed_at, assessed_at in AssessmentSchedule.objects.filter(
            framework_id=version.framework_id, **chunk
        ).values_list("school_id", "version_id", "due_on", "changed_at", "assessed_at")
    }
    new, moved = [], []
    for school_id, day in due:
        found = held.get(school_id)
        if found is None:
            new.append((school_id, version.framework_id, version.pk, read_at, day))
        elif found != (version.pk, day, False):
            moved.append(
                AssessmentSchedule(
                    school_id=school_id,
                    framework_id=version.framework_id,
                    version=version,
                    assessed_at=read_at,
                    due_on=day,
                )
            )
    _copy_in(AssessmentSchedule, ("school_id", "framework_id", "version_id", "assessed_at", "due_on"), new)
    AssessmentSchedule.objects.bulk_create(
        moved,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["framework", "school"],
        update_fields=["version", "assessed_at", "due_on"],
    )


def _copy_in(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Write new rows into ``model``'s table: streamed with COPY on PostgreSQL, in batches elsewhere."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=1000)


_ASSESSMENT_COLUMNS = (
    "school_id",
    "version_id",
    "proposed_id",
    "fired",
    "explanation",
    "basis",
    "result_hash",
    "run_id",
    "assessed_at",
)


def _insert_assessments(rows: list[tuple]) -> None:
    """Write new assessments: streamed with COPY on PostgreSQL, in batches elsewhere (where the
    fired triggers' JSON text is decoded for the ORM)."""
    if connection.vendor != "postgresql":
        rows = [(*row[:3], json.loads(row[3]), *row[4:]) for row in rows]
    _copy_in(RiskAssessment, _ASSESSMENT_COLUMNS, rows)


def _point_standings_at(run: RecategorisationRun, framework: Framework, now, first: int, last: int) -> None:
    """Point the standing of each school from ``first`` to ``last`` (a chunk) that the run assessed
    anew at its new assessment, in one statement: the proposal waits for agreement unless it names
    the category already agreed."""
    standing = SchoolCategory._meta.db_table
    assessment = RiskAssessment._meta.db_table
    category = Category._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {standing} (school_id, framework_id, assessment_id, proposed_id, pending, updated_at)
            SELECT a.school_id, %s, a.id, a.proposed_id, %s, %s FROM {assessment} a
            WHERE a.run_id = %s AND a.school_id BETWEEN %s AND %s
            ON CONFLICT (school_id, framework_id) DO UPDATE SET
                assessment_id = excluded.assessment_id,
                proposed_id = excluded.proposed_id,
                pending = COALESCE(
                    (SELECT c.code FROM {category} c WHERE c.id = {standing}.category_id), ''
                ) <> (SELECT p.code FROM {category} p WHERE p.id = excluded.proposed_id),
                updated_at = excluded.updated_at,
                version = {standing}.version + 1,
                changed_by_id = NULL,
                changed_at = excluded.updated_at
            """,
            [framework.pk, True, now, run.pk, first, last],
        )


def mark_facts_changed(school_ids: list[int]) -> None:
    """The facts of these schools changed: every authority's next run assesses them again."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        # One statement with the ids as one array: a list of thousands of parameters costs
        # PostgreSQL more to parse and plan than the update (0.03 against 0.29 s for 22,000
        # schools after a first import of the register).
        table = connection.ops.quote_name(AssessmentSchedule._meta.db_table)
        school = connection.ops.quote_name(AssessmentSchedule._meta.get_field("school").column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET changed_at = %s WHERE {school} = ANY(%s)",  # quoted names only
                [now, list(school_ids)],
            )
        return
    with across_authorities():
        for chunk in in_chunks(school_ids, selectors.CHUNK):
            AssessmentSchedule.objects.filter(school_id__in=chunk).update(changed_at=now)


def recategorise_changed(sender, *, trigger: str, import_run=None, school_ids=None, **kwargs) -> None:
    """``schools.signals.facts_changed``: once the change has committed, mark the schools whose
    facts changed (every authority's next run assesses them) and queue a run: after an import, in
    every authority, of the schools marked (or of every school, when the import cannot tell which
    changed); otherwise of the schools named, when a framework is active."""
    if school_ids:
        changed = list(school_ids)
        transaction.on_commit(lambda: mark_facts_changed(changed))
    if import_run is not None:
        # The shared register changed: each authority reassesses its remit.
        enqueue_recategorisation(
            trigger=trigger,
            every_authority=True,
            import_run_id=import_run.pk,
            started_by_id=import_run.started_by_id,
            only_changed=school_ids is not None,
        )
    elif Framework.objects.filter(is_active=True).exists():
        enqueue_recategorisation(trigger=trigger, school_ids=school_ids)


# The built-in frameworks as shipped, which the migration loaded for the first authority.
_BUILTIN = (
    "categorisation.migrations.0002_builtin_frameworks",
    "categorisation.migrations.0010_frameworks_as_written",
    "categorisation.migrations.0012_tiered_evidence_the_seeds_name",
    "categorisation.migrations.0014_oxfordshire_framework",
)


def give_builtin_frameworks(sender, instance: Authority, created: bool, raw: bool = False, **kwargs) -> None:
    """A new authority gets its own copy of each built-in framework (tiered support, Warwickshire,
    Wales), to use as shipped or change: a Welsh authority starts on the Welsh framework, an
    English one on tiered support. Its administrator may switch (``set_active_framework``)."""
    if not created or raw:
        return
    for migration in _BUILTIN:
        copy_as_shipped(migration, instance)
    with working_in(instance):
        welsh = instance.nation == Authority.Nation.WALES
        Framework.objects.update(is_active=False)
        Framework.objects.filter(code="wales" if welsh else "tiered").update(is_active=True)


def enqueue_recategorisation(
    *, trigger: str, school_ids: list[int] | None = None, every_authority: bool = False, **kwargs
) -> Enqueued:
    """Queue a run once the current transaction commits (a task never sees uncommitted rows), in
    the current authority or, with ``every_authority``, one in each; the answer says whether it
    reached the broker or waits for it in the outbox (``operations.jobs``)."""
    # Imported here: categorisation.tasks imports this module to run the engine.
    from categorisation import tasks

    if every_authority:
        transaction.on_commit(lambda: fan_out(tasks.recategorise_all_schools, trigger=trigger, **kwargs))
        return Enqueued(tasks.recategorise_all_schools.name)
    if school_ids and len(school_ids) == 1:
        return jobs.enqueue_on_commit(tasks.recategorise_school, school_ids[0], trigger)
    if school_ids:  # marked changed (``recategorise_changed``): the run finds them
        kwargs["only_changed"] = True
    return jobs.enqueue_on_commit(tasks.recategorise_all_schools, trigger=trigger, **kwargs)


# Decisions --------------------------------------------------------------------------------------


DECISION_ADVICE = (
    "Your decision has not been saved: it is shown below so you can copy it; reload to see the current "
    "proposal and category."
)
RECATEGORISED = "a recategorisation run"


@attributed
def agree_category(
    *,
    school: School,
    by: User,
    category_code: str | None = None,
    rationale: str = "",
    seen_version: int | None = None,
    board_decision=None,
) -> CategoryDecision:
    """Agree the proposed category, or override it with a rationale (seed 003: every category has
    its evidence; every change its author and rationale). Refused with ``StaleEdit`` when a
    decision or a new proposal came since the officer opened the page at ``seen_version`` (0: the
    school had no standing then).

    Only officers change categories directly. The one other path is the advisory board's, "the
    decision-making body in respect of school categorisation" (seed 004): ``board_decision`` is the
    board's decision (``boards.Decision``, passed down by ``boards.services.decide``) recorded at a
    meeting by ``by``, a board member or officer; the category decision is of kind BOARD, decided by
    that member, and carries the board's rationale and meeting."""
    if board_decision is None:
        require(by, OFFICERS, CATEGORIES_REFUSED)
    else:
        require(by, BOARD_READERS, BOARD_CATEGORY_REFUSED)
        mine = board_decision.decided_by_id == by.pk and board_decision.school_id == school.pk
        if not mine or board_decision.meeting is None or not rationale.strip():
            raise PermissionDenied(BOARD_CATEGORY_REFUSED)
        held = board_decision.meeting.meets_on
        rationale = f"Agreed by the board at its meeting of {held:%-d %B %Y}: {rationale.strip()}"
    framework = selectors.active_framework()
    with transaction.atomic():
        standing, created = SchoolCategory.objects.select_for_update().get_or_create(school=school, framework=framework)
        # A page opened before the school had a standing saw version 0, which no standing has.
        seen = None if created else seen_version
        claim(standing, seen=seen, by=by, what="school's category", advice=DECISION_ADVICE, unattended=RECATEGORISED)
        proposed = standing.proposed if standing.assessment else None
        version = standing.assessment.version if standing.assessment else selectors.active_version(framework)
        if category_code:
            try:
                chosen = version.categories.get(code=category_code)
            except Category.DoesNotExist as exc:
                raise ValidationError({"category": "Select a category from the list"}) from exc
        elif proposed is not None:
            chosen = proposed
        else:
            raise ValidationError({"category": "Select a category: there is no proposal to agree"})
        overriding = proposed is None or chosen.pk != proposed.pk
        if overriding and not rationale.strip():
            raise ValidationError({"rationale": "Enter why you are overriding the proposed category"})
        decision = CategoryDecision.objects.create(
            school=school,
            framework=framework,
            version=version,
            assessment=standing.assessment,
            category=chosen,
            previous=standing.category,
            kind=CategoryDecision.Kind.BOARD
            if board_decision is not None
            else CategoryDecision.Kind.OVERRIDDEN
            if overriding
            else CategoryDecision.Kind.AGREED,
            rationale=rationale.strip(),
            decided_by=by,
        )
        standing.category, standing.decision, standing.pending = chosen, decision, False
        standing.save(update_fields=["category", "decision", "pending", "updated_at"])
    return decision


@dataclass(frozen=True)
class Agreement:
    """What agreeing a page of proposals did: how many it agreed, and the schools it left because
    their standing changed since the page was opened (each with who changed it and when)."""

    agreed: int
    changed: list[str] = field(default_factory=list)


@attributed
def agree_proposals(
    *, school_ids: list[int], by: User, seen_versions: dict[int, int | None] | None = None
) -> Agreement:
    """Agree the pending proposals of the given schools, as they stand. With ``seen_versions``
    (school id → the version its row showed on the page), a proposal decided or replaced since
    is left alone and reported, not agreed unseen."""
    require(by, OFFICERS, CATEGORIES_REFUSED)
    framework = selectors.active_framework()
    seen_versions = {pk: v for pk, v in (seen_versions or {}).items() if v is not None}
    with transaction.atomic():
        rows = list(
            SchoolCategory.objects.select_for_update(of=("self",))
            .filter(framework=framework, school_id__in=school_ids)
            .select_related("assessment", "school", "changed_by")
            .order_by("school__name", "pk")
        )
        changed = [s for s in rows if seen_versions.get(s.school_id, s.version) != s.version]
        moved = {s.pk for s in changed}
        pending = [s for s in rows if s.pk not in moved and s.pending and s.assessment_id is not None]
        decisions = audit.bulk_create(
            CategoryDecision,
            [
                CategoryDecision(
                    school_id=s.school_id,
                    framework=framework,
                    version_id=s.assessment.version_id,
                    assessment=s.assessment,
                    category_id=s.proposed_id,
                    previous_id=s.category_id,
                    kind=CategoryDecision.Kind.AGREED,
                    decided_by=by,
                )
                for s in pending
            ],
        )
        now = timezone.now()
        for standing, decision in zip(pending, decisions, strict=True):
            standing.category_id, standing.decision, standing.pending = standing.proposed_id, decision, False
            standing.version, standing.changed_by, standing.changed_at = standing.version + 1, by, now
        audit.bulk_update(
            SchoolCategory,
            pending,
            ["category", "decision", "pending", "updated_at", "version", "changed_by", "changed_at"],
        )
    return Agreement(agreed=len(pending), changed=[_changed_since(s) for s in changed])


def _changed_since(standing: SchoolCategory) -> str:
    at = when(standing.changed_at) if standing.changed_at else "an earlier time"
    return f"{standing.school.name} ({standing.changed_by or RECATEGORISED} at {at})"


# Frameworks -------------------------------------------------------------------------------------


@attributed
def set_active_framework(*, framework: Framework, by: User) -> Framework:
    """Make another framework the active one; the next run categorises under it (queued now)."""
    require(by, roles(ADMIN), FRAMEWORKS_REFUSED)
    with transaction.atomic():
        audit.update(Framework.objects.filter(is_active=True).exclude(pk=framework.pk), is_active=False)
        audit.update(Framework.objects.filter(pk=framework.pk), is_active=True)
        enqueue_recategorisation(trigger=RecategorisationRun.Trigger.FRAMEWORK, started_by_id=by.pk)
    framework.refresh_from_db()
    return framework


@attributed
def create_draft(*, version: FrameworkVersion, by: User) -> FrameworkVersion:
    """Copy a version, with its categories, triggers and mapping, into a new draft to change."""
    require(by, roles(ADMIN), FRAMEWORKS_REFUSED)
    framework = version.framework
    if framework.versions.filter(status=FrameworkVersion.Status.DRAFT).exists():
        raise ValidationError("This framework already has a draft. Adopt or discard it first.")
    with transaction.atomic():
        number = (framework.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = FrameworkVersion.objects.create(
            framework=framework,
            number=number,
            status=FrameworkVersion.Status.DRAFT,
            default_category=version.default_category,
            matrix=version.matrix,
            based_on=version,
            created_by=by,
            notes=f"Draft based on version {version.number}.",
        )
        for model in (Category, TriggerDefinition, MappingRule):
            copies = []
            for item in model.objects.filter(version=version):
                item.pk = None
                item.version = draft
                copies.append(item)
            audit.bulk_create(model, copies)
    return draft


def _must_be_draft(version: FrameworkVersion) -> None:
    if not version.is_draft:
        raise ValidationError("Only a draft can be changed. Copy the active version to a draft first.")


@attributed
def update_trigger(
    *, trigger: TriggerDefinition, by: User, severity: int, enabled: bool, params: dict
) -> TriggerDefinition:
    """Change a draft trigger's severity, whether it is used, and its parameters."""
    require(by, roles(ADMIN), FRAMEWORKS_REFUSED)
    _must_be_draft(trigger.version)
    known = rules.KINDS[trigger.kind].defaults
    unknown = set(params) - set(known) - set(trigger.params)
    if unknown:
        raise ValidationError(f"Unknown parameters: {', '.join(sorted(unknown))}")
    trigger.severity, trigger.enabled, trigger.params = severity, enabled, params
    trigger.full_clean()
    trigger.save()
    return trigger


@attributed
def update_rule(
    *,
    rule: MappingRule,
    by: User,
    category_code: str,
    all_of: list[str],
    any_of: list[str],
    min_any: int,
    min_severity: int | None,
    min_count: int,
    description: str,
) -> MappingRule:
    require(by, roles(ADMIN), FRAMEWORKS_REFUSED)
    _must_be_draft(rule.version)
    codes = set(rule.version.triggers.values_list("code", flat=True))
    unknown = [c for c in (*all_of, *any_of) if c not in codes]
    if unknown:
        raise ValidationError({"any_of": f"Unknown triggers: {', '.join(unknown)}"})
    if not rule.version.categories.filter(code=category_code).exists():
        raise ValidationError({"category_code": "Select a category of this version"})
    if not (all_of or any_of or min_severity is not None):
        raise ValidationError("A rule needs triggers or a minimum severity, or it would never match")
    rule.category_code, rule.all_of, rule.any_of = category_code, all_of, any_of
    rule.min_any, rule.min_severity, rule.min_count, rule.description = min_any, min_severity, min_count, description
    rule.save()
    return rule


@attributed
def update_matrix_cell(*, version: FrameworkVersion, by: User, cell: str, category_code: str) -> FrameworkVersion:
    require(by, roles(ADMIN), FRAMEWORKS_REFUSED)
    _must_be_draft(version)
    if cell not in version.matrix.get("cells", {}):
        raise ValidationError("No such cell in the matrix")
    if not version.categories.filter(code=category_code).exists():
        raise ValidationError("Select a category of this version")
    version.matrix = {**version.matrix, "cells": {**version.matrix["cells"], cell: category_code}}
    version.save(update_fields=["matrix"])
    return version


# What each category brings, as the policy words it (issue 21: entitlements as data).
SUPPORT_FIELDS = (
    "adviser_days",
    "teaching_adviser_days",
    "progress_meetings_per_year",
    "meeting_cadence",
    "visit_pattern",
    "brokered_support",
    "funding_per_pupil",
    "support_summary",
)
MOST_DAYS = Decimal(100)
MOST_MEETINGS = 52  # weekly
MOST_FUNDING = Decimal("1000000")  # the field holds up to £999,999.99
_DAYS = {"adviser_days": "Adviser days", "teaching_adviser_days": "Learning and teaching adviser days"}


def _number(raw) -> Decimal | None:
    if isinstance(raw, Decimal | int) and not isinstance(raw, bool):
        return Decimal(raw)
    text = str(raw).strip().removeprefix("£").replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _days(name: str, raw) -> Decimal:
    label = _DAYS[name]
    value = _number(raw)
    if value is None:
        raise ValidationError(f"Enter {label.lower()} as a number, like 4 or 2.5")
    if value < 0:
        raise ValidationError(f"{label} must be 0 or more")
    if value > MOST_DAYS:
        raise ValidationError(f"{label} must be {MOST_DAYS} or fewer")
    if value % Decimal("0.5"):
        raise ValidationError(f"{label} must be in whole or half days, like 2.5")
    return value.quantize(Decimal("0.1"))


def _meetings(raw) -> int:
    value = _number(raw)
    if value is None or value != value.to_integral_value():
        raise ValidationError("Enter progress meetings a year as a whole number, like 6")
    if not 0 <= value <= MOST_MEETINGS:
        raise ValidationError(f"Progress meetings a year must be from 0 to {MOST_MEETINGS}")
    return int(value)


def _funding(raw) -> Decimal | None:
    if raw is None or str(raw).strip() == "":
        return None
    value = _number(raw)
    if value is None:
        raise ValidationError("Enter funding per pupil in pounds, like 12.50, or leave it blank")
    if value < 0:
        raise ValidationError("Funding per pupil must be £0 or more")
    if value >= MOST_FUNDING:
        raise ValidationError("Funding per pupil must be less than £1,000,000")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError("Enter funding per pupil in pounds and pence, like 12.50")
    return value.quantize(Decimal("0.01"))


def _cadence(raw) -> str:
    value = (raw or "").strip()
    if value and value not in MeetingCadence.values:
        raise ValidationError("Select how often the meetings are held")
    return value


def _visit_pattern(raw) -> str:
    value = (raw or "").strip()
    most = Category._meta.get_field("visit_pattern").max_length
    if len(value) > most:
        raise ValidationError(f"The visit pattern must be {most} characters or fewer")
    return value


def _yes_no(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    answer = str(raw).strip().lower()
    if answer not in ("yes", "no", "true", "false"):
        raise ValidationError("Select yes if the category brings brokered support")
    return answer in ("yes", "true")


_READERS = {
    "adviser_days": lambda raw: _days("adviser_days", raw),
    "teaching_adviser_days": lambda raw: _days("teaching_adviser_days", raw),
    "progress_meetings_per_year": _meetings,
    "meeting_cadence": _cadence,
    "visit_pattern": _visit_pattern,
    "brokered_support": _yes_no,
    "funding_per_pupil": _funding,
    "support_summary": lambda raw: (raw or "").strip(),
}


def support_values(values: dict) -> dict:
    """``values`` (as typed on the form, or already numbers) as a category's support fields, or a
    ValidationError naming each field that is wrong and why, in words an officer understands."""
    unknown = sorted(set(values) - set(SUPPORT_FIELDS))
    if unknown:
        raise ValidationError(f"Unknown support fields: {', '.join(unknown)}")
    cleaned, problems = {}, {}
    for name, raw in values.items():
        try:
            cleaned[name] = _READERS[name](raw)
        except ValidationError as exc:
            problems[name] = exc.messages
    if problems:
        raise ValidationError(problems)
    return cleaned


@attributed
def update_support(*, category: Category, by: User, values: dict) -> Category:
    """Change what a draft category brings: adviser and learning and teaching adviser days (in
    half days, up to 100), progress meetings a year (0 to 52) and how often they are held, the
    visit pattern as the policy words it (Warwickshire's '2 weekly visits'), brokered support,
    funding per pupil in pounds and pence, and what the support is in words. A field left out of
    ``values`` keeps its value. The category's history records who changed what, before and after."""
    require(by, roles(ADMIN), FRAMEWORKS_REFUSED)
    _must_be_draft(category.version)
    cleaned = support_values(values)
    changed = [name for name, value in cleaned.items() if getattr(category, name) != value]
    if changed:
        for name in changed:
            setattr(category, name, cleaned[name])
        category.save(update_fields=changed)
    return category


@attributed
def discard_draft(*, version: FrameworkVersion, by: User) -> None:
    require(by, roles(ADMIN), FRAMEWORKS_REFUSED)
    _must_be_draft(version)
    version.delete()


@attributed
def adopt_draft(*, version: FrameworkVersion, by: User) -> FrameworkVersion:
    """Make a draft the framework's active version. Old versions and their assessments stay; the
    schools are reassessed under the new version (queued now)."""
    require(by, roles(ADMIN), FRAMEWORKS_REFUSED)
    _must_be_draft(version)
    problems = validate_version(version)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        audit.update(
            FrameworkVersion.objects.filter(framework=version.framework, status=FrameworkVersion.Status.ACTIVE),
            status=FrameworkVersion.Status.RETIRED,
        )
        version.status, version.adopted_by, version.adopted_at = FrameworkVersion.Status.ACTIVE, by, timezone.now()
        version.save(update_fields=["status", "adopted_by", "adopted_at"])
        if version.framework.is_active:
            enqueue_recategorisation(trigger=RecategorisationRun.Trigger.FRAMEWORK, started_by_id=by.pk)
    return version


def validate_version(version: FrameworkVersion) -> list[str]:
    """What would stop a version from categorising every school."""
    codes = set(version.categories.values_list("code", flat=True))
    triggers = set(version.triggers.values_list("code", flat=True))
    problems = []
    if version.framework.mapping == Framework.Mapping.MATRIX:
        cells = version.matrix.get("cells", {})
        missing = [f"{g}{c}" for g in "1234" for c in "ABCD" if cells.get(f"{g}{c}") not in codes]
        if missing:
            problems.append(f"The matrix has no category for {', '.join(missing)}")
    elif version.default_category not in codes:
        problems.append("The default category is not one of the version's categories")
    for rule in version.rules.all():
        if rule.category_code not in codes:
            problems.append(f"Rule {rule.order} names an unknown category {rule.category_code}")
        unknown = [c for c in (*rule.all_of, *rule.any_of) if c not in triggers]
        if unknown:
            problems.append(f"Rule {rule.order} names unknown triggers: {', '.join(unknown)}")
    return problems


@attributed
def set_inspection_policy(*, by: User, values: dict) -> InspectionPolicySetting:
    """Set the intervals each school's next inspection window is estimated by (keys as the fields of
    ``windows.InspectionPolicy``; a key left out keeps its default) and reassess every school, as
    the inspection-window trigger reads them. Refuses values the estimate cannot use (at ``values``)."""
    require(by, roles(ADMIN), FRAMEWORKS_REFUSED)
    problems = inspection_policy_problems(values)
    if problems:
        raise ValidationError({"values": problems})
    with transaction.atomic():
        setting, _ = InspectionPolicySetting.objects.get_or_create(pk=1)
        setting.values = values
        setting.save()
        enqueue_recategorisation(trigger=RecategorisationRun.Trigger.FRAMEWORK, started_by_id=by.pk)
    return setting


MOST_MONTHS = 120  # ten years: longer than any interval in the policy documents (seed 003)


def inspection_policy_problems(values) -> list[str]:
    """What stops ``values`` from being inspection intervals the estimate can use, in words."""
    if not isinstance(values, dict):
        return ['Enter the intervals as a JSON object, for example {"good_earliest_months": 36}']
    known = windows.InspectionPolicy.__dataclass_fields__
    problems = [f"{key} is not one of the intervals: {', '.join(known)}" for key in values if key not in known]
    for key, value in values.items():
        if key == "autumn_term_starts":
            if not _is_autumn_day(value):
                problems.append("autumn_term_starts must be [month, day] in August or September, for example [9, 2]")
        elif key in known and not _whole_number(value, 0, MOST_MONTHS):
            problems.append(f"{key} must be a whole number from 0 to {MOST_MONTHS}")
    if problems:
        return problems
    policy = windows.InspectionPolicy.from_dict(values)
    for band in ("good", "requires_improvement", "concern", "new_school"):
        if getattr(policy, f"{band}_earliest_months") > getattr(policy, f"{band}_latest_months"):
            problems.append(f"{band}_earliest_months must not be more than {band}_latest_months")
    if not 1 <= policy.statutory_academic_years <= 10:
        problems.append("statutory_academic_years must be from 1 to 10")
    if not 1 <= policy.earliest_school_day <= 20:
        problems.append("earliest_school_day must be from 1 to 20")
    return problems


def _whole_number(value, least: int, most: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and least <= value <= most


def _is_autumn_day(value) -> bool:
    if not isinstance(value, list | tuple) or len(value) != 2 or not all(_whole_number(v, 1, 31) for v in value):
        return False
    month, day = value
    return month in (8, 9) and day <= (31 if month == 8 else 30)


# The Welsh national categorisation's first two steps ---------------------------------------------


def _must_be_welsh(school: School) -> None:
    if not school.is_welsh:
        raise ValidationError("Only a school in Wales has a standards group and a capacity to improve.")


def _reassess(school: School) -> None:
    enqueue_recategorisation(trigger=RecategorisationRun.Trigger.SCHOOL, school_ids=[school.pk])


@attributed
def record_standards_group(*, school: School, year: int, group: int, by: User, source: str = "") -> StandardsGroup:
    """Step 1: record a Welsh school's standards group for a year, from Welsh data (never worked out
    from English measures)."""
    require(by, OFFICERS, "Only LA officers can record a school's standards group.")
    _must_be_welsh(school)
    if group not in (1, 2, 3, 4):
        raise ValidationError({"group": "Choose a standards group from 1 to 4"})
    with transaction.atomic():
        found, _ = StandardsGroup.objects.update_or_create(
            school=school,
            academic_year=year,
            defaults={"group": group, "source": source or StandardsGroup.Source.ENTERED, "recorded_by": by},
        )
        _reassess(school)
    return found


@attributed
def record_capacity_judgement(
    *, school: School, year: int, capacity: str, evidence: str, by: User, judged_on: date | None = None
) -> CapacityJudgement:
    """Step 2: the challenge adviser (the school's priority partner) or an officer records the
    judgement of the school's capacity to improve, with its evidence. A changed judgement waits
    for agreement again."""
    require(by, roles(OFFICER, ADMIN, PARTNER), "Only the challenge adviser or an LA officer can judge this.")
    _must_be_welsh(school)
    if capacity not in CapacityJudgement.Capacity.values:
        raise ValidationError({"capacity": "Choose a capacity to improve from A to D"})
    if not evidence.strip():
        raise ValidationError({"evidence": "Enter the evidence for the judgement"})
    with transaction.atomic():
        found, _ = CapacityJudgement.objects.update_or_create(
            school=school,
            academic_year=year,
            defaults={
                "capacity": capacity,
                "evidence": evidence.strip(),
                "judged_by": by,
                "judged_on": judged_on or timezone.localdate(),
                "agreed_by": None,
                "agreed_on": None,
            },
        )
        _reassess(school)
    return found


@attributed
def agree_capacity_judgement(*, judgement: CapacityJudgement, by: User) -> CapacityJudgement:
    """The authority agrees the challenge adviser's judgement: from now it counts in step 3."""
    require(by, OFFICERS, "Only LA officers can agree a capacity to improve.")
    if judgement.agreed_on is not None:
        raise ValidationError("This judgement is already agreed.")
    with transaction.atomic():
        judgement.agreed_by, judgement.agreed_on = by, timezone.localdate()
        judgement.save(update_fields=["agreed_by", "agreed_on"])
        _reassess(judgement.school)
    return judgement
