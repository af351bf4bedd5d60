"""Citizens (borgere) in a jobcenter's care and their case notes (journal)."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from core.limits import MAX_WEEKLY_HOURS, TEXT_MAX_LENGTH
from core.validators import TextLengthValidator, validate_recorded_date

from . import cpr as cprlib


# Every write about an anonymised citizen is refused with this (citizens.services
# citizen_refuse_if_anonymised): what retention blanked must stay blank.
ANONYMISED_READ_ONLY_MESSAGE = _("Borgeren er anonymiseret og kan ikke længere ændres.")


def target_group_cutoff(on):
    """A citizen is in the target group on `on` when unemployed since before this date."""
    return on - relativedelta(years=1)


@dataclass(frozen=True)
class Unemployment:
    """What a page says of a citizen's unemployment on a day (Citizen.unemployment_on)."""

    since: date | None
    # Job-seeking with no placement running: the unemployment goes on, and its length counts.
    lasting: bool
    # The start of the running placement the citizen was hired in; None while not employed.
    hired_on: date | None = None
    # Whole months unemployed: until the day while it lasts, until the hiring once hired.
    months: int | None = None
    # In the target group on the day while it lasts, on the hiring day once hired (the
    # placement's own in_target_group); None when neither.
    in_target_group: bool | None = None


class CitizenQuerySet(models.QuerySet):
    def job_seeking(self):
        """Looking for a job, by the status (which follows the placements) and not anonymised:
        the leaders' candidate pool and the worklist's no-contact rule ask about these."""
        return self.filter(status__in=Citizen.JOB_SEEKING_STATUSES, anonymised_at__isnull=True)

    def in_target_group(self, on=None):
        on = on or timezone.localdate()
        return self.filter(unemployed_since__lt=target_group_cutoff(on))

    def not_in_target_group(self, on=None):
        on = on or timezone.localdate()
        return self.filter(
            Q(unemployed_since__isnull=True) | Q(unemployed_since__gte=target_group_cutoff(on))
        )

    @sensitive_variables("number")
    def with_cpr(self, number):
        return self.filter(cpr_hash=cprlib.cpr_hash(number))


