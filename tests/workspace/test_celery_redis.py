"""Celery through the real Redis broker (CI sets REDIS_URL): a mail queued in the outbox with
its change is handed to a real worker once committed, and the worker sends it."""

import os
import time

import pytest
from django.core import mail

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set: no real Redis broker")


def test_it_sends_the_meeting_request_e_mail_through_a_real_worker(transactional_db, settings):
    from celery.contrib.testing.worker import start_worker

    from accounts.models import Municipality, Role
    from outbox.models import OutboxMail
    from taskforce.celery import app
    from workspace import services
    from workspace.models import Member, TaskForce
    from tests.factories import make_citizen, make_employer, make_user

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    app.conf.task_always_eager = False
    assert app.conf.broker_url.startswith("redis://")

    fredericia = Municipality.objects.create(code=607, name="Fredericia")
    consultant = make_user("konsulent", fredericia, Role.CONSULTANT, email="karin@example.dk")
    citizen = make_citizen(fredericia, consultant=consultant, first_name="Hemmelig", last_name="Borger")
    task_force = TaskForce.objects.create(municipality=fredericia, name="Task Force")
    leader = make_user("leder", fredericia, Role.LEADER)
    member = Member.objects.create(
        task_force=task_force, user=leader, kind=Member.Kind.LEADER, employer=make_employer(fredericia, name="Kanalbyens Café")
    )

    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
        # Committed at once (no surrounding transaction), so the worker is asked at once.
        services.meeting_request_create(
            member=member, citizen=citizen, message="Vi har et køkkenjob", base_url="http://testserver/"
        )
        queued = OutboxMail.objects.get()
        deadline = time.monotonic() + 30
        while OutboxMail.objects.get(pk=queued.pk).state == OutboxMail.State.QUEUED and time.monotonic() < deadline:
            time.sleep(0.1)

    assert OutboxMail.objects.get(pk=queued.pk).state == OutboxMail.State.SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["karin@example.dk"]
    assert "Kanalbyens Café" in message.body
    assert "Hemmelig" not in message.body and "Borger" not in message.body
