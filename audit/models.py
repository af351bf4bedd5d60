"""The access log: every read and write of personal data, by whom, when and why."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Visning")
        LIST = "list", _("Liste/søgning")
        CREATE = "create", _("Oprettelse")
        UPDATE = "update", _("Ændring")
        REVEAL_CPR = "reveal_cpr", _("Visning af CPR-nummer")
        ADD_NOTE = "add_note", _("Journalnotat tilføjet")

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("handling"), max_length=20, choices=Action.choices)
    # What was touched, as model label and primary key: never the data itself.
    model = models.CharField(_("model"), max_length=50)
    object_id = models.PositiveBigIntegerField(_("objekt-id"), null=True, blank=True)
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )
    purpose = models.CharField(_("formål"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("adgangslog")
        verbose_name_plural = _("adgangslog")
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.model}#{self.object_id}"
