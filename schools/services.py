"""Writes in the schools domain. Views and tasks call these; nothing else saves a record."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import permissions
from accounts.access import require
from accounts.audit import acting, attributed
from accounts.audit.bulk import history_model, is_audited
from accounts.authorities import across_authorities
from accounts.models import User
from accounts.policy import ADMIN, OFFICER, PARTNER, roles
from core.calendar import academic_year_label, academic_year_of
from core.query import FIRST_YEAR, LAST_YEAR
from operations import jobs
from schools import collection, estyn, la_measures, retention, selectors, signals
from schools.access import remit
from schools.importers.base import RowError
from schools.imports import import_collected, sha256_of, undo_run
from schools.models import (
    Consortium,
    ConsortiumLead,
    ConsortiumMember,
    EstynInspection,
    GovernanceContact,
    GovernanceReview,
    ImportRun,
    IntelligenceNote,
    LocalAuthority,
    LocalAuthorityFigure,
    RetentionPurge,
    School,
)
from schools.tasks import import_file


def earlier_import_of(sha256: str, *, excluding: int | None = None) -> ImportRun | None:
    """The latest import that wrote a file with this content (under any kind or year), unless
    it was undone."""
    runs = ImportRun.objects.filter(
        sha256=sha256, dry_run=False, status=ImportRun.Status.SUCCEEDED, undone_at__isnull=True
    )
    if excluding:
        runs = runs.exclude(pk=excluding)
    return runs.order_by("-queued_at", "-pk").first()


@attributed
def queue_import(
    *,
    kind: str,
    file_name: str,
    raw: bytes,
    by: User | None,
    dry_run: bool = False,
    academic_year: int | None = None,
    source: str = "upload",
    imported_from: ImportRun | None = None,
) -> ImportRun:
    """Record an uploaded file and queue its import; the task starts once this commits. The run's
    ``job`` says whether it reached the broker or waits for it in the outbox (``operations.jobs``).

    A file whose content was imported before (under any kind or year) is not queued: the run
    waits for an officer to confirm it with a reason (``confirm_import``), and nothing is
    written until then. A dry run of such a file runs, and says so."""
    sha256 = sha256_of(raw)
    earlier = earlier_import_of(sha256)
    with transaction.atomic():
        run = ImportRun(
            kind=kind,
            file_name=file_name,
            sha256=sha256,
            dry_run=dry_run,
            academic_year=academic_year,
            started_by=by,
            source=source,
            duplicate_of=earlier,
            imported_from=imported_from,
        )
        if earlier and not dry_run:
            run.status = ImportRun.Status.AWAITING_CONFIRMATION
        if imported_from is not None and imported_from.file:
            run.file.name = imported_from.file.name  # the same stored file, not a second copy
        else:
            run.file.save(file_name, ContentFile(raw), save=False)
        run.save()
        run.job = None if run.status == ImportRun.Status.AWAITING_CONFIRMATION else _enqueue(run)
    return run


def _enqueue(run: ImportRun):
    return jobs.enqueue_on_commit(import_file, run.pk)


@attributed
def confirm_import(*, run: ImportRun, by: User, reason: str) -> ImportRun:
    """Import a file imported before, for the reason the officer gives."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this file should be imported again"})
    with transaction.atomic():
        updated = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.AWAITING_CONFIRMATION).update(
            status=ImportRun.Status.QUEUED, confirmation_reason=reason[:2000], started_by=by
        )
        if not updated:
            raise ValidationError("This import is no longer waiting for confirmation.")
        run.refresh_from_db()
        run.job = _enqueue(run)
    return run


@attributed
def cancel_import(*, run: ImportRun, by: User) -> ImportRun:
    """Drop an import waiting for confirmation: nothing was written, and nothing will be."""
    updated = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.AWAITING_CONFIRMATION).update(
        status=ImportRun.Status.FAILED,
        message=f"Cancelled by {by}: the file was not imported again.",
        finished_at=timezone.now(),
    )
    if not updated:
        raise ValidationError("This import is no longer waiting for confirmation.")
    run.refresh_from_db()
    return run


