"""The worklist's own state. The items themselves are read from where they live (a
placement's follow-ups, a leader's meeting request, a placement ending, a citizen with no
contact); an item is named by its key (kind, object_id, due_on)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


from notifications.models import Kind

__all__ = ["Kind", "Mark", "ReminderRun"]


class Mark(models.Model):
    """An item marked done (until is empty) or snoozed until a day, with the reason."""

    kind = models.CharField(_("art"), max_length=40, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("id"))
    due_on = models.DateField(_("frist"))
    until = models.DateField(_("udsat til"), null=True, blank=True)
    reason = models.CharField(_("begrundelse"), max_length=300)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("markering")
        verbose_name_plural = _("markeringer")
        indexes = [models.Index(fields=["kind", "object_id", "due_on"])]


class ReminderRun(models.Model):
    """One row per day the reminder job has run: the job's transaction creates it first, so
    a second run for the same day (beat restarted, a worker redelivered, a person by hand)
    finds it and creates nothing."""

    day = models.DateField(_("dag"), unique=True)
    created = models.PositiveIntegerField(_("påmindelser oprettet"), default=0)
    ran_at = models.DateTimeField(_("kørt"), auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("kørsel af påmindelser")
        verbose_name_plural = _("kørsler af påmindelser")
