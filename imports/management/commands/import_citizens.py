"""`manage.py import_citizens FILE [--user USERNAME] [--consultant USERNAME] [--dry-run]
[--batch-size N]`: import a file of citizens (shared/formats.md) whole or not at all, and print
the report."""

from django.core.management.base import BaseCommand

from accounts.access import CASEWORK_ROLES, municipalities_for
from accounts.models import Municipality
from imports.cli import command_batch_size, command_consultant, command_user, finish, open_file
from imports.services import citizens_import


class Command(BaseCommand):
    help = "Importér borgere fra en CSV- eller Excel-fil. Ved fejl gemmes intet."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .xlsx file")
        parser.add_argument(
            "--user",
            help="the consultant the audit log names; only their municipalities (default: the `import` system user, any municipality)",
        )
        parser.add_argument(
            "--consultant",
            help="the responsible consultant of the citizens whose rows name none: every new citizen and "
            "every citizen found without one (default: only the consultants the file names)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file, save nothing")
        parser.add_argument(
            "--batch-size", type=int, default=None, help="rows checked and saved at a time (default: 2000)"
        )

    def handle(self, *args, file, user=None, consultant=None, dry_run=False, batch_size=None, **options):
        importer = command_user(user)
        responsible = command_consultant(consultant)
        municipalities = municipalities_for(importer, CASEWORK_ROLES) if user else Municipality.objects.all()
        with open_file(file) as source:
            report = citizens_import(
                user=importer,
                source=source,
                filename=source.name,
                municipalities=municipalities,
                consultant=responsible,
                dry_run=dry_run,
                batch_size=command_batch_size(batch_size),
            )
        finish(self, report)