@attributed
def rerun_import(
    *,
    run: ImportRun,
    by: User,
    dry_run: bool,
    kind: str | None = None,
    academic_year: int | None = None,
) -> ImportRun:
    """Import, or check again, the file of an earlier run without a second upload: "Import this
    file now" after a dry run, or a retry after a failed check (with another kind or year)."""
    if not run.is_finished or not run.file:
        raise ValidationError("This import's file is not available to import again.")
    if run.status == ImportRun.Status.SUCCEEDED and not run.dry_run:
        raise ValidationError("This file has been imported already.")
    with run.file.open("rb") as handle:
        raw = handle.read()
    return queue_import(
        kind=kind or run.kind,
        file_name=run.file_name,
        raw=raw,
        by=by,
        dry_run=dry_run,
        academic_year=academic_year if kind else run.academic_year,
        source=run.source,
        imported_from=run,
    )


@attributed
def undo_import(*, run: ImportRun, by: User) -> ImportRun:
    """Put back every record the import created or changed, as it was before (in the audit
    trail, as a change by ``by``), while nothing newer depends on them."""
    return undo_run(run=run, by=by)


@attributed
def start_command_import(
    *,
    kind: str,
    file_name: str,
    raw: bytes,
    dry_run: bool,
    academic_year: int | None,
    source: str = "command",
    by: User | None = None,
    confirmation_reason: str = "",
) -> ImportRun:
    """Record an import started from the shell (by someone, when known); the caller runs it
    in-process. ``confirmation_reason`` says why a file imported before is imported again. The
    run keeps the file as the record of what arrived, as an upload's does."""
    sha256 = sha256_of(raw)
    run = ImportRun(
        kind=kind,
        file_name=file_name,
        sha256=sha256,
        dry_run=dry_run,
        academic_year=academic_year,
        source=source,
        started_by=by,
        duplicate_of=earlier_import_of(sha256) if confirmation_reason else None,
        confirmation_reason=confirmation_reason,
    )
    _keep_file(run, raw)
    run.save()
    return run


def _keep_file(run: ImportRun, raw: bytes) -> None:
    """Store the file for the run; a file stored before with the same content is shared, not
    stored again (a nightly download is often the same file)."""
    same = ImportRun.objects.filter(sha256=run.sha256).exclude(file="").order_by("-pk").values_list("file", flat=True)
    for name in same[:1]:
        if run.file.storage.exists(name):
            run.file.name = name
            return
    run.file.save(run.file_name, ContentFile(raw), save=False)


@attributed
def add_intelligence_note(
    *,
    school: School,
    by: User,
    area: str,
    noted_on: date,
    source: str,
    risk_grade: str,
    visibility: str,
    text: str,
) -> IntelligenceNote:
    """Record a dated, sourced and graded piece of intelligence about a school."""
    require(by, roles(OFFICER, ADMIN, PARTNER), "You cannot add intelligence notes.")
    if noted_on > timezone.localdate():
        raise ValidationError({"noted_on": "The date of the intelligence must be today or in the past"})
    if not permissions.is_officer(by) and visibility == IntelligenceNote.Visibility.RESTRICTED:
        raise ValidationError({"visibility": "Only LA officers can add notes visible to LA officers only"})
    note = IntelligenceNote(
        school=school,
        author=by,
        area=area,
        noted_on=noted_on,
        source=source.strip(),
        risk_grade=risk_grade,
        visibility=visibility,
        text=text.strip(),
    )
    note.full_clean()
    with transaction.atomic():
        note.save()
        if note.area == IntelligenceNote.Area.NEW_HEADTEACHER:
            signals.new_headteacher_noted.send(sender=IntelligenceNote, note=note)
        _recategorise(school)
    return note


