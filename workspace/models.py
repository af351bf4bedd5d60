"""The task-force workspace: members, workshops, the vision, solutions and their ranking,
the action plan with each member's contributions, pledges of positions, and leaders'
requests to meet an anonymised candidate."""

import base64
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core.limits import COMMENT_MAX_LENGTH, MINUTES_MAX_LENGTH, TEXT_MAX_LENGTH
from core.small_numbers import disclosed
from core.validators import TextLengthValidator, validate_planned_date, validate_recorded_date, validate_workshop_time


class TaskForce(models.Model):
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="task_forces", verbose_name=_("kommune")
    )
    name = models.CharField(_("navn"), max_length=200)
    facilitator_organisation = models.CharField(_("facilitator (organisation)"), max_length=200, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("task force")
        verbose_name_plural = _("task forces")

    def __str__(self):
        return self.name


class Member(models.Model):
    class Kind(models.TextChoices):
        LEADER = "leader", _("Virksomhedsleder")
        STAFF = "staff", _("Jobcentermedarbejder")
        FACILITATOR = "facilitator", _("Facilitator")

    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_force_memberships")
    kind = models.CharField(_("rolle"), max_length=20, choices=Kind.choices)
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.SET_NULL, null=True, blank=True, related_name="task_force_members",
        verbose_name=_("virksomhed"),
    )
    joined_at = models.DateTimeField(_("medlem siden"), auto_now_add=True)

    class Meta:
        ordering = ["user__first_name", "user__last_name", "pk"]
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmer")
        constraints = [models.UniqueConstraint(fields=["task_force", "user"], name="member_once_per_task_force")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.user.get_full_name() or self.user.username


def _new_nonce():
    return secrets.token_urlsafe(32)


# Named by the first migration, from when the token itself was stored.
_new_token = _new_nonce


def invitation_token_hash(token):
    """What the database keeps of an invitation link's token: its SHA-256, for looking it up."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("efternavn"), max_length=100)
    kind = models.CharField(_("rolle"), max_length=20, choices=Member.Kind.choices, default=Member.Kind.LEADER)
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("virksomhed"),
    )
    # The link's token is never stored: it is a keyed hash (SECRET_KEY) of the random nonce,
    # worked out when the mail is written, and the link is found by the token's SHA-256. So
    # neither the database, its backups nor its statement log holds a working link.
    nonce = models.CharField(max_length=64, default=_new_nonce, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    # A staff invitation hands out a consultant's access to citizens: it is sent only once a
    # manager or an admin of the municipality has approved it. Others are approved at once.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("godkendt af"),
    )
    approved_at = models.DateTimeField(_("godkendt og sendt"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepteret"), null=True, blank=True)

    # The link works once, for this many days after it was sent.
    VALID_DAYS = 14

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitationer")

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        if not self.token_hash:
            self.token_hash = invitation_token_hash(self.token)
        super().save(*args, **kwargs)

    @property
    def token(self):
        """The bearer token of the e-mailed link."""
        digest = salted_hmac("workspace.Invitation.token", self.nonce, algorithm="sha256").digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    @property
    def awaiting_approval(self):
        return self.approved_at is None

    def is_usable(self):
        """Approved (and so sent), not yet used, and sent less than VALID_DAYS ago."""
        return (
            self.approved_at is not None
            and self.accepted_at is None
            and timezone.now() - self.approved_at < timedelta(days=self.VALID_DAYS)
        )


class Workshop(models.Model):
    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="workshops")
    title = models.CharField(_("titel"), max_length=200)
    # Within a sane window: PostgreSQL would store a time in year 1 as one before year 1, which
    # no page can read back.
    starts_at = models.DateTimeField(_("starter"), validators=[validate_workshop_time])
    ends_at = models.DateTimeField(_("slutter"), validators=[validate_workshop_time])
    place = models.CharField(_("sted"), max_length=200, blank=True)
    agenda = models.TextField(_("dagsorden"), blank=True, validators=[TextLengthValidator(TEXT_MAX_LENGTH)])
    minutes = models.TextField(_("referat"), blank=True, validators=[TextLengthValidator(MINUTES_MAX_LENGTH)])

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="workshop_ends_after_start",
                violation_error_message=_("En workshop skal slutte efter den begynder."),
            )
        ]
        indexes = [models.Index(fields=["task_force", "starts_at"])]

    def __str__(self):
        return self.title

    @property
    def is_past(self):
        return self.ends_at < timezone.now()

    @property
    def has_started(self):
        """Attendance is recorded from the start; registration closes at the end."""
        return self.starts_at <= timezone.now()


class Attendance(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendances")
    registered = models.BooleanField(_("tilmeldt"), default=False)
    attended = models.BooleanField(_("deltog"), default=False)

    class Meta:
        verbose_name = _("deltagelse")
        verbose_name_plural = _("deltagelser")
        constraints = [models.UniqueConstraint(fields=["workshop", "member"], name="attendance_once")]


class VisionVersion(models.Model):
    """Every revision of the vision is kept; one version at a time is the adopted one."""

    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="vision_versions")
    text = models.TextField(_("vision"), max_length=TEXT_MAX_LENGTH, validators=[TextLengthValidator(TEXT_MAX_LENGTH)])
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("forfatter"))
    created_at = models.DateTimeField(_("skrevet"), auto_now_add=True)
    adopted = models.BooleanField(_("vedtaget"), default=False)
    adopted_at_workshop = models.ForeignKey(
        Workshop, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("vedtaget på")
    )
    # Editable in the admin: the same plausible window as any date something happened on.
    adopted_on = models.DateField(_("vedtaget den"), null=True, blank=True, validators=[validate_recorded_date])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("visionsudkast")
        verbose_name_plural = _("visionsudkast")
        constraints = [
            models.UniqueConstraint(
                fields=["task_force"], condition=Q(adopted=True), name="one_adopted_vision_per_task_force"
            )
        ]


class Solution(models.Model):
    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="solutions")
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beskrivelse"), validators=[TextLengthValidator(TEXT_MAX_LENGTH)])
    problem = models.TextField(_("problemet den løser"), blank=True, validators=[TextLengthValidator(TEXT_MAX_LENGTH)])
    target = models.ForeignKey(
        "progress.Target", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("mål den tjener"),
    )
    proposed_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("foreslået af"))
    created_at = models.DateTimeField(_("foreslået"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("løsning")
        verbose_name_plural = _("løsninger")

    def __str__(self):
        return self.title


class Comment(models.Model):
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(
        _("kommentar"), max_length=COMMENT_MAX_LENGTH, validators=[TextLengthValidator(COMMENT_MAX_LENGTH)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")


class RankingRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Åben")
        CLOSED = "closed", _("Lukket")

    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(_("titel"), max_length=200)
    dot_budget = models.PositiveSmallIntegerField(_("prikker pr. medlem"), default=5)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("åbnet"), auto_now_add=True)
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("prioriteringsrunde")
        verbose_name_plural = _("prioriteringsrunder")
        constraints = [
            models.CheckConstraint(condition=Q(dot_budget__gte=1), name="round_budget_positive"),
            models.UniqueConstraint(
                fields=["task_force"], condition=Q(status="open"), name="one_open_round_per_task_force",
                violation_error_message=_("Der er allerede en åben runde."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class Score(models.Model):
    round = models.ForeignKey(RankingRound, on_delete=models.CASCADE, related_name="scores")
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="scores")
    impact = models.PositiveSmallIntegerField(_("effekt"))
    effort = models.PositiveSmallIntegerField(_("indsats"))
    dots = models.PositiveSmallIntegerField(_("prikker"), default=0)

    class Meta:
        verbose_name = _("point")
        verbose_name_plural = _("point")
        constraints = [
            models.UniqueConstraint(fields=["round", "solution", "member"], name="score_once_per_round"),
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=5), name="score_impact_1_5"),
            models.CheckConstraint(condition=Q(effort__gte=1, effort__lte=5), name="score_effort_1_5"),
        ]


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        IN_PROGRESS = "in_progress", _("I gang")
        DONE = "done", _("Færdig")
        STOPPED = "stopped", _("Stoppet")

    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="actions")
    solution = models.ForeignKey(
        Solution, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions", verbose_name=_("løsning")
    )
    title = models.CharField(_("handling"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True, validators=[TextLengthValidator(TEXT_MAX_LENGTH)])
    owner = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="owned_actions", verbose_name=_("ejer"))
    due_date = models.DateField(_("frist"), null=True, blank=True, validators=[validate_planned_date])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    progress = models.PositiveSmallIntegerField(_("fremdrift i procent"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("handling")
        verbose_name_plural = _("handlinger")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="action_progress_0_100",
                                   violation_error_message=_("Fremdrift skal være mellem 0 og 100 %.")),
        ]

    def __str__(self):
        return self.title

    @property
    def shown_progress(self):
        """The progress to show, and the one place its rule lives: with pledges, the share of
        the pledged positions actually filled; otherwise the number typed. Reads the pledges
        prefetched with their `filled` count (selectors.actions_with_progress), so a list
        costs no extra queries. Derived on every read, never stored."""
        pledges = list(self.pledges.all())
        if not pledges:
            return self.progress
        pledged, _opened, filled = pledge_totals(pledges)
        return round(100 * filled / pledged) if pledged else 0

    def progress_seen_by(self, *, masked, own_employers=frozenset()):
        """The progress a viewer sees. `masked`: they see aggregated figures, so with pledges
        the progress is shown only when the pledge path is shown to them exactly
        (pledge_path_shown_exactly, with their own company's pledges known to them), else
        None, since the percentage and the positions pledged would give a hidden filled
        count away."""
        if masked:
            pledges = list(self.pledges.all())
            if pledges and not pledge_path_shown_exactly(pledges, own_employers=own_employers):
                return None
        return self.shown_progress

    @property
    def aggregated_progress(self):
        """The progress for a viewer who sees aggregated figures and has no pledge of their own."""
        return self.progress_seen_by(masked=True)

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)
        )


class Contribution(models.Model):
    class Kind(models.TextChoices):
        COMPETENCE = "competence", _("Kompetence")
        RESOURCE = "resource", _("Ressource")
        POSITIONS = "positions", _("Stillinger")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="contributions")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("beskrivelse"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("bidrag")
        verbose_name_plural = _("bidrag")


def pledge_totals(pledges):
    """(pledged, opened, filled) positions of some pledges, each with its `filled` count
    annotated (selectors.pledges_with_path). The opening holds the number of positions, so
    an employer who edits the opening edits the pledge too; a pledge filled beyond its
    positions counts as full."""
    pledged = opened = filled = 0
    for pledge in pledges:
        positions = pledge.opening.positions
        pledged += positions
        opened += positions if pledge.opening.is_open else 0
        filled += min(pledge.filled, positions)
    return pledged, opened, filled


class Pledge(models.Model):
    """A member's pledge of positions ("3 mini flex jobs in our kitchen"): it becomes an
    opening of their employer, and placements that fill that opening fulfil it."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("handling"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="pledges")
    opening = models.OneToOneField(
        "employers.Opening", on_delete=models.PROTECT, related_name="pledge", verbose_name=_("stillingsopslag")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("tilsagn")
        verbose_name_plural = _("tilsagn")


class MeetingRequest(models.Model):
    """A leader asks to meet an anonymised candidate; the responsible consultant is told."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="meeting_requests")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="meeting_requests")
    message = models.CharField(_("besked"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sendt"), auto_now_add=True)
    handled_at = models.DateTimeField(_("håndteret"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ønske om møde")
        verbose_name_plural = _("ønsker om møde")
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "member"], condition=Q(handled_at__isnull=True), name="one_open_request_per_member"
            )
        ]


def pledge_path_values(pledged, opened, filled):
    """The figures of a pledge path and those a reader works out from it."""
    return [pledged, opened, filled, pledged - opened, pledged - filled, opened - filled]


def pledge_path_shown_exactly(pledges, *, own_employers=frozenset()):
    """For a viewer who sees aggregated figures, the pledge path of some pledges (pledged,
    opened, filled and their differences) is one unit of the small-number rule
    (core.small_numbers): shown exactly only if neither it nor
    the path of any single pledge in it holds a figure from 1 to 4. (A pledge's own path is
    shown on its action's page: a shown sum minus the shown pledges would give a hidden
    one away.)

    `own_employers`: ids of the companies whose pledges the viewer sees in full, their own
    (WorkspaceAccess.own_employers): they know whom they hired, so those figures reveal
    nothing about a citizen to them. The rule then applies to the others' pledges: their
    sum (what a shown total less the viewer's own gives away) and each of them."""
    others = [p for p in pledges if p.opening.employer_id not in own_employers]
    return all(disclosed(pledge_path_values(*pledge_totals(group))) for group in [others, *([p] for p in others)])
