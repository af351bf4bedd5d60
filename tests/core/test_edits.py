"""save_changed, the one step that saves an edited record: it locks the row, refuses a field
this user changed that a colleague changed since the form was opened, writes only the
changed columns, and writes nothing when nothing changed. Shown on the target form, which
has no rules of its own in the way."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.edits import STALE_MESSAGE, StaleEdit, save_changed
from progress.forms import TargetForm
from progress.models import Target


@pytest.fixture
def target(fredericia):
    return Target.objects.create(
        municipality=fredericia, title="Nye fleksjob", number=164,
        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
    )


def opened_form(target, user, **changes):
    """The form as a browser sends it: every field with the value it was opened with
    (`initial-…`), and the user's changes."""
    form = TargetForm(instance=target, user=user)
    data = {}
    for name in form.fields:
        value = form[name].value()
        text = "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))
        if isinstance(value, bool):
            text = "on" if value else ""
        data[name] = text
        data[form[name].html_initial_name] = text
    data = {k: v for k, v in data.items() if v != "" or not k.endswith("target_group_only")}
    data.update(changes)
    return TargetForm(data, instance=Target.objects.get(pk=target.pk), user=user)


def test_it_saves_only_the_columns_this_user_changed(manager, target):
    form = opened_form(target, manager, number="170")
    Target.objects.filter(pk=target.pk).update(title="Ændret af en kollega")
    assert form.is_valid(), form.errors
    with CaptureQueriesContext(connection) as queries:
        assert save_changed(form) == ["number"]
    (update,) = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "progress_target"')]
    assert '"number"' in update and '"title"' not in update
    target.refresh_from_db()
    assert (target.number, target.title) == (170, "Ændret af en kollega")


def test_it_refuses_a_change_a_colleague_saved_after_the_forms_own_check(manager, target):
    form = opened_form(target, manager, number="170")
    assert form.is_valid()  # the check against the row as loaded passes …
    Target.objects.filter(pk=target.pk).update(number=180)  # … then a colleague saves
    with pytest.raises(StaleEdit) as refused:
        save_changed(form)
    assert refused.value.message_dict == {"number": [str(STALE_MESSAGE)]}
    assert form.data["number"] == "180"  # the form now shows the colleague's value
    target.refresh_from_db()
    assert target.number == 180


def test_it_writes_nothing_when_nothing_changed(manager, target):
    form = opened_form(target, manager)
    assert form.is_valid()
    with CaptureQueriesContext(connection) as queries:
        assert save_changed(form) == []
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]


def test_it_says_so_in_danish_when_the_record_was_deleted_meanwhile(manager, target):
    form = opened_form(target, manager, number="170")
    assert form.is_valid()
    Target.objects.filter(pk=target.pk).delete()
    with pytest.raises(ValidationError) as refused:
        save_changed(form)
    assert refused.value.messages == ["Posten er slettet af en anden, mens du redigerede."]


def test_it_locks_the_row_it_checks(manager, target, django_assert_max_num_queries):
    form = opened_form(target, manager, number="170")
    assert form.is_valid()
    with CaptureQueriesContext(connection) as queries:
        save_changed(form)
    selects = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert len(selects) == 1
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in selects[0]
