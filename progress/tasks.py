"""Celery entry points of progress, run by beat (taskforce.settings.CELERY_BEAT_SCHEDULE):
thin, taking a day as ISO text (or none: the day the schedule means)."""

from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from .services import monthly_reports_queue, snapshots_take


def _day(as_of, default):
    return date.fromisoformat(as_of) if as_of else default


@shared_task
def snapshot_progress(as_of=None):
    """Nightly, after midnight: store the figures of the day that has just ended (yesterday),
    whole, so the month's last day is stored before the monthly report is drawn from it."""
    return snapshots_take(as_of=_day(as_of, timezone.localdate() - timedelta(days=1)))


@shared_task
def monthly_report(as_of=None):
    """On the 1st: the status report of the month just ended to each municipality's managers."""
    return monthly_reports_queue(as_of=_day(as_of, timezone.localdate()))
