"""The imports' entry points for views, management commands and tasks.

`citizens_import` and `placements_import` take an open binary file and its name, validate
every row and save all of it or nothing; `import_stored_file` does the same for a file kept
in the default storage, so a Celery task can run an import given only a path and ids.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.access import CASEWORK_ROLES, municipalities_for

from .citizens import citizens_import
from .placements import placements_import
from .report import ImportReport

__all__ = ["citizens_import", "placements_import", "import_stored_file", "import_system_user"]

# The user the audit log names when an import runs from the command line without --user.
# A person could register the username "import" before the system user exists, so the name
# alone proves nothing: the system user is the one with that name that is inactive and has no
# usable password (created so here, and so no one can log in as it). If a real user already
# holds "import", the system user is "import-system" instead.
SYSTEM_USERNAMES = ("import", "import-system")
SYSTEM_USERNAME = SYSTEM_USERNAMES[0]


def _is_system_user(user):
    return not user.is_active and not user.has_usable_password()


def import_system_user():
    """The import system user, created on demand: inactive, no usable password, no roles."""
    User = get_user_model()
    for username in SYSTEM_USERNAMES:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name="Import", last_name="(system)", is_active=False)
            user.set_unusable_password()
            try:
                with transaction.atomic():
                    user.save()
            except IntegrityError:  # created meanwhile by another import or a registration
                user = User.objects.get(username=username)
        if _is_system_user(user):
            return user
    raise ImproperlyConfigured(
        "The import system user's usernames %s are all held by real users." % ", ".join(SYSTEM_USERNAMES)
    )


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
