"""The outbox: a mail is written with the change that causes it, sent by the worker, tried
again with back-off while the mail server refuses, and marked failed after the last attempt."""

import logging
import sys
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Municipality
from outbox import services
from outbox.models import OutboxMail
from outbox.services import mail_queue, mail_renderer, outbox_send_due, retry_wait
from outbox.tasks import outbox_kick, outbox_send, outbox_sweep

from .conftest import make_due


def queue(**overrides):
    fields = {"kind": "digest", "to": ["karin@fredericia.dk"], "subject": "Dine påmindelser", "body": "Tre opgaver."}
    fields.update(overrides)
    return mail_queue(**fields)


# --- Written with the change --------------------------------------------------------------

def test_it_queues_the_mail_in_the_transaction_of_the_change_and_sends_it_once_committed(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            Municipality.objects.create(code=630, name="Vejle")
            mail = queue()
            assert mailoutbox == []  # nothing leaves before the change is committed
    assert [m.subject for m in mailoutbox] == ["Dine påmindelser"]
    mail.refresh_from_db()
    assert (mail.state, mail.attempts) == ("sent", 1) and mail.sent_at is not None


def test_it_keeps_no_mail_of_a_change_rolled_back(db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            Municipality.objects.create(code=630, name="Vejle")
            queue()
            raise RuntimeError("the change failed")
    assert not Municipality.objects.filter(code=630).exists()
    assert not OutboxMail.objects.exists() and callbacks == [] and mailoutbox == []


def test_it_queues_a_mail_with_a_dedupe_key_once(db):
    first = queue(dedupe_key="digest:7:2026-04-01")
    second = queue(dedupe_key="digest:7:2026-04-01", subject="Another")
    assert second.pk == first.pk and OutboxMail.objects.count() == 1
    assert OutboxMail.objects.get().subject == "Dine påmindelser"
    queue(dedupe_key="digest:7:2026-04-02")
    assert OutboxMail.objects.count() == 2


# --- Sent by the worker -------------------------------------------------------------------

def test_the_task_sends_the_mail_with_its_attachments_through_the_configured_backend(queued, mailoutbox):
    outbox_send(queued.pk)
    (message,) = mailoutbox
    assert message.to == ["chef@fredericia.dk"] and message.subject == "Statusrapport"
    assert message.body == "Rapporten er vedhæftet."
    assert [(a[0], a[1], a[2]) for a in message.attachments] == [("status.pdf", b"%PDF-1.7 ...", "application/pdf")]
    queued.refresh_from_db()
    assert queued.state == "sent" and queued.attempts == 1 and queued.last_error == ""


def test_a_sent_mail_is_not_sent_again(queued, mailoutbox):
    outbox_send(queued.pk)
    make_due(queued)
    outbox_send(queued.pk)
    outbox_sweep()
    assert len(mailoutbox) == 1


def test_the_kick_runs_the_send_when_tasks_run_in_process(queued, mailoutbox):
    outbox_kick(queued.pk)
    assert len(mailoutbox) == 1


def test_the_sweep_sends_due_mail_and_leaves_mail_not_yet_due(db, mailoutbox):
    due = queue(subject="Due")
    waiting = queue(subject="Waiting")
    OutboxMail.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert outbox_send_due() == 1
    assert [m.subject for m in mailoutbox] == ["Due"]
    assert OutboxMail.objects.get(pk=due.pk).state == "sent"
    assert OutboxMail.objects.get(pk=waiting.pk).state == "queued"
    outbox_send(waiting.pk)  # a kick that comes early does not jump the wait either
    assert len(mailoutbox) == 1


def test_the_sweep_sends_the_longest_waiting_first_and_at_most_its_limit(db, mailoutbox):
    for n in range(3):
        mail = queue(subject=f"Mail {n}")
        OutboxMail.objects.filter(pk=mail.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=n))
    assert outbox_send_due(limit=2) == 2
    assert [m.subject for m in mailoutbox] == ["Mail 2", "Mail 1"]
    assert outbox_send_due() == 1


def test_the_sweep_stops_when_its_time_is_up_and_leaves_the_rest_to_the_next(db, mailoutbox):
    for n in range(3):
        queue(subject=f"Mail {n}")
    assert outbox_send_due(seconds=0) == 1
    assert OutboxMail.objects.filter(state="queued").count() == 2


# --- Retries ------------------------------------------------------------------------------

def test_a_refused_mail_is_tried_again_after_a_wait_that_doubles(queued, failing_mail_server, mailoutbox, settings):
    settings.OUTBOX_RETRY_SECONDS = 60
    before = timezone.now()
    outbox_send(queued.pk)
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == ("queued", 1)
    assert before + timedelta(seconds=60) <= queued.next_attempt_at <= timezone.now() + timedelta(seconds=60)
    assert queued.last_error.startswith("SMTPRecipientsRefused")

    assert outbox_send_due() == 0  # not due yet
    make_due(queued)
    before = timezone.now()
    assert outbox_send_due() == 0
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == ("queued", 2)
    assert before + timedelta(seconds=120) <= queued.next_attempt_at <= timezone.now() + timedelta(seconds=120)
    assert mailoutbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due(queued)
    assert outbox_send_due() == 1
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == ("sent", 3)


def test_the_wait_doubles_from_the_setting_and_stops_at_six_hours(settings):
    settings.OUTBOX_RETRY_SECONDS = 60
    assert [retry_wait(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_wait(9) == timedelta(seconds=60 * 256)
    assert retry_wait(10) == timedelta(hours=6) and retry_wait(1000) == timedelta(hours=6)


def test_a_mail_refused_at_every_attempt_is_marked_failed_after_the_last(queued, failing_mail_server, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    for _attempt in range(3):
        make_due(queued)
        outbox_send_due()
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == ("failed", 3)
    make_due(queued)
    assert outbox_send_due() == 0
    queued.refresh_from_db()
    assert queued.attempts == 3


def test_the_error_kept_and_logged_names_no_recipient(queued, failing_mail_server, caplog):
    caplog.set_level(logging.WARNING, logger="outbox")
    outbox_send(queued.pk)
    queued.refresh_from_db()
    assert "SMTPRecipientsRefused" in queued.last_error and "5.1.1 User unknown" in queued.last_error
    assert "chef" not in queued.last_error and "fredericia.dk" not in queued.last_error
    assert caplog.records and all("chef@" not in r.getMessage() for r in caplog.records)


def test_a_long_error_is_cut_short(queued, settings, monkeypatch):
    def refuse(message):
        raise ValueError("x" * 2000)

    monkeypatch.setattr(services.EmailMessage, "send", refuse)
    outbox_send(queued.pk)
    queued.refresh_from_db()
    assert len(queued.last_error) == services.ERROR_LENGTH and queued.last_error.startswith("ValueError: xxx")


def test_a_mail_without_recipients_fails_at_once(db, mailoutbox):
    mail = queue(to=["", None])
    outbox_send(mail.pk)
    mail.refresh_from_db()
    assert (mail.state, mail.attempts) == ("failed", 1) and "ingen modtagere" in mail.last_error
    assert mailoutbox == []


# --- Text finished as it is sent ----------------------------------------------------------

@pytest.fixture
def secret_renderer():
    @mail_renderer("test_secret")
    def render(mail):
        if mail.render_args["secret"] == "gone":
            raise services.MailObsolete("Hemmeligheden er væk.")
        return mail.body.replace("[link]", f"https://example.dk/{mail.render_args['secret']}")

    yield
    services._renderers.pop("test_secret")


def test_a_renderer_finishes_the_text_as_it_is_sent_and_the_row_keeps_none_of_it(db, secret_renderer, mailoutbox):
    mail = queue(kind="test_secret", body="Følg [link]", render_args={"secret": "abc"})
    outbox_send(mail.pk)
    assert mailoutbox[0].body == "Følg https://example.dk/abc"
    mail.refresh_from_db()
    assert mail.body == "Følg [link]" and mail.state == "sent"


def test_a_mail_its_renderer_calls_obsolete_fails_at_once(db, secret_renderer, mailoutbox):
    mail = queue(kind="test_secret", body="Følg [link]", render_args={"secret": "gone"})
    outbox_send(mail.pk)
    mail.refresh_from_db()
    assert (mail.state, mail.attempts) == ("failed", 1) and "Hemmeligheden er væk." in mail.last_error
    assert mailoutbox == []


def test_a_mail_whose_renderer_is_unknown_waits_and_is_tried_again(db, mailoutbox):
    mail = queue(kind="unknown_kind", render_args={"id": 1})
    outbox_send(mail.pk)
    mail.refresh_from_db()
    assert (mail.state, mail.attempts) == ("queued", 1) and mail.last_error.startswith("LookupError")
    assert mailoutbox == []


def test_the_sender_finds_a_renderer_in_an_apps_mails_module(monkeypatch):
    """A worker that has not imported the app's `mails` module yet (no page was served there)
    imports it when it meets that kind of mail."""
    import workspace

    monkeypatch.delitem(services._renderers, "invitation")
    monkeypatch.delitem(sys.modules, "workspace.mails")
    monkeypatch.setattr(workspace, "mails", workspace.mails)  # put back as it was afterwards
    assert services._renderer("invitation").__module__ == "workspace.mails"


# --- Kept no longer than needed -----------------------------------------------------------

def test_it_removes_a_sent_mails_recipients_and_text_after_the_days_kept_but_keeps_the_row(
    db, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.OUTBOX_KEEP_SENT_DAYS = 30
    with django_capture_on_commit_callbacks(execute=True):
        old = queue(dedupe_key="digest:1:2026-10-01", attachments=[("rapport.pdf", b"%PDF", "application/pdf")])
        recent = queue(subject="I går")
        waiting = queue(subject="Venter")
    OutboxMail.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=31))
    OutboxMail.objects.filter(pk=waiting.pk).update(state="queued", sent_at=None,
                                                    created_at=timezone.now() - timedelta(days=60))

    assert services.outbox_prune() == 1
    old.refresh_from_db()
    assert (old.body, old.to, old.attachments, old.state) == ("", [], [], "sent")
    assert old.subject == "Dine påmindelser" and old.dedupe_key == "digest:1:2026-10-01"
    # Still queued once: the key is kept.
    assert queue(dedupe_key="digest:1:2026-10-01").pk == old.pk
    assert OutboxMail.objects.get(pk=recent.pk).body == "Tre opgaver."
    assert OutboxMail.objects.get(pk=waiting.pk).body == "Tre opgaver."
    assert services.outbox_prune() == 0
