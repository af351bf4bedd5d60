"""Citizen workflows: each writes its audit row inside the same transaction."""

from django.db import IntegrityError, transaction
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from audit.models import AccessLog, Purpose
from audit.services import access_log_record
from core.edits import save_changed

from .models import CaseNote, Citizen

# The purpose written to the access log when the edit form shows a citizen's data.
PURPOSE_EDIT = "rettelse af borger"


@sensitive_variables("cpr")
def citizen_create(*, user, cpr, **fields):
    citizen = Citizen(**fields)
    citizen.set_cpr(cpr)
    citizen.full_clean()
    try:
        with transaction.atomic():
            citizen.save()
            access_log_record(user=user, action=AccessLog.Action.CREATE, obj=citizen, purpose=Purpose.CASEWORK)
    except IntegrityError:
        # A concurrent registration of the same CPR number won the race.
        raise ValidationError({"cpr": _("Der findes allerede en borger med dette CPR-nummer i kommunen.")})
    return citizen


def citizen_update(*, user, form):
    """Save what the edit form's user changed, and only that, so a concurrent edit of other
    fields is kept and a concurrent edit of the same field is refused (core.edits); nothing
    changed, nothing is written."""
    citizen = form.instance
    if not form.changed_columns:
        return citizen
    citizen.full_clean()
    try:
        with transaction.atomic():
            fields = save_changed(form)
            if "unemployed_since" in fields:
                # Whether each placement counts toward a target-group target follows the
                # corrected date (the reverse manager carries the placements' own rule).
                citizen.placements.refresh_in_target_group()
            access_log_record(user=user, action=AccessLog.Action.UPDATE, obj=citizen, purpose=Purpose.CASEWORK)
    except IntegrityError:
        # A concurrent registration took the CPR number in the municipality moved to.
        raise ValidationError(_("Der findes allerede en borger med dette CPR-nummer i kommunen."))
    return citizen


def citizen_reveal_cpr(*, user, citizen, purpose):
    """The full CPR number, logged first with the purpose the user chose (required)."""
    with transaction.atomic():
        access_log_record(user=user, action=AccessLog.Action.REVEAL_CPR, obj=citizen, purpose=purpose)
    return citizen.reveal_cpr()


def case_note_add(*, user, citizen, text):
    with transaction.atomic():
        note = CaseNote.objects.create(citizen=citizen, author=user, text=text)
        access_log_record(user=user, action=AccessLog.Action.ADD_NOTE, obj=citizen, purpose=Purpose.CASEWORK)
    return note


def citizen_record_view(*, user, citizen, purpose=Purpose.CASEWORK):
    """A page that shows the citizen's record: one row, with the purpose the page implies."""
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=citizen, purpose=purpose)
