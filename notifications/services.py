"""Reminders: created by the worklist's nightly job, resolved where the work is done."""

from django.utils import timezone

from .models import Notification


def notifications_resolve(*, kind, object_id):
    """The work behind (kind, object_id) is done or snoozed: its reminders leave the bell."""
    return Notification.objects.filter(kind=kind, object_id=object_id, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
