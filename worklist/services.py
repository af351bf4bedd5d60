"""The worklist's writes: marking an item done or snoozing it (with the reason, resolving its
reminders, and an access-log row in the same transaction), and the nightly job that creates
the reminders of what became due and queues the daily digests."""

from core import dates
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import AccessLog, Purpose
from audit.services import access_log_record
from notifications.models import Notification
from notifications.services import digest_queue, notifications_create, notifications_resolve

from . import selectors
from .access import get_item_for_user
from .models import Mark, ReminderRun

# A snooze reaches at most this far ahead: a longer pause is a decision about the case.
SNOOZE_MAX_DAYS = 90
REASON_MAX_LENGTH = Mark._meta.get_field("reason").max_length

STALE_MESSAGE = _("Opgaven er ændret eller allerede klaret, siden siden blev vist. Se den opdaterede liste.")


def check_reason(reason):
    """The reason, stripped: required, at most the field's length."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Skriv en begrundelse.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("Begrundelsen må højst være %(max)s tegn.") % {"max": REASON_MAX_LENGTH}})
    return reason


def check_snooze_until(until, today):
    """A snooze ends on a day after today and at most SNOOZE_MAX_DAYS ahead."""
    if until is None:
        raise ValidationError({"until": _("Vælg den dag, opgaven skal vises igen.")})
    if until <= today:
        raise ValidationError({"until": _("Vælg en dag efter i dag.")})
    if until > today + timedelta(days=SNOOZE_MAX_DAYS):
        raise ValidationError({"until": _("En opgave kan højst udsættes %(days)s dage.") % {"days": SNOOZE_MAX_DAYS}})
    return until


def _mark(*, user, item, until, reason):
    """The Mark, the item's reminders resolved, and the access-log row, in one transaction."""
    if not item.current:
        raise ValidationError(STALE_MESSAGE)
    with transaction.atomic():
        mark = Mark.objects.create(
            kind=item.kind, object_id=item.object_id, due_on=item.due_on, until=until, reason=reason, user=user
        )
        notifications_resolve(kind=item.kind, object_id=item.object_id)
        access_log_record(
            user=user, action=AccessLog.Action.UPDATE, purpose=Purpose.FOLLOW_UP, model="worklist.Mark",
            object_id=mark.pk, citizen=item.citizen, municipality=item.citizen.municipality_id,
        )
    return mark


def mark_done(*, user, kind, object_id, due_on, reason):
    """Mark an item done for its due date (an ending prepared, a citizen contacted by other
    means); only the kinds that are done by a mark. 404 outside the user's municipalities."""
    today = timezone.localdate()
    item = get_item_for_user(user, kind, object_id, due_on, today)
    if kind not in selectors.MARKABLE_KINDS:
        raise ValidationError(_("Denne opgave klares, hvor arbejdet gøres: følg linket til den."))
    return _mark(user=user, item=item, until=None, reason=check_reason(reason))


def mark_snooze(*, user, kind, object_id, due_on, until, reason):
    """Hide an item until a day (it shows again on that day), with the reason."""
    today = timezone.localdate()
    item = get_item_for_user(user, kind, object_id, due_on, today)
    reason = check_reason(reason)
    until = check_snooze_until(until, today)
    return _mark(user=user, item=item, until=until, reason=reason)


# --- The nightly reminders ----------------------------------------------------------------

def _day(value):
    return dates.day_long(value)


def reminder_for(source, obj):
    """The reminder of one item for its consultant: a title without personal data (what and
    when, and a short reference that names no one) and the link to where the work is done."""
    due = obj.wl_due
    if source.name == "followups":
        title = _("%(what)s forfalder %(day)s (ansættelse nr. %(ref)s)") % {
            "what": obj.title, "day": _day(due), "ref": obj.placement_id,
        }
    elif source.name == "requests":
        title = _("Ønske om møde fra en virksomhed modtaget %(day)s (henvendelse nr. %(ref)s)") % {
            "day": _day(due), "ref": obj.pk,
        }
    elif source.name == "ending":
        title = _("Ansættelse slutter %(day)s (ansættelse nr. %(ref)s)") % {"day": _day(due), "ref": obj.pk}
    else:
        title = _("Ingen kontakt med en borger siden %(day)s (borger nr. %(ref)s)") % {
            "day": _day(obj.wl_contact), "ref": obj.pk,
        }
    return Notification(
        user_id=obj.wl_consultant_id, kind=obj.wl_kind, object_id=obj.pk, due_on=due,
        title=title[:200], url=selectors.item_url(source, obj),
    )


def _reminders_due(as_of):
    for source in selectors.SOURCES:
        items = selectors.due_for_reminder(source, as_of).annotate(wl_consultant_id=F(source.path("consultant")))
        if source.name == "requests":
            items = items.select_related("member")  # the task force, for the link
        for obj in items.iterator(chunk_size=2000):
            yield reminder_for(source, obj)


def _resolve_stale(as_of):
    """Reminders whose item is no longer open on `as_of` (the work done where no one told
    the bell, a contact written in a case note, an ending moved) leave the bell."""
    resolved = 0
    for source in selectors.SOURCES:
        still_open = selectors.open_items(source, as_of).filter(pk=OuterRef("object_id"), wl_due=OuterRef("due_on"))
        reminders = Notification.objects.filter(kind__in=source.kinds, resolved_at__isnull=True)
        if not source.remind_ahead:
            # Only what the job itself would remind of on `as_of`: a run for a later day, by
            # hand, may have reminded of what is not yet in today's list.
            reminders = reminders.filter(due_on__lte=as_of)
        resolved += reminders.exclude(Exists(still_open)).update(resolved_at=timezone.now())
    return resolved


def reminders_send(*, as_of):
    """The nightly job, once per day however often it runs: in one transaction, the day's
    ReminderRun row first (if it exists, the day has run: nothing is created, 0 returned),
    then a reminder for every open item due on or before `as_of` that has none yet, for the
    citizen's consultant, and a digest e-mail for each consultant who chose one. Returns how
    many reminders it created."""
    started = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = ReminderRun.objects.create(day=as_of)
        except IntegrityError:
            return 0
        with translation.override(settings.LANGUAGE_CODE):
            created = notifications_create(notifications=_reminders_due(as_of))
        _resolve_stale(as_of)
        digest_queue(as_of=as_of, since=started, site_url=getattr(settings, "SITE_URL", "http://127.0.0.1:8000"))
        ReminderRun.objects.filter(pk=run.pk).update(created=created)
    return created
