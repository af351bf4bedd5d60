"""Writing mail to the outbox. Call inside the transaction of the change that causes it."""

import base64

from django.db import IntegrityError, transaction

from .models import OutboxMail


def mail_queue(*, kind, to, subject, body, attachments=(), dedupe_key=None):
    """Queue one e-mail; it is sent after the surrounding transaction commits.

    `to` is a list of addresses; `attachments` a sequence of (filename, content bytes,
    mimetype). With a `dedupe_key` the mail is queued at most once: a second call with the
    same key returns the first mail and queues nothing. Returns the OutboxMail."""
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
    )
    try:
        with transaction.atomic():
            mail.save()
    except IntegrityError:
        if dedupe_key is None:
            raise
        return OutboxMail.objects.get(dedupe_key=dedupe_key)
    from .tasks import outbox_kick  # the sender, enqueued without blocking once committed

    transaction.on_commit(lambda: outbox_kick(mail.pk))
    return mail
