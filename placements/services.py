"""Placement workflows: registering, changing and ending a placement, planning and recording
its follow-ups, and keeping each citizen's status in step with their placements, with their
audit rows.

Usable from elsewhere (the imports): `followups_schedule(placement=…)` for each placement saved,
and `citizens_status_refresh(citizen_ids=…)` once for the citizens whose placements changed."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AccessLog, Purpose
from audit.services import access_log_record
from citizens.models import Citizen
from citizens.services import (
    citizen_contact_record, citizen_lock_writable, citizen_refuse_if_anonymised, citizen_status_columns,
)
from core.edits import save_changed
from core.ids import ids_only
from notifications.services import notifications_resolve, notifications_resolve_many

from .models import OVERLAP_MESSAGE, STATUSES_AFTER_END, FollowUp, Placement, follow_ups_planned
from .signals import placements_changed_send

# The purposes written to the access log, in the jobcenter's words.
PURPOSE = "ansættelse"
PURPOSE_END = "afslutning af ansættelse"

# A status refresh updates the citizens leaving "Ansat" in batches of this many ids.
STATUS_BATCH = 1000


def _check_under_lock(placement):
    """Derive the target group and check overlaps again, now that no one else can add a
    placement for the citizen or change the row (PostgreSQL's exclusion constraint is the
    last line of defence)."""
    placement.refresh_in_target_group()
    placement.validate_no_overlap()


def _save(placement, *, user, action, form=None):
    """Save every column of a new placement, or, through its edit form, only the columns
    its user changed (core.edits.save_changed: a colleague's change is kept or refused); then
    plan its follow-ups and set the citizen's status from the facts, in the same transaction.
    Refused for an anonymised citizen."""
    placement.full_clean()
    try:
        with transaction.atomic():
            # Lock the citizen, read as it is now (its unemployment decides the target group),
            # so two registrations for one citizen cannot both pass the overlap check, nor
            # retention anonymise them meanwhile (anonymised already: refused).
            citizen = citizen_lock_writable(citizen_id=placement.citizen_id)
            placement.citizen = citizen
            # The start date and employer as stored: that day's figures and that employer's count
            # are counted again too.
            was_on, was_at = Placement.objects.filter(pk=placement.pk).values_list("start_date", "employer_id").first() or (None, None)
            if form is None:
                _check_under_lock(placement)
                placement.save()
            else:
                save_changed(form, also=["in_target_group"], prepare=_check_under_lock)
            followups_schedule(placement=placement)
            citizens_status_refresh(citizen_ids=[citizen.pk])
            placements_changed_send(
                municipality_id=placement.municipality_id, days={was_on, placement.start_date},
                employer_ids={was_at, placement.employer_id} if was_at != placement.employer_id else (),
            )
            access_log_record(user=user, action=action, obj=placement.citizen, purpose=PURPOSE)
    except IntegrityError:
        raise ValidationError({"start_date": OVERLAP_MESSAGE}) from None
    return placement


def placement_create(*, user, citizen, employer, **fields):
    citizen_refuse_if_anonymised(citizen=citizen)
    if citizen.municipality_id != employer.municipality_id:
        raise ValidationError(_("Borger og virksomhed skal høre til samme kommune."))
    placement = Placement(
        municipality_id=citizen.municipality_id, citizen=citizen, employer=employer, created_by=user, **fields
    )
    return _save(placement, user=user, action=AccessLog.Action.CREATE)


def placement_update(*, user, form):
    """Save the fields the edit form's user changed, so a colleague's change to the others
    is kept; nothing changed, nothing is written. A new start date, kind, first flex job or
    grant re-plans the open follow-ups. Refused when the placement's citizen is anonymised."""
    citizen_refuse_if_anonymised(citizen=form.instance.citizen)
    if not form.changed_columns:
        return form.instance
    return _save(form.instance, user=user, action=AccessLog.Action.UPDATE, form=form)


def placement_end(*, user, placement, end_date, end_reason, citizen_status=""):
    """End a running placement. Refuses when someone else ended it in the meantime.

    `citizen_status` is the citizen's status once the placement is over and no other runs
    ("Klar til job" when empty): set at once when the end date has passed, otherwise by the
    nightly refresh the day after it. The open follow-ups due after the end and the law's open
    deadlines go. Refused when the placement's citizen is anonymised."""
    citizen_refuse_if_anonymised(citizen=placement.citizen)
    citizen_status = citizen_status or Citizen.Status.READY
    if citizen_status not in STATUSES_AFTER_END:
        raise ValidationError({"citizen_status": _("Vælg borgerens status efter ansættelsen.")})
    if end_date < placement.start_date:
        raise ValidationError({"end_date": _("Slutdatoen må ikke ligge før startdatoen.")})
    with transaction.atomic():
        citizen_lock_writable(citizen_id=placement.citizen_id)
        now = timezone.now()  # update() skips auto_now
        updated = Placement.objects.filter(pk=placement.pk, end_date__isnull=True).update(
            end_date=end_date, end_reason=end_reason, citizen_status_after=citizen_status, updated_at=now
        )
        if updated != 1:
            raise ValidationError(_("Ansættelsen er allerede afsluttet."))
        placement.end_date, placement.end_reason, placement.updated_at = end_date, end_reason, now
        placement.citizen_status_after = citizen_status
        followups_schedule(placement=placement)
        # The status chosen applies once the end date has passed and no other placement runs:
        # at once for an end in the past, else by the nightly refresh (the same rule).
        citizens_status_refresh(citizen_ids=[placement.citizen_id])
        placements_changed_send(municipality_id=placement.municipality_id, days={placement.start_date})
        access_log_record(user=user, action=AccessLog.Action.UPDATE, obj=placement.citizen, purpose=PURPOSE_END)
    return placement


def placement_page_view(*, user, citizen):
    """A placement's page or form names the citizen (and shows the accommodations agreed,
    health data): one row for the page."""
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=citizen, purpose=PURPOSE)


