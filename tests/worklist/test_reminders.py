"""The nightly reminders: each open item due on or before the day gets one reminder for the
citizen's consultant, once, however often the job runs (twice the same day, at once, or again
the next day); the daily digest is queued once per user and day for those who chose it; no
title or e-mail names a citizen. `manage.py send_reminders` runs the same job by hand."""

import re
import threading
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from accounts.models import Role
from notifications.models import Kind, Notification, Preference
from outbox.models import OutboxMail
from placements.models import FollowUp
from tests.factories import at, make_citizen, make_cpr, make_employer, make_placement, make_user
from tests.worklist.conftest import days, make_follow_up, make_meeting_request, make_quiet_citizen
from worklist import tasks
from worklist.models import Mark, ReminderRun
from worklist.services import reminders_send

DAY = date(2026, 12, 1)


def on(n):
    return DAY + timedelta(days=n)


@pytest.fixture
def digest(consultant):
    consultant.email = "karin@fredericia.dk"
    consultant.save(update_fields=["email"])
    return Preference.objects.create(user=consultant, daily_digest=True)


def reminded():
    return set(Notification.objects.values_list("user__username", "kind", "object_id", "due_on"))


def test_it_reminds_the_consultant_of_every_kind_of_item_due(
    consultant, citizen, placement, employer, fredericia, leader_member
):
    overdue = make_follow_up(placement, on(-3), months=3)
    deadline = make_follow_up(placement, DAY, kind=FollowUp.Kind.LEGAL_FOLLOW_UP)
    make_follow_up(placement, on(1), months=6)  # coming: not yet due
    # Asked the day before, at a fixed hour: "now" is already the next day in Copenhagen late in a UTC evening.
    request = make_meeting_request(citizen, leader_member, created_at=at(on(-1), 10))
    ending = make_placement(citizen, make_employer(fredericia, name="Kanalbyens Café"), start_date=date(2025, 1, 1), end_date=on(20))
    quiet = make_quiet_citizen(fredericia, consultant, last_contact_on=on(-100))
    with override_settings(WORKLIST_NO_CONTACT_DAYS=90, WORKLIST_ENDING_SOON_DAYS=30):
        assert reminders_send(as_of=DAY) == 5
    assert reminded() == {
        ("konsulent", Kind.FOLLOW_UP, overdue.pk, on(-3)),
        ("konsulent", Kind.DEADLINE, deadline.pk, DAY),
        ("konsulent", Kind.MEETING_REQUEST, request.pk, timezone.localdate(request.created_at)),
        ("konsulent", Kind.ENDING_SOON, ending.pk, on(20)),
        ("konsulent", Kind.NO_CONTACT, quiet.pk, on(-10)),
    }
    assert ReminderRun.objects.get(day=DAY).created == 5


def test_it_writes_titles_that_say_what_and_when_but_name_no_one(consultant, citizen, placement, fredericia):
    make_follow_up(placement, DAY, months=3)
    quiet = make_quiet_citizen(fredericia, consultant, last_contact_on=on(-100), first_name="Tove", last_name="Tavs",
                               cpr=make_cpr("150385"))
    reminders_send(as_of=DAY)
    titles = dict(Notification.objects.values_list("kind", "title"))
    assert titles[Kind.FOLLOW_UP] == f"Opfølgning efter 3 måneder forfalder 1. december 2026 (ansættelse nr. {placement.pk})"
    assert titles[Kind.NO_CONTACT].startswith("Ingen kontakt med en borger siden 23. august 2026")
    urls = dict(Notification.objects.values_list("kind", "url"))
    assert urls[Kind.NO_CONTACT] == f"/citizens/{quiet.pk}/"
    for title in titles.values():
        for secret in ("Bente", "Sørensen", "Tove", "Tavs", "150385"):
            assert secret not in title


def test_it_creates_nothing_on_a_second_run_for_the_same_day(consultant, placement, digest):
    make_follow_up(placement, on(-1))
    assert reminders_send(as_of=DAY) == 1
    make_follow_up(placement, on(-2), months=6)  # new since: waits for the next day
    assert reminders_send(as_of=DAY) == 0
    assert Notification.objects.count() == 1
    assert OutboxMail.objects.count() == 1
    assert ReminderRun.objects.count() == 1


def test_it_creates_nothing_when_another_run_has_taken_the_day(consultant, placement):
    make_follow_up(placement, on(-1))
    ReminderRun.objects.create(day=DAY)  # a redelivered task, a second beat: already running or ran
    assert reminders_send(as_of=DAY) == 0
    assert not Notification.objects.exists()


def test_it_does_not_remind_again_of_an_item_reminded_on_an_earlier_day(consultant, placement, digest):
    follow_up = make_follow_up(placement, on(-1))
    assert reminders_send(as_of=DAY) == 1
    make_follow_up(placement, on(1), months=6)
    assert reminders_send(as_of=on(1)) == 1
    assert Notification.objects.filter(object_id=follow_up.pk).count() == 1
    # Each day's digest lists that day's new reminders only.
    first, second = OutboxMail.objects.order_by("pk")
    assert first.dedupe_key == f"digest:{digest.user_id}:2026-12-01"
    assert second.dedupe_key == f"digest:{digest.user_id}:2026-12-02"
    assert "efter 1 måned forfalder" in first.body and "efter 6 måneder" not in first.body
    assert "efter 6 måneder" in second.body and "efter 1 måned forfalder" not in second.body


