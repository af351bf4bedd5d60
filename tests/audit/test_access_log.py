"""The access log: who touched which record, when and why; written with the change it records."""

import pytest
from django.urls import reverse
from django.db.models import ProtectedError

from audit.models import AccessLog
from audit.services import access_log_record
from citizens import services as citizen_services
from citizens.models import CaseNote, Citizen

from accounts.models import Role
from tests.factories import make_citizen, make_cpr


def test_it_records_the_object_by_label_and_id(consultant, citizen):
    log = access_log_record(user=consultant, action=AccessLog.Action.VIEW, obj=citizen, purpose="Opfølgning")
    log.refresh_from_db()
    assert (log.user, log.action, log.model, log.object_id, log.municipality, log.purpose) == (
        consultant, "view", "citizens.Citizen", citizen.pk, citizen.municipality, "Opfølgning"
    )
    assert log.at is not None and log.at.tzinfo is not None


def test_it_records_a_list_without_an_object(consultant, fredericia):
    log = access_log_record(user=consultant, action=AccessLog.Action.LIST, model="citizens.Citizen", purpose="sagsbehandling")
    assert (log.model, log.object_id, log.municipality) == ("citizens.Citizen", None, None)
    log = access_log_record(
        user=consultant, action=AccessLog.Action.LIST, model="citizens.Citizen", municipality=fredericia,
        purpose="sagsbehandling",
    )
    assert log.municipality == fredericia


def test_it_records_the_citizens_a_list_showed_and_their_municipality(consultant, fredericia):
    shown = [make_citizen(fredericia), make_citizen(fredericia)]
    log = access_log_record(
        user=consultant, action=AccessLog.Action.LIST, model="citizens.Citizen", purpose="sagsbehandling", citizens=shown
    )
    assert sorted(log.citizens.values_list("citizen_id", "municipality_id")) == sorted(
        (c.pk, fredericia.pk) for c in shown
    )
    # A list of one municipality's citizens is that municipality's.
    assert log.municipality == fredericia


def test_it_records_the_citizen_of_a_single_citizens_page_on_the_row(consultant, citizen):
    log = access_log_record(user=consultant, action=AccessLog.Action.VIEW, obj=citizen, purpose="sagsbehandling")
    assert (log.citizen_id, log.municipality_id, log.citizen_ids()) == (citizen.pk, citizen.municipality_id, [citizen.pk])
    assert not log.citizens.exists()


def test_it_records_the_citizen_of_a_citizens_record(consultant, citizen, employer):
    from tests.factories import make_placement

    placement = make_placement(citizen, employer)
    log = access_log_record(
        user=consultant, action=AccessLog.Action.UPDATE, obj=placement, municipality=citizen.municipality, purpose="import"
    )
    assert (log.model, log.object_id, log.citizen_id) == ("placements.Placement", placement.pk, citizen.pk)


def test_it_records_the_role_the_user_acted_in(consultant, manager, admin_user, citizen):
    assert access_log_record(user=consultant, action="view", obj=citizen, purpose="x").role == Role.CONSULTANT
    assert access_log_record(user=manager, action="view", obj=citizen, purpose="x").role == Role.MANAGER
    assert access_log_record(user=admin_user, action="view", obj=citizen, purpose="x").role == Role.ADMIN


def test_it_refuses_a_row_without_a_purpose(consultant, citizen):
    with pytest.raises(ValueError):
        access_log_record(user=consultant, action=AccessLog.Action.VIEW, obj=citizen, purpose="  ")
    assert not AccessLog.objects.exists()


def test_the_database_refuses_a_row_without_a_purpose(consultant, citizen):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLog.objects.create(user=consultant, action=AccessLog.Action.VIEW, model="citizens.Citizen", purpose="")


def test_it_masks_a_cpr_number_in_a_purpose_or_search(consultant, citizen):
    number = citizen.reveal_cpr()
    log = access_log_record(
        user=consultant, action=AccessLog.Action.LIST, model="citizens.Citizen",
        purpose=f"andet: ringede fra {number}", query=f"Jens {number.replace('-', '')}",
    )
    assert number not in log.purpose and number.replace("-", "") not in log.query
    assert log.purpose == "andet: ringede fra XXXXXX-XXXX"


def test_it_keeps_no_personal_data_in_the_row(consultant, citizen):
    log = access_log_record(user=consultant, action=AccessLog.Action.REVEAL_CPR, obj=citizen, purpose="opfølgning")
    text = " ".join(str(getattr(log, f.attname)) for f in AccessLog._meta.fields) + str(log)
    for secret in (citizen.first_name, citizen.last_name, citizen.reveal_cpr(), citizen.reveal_cpr().replace("-", "")):
        assert secret not in text


