from django.apps import AppConfig


class TaskforceConfig(AppConfig):
    """The project package as an app only so that `manage.py seed_demo`, which fills every
    app, is found: it has no models."""

    name = "taskforce"
    verbose_name = "Task Force"
