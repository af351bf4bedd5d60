"""The project package, as `startproject` names it: settings, root URLs, the Celery app,
wsgi/asgi, site-wide middleware and context processor, the start page and health check, and
`seed_demo`, which fills every app. No models; the task force's own app is `workspace`."""

from .celery import app as celery_app

__all__ = ("celery_app",)
