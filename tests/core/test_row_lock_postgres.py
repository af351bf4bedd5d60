"""The row lock of core.edits.save_changed, on PostgreSQL with two real connections: while
one save holds the row (inside its transaction), a second save of the same row waits for
it, and once the first commits, the second sees its change and refuses the stale edit
instead of writing over it. (SQLite locks the whole database file, so only PostgreSQL can
show the row lock itself.)"""

import threading
from datetime import date

import pytest
from django.db import connection, connections, transaction

from core.edits import STALE_MESSAGE, StaleEdit, save_changed
from progress.forms import TargetForm
from progress.models import Target

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the row lock is PostgreSQL's SELECT … FOR UPDATE"),
    pytest.mark.django_db(transaction=True),
]

WAIT = 10  # seconds: long enough for a slow machine, short enough to fail rather than hang


def opened_form(target, user, **changes):
    """The target's edit form as a browser sends it: every field with the value it was opened
    with (`initial-…`), and the user's changes."""
    form = TargetForm(instance=target, user=user)
    data = {}
    for name in form.fields:
        value = form[name].value()
        text = "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))
        if isinstance(value, bool):
            text = "on" if value else ""
        data[name] = data[form[name].html_initial_name] = text
    data = {k: v for k, v in data.items() if v != "" or not k.endswith("target_group_only")}
    data.update(changes)
    return TargetForm(data, instance=Target.objects.get(pk=target.pk), user=user)


def in_own_connection(work, outcome, key):
    """Run `work` in a thread, which Django gives a connection of its own; closed at the end."""

    def run():
        try:
            outcome[key] = work()
        except Exception as error:  # handed to the test, which asserts on it
            outcome[key] = error
        finally:
            connections["default"].close()

    thread = threading.Thread(target=run, name=key)
    thread.start()
    return thread


def waiting_for_a_lock():
    """Whether another connection to this database is waiting for a row lock now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query ILIKE %s",
            ["%FOR UPDATE%"],
        )
        return cursor.fetchone()[0] > 0


def test_a_second_save_waits_for_the_first_and_then_refuses_the_stale_edit(manager, fredericia):
    target = Target.objects.create(municipality=fredericia, title="Nye fleksjob", number=164,
                                   period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    # Two colleagues open the form at 164; A saves 170, B then tries 180.
    form_a, form_b = opened_form(target, manager, number="170"), opened_form(target, manager, number="180")
    assert form_a.is_valid() and form_b.is_valid(), (form_a.errors, form_b.errors)

    a_holds_the_row, a_may_commit = threading.Event(), threading.Event()
    outcome = {}

    def save_a_and_hold_the_lock():
        with transaction.atomic():
            saved = save_changed(form_a)
            a_holds_the_row.set()
            assert a_may_commit.wait(WAIT), "the test never let A commit"
        return saved

    def save_b():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '20s'")  # never hang the suite
            return save_changed(form_b)

    a = in_own_connection(save_a_and_hold_the_lock, outcome, "a")
    try:
        assert a_holds_the_row.wait(WAIT), f"A did not get the row: {outcome.get('a')!r}"
        b = in_own_connection(save_b, outcome, "b")
        # B blocks on A's lock: PostgreSQL reports its SELECT … FOR UPDATE waiting for a lock.
        for _ in range(WAIT * 20):
            if waiting_for_a_lock() or not b.is_alive():
                break
            threading.Event().wait(0.05)
        assert b.is_alive() and "b" not in outcome, f"B did not wait for A's lock: {outcome.get('b')!r}"
        assert waiting_for_a_lock()
        # Meanwhile no one else sees A's uncommitted change.
        assert Target.objects.get(pk=target.pk).number == 164
    finally:
        a_may_commit.set()
        a.join(WAIT)
    b.join(WAIT)
    assert not a.is_alive() and not b.is_alive()

    assert outcome["a"] == ["number"]
    refused = outcome["b"]
    assert isinstance(refused, StaleEdit), f"B was not refused as stale: {refused!r}"
    assert refused.message_dict == {"number": [str(STALE_MESSAGE)]}
    assert form_b.data["number"] == "170"  # B's form now shows A's value
    assert Target.objects.get(pk=target.pk).number == 170  # A's change stands


def test_a_save_of_another_row_of_the_municipality_does_not_wait(manager, fredericia):
    """The lock is on the row alone: while A's save holds its target, B saves another target
    of the same municipality straight away."""
    first = Target.objects.create(municipality=fredericia, title="I år", number=164,
                                  period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    second = Target.objects.create(municipality=fredericia, title="Næste år", number=170,
                                   period_start=date(2027, 1, 1), period_end=date(2027, 12, 31))
    form_a, form_b = opened_form(first, manager, number="165"), opened_form(second, manager, number="171")
    assert form_a.is_valid() and form_b.is_valid()
    a_holds_the_row, a_may_commit = threading.Event(), threading.Event()
    outcome = {}

    def save_a_and_hold_the_lock():
        with transaction.atomic():
            save_changed(form_a)
            a_holds_the_row.set()
            a_may_commit.wait(WAIT)

    def save_b():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # waiting at all is the failure
            return save_changed(form_b)

    a = in_own_connection(save_a_and_hold_the_lock, outcome, "a")
    try:
        assert a_holds_the_row.wait(WAIT)
        b = in_own_connection(save_b, outcome, "b")
        b.join(WAIT)
        assert outcome.get("b") == ["number"], f"B could not save another target while A held one: {outcome.get('b')!r}"
    finally:
        a_may_commit.set()
        a.join(WAIT)
    assert Target.objects.get(pk=second.pk).number == 171 and Target.objects.get(pk=first.pk).number == 165
