"""With Redis down the page that causes a mail answers at once, says the mail is queued, and
the mail waits in the outbox until the sweep sends it. (It used to hold the page for about
19 seconds, asking the result backend to note the task, and then the mail was lost.)"""

import logging
import time

import pytest

from outbox.models import OutboxMail
from outbox.services import outbox_send_due
from outbox.tasks import outbox_kick, outbox_send, outbox_sweep
from workspace.models import Invitation

CLOSED_PORT = "redis://127.0.0.1:1/0"


def reset_connections(app):
    # The app keeps its broker connections in pools, and its result backend, made from the
    # URLs it first saw.
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def broker_down():
    """Tasks go to Redis (not run in-process), as broker and result backend, and Redis does
    not answer."""
    from taskforce.celery import app

    saved = app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager
    app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = CLOSED_PORT, CLOSED_PORT, False
    reset_connections(app)
    yield
    app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = saved
    reset_connections(app)


def test_no_outbox_task_asks_the_result_backend_to_note_it():
    assert outbox_send.ignore_result and outbox_sweep.ignore_result


def test_the_kick_returns_at_once_and_says_nothing_personal(db, broker_down, caplog):
    caplog.set_level(logging.WARNING, logger="outbox")
    started = time.monotonic()
    outbox_kick(4711)
    assert time.monotonic() - started < 5
    (record,) = [r for r in caplog.records if r.name == "outbox.tasks"]
    assert "4711" in record.getMessage() and "sweep" in record.getMessage()


def test_an_invitation_with_redis_down_answers_at_once_and_is_sent_by_the_sweep_later(
    login, consultant, task_force, employer, mailoutbox, django_capture_on_commit_callbacks, broker_down
):
    from taskforce.celery import app

    client = login(consultant)
    data = {"first_name": "Kirsten", "last_name": "Kokholm", "email": "kirsten@cafe.dk", "kind": "leader",
            "employer": employer.pk}
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/taskforce/{task_force.pk}/members/", data, follow=True)
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert "Invitationen til kirsten@cafe.dk er lagt i kø til afsendelse." in response.content.decode()
    assert Invitation.objects.filter(email="kirsten@cafe.dk").exists()
    mail = OutboxMail.objects.get()
    assert (mail.kind, mail.state, mail.attempts) == ("invitation", "queued", 0) and mailoutbox == []

    # Redis is back: the sweep (celery beat, every minute) sends it.
    app.conf.task_always_eager = True
    assert outbox_send_due() == 1
    mail.refresh_from_db()
    assert mail.state == "sent" and [m.to for m in mailoutbox] == [["kirsten@cafe.dk"]]
