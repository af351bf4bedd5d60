"""Targets a municipality measures itself against (e.g. 164 new flex jobs), and the figures
stored each night for each current target (Snapshot)."""

from django.core.serializers.json import DjangoJSONEncoder
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


class Snapshot(models.Model):
    """A target's figures as they stood on a day, stored by the nightly job (progress.services
    .snapshots_take) and never changed after: a past day's status report is drawn from them,
    so it says what it said then, however the placements were corrected since.

    `figures` is the dict `manage.py progress --json` prints for that day; `tables` holds the
    rest of the report (the target's title and rule, the months, retention, employers,
    industries and courses), as progress.dashboard.figure_tables works it out."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("mål"))
    day = models.DateField(_("dag"))
    figures = models.JSONField(_("tal"), encoder=DjangoJSONEncoder)
    tables = models.JSONField(_("tabeller"), encoder=DjangoJSONEncoder, default=dict)
    created_at = models.DateTimeField(_("gemt"), auto_now_add=True)

    class Meta:
        ordering = ["target", "-day"]
        verbose_name = _("gemte tal")
        verbose_name_plural = _("gemte tal")
        constraints = [
            # Once a day per target: a second run of the nightly job finds it and stores nothing.
            models.UniqueConstraint(fields=["target", "day"], name="snapshot_once_per_target_and_day"),
        ]

    def __str__(self):
        return f"{self.target_id} · {self.day}"


class FlexJobDay(models.Model):
    """Kept figures: the new flex jobs of a municipality that started on a day, per target-group
    flag and industry, counted in the cells the dashboard shows. progress.figures keeps them
    equal to what progress.counting works out from the placements (refreshed, a day at a time,
    in the transaction that changes a placement or an employer), so the dashboard, its exports
    and the status report sum a few hundred rows instead of scanning every placement."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    in_target_group = models.BooleanField()
    industry = models.CharField(max_length=100, blank=True)
    started = models.PositiveIntegerField(default=0)
    private = models.PositiveIntegerField(default=0)
    public = models.PositiveIntegerField(default=0)
    social_economic = models.PositiveIntegerField(default=0)
    sme = models.PositiveIntegerField(default=0)
    mini = models.PositiveIntegerField(default=0)
    first = models.PositiveIntegerField(default=0)
    retention = models.PositiveIntegerField(default=0)
    hours_1_5 = models.PositiveIntegerField(default=0)
    hours_6_10 = models.PositiveIntegerField(default=0)
    hours_over_10 = models.PositiveIntegerField(default=0)
    # The mini flex job limit the row was counted with (settings.MINI_FLEXJOB_MAX_HOURS): rows
    # of another limit are counted again before they are read.
    mini_limit = models.DecimalField(max_digits=4, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "day", "in_target_group", "industry"], name="flexjobday_unique"
            ),
        ]


class FlexJobEnd(models.Model):
    """Kept figures: the ended new flex jobs of a municipality per start and end date, for how
    many still run on a day and how many stayed 3, 6 and 12 months (progress.figures)."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.CASCADE, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField()
    in_target_group = models.BooleanField()
    # The whole months from the start the job lasted: the most k with start + k months <= end
    # (month arithmetic clamps to the month's end, as counting.retention's does).
    months_lasted = models.PositiveSmallIntegerField()
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "start_date", "end_date", "in_target_group"], name="flexjobend_unique"
            ),
        ]
