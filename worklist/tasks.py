"""Celery entry point of the worklist: the nightly reminders (beat's "send-reminders")."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from .services import reminders_send


@shared_task
def send_reminders(as_of=None):
    """Create the reminders due on `as_of` (an ISO date; today when not given). Run twice for
    a day, by a restarted beat or a redelivered message, the second run creates none."""
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    return reminders_send(as_of=day)
