"""Municipalities and each user's membership with a role in them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CONSULTANT = "consultant", _("Jobkonsulent")
    LEADER = "leader", _("Virksomhedsleder")
    MANAGER = "manager", _("Leder i jobcentret")
    ADMIN = "admin", _("Administrator")


class Municipality(models.Model):
    code = models.PositiveSmallIntegerField(_("kommunekode"), unique=True)
    name = models.CharField(_("navn"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self):
        return f"{self.name} ({self.code})"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.municipality}"
