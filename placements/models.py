"""Placements (ansættelser): a citizen's job, internship or flex job at an employer."""

from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from citizens.models import Citizen
from core import dates
from core.limits import MAX_WEEKLY_HOURS, TEXT_MAX_LENGTH
from core.validators import TextLengthValidator, validate_planned_date
from notifications.models import Kind as ReminderKind

# A flex job is granted for five years at a time; the law asks for a follow-up after
# 2½ years and a written status after 4½ years.
FLEXJOB_GRANT = relativedelta(years=5)
FOLLOW_UP_AFTER = relativedelta(months=30)
STATUS_AFTER = relativedelta(months=54)

OVERLAP_MESSAGE = _("Borgeren har allerede en ansættelse hos denne virksomhed i den periode.")

# The citizen's status once a placement has ended and no other runs: the consultant's choice
# when ending it, "Klar til job" (job-seeking again) unless chosen otherwise. Never "Ansat":
# that status follows a running placement alone.
STATUSES_AFTER_END = ("ready", "in_course", "registered", "ended")


class PlacementQuerySet(models.QuerySet):
    def refresh_in_target_group(self):
        """Set `in_target_group` again from each citizen's unemployment, as when registered:
        one update per value, for a citizen whose `unemployed_since` was corrected."""
        from .signals import placements_changed_send

        pks_by_value = defaultdict(list)
        days = defaultdict(set)
        for placement in self.select_related("citizen").only(
            "start_date", "municipality_id", "in_target_group", "citizen__unemployed_since"
        ):
            was = placement.in_target_group
            placement.refresh_in_target_group()
            if placement.in_target_group != was:
                pks_by_value[placement.in_target_group].append(placement.pk)
                days[placement.municipality_id].add(placement.start_date)
        for value, pks in pks_by_value.items():
            Placement.objects.filter(pk__in=pks).update(in_target_group=value)
        for municipality_id, changed_days in days.items():
            placements_changed_send(municipality_id=municipality_id, days=changed_days)

    def overlapping(self, *, citizen, employer, start_date, end_date, exclude_pk=None):
        """Placements of the citizen at the employer whose period meets [start, end]."""
        qs = self.filter(citizen=citizen, employer=employer).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start_date)
        )
        if end_date is not None:
            qs = qs.filter(start_date__lte=end_date)
        if exclude_pk is not None:
            qs = qs.exclude(pk=exclude_pk)
        return qs


