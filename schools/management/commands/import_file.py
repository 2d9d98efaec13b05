"""Import a published file from the shell, with a progress bar: the same service the Imports
page runs as a Celery task."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from schools import imports, services
from schools.importers import FORMATS
from schools.models import ImportRun


class Command(BaseCommand):
    help = "Import a GIAS, Ofsted or performance tables file exactly as published."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(FORMATS), help="What kind of file it is.")
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--academic-year",
            type=int,
            help="Start year of the academic year a performance tables file covers (2018 for 2018/19).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report, writing nothing.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar.")
        parser.add_argument(
            "--again",
            metavar="REASON",
            default="",
            help="Import a file whose content was imported before, for this reason.",
        )

    def handle(self, *args, kind, path, academic_year, dry_run, no_progress, again, **options):
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        raw = path.read_bytes()
        if FORMATS[kind].needs_academic_year:
            academic_year = academic_year or imports.academic_year_from_name(str(path))
        earlier = services.earlier_import_of(imports.sha256_of(raw))
        if earlier and not dry_run and not again.strip():
            raise CommandError(
                f"This file was imported before: {earlier.get_kind_display()}, import {earlier.pk} of "
                f"{earlier.queued_at:%-d %B %Y}. Nothing was written. To import it again, say why with --again."
            )
        run = services.start_command_import(
            kind=kind,
            file_name=path.name,
            raw=raw,
            dry_run=dry_run,
            academic_year=academic_year,
            confirmation_reason=again.strip() if earlier else "",
        )
        bar = None if no_progress else tqdm(total=0, unit=" rows", desc="Reading", leave=False)

        def progress(phase: str, done: int, total: int) -> None:
            if bar is None:
                return
            bar.set_description(phase)
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            imports.run_import(run=run, raw=raw, progress=progress)
        finally:
            if bar is not None:
                bar.close()
        run.refresh_from_db()
        if run.status != ImportRun.Status.SUCCEEDED:
            for error in run.errors[:20]:
                self.stderr.write(
                    f"  Line {error['line']}, column '{error['column']}': '{error['value']}' {error['reason']}"
                )
            if run.error_count > 20:
                self.stderr.write(f"  … and {run.error_count - 20} more errors (see the Imports page)")
            raise CommandError(run.message)
        duration = run.duration_seconds or 0.0
        self.stdout.write(
            self.style.SUCCESS(f"{path.name}: {run.message} ({run.rows_read} rows read in {duration:.1f}s)")
        )
        for note in run.notes:
            self.stdout.write(f"  {note}")
