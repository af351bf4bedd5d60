"""Course workflows: enrolling citizens and recording how they finished."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.models import AccessLog
from audit.services import access_log_record
from citizens.services import citizen_lock_writable, citizen_refuse_if_anonymised

from .models import Enrolment

# The purposes written to the access log, in the jobcenter's words.
PURPOSE = "forløb"
PURPOSE_ENROLMENT = "tilmelding til forløb"
PURPOSE_STATUS = "status i forløb"


def course_save(*, form):
    """A new course as the form holds it; an edited one saves only what this user changed,
    refusing a field a colleague changed meanwhile (core.edits)."""
    return form.save()


def enrolment_create(*, user, course, citizen):
    citizen_refuse_if_anonymised(citizen=citizen)
    try:
        with transaction.atomic():
            citizen_lock_writable(citizen_id=citizen.pk)
            enrolment = Enrolment.objects.create(course=course, citizen=citizen)
            access_log_record(user=user, action=AccessLog.Action.UPDATE, obj=citizen, purpose=PURPOSE_ENROLMENT)
    except IntegrityError:
        # A colleague enrolled the citizen between the form's check and this insert.
        raise ValidationError(_("Borgeren er allerede tilmeldt forløbet.")) from None
    return enrolment


def enrolment_set_status(*, user, enrolment, status, expected_status):
    """Change the status only if nobody changed it since the page was shown (and not for an
    anonymised citizen: the course's figures are kept as they were)."""
    citizen_refuse_if_anonymised(citizen=enrolment.citizen)
    with transaction.atomic():
        citizen_lock_writable(citizen_id=enrolment.citizen_id)
        updated = Enrolment.objects.filter(pk=enrolment.pk, status=expected_status).update(status=status)
        if updated != 1:
            raise ValidationError(_("Tilmeldingen er ændret af en anden. Genindlæs siden og prøv igen."))
        access_log_record(user=user, action=AccessLog.Action.UPDATE, obj=enrolment.citizen, purpose=PURPOSE_STATUS)
    enrolment.status = status
    return enrolment


def course_record_view(*, user, course, citizens=()):
    """The course's page names the citizens enrolled: one row for the page, with them."""
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=course, purpose=PURPOSE, citizens=citizens)