@attributed
def record_estyn_inspection(
    *,
    school: School,
    by: User,
    start_date: date,
    end_date: date | None = None,
    publication_date: date | None = None,
    follow_up: str = estyn.FollowUp.NONE,
    follow_up_removed_on: date | None = None,
    report_url: str = "",
    **judgements: int | None,
) -> EstynInspection:
    """Record an Estyn inspection of a Welsh school from its published report (issue 21). The
    framework follows from the start date; only its judgements may be given (``schools.estyn``)."""
    require(by, roles(OFFICER, ADMIN), "Only LA officers can record Estyn inspections.")
    unknown = set(judgements) - set(estyn.LABELS)
    if unknown:
        raise TypeError(f"Not an Estyn judgement: {', '.join(sorted(unknown))}")
    if start_date > timezone.localdate():
        raise ValidationError({"start_date": "The date the inspection started must be today or in the past"})
    if EstynInspection.objects.filter(school=school, start_date=start_date).exists():
        raise ValidationError(
            {"start_date": f"An Estyn inspection that started on {start_date:%-d %B %Y} is already recorded"}
        )
    inspection = EstynInspection(
        school=school,
        start_date=start_date,
        end_date=end_date,
        publication_date=publication_date,
        shape=estyn.shape_for(start_date),
        follow_up=follow_up or estyn.FollowUp.NONE,
        follow_up_removed_on=follow_up_removed_on,
        report_url=(report_url or "").strip(),
        source=EstynInspection.Source.FORM,
        recorded_by=by,
        **{name: grade for name, grade in judgements.items() if grade is not None},
    )
    # The model's own checks say what is wrong in an officer's words; the database's constraints
    # stand behind them.
    inspection.full_clean(validate_constraints=False)
    with transaction.atomic():
        inspection.save()
        _recategorise(school)
    return inspection


def _recategorise(school: School) -> None:
    """New intelligence can change the school's category: reassess it once this has committed."""
    signals.facts_changed.send(sender=School, trigger="school", school_ids=[school.pk])


def purge_closed_cases(*, today: date | None = None, dry_run: bool = False, by: User | None = None) -> retention.Purge:
    """Delete the case records of schools closed longer ago than the retention period (one delete
    per kind of record), every authority's, with their versions in the audit trail, and record the
    purge itself."""
    with across_authorities():
        return _purge_closed_cases(today=today, dry_run=dry_run, by=by)


def _purge_closed_cases(*, today: date | None, dry_run: bool, by: User | None) -> retention.Purge:
    cutoff = retention.retention_cutoff(today or timezone.localdate(), settings.CLOSED_CASE_RETENTION_YEARS)
    closed = School.objects.filter(close_date__isnull=False, close_date__lte=cutoff)
    deleted: dict[str, int] = {}
    if dry_run:
        for app_label, model_name, label in retention.DELETED:
            deleted[label] = apps.get_model(app_label, model_name).objects.filter(school__in=closed).count()
        return retention.Purge(cutoff, closed.count(), deleted)
    # The deletions' own history rows carry this mark, which finds the records' earlier versions.
    mark = f"Retention purge {uuid.uuid4().hex}"
    removed_models: set[str] = set()
    with transaction.atomic():
        urns = list(closed.order_by("urn").values_list("urn", flat=True))
        with acting(by, reason=mark):
            for app_label, model_name, label in retention.DELETED:
                records = apps.get_model(app_label, model_name).objects.filter(school__in=closed)
                _, by_model = records.delete()
                deleted[label] = by_model.get(f"{app_label}.{model_name}", 0)
                removed_models.update(name for name, count in by_model.items() if count)
        history_rows = sum(_forget_history(apps.get_model(name), mark) for name in sorted(removed_models))
        if urns and sum(deleted.values()):
            with acting(by, reason="Retention purge"):
                RetentionPurge.objects.create(
                    started_by=by if by is not None and by.is_authenticated else None,
                    cutoff=cutoff,
                    school_urns=urns,
                    deleted={label: count for label, count in deleted.items() if count},
                    history_rows_removed=history_rows,
                )
    return retention.Purge(cutoff, len(urns), deleted, history_rows)


def _forget_history(model, mark: str) -> int:
    """Delete every version in the audit trail of the records of ``model`` deleted under ``mark``:
    they hold the same personal data as the records. Returns the number of history rows deleted."""
    if not is_audited(model):
        return 0
    history = history_model(model)
    pk_name = model._meta.pk.attname
    purged = history.objects.filter(history_type="-", history_change_reason=mark).values(pk_name)
    return history.objects.filter(**{f"{pk_name}__in": purged}).delete()[0]


# Consortia ------------------------------------------------------------------------------------------------

CONSORTIA_REFUSED = "Only LA officers manage the consortia."


