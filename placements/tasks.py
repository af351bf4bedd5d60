"""Celery tasks of placements: thin entry points for the nightly jobs (taskforce/settings.py,
CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import services


@shared_task
def statuses_refresh():
    """Each citizen's status from their placements today: "Ansat" from a placement's start day,
    job-seeking again (or the status chosen at its end) once its end date has passed. Returns
    how many changed; a second run the same day changes none."""
    return services.citizens_status_refresh()
