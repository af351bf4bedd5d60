"""Sending the outbox: thin Celery entry points over outbox.services.

`outbox_kick` is called once a mail's transaction has committed; it hands the mail to a
worker and never blocks or fails its caller. With the broker down it gives up at once and
the mail waits in the table for `outbox_sweep` (celery beat, every minute), which sends
every mail whose time has come. No task keeps a result: asking the result backend to note a
task is what used to hold a page for 19 seconds while Redis was down."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def outbox_send(mail_id):
    services.outbox_mail_send(mail_id)


@shared_task(ignore_result=True)
def outbox_sweep():
    services.outbox_send_due()
    services.outbox_prune()


def outbox_kick(mail_id):
    """Ask a worker to send the mail now; never blocks or fails the caller."""
    try:
        outbox_send.delay(mail_id)
    except Exception as exc:  # the broker is down, or (run in-process) the send itself failed
        logger.warning("outbox: mail %s was not sent now (%s); the sweep sends it", mail_id, type(exc).__name__)
