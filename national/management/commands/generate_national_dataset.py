"""``manage.py generate_national_dataset``: replace the data with a generated national data set."""

from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from accounts.authorities import working_in
from accounts.models import Authority
from categorisation.models import Framework, FrameworkVersion
from national import generator
from schools.models import School


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date like 2026-11-20") from None


class Command(BaseCommand):
    help = (
        "Replace the schools and all their case data with a generated national data set (about 22,000 "
        "schools, ten years) drawn from the shapes of the real files in data/. Same seed, same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=22_000, help="schools to generate (default 22000)")
        parser.add_argument("--years", type=int, default=10, help="academic years of history (default 10)")
        parser.add_argument("--seed", type=int, default=1, help="seed of the random draws (default 1)")
        parser.add_argument(
            "--as-of", type=_day, default=generator.AS_OF, help="the day the data stands at (default 2026-11-20)"
        )
        parser.add_argument("--password", help="give every generated person this password (default: none can sign in)")
        parser.add_argument(
            "--replace",
            "--yes",
            action="store_true",
            dest="replace",
            help="delete the schools and case data already in the database (required when there are schools)",
        )

    def handle(self, *args, **options):
        if options["schools"] < 1 or options["years"] < 1:
            raise CommandError("--schools and --years must be at least 1")
        held = School.objects.count()
        if held and not options["replace"]:
            raise CommandError(
                f"The database holds {held:,} schools. Generating deletes them and all their case data "
                "(inspections, categories, the priority list, support, the board's records, notes): "
                "run again with --replace to go ahead."
            )
        try:
            # Made in the first authority (the default one the migrations make).
            with working_in(Authority.objects.order_by("pk").first()):
                counts = generator.generate(
                    schools=options["schools"],
                    years=options["years"],
                    seed=options["seed"],
                    as_of=options["as_of"],
                    password=options["password"],
                )
        except (Framework.DoesNotExist, FrameworkVersion.DoesNotExist) as exc:
            raise CommandError(
                "No categorisation framework is active: run the migrations, which load the built-in ones."
            ) from exc
        width = max(len(label) for label in counts.rows)
        for label, rows in counts.rows.items():
            self.stdout.write(f"  {label:<{width}}  {rows:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {counts['schools.School']:,} schools and {counts.total:,} rows in all "
                f"(seed {options['seed']}, as of {options['as_of']:%d %B %Y}) in {counts.seconds:.1f} s"
            )
        )
