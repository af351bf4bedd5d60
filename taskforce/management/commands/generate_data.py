"""`manage.py generate_data --citizens N [--municipality CODE] [--seed S]`: brings the database to
N synthetic citizens, adding only what is missing (taskforce.synthetic does the work)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from taskforce import synthetic


class Command(BaseCommand):
    help = "Bring the database to N synthetic citizens with employers, placements, follow-ups and courses."

    def add_arguments(self, parser):
        parser.add_argument("--citizens", required=True, type=int, help="how many citizens there should be")
        parser.add_argument(
            "--municipality", type=int, help="municipality code, e.g. 607 (default: spread over all 98)"
        )
        parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same citizens")

    def handle(self, *args, citizens, municipality=None, seed=0, **options):
        if citizens < 0:
            raise CommandError("--citizens must be 0 or more")
        try:
            outcome = synthetic.generate(
                citizens=citizens, municipality_code=municipality, seed=seed, say=self.stdout.write
            )
        except LookupError:
            raise CommandError(
                f"Unknown municipality code {municipality}: not in the database and not one of Denmark's 98"
            ) from None
        except (synthetic.GenerationLimit, RuntimeError) as error:
            raise CommandError(str(error)) from None
        except IntegrityError as error:
            # The first line names the constraint; the rest would show the row's values.
            reason = str(error).splitlines()[0]
            raise CommandError(
                f"The database refused a generated row ({reason}); nothing of that batch was saved. "
                "Generated citizens are counted by their consultant (gen-konsulent-…): were some "
                "removed or given another consultant?"
            ) from None
        scope = f"municipality {municipality}" if municipality is not None else "the database"
        if not outcome.added:
            self.stdout.write(
                f"{scope.capitalize()} already has {outcome.existing:,} citizens (wanted {citizens:,}): nothing added."
            )
            return
        self.stdout.write(self.style.SUCCESS(
            f"Added {outcome.added:,} citizens ({outcome.rows:,} rows) in {outcome.seconds:.1f} s: "
            f"{scope} now has {outcome.existing + outcome.added:,}."
        ))
