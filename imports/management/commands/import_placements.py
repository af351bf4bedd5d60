"""`manage.py import_placements FILE [--municipality CODE] [--user USERNAME] [--dry-run]
[--batch-size N]`: import a file of placements (shared/formats.md) into one municipality, whole
or not at all, and print the report."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.access import CASEWORK_ROLES, municipalities_for
from accounts.models import Municipality
from imports.cli import command_batch_size, command_user, finish, open_file
from imports.services import placements_import


class Command(BaseCommand):
    help = "Importér ansættelser fra en CSV- eller Excel-fil til én kommune. Ved fejl gemmes intet."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .xlsx file")
        parser.add_argument(
            "--municipality", type=int, help="municipality code, e.g. 607 (required when there is more than one)"
        )
        parser.add_argument(
            "--user",
            help="the consultant the audit log names; only their municipalities (default: the `import` system user)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file, save nothing")
        parser.add_argument(
            "--batch-size", type=int, default=None, help="rows checked and saved at a time (default: 2000)"
        )

    def handle(self, *args, file, municipality=None, user=None, dry_run=False, batch_size=None, **options):
        importer = command_user(user)
        candidates = municipalities_for(importer, CASEWORK_ROLES) if user else Municipality.objects.all()
        target = _municipality(candidates, municipality)
        with open_file(file) as source:
            report = placements_import(
                user=importer, source=source, filename=source.name, municipality=target, dry_run=dry_run,
                batch_size=command_batch_size(batch_size),
            )
        finish(self, report)


def _municipality(candidates, code):
    if code is not None:
        found = candidates.filter(code=code).first()
        if found is None:
            if Municipality.objects.filter(code=code).exists():
                raise CommandError(_("Brugeren kan ikke importere til kommune %(code)s.") % {"code": code})
            raise CommandError(_("Kommunekoden %(code)s findes ikke.") % {"code": code})
        return found
    found = list(candidates[:2])
    if len(found) != 1:
        raise CommandError(_("Angiv kommunen med --municipality KODE (fx --municipality 607)."))
    return found[0]