@attributed
def create_consortium(*, name: str, phase: str, by: User) -> Consortium:
    """Set up one of the authority's consortia of schools: a primary area consortium or a
    secondary (and special) one (seed 002, 7.4)."""
    require(by, roles(OFFICER, ADMIN), CONSORTIA_REFUSED)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter the consortium's name"})
    if phase not in Consortium.Phase.values:
        raise ValidationError({"phase": "Select the consortium's phase"})
    if Consortium.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a consortium called {name}"})
    return Consortium.objects.create(name=name, phase=phase, created_by=by)


@attributed
def add_school_to_consortium(*, consortium: Consortium, school: School, by: User) -> ConsortiumMember:
    """Put a school of the authority's remit in the consortium. A school belongs to one
    consortium of an authority at most: one already in another is refused with its name."""
    require(by, roles(OFFICER, ADMIN), CONSORTIA_REFUSED)
    if not remit().filter(pk=school.pk).exists():
        raise ValidationError({"urn": f"{school.name} is not a school of the authority's remit"})
    place = ConsortiumMember.objects.filter(school=school).select_related("consortium").first()
    if place is not None:
        where = "this consortium" if place.consortium_id == consortium.pk else f"the {place.consortium.name} consortium"
        raise ValidationError({"urn": f"{school.name} is already in {where}"})
    try:
        with transaction.atomic():
            return ConsortiumMember.objects.create(consortium=consortium, school=school, added_by=by)
    except IntegrityError as exc:  # another officer placed it at the same moment
        raise ValidationError({"urn": f"{school.name} has just been put in another consortium"}) from exc


@attributed
def remove_school_from_consortium(*, member: ConsortiumMember, by: User) -> None:
    """Take a school out of its consortium (it then shows under "No consortium" in the funding)."""
    require(by, roles(OFFICER, ADMIN), CONSORTIA_REFUSED)
    member.delete()


def _criterion_checked(criterion: str, school: School | None) -> str:
    """The defined brief of seed 002, 7.5: a headteacher from an outstanding school (the school's
    latest Ofsted judgement says so), or an NLE or an LLE (as the nomination says)."""
    if criterion not in ConsortiumLead.Criterion.values:
        raise ValidationError({"criterion": "Select which lead member criterion they meet"})
    if criterion == ConsortiumLead.Criterion.OUTSTANDING_HEAD:
        if school is None:
            raise ValidationError({"school_urn": "Enter the URN of the outstanding school they lead"})
        if school.ofsted_outcome != "outstanding":
            raise ValidationError(
                {"school_urn": f"{school.name}'s latest Ofsted judgement is not outstanding: choose another criterion"}
            )
    return criterion


@attributed
def add_consortium_lead(
    *,
    consortium: Consortium,
    by: User,
    name: str,
    criterion: str,
    user: User | None = None,
    school: School | None = None,
    nominated_on: date | None = None,
) -> ConsortiumLead:
    """Record a lead member nominated by the consortium's schools, and which lead member criterion
    they meet (seed 002, 7.5). A consortium has two leads (7.4): a third is refused."""
    require(by, roles(OFFICER, ADMIN), CONSORTIA_REFUSED)
    name = (name or "").strip() or (user.full_name if user else "")
    if not name:
        raise ValidationError({"name": "Enter the lead member's name"})
    criterion = _criterion_checked(criterion, school)
    with transaction.atomic():
        taken = set(
            ConsortiumLead.objects.select_for_update().filter(consortium=consortium).values_list("seat", flat=True)
        )
        free = [seat for seat in ConsortiumLead.SEATS if seat not in taken]
        if not free:
            raise ValidationError(
                f"{consortium.name} already has two lead members: remove one before adding another (two lead "
                "members from each consortium sit on the School Improvement Board)."
            )
        if user is not None and ConsortiumLead.objects.filter(consortium=consortium, user=user).exists():
            raise ValidationError({"user": f"{user} is already a lead member of {consortium.name}"})
        try:
            with transaction.atomic():
                return ConsortiumLead.objects.create(
                    consortium=consortium,
                    seat=free[0],
                    name=name,
                    user=user,
                    school=school,
                    criterion=criterion,
                    nominated_on=nominated_on,
                    added_by=by,
                )
        except IntegrityError as exc:  # the last seat was taken at the same moment
            raise ValidationError(f"{consortium.name} already has two lead members.") from exc


