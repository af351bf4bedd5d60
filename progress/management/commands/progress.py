"""`manage.py progress --municipality 607 --as-of 2026-04-01 --json`: the target's figures."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Municipality
from progress.counting import progress_for
from progress.models import Target


class Command(BaseCommand):
    help = "Print progress toward a municipality's current flex-job target."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, type=int, help="municipality code, e.g. 607")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today in the site's time zone)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, municipality, as_of, json: bool = False, **options):
        try:
            muni = Municipality.objects.get(code=municipality)
        except Municipality.DoesNotExist:
            raise CommandError(f"Unknown municipality code {municipality}") from None
        try:
            as_of_date = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError("--as-of must be a date, YYYY-MM-DD") from None
        target = Target.objects.current_for(muni, as_of_date)
        if target is None:
            raise CommandError(f"Municipality {municipality} has no target")
        progress = progress_for(target, as_of_date)
        if json:
            # The same keys, in the same order, as GET /progress.json.
            self.stdout.write(_dumps({**progress.as_json(), "municipality": muni.code}))
        else:
            self.stdout.write(
                f"{muni.name}: {progress.new_flex_jobs} af {progress.target} nye fleksjob "
                f"({progress.percent} %) pr. {as_of_date:%d-%m-%Y}; privat {progress.private}, "
                f"offentlig {progress.public}, stadig i job {progress.still_running}"
            )


def _dumps(data):
    return json.dumps(data, ensure_ascii=False)
