"""Two senders at once on PostgreSQL: a mail another sender is claiming is skipped, not
waited for, and two sweeps started together send each mail once."""

import threading
import time

import pytest
from django.core import mail as django_mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import close_old_connections, connection, transaction

from outbox.models import OutboxMail
from outbox.services import outbox_mail_send, outbox_send_due

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE SKIP LOCKED) are PostgreSQL's")


def waiting_mail(subject):
    """A queued mail no worker was asked to send yet (mail_queue outside a transaction would
    send it at once, tasks running in-process)."""
    return OutboxMail.objects.create(kind="digest", to=["karin@fredericia.dk"], subject=subject, body="…")


class SlowBackend(EmailBackend):
    """A mail server that takes its time, so two senders overlap."""

    def send_messages(self, messages):
        time.sleep(0.3)
        return super().send_messages(messages)


def in_thread(function, *args):
    """Run `function` in a thread of its own, with its own database connection."""
    result = {}

    def run():
        try:
            result["value"] = function(*args)
        finally:
            close_old_connections()
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def test_a_mail_locked_by_another_sender_is_skipped_without_waiting(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    django_mail.outbox = []
    queued = waiting_mail(subject="Påmindelser")
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        with transaction.atomic():
            OutboxMail.objects.select_for_update().get(pk=queued.pk)
            locked.set()
            release.wait(10)

    thread, _result = in_thread(hold_the_row)
    assert locked.wait(10)
    try:
        started = time.monotonic()
        assert outbox_send_due() == 0
        assert outbox_mail_send(queued.pk) is False
        assert time.monotonic() - started < 2
    finally:
        release.set()
        thread.join(10)
    assert outbox_send_due() == 1
    assert len(django_mail.outbox) == 1


def test_two_sweeps_at_once_send_each_mail_once(settings):
    settings.EMAIL_BACKEND = "tests.outbox.test_concurrent_sweeps.SlowBackend"
    django_mail.outbox = []
    for n in range(4):
        waiting_mail(subject=f"Mail {n}")
    start = threading.Barrier(2)

    def sweep():
        start.wait(10)
        return outbox_send_due()

    runs = [in_thread(sweep) for _ in range(2)]
    for thread, _result in runs:
        thread.join(30)
    assert sum(result["value"] for _thread, result in runs) == 4
    assert sorted(m.subject for m in django_mail.outbox) == [f"Mail {n}" for n in range(4)]
    assert set(OutboxMail.objects.values_list("state", "attempts")) == {("sent", 1)}