@attributed
def remove_consortium_lead(*, lead: ConsortiumLead, by: User) -> None:
    """Stand a lead member down; their votes already recorded keep their name."""
    require(by, roles(OFFICER, ADMIN), CONSORTIA_REFUSED)
    lead.delete()


# Governance -------------------------------------------------------------------------------------------

GOVERNANCE_REFUSED = "Only LA officers record a school's governance."


@attributed
def set_governance_contacts(*, school: School, by: User, contacts: dict[str, dict[str, str]]) -> list[str]:
    """Record the chair and the clerk of the school's board (an academy's trust board), as an
    officer entered them today. ``contacts`` maps a role to its name, email and phone; a role
    without a name is removed (the chair has stood down), so no one's details outlive their
    office. Returns what changed."""
    require(by, roles(OFFICER, ADMIN), GOVERNANCE_REFUSED)
    where = selectors.board_q(school)
    held = selectors.governance_contacts(school)
    changed = []
    with transaction.atomic():
        for role, label in GovernanceContact.Role.choices:
            fields = {k: (v or "").strip() for k, v in contacts.get(role, {}).items()}
            contact = held.get(role)
            if not fields.get("name"):
                if contact is not None:
                    contact.delete()
                    changed.append(f"{label} removed")
                continue
            if contact is not None and all(getattr(contact, k) == v for k, v in fields.items()):
                continue
            contact = contact or GovernanceContact(role=role, **dict(where.children))
            for name, value in fields.items():
                setattr(contact, name, value)
            contact.source = GovernanceContact.Source.OFFICER
            contact.recorded_on, contact.recorded_by = timezone.localdate(), by
            contact.full_clean(validate_constraints=False)
            contact.save()
            changed.append(f"{label} recorded")
    return changed


@attributed
def record_governance_review(
    *, school: School, by: User, reviewed_on: date, reviewer: str, effective: bool, recommendations: str = ""
) -> GovernanceReview:
    """Record an external review of the school's governance (seed 003: "the effectiveness of
    governance"); one that finds governance ineffective is evidence in the risk assessment."""
    require(by, roles(OFFICER, ADMIN), GOVERNANCE_REFUSED)
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "The date of the review must be today or in the past"})
    review = GovernanceReview(
        school=school,
        reviewed_on=reviewed_on,
        reviewer=reviewer.strip(),
        effective=effective,
        recommendations=recommendations.strip(),
        recorded_by=by,
    )
    review.full_clean()
    with transaction.atomic():
        review.save()
        _recategorise(school)
    return review