class Placement(models.Model):
    class Kind(models.TextChoices):
        FLEXJOB = "flexjob", _("Fleksjob")
        INTERNSHIP = "internship", _("Praktik")
        ORDINARY_JOB = "ordinary_job", _("Ordinært job")

    class EndReason(models.TextChoices):
        RESIGNED = "resigned", _("Borgeren sagde op")
        DISMISSED = "dismissed", _("Virksomheden opsagde")
        PERIOD_ENDED = "period_ended", _("Perioden udløb")
        HEALTH = "health", _("Helbred")
        NEW_JOB = "new_job", _("Nyt job")
        OTHER = "other", _("Andet")

    # The citizen's (and the employer's) municipality, kept on the placement so that counting
    # and every list scope by it without joining the citizens, and so that the table can be
    # distributed by municipality (docs/scaling.md). On PostgreSQL composite foreign keys
    # hold it equal to the citizen's and the employer's (migration 0008).
    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kommune"),
        editable=False,
    )
    citizen = models.ForeignKey(
        "citizens.Citizen",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("borger"),
    )
    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("virksomhed"),
    )
    opening = models.ForeignKey(
        "employers.Opening",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("stillingsopslag"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.FLEXJOB)
    hours_per_week = models.DecimalField(
        _("timer om ugen"),
        max_digits=4,
        decimal_places=1,
        help_text=_("Timer om ugen, der faktisk arbejdes (over 0, højst 37)."),
    )
    contracted_hours = models.DecimalField(
        _("aftalte timer om ugen"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Valgfrit: de aftalte timer, hvis de er flere end de faktiske."),
    )
    # Within a plausible window (core.validators), for every form, the admin's included: the
    # follow-up and grant dates are worked out from the start, and year 9999 plus 30 months overflows.
    start_date = models.DateField(_("startdato"), validators=[validate_planned_date])
    end_date = models.DateField(_("slutdato"), null=True, blank=True, validators=[validate_planned_date])
    permanent = models.BooleanField(
        _("permanent"),
        default=True,
        help_text=_("Permanent ansættelse; ellers tidsbegrænset (et fleksjob bevilges for 5 år ad gangen)."),
    )
    first_flexjob = models.BooleanField(_("borgerens første fleksjob"), default=False)
    retention_flexjob = models.BooleanField(
        _("fastholdelsesfleksjob"),
        default=False,
        help_text=_("Fleksjob på borgerens nuværende arbejdsplads."),
    )
    accommodations = models.TextField(_("skånehensyn"), blank=True, validators=[TextLengthValidator(TEXT_MAX_LENGTH)])
    # Whether the citizen had been unemployed for over a continuous year on the start
    # date, for counting: set by refresh_in_target_group when the placement is registered or
    # changed, and again when the citizen's unemployed_since is corrected.
    in_target_group = models.BooleanField(_("i målgruppen ved start"), default=False, editable=False)
    end_reason = models.CharField(
        _("årsag til ophør"), max_length=20, choices=EndReason.choices, blank=True
    )
    # Chosen when the placement is ended (placements.services.placement_end); empty means
    # "Klar til job". Applied by citizens_status_refresh once the end date has passed.
    citizen_status_after = models.CharField(
        _("borgerens status efter ophør"),
        max_length=20,
        choices=[(value, label) for value, label in Citizen.Status.choices if value in STATUSES_AFTER_END],
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("ansættelse")
        verbose_name_plural = _("ansættelser")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=MAX_WEEKLY_HOURS),
                name="placement_hours_range",
                violation_error_message=_("Timer om ugen skal være over 0 og højst 37."),
            ),
            models.CheckConstraint(
                condition=Q(contracted_hours__isnull=True)
                | (
                    Q(contracted_hours__gte=F("hours_per_week"))
                    & Q(contracted_hours__lte=MAX_WEEKLY_HOURS)
                ),
                name="placement_contracted_hours_range",
                violation_error_message=_(
                    "De aftalte timer skal være mindst de faktiske timer og højst 37."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="placement_end_not_before_start",
                violation_error_message=_("Slutdatoen må ikke ligge før startdatoen."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["flexjob", "internship", "ordinary_job"]),
                name="placement_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(citizen_status_after__in=["", *STATUSES_AFTER_END]),
                name="placement_citizen_status_after_valid",
            ),
        ]
        # Counting reads placement_counting: (municipality, kind, start_date), on PostgreSQL with
        # the employer, end date and target-group flag included, so the employers with the most
        # are counted from the index alone (migration 0009).
        indexes = [
            models.Index(fields=["citizen", "employer", "start_date"]),
        ]

    def __str__(self):
        return f"{self.display_kind} · {self.employer} · {self.start_date}"

    # The counting rules' definitions, for progress.counting and progress.reports to filter
    # on; is_mini_flexjob below is the same rule for one placement, on its own page.
    @staticmethod
    def mini_flexjob_q():
        """A flex job of few hours (STAR's "fleksjob på få timer"), up to the setting."""
        return Q(kind=Placement.Kind.FLEXJOB, hours_per_week__lte=settings.MINI_FLEXJOB_MAX_HOURS)

    @staticmethod
    def running_q(on):
        """Still in the job on `on` (a job ending that day still runs that day)."""
        return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))

    @property
    def is_mini_flexjob(self):
        return (
            self.kind == self.Kind.FLEXJOB
            and self.hours_per_week is not None
            and self.hours_per_week <= settings.MINI_FLEXJOB_MAX_HOURS
        )

    @property
    def display_kind(self):
        return _("Mini-fleksjob") if self.is_mini_flexjob else self.get_kind_display()

    def validate_no_overlap(self):
        """A citizen cannot hold two overlapping placements at the same employer. Checked when
        the form validates, and again by placements.services under a lock on the citizen (an
        import checks a whole file's periods against each other instead)."""
        if not (self.citizen_id and self.employer_id and self.start_date):
            return  # the missing field has its own error
        if self.end_date is not None and self.end_date < self.start_date:
            return  # the constraint on the dates says what is wrong
        overlapping = Placement.objects.overlapping(
            citizen=self.citizen_id,
            employer=self.employer_id,
            start_date=self.start_date,
            end_date=self.end_date,
            exclude_pk=self.pk,
        )
        if overlapping.exists():
            raise ValidationError({"start_date": OVERLAP_MESSAGE})

    def refresh_in_target_group(self):
        """The target-group rule for a placement: unemployed for over a continuous year on the start date."""
        self.in_target_group = self.citizen.is_in_target_group(self.start_date)

    @property
    def grant_expires_on(self):
        if self.kind != self.Kind.FLEXJOB or self.permanent:
            return None
        return self.start_date + FLEXJOB_GRANT


