"""Employers (virksomheder), their contact persons and their openings (pledges of positions)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.limits import MAX_POSITIONS, MAX_WEEKLY_HOURS, TEXT_MAX_LENGTH
from core.validators import TextLengthValidator, validate_recorded_date


class Employer(models.Model):
    class Sector(models.TextChoices):
        PRIVATE = "private", _("Privat")
        PUBLIC = "public", _("Offentlig")

    class Size(models.TextChoices):
        MICRO = "micro", _("Mikro (under 10 ansatte)")
        SMALL = "small", _("Lille (10–49 ansatte)")
        MEDIUM = "medium", _("Mellemstor (50–249 ansatte)")
        LARGE = "large", _("Stor (250+ ansatte)")

    # Small and medium-sized enterprises, which the task force must bring in (SPEC).
    SME_SIZES = (Size.MICRO, Size.SMALL, Size.MEDIUM)

    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        related_name="employers",
        verbose_name=_("kommune"),
    )
    name = models.CharField(_("navn"), max_length=200)
    cvr = models.CharField(_("CVR-nummer"), max_length=8)
    sector = models.CharField(_("sektor"), max_length=10, choices=Sector.choices)
    social_economic = models.BooleanField(_("socialøkonomisk virksomhed"), default=False)
    size = models.CharField(_("størrelse"), max_length=10, choices=Size.choices, blank=True)
    industry = models.CharField(_("branche"), max_length=100, blank=True)
    # How many placements the employer has had, kept by every writer of placements
    # (placements.signals.placements_changed_send) so the list sorts by it from an index.
    placement_count = models.PositiveIntegerField(_("ansættelser"), default=0, editable=False)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    # Within a plausible window (core.validators), for every form, the admin's included.
    last_contact = models.DateField(_("seneste kontakt"), null=True, blank=True, validators=[validate_recorded_date])
    next_step = models.CharField(_("næste skridt"), max_length=300, blank=True)
    # Business leaders who speak for this company in the task force.
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_employers",
        verbose_name=_("virksomhedsledere"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("virksomhed")
        verbose_name_plural = _("virksomheder")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "cvr"],
                name="employer_cvr_unique_in_municipality",
                violation_error_message=_("Der findes allerede en virksomhed med dette CVR-nummer i kommunen."),
            ),
            models.CheckConstraint(
                condition=Q(sector__in=["private", "public"]), name="employer_sector_valid"
            ),
            # Social-economic enterprises are private companies (SPEC: counting rules).
            models.CheckConstraint(
                condition=Q(social_economic=False) | Q(sector="private"),
                name="employer_social_economic_is_private",
                violation_error_message=_("En socialøkonomisk virksomhed er en privat virksomhed: vælg sektor Privat."),
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "name"]),
            models.Index(fields=["municipality", "sector"]),
            # The list's "Flest ansættelser" and "Længst siden kontakt". Name and industry search
            # have trigram indexes on PostgreSQL (migration 0008).
            models.Index(fields=["municipality", "-placement_count", "name"], name="employer_most_placements"),
            models.Index(fields=["municipality", "last_contact", "name"], name="employer_last_contact"),
        ]

    def __str__(self):
        return self.name


class ContactPerson(models.Model):
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("virksomhed")
    )
    name = models.CharField(_("navn"), max_length=200)
    title = models.CharField(_("stilling"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")

    def __str__(self):
        return self.name


class JobTask(models.Model):
    """The catalogue of small tasks an employer ticks to carve a job of a few hours a week
    (light kitchen work, laundry, caretaker tasks …). Admins extend it."""

    name = models.CharField(_("opgave"), max_length=100, unique=True)
    description = models.CharField(_("beskrivelse"), max_length=300, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("opgave i kataloget")
        verbose_name_plural = _("opgavekatalog")

    def __str__(self):
        return self.name


POSITIONS_MESSAGE = _("Der kan højst være %(max)s stillinger i ét opslag.")


def validate_positions(value):
    """No more positions in one opening or pledge than core.limits allows."""
    if value is not None and value > MAX_POSITIONS:
        raise ValidationError(POSITIONS_MESSAGE, code="max_value", params={"max": MAX_POSITIONS})


# The same message for the database's constraint, which takes no parameters: filled in when it
# is shown, in the language of the request.
_positions_violation_message = lazy(lambda: POSITIONS_MESSAGE % {"max": MAX_POSITIONS}, str)


class Opening(models.Model):
    """An employer's offer of positions: an opening or a task-force member's pledge."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="openings", verbose_name=_("virksomhed")
    )
    title = models.CharField(_("titel"), max_length=200)
    tasks = models.TextField(_("opgaver"), blank=True, validators=[TextLengthValidator(TEXT_MAX_LENGTH)])
    catalogue_tasks = models.ManyToManyField(JobTask, blank=True, related_name="openings", verbose_name=_("opgaver fra kataloget"))
    hours_min = models.DecimalField(_("timer om ugen, fra"), max_digits=4, decimal_places=1)
    hours_max = models.DecimalField(_("timer om ugen, til"), max_digits=4, decimal_places=1)
    positions = models.PositiveSmallIntegerField(_("antal stillinger"), default=1, validators=[validate_positions])
    from_task_force = models.BooleanField(_("fra task force-medlem"), default=False)
    is_open = models.BooleanField(_("åben"), default=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("stillingsopslag")
        verbose_name_plural = _("stillingsopslag")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_min__gt=0) & Q(hours_max__lte=MAX_WEEKLY_HOURS),
                name="opening_hours_range",
                violation_error_message=_("Timer om ugen skal være over 0 og højst 37."),
            ),
            models.CheckConstraint(
                condition=Q(hours_max__gte=F("hours_min")),
                name="opening_hours_order",
                violation_error_message=_("Timetallet 'til' må ikke være mindre end 'fra'."),
            ),
            models.CheckConstraint(
                condition=Q(positions__gte=1),
                name="opening_positions_positive",
                violation_error_message=_("Antal stillinger skal være mindst 1."),
            ),
            # validate_positions says so to a form; the database holds to it for every other writer.
            models.CheckConstraint(
                condition=Q(positions__lte=MAX_POSITIONS),
                name="opening_positions_at_most_max",
                violation_error_message=_positions_violation_message(),
            ),
        ]

    def __str__(self):
        return f"{self.title} · {self.employer}"
