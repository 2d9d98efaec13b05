"""The import service: from a validated file to the database, all or nothing.

``run_import`` reads a file through ``schools.importers``, and then, only if no row has an
error, upserts every record by its natural key in one transaction. It counts what was created,
updated and left unchanged, so a second import of the same file reports 0 created and 0
updated. A dry run does everything but write.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts import audit, notifications
from accounts.audit import bulk as audit_bulk
from schools import ofsted, signals
from schools.filters import forget_choices
from schools.importers import FORMATS, FileRejected, Parsed, ees, read_file
from schools.importers.base import MAX_STORED_ERRORS, RowError
from schools.importers.gias import GROUP_FIELDS_IN_LINKS, RESOLVED_FIELDS
from schools.models import (
    EstynInspection,
    GroupMembership,
    ImportChange,
    ImportProblem,
    ImportRowHash,
    ImportRun,
    Inspection,
    LocalAuthority,
    LocalAuthorityFigure,
    NationalFigure,
    PerformanceMeasure,
    School,
    SchoolGroup,
    SchoolLink,
    welsh_q,
)
from schools.upsert import BATCH_SIZE, LOOKUP_CHUNK, Journal, Outcome, chunks, upsert

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def _added(dry_run: bool) -> str:
    return "would be added" if dry_run else "added"


def _school_ids(urns: Iterable[int]) -> dict[int, int]:
    return _pks_by(School, "urn", urns)


def _pks_by(model, field: str, values: Iterable, *, target: str = "pk") -> dict[Any, int]:
    """The pks (or ``target``) of the records with these values of a unique ``field``, by value.
    For many values the whole table's pairs are read and picked from: a query of thousands of
    parameters costs Django more to build than the table costs to read."""
    wanted = {v for v in values if v is not None}
    if len(wanted) > LOOKUP_CHUNK:
        pairs = model.objects.values_list(field, target).iterator(chunk_size=LOOKUP_CHUNK)
        return {value: pk for value, pk in pairs if value in wanted}
    found: dict[Any, int] = {}
    for chunk in chunks(sorted(wanted), LOOKUP_CHUNK):
        found.update(model.objects.filter(**{f"{field}__in": chunk}).values_list(field, target))
    return found


# Applying each kind ----------------------------------------------------------------------


def _apply_establishments(parsed: Parsed, run: ImportRun, dry_run: bool, journal: Journal) -> Outcome:
    records = _named(parsed)
    notes: list[str] = []
    la_ids = _ensure_local_authorities(records, dry_run, notes, journal)
    trust_ids = _ensure_groups(records, "trust", "Trust", dry_run, notes, journal)
    federation_ids = _ensure_groups(records, "federation", "Federation", dry_run, notes, journal)
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
    outcome = upsert(School, records, key=("urn",), dry_run=dry_run, journal=journal)
    outcome.notes = notes
    return outcome


def _named(parsed: Parsed) -> list[dict]:
    """The register's records, but for rows without a name for a school not yet known: a new
    school cannot be added without one (a known school keeps its name), so they are skipped."""
    records = parsed.prepared.records
    unnamed = [r["urn"] for r in records if "name" not in r]
    if not unnamed:
        return records
    known = _school_ids(unnamed)
    kept = []
    for record in records:
        if "name" not in record and record["urn"] not in known:
            parsed.prepared.skip(
                record, "No establishment name, and the school is not in the register", urn=record["urn"]
            )
        else:
            kept.append(record)
    return kept


def _ensure_local_authorities(records: list[dict], dry_run: bool, notes: list[str], journal: Journal) -> dict[int, int]:
    """Map LA codes to ids, adding any authority the register names that is not yet known (by the
    name the file gives it, or, in a download without LA names, as "LA <code>" until the DfE
    list of authorities is imported)."""
    names = {r["la_code"]: (r.get("la_name") or f"LA {r['la_code']}", r.get("region_name") or "") for r in records}
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
            journal.created(LocalAuthority, ("code",), [(c,) for c in missing])
            known.update(LocalAuthority.objects.filter(code__in=missing).values_list("code", "pk"))
    return known


def _ensure_groups(
    records: list[dict], prefix: str, type_name: str, dry_run: bool, notes: list[str], journal: Journal
) -> dict[int, int]:
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
            journal.created(SchoolGroup, ("uid",), [(uid,) for uid in missing])
            known.update(SchoolGroup.objects.filter(uid__in=missing).values_list("uid", "pk"))
    return known


def _with_school(records: list[dict], outcome: Outcome) -> tuple[list[dict], dict[int, int]]:
    """Keep records for schools in the register; name the others (URN, name and LA as the file
    gives them) and count their rows as skipped."""
    ids = _school_ids(r["urn"] for r in records)
    kept = []
    for record in records:
        school_id = ids.get(record["urn"])
        if school_id is None:
            line = record["_line"]
            outcome.unknown_lines.add(line)
            if record["urn"] not in outcome.unknown:
                outcome.unknown[record["urn"]] = (line, record.get("_name") or "", str(record.get("_la") or ""))
            continue
        kept.append({**{k: v for k, v in record.items() if k != "urn"}, "_urn": record["urn"], "school_id": school_id})
    return kept, ids


def _apply_links(parsed: Parsed, run: ImportRun, dry_run: bool, journal: Journal) -> Outcome:
    outcome = Outcome()
    records, _ = _with_school(parsed.prepared.records, outcome)
    key = ("school_id", "linked_urn", "link_type")
    outcome.add(upsert(SchoolLink, records, key=key, dry_run=dry_run, journal=journal))
    return outcome


def _apply_groups(parsed: Parsed, run: ImportRun, dry_run: bool, journal: Journal) -> Outcome:
    return upsert(SchoolGroup, parsed.prepared.records, key=("uid",), dry_run=dry_run, journal=journal)


def _apply_group_links(parsed: Parsed, run: ImportRun, dry_run: bool, journal: Journal) -> Outcome:
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
            journal.created(SchoolGroup, ("uid",), [(uid,) for uid in missing])
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
    key = ("group_id", "school_id")
    outcome.add(upsert(GroupMembership, memberships, key=key, dry_run=dry_run, journal=journal))
    return outcome


def _apply_local_authorities(parsed: Parsed, run: ImportRun, dry_run: bool, journal: Journal) -> Outcome:
    return upsert(LocalAuthority, parsed.prepared.records, key=("code",), dry_run=dry_run, journal=journal)


def _welsh_or_not(records: list[dict], welsh: bool, parsed: Parsed, outcome: Outcome, reason: str) -> list[dict]:
    """Keep the records for Welsh schools (``welsh``) or for the others; set the rest aside with
    a warning on each of their rows, naming the URN, and count those rows as skipped."""
    ids = {r["school_id"] for r in records}
    welsh_ids: set[int] = set()
    for chunk in chunks(sorted(ids), LOOKUP_CHUNK):
        welsh_ids.update(School.objects.filter(welsh_q(), pk__in=chunk).values_list("pk", flat=True))
    kept = []
    for record in records:
        if (record["school_id"] in welsh_ids) == welsh:
            kept.append(record)
        elif record["_line"] not in outcome.set_aside_lines:
            outcome.set_aside_lines.add(record["_line"])
            parsed.warnings.append(RowError(record["_line"], "URN", str(record["_urn"]), reason))
    return kept


def _apply_ofsted(parsed: Parsed, run: ImportRun, dry_run: bool, journal: Journal) -> Outcome:
    outcome = Outcome()
    records, _ = _with_school(parsed.prepared.records, outcome)
    # Ofsted data never attaches to a Welsh school (issue 21): a file naming one is still read.
    records = _welsh_or_not(records, False, parsed, outcome, OFSTED_ROW_FOR_WELSH_SCHOOL)
    outcome.add(upsert(Inspection, records, key=("inspection_number",), dry_run=dry_run, journal=journal))
    if not dry_run:
        changed = refresh_latest_inspections({r["school_id"] for r in records})
        if changed:
            outcome.notes.append(f"Latest Ofsted outcome changed for {_count(changed, 'school')}")
    return outcome


OFSTED_ROW_FOR_WELSH_SCHOOL = "is a Welsh school: Estyn inspects it, not Ofsted, so this row was not imported"
ESTYN_ROW_FOR_ENGLISH_SCHOOL = "is not a Welsh school: Estyn does not inspect it, so this row was not imported"


def _apply_estyn(parsed: Parsed, run: ImportRun, dry_run: bool, journal: Journal) -> Outcome:
    """Estyn inspections by school and start date; a row for a school outside Wales is set aside
    with a warning, as an Ofsted row for a Welsh school is."""
    outcome = Outcome()
    records = _by_laestab(parsed)
    records, _ = _with_school(records, outcome)
    records = _welsh_or_not(records, True, parsed, outcome, ESTYN_ROW_FOR_ENGLISH_SCHOOL)
    first_seen: dict[tuple, int] = {}
    kept = []
    for record in records:
        key = (record["school_id"], record["start_date"])
        if key in first_seen:
            outcome.set_aside_lines.add(record["_line"])
            parsed.warnings.append(
                RowError(
                    record["_line"],
                    "Inspection start date",
                    f"{record['start_date']:%d/%m/%Y}",
                    f"repeats the inspection on line {first_seen[key]} (the same school by its URN and "
                    "LAESTAB); that line is kept",
                )
            )
            continue
        first_seen[key] = record["_line"]
        kept.append({k: v for k, v in record.items() if k != "laestab"})
    outcome.add(upsert(EstynInspection, kept, key=("school_id", "start_date"), dry_run=dry_run, journal=journal))
    return outcome


def _by_laestab(parsed: Parsed) -> list[dict]:
    """Each record with its school's URN: as given, or found from its LAESTAB (a LAESTAB the
    register lacks sets the row aside, said in the report)."""
    records = parsed.prepared.records
    wanted = sorted({r["laestab"] for r in records if r.get("urn") is None})
    urn_of: dict[int, int] = {}
    for chunk in chunks(wanted, LOOKUP_CHUNK):
        urn_of.update(School.objects.filter(laestab__in=chunk).values_list("laestab", "urn"))
    found = []
    for record in records:
        if record.get("urn") is None:
            urn = urn_of.get(record["laestab"])
            if urn is None:
                parsed.prepared.skip(
                    record, f"LAESTAB {record['laestab']} is not in the register", name=record.get("_name", "")
                )
                continue
            record = {**record, "urn": urn}
        found.append(record)
    return found


def _apply_performance(parsed: Parsed, run: ImportRun, dry_run: bool, journal: Journal) -> Outcome:
    year = run.academic_year
    outcome = Outcome()
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
            journal=journal,
        )
    )
    national = [{**n, "academic_year": year} for n in parsed.prepared.national]
    if national:
        key = ("academic_year", "measure", "phase")
        result = upsert(NationalFigure, national, key=key, dry_run=dry_run, journal=journal)
        if result.created or result.updated:
            verb = "would be recorded" if dry_run else "recorded"
            outcome.notes.append(f"{_count(result.created + result.updated, 'national figure')} {verb}")
    return outcome


def _apply_la_figures(parsed: Parsed, run: ImportRun, dry_run: bool, journal: Journal) -> Outcome:
    """England's and LAs' published figures, by place, year, period and measure."""
    records = [{**r, "file_name": run.file_name[:255]} for r in parsed.prepared.records]
    return upsert(LocalAuthorityFigure, records, key=ees.KEY, dry_run=dry_run, journal=journal)


APPLIERS: dict[str, Callable[[Parsed, ImportRun, bool, Journal], Outcome]] = {
    ImportRun.Kind.GIAS_ESTABLISHMENTS: _apply_establishments,
    ImportRun.Kind.GIAS_LINKS: _apply_links,
    ImportRun.Kind.GIAS_GROUPS: _apply_groups,
    ImportRun.Kind.GIAS_GROUP_LINKS: _apply_group_links,
    ImportRun.Kind.LOCAL_AUTHORITIES: _apply_local_authorities,
    ImportRun.Kind.OFSTED_LATEST: _apply_ofsted,
    ImportRun.Kind.ESTYN_INSPECTIONS: _apply_estyn,
    ImportRun.Kind.CENSUS: _apply_performance,
    ImportRun.Kind.KS2: _apply_performance,
    ImportRun.Kind.KS4: _apply_performance,
    ImportRun.Kind.ABSENCE: _apply_performance,
    ImportRun.Kind.KS5: _apply_performance,
    ImportRun.Kind.KS4_DESTINATIONS: _apply_performance,
    ImportRun.Kind.EES_LA_FIGURES: _apply_la_figures,
}


def import_collected(*, run: ImportRun, figures: list[dict]) -> ImportRun:
    """Write figures checked before the run (the authority's own collection: every row already
    right, every school one of the authority's) in one transaction, journalled like a file's import
    so that it can be undone, and record the result on the run."""
    journal = Journal()
    year = run.academic_year
    with transaction.atomic(), audit.acting(run.started_by, reason=audit_reason(run)):
        outcome = upsert(
            PerformanceMeasure,
            [{**f, "academic_year": year, "marker": ""} for f in figures],
            key=("school_id", "academic_year", "measure"),
            dry_run=False,
            scope={"academic_year": year},
            journal=journal,
        )
        _keep_journal(run, journal)
        _update_run(
            run,
            status=ImportRun.Status.SUCCEEDED,
            created=outcome.created,
            updated=outcome.updated,
            unchanged=outcome.unchanged,
            message=f"From the authority's own collection. {_summary(run, outcome, 0, 0, 0)}",
            finished_at=timezone.now(),
        )
    # Only the authority's own schools changed: it alone reassesses them, not every authority.
    school_ids = sorted({f["school_id"] for f in figures})
    signals.facts_changed.send(sender=School, trigger="import", school_ids=school_ids)
    return run


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
    _write_latest(changed)
    for chunk in chunks([school.pk for school in changed], LOOKUP_CHUNK):
        audit_bulk.record(School.objects.filter(pk__in=chunk), audit_bulk.CHANGED)
    return len(changed)


def _write_latest(changed: list[School]) -> None:
    """Each school's latest inspection and outcome. On PostgreSQL one ``UPDATE … FROM`` a table
    the values are copied into (Django's ``bulk_update`` builds a CASE per school, which costs
    a national file a minute and a half); elsewhere ``bulk_update``."""
    fields = ["latest_inspection_id", "ofsted_outcome", "ofsted_outcome_date"]
    if connection.vendor != "postgresql" or len(changed) < BATCH_SIZE:
        School.objects.bulk_update(changed, fields, batch_size=BATCH_SIZE)
        return
    table = connection.ops.quote_name(School._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS latest_stage")
        cursor.execute(
            "CREATE TEMPORARY TABLE latest_stage (id bigint PRIMARY KEY, latest bigint, outcome varchar(30), day date)"
        )
        with cursor.copy("COPY latest_stage (id, latest, outcome, day) FROM STDIN") as copy:
            for school in changed:
                copy.write_row(
                    (school.pk, school.latest_inspection_id, school.ofsted_outcome, school.ofsted_outcome_date)
                )
        cursor.execute(
            f"UPDATE {table} s SET latest_inspection_id = l.latest, ofsted_outcome = l.outcome, "  # noqa: S608 - a table name
            "ofsted_outcome_date = l.day FROM latest_stage l WHERE s.id = l.id"
        )
        cursor.execute("DROP TABLE latest_stage")


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
    """Import one file for an import run, all or nothing, and record the result on the run; the
    person who started it is told when it has finished, whether it succeeded or failed.

    ``raw`` is the file's bytes when they are at hand (the management command); otherwise they
    are read from the run's stored upload.
    """
    try:
        return _run_import(run=run, raw=raw, progress=progress)
    finally:
        _tell_who_started(run)


def _tell_who_started(run: ImportRun) -> None:
    if not run.started_by_id or not run.is_finished:
        return
    what = "check" if run.dry_run else "import"
    outcome = "finished" if run.status == ImportRun.Status.SUCCEEDED else "failed"
    notifications.notify(
        [run.started_by_id],
        kind=notifications.Kind.IMPORT_FINISHED,
        key=f"import-finished:{run.pk}",
        title=f"Your {what} of {run.file_name} ({run.get_kind_display()}) {outcome}",
        url=reverse("schools:import-detail", args=[run.pk]),
    )


def _run_import(*, run: ImportRun, raw: bytes | None, progress: Progress | None) -> ImportRun:
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

    journal = Journal()
    held = _held_digests(run)
    try:
        if raw is None:
            with run.file.open("rb") as handle:
                raw = handle.read()
        fmt = FORMATS[run.kind]
        if fmt.needs_academic_year and not run.academic_year:
            raise FileRejected("Give the academic year this performance tables file covers (for example 2018/19).")
        parsed = _parse(run, raw, report, held)
        if parsed.errors:
            _finish_rejected(run, parsed)
            return run
        report("Comparing with the records held", parsed.rows_read, parsed.rows_read)
        applier = APPLIERS[run.kind]
        if run.dry_run:
            outcome = applier(parsed, run, True, journal)
        else:
            report("Writing", parsed.rows_read, parsed.rows_read)
            with transaction.atomic(), audit.acting(run.started_by, reason=audit_reason(run)):
                _keep_journal(run, journal)  # as it is written: an import may change every school
                outcome = applier(parsed, run, False, journal)
                parsed.prepared.records = []  # written: let go before the digests are kept
                _keep_digests(run, parsed, outcome, held)
                journal.flush()
        outcome.unchanged += parsed.unchanged_rows
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
    problems = _problems(parsed, outcome)
    # Rows, never inspections or figures: a row out of scope, or naming a school the register lacks.
    skipped = len({s.line for s in parsed.prepared.skipped} | outcome.unknown_lines | outcome.set_aside_lines)
    _keep_problems(run, problems)
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
        skipped=skipped,
        rejected=0,
        warning_count=len(parsed.warnings),
        unknown_school_count=len(outcome.unknown),
        problem_groups=group_problems(problems),
        notes=outcome.notes,
        message=_summary(run, outcome, skipped, len(parsed.warnings), len(outcome.unknown)),
        finished_at=timezone.now(),
    )
    logger.info("Import run %s: %s in %.2fs", run.pk, run.message, time.monotonic() - started)
    if not run.dry_run:
        # The school list's filter choices (phases, types, statuses) may have changed.
        forget_choices()
        _recategorise_after(run, _changed_school_ids(journal))
    return run


# The report: every problem kept, grouped for the page --------------------------------------

FIRST = 5  # lines and values shown for each group


def _problems(parsed: Parsed, outcome: Outcome | None = None) -> list[ImportProblem]:
    """The whole report as rows: errors, warnings, rows skipped and schools the register lacks."""
    kind = ImportProblem.Kind
    rows = [
        ImportProblem(kind=k, line=p.line, column=p.column[:255], value=p.value[:1000], reason=p.reason[:255])
        for k, found in ((kind.ERROR, parsed.errors), (kind.WARNING, parsed.warnings))
        for p in found
    ]
    rows += [
        ImportProblem(
            kind=kind.SKIPPED, line=s.line, reason=s.reason[:255], urn=s.urn, name=s.name[:255], la=s.la[:100]
        )
        for s in parsed.prepared.skipped
    ]
    if outcome is not None:
        rows += [
            ImportProblem(
                kind=kind.UNKNOWN_SCHOOL,
                line=line,
                column="URN",
                value=str(urn),
                reason="is not in the register",
                urn=urn,
                name=name[:255],
                la=la[:100],
            )
            for urn, (line, name, la) in sorted(outcome.unknown.items(), key=lambda item: item[1][0])
        ]
    return rows


def group_problems(problems: list[ImportProblem]) -> list[dict]:
    """Problems grouped by kind, column and reason: a count, the first lines and values."""
    groups: dict[tuple[str, str, str], dict] = {}
    for problem in problems:
        group = groups.setdefault(
            (problem.kind, problem.column, problem.reason),
            {
                "kind": problem.kind,
                "column": problem.column,
                "reason": problem.reason,
                "count": 0,
                "lines": [],
                "values": [],
            },
        )
        group["count"] += 1
        if len(group["lines"]) < FIRST and problem.line and problem.line not in group["lines"]:
            group["lines"].append(problem.line)
        shown = problem.value or (f"{problem.urn} {problem.name}".strip() if problem.urn else "")
        if len(group["values"]) < FIRST and shown and shown not in group["values"]:
            group["values"].append(shown)
    order = list(ImportProblem.Kind.values)
    return sorted(groups.values(), key=lambda g: (order.index(g["kind"]), -g["count"], g["column"], g["reason"]))


# A report row's fields after its run, written as they are (text and numbers: nothing to convert).
PROBLEM_FIELDS = ("kind", "line", "column", "value", "reason", "urn", "name", "la")


def _keep_problems(run: ImportRun, problems: list[ImportProblem]) -> None:
    """The report's rows, with one prepared INSERT run for each: a national file's report is over
    100,000 rows, which ``bulk_create`` takes about seven times as long to write on SQLite as it
    builds each row's SQL (as quick on PostgreSQL)."""
    ImportProblem.objects.filter(run=run).delete()
    quote = connection.ops.quote_name
    columns = [ImportProblem._meta.get_field(name).column for name in ("run", *PROBLEM_FIELDS)]
    insert = (  # the model's own table and column names
        f"INSERT INTO {quote(ImportProblem._meta.db_table)} ({', '.join(map(quote, columns))}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for chunk in chunks(problems, 5 * BATCH_SIZE):
            cursor.executemany(insert, [(run.pk, *(getattr(p, name) for name in PROBLEM_FIELDS)) for p in chunk])


JOURNAL_CHUNK = 5000  # records per ImportChange row


def _keep_journal(run: ImportRun, journal: Journal) -> None:
    """Store what the journal still holds, and from now on whatever it is given."""
    journal.store = partial(_store_journal, run)
    journal.flush()


def _store_journal(run: ImportRun, batches: list) -> None:
    """The journal in a few rows: one per model, action and few thousand records, each written
    as it is made, so that a national register's journal is never held twice over."""
    grouped: dict[tuple[str, str], list] = defaultdict(list)
    for batch in batches:
        model, _key, action, items = batch
        if items:
            grouped[(model._meta.label, action)].append(batch)
    for (label, action), group in grouped.items():
        records = ([key, before] for batch in group for _model, key, _action, before in Journal.batch_entries(batch))
        while chunk := list(islice(records, JOURNAL_CHUNK)):
            ImportChange.objects.bulk_create(
                [ImportChange(run_id=run.pk, model=label, action=action, records=_jsonable(chunk))]
            )


def _jsonable(values: Any) -> Any:
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def audit_reason(run: ImportRun) -> str:
    """How the history rows an import writes name it."""
    return f"Import {run.pk}: {run.kind} ({run.file_name})"


def _recategorise_after(run: ImportRun, school_ids: list[int] | None = None) -> None:
    """New data can change categories: reassess, once the import has committed, the schools whose
    facts it created or changed (``school_ids``; None: it cannot tell, so every school)."""
    signals.facts_changed.send(sender=ImportRun, trigger="import", import_run=run, school_ids=school_ids)


def _changed_school_ids(journal: Journal) -> list[int] | None:
    """The schools whose facts the import created or changed, from its journal; None when it
    changed a record that is no one school's (an authority, a trust, national or LA figures).
    An authority or trust it only added is named by schools it added or changed, so counts as none."""
    urns: set[int] = set()
    numbers: set[str] = set()
    ids: set[int] = set()
    for model, key, action in journal.journalled():
        if model is School:
            urns.add(key["urn"])
        elif model is Inspection:
            numbers.add(key["inspection_number"])
        elif "school_id" in key:
            ids.add(key["school_id"])
        elif not (model in (LocalAuthority, SchoolGroup) and action == ImportChange.Action.CREATED):
            return None
    ids.update(_school_ids(urns).values())
    ids.update(_pks_by(Inspection, "inspection_number", numbers, target="school_id").values())
    return sorted(ids)


def _parse(run: ImportRun, raw: bytes, report: Progress, held: dict[str, str] | None) -> Parsed:
    total = max(1, raw.count(b"\n") - 1)
    report("Checking rows", 0, total)
    last = [0.0]

    def on_progress(done: int) -> None:
        now = time.monotonic()
        if now - last[0] > 0.5 or done >= total:
            last[0] = now
            report("Checking rows", min(done, total), total)

    return read_file(run.kind, raw, progress=on_progress, held=held)


# The rows each kind last imported, by digest --------------------------------------------------


def _digest_kind(run: ImportRun) -> str:
    """Under what the digests of a run's rows are kept: its kind, and the year for a file of one year."""
    year = f":{run.academic_year}" if FORMATS[run.kind].needs_academic_year else ""
    return f"{run.kind}{year}"


def _held_digests(run: ImportRun) -> dict[str, str] | None:
    """The digests the last imports of the run's kind stored, by key; None for a kind whose rows
    are read every time."""
    fmt = FORMATS.get(run.kind)
    if fmt is None or not fmt.row_key:
        return None
    quote = connection.ops.quote_name
    table, key, digest, kind = map(quote, (ImportRowHash._meta.db_table, "key", "digest", "kind"))
    with connection.cursor() as cursor:
        # One plain query: a national register holds 20,000 and more.
        cursor.execute(f"SELECT {key}, {digest} FROM {table} WHERE {kind} = %s", [_digest_kind(run)])  # noqa: S608 - the model's names
        return dict(cursor.fetchall())


def _keep_digests(run: ImportRun, parsed: Parsed, outcome: Outcome, held: dict[str, str] | None) -> None:
    """Store the digest of each row read, so that the next import of the kind need not read it
    again; but a row with a warning, or not imported (out of scope, a school the register lacks,
    set aside) gets none, so that it is read, and reported, every time."""
    if held is None or not parsed.row_digests:
        return
    reported = (
        {w.line for w in parsed.warnings}
        | {s.line for s in parsed.prepared.skipped}
        | outcome.unknown_lines
        | outcome.set_aside_lines
    )
    kind = _digest_kind(run)
    records = []
    for line, (key, digest) in parsed.row_digests.items():
        wanted = "" if line in reported else digest
        if held.get(key, "") != wanted:  # no digest and an empty one mean the same: read it
            records.append({"key": key, "kind": kind, "digest": wanted})
    upsert(ImportRowHash, records, key=("key", "kind"), dry_run=False)


def forget_row_digests() -> None:
    """Every kind's next import reads every row: after an undo, the records no longer hold what
    the stored digests say they do (and an undo may remove records another kind's rows made)."""
    ImportRowHash.objects.all().delete()


def _finish_rejected(run: ImportRun, parsed: Parsed) -> None:
    lines = {e.line for e in parsed.errors}
    problems = _problems(parsed)
    _keep_problems(run, problems)
    _update_run(
        run,
        status=ImportRun.Status.FAILED,
        phase="",
        rows_read=parsed.rows_read,
        rows_processed=parsed.rows_read,
        rejected=len(lines),
        error_count=len(parsed.errors),
        warning_count=len(parsed.warnings),
        errors=[e.as_dict() for e in parsed.errors[:MAX_STORED_ERRORS]],
        problem_groups=group_problems(problems),
        message=(
            f"Nothing was imported: {len(lines):,} {'row has' if len(lines) == 1 else 'rows have'} "
            f"{'an error' if len(parsed.errors) == 1 else 'errors'} in a key column. Correct the file and "
            "check it again."
        ),
        finished_at=timezone.now(),
    )


def _summary(run: ImportRun, outcome: Outcome, skipped: int, warnings: int, unknown: int) -> str:
    verb = "would be" if run.dry_run else "were"
    text = f"{outcome.created:,} created, {outcome.updated:,} updated, {outcome.unchanged:,} unchanged"
    if skipped:
        text += f"; {_count(skipped, 'row')} skipped"
    if unknown:
        text += f" ({_count(unknown, 'school')} not in the register)"
    if warnings:
        text += f"; {_count(warnings, 'warning')}"
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


# Undoing an import -------------------------------------------------------------------------


def undo_blocker(run: ImportRun, *, thorough: bool = False) -> str:
    """Why the import cannot be undone, in words for the officer; "" when it can.

    The quick checks (for the import's page) look at the run; ``thorough`` also looks for a
    later import that changed the same records, and for records the import created that others
    now use (an inspection of a school it added, a case): those depend on it."""
    if run.dry_run:
        return "A dry run changes nothing, so there is nothing to undo."
    if run.undone_at:
        return "This import has been undone already."
    if run.status != ImportRun.Status.SUCCEEDED:
        return "Only an import that finished can be undone."
    if not run.created and not run.updated:
        return "This import created and changed nothing, so there is nothing to undo."
    if not ImportChange.objects.filter(run=run).exists():
        return "This import was made before imports could be undone."
    if not thorough:
        return ""
    later = _later_overlapping_import(run)
    if later is not None:
        return (
            f"A later import ({later.file_name}, import {later.pk}, {timezone.localtime(later.queued_at):%-d %B %Y}) "
            "changed the same records. Undo that import first."
        )
    used = _created_records_in_use(run)
    if used:
        return f"Records this import added are now used by other records ({used}), so it cannot be undone."
    return ""


@dataclass(frozen=True)
class Change:
    key: dict[str, Any]
    action: str
    before: dict[str, Any]


def _changes(run: ImportRun) -> dict[str, list[Change]]:
    """The import's journal by model, in the order the import wrote them."""
    by_model: dict[str, list[Change]] = defaultdict(list)
    for row in ImportChange.objects.filter(run=run).order_by("pk"):
        by_model[row.model].extend(Change(key, row.action, before) for key, before in row.records)
    return by_model


def _key_text(key: dict) -> str:
    return json.dumps(key, sort_keys=True)


def _later_overlapping_import(run: ImportRun) -> ImportRun | None:
    mine = {label: {_key_text(c.key) for c in changes} for label, changes in _changes(run).items()}
    later = (
        ImportRun.objects.filter(
            pk__gt=run.pk, dry_run=False, status=ImportRun.Status.SUCCEEDED, undone_at__isnull=True
        )
        .filter(changes__model__in=list(mine))
        .distinct()
        .order_by("pk")
    )
    for other in later:
        for label, changes in _changes(other).items():
            if label in mine and any(_key_text(c.key) in mine[label] for c in changes):
                return other
    return None


def _created_records_in_use(run: ImportRun) -> str:
    """What, other than the import's own records, uses the records it created: another record
    whose key to one of them would delete it with it, or stop it being deleted. (A key that is
    only cleared, such as a school's latest inspection, is worked out again after the undo;
    history rows keep no key; nor do rows their model marks ``RECOMPUTED``, such as the
    engine's assessment of a school the import added.)"""
    found: dict[Any, int] = defaultdict(int)
    for rel, pks in _dependants(_changes(run)):
        recomputed = getattr(rel.related_model, "RECOMPUTED", None)
        for chunk in chunks(pks, LOOKUP_CHUNK):
            using = rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": chunk})
            found[rel.related_model._meta] += (using.exclude(recomputed) if recomputed is not None else using).count()
    named = {
        str(meta.verbose_name if count == 1 else meta.verbose_name_plural): count
        for meta, count in found.items()
        if count
    }
    return ", ".join(f"{count:,} {name}" for name, count in sorted(named.items()))


def _dependants(by_model: dict[str, list[Change]]) -> Iterator[tuple[Any, list[int]]]:
    """Each relation by which a record outside the import would be deleted with, or stop the
    deletion of, records the import created (its journal, ``_changes``); with the keys of those
    created records."""
    own = {apps.get_model(label) for label in by_model}
    for label, changes in by_model.items():
        model = apps.get_model(label)
        created = [c.key for c in changes if c.action == ImportChange.Action.CREATED]
        if not created:
            continue
        relations = [
            rel
            for rel in model._meta.related_objects
            if rel.related_model not in own
            and not rel.many_to_many
            and rel.on_delete not in (models.SET_NULL, models.SET_DEFAULT, models.DO_NOTHING)
        ]
        if not relations:
            continue
        pks = [
            pk for chunk in chunks(created, LOOKUP_CHUNK) for pk in _matching(model, chunk).values_list("pk", flat=True)
        ]
        for rel in relations:
            yield rel, pks


def _delete_recomputed(by_model: dict[str, list[Change]]) -> None:
    """Delete, in the audit trail, what other apps worked out from the records the import created
    (``RECOMPUTED`` rows); the recategorisation after the undo works out what still applies."""
    for rel, pks in list(_dependants(by_model)):
        recomputed = getattr(rel.related_model, "RECOMPUTED", None)
        if recomputed is None:
            continue
        for chunk in chunks(pks, LOOKUP_CHUNK):
            doomed = rel.related_model._base_manager.filter(recomputed, **{f"{rel.field.name}__in": chunk})
            if audit_bulk.is_audited(rel.related_model):
                audit_bulk.record(doomed, audit_bulk.DELETED)
            doomed.delete()


def _matching(model, keys: list[dict]):
    """The records with these natural keys: by ``__in`` for a one-field key, else one query of ORs."""
    names = list(keys[0]) if keys else []
    if len(names) == 1:
        name = names[0]
        return model.objects.filter(**{f"{name}__in": [_to_python(model, name, key[name]) for key in keys]})
    query = Q(pk__in=[])
    for key in keys:
        query |= Q(**{name: _to_python(model, name, value) for name, value in key.items()})
    return model.objects.filter(query)


def _to_python(model, attname: str, value: Any) -> Any:
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    return field.to_python(value)


def undo_run(*, run: ImportRun, by) -> ImportRun:
    """Put back every record an import created or changed, as it was before, in one transaction
    and in the audit trail; refused (ValidationError) while something newer depends on them."""
    blocker = undo_blocker(run, thorough=True)
    if blocker:
        raise ValidationError(blocker)
    by_model = _changes(run)
    # Undo in the reverse order of the import: inspections before the schools they belong to,
    # schools before the authorities and trusts added for them.
    order = list(by_model)[::-1]  # the models in the order the import first wrote them
    schools_touched: set[int] = set()
    with transaction.atomic(), audit.acting(by, reason=f"Undo of import {run.pk}: {run.kind} ({run.file_name})"):
        locked = (
            ImportRun.objects.select_for_update()
            .filter(pk=run.pk, undone_at__isnull=True)
            .update(undone_at=timezone.now(), undone_by=by)
        )
        if not locked:
            raise ValidationError("This import has been undone already.")
        forget_row_digests()
        _delete_recomputed(by_model)
        for label in order:
            model = apps.get_model(label)
            changes = by_model[label]
            if model is Inspection:
                for chunk in chunks([c.key for c in changes], LOOKUP_CHUNK):
                    schools_touched |= set(_matching(Inspection, chunk).values_list("school_id", flat=True))
            _restore(model, [c for c in changes if c.action == ImportChange.Action.UPDATED])
            _delete(model, [c.key for c in changes if c.action == ImportChange.Action.CREATED])
        if schools_touched:
            refresh_latest_inspections(schools_touched)
    run.refresh_from_db()
    forget_choices()
    _recategorise_after(run)
    return run


def _restore(model, changes: list[Change]) -> None:
    """Set each changed record's fields back to the values they had before the import."""
    by_fields: dict[tuple[str, ...], list[Change]] = defaultdict(list)
    for change in changes:
        by_fields[tuple(sorted(change.before))].append(change)
    for fields, group in by_fields.items():
        if not fields:
            continue
        for chunk in chunks(group, 500):
            objects = []
            wanted = {_key_text(c.key): c.before for c in chunk}
            key_names = list(chunk[0].key)
            for obj in _matching(model, [c.key for c in chunk]):
                before = wanted.get(_key_text({name: _jsonable({"v": getattr(obj, name)})["v"] for name in key_names}))
                if before is None:
                    continue
                for name, value in before.items():
                    setattr(obj, name, _to_python(model, name, value))
                objects.append(obj)
            model.objects.bulk_update(objects, list(fields), batch_size=BATCH_SIZE)
            if audit_bulk.is_audited(model):
                audit_bulk.record(model.objects.filter(pk__in=[o.pk for o in objects]), audit_bulk.CHANGED)


def _delete(model, keys: list[dict]) -> None:
    for chunk in chunks(keys, 500):
        doomed = _matching(model, chunk)
        if audit_bulk.is_audited(model):
            audit_bulk.record(doomed, audit_bulk.DELETED)
        doomed.delete()