def test_it_lists_the_newest_entry_first(monkeypatch, consultant, citizen):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now - timedelta(days=365))
    first = access_log_record(user=consultant, action=AccessLog.Action.VIEW, obj=citizen, purpose="sagsbehandling")
    monkeypatch.setattr(timezone, "now", lambda: now)
    second = access_log_record(user=consultant, action=AccessLog.Action.UPDATE, obj=citizen, purpose="sagsbehandling")
    third = access_log_record(user=consultant, action=AccessLog.Action.VIEW, obj=citizen, purpose="sagsbehandling")
    assert first.at < second.at == third.at
    # At the same moment, the one written last first.
    assert list(AccessLog.objects.all()) == [third, second, first]


def test_it_keeps_a_user_with_log_entries_from_being_deleted(consultant, citizen):
    access_log_record(user=consultant, action=AccessLog.Action.VIEW, obj=citizen, purpose="sagsbehandling")
    with pytest.raises(ProtectedError):
        consultant.delete()


def _failing_log(**kwargs):
    raise RuntimeError("the log is down")


def test_it_saves_no_note_when_the_log_cannot_be_written(monkeypatch, consultant, citizen):
    monkeypatch.setattr(citizen_services, "access_log_record", _failing_log)
    with pytest.raises(RuntimeError):
        citizen_services.case_note_add(user=consultant, citizen=citizen, text="Notat")
    assert not CaseNote.objects.exists()


def test_it_saves_no_citizen_when_the_log_cannot_be_written(monkeypatch, consultant, fredericia):
    monkeypatch.setattr(citizen_services, "access_log_record", _failing_log)
    with pytest.raises(RuntimeError):
        citizen_services.citizen_create(
            user=consultant, cpr=make_cpr(), municipality=fredericia, first_name="A", last_name="B"
        )
    assert not Citizen.objects.exists()


def test_it_saves_no_edit_when_the_log_cannot_be_written(monkeypatch, login, consultant, citizen):
    from tests.html import form_values

    client = login(consultant)
    edit_url = reverse("citizens:edit", args=[citizen.pk])
    data = form_values(client.get(edit_url).content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data["phone"] = "12345678"
    monkeypatch.setattr(citizen_services, "access_log_record", _failing_log)
    with pytest.raises(RuntimeError):
        client.post(edit_url, data)
    citizen.refresh_from_db()
    assert citizen.phone == ""


def test_it_reveals_no_cpr_number_when_the_reveal_cannot_be_logged(monkeypatch, consultant, citizen):
    monkeypatch.setattr(citizen_services, "access_log_record", _failing_log)
    with pytest.raises(RuntimeError):
        citizen_services.citizen_reveal_cpr(user=consultant, citizen=citizen, purpose="opfølgning")


def test_it_turns_a_concurrent_duplicate_into_a_danish_message(monkeypatch, consultant, citizen, fredericia):
    from django.core.exceptions import ValidationError

    # The check in full_clean passed for both; the database constraint decides the race.
    monkeypatch.setattr(Citizen, "full_clean", lambda self, *a, **k: None)
    with pytest.raises(ValidationError) as error:
        citizen_services.citizen_create(
            user=consultant, cpr=citizen.reveal_cpr().replace("-", ""), municipality=fredericia,
            first_name="Dublet", last_name="Dublet",
        )
    assert error.value.message_dict == {"cpr": ["Der findes allerede en borger med dette CPR-nummer i kommunen."]}
    assert Citizen.objects.count() == 1
    assert not AccessLog.objects.exists()


def test_one_answer_says_whose_a_record_is_for_the_rows_and_the_admin(consultant, citizen, employer, django_assert_num_queries):
    import audit.admin_logging
    from audit.admin_logging import AccessLoggedAdminMixin
    from audit.services import ShownCitizen, citizen_of
    from placements.models import Placement
    from tests.factories import make_placement

    assert audit.admin_logging.citizen_of is citizen_of
    assert not hasattr(AccessLoggedAdminMixin, "citizen_of")
    placement = make_placement(citizen, employer)
    expected = ShownCitizen(citizen.pk, citizen.municipality_id)
    alone = Placement.objects.get(pk=placement.pk)
    selected = Placement.objects.select_related("citizen").get(pk=placement.pk)
    with django_assert_num_queries(0):
        assert citizen_of(citizen) == expected
        assert citizen_of(employer) is None and citizen_of(None) is None
        assert citizen_of(selected) == expected  # the citizen at hand, as the admin selects it
        assert citizen_of(alone, citizen.municipality_id) == expected  # the row's municipality
    with django_assert_num_queries(1):
        assert citizen_of(alone) == expected  # neither at hand: the citizen is read
