"""Employer workflows that span several models."""

from django.db import transaction

from audit.models import AccessLog
from audit.services import access_log_record

from .signals import COUNTED_FIELDS, employer_counting_changed

# The purpose written to the access log when the employer's page shows its placements' citizens.
PURPOSE = "virksomhedens ansættelser"


def employer_save(*, form, contacts):
    """Save the employer and its contact persons together, or neither. A registered employer,
    and each registered contact person, saves only what this user changed (core.edits), so a
    colleague's change is kept, or refused where both changed the same field (StaleEdit)."""
    counted_change = form.instance.pk is not None and bool(set(form.changed_data) & {*COUNTED_FIELDS, "sector"})
    with transaction.atomic():
        employer = contacts.instance = form.save()
        contacts.save()
        if counted_change:
            employer_counting_changed.send(sender=None, employer=employer)
    return employer


def opening_create(*, form, employer):
    """A new opening of the employer, with the catalogue tasks ticked."""
    with transaction.atomic():
        opening = form.save(commit=False)
        opening.employer = employer
        opening.save()
        form.save_m2m()
    return opening


def opening_update(*, form):
    """Save what the opening's edit form changed (its save is core.edits.save_changed)."""
    return form.save()


def employer_record_view(*, user, employer, citizens=()):
    """The employer's page names the citizens placed there: one row for the page, with them."""
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=employer, purpose=PURPOSE, citizens=citizens)
