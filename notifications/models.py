"""Reminders shown to a user in the app (the bell, the notifications page) and, for those who
chose it, in a daily e-mail digest.

A reminder is about one item of work, named by its key (kind, object_id, due_on) as the
worklist names it; the unique constraint makes each reminder exist at most once per user,
however often the nightly job runs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The kinds of work the worklist shows and reminders are about; an item is named by
    (kind, object_id, due_on): a follow-up's or deadline's FollowUp id, a MeetingRequest's
    id, an ending placement's id, a citizen's id."""

    FOLLOW_UP = "follow_up", _("Opfølgning")
    DEADLINE = "deadline", _("Lovpligtig frist")
    MEETING_REQUEST = "meeting_request", _("Ønske om møde")
    ENDING_SOON = "ending_soon", _("Ansættelse slutter snart")
    NO_CONTACT = "no_contact", _("Ingen kontakt")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("bruger")
    )
    kind = models.CharField(_("art"), max_length=40, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("id"))
    due_on = models.DateField(_("frist"))
    # What the bell and the digest say, written without personal data (no citizen's name or
    # CPR number: an e-mail leaves the house), and where the work is done.
    title = models.CharField(_("titel"), max_length=200)
    url = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    read_at = models.DateTimeField(_("læst"), null=True, blank=True)
    # Set when the work itself is done (or snoozed): the reminder leaves the bell's count.
    resolved_at = models.DateTimeField(_("klaret"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("sendt i oversigt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("påmindelse")
        verbose_name_plural = _("påmindelser")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "object_id", "due_on"], name="notification_once_per_item"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "read_at", "resolved_at"]),
            models.Index(fields=["kind", "object_id"]),
        ]

    def __str__(self):
        return self.title


class Preference(models.Model):
    """A user's choice of a daily e-mail digest of new reminders (off unless chosen)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    daily_digest = models.BooleanField(
        _("daglig oversigt på e-mail"),
        default=False,
        help_text=_("Få en e-mail hver morgen med nye påmindelser (uden navne og CPR-numre)."),
    )

    class Meta:
        verbose_name = _("indstilling for påmindelser")
        verbose_name_plural = _("indstillinger for påmindelser")
