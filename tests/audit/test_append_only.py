"""The log is append-only: the models refuse to change or delete a row, and the database
refuses an UPDATE or DELETE of its own accord (triggers), whoever sends it."""

import pytest
from django.db import IntegrityError, connection, transaction

from audit.db import log_purge_allowed
from audit.models import AccessLog, AccessLogCitizen, AppendOnlyError, SignInEvent
from audit.services import access_log_record, sign_in_record
from tests.factories import make_citizen


@pytest.fixture
def entry(consultant, citizen, fredericia):
    """A list row: the row, and one row for each of its two citizens."""
    return access_log_record(
        user=consultant, action=AccessLog.Action.LIST, model="citizens.Citizen", purpose="sagsbehandling",
        citizens=[citizen, make_citizen(fredericia)],
    )


@pytest.fixture
def event(consultant):
    return sign_in_record(kind=SignInEvent.Kind.LOGIN, user=consultant)


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_model_refuses_to_save_a_row_again(entry):
    entry.purpose = "ændret"
    with pytest.raises(AppendOnlyError):
        entry.save()
    entry.refresh_from_db()
    assert entry.purpose == "sagsbehandling"


def test_the_model_refuses_to_delete_a_row(entry, event):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        entry.citizens.first().delete()
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_the_queryset_refuses_update_and_delete(entry):
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=entry.pk).update(purpose="ændret")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessLogCitizen.objects.all().delete()
    assert AccessLog.objects.get(pk=entry.pk).purpose == "sagsbehandling"


@pytest.mark.parametrize(
    "table, column, value",
    [("audit_accesslog", "purpose", "ændret"), ("audit_accesslogcitizen", "citizen_id", 999), ("audit_signinevent", "username", "x")],
)
def test_the_database_refuses_a_raw_update(entry, event, table, column, value):
    with pytest.raises(IntegrityError):
        _raw(f'UPDATE "{table}" SET "{column}" = %s', [value])
    assert AccessLog.objects.get(pk=entry.pk).purpose == "sagsbehandling"
    assert 999 not in entry.citizen_ids()
    assert SignInEvent.objects.get(pk=event.pk).username == "konsulent"


@pytest.mark.parametrize("table", ["audit_accesslogcitizen", "audit_accesslog", "audit_signinevent"])
def test_the_database_refuses_a_raw_delete(entry, event, table):
    with pytest.raises(IntegrityError):
        _raw(f'DELETE FROM "{table}"')
    assert AccessLog.objects.count() == 1
    assert AccessLogCitizen.objects.count() == 2
    assert SignInEvent.objects.count() == 1


def test_only_the_deliberate_purge_path_deletes_and_it_never_updates(entry):
    with log_purge_allowed():
        with pytest.raises(IntegrityError):
            _raw('UPDATE "audit_accesslog" SET "purpose" = %s', ["ændret"])
    with log_purge_allowed():
        _raw('DELETE FROM "audit_accesslogcitizen"')
        _raw('DELETE FROM "audit_accesslog"')
    assert not AccessLog.objects.exists()
    # And the door closes again behind it.
    access_log_record(user=entry.user, action=AccessLog.Action.VIEW, model="citizens.Citizen", purpose="x")
    with pytest.raises(IntegrityError):
        _raw('DELETE FROM "audit_accesslog"')


def test_a_transactional_test_can_still_be_flushed_after_writing_the_log(transactional_db, consultant, citizen):
    """Django empties the database after a transactional test (the browser tests are ones), with
    DELETE on SQLite: the root conftest lets that flush past the triggers. Were it not so, this
    test would fail in its teardown."""
    access_log_record(user=consultant, action=AccessLog.Action.VIEW, obj=citizen, purpose="sagsbehandling")
    access_log_record(
        user=consultant, action=AccessLog.Action.LIST, model="citizens.Citizen", purpose="sagsbehandling",
        citizens=[citizen],
    )
    sign_in_record(kind=SignInEvent.Kind.LOGIN, user=consultant)
    assert AccessLogCitizen.objects.count() == 1
