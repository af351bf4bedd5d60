"""An import job: one uploaded file on its way through a Celery worker, from the queue to its
report. The page polls the job's progress; the import itself stays one transaction, whole
or nothing (imports.services.import_job_run)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality

from .report import ImportReport


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        CITIZENS = "citizens", _("Borgere")
        PLACEMENTS = "placements", _("Ansættelser")

    class State(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RUNNING = "running", _("I gang")
        DONE = "done", _("Færdig")
        FAILED = "failed", _("Ikke gennemført")

    # Only the uploader ever sees the job (imports.access).
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("indlæst af")
    )
    kind = models.CharField(_("art"), max_length=12, choices=Kind.choices)
    # Placements go into this municipality; a citizens file names each row's municipality,
    # which must be one of the uploader's when the job runs.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("kommune")
    )
    # A citizens file's responsible consultant: given to every citizen it creates and to every
    # citizen it finds without one, unless the row names a consultant itself (imports.citizens).
    # Empty: only the consultants the file names (the command line's default).
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarlig konsulent"),
    )
    # The upload in the default storage, deleted (and this emptied) when the job is finished
    # or a day old at the latest: it holds CPR numbers.
    file_name = models.CharField(_("gemt fil"), max_length=200, blank=True)
    # The name the file had on the uploader's computer, CPR-like numbers masked, for the page.
    original_name = models.CharField(_("filnavn"), max_length=100, blank=True)
    dry_run = models.BooleanField(_("kontrollér kun"), default=False)
    state = models.CharField(_("tilstand"), max_length=10, choices=State.choices, default=State.QUEUED)
    # Rows done of the file's rows, written while the import's transaction is still open.
    progress = models.PositiveIntegerField(_("rækker færdige"), default=0)
    total = models.PositiveIntegerField(_("rækker i alt"), default=0)
    # ImportReport.as_dict(): counts, lines, columns and messages, CPR numbers masked.
    report = models.JSONField(_("rapport"), null=True, blank=True)
    created_at = models.DateTimeField(_("indlæst"), auto_now_add=True)
    started_at = models.DateTimeField(_("startet"), null=True, blank=True)
    finished_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)
    # Runs begun; a job whose worker died is run again, up to imports.services.MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("importjob")
        verbose_name_plural = _("importjobs")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["citizens", "placements"]), name="importjob_kind_valid"),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]), name="importjob_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="citizens") | Q(municipality__isnull=False),
                name="importjob_placements_have_a_municipality",
            ),
        ]
        # The sweep looks for jobs by state and age.
        indexes = [models.Index(fields=["state", "created_at"], name="importjob_state_created")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.get_state_display()} · {self.pk}"

    @property
    def is_active(self):
        """Still on its way: the page keeps asking for news."""
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    def outcome(self):
        """In a word or two, for the list of the uploader's jobs."""
        if self.is_active or not self.report or self.state == self.State.FAILED:
            return self.get_state_display()
        if self.report["error_count"]:
            return _("Fejl i filen")
        return _("Kontrolleret") if self.dry_run else _("Importeret")

    def report_object(self):
        """The finished job's ImportReport (None before it has one)."""
        return ImportReport.from_dict(self.report) if self.report else None
