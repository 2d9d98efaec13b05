"""Delete the case records of schools closed longer ago than CLOSED_CASE_RETENTION_YEARS."""

from django.conf import settings
from django.core.management.base import BaseCommand

from schools import services


class Command(BaseCommand):
    help = "Delete the case records of closed schools past their retention period (see schools/retention.py)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be deleted; delete nothing.")

    def handle(self, *args, **options):
        purge = services.purge_closed_cases(dry_run=options["dry_run"])
        verb = "Would delete" if options["dry_run"] else "Deleted"
        self.stdout.write(
            f"Schools closed on or before {purge.cutoff:%d %B %Y} "
            f"({settings.CLOSED_CASE_RETENTION_YEARS} years ago): {purge.schools}"
        )
        for label, count in purge.deleted.items():
            self.stdout.write(f"  {verb} {count} {label}")
        self.stdout.write(f"{verb} {purge.total} records in all.")
        if not options["dry_run"]:
            self.stdout.write(f"Removed {purge.history_rows} earlier versions of them from the audit trail.")