# --- The citizen's status follows the facts ---------------------------------------------------

def citizens_status_refresh(*, on=None, citizen_ids=None):
    """Set each citizen's status from their placements on `on` (today by default): "Ansat"
    with a placement running that day (Placement.running_q); a citizen marked "Ansat" with none
    running leaves it for the status chosen when their last placement was ended ("Klar til
    job", job-seeking, unless the consultant chose otherwise). Other statuses, set by hand where
    no placement runs, are left alone. Only `citizen_ids` when given (an import's citizens), else
    every citizen (the nightly job). Anonymised citizens are left as they are.

    Returns how many citizens changed status. Conditional updates: a citizen changed meanwhile
    by someone else is not overwritten with a stale value."""
    on = on or timezone.localdate()
    citizens = Citizen.objects.filter(anonymised_at__isnull=True)
    if citizen_ids is not None:
        citizens = citizens.filter(pk__in=ids_only(citizen_ids))
    running = Placement.objects.filter(Placement.running_q(on), citizen=OuterRef("pk"))
    last_ended = (
        Placement.objects.filter(citizen=OuterRef("pk"), end_date__lt=on)
        .order_by("-end_date", "-pk")
        .values("citizen_status_after")[:1]
    )
    now = timezone.now()
    with transaction.atomic():
        changed = (
            citizens.filter(Exists(running))
            .exclude(status=Citizen.Status.PLACED)
            .update(**citizen_status_columns(Citizen.Status.PLACED, on), updated_at=now)
        )
        leaving = defaultdict(list)
        for pk, chosen in (
            citizens.filter(status=Citizen.Status.PLACED)
            .filter(~Exists(running))
            .annotate(chosen=Subquery(last_ended))
            .values_list("pk", "chosen")
        ):
            leaving[chosen or Citizen.Status.READY].append(pk)
        for status, pks in leaving.items():
            for start in range(0, len(pks), STATUS_BATCH):
                changed += Citizen.objects.filter(
                    pk__in=pks[start:start + STATUS_BATCH], status=Citizen.Status.PLACED
                ).update(**citizen_status_columns(status, on), updated_at=now)
    return changed


# --- Follow-ups ---------------------------------------------------------------------------------

def followups_schedule(*, placement, not_before=None):
    """Plan the placement's follow-ups (placements.models.follow_ups_planned); idempotent.

    Open follow-ups follow the placement: a new start date, kind, first flex job or grant moves
    or replaces them; recorded ones are kept as they are. Once the placement has ended, the open
    ones due after its end date and the law's open deadlines are deleted. `not_before` (a date):
    no new regular follow-up due before it is planned, for a placement registered long after
    the fact (an import of history). A moved or deleted follow-up's reminders leave the bell.

    Returns how many follow-ups were created, moved or deleted. Runs in the caller's
    transaction (or its own)."""
    return followups_schedule_many(placements=[placement], not_before=not_before)


def _follow_up_changes(placement, existing, not_before):
    """(gone, moved, new): how the placement's follow-ups `existing` ({(kind, months): FollowUp})
    must change to follow its plan; recorded ones stay as they are."""
    planned = {
        (kind, months): due_on
        for kind, months, due_on in follow_ups_planned(
            start_date=placement.start_date,
            kind=placement.kind,
            first_flexjob=placement.first_flexjob,
            permanent=placement.permanent,
            end_date=placement.end_date,
        )
    }
    gone, moved = [], []
    for key, follow_up in existing.items():
        if follow_up.is_done:
            continue
        due_on = planned.get(key)
        if due_on is None:
            gone.append(follow_up)
        elif due_on != follow_up.due_on:
            follow_up.due_on = due_on
            moved.append(follow_up)
    new = [
        FollowUp(placement_id=placement.pk, kind=kind, months=months, due_on=due_on)
        for (kind, months), due_on in planned.items()
        if (kind, months) not in existing
        and (not_before is None or kind != FollowUp.Kind.REGULAR or due_on >= not_before)
    ]
    return gone, moved, new


