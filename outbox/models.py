"""The outbox: every e-mail the application sends is first a row here, written in the same
transaction as the change that caused it, then sent by a worker (outbox.tasks) with retries
and back-off. A mail is never lost because the broker or the mail server was down."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMail(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("I kø")
        SENT = "sent", _("Sendt")
        FAILED = "failed", _("Fejlet")

    # What caused the mail ("invitation", "meeting_request", "digest", "monthly_report", …).
    kind = models.CharField(_("art"), max_length=40)
    # Makes a mail that must go out once (a day's digest, a month's report) unique.
    dedupe_key = models.CharField(_("nøgle"), max_length=200, null=True, blank=True, unique=True)
    to = models.JSONField(_("modtagere"), default=list)
    subject = models.CharField(_("emne"), max_length=300)
    body = models.TextField(_("tekst"))
    # [{"filename": …, "mimetype": …, "content_b64": …}]
    attachments = models.JSONField(_("vedhæftede filer"), default=list, blank=True)
    # What the kind's renderer (outbox.services.mail_renderer) needs to finish the text as the
    # mail is sent, for what must never be stored: an invitation's link is a bearer token, so
    # the row keeps the invitation's id and the text without the link.
    render_args = models.JSONField(_("data til teksten"), default=dict, blank=True)
    state = models.CharField(_("tilstand"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    next_attempt_at = models.DateTimeField(_("næste forsøg"), default=timezone.now)
    last_error = models.CharField(_("seneste fejl"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("udgående mail")
        verbose_name_plural = _("udgående mails")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["queued", "sent", "failed"]), name="outboxmail_state_valid"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        # Recipients and text can hold links into the site: the admin shows them only to a
        # superuser or to whom this is granted.
        permissions = [("view_mail_content", _("Kan se udgående mails' modtagere og tekst"))]

    def __str__(self):
        return f"{self.kind} · {self.subject}"
