"""`manage.py send_reminders [--as-of YYYY-MM-DD]`: the nightly reminders, by hand."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.validators import validate_planned_date
from worklist.services import reminders_send


class Command(BaseCommand):
    help = (
        "Opret påmindelser for det, der er forfaldent på dagen (i dag, eller --as-of), og læg "
        "dagens e-mailoversigter i kø. En dag køres kun én gang: anden kørsel opretter ingen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="dagen, ÅÅÅÅ-MM-DD (standard: i dag)")

    def handle(self, *args, as_of=None, **options):
        day = _day(as_of) if as_of else timezone.localdate()
        created = reminders_send(as_of=day)
        self.stdout.write(f"Oprettede {created} påmindelser for {day.isoformat()}.")


def _day(text):
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"--as-of skal være en dato på formen ÅÅÅÅ-MM-DD, fx 2026-12-01 (fik {text!r}).") from None
    try:
        validate_planned_date(day)
    except ValidationError as error:
        raise CommandError(f"--as-of: {error.messages[0]}") from None
    return day
