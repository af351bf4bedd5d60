"""`manage.py snapshot_progress [--as-of YYYY-MM-DD]`: store the figures of every current
target as of a day (default yesterday, the last whole day, as the nightly job does)."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from progress.services import FutureDayError, snapshots_take


def parse_day(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError("--as-of must be a date, YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Store the figures of every current target as of a day (default yesterday); idempotent for a day."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default yesterday in the site's time zone)")

    def handle(self, *args, as_of=None, **options):
        day = parse_day(as_of) if as_of is not None else timezone.localdate() - timedelta(days=1)
        try:
            stored = snapshots_take(as_of=day)
        except FutureDayError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_("Gemte tallene for %(n)d mål pr. %(day)s.") % {"n": stored, "day": day.isoformat()})
