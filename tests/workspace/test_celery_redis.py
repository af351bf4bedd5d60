"""Celery through the real Redis broker (CI sets REDIS_URL): a task sent with .delay()
after commit is picked up by a real worker and does its work."""

import os

import pytest
from django.core import mail

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set: no real Redis broker")


def test_it_sends_the_meeting_request_e_mail_through_a_real_worker(transactional_db, settings):
    from celery.contrib.testing.worker import start_worker

    from accounts.models import Role
    from taskforce.celery import app
    from workspace.models import MeetingRequest, Member, TaskForce
    from workspace.tasks import send_meeting_request_email
    from tests.factories import make_citizen, make_employer, make_user
    from accounts.models import Municipality

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
    request = MeetingRequest.objects.create(citizen=citizen, member=member, message="Vi har et køkkenjob")

    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
        result = send_meeting_request_email.delay(request.pk, "http://testserver/citizens/1/")
        result.get(timeout=30)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["karin@example.dk"]
    assert "Kanalbyens Café" in message.body
    assert "Hemmelig" not in message.body and "Borger" not in message.body
