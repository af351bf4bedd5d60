"""What the two import commands share: the user they act as, the citizens' consultant,
opening the file, and the report."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from accounts.access import CASEWORK_ROLES, has_role
from accounts.models import Role

from .parsing import extension_error, extension_of
from .services import import_system_user


def command_user(username):
    """The user named by --user (a consultant or admin), or the `import` system user."""
    if not username:
        return import_system_user()
    try:
        user = get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(_("Brugeren «%(username)s» findes ikke.") % {"username": username}) from None
    if not has_role(user, *CASEWORK_ROLES):
        raise CommandError(
            _("Brugeren «%(username)s» er hverken jobkonsulent eller administrator.") % {"username": username}
        )
    return user


def command_consultant(username):
    """The consultant named by --consultant, or None without one. Whether they are a consultant
    in each row's municipality is checked with the file (imports.citizens)."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("Der er ingen aktiv bruger «%(username)s».") % {"username": username})
    if not has_role(user, Role.CONSULTANT):
        raise CommandError(_("Brugeren «%(username)s» er ikke jobkonsulent.") % {"username": username})
    return user


def command_batch_size(value):
    """--batch-size: a whole number over 0, or None for the import's own."""
    if value is not None and value < 1:
        raise CommandError(_("--batch-size skal være mindst 1."))
    return value


def open_file(path):
    path = Path(path)
    if extension_of(path.name) is None:
        raise CommandError(extension_error())
    try:
        return path.open("rb")
    except OSError as error:
        raise CommandError(_("Filen %(path)s kan ikke åbnes: %(reason)s.") % {"path": path, "reason": error.strerror}) from None


def finish(command, report):
    """Print the report; a bad file ends the command with its errors (exit status 1)."""
    if not report.ok:
        raise CommandError(report.as_text())
    command.stdout.write(report.as_text())
