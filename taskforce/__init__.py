"""Task Force project package: settings, URLs, the Celery app and the task-force workspace."""

from .celery import app as celery_app

__all__ = ("celery_app",)
