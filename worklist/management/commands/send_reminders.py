"""`manage.py send_reminders [--as-of YYYY-MM-DD]`: the nightly reminders, by hand, for today
or a day gone by (never a day to come: see _day)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.validators import validate_planned_date
from worklist.services import reminders_send


class Command(BaseCommand):
    help = (
        "Opret påmindelser for det, der er forfaldent på dagen (i dag, eller --as-of: i dag eller "
        "tidligere), og læg dagens e-mailoversigter i kø. En dag køres kun én gang: anden kørsel opretter ingen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="dagen, ÅÅÅÅ-MM-DD, i dag eller tidligere (standard: i dag)")

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
    today = timezone.localdate()
    if day > today:
        # A day runs once: a run for a day to come would take that day's ReminderRun, and the
        # nightly run that day would then create nothing.
        raise CommandError(
            f"--as-of må ikke ligge efter i dag ({today.isoformat()}): en kørsel for en dag, der ikke er "
            "kommet endnu, bruger den dags kørsel op, så nattens kørsel den dag ikke opretter nogen påmindelser."
        )
    return day