class ResultsRefused(Exception):
    """The authority's results were not imported: each row's errors, and nothing written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors

    @property
    def summary(self) -> str:
        lines = len({e.line for e in self.errors})
        rows = "1 row has" if lines == 1 else f"{lines} rows have"
        return f"Nothing was imported: {rows} errors. Correct the file and upload it again"


@attributed
def import_authority_results(*, raw: bytes, file_name: str, academic_year: int, by: User) -> ImportRun:
    """Import the schools' EYFS and KS1 results from the authority's own collection (seed 004:
    "attainment in EYFS, KS1") for an academic year, as performance measures of each school.

    All or nothing: a file that is not the template raises ``collection.FileRefused``; a row with a
    bad URN or value, or naming a school that is not one of the authority's, raises
    ``ResultsRefused`` with every row's errors. Otherwise the figures are written in one
    transaction, the run is recorded with the authority's collection as its source, and the
    schools are reassessed as after any import of performance data."""
    require(by, roles(OFFICER, ADMIN), "Only officers may import the authority's results")
    collected = collection.read(raw, file_name)
    urns = [row.urn for row in collected.rows]
    register = dict(School.objects.filter(urn__in=urns).values_list("urn", "pk"))
    theirs = set(remit().filter(urn__in=urns).values_list("urn", flat=True))
    errors = collected.errors + collection.school_errors(collected.rows, set(register), theirs)
    if errors:
        raise ResultsRefused(sorted(errors, key=lambda e: e.line))
    if not collected.rows:
        raise collection.FileRefused("No result is filled in: there is nothing to import")
    figures = [
        {"_line": row.line, "school_id": register[row.urn], "measure": code, "value": value}
        for row in collected.rows
        for code, value in row.values.items()
    ]
    run = ImportRun(
        kind=ImportRun.Kind.AUTHORITY_RESULTS,
        file_name=file_name,
        sha256=sha256_of(raw),
        academic_year=academic_year,
        started_by=by,
        source="authority",
        status=ImportRun.Status.RUNNING,
        started_at=timezone.now(),
        rows_read=len(collected.rows),
        rows_total=len(collected.rows),
        rows_processed=len(collected.rows),
        notes=[f"From {collection.SOURCE_LABEL}: {by.authority}"],
    )
    run.file.save(file_name, ContentFile(raw), save=False)
    with transaction.atomic():
        run.save()
        return import_collected(run=run, figures=figures)


def _la_figure_errors(
    *, measure: str, level: str, la_code: int, academic_year: int, value: Decimal | None, marker: str, source: str
) -> dict[str, str]:
    """What is wrong with a figure an officer enters, in their words (empty when nothing is)."""
    errors = {}
    if measure not in la_measures.BY_CODE:
        errors["measure"] = "Choose the measure"
    if level == LocalAuthorityFigure.Level.NATIONAL:
        if la_code != 0:
            errors["la_code"] = "England's figure has no LA code"
    elif (
        level != LocalAuthorityFigure.Level.LOCAL_AUTHORITY or not LocalAuthority.objects.filter(code=la_code).exists()
    ):
        errors["la_code"] = "Choose England or a local authority"
    latest = academic_year_of(timezone.localdate())
    if not FIRST_YEAR <= academic_year <= min(latest, LAST_YEAR):
        errors["academic_year"] = f"Choose an academic year from {academic_year_label(FIRST_YEAR)} to this one"
    if value is not None and marker:
        errors["value"] = "Enter the figure or choose the symbol DfE shows instead, not both"
    elif value is None and not marker:
        errors["value"] = "Enter the figure, or choose the symbol DfE shows instead"
    elif marker and marker not in la_measures.MARKERS:
        errors["marker"] = "Choose one of the symbols DfE uses"
    elif value is not None and not 0 <= value <= 100 and getattr(la_measures.BY_CODE.get(measure), "unit", "") == "%":
        errors["value"] = "A percentage must be from 0 to 100"
    if not source.strip():
        errors["source"] = "Enter where the figure comes from"
    return errors


@attributed
def record_la_figure(
    *,
    measure: str,
    level: str,
    la_code: int,
    academic_year: int,
    value: Decimal | None,
    marker: str = "",
    source: str,
    by: User,
) -> tuple[LocalAuthorityFigure, str | None]:
    """Record a figure DfE publishes for an LA or England only in its tools (seed 004: KS1
    attainment, SEND at KS1, KS2 and KS4 and exclusion rates "relative to the core cities,
    statistical neighbours and national average"), copied by an officer from LAIT, for an academic
    year; or correct the one held for the same place, year and measure (imported or entered). The
    audit trail keeps what it held. Returns the figure and what it showed before (None if new)."""
    require(by, roles(OFFICER, ADMIN), "Only LA officers can enter published figures.")
    marker, source = marker.strip(), source.strip()
    errors = _la_figure_errors(
        measure=measure,
        level=level,
        la_code=la_code,
        academic_year=academic_year,
        value=value,
        marker=marker,
        source=source,
    )
    if errors:
        raise ValidationError(errors)
    key = {
        "level": level,
        "la_code": la_code,
        "academic_year": academic_year,
        "period": la_measures.ACADEMIC_YEAR,
        "measure": measure,
    }
    with transaction.atomic():
        figure = LocalAuthorityFigure.objects.select_for_update().filter(**key).first()
        before = None if figure is None else la_measures.shown(figure.measure, figure.value, figure.marker)
        figure = figure or LocalAuthorityFigure(**key)
        figure.value, figure.marker, figure.publication = value, marker, source[:200]
        figure.file_name = f"Entered by {by.full_name} on {timezone.localdate():%-d %B %Y}"[:255]
        figure.save()
    return figure, before
