"""Targets a municipality measures itself against (e.g. 164 new flex jobs)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.validators import validate_planned_date


class TargetQuerySet(models.QuerySet):
    def current_for(self, municipality, on):
        """The target whose period holds `on`, else the latest one that started before it."""
        targets = self.filter(municipality=municipality)
        return (
            targets.filter(period_start__lte=on, period_end__gte=on).order_by("-period_start").first()
            or targets.filter(period_start__lte=on).order_by("-period_start").first()
            or targets.order_by("period_start").first()
        )


class Target(models.Model):
    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("kommune"),
    )
    title = models.CharField(_("titel"), max_length=200)
    number = models.PositiveIntegerField(_("mål (antal nye fleksjob)"))
    # Within a plausible window (core.validators), for every form, the admin's included: the
    # dashboard counts and draws from the period, and a period in year 9999 overflows.
    period_start = models.DateField(_("periode fra"), validators=[validate_planned_date])
    period_end = models.DateField(_("periode til"), validators=[validate_planned_date])
    target_group_only = models.BooleanField(
        _("kun målgruppen"),
        default=False,
        help_text=_("Tæl kun borgere, der har været ledige i over et sammenhængende år."),
    )

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "-period_start"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="target_period_order",
                violation_error_message=_("Perioden må ikke slutte før den begynder."),
            ),
            models.CheckConstraint(condition=Q(number__gt=0), name="target_number_positive"),
        ]

    def __str__(self):
        return f"{self.title} ({self.number})"
