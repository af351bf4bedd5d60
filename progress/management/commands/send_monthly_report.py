"""`manage.py send_monthly_report [--as-of YYYY-MM-DD]`: queue the status report of the month
before the day (default today) to each municipality's managers, as beat does on the 1st.
A second run for the same month queues none."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import ngettext

from progress.services import FutureDayError, monthly_report_day, monthly_reports_queue

from .snapshot_progress import parse_day


class Command(BaseCommand):
    help = "Queue the monthly status report (the month before the day) to the managers; once per month."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today in the site's time zone)")

    def handle(self, *args, as_of=None, **options):
        day = parse_day(as_of) if as_of is not None else timezone.localdate()
        try:
            queued = monthly_reports_queue(as_of=day)
        except FutureDayError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            ngettext(
                "Satte %(n)d statusrapport pr. %(day)s i kø.", "Satte %(n)d statusrapporter pr. %(day)s i kø.", queued
            )
            % {"n": queued, "day": monthly_report_day(day).isoformat()}
        )
