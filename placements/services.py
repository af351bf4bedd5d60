"""Placement workflows: registering, changing and ending a placement, with their audit rows."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AccessLog
from audit.services import access_log_record
from citizens.models import Citizen
from core.edits import DELETED_MESSAGE, save_changed

from .models import OVERLAP_MESSAGE, Placement

# The purposes written to the access log, in the jobcenter's words.
PURPOSE = "ansættelse"
PURPOSE_END = "afslutning af ansættelse"

# Lazy: translated into the language of the request that shows it, not of the import.


def _check_under_lock(placement):
    """Derive the target group and check overlaps again, now that no one else can add a
    placement for the citizen or change the row (PostgreSQL's exclusion constraint is the
    last line of defence)."""
    placement.refresh_in_target_group()
    placement.validate_no_overlap()


def _save(placement, *, user, action, form=None):
    """Save every column of a new placement, or, through its edit form, only the columns
    its user changed (core.edits.save_changed: a colleague's change is kept or refused)."""
    placement.full_clean()
    try:
        with transaction.atomic():
            # Lock the citizen, read as it is now (its unemployment decides the target group),
            # so two registrations for one citizen cannot both pass the overlap check.
            citizen = Citizen.objects.select_for_update().filter(pk=placement.citizen_id).first()
            if citizen is None:
                raise ValidationError(DELETED_MESSAGE)
            placement.citizen = citizen
            if form is None:
                _check_under_lock(placement)
                placement.save()
            else:
                save_changed(form, also=["in_target_group"], prepare=_check_under_lock)
            access_log_record(user=user, action=action, obj=placement.citizen, purpose=PURPOSE)
    except IntegrityError:
        raise ValidationError({"start_date": OVERLAP_MESSAGE}) from None
    return placement


def placement_create(*, user, citizen, employer, **fields):
    if citizen.municipality_id != employer.municipality_id:
        raise ValidationError(_("Borger og virksomhed skal høre til samme kommune."))
    placement = Placement(citizen=citizen, employer=employer, created_by=user, **fields)
    return _save(placement, user=user, action=AccessLog.Action.CREATE)


def placement_update(*, user, form):
    """Save the fields the edit form's user changed, so a colleague's change to the others
    is kept; nothing changed, nothing is written."""
    if not form.changed_columns:
        return form.instance
    return _save(form.instance, user=user, action=AccessLog.Action.UPDATE, form=form)


def placement_end(*, user, placement, end_date, end_reason):
    """End a running placement. Refuses when someone else ended it in the meantime."""
    if end_date < placement.start_date:
        raise ValidationError({"end_date": _("Slutdatoen må ikke ligge før startdatoen.")})
    with transaction.atomic():
        now = timezone.now()  # update() skips auto_now
        updated = Placement.objects.filter(pk=placement.pk, end_date__isnull=True).update(
            end_date=end_date, end_reason=end_reason, updated_at=now
        )
        if updated != 1:
            raise ValidationError(_("Ansættelsen er allerede afsluttet."))
        access_log_record(user=user, action=AccessLog.Action.UPDATE, obj=placement.citizen, purpose=PURPOSE_END)
    placement.end_date, placement.end_reason, placement.updated_at = end_date, end_reason, now
    return placement


def placement_page_view(*, user, citizen):
    """A placement's page or form names the citizen (and shows the accommodations agreed,
    health data): one row for the page."""
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=citizen, purpose=PURPOSE)