def test_it_reminds_of_an_item_again_when_its_due_date_moves(consultant, placement):
    follow_up = make_follow_up(placement, on(-1))
    reminders_send(as_of=DAY)
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=on(1))
    assert reminders_send(as_of=on(1)) == 1


def test_it_does_not_remind_of_snoozed_or_done_items(consultant, citizen, fredericia, placement):
    snoozed = make_follow_up(placement, on(-1))
    Mark.objects.create(kind=Kind.FOLLOW_UP, object_id=snoozed.pk, due_on=on(-1), until=on(3), reason="x", user=consultant)
    ending = make_placement(citizen, make_employer(fredericia, name="Kanalbyens Café"), start_date=date(2025, 1, 1), end_date=on(5))
    Mark.objects.create(kind=Kind.ENDING_SOON, object_id=ending.pk, due_on=on(5), reason="x", user=consultant)
    assert reminders_send(as_of=DAY) == 0
    # The snooze ends: the follow-up is reminded of then.
    assert reminders_send(as_of=on(3)) == 1


def test_it_reminds_no_one_of_a_citizen_without_a_consultant_who_may_act(fredericia, odense, employer, consultant):
    make_follow_up(make_placement(make_citizen(fredericia), employer), on(-1))
    moved = make_user("flyttet", odense, Role.CONSULTANT)  # works in Odense now
    make_follow_up(make_placement(make_citizen(fredericia, consultant=moved), employer), on(-1))
    inactive = make_user("stoppet", fredericia, Role.CONSULTANT, is_active=False)
    make_follow_up(make_placement(make_citizen(fredericia, consultant=inactive), employer), on(-1))
    assert reminders_send(as_of=DAY) == 0


def test_it_does_not_remind_of_the_follow_ups_of_an_ended_placement(consultant, citizen, employer):
    ended = make_placement(citizen, employer, start_date=date(2025, 1, 1), end_date=on(-1))
    make_follow_up(ended, on(-30))
    make_follow_up(ended, on(-5), kind=FollowUp.Kind.LEGAL_FOLLOW_UP)
    running = make_placement(citizen, make_employer(citizen.municipality, name="Kanalbyens Café"), start_date=on(0))
    make_follow_up(running, on(0))
    assert reminders_send(as_of=DAY) == 1
    assert {kind for _user, kind, object_id, _due in reminded()} == {Kind.FOLLOW_UP}
    assert Notification.objects.get().object_id == running.follow_ups.get().pk


def test_it_resolves_the_reminders_of_a_placement_once_it_has_ended(consultant, citizen, employer):
    placement = make_placement(citizen, employer, start_date=date(2025, 1, 1), end_date=DAY)
    follow_up = make_follow_up(placement, on(-3))
    reminders_send(as_of=DAY)  # ends today: still running
    reminder = Notification.objects.get(kind=Kind.FOLLOW_UP, object_id=follow_up.pk)
    assert reminder.resolved_at is None
    assert reminders_send(as_of=on(1)) == 0
    reminder.refresh_from_db()
    assert reminder.resolved_at is not None


def test_it_reminds_each_consultant_of_their_own_citizens(consultant, outsider, placement, other_placement):
    make_follow_up(placement, on(-1))
    make_follow_up(other_placement, on(-1))
    assert reminders_send(as_of=DAY) == 2
    assert {user for user, *_rest in reminded()} == {"konsulent", "konsulent-odense"}


def test_it_resolves_a_reminder_whose_work_was_done_elsewhere(consultant, fredericia):
    quiet = make_quiet_citizen(fredericia, consultant, last_contact_on=on(-100))
    reminders_send(as_of=DAY)
    quiet.last_contact_on = DAY  # a case note
    quiet.save(update_fields=["last_contact_on"])
    reminders_send(as_of=on(1))
    assert Notification.objects.get().resolved_at is not None


# --- The digest ----------------------------------------------------------------------------