def followup_record(*, user, follow_up, done_on, outcome, note=""):
    """Record a follow-up once: when it was done, its outcome and a note. The citizen's last
    contact moves to that day (unless they were not reached), the access log says who did it,
    and its reminders leave the bell. Refuses a second recording, a date before the
    placement's start or in the future, with a message in Danish; and any recording about an
    anonymised citizen."""
    placement = follow_up.placement
    citizen_refuse_if_anonymised(citizen=placement.citizen)
    refusal = done_on is not None and follow_up.done_on_refusal(done_on)
    if refusal:
        raise ValidationError({"done_on": refusal})
    recorded = FollowUp(
        placement_id=placement.pk, kind=follow_up.kind, months=follow_up.months, due_on=follow_up.due_on,
        done_on=done_on, outcome=outcome, note=note,
    )
    # The model's own checks: a known outcome, a date in its window, a note of bounded length.
    recorded.clean_fields(exclude=["placement", "done_by"])
    if done_on is None or not outcome:
        raise ValidationError(_("Angiv dato og resultat for opfølgningen."))
    with transaction.atomic():
        citizen_lock_writable(citizen_id=placement.citizen_id)
        updated = FollowUp.objects.filter(pk=follow_up.pk, done_on__isnull=True).update(
            done_on=done_on, outcome=outcome, note=note, done_by=user
        )
        if updated != 1:
            if FollowUp.objects.filter(pk=follow_up.pk).exists():
                raise ValidationError(_("Opfølgningen er allerede registreret."))
            raise ValidationError(_("Opfølgningen findes ikke længere: ansættelsen er ændret eller afsluttet."))
        if outcome != FollowUp.Outcome.NOT_REACHED:
            # A contact, as a case note is.
            citizen_contact_record(citizen_id=placement.citizen_id, on=done_on)
        access_log_record(user=user, action=AccessLog.Action.UPDATE, obj=placement.citizen, purpose=Purpose.FOLLOW_UP)
        notifications_resolve(kind=follow_up.reminder_kind, object_id=follow_up.pk)
    follow_up.done_on, follow_up.outcome, follow_up.note, follow_up.done_by = done_on, outcome, note, user
    return follow_up


def followup_page_view(*, user, citizen):
    """The follow-up's page names the citizen and shows the notes of the placement's
    follow-ups: one row for the page."""
    access_log_record(user=user, action=AccessLog.Action.VIEW, obj=citizen, purpose=Purpose.FOLLOW_UP)


# --- Follow-ups of many placements at once ------------------------------------------------------

def followups_schedule_many(*, placements, not_before=None, batch_size=1000):
    """followups_schedule for many placements (an import's), by the same rules, in a few
    queries for each `batch_size` placements rather than a few for each placement: their open
    follow-ups read in one query, then the ones gone deleted, the ones moved updated and the
    new ones inserted in bulk, and the reminders of those gone or moved resolved in one update
    per kind. The placements are saved (they have ids).

    Returns how many follow-ups were created, moved or deleted. Runs in the caller's
    transaction (or its own)."""
    placements = list(placements)
    changed = 0
    with transaction.atomic():
        for start in range(0, len(placements), batch_size):
            batch = placements[start:start + batch_size]
            existing = defaultdict(dict)
            for follow_up in FollowUp.objects.filter(placement_id__in=[p.pk for p in batch]):
                existing[follow_up.placement_id][(follow_up.kind, follow_up.months)] = follow_up
            gone, moved, new = [], [], []
            for placement in batch:
                changes = _follow_up_changes(placement, existing.get(placement.pk, {}), not_before)
                for found, more in zip((gone, moved, new), changes):
                    found += more
            if gone:
                FollowUp.objects.filter(pk__in=[f.pk for f in gone], done_on__isnull=True).delete()
            if moved:
                FollowUp.objects.bulk_update(moved, ["due_on"], batch_size=500)
            if new:
                # A row planned meanwhile by another save is the same follow-up: kept.
                FollowUp.objects.bulk_create(new, batch_size=batch_size, ignore_conflicts=True)
            notifications_resolve_many(objects=[(f.reminder_kind, f.pk) for f in gone + moved])
            changed += len(gone) + len(moved) + len(new)
    return changed
