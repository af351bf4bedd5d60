"""The outbox's fixtures: a mail server that refuses, and a way to make a waiting mail due."""

import smtplib
from datetime import timedelta

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from outbox.models import OutboxMail
from outbox.services import mail_queue

FAILING_BACKEND = "tests.outbox.conftest.RefusingBackend"


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every recipient, quoting their addresses as real ones do."""

    def send_messages(self, messages):
        refused = {address: (550, b"5.1.1 User unknown") for message in messages for address in message.to}
        raise smtplib.SMTPRecipientsRefused(refused)


@pytest.fixture
def failing_mail_server(settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND


def make_due(mail):
    """Move the mail's next attempt into the past, as the clock would."""
    OutboxMail.objects.filter(pk=mail.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


@pytest.fixture
def queued(db):
    """A mail queued outside any request (its kick not run), with an attachment."""
    return mail_queue(
        kind="monthly_report", to=["chef@fredericia.dk"], subject="Statusrapport", body="Rapporten er vedhæftet.",
        attachments=[("status.pdf", b"%PDF-1.7 ...", "application/pdf")],
    )
