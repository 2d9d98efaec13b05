"""The import service: from a validated file to the database, all or nothing.

``run_import`` reads a file through ``schools.importers``, and then, only if no row has an
error, upserts every record by its natural key in one transaction. It counts what was created,
updated and left unchanged, so a second import of the same file reports 0 created and 0
updated. A dry run does everything but write.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.audit import bulk as audit_bulk
from schools import ofsted
from schools.importers import FORMATS, FileRejected, Parsed, read_file
from schools.importers.base import MAX_STORED_ERRORS
from schools.importers.gias import GROUP_FIELDS_IN_LINKS, RESOLVED_FIELDS
from schools.models import (
    GroupMembership,
    ImportRun,
    Inspection,
    LocalAuthority,
    NationalFigure,
    PerformanceMeasure,
    School,
    SchoolGroup,
    SchoolLink,
)
from schools.upsert import BATCH_SIZE, LOOKUP_CHUNK, Outcome, chunks, upsert

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def _added(dry_run: bool) -> str:
    return "would be added" if dry_run else "added"


def _school_ids(urns: Iterable[int]) -> dict[int, int]:
    wanted = sorted({u for u in urns if u is not None})
    found: dict[int, int] = {}
    for chunk in chunks(wanted, LOOKUP_CHUNK):
        found.update(School.objects.filter(urn__in=chunk).values_list("urn", "pk"))
    return found


# Applying each kind ----------------------------------------------------------------------


def _apply_establishments(parsed: Parsed, run: ImportRun, dry_run: bool) -> Outcome:
    records = parsed.prepared.records
    notes: list[str] = []
    la_ids = _ensure_local_authorities(records, dry_run, notes)
    trust_ids = _ensure_groups(records, "trust", "Trust", dry_run, notes)
    federation_ids = _ensure_groups(records, "federation", "Federation", dry_run, notes)
    present = parsed.fields_present
    for record in records:
        # The register's codes become the ids of the records they name.
        trust_uid, federation_uid = record.get("trust_uid"), record.get("federation_uid")
        record["la_id"] = la_ids[record["la_code"]]
        for name in RESOLVED_FIELDS:
            record.pop(name, None)
        if "trust_uid" in present:
            record["trust_id"] = trust_ids.get(trust_uid)
        if "federation_uid" in present:
            record["federation_id"] = federation_ids.get(federation_uid)
        if "establishment_number" not in present:
            record.pop("laestab", None)
    outcome = upsert(School, records, key=("urn",), dry_run=dry_run)
    outcome.notes = notes
    return outcome


def _ensure_local_authorities(records: list[dict], dry_run: bool, notes: list[str]) -> dict[int, int]:
    """Map LA codes to ids, adding any authority the register names that is not yet known."""
    names = {r["la_code"]: (r["la_name"], r.get("region_name") or "") for r in records}
    known = dict(LocalAuthority.objects.filter(code__in=names).values_list("code", "pk"))
    missing = [code for code in names if code not in known]
    if missing:
        notes.append(f"{_count(len(missing), 'local authority', 'local authorities')} {_added(dry_run)}")
        if dry_run:
            known.update({code: -code for code in missing})
        else:
            LocalAuthority.objects.bulk_create(
                [LocalAuthority(code=c, name=names[c][0], region_name=names[c][1]) for c in missing]
            )
            known.update(LocalAuthority.objects.filter(code__in=missing).values_list("code", "pk"))
    return known


def _ensure_groups(records: list[dict], prefix: str, type_name: str, dry_run: bool, notes: list[str]) -> dict[int, int]:
    """Map group UIDs named in the register to ids, adding minimal groups not yet imported."""
    uid_field, name_field = f"{prefix}_uid", f"{prefix}_name"
    names = {r[uid_field]: r.get(name_field) or "" for r in records if r.get(uid_field)}
    if not names:
        return {}
    known = dict(SchoolGroup.objects.filter(uid__in=names).values_list("uid", "pk"))
    missing = [uid for uid in names if uid not in known]
    if missing:
        notes.append(f"{_count(len(missing), type_name.lower())} {_added(dry_run)} from the register")
        if dry_run:
            known.update({uid: -uid for uid in missing})
        else:
            SchoolGroup.objects.bulk_create(
                [SchoolGroup(uid=uid, name=names[uid] or f"{type_name} {uid}", type_name=type_name) for uid in missing]
            )
            known.update(SchoolGroup.objects.filter(uid__in=missing).values_list("uid", "pk"))
    return known


def _with_school(records: list[dict], outcome: Outcome) -> tuple[list[dict], dict[int, int]]:
    """Keep records for schools in the register, counting the others as skipped."""
    ids = _school_ids(r["urn"] for r in records)
    kept = []
    for record in records:
        school_id = ids.get(record["urn"])
        if school_id is None:
            outcome.skipped += 1
            continue
        kept.append({**{k: v for k, v in record.items() if k != "urn"}, "school_id": school_id})
    return kept, ids


def _apply_links(parsed: Parsed, run: ImportRun, dry_run: bool) -> Outcome:
    outcome = Outcome()
    records, _ = _with_school(parsed.prepared.records, outcome)
    outcome.add(upsert(SchoolLink, records, key=("school_id", "linked_urn", "link_type"), dry_run=dry_run))
    return outcome


def _apply_groups(parsed: Parsed, run: ImportRun, dry_run: bool) -> Outcome:
    return upsert(SchoolGroup, parsed.prepared.records, key=("uid",), dry_run=dry_run)


def _apply_group_links(parsed: Parsed, run: ImportRun, dry_run: bool) -> Outcome:
    outcome = Outcome()
    records, _ = _with_school(parsed.prepared.records, outcome)
    groups = {r["uid"]: {f: r[f] for f in GROUP_FIELDS_IN_LINKS if f in r} for r in records}
    known = dict(SchoolGroup.objects.filter(uid__in=list(groups)).values_list("uid", "pk"))
    missing = [uid for uid in groups if uid not in known]
    if missing:
        outcome.notes.append(f"{_count(len(missing), 'group')} {_added(dry_run)} from the group links")
        if dry_run:
            known.update({uid: -uid for uid in missing})
        else:
            SchoolGroup.objects.bulk_create([SchoolGroup(uid=uid, **groups[uid]) for uid in missing])
            known.update(SchoolGroup.objects.filter(uid__in=missing).values_list("uid", "pk"))
    memberships = [
        {
            "_line": r["_line"],
            "group_id": known[r["uid"]],
            "school_id": r["school_id"],
            "joined_date": r.get("joined_date"),
        }
        for r in records
    ]
    outcome.add(upsert(GroupMembership, memberships, key=("group_id", "school_id"), dry_run=dry_run))
    return outcome


def _apply_local_authorities(parsed: Parsed, run: ImportRun, dry_run: bool) -> Outcome:
    return upsert(LocalAuthority, parsed.prepared.records, key=("code",), dry_run=dry_run)


def _apply_ofsted(parsed: Parsed, run: ImportRun, dry_run: bool) -> Outcome:
    outcome = Outcome()
    outcome.skipped += parsed.prepared.set_aside
    records, _ = _with_school(parsed.prepared.records, outcome)
    outcome.add(upsert(Inspection, records, key=("inspection_number",), dry_run=dry_run))
    if not dry_run:
        changed = refresh_latest_inspections({r["school_id"] for r in records})
        if changed:
            outcome.notes.append(f"Latest Ofsted outcome changed for {_count(changed, 'school')}")
    return outcome


def _apply_performance(parsed: Parsed, run: ImportRun, dry_run: bool) -> Outcome:
    year = run.academic_year
    outcome = Outcome()
    outcome.skipped += parsed.prepared.set_aside
    records, _ = _with_school(parsed.prepared.records, outcome)
    figures = [
        {
            "_line": r["_line"],
            "school_id": r["school_id"],
            "academic_year": year,
            "measure": code,
            "value": fig.value,
            "marker": fig.marker,
        }
        for r in records
        for code, fig in r["figures"].items()
    ]
    outcome.add(
        upsert(
            PerformanceMeasure,
            figures,
            key=("school_id", "academic_year", "measure"),
            dry_run=dry_run,
            scope={"academic_year": year},
        )
    )
    national = [{**n, "academic_year": year} for n in parsed.prepared.national]
    if national:
        result = upsert(NationalFigure, national, key=("academic_year", "measure", "phase"), dry_run=dry_run)
        if result.created or result.updated:
            verb = "would be recorded" if dry_run else "recorded"
            outcome.notes.append(f"{_count(result.created + result.updated, 'national figure')} {verb}")
    return outcome


APPLIERS: dict[str, Callable[[Parsed, ImportRun, bool], Outcome]] = {
    ImportRun.Kind.GIAS_ESTABLISHMENTS: _apply_establishments,
    ImportRun.Kind.GIAS_LINKS: _apply_links,
    ImportRun.Kind.GIAS_GROUPS: _apply_groups,
    ImportRun.Kind.GIAS_GROUP_LINKS: _apply_group_links,
    ImportRun.Kind.LOCAL_AUTHORITIES: _apply_local_authorities,
    ImportRun.Kind.OFSTED_LATEST: _apply_ofsted,
    ImportRun.Kind.CENSUS: _apply_performance,
    ImportRun.Kind.KS2: _apply_performance,
    ImportRun.Kind.KS4: _apply_performance,
    ImportRun.Kind.ABSENCE: _apply_performance,
}


# Latest inspection -----------------------------------------------------------------------

_FACT_FIELDS = [
    "pk",
    "school_id",
    "shape",
    "start_date",
    "overall_effectiveness",
    "category_of_concern",
    "rc_safeguarding_met",
    "ungraded_outcome",
    *[area.field for area in ofsted.REPORT_CARD_AREAS],
]


def refresh_latest_inspections(school_ids: set[int]) -> int:
    """Point each school at its latest full inspection and record the outcome; returns how many
    schools changed."""
    by_school: dict[int, list[dict]] = defaultdict(list)
    ids = sorted(school_ids)
    for chunk in chunks(ids, LOOKUP_CHUNK):
        for row in Inspection.objects.filter(school_id__in=chunk).values(*_FACT_FIELDS):
            by_school[row["school_id"]].append(row)
    current = {}
    for chunk in chunks(ids, LOOKUP_CHUNK):
        for row in School.objects.filter(pk__in=chunk).values(
            "pk", "latest_inspection_id", "ofsted_outcome", "ofsted_outcome_date"
        ):
            current[row["pk"]] = row
    changed = []
    for school_id in ids:
        latest_row = None
        latest_facts = None
        for row in by_school.get(school_id, []):
            facts = _facts(row)
            if facts.shape == ofsted.Shape.UNGRADED or facts.start_date is None:
                continue
            if latest_facts is None or (facts.start_date, row["pk"]) > (latest_facts.start_date, latest_row["pk"]):
                latest_row, latest_facts = row, facts
        wanted = (
            latest_row["pk"] if latest_row else None,
            ofsted.outcome(latest_facts) if latest_facts else "",
            latest_facts.start_date if latest_facts else None,
        )
        now = current.get(school_id)
        if now and (now["latest_inspection_id"], now["ofsted_outcome"], now["ofsted_outcome_date"]) != wanted:
            changed.append(
                School(
                    pk=school_id,
                    latest_inspection_id=wanted[0],
                    ofsted_outcome=wanted[1],
                    ofsted_outcome_date=wanted[2],
                )
            )
    School.objects.bulk_update(
        changed, ["latest_inspection_id", "ofsted_outcome", "ofsted_outcome_date"], batch_size=BATCH_SIZE
    )
    for chunk in chunks([school.pk for school in changed], LOOKUP_CHUNK):
        audit_bulk.record(School.objects.filter(pk__in=chunk), audit_bulk.CHANGED)
    return len(changed)


def _facts(row: dict) -> ofsted.InspectionFacts:
    return ofsted.InspectionFacts(
        shape=ofsted.Shape(row["shape"]),
        start_date=row["start_date"],
        overall_effectiveness=row["overall_effectiveness"],
        category_of_concern=row["category_of_concern"],
        report_card={area.field: row[area.field] for area in ofsted.REPORT_CARD_AREAS},
        safeguarding_met=row["rc_safeguarding_met"],
        ungraded_outcome=row["ungraded_outcome"],
    )


# Running an import -----------------------------------------------------------------------


def _update_run(run: ImportRun, **values: Any) -> None:
    """Record progress on the run outside any transaction, so the Imports page sees it."""
    for name, value in values.items():
        setattr(run, name, value)
    ImportRun.objects.filter(pk=run.pk).update(**values)


def run_import(*, run: ImportRun, raw: bytes | None = None, progress: Progress | None = None) -> ImportRun:
    """Import one file for an import run, all or nothing, and record the result on the run.

    ``raw`` is the file's bytes when they are at hand (the management command); otherwise they
    are read from the run's stored upload.
    """
    # Claim the run so that a re-delivered task, or a second worker, never imports it twice.
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, started_at=timezone.now(), phase="Reading the file"
    )
    run.refresh_from_db()
    if not claimed:
        return run
    started = time.monotonic()

    def report(phase: str, done: int, total: int) -> None:
        _update_run(run, phase=phase, rows_processed=done, rows_total=total)
        if progress:
            progress(phase, done, total)

    try:
        if raw is None:
            with run.file.open("rb") as handle:
                raw = handle.read()
        fmt = FORMATS[run.kind]
        if fmt.needs_academic_year and not run.academic_year:
            raise FileRejected("Give the academic year this performance tables file covers (for example 2018/19).")
        parsed = _parse(run, raw, report)
        if parsed.errors:
            _finish_rejected(run, parsed, started)
            return run
        report("Comparing with the records held", parsed.rows_read, parsed.rows_read)
        applier = APPLIERS[run.kind]
        if run.dry_run:
            outcome = applier(parsed, run, True)
        else:
            report("Writing", parsed.rows_read, parsed.rows_read)
            with transaction.atomic(), audit.acting(run.started_by, reason=audit_reason(run)):
                outcome = applier(parsed, run, False)
    except FileRejected as exc:
        _update_run(
            run,
            status=ImportRun.Status.FAILED,
            message=str(exc),
            phase="",
            finished_at=timezone.now(),
        )
        return run
    except Exception:
        logger.exception("Import run %s failed", run.pk)
        _update_run(
            run,
            status=ImportRun.Status.FAILED,
            message="An unexpected error stopped the import. Nothing was written. The error has been logged.",
            phase="",
            finished_at=timezone.now(),
        )
        raise
    _update_run(
        run,
        status=ImportRun.Status.SUCCEEDED,
        phase="",
        rows_read=parsed.rows_read,
        rows_processed=parsed.rows_read,
        rows_total=parsed.rows_read,
        created=outcome.created,
        updated=outcome.updated,
        unchanged=outcome.unchanged,
        skipped=outcome.skipped,
        rejected=0,
        notes=outcome.notes,
        message=_summary(run, outcome),
        finished_at=timezone.now(),
    )
    logger.info("Import run %s: %s in %.2fs", run.pk, run.message, time.monotonic() - started)
    if not run.dry_run:
        # The school list's filter choices (phases, types, statuses) may have changed.
        from schools.filters import CHOICES_KEY

        cache.delete(CHOICES_KEY)
        _recategorise_after(run)
    return run


def audit_reason(run: ImportRun) -> str:
    """How the history rows an import writes name it."""
    return f"Import {run.pk}: {run.kind} ({run.file_name})"


def _recategorise_after(run: ImportRun) -> None:
    """New data can change categories: reassess every school once the import has committed."""
    from categorisation.models import Framework
    from categorisation.services import enqueue_recategorisation

    if Framework.objects.filter(is_active=True).exists():
        enqueue_recategorisation(trigger="import", import_run_id=run.pk, started_by_id=run.started_by_id)


def _parse(run: ImportRun, raw: bytes, report: Progress) -> Parsed:
    total = max(1, raw.count(b"\n") - 1)
    report("Checking rows", 0, total)
    last = [0.0]

    def on_progress(done: int) -> None:
        now = time.monotonic()
        if now - last[0] > 0.5 or done >= total:
            last[0] = now
            report("Checking rows", min(done, total), total)

    return read_file(run.kind, raw, progress=on_progress)


def _finish_rejected(run: ImportRun, parsed: Parsed, started: float) -> None:
    lines = {e.line for e in parsed.errors}
    _update_run(
        run,
        status=ImportRun.Status.FAILED,
        phase="",
        rows_read=parsed.rows_read,
        rows_processed=parsed.rows_read,
        rejected=len(lines),
        error_count=len(parsed.errors),
        errors=[e.as_dict() for e in parsed.errors[:MAX_STORED_ERRORS]],
        message=(
            f"Nothing was imported: {len(lines)} {'row has' if len(lines) == 1 else 'rows have'} "
            f"{'an error' if len(parsed.errors) == 1 else 'errors'}. Correct the file and upload it again."
        ),
        finished_at=timezone.now(),
    )


def _summary(run: ImportRun, outcome: Outcome) -> str:
    verb = "would be" if run.dry_run else "were"
    text = f"{outcome.created} created, {outcome.updated} updated, {outcome.unchanged} unchanged"
    if outcome.skipped:
        text += f", {outcome.skipped} rows skipped"
    prefix = "Dry run: nothing was written. " if run.dry_run else ""
    return f"{prefix}Records {verb}: {text}."


# Creating runs ---------------------------------------------------------------------------


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def academic_year_from_name(name: str) -> int | None:
    """'2018-2019/england_ks4final.csv' or 'ks4_201819.csv' → 2018; None if the name has none."""
    match = re.search(r"(20\d\d)[-_/ ]?(20)?(\d\d)", name)
    if match:
        start, end = int(match.group(1)), int(match.group(3))
        if (start + 1) % 100 == end:
            return start
    return None
