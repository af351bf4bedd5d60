"""Courses (forløb) with a job promise, their enrolments and the funnel enrolled → completed → hired."""

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.limits import TEXT_MAX_LENGTH
from core.validators import TextLengthValidator, validate_course_date
from placements.models import Placement

HIRED_KINDS = [Placement.Kind.FLEXJOB, Placement.Kind.ORDINARY_JOB]


class CourseQuerySet(models.QuerySet):
    def with_funnel(self, as_of=None):
        """Annotate enrolled, completed and hired counts: one query for any number of courses.

        Hired: a citizen who completed the course and has a job (a flex job or an ordinary
        job; an internship is not a hire) that started on or after the course began, and by
        `as_of` when given. So the hired are always among the completed.
        """
        jobs = Placement.objects.filter(
            citizen_id=OuterRef("citizen_id"),
            kind__in=HIRED_KINDS,
            start_date__gte=OuterRef("course__start_date"),
        )
        if as_of is not None:
            jobs = jobs.filter(start_date__lte=as_of)
        hired = Enrolment.objects.filter(course=OuterRef("pk"), status=Enrolment.Status.COMPLETED).filter(Exists(jobs))
        return self.annotate(
            enrolled=Count("enrolments", distinct=True),
            completed=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.COMPLETED), distinct=True),
            hired=Coalesce(
                models.Subquery(
                    hired.order_by().values("course").annotate(n=Count("pk")).values("n")[:1],
                    output_field=models.IntegerField(),
                ),
                0,
            ),
        )


class Course(models.Model):
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="courses", verbose_name=_("kommune")
    )
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True, validators=[TextLengthValidator(TEXT_MAX_LENGTH)])
    # Within a plausible window (core.validators), for every form, the admin's included.
    start_date = models.DateField(_("startdato"), validators=[validate_course_date])
    end_date = models.DateField(_("slutdato"), null=True, blank=True, validators=[validate_course_date])
    job_promise = models.BooleanField(_("med jobløfte"), default=True)
    employers = models.ManyToManyField(
        "employers.Employer", blank=True, related_name="courses", verbose_name=_("virksomheder")
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("forløb")
        verbose_name_plural = _("forløb")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="course_end_not_before_start",
                violation_error_message=_("Slutdatoen må ikke ligge før startdatoen."),
            )
        ]
        indexes = [models.Index(fields=["municipality", "start_date"])]

    def __str__(self):
        return self.title


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Tilmeldt")
        COMPLETED = "completed", _("Gennemført")
        DROPPED = "dropped", _("Faldet fra")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("forløb"))
    citizen = models.ForeignKey(
        "citizens.Citizen", on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("borger")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ENROLLED)
    enrolled_on = models.DateField(_("tilmeldt den"), auto_now_add=True)

    class Meta:
        ordering = ["citizen__last_name", "citizen__first_name", "pk"]
        verbose_name = _("tilmelding")
        verbose_name_plural = _("tilmeldinger")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "citizen"],
                name="enrolment_once_per_course",
                violation_error_message=_("Borgeren er allerede tilmeldt forløbet."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["enrolled", "completed", "dropped"]), name="enrolment_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.citizen_id} · {self.course}"
