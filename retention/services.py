"""Retention: citizens whose last placement or case ended more than settings.RETENTION_YEARS
years ago are anonymised, every night (retention.tasks) or by `manage.py anonymise_expired`.

What identifies the citizen or tells about them in words goes: name (replaced by a neutral
placeholder), contact details, CPR number and its hash, birth date, competences, wishes,
travel distance, consent, the case notes (deleted: the one exception to "never deleted"),
the placements' accommodations, the follow-ups' notes, leaders' meeting-request messages and
the name in the admin's history. What the figures are counted from stays: the citizen row,
municipality, status, unemployed_since, weekly hours, the placements (dates, kind, hours,
employer, flags, in_target_group) and the course enrolments, so no figure moves. Each
anonymised citizen gets one row in the access log, by the retention system user.
"""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.services import system_user
from audit.models import AccessLog
from audit.services import ShownCitizen, access_log_record
from citizens.models import CaseNote, Citizen
from placements.models import FollowUp, Placement
from worklist.models import Kind, Mark
from workspace.models import MeetingRequest

# What an anonymised citizen is called (in Danish, as the pages are).
ANONYMOUS_FIRST_NAME = "Anonymiseret"
ANONYMOUS_LAST_NAME = "borger"
# The CPR hash of an anonymised citizen: unique (the municipality's constraint), never a hash.
ANONYMOUS_CPR_HASH_PREFIX = "anonymised-"
# The purpose the access log gives the anonymisation.
PURPOSE = "opbevaringsperiode udløbet"
# Citizens per transaction: each batch is anonymised whole or not at all.
BATCH_SIZE = 500

# A reserved identity, as the imports' (accounts.services.system_user); if a person already
# holds the first name, the second is used.
SYSTEM_USERNAMES = ("retention", "retention-system")


def retention_system_user():
    """The user the access log names for anonymisations (accounts.services.system_user)."""
    return system_user(usernames=SYSTEM_USERNAMES, first_name="Sletning")


def retention_cutoff(as_of):
    """A case or placement that ended before this day is past the retention period on `as_of`."""
    return as_of - relativedelta(years=settings.RETENTION_YEARS)


def citizens_expired(*, as_of):
    """The citizens to anonymise on `as_of`: not anonymised yet; with a placement that has
    ended or a closed case; every placement ended and the case (if closed) closed more than
    RETENTION_YEARS years before `as_of` (exactly that many years is not more); and no
    contact with them since then either (a case still being worked on is kept, however old
    its last placement). A placement running on `as_of`, or one without an end date (planned
    or running), keeps the citizen."""
    cutoff = retention_cutoff(as_of)
    placements = Placement.objects.filter(citizen_id=OuterRef("pk"))
    return (
        Citizen.objects.filter(anonymised_at__isnull=True)
        .filter(Q(case_closed_on__isnull=False) | Exists(placements))
        .filter(Q(case_closed_on__isnull=True) | Q(case_closed_on__lt=cutoff))
        .filter(Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=cutoff))
        .exclude(Exists(placements.filter(Q(end_date__isnull=True) | Q(end_date__gte=cutoff))))
    )


def citizens_anonymise_expired(*, as_of, dry_run=False):
    """Anonymise the citizens past the retention period on `as_of` (citizens_expired), in
    batches of BATCH_SIZE, each in its own transaction with its log rows; returns how many.
    With `dry_run`, only counts them and changes nothing."""
    expired = citizens_expired(as_of=as_of)
    if dry_run:
        return expired.count()
    user = retention_system_user()
    anonymised = 0
    after = 0
    while True:
        batch = list(expired.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE])
        if not batch:
            return anonymised
        anonymised += _anonymise_batch(expired.filter(pk__in=batch), user=user)
        after = batch[-1]


def _anonymise_batch(citizens, *, user):
    """Anonymise `citizens` (a queryset of expired ones) in one transaction; returns how many.
    They are locked and checked again first: a placement registered meanwhile (under a lock
    on the citizen, placements.services) keeps its citizen."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(citizens.select_for_update().order_by("pk").values_list("pk", "municipality_id"))
        pks = [pk for pk, _municipality in rows]
        if not pks:
            return 0
        Citizen.objects.filter(pk__in=pks).update(
            first_name=ANONYMOUS_FIRST_NAME,
            last_name=ANONYMOUS_LAST_NAME,
            phone="",
            email="",
            address="",
            competences="",
            wishes="",
            travel_distance="",
            consent_to_share_profile=False,
            cpr_encrypted="",
            cpr_hash=Concat(Value(ANONYMOUS_CPR_HASH_PREFIX), Cast("pk", CharField())),
            birth_date=None,
            anonymised_at=now,
            updated_at=now,
        )
        # Case notes are never edited or deleted, except here: the retention period is over.
        CaseNote.objects.filter(citizen_id__in=pks).delete()
        Placement.objects.filter(citizen_id__in=pks).exclude(accommodations="").update(accommodations="")
        FollowUp.objects.filter(placement__citizen_id__in=pks).exclude(note="").update(note="")
        MeetingRequest.objects.filter(citizen_id__in=pks).exclude(message="").update(message="")
        # The reasons given on the worklist for marking or snoozing their items.
        Mark.objects.filter(
            Q(kind=Kind.NO_CONTACT, object_id__in=pks)
            | Q(kind=Kind.ENDING_SOON, object_id__in=Placement.objects.filter(citizen_id__in=pks).values("pk"))
            | Q(kind__in=[Kind.FOLLOW_UP, Kind.DEADLINE],
                object_id__in=FollowUp.objects.filter(placement__citizen_id__in=pks).values("pk"))
            | Q(kind=Kind.MEETING_REQUEST, object_id__in=MeetingRequest.objects.filter(citizen_id__in=pks).values("pk"))
        ).exclude(reason="").update(reason="")
        # The admin's history names the record by its name as it was then.
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Citizen), object_id__in=[str(pk) for pk in pks]
        ).update(object_repr=f"{ANONYMOUS_FIRST_NAME} {ANONYMOUS_LAST_NAME}")
        for pk, municipality_id in rows:
            access_log_record(
                user=user,
                action=AccessLog.Action.ANONYMISE,
                purpose=PURPOSE,
                model=Citizen._meta.label,
                object_id=pk,
                citizen=ShownCitizen(pk, municipality_id),
                municipality=municipality_id,
            )
    return len(pks)
