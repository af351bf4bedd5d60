"""Reminders: created by the worklist's nightly job, resolved where the work is done, read on
the notifications page, and sent to those who chose it in one e-mail a day (the digest)."""

from collections import defaultdict
from core import dates
from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from outbox.services import mail_queue

from .models import Notification, Preference


def notifications_resolve(*, kind, object_id):
    """The work behind (kind, object_id) is done or snoozed: its reminders leave the bell."""
    return Notification.objects.filter(kind=kind, object_id=object_id, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


def notifications_resolve_many(*, objects):
    """notifications_resolve for many: `objects` is [(kind, object_id)]; one UPDATE per kind."""
    by_kind = {}
    for kind, object_id in objects:
        by_kind.setdefault(kind, []).append(object_id)
    now = timezone.now()
    return sum(
        Notification.objects.filter(kind=kind, object_id__in=ids, resolved_at__isnull=True).update(resolved_at=now)
        for kind, ids in by_kind.items()
    )


def notifications_create(*, notifications):
    """Store new reminders in one INSERT per batch. The unique key (user, kind, object_id,
    due_on) keeps each at most once: one that exists already is skipped, not an error.
    Returns how many were asked for (the caller has left out those that exist)."""
    notifications = list(notifications)
    Notification.objects.bulk_create(notifications, batch_size=1000, ignore_conflicts=True)
    return len(notifications)


def notifications_mark_read(*, user, ids=None):
    """Mark the user's unread reminders read: those of `ids`, or all of them."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def preference_set(*, user, daily_digest):
    preference, _created = Preference.objects.update_or_create(user=user, defaults={"daily_digest": daily_digest})
    return preference


def digest_queue(*, as_of, since, site_url):
    """Queue one e-mail per user who chose the daily digest, listing their reminders created
    since `since` and not yet e-mailed (nor already done), and mark those e-mailed. Each
    user's mail of the day has its own dedupe key, so it is queued at most once. The mail
    holds the reminders' titles (written without personal data) and links to the pages,
    never a name or a CPR number. Returns how many mails were queued."""
    pending = (
        Notification.objects.filter(
            created_at__gte=since,
            emailed_at__isnull=True,
            resolved_at__isnull=True,
            user__is_active=True,
            user__notification_preference__daily_digest=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "due_on", "pk")
    )
    by_user = defaultdict(list)
    for notification in pending:
        by_user[notification.user].append(notification)
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        for user, notifications in by_user.items():
            mail_queue(
                kind="digest",
                to=[user.email],
                subject=_("Dine påmindelser i Task Force %(day)s") % {"day": dates.day_long(as_of)},
                body=_digest_body(notifications, site_url),
                dedupe_key=f"digest:{user.pk}:{as_of.isoformat()}",
            )
        Notification.objects.filter(pk__in=[n.pk for ns in by_user.values() for n in ns]).update(
            emailed_at=timezone.now()
        )
    return len(by_user)


def _digest_body(notifications, site_url):
    lines = [
        _("Du har %(count)s nye påmindelser i Task Force:") % {"count": len(notifications)},
        "",
    ]
    for notification in notifications:
        lines += [f"- {notification.title}", f"  {urljoin(site_url, notification.url)}"]
    lines += [
        "",
        _("Se alle dine påmindelser: %(url)s") % {"url": urljoin(site_url, reverse("notifications:list"))},
        "",
        _(
            "Du får denne e-mail, fordi du har valgt en daglig oversigt over dine påmindelser. "
            "Du kan slå den fra her: %(url)s"
        ) % {"url": urljoin(site_url, reverse("notifications:preferences"))},
    ]
    return "\n".join(lines)
