"""Two people editing one employer, its contact persons or an opening at once."""

import pytest
from django.test import Client

from accounts.models import Role
from core import edits
from employers.forms import ContactPersonForm
from employers.models import ContactPerson, JobTask, Opening
from tests.factories import make_user
from tests.html import form_values, opened_form

STALE_MESSAGE = str(edits.STALE_MESSAGE)


@pytest.fixture
def two(login, consultant, fredericia):
    """Two consultants' browsers."""
    second = Client()
    second.force_login(make_user("kollega", fredericia, Role.CONSULTANT))
    return login(consultant), second


opened = opened_form


@pytest.fixture
def contact(employer):
    return employer.contacts.create(name="Bo Byg", title="Direktør", phone="11111111")


def edit_url(employer):
    return f"/employers/{employer.pk}/edit/"


def test_it_refuses_a_stale_change_to_an_employer_field(two, employer):
    first, second = two
    data_a = opened(first, edit_url(employer), next_step="Ring mandag")
    data_b = opened(second, edit_url(employer), next_step="Send mail")
    assert first.post(edit_url(employer), data_a).status_code == 302
    response = second.post(edit_url(employer), data_b)
    assert response.status_code == 200
    assert response.context["form"].errors["next_step"] == [STALE_MESSAGE]
    employer.refresh_from_db()
    assert employer.next_step == "Ring mandag"


def test_it_refuses_a_stale_change_to_a_contact_persons_field(two, employer, contact):
    first, second = two
    data_a = opened(first, edit_url(employer), **{"contacts-0-phone": "22222222"})
    data_b = opened(second, edit_url(employer), **{"contacts-0-phone": "33333333", "next_step": "Ring mandag"})
    assert first.post(edit_url(employer), data_a).status_code == 302

    response = second.post(edit_url(employer), data_b)

    assert response.status_code == 200
    assert response.context["contacts"].forms[0].errors["phone"] == [STALE_MESSAGE]
    assert form_values(response.content.decode())["contacts-0-phone"] == "22222222"
    contact.refresh_from_db()
    employer.refresh_from_db()
    assert (contact.phone, employer.next_step) == ("22222222", "")  # nothing saved


def test_it_saves_both_colleagues_changes_to_different_contact_fields(two, employer, contact):
    first, second = two
    data_a = opened(first, edit_url(employer), **{"contacts-0-phone": "22222222"})
    data_b = opened(second, edit_url(employer), **{"contacts-0-title": "Ejer", "industry": "Byggeri"})
    assert first.post(edit_url(employer), data_a).status_code == 302
    assert second.post(edit_url(employer), data_b).status_code == 302
    contact.refresh_from_db()
    employer.refresh_from_db()
    assert (contact.phone, contact.title, employer.industry) == ("22222222", "Ejer", "Byggeri")


def test_it_refuses_a_contact_change_saved_between_the_check_and_the_write(two, employer, contact, monkeypatch):
    first, _ = two
    data = opened(first, edit_url(employer), **{"contacts-0-phone": "33333333", "next_step": "Ring mandag"})
    checked = ContactPersonForm._post_clean

    def colleague_saves_right_after_the_check(form):
        checked(form)
        ContactPerson.objects.filter(pk=contact.pk).update(phone="22222222")

    monkeypatch.setattr(ContactPersonForm, "_post_clean", colleague_saves_right_after_the_check)
    response = first.post(edit_url(employer), data)

    assert response.status_code == 200
    assert response.context["contacts"].forms[0].errors["phone"] == [STALE_MESSAGE]
    contact.refresh_from_db()
    employer.refresh_from_db()
    assert (contact.phone, employer.next_step) == ("22222222", "")  # the employer's change rolled back too


# --- openings ---------------------------------------------------------------------------


@pytest.fixture
def opening(employer):
    return Opening.objects.create(employer=employer, title="Pedel", hours_min=4, hours_max=8)


def opening_url(opening):
    return f"/employers/openings/{opening.pk}/edit/"


def test_it_keeps_both_colleagues_tasks_ticked_at_once(two, opening):
    kitchen, laundry, garden = JobTask.objects.filter(active=True).order_by("pk")[:3]
    opening.catalogue_tasks.set([garden])
    first, second = two
    data_a = opened(first, opening_url(opening), catalogue_tasks=[garden.pk, kitchen.pk])
    data_b = opened(second, opening_url(opening), catalogue_tasks=[garden.pk, laundry.pk])
    assert first.post(opening_url(opening), data_a).status_code == 302
    assert second.post(opening_url(opening), data_b).status_code == 302
    assert set(opening.catalogue_tasks.all()) == {garden, kitchen, laundry}


def test_it_keeps_a_task_a_colleague_ticked_while_another_unticks_one(two, opening):
    kitchen, laundry, garden = JobTask.objects.filter(active=True).order_by("pk")[:3]
    opening.catalogue_tasks.set([garden])
    first, second = two
    data_a = opened(first, opening_url(opening), catalogue_tasks=[garden.pk, kitchen.pk])
    data_b = opened(second, opening_url(opening), catalogue_tasks=[])
    assert first.post(opening_url(opening), data_a).status_code == 302
    assert second.post(opening_url(opening), data_b).status_code == 302
    assert set(opening.catalogue_tasks.all()) == {kitchen}


def test_it_refuses_a_stale_change_to_an_openings_field(two, opening):
    first, second = two
    data_a = opened(first, opening_url(opening), positions="3")
    data_b = opened(second, opening_url(opening), positions="5", title="Pedel og have")
    assert first.post(opening_url(opening), data_a).status_code == 302
    response = second.post(opening_url(opening), data_b)
    assert response.status_code == 200
    assert response.context["form"].errors["positions"] == [STALE_MESSAGE]
    opening.refresh_from_db()
    assert (opening.positions, opening.title) == (3, "Pedel")



def test_it_says_so_when_a_contact_person_is_deleted_between_the_check_and_the_write(two, employer, contact, monkeypatch):
    first, _ = two
    data = opened(first, edit_url(employer), name="Lillebælt Byg A/S", **{"contacts-0-phone": "22222222"})
    checked = ContactPersonForm._post_clean

    def colleague_deletes_right_after_the_check(form):
        checked(form)
        ContactPerson.objects.filter(pk=contact.pk).delete()

    monkeypatch.setattr(ContactPersonForm, "_post_clean", colleague_deletes_right_after_the_check)
    response = first.post(edit_url(employer), data)
    assert response.status_code == 200
    assert "Posten er slettet af en anden, mens du redigerede." in response.content.decode()
    employer.refresh_from_db()
    assert employer.name == "Lillebælt Byg ApS"  # nothing of the edit is saved
