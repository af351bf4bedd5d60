"""Employer workflows that span several models."""

from django.db import transaction

from audit.models import AccessLog
from audit.services import access_log_record

# The purpose written to the access log when the employer's page shows its placements' citizens.
PURPOSE = "virksomhedens ansættelser"


def employer_save(*, employer, contacts, update_fields=None):
    """Save the employer and its contact persons together, or neither. A registered employer
    saves only `update_fields` (none when nothing changed), so a colleague's change is kept."""
    with transaction.atomic():
        employer.save(update_fields=update_fields)
        contacts.instance = employer
        contacts.save()
    return employer


def employer_record_view(*, user, employer):
    """The employer's page names the citizens placed there: one row for the page."""
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=employer, purpose=PURPOSE)
