"""`manage.py figures_rebuild [--municipality CODE] [--check]`: count the kept figures
(progress.figures) again from the placements, after a bulk load or a change of the mini flex
job limit; with --check, only compare them with the counting rules' own figures for each
current target and say where they differ (exit status 1)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Municipality
from progress import counting, figures
from progress.models import Target


class Command(BaseCommand):
    help = "Count the kept dashboard figures again from the placements (or --check them)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", type=int, help="municipality code, e.g. 607 (default: all)")
        parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")

    def handle(self, *args, municipality=None, check=False, **options):
        municipalities = Municipality.objects.order_by("code")
        if municipality is not None:
            municipalities = municipalities.filter(code=municipality)
            if not municipalities.exists():
                raise CommandError(f"Unknown municipality code {municipality}")
        if not check:
            count = figures.figures_rebuild(municipality_ids=list(municipalities.values_list("pk", flat=True)))
            self.stdout.write(f"Counted the figures of {count} municipalities again.")
            return
        today = timezone.localdate()
        differences = 0
        for muni in municipalities:
            target = Target.objects.current_for(muni, today)
            if target is None:
                continue
            kept, direct = figures.kept_progress(target, today), counting.progress_for(target, today)
            if kept != direct:
                differences += 1
                self.stdout.write(f"{muni.code} {muni.name}: kept {kept.as_json()} != counted {direct.as_json()}")
        if differences:
            raise CommandError(f"{differences} municipalities differ: run figures_rebuild.")
        self.stdout.write("The kept figures agree with the counting rules.")
