"""The nightly reminders through a real Celery worker, PostgreSQL and Redis: beat's task
creates a consultant's reminder of a follow-up due, and the digest mail it queues in the
outbox is sent by the worker too."""

from datetime import date

from django.core import mail

from accounts.models import Municipality, Role
from notifications.models import Kind, Notification, Preference
from outbox.models import OutboxMail
from placements.models import FollowUp
from tests.factories import make_citizen, make_employer, make_placement, make_user
from worklist.tasks import send_reminders

from .conftest import REAL_WORKER, wait_for

pytestmark = REAL_WORKER

DAY = date(2026, 12, 1)


def test_a_reminder_is_created_and_its_mail_sent_by_the_worker(worker):
    fredericia = Municipality.objects.create(code=607, name="Fredericia")
    consultant = make_user("konsulent", fredericia, Role.CONSULTANT, email="karin@fredericia.dk")
    Preference.objects.create(user=consultant, daily_digest=True)
    citizen = make_citizen(fredericia, consultant=consultant, first_name="Bente", last_name="Sørensen")
    placement = make_placement(citizen, make_employer(fredericia), start_date=date(2026, 9, 1))
    follow_up = FollowUp.objects.create(placement=placement, kind=FollowUp.Kind.REGULAR, months=3, due_on=DAY)

    send_reminders.delay(DAY.isoformat())  # as beat sends it, through the broker
    wait_for(lambda: len(mail.outbox) == 1, timeout=60, every=0.2, what="the digest mail to be sent")

    reminder = Notification.objects.get()
    assert (reminder.user, reminder.kind, reminder.object_id, reminder.due_on) == (
        consultant, Kind.FOLLOW_UP, follow_up.pk, DAY
    )
    assert reminder.emailed_at is not None
    assert OutboxMail.objects.get(kind="digest").state == OutboxMail.State.SENT
    message = mail.outbox[0]
    assert message.to == ["karin@fredericia.dk"]
    assert f"ansættelse nr. {placement.pk}" in message.body
    assert "Bente" not in message.body and "Sørensen" not in message.body