@override_settings(SITE_URL="https://taskforce.fredericia.dk")
def test_it_queues_one_digest_per_user_and_day_with_titles_and_links(consultant, placement, fredericia, digest):
    make_follow_up(placement, on(-1))
    quiet = make_quiet_citizen(fredericia, consultant, last_contact_on=on(-100), first_name="Tove", last_name="Tavs")
    reminders_send(as_of=DAY)
    mail = OutboxMail.objects.get()
    assert (mail.kind, mail.to, mail.dedupe_key) == ("digest", ["karin@fredericia.dk"], f"digest:{consultant.pk}:2026-12-01")
    assert "1. december 2026" in mail.subject
    assert f"https://taskforce.fredericia.dk/citizens/{quiet.pk}/" in mail.body
    assert f"https://taskforce.fredericia.dk/placements/{placement.pk}/" in mail.body
    assert "https://taskforce.fredericia.dk/notifications/preferences/" in mail.body
    for secret in ("Bente", "Sørensen", "Tove", "Tavs"):
        assert secret not in mail.body and secret not in mail.subject
    assert not re.search(r"\d{6}-?\d{4}", mail.body)
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_it_queues_no_digest_for_users_who_did_not_choose_it(consultant, outsider, placement, other_placement, digest):
    make_follow_up(placement, on(-1))
    make_follow_up(other_placement, on(-1))
    outsider.email = "ole@odense.dk"
    outsider.save(update_fields=["email"])
    Preference.objects.create(user=outsider, daily_digest=False)
    reminders_send(as_of=DAY)
    assert list(OutboxMail.objects.values_list("to", flat=True)) == [["karin@fredericia.dk"]]
    assert Notification.objects.get(user=outsider).emailed_at is None


def test_it_queues_no_digest_on_a_day_without_new_reminders(consultant, digest):
    reminders_send(as_of=DAY)
    assert not OutboxMail.objects.exists()


# --- Run twice at the same time (PostgreSQL: real concurrent transactions) -----------------

@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_create_each_reminder_once(fredericia, odense):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    consultant = make_user("konsulent", fredericia, Role.CONSULTANT, email="karin@fredericia.dk")
    Preference.objects.create(user=consultant, daily_digest=True)
    employer = make_employer(fredericia)
    for n in range(20):
        make_follow_up(make_placement(make_citizen(fredericia, consultant=consultant), employer), on(-n))
    results, barrier = [], threading.Barrier(2)

    def run():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(reminders_send(as_of=DAY))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 20]
    assert Notification.objects.count() == 20
    assert OutboxMail.objects.count() == 1


# --- The command and the task --------------------------------------------------------------

def test_the_command_prints_how_many_it_created_and_none_the_second_time(consultant, placement):
    make_follow_up(placement, on(-1))
    make_follow_up(placement, on(-2), months=3)
    out = StringIO()
    call_command("send_reminders", "--as-of", "2026-12-01", stdout=out)
    assert out.getvalue() == "Oprettede 2 påmindelser for 2026-12-01.\n"
    out = StringIO()
    call_command("send_reminders", "--as-of", "2026-12-01", stdout=out)
    assert out.getvalue() == "Oprettede 0 påmindelser for 2026-12-01.\n"


def test_the_command_runs_for_today_without_a_date(consultant, placement):
    make_follow_up(placement, days(0))
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue() == f"Oprettede 1 påmindelser for {timezone.localdate().isoformat()}.\n"


@pytest.mark.parametrize("text, message", [
    ("01-12-2026", "ÅÅÅÅ-MM-DD"),
    ("2026-02-30", "ÅÅÅÅ-MM-DD"),
    ("i morgen", "ÅÅÅÅ-MM-DD"),
    ("9999-12-31", "Datoen skal ligge mellem"),
    ("0001-01-01", "Datoen skal ligge mellem"),
])
def test_the_command_refuses_a_date_it_cannot_read_with_a_clear_message(db, text, message):
    with pytest.raises(CommandError, match=message):
        call_command("send_reminders", "--as-of", text, stdout=StringIO())
    assert not ReminderRun.objects.exists()


@pytest.mark.parametrize("ahead", [1, 365])
def test_the_command_refuses_a_day_after_today_and_takes_nothing(db, ahead):
    later = timezone.localdate() + timedelta(days=ahead)
    with pytest.raises(CommandError, match="--as-of må ikke ligge efter i dag"):
        call_command("send_reminders", "--as-of", later.isoformat(), stdout=StringIO())
    # That day's run is left for the nightly job.
    assert not ReminderRun.objects.exists()


def test_the_command_runs_for_today_and_a_day_gone_by(consultant, placement):
    make_follow_up(placement, days(-3))
    out = StringIO()
    call_command("send_reminders", "--as-of", days(-1).isoformat(), stdout=out)
    assert out.getvalue() == f"Oprettede 1 påmindelser for {days(-1).isoformat()}.\n"
    call_command("send_reminders", "--as-of", days(0).isoformat(), stdout=StringIO())
    assert set(ReminderRun.objects.values_list("day", flat=True)) == {days(-1), days(0)}


def test_the_task_without_a_date_runs_for_today(consultant, placement):
    make_follow_up(placement, days(0))
    assert tasks.send_reminders.delay().get() == 1
    assert list(ReminderRun.objects.values_list("day", flat=True)) == [timezone.localdate()]


def test_the_task_runs_the_same_job_once_per_day(consultant, placement):
    make_follow_up(placement, on(-1))
    assert tasks.send_reminders.delay("2026-12-01").get() == 1
    assert tasks.send_reminders.delay("2026-12-01").get() == 0
    assert tasks.send_reminders.delay().get() == 0  # today: the follow-up is reminded already