class Citizen(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registreret")
        IN_COURSE = "in_course", _("I forløb")
        READY = "ready", _("Klar til job")
        PLACED = "placed", _("Ansat")
        ENDED = "ended", _("Afsluttet")

    # Looking for a job: CitizenQuerySet.job_seeking.
    JOB_SEEKING_STATUSES = (Status.REGISTERED, Status.IN_COURSE, Status.READY)

    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        related_name="citizens",
        verbose_name=_("kommune"),
    )
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("efternavn"), max_length=100)
    # The CPR number is stored only encrypted; the hash finds it, the birth date masks it.
    cpr_encrypted = models.TextField(_("CPR-nummer, krypteret"), editable=False)
    cpr_hash = models.CharField(_("CPR-nummer, søgenøgle"), max_length=64, editable=False)
    # Empty only once the citizen is anonymised (retention): the CPR number is gone then.
    birth_date = models.DateField(_("fødselsdato"), null=True, editable=False)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    # Within a plausible window (core.validators), so every form, the admin's included, refuses
    # a year 9999 that the target-group rule and the pages could not work with.
    unemployed_since = models.DateField(
        _("ledig siden"),
        null=True,
        blank=True,
        help_text=_("Dato hvor den nuværende sammenhængende ledighed begyndte."),
        validators=[validate_recorded_date],
    )
    flexjob_approved_on = models.DateField(
        _("visiteret til fleksjob"), null=True, blank=True, validators=[validate_recorded_date]
    )
    weekly_hours = models.DecimalField(
        _("timer om ugen"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Hvor mange timer om ugen borgeren kan arbejde (over 0, højst 37)."),
    )
    competences = models.TextField(_("kompetencer"), blank=True, validators=[TextLengthValidator(TEXT_MAX_LENGTH)])
    wishes = models.TextField(_("ønsker"), blank=True, validators=[TextLengthValidator(TEXT_MAX_LENGTH)])
    class TravelDistance(models.TextChoices):
        UP_TO_5 = "0-5", _("Op til 5 km")
        UP_TO_15 = "5-15", _("5–15 km")
        UP_TO_30 = "15-30", _("15–30 km")
        OVER_30 = "30+", _("Over 30 km")

    travel_distance = models.CharField(
        _("afstand til job"),
        max_length=10,
        choices=TravelDistance.choices,
        blank=True,
        help_text=_("Hvor langt borgeren kan rejse til et job (vises i den anonyme profil)."),
    )
    consent_to_share_profile = models.BooleanField(
        _("samtykke til anonym profil"),
        default=False,
        help_text=_("Borgeren har givet samtykke til at dele en anonymiseret profil med virksomheder."),
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("ansvarlig konsulent"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    # The last contact with the citizen (a case note or a follow-up): the worklist asks for
    # one when it is long ago. Set to the day of registration when the citizen is created.
    last_contact_on = models.DateField(_("seneste kontakt"), null=True, blank=True)
    # When the case was closed (status "Afsluttet"); with the placements' end dates it decides
    # when the retention period runs out.
    case_closed_on = models.DateField(_("sag afsluttet"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymiseret"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = CitizenQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("borger")
        verbose_name_plural = _("borgere")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "cpr_hash"],
                name="citizen_cpr_unique_in_municipality",
                violation_error_message=_("Der findes allerede en borger med dette CPR-nummer i kommunen."),
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__isnull=True)
                | (Q(weekly_hours__gt=0) & Q(weekly_hours__lte=MAX_WEEKLY_HOURS)),
                name="citizen_weekly_hours_range",
                violation_error_message=_("Timer om ugen skal være over 0 og højst 37."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["registered", "in_course", "ready", "placed", "ended"]),
                name="citizen_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "last_name", "first_name"]),
            models.Index(fields=["municipality", "status"]),
            models.Index(fields=["municipality", "unemployed_since"]),
            models.Index(fields=["municipality", "consultant"]),
            models.Index(fields=["consultant", "last_contact_on"]),
            # The list's "Senest oprettet" (read backwards). Name search has trigram indexes on
            # PostgreSQL (migration 0007).
            models.Index(fields=["municipality", "created_at"], name="citizen_newest"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def is_anonymised(self):
        """Anonymised by retention: read-only from then on (ANONYMISED_READ_ONLY_MESSAGE)."""
        return self.anonymised_at is not None

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @sensitive_variables("number")
    def set_cpr(self, number):
        """Set the CPR number from its 10 validated digits (see cpr.cpr_normalize)."""
        self.cpr_encrypted = cprlib.cpr_encrypt(number)
        self.cpr_hash = cprlib.cpr_hash(number)
        self.birth_date = cprlib.cpr_birth_date(number)

    def reveal_cpr(self):
        """The full CPR number. Callers must log the reveal (citizen_reveal_cpr does)."""
        return cprlib.RevealedCpr(cprlib.cpr_format(cprlib.cpr_decrypt(self.cpr_encrypted)))

    @property
    def cpr_masked(self):
        return cprlib.cpr_mask(self.birth_date)

    def is_in_target_group(self, on=None):
        on = on or timezone.localdate()
        return self.unemployed_since is not None and self.unemployed_since < target_group_cutoff(on)

    def unemployed_months(self, on=None):
        if self.unemployed_since is None:
            return None
        on = on or timezone.localdate()
        delta = relativedelta(on, self.unemployed_since)
        return delta.years * 12 + delta.months

    def unemployment_on(self, on=None, *, hired_on=None, hired_in_target_group=None):
        """The citizen's unemployment as a page shows it on `on` (today by default). A citizen
        hired in a placement running on `on` (`hired_on`, its start date, and
        `hired_in_target_group`, the placement's in_target_group: the placements app decides it)
        is no longer unemployed: what counts then is whether they were in the target group
        when hired, and how long they had been unemployed. Only a job-seeking citizen's
        unemployment lasts; a closed case's says nothing more than its recorded date."""
        on = on or timezone.localdate()
        if hired_on is not None:
            before = self.unemployed_since is not None and self.unemployed_since <= hired_on
            return Unemployment(
                since=self.unemployed_since,
                lasting=False,
                hired_on=hired_on,
                months=self.unemployed_months(hired_on) if before else None,
                in_target_group=bool(hired_in_target_group),
            )
        if self.status in self.JOB_SEEKING_STATUSES:
            return Unemployment(
                since=self.unemployed_since,
                lasting=True,
                months=self.unemployed_months(on),
                in_target_group=self.is_in_target_group(on),
            )
        return Unemployment(since=self.unemployed_since, lasting=False)

    def age_on(self, on: date):
        if self.birth_date is None:
            return None
        return relativedelta(on, self.birth_date).years


class CaseNote(models.Model):
    """A journal entry. Never edited or deleted: a correction is a new note."""

    citizen = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, related_name="notes", verbose_name=_("borger")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("forfatter"),
    )
    created_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    text = models.TextField(_("notat"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("journalnotat")
        verbose_name_plural = _("journalnotater")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="casenote_text_not_empty"),
        ]

    def __str__(self):
        return f"{self.citizen_id} · {self.created_at:%Y-%m-%d %H:%M}"
