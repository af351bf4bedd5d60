"""Celery entry point of retention, run nightly by beat (taskforce.settings.CELERY_BEAT_SCHEDULE)."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from .services import citizens_anonymise_expired


@shared_task
def anonymise_expired(as_of=None):
    """Anonymise the citizens past the retention period on `as_of` (ISO text; default today)."""
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    return citizens_anonymise_expired(as_of=day)
