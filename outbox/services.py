"""The outbox's workflows: writing a mail (`mail_queue`, inside the transaction of the change
that causes it), sending it (`outbox_mail_send` for one mail, `outbox_send_due` for every mail
whose time has come; outbox.tasks calls them) and queueing a failed mail again
(`outbox_mails_retry`, the admin's "Prøv igen").

A sender claims a mail before sending it: in a short transaction it counts the attempt and
moves the mail's next attempt CLAIM_SECONDS ahead, so no other sender takes it meanwhile.
Rows another sender is claiming are skipped where the database can lock rows, and the claim
is a conditional update whose row count is checked, so two sweeps never both send one mail.
A sender that dies mid-send leaves its mail due again once the claim runs out. The mail
server is talked to outside any transaction."""

import base64
import logging
import re
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from core.cpr_text import WHOLE_CPR_DIGITS, mask_cpr_like

from .models import OutboxMail

logger = logging.getLogger(__name__)

# How long a claimed mail is left to its sender before another sender may take it: well
# beyond the mail server's timeout (EMAIL_TIMEOUT), so only a sender that died gives it up.
CLAIM_SECONDS = 600
# The longest wait between two attempts, however many have failed.
RETRY_MAX_WAIT = timedelta(hours=6)
# How many mails one sweep sends at most, and for how long it goes on, so that sweeps (one a
# minute) do not pile up while the mail server is slow; the next sweep takes the rest.
SWEEP_LIMIT = 200
SWEEP_SECONDS = 50
# How much of an error's text is kept.
ERROR_LENGTH = 300

_E_MAIL_ADDRESS = re.compile(r"[^\s@'\"<>()\[\]{},;:]+@[^\s@'\"<>()\[\]{},;:]+")


# --- Writing ------------------------------------------------------------------------------

def mail_queue(*, kind, to, subject, body, attachments=(), dedupe_key=None, render_args=None):
    """Queue one e-mail; it is sent after the surrounding transaction commits.

    `to` is a list of addresses; `attachments` a sequence of (filename, content bytes,
    mimetype). With a `dedupe_key` the mail is queued at most once: a second call with the
    same key returns the first mail and queues nothing. `render_args` is for a kind with a
    renderer (`mail_renderer`), which finishes the text as the mail is sent. Returns the
    OutboxMail."""
    to = [address for address in to if address]
    if dedupe_key is not None:
        existing = OutboxMail.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    mail = OutboxMail(
        kind=kind,
        to=to,
        subject=subject,
        body=body,
        attachments=[
            {"filename": name, "mimetype": mimetype, "content_b64": base64.b64encode(content).decode()}
            for name, content, mimetype in attachments
        ],
        dedupe_key=dedupe_key,
        render_args=render_args or {},
    )
    try:
        with transaction.atomic():
            mail.save()
    except IntegrityError:
        if dedupe_key is None:
            raise
        return OutboxMail.objects.get(dedupe_key=dedupe_key)
    _kick_on_commit(mail.pk)
    return mail


def _kick_on_commit(mail_id):
    from .tasks import outbox_kick  # the sender, enqueued without blocking once committed

    # robust: whatever goes wrong in the kick, the change and its mail are committed, and
    # the sweep sends the mail.
    transaction.on_commit(lambda: outbox_kick(mail_id), robust=True)


# --- Renderers ----------------------------------------------------------------------------

_renderers = {}


class MailObsolete(Exception):
    """A renderer's answer when its mail must not go out any more (the invitation it carries
    was withdrawn or has run out): the mail is marked failed at once, with this message."""


def mail_renderer(kind):
    """Register the function that finishes a `kind` of mail as it is sent, for text that
    must never be stored (an invitation's link is a bearer token): it takes the OutboxMail
    (its text, recipients and `render_args`) and returns the text to send, or raises
    MailObsolete. Apps register theirs in their `mails` module, which the sender imports
    when it meets a mail whose renderer it does not know yet."""

    def register(function):
        _renderers[kind] = function
        return function

    return register


def _renderer(kind):
    if kind not in _renderers:
        autodiscover_modules("mails")
    try:
        return _renderers[kind]
    except KeyError:
        raise LookupError(f"No renderer for mails of kind {kind!r}") from None


# --- Sending ------------------------------------------------------------------------------

def outbox_mail_send(mail_id):
    """Send one mail if it is queued, its time has come and no other sender has it.
    Returns whether it was sent."""
    mail = _claim(OutboxMail.objects.filter(pk=mail_id))
    return mail is not None and _deliver(mail)


