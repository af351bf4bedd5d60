"""The imports' entry points for views, management commands and tasks.

`citizens_import` and `placements_import` take an open binary file and its name, validate
every row and save all of it or nothing; `import_stored_file` does the same for a file kept
in the default storage, so a Celery task can run an import given only a path and ids.
"""

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from accounts.access import CASEWORK_ROLES, municipalities_for

from .citizens import citizens_import
from .placements import placements_import
from .report import ImportReport

__all__ = ["citizens_import", "placements_import", "import_stored_file", "import_system_user"]

# The user the audit log names when an import runs from the command line without --user.
SYSTEM_USERNAME = "import"


def import_system_user():
    """The `import` user, created on demand: no password to log in with and no roles."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"first_name": "Import", "last_name": "(system)"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def import_stored_file(*, kind, name, user, municipality_id=None, dry_run=False):
    """Import a file from the default storage on behalf of `user`, within the user's own
    municipalities, exactly as the upload form does."""
    municipalities = municipalities_for(user, CASEWORK_ROLES)
    with default_storage.open(name, "rb") as source:
        if kind == "citizens":
            return citizens_import(
                user=user, source=source, filename=name, municipalities=municipalities, dry_run=dry_run
            )
        municipality = municipalities.filter(pk=municipality_id).first()
        if municipality is None:
            report = ImportReport(kind, dry_run=dry_run)
            report.error(None, "", _("Du kan ikke importere ansættelser til den kommune."))
            return report
        return placements_import(
            user=user, source=source, filename=name, municipality=municipality, dry_run=dry_run
        )
