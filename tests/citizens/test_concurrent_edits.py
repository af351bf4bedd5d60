"""Two people editing one citizen at once: a field both changed is refused to the second."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Role
from audit.models import AccessLog
from citizens.forms import CitizenForm
from citizens.models import Citizen
from core import edits
from tests.factories import make_user
from tests.html import form_values, opened_form

STALE_MESSAGE = str(edits.STALE_MESSAGE)


def edit_url(citizen):
    return reverse("citizens:edit", args=[citizen.pk])


def opened(client, citizen, **changes):
    return opened_form(client, edit_url(citizen), **changes)


@pytest.fixture
def colleague(fredericia):
    return make_user("kollega", fredericia, Role.CONSULTANT)


def test_it_refuses_a_stale_change_to_a_field_a_colleague_changed(client, login, consultant, colleague, citizen):
    from django.test import Client

    first, second = login(consultant), Client()
    second.force_login(colleague)
    data_a = opened(first, citizen, phone="222")
    data_b = opened(second, citizen, phone="333")
    assert first.post(edit_url(citizen), data_a).status_code == 302

    response = second.post(edit_url(citizen), data_b)

    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [STALE_MESSAGE]
    citizen.refresh_from_db()
    assert citizen.phone == "222"
    # The field shows the current value; saving again is then this user's deliberate choice.
    again = form_values(response.content.decode())
    assert again["phone"] == "222"
    again.pop("csrfmiddlewaretoken", None)
    again["phone"] = "333"
    assert second.post(edit_url(citizen), again).status_code == 302
    citizen.refresh_from_db()
    assert citizen.phone == "333"


def test_it_saves_both_colleagues_changes_to_different_fields(login, consultant, colleague, citizen):
    from django.test import Client

    first, second = login(consultant), Client()
    second.force_login(colleague)
    data_a = opened(first, citizen, phone="222")
    data_b = opened(second, citizen, wishes="Køkkenarbejde")
    assert first.post(edit_url(citizen), data_a).status_code == 302
    assert second.post(edit_url(citizen), data_b).status_code == 302
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.wishes) == ("222", "Køkkenarbejde")


def test_it_refuses_a_change_a_colleague_saved_between_the_check_and_the_write(
    login, consultant, citizen, monkeypatch
):
    client = login(consultant)
    data = opened(client, citizen, phone="333")
    checked = CitizenForm._post_clean

    def colleague_saves_right_after_the_check(form):
        checked(form)
        Citizen.objects.filter(pk=citizen.pk).update(phone="222")

    monkeypatch.setattr(CitizenForm, "_post_clean", colleague_saves_right_after_the_check)
    response = client.post(edit_url(citizen), data)

    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [STALE_MESSAGE]
    assert form_values(response.content.decode())["phone"] == "222"
    citizen.refresh_from_db()
    assert citizen.phone == "222"
    assert not AccessLog.objects.filter(action=AccessLog.Action.UPDATE).exists()


def test_it_refuses_a_stale_change_of_consultant(login, consultant, colleague, citizen):
    client = login(consultant)
    data = opened(client, citizen, consultant="")
    Citizen.objects.filter(pk=citizen.pk).update(consultant=colleague)
    response = client.post(edit_url(citizen), data)
    assert response.context["form"].errors["consultant"] == [STALE_MESSAGE]
    citizen.refresh_from_db()
    assert citizen.consultant == colleague


def test_it_keeps_a_consultant_who_has_left_the_municipalitys_consultants(login, consultant, colleague, citizen):
    Citizen.objects.filter(pk=citizen.pk).update(consultant=colleague)
    Membership.objects.filter(user=colleague).delete()
    client = login(consultant)
    response = client.get(edit_url(citizen))
    assert colleague in response.context["form"].fields["consultant"].queryset
    assert client.post(edit_url(citizen), opened(client, citizen, phone="222")).status_code == 302
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.consultant) == ("222", colleague)


def test_it_offers_a_consultant_who_has_left_only_to_their_own_citizens(login, consultant, colleague, citizen, fredericia):
    Membership.objects.filter(user=colleague).delete()
    response = login(consultant).get(edit_url(citizen))
    assert colleague not in response.context["form"].fields["consultant"].queryset
    assert consultant in response.context["form"].fields["consultant"].queryset
