"""Core holds what every app shares and no app owns; it has no models."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"