def outbox_send_due(*, limit=SWEEP_LIMIT, seconds=SWEEP_SECONDS):
    """Send the queued mails whose time has come, the longest waiting first, one claim at a
    time (so a sweep running beside this one takes the others), until `limit` mails or
    `seconds` have gone. Returns how many were sent."""
    sent = 0
    deadline = time.monotonic() + seconds
    for _ in range(limit):
        mail = _claim(OutboxMail.objects.all())
        if mail is None:
            break
        sent += _deliver(mail)
        if time.monotonic() >= deadline:
            break
    return sent


def outbox_prune(*, now=None):
    """A sent mail's recipients, text and attachments are kept for OUTBOX_KEEP_SENT_DAYS (to
    answer "did it go out?"), then removed: the row, its kind, subject, times and dedupe key
    stay, so a digest or a month's report is still never queued twice. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS)
    return (
        OutboxMail.objects.filter(state=OutboxMail.State.SENT, sent_at__lt=cutoff)
        .exclude(body="", to=[], attachments=[], render_args={})
        .update(body="", to=[], attachments=[], render_args={})
    )


def retry_wait(attempts):
    """The wait after the `attempts`-th failed attempt: OUTBOX_RETRY_SECONDS, doubled with
    each further attempt, at most RETRY_MAX_WAIT."""
    seconds = settings.OUTBOX_RETRY_SECONDS * 2 ** min(max(attempts - 1, 0), 30)
    return min(timedelta(seconds=seconds), RETRY_MAX_WAIT)


def _claim(mails):
    """Take the first due mail of `mails` for this sender: its attempt is counted and its
    next attempt moved CLAIM_SECONDS ahead. None when there is none to take."""
    now = timezone.now()
    with transaction.atomic():
        due = mails.filter(state=OutboxMail.State.QUEUED, next_attempt_at__lte=now).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        mail = due.first()
        if mail is None:
            return None
        # Where rows are not locked (SQLite) two senders may read the same mail: only the
        # first of them moves it.
        claimed = OutboxMail.objects.filter(
            pk=mail.pk, state=OutboxMail.State.QUEUED, next_attempt_at__lte=now
        ).update(attempts=F("attempts") + 1, next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    if not claimed:
        return None
    mail.attempts += 1
    return mail


def _deliver(mail):
    """Send a claimed mail through the configured backend and record how it went."""
    try:
        message = _message(mail)
        if not message.recipients():
            raise MailObsolete("Mailen har ingen modtagere.")
        message.send()
    except MailObsolete as exc:
        _record_failure(mail, exc, final=True)
        return False
    except Exception as exc:  # the mail server, the network, a renderer: all are retried
        _record_failure(mail, exc)
        return False
    OutboxMail.objects.filter(pk=mail.pk).update(state=OutboxMail.State.SENT, sent_at=timezone.now())
    return True


def _message(mail):
    body = _renderer(mail.kind)(mail) if mail.render_args else mail.body
    message = EmailMessage(subject=mail.subject, body=body, to=list(mail.to))
    for attachment in mail.attachments:
        message.attach(attachment["filename"], base64.b64decode(attachment["content_b64"]), attachment["mimetype"])
    return message


def _record_failure(mail, exc, *, final=False):
    """Keep the error and try again after the back-off, or give up after the last attempt."""
    error = _describe(exc)
    if final or mail.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        OutboxMail.objects.filter(pk=mail.pk).update(state=OutboxMail.State.FAILED, last_error=error)
        logger.warning("outbox: mail %s (%s) failed after %s attempt(s): %s", mail.pk, mail.kind, mail.attempts,
                       type(exc).__name__)
        return
    wait = retry_wait(mail.attempts)
    OutboxMail.objects.filter(pk=mail.pk).update(next_attempt_at=timezone.now() + wait, last_error=error)
    logger.warning("outbox: mail %s (%s), attempt %s: %s; next attempt in %s s", mail.pk, mail.kind, mail.attempts,
                   type(exc).__name__, int(wait.total_seconds()))


def _describe(exc):
    """The error's type and message, without the e-mail addresses and anything that could be
    a whole CPR number a mail server's answer may quote, cut short."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    text = mask_cpr_like(_E_MAIL_ADDRESS.sub("…@…", text), min_digits=WHOLE_CPR_DIGITS)
    return text if len(text) <= ERROR_LENGTH else text[: ERROR_LENGTH - 1] + "…"


# --- The admin ----------------------------------------------------------------------------

def outbox_mails_retry(mails):
    """Queue the failed mails among `mails` again, to be tried now with a fresh count of
    attempts. A mail that is sent or still queued is left as it is (one still queued may be
    in a sender's hands). Returns how many were queued."""
    with transaction.atomic():
        ids = list(mails.filter(state=OutboxMail.State.FAILED).values_list("pk", flat=True))
        queued = OutboxMail.objects.filter(pk__in=ids, state=OutboxMail.State.FAILED).update(
            state=OutboxMail.State.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        for mail_id in ids:
            _kick_on_commit(mail_id)
    return queued