class FollowUp(models.Model):
    """A follow-up on a placement: planned (due_on) when the placement is registered, done
    when recorded (done_on, outcome, note). The regular ones come after the months of
    settings.FOLLOW_UP_MONTHS; a flex job also gets the law's deadlines (the 2½-year
    follow-up and, for a first flex job on the 5-year grant, the re-assessment before 4½
    years). Open ones go when the placement ends."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Opfølgning")
        LEGAL_FOLLOW_UP = "legal_follow_up", _("Lovpligtig opfølgning efter 2½ år")
        REASSESSMENT = "reassessment", _("Revurdering før 4½ år")

    class Outcome(models.TextChoices):
        STILL_EMPLOYED = "still_employed", _("Stadig ansat")
        HOURS_CHANGED = "hours_changed", _("Timer ændret")
        ENDED = "ended", _("Ansættelsen er ophørt")
        NOT_REACHED = "not_reached", _("Ikke truffet")

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("ansættelse")
    )
    kind = models.CharField(_("art"), max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    # For a regular follow-up: the months after the start (1, 3, 6, 12); for a deadline, 30 or 54.
    months = models.PositiveSmallIntegerField(_("måneder efter start"))
    due_on = models.DateField(_("frist"))
    done_on = models.DateField(_("udført"), null=True, blank=True, validators=[validate_planned_date])
    outcome = models.CharField(_("resultat"), max_length=20, choices=Outcome.choices, blank=True)
    note = models.TextField(_("notat"), blank=True, validators=[TextLengthValidator(TEXT_MAX_LENGTH)])
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("udført af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("opfølgning")
        verbose_name_plural = _("opfølgninger")
        constraints = [
            models.UniqueConstraint(fields=["placement", "kind", "months"], name="followup_once_per_placement"),
            models.CheckConstraint(
                condition=Q(kind__in=["regular", "legal_follow_up", "reassessment"]), name="followup_kind_valid"
            ),
            models.CheckConstraint(
                condition=(Q(done_on__isnull=True) & Q(outcome=""))
                | (Q(done_on__isnull=False) & Q(outcome__in=["still_employed", "hours_changed", "ended", "not_reached"])),
                name="followup_done_has_outcome",
            ),
        ]
        indexes = [
            # The worklist: open follow-ups by due date.
            models.Index(fields=["due_on"], condition=Q(done_on__isnull=True), name="followup_open_due"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.due_on}"

    @property
    def is_done(self):
        return self.done_on is not None

    @property
    def title(self):
        """What the follow-up is, for a person: "Opfølgning efter 3 måneder", or the deadline."""
        if self.kind == self.Kind.REGULAR:
            return ngettext(
                "Opfølgning efter %(months)s måned", "Opfølgning efter %(months)s måneder", self.months
            ) % {"months": self.months}
        return self.get_kind_display()

    @property
    def is_legal_deadline(self):
        return self.kind != self.Kind.REGULAR

    def done_on_refusal(self, done_on):
        """Why the follow-up cannot have been done on `done_on`, or None: not in the future, and
        not before its placement started. The form and placements.services.followup_record ask."""
        if done_on > timezone.localdate():
            return _("Datoen må ikke ligge i fremtiden.")
        start = self.placement.start_date
        if done_on < start:
            return _("Opfølgningen kan ikke være udført før ansættelsens start (%(date)s).") % {
                "date": dates.day_long(start)
            }
        return None

    def is_overdue(self, on=None):
        return self.done_on is None and self.due_on < (on or timezone.localdate())

    @property
    def overdue(self):
        """For templates: open and past its due date today."""
        return self.is_overdue()

    @property
    def reminder_kind(self):
        """The kind its reminders and worklist items have (notifications.models.Kind)."""
        return ReminderKind.DEADLINE if self.is_legal_deadline else ReminderKind.FOLLOW_UP


def follow_ups_planned(*, start_date, kind, first_flexjob, permanent, end_date=None, months=None):
    """[(kind, months, due_on)] of the follow-ups a placement should have: the regular ones
    (`months`, settings.FOLLOW_UP_MONTHS by default) after the start; for a flex job the law's
    follow-up after 2½ years and, for a first flex job on the 5-year grant (not permanent), the
    re-assessment before 4½ years. A placement with an end date keeps only those due by it:
    nothing after the end (a flex job ending in two years keeps its 2½-year follow-up if that
    falls before). Once the placement has ended, the worklist no longer shows its open ones.

    Month arithmetic clamps to the month's end (31 January + 1 month is 28 or 29 February)."""
    months = settings.FOLLOW_UP_MONTHS if months is None else months
    planned = [(FollowUp.Kind.REGULAR, m, start_date + relativedelta(months=m)) for m in sorted(set(months))]
    if kind == Placement.Kind.FLEXJOB:
        planned.append((FollowUp.Kind.LEGAL_FOLLOW_UP, _months(FOLLOW_UP_AFTER), start_date + FOLLOW_UP_AFTER))
        if first_flexjob and not permanent:
            planned.append((FollowUp.Kind.REASSESSMENT, _months(STATUS_AFTER), start_date + STATUS_AFTER))
    if end_date is not None:
        planned = [item for item in planned if item[2] <= end_date]
    return planned


def _months(delta):
    return delta.years * 12 + delta.months
