"""`manage.py anonymise_expired [--as-of YYYY-MM-DD] [--dry-run]`: anonymise the citizens
past the retention period (settings.RETENTION_YEARS) and print how many; with --dry-run, only
count them. A day after today is for --dry-run only."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import ngettext

from retention.services import citizens_anonymise_expired


class Command(BaseCommand):
    help = "Anonymise citizens whose last placement or case ended more than RETENTION_YEARS years ago."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today in the site's time zone)")
        parser.add_argument("--dry-run", action="store_true", help="only count them; change nothing")

    def handle(self, *args, as_of=None, dry_run=False, **options):
        try:
            day = date.fromisoformat(as_of) if as_of is not None else timezone.localdate()
        except ValueError:
            raise CommandError("--as-of must be a date, YYYY-MM-DD") from None
        if day > timezone.localdate() and not dry_run:
            # Anonymised is gone for good: no one's retention period is cut short by a typo.
            raise CommandError("--as-of must not be after today (with --dry-run it may, to see what is coming)")
        n = citizens_anonymise_expired(as_of=day, dry_run=dry_run)
        if dry_run:
            message = ngettext("Ville anonymisere %(n)d borger.", "Ville anonymisere %(n)d borgere.", n)
        else:
            message = ngettext("Anonymiserede %(n)d borger.", "Anonymiserede %(n)d borgere.", n)
        self.stdout.write(message % {"n": n})
