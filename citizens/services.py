"""Citizen workflows: each writes its audit row inside the same transaction."""

from django.db import IntegrityError, transaction
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from audit.models import AccessLog, Purpose
from audit.services import access_log_record
from core.edits import DELETED_MESSAGE, save_changed
from notifications.models import Kind
from notifications.services import notifications_resolve

from .models import ANONYMISED_READ_ONLY_MESSAGE, CaseNote, Citizen
from .selectors import status_refusal

# Lazy: translated when shown, in the reader's language (not once, at import).
ANONYMISED_MESSAGE = gettext_lazy("Borgeren er anonymiseret, og CPR-nummeret er slettet.")

# The purpose written to the access log when the edit form shows a citizen's data.
PURPOSE_EDIT = "rettelse af borger"


def citizen_refuse_if_anonymised(*, citizen):
    """Refuse a write about an anonymised citizen (ANONYMISED_READ_ONLY_MESSAGE): what
    retention blanked stays blank, and nothing new is recorded about them. Checked first on
    the citizen as loaded, and again by citizen_lock_writable inside the write's transaction."""
    if citizen.is_anonymised:
        raise ValidationError(ANONYMISED_READ_ONLY_MESSAGE, code="anonymised")


def citizen_lock_writable(*, citizen_id):
    """Inside the caller's transaction: lock the citizen's row, so retention cannot anonymise
    them while a write about them runs (it locks the row too), and refuse the write if they
    were anonymised (or deleted) meanwhile. Returns the locked row."""
    citizen = Citizen.objects.select_for_update().filter(pk=citizen_id).first()
    if citizen is None:
        raise ValidationError(DELETED_MESSAGE, code="deleted")
    citizen_refuse_if_anonymised(citizen=citizen)
    return citizen


def citizen_status_columns(status, on):
    """The columns a change of status writes: the case is closed on `on` when the status
    becomes "Afsluttet", and open again when it leaves it. For every write of a status, the
    placements' refresh among them."""
    return {"status": status, "case_closed_on": on if status == Citizen.Status.ENDED else None}


@sensitive_variables("cpr")
def citizen_create(*, user, cpr, **fields):
    """Register a citizen: registering is a contact, so the last contact is today."""
    today = timezone.localdate()
    citizen = Citizen(**fields)
    citizen.set_cpr(cpr)
    refusal = status_refusal(citizen, citizen.status, today)
    if refusal:
        raise ValidationError({"status": refusal})
    citizen.case_closed_on = citizen_status_columns(citizen.status, today)["case_closed_on"]
    citizen.last_contact_on = citizen.last_contact_on or today
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
    changed, nothing is written.

    A status changed by hand is checked again against the placements with the citizen's row
    locked (placements.services locks it too before a placement is written): "Ansat" only with
    a running placement, no other status with one. "Afsluttet" closes the case today; leaving
    it opens it again. An anonymised citizen is refused (checked again on the locked row)."""
    citizen = form.instance
    citizen_refuse_if_anonymised(citizen=citizen)
    if not form.changed_columns:
        return citizen
    citizen.full_clean()
    today = timezone.localdate()

    def prepare(instance):
        # The columns this user left alone, anonymised_at among them, are the locked row's now.
        citizen_refuse_if_anonymised(citizen=instance)
        if "status" in form.changed_columns:
            refusal = status_refusal(instance, instance.status, today)
            if refusal:
                raise ValidationError({"status": refusal})
            instance.case_closed_on = citizen_status_columns(instance.status, today)["case_closed_on"]

    try:
        with transaction.atomic():
            fields = save_changed(form, also=["case_closed_on"], prepare=prepare)
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
    """The full CPR number, logged first with the purpose the user chose (required). An
    anonymised citizen has none left: refused, and nothing logged."""
    if citizen.is_anonymised:
        raise ValidationError(ANONYMISED_MESSAGE)
    with transaction.atomic():
        access_log_record(user=user, action=AccessLog.Action.REVEAL_CPR, obj=citizen, purpose=purpose)
    return citizen.reveal_cpr()


def citizen_contact_record(*, citizen_id, on):
    """A contact with the citizen on `on` (a case note, a follow-up that reached them), inside
    the caller's transaction: the last contact moves forward, and a reminder that there has
    been none leaves the bell."""
    Citizen.objects.filter(pk=citizen_id).filter(
        Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=on)
    ).update(last_contact_on=on)
    notifications_resolve(kind=Kind.NO_CONTACT, object_id=citizen_id)


def case_note_add(*, user, citizen, text):
    """Add a journal note: a note is written after a contact, so the last contact is today,
    and a reminder that there has been none leaves the bell. Refused for an anonymised citizen."""
    citizen_refuse_if_anonymised(citizen=citizen)
    today = timezone.localdate()
    with transaction.atomic():
        citizen_lock_writable(citizen_id=citizen.pk)
        note = CaseNote.objects.create(citizen=citizen, author=user, text=text)
        citizen_contact_record(citizen_id=citizen.pk, on=today)
        access_log_record(user=user, action=AccessLog.Action.ADD_NOTE, obj=citizen, purpose=Purpose.CASEWORK)
    citizen.last_contact_on = today
    return note


def citizen_record_view(*, user, citizen, purpose=Purpose.CASEWORK):
    """A page that shows the citizen's record: one row, with the purpose the page implies."""
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=citizen, purpose=purpose)
