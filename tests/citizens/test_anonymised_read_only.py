"""An anonymised citizen is read-only: their edit form, the journal and the admin refuse every
write with a Danish message and save nothing, so retention's anonymisation cannot be undone;
the pages still show (without a form to fill in)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.access import CASEWORK_ROLES, municipalities_for
from audit.models import AccessLog
from citizens import services
from citizens.forms import CitizenForm
from citizens.models import ANONYMISED_READ_ONLY_MESSAGE, CaseNote, Citizen
from placements.models import FollowUp, Placement
from retention.services import ANONYMOUS_CPR_HASH_PREFIX, ANONYMOUS_FIRST_NAME, ANONYMOUS_LAST_NAME, citizens_anonymise_expired
from tests.factories import make_citizen, make_placement
from tests.html import form_values, opened_form

READ_ONLY = "Borgeren er anonymiseret og kan ikke længere ændres."


def anonymise(citizen):
    """Blank the citizen as retention does (retention.services._anonymise_batch), whatever
    their placements: for a write path retention itself would never leave open."""
    now = timezone.now()
    Citizen.objects.filter(pk=citizen.pk).update(
        first_name=ANONYMOUS_FIRST_NAME, last_name=ANONYMOUS_LAST_NAME, phone="", email="", address="",
        competences="", wishes="", travel_distance="", consent_to_share_profile=False,
        cpr_encrypted="", cpr_hash=f"{ANONYMOUS_CPR_HASH_PREFIX}{citizen.pk}", birth_date=None,
        anonymised_at=now, updated_at=now,
    )
    CaseNote.objects.filter(citizen=citizen).delete()
    citizen.refresh_from_db()
    return citizen


def snapshot(citizen):
    """The citizen's row and everything written about citizens: equal before and after a
    refused write (page views aside: the log of a page shown is not a write about them)."""
    return (
        Citizen.objects.filter(pk=citizen.pk).values().get(),
        list(CaseNote.objects.values()),
        list(Placement.objects.order_by("pk").values()),
        list(FollowUp.objects.order_by("pk").values()),
        AccessLog.objects.exclude(action=AccessLog.Action.VIEW).count(),
    )


@pytest.fixture
def anonymised(fredericia, consultant, employer):
    """A former citizen anonymised by retention itself: their flex job ended in 2019."""
    citizen = make_citizen(
        fredericia, consultant=consultant, first_name="Birthe", last_name="Hemmeligsen", phone="11223344",
        status="ended", case_closed_on=date(2019, 1, 1),
    )
    make_placement(citizen, employer, start_date=date(2018, 1, 1), end_date=date(2019, 1, 1))
    assert citizens_anonymise_expired(as_of=date(2031, 6, 1)) == 1
    citizen.refresh_from_db()
    return citizen


def edit_url(citizen):
    return reverse("citizens:edit", args=[citizen.pk])


def notes_url(citizen):
    return reverse("citizens:add_note", args=[citizen.pk])


def edit_data(citizen, **changes):
    """The edit form's fields as a browser sends them, with `changes`."""
    data = {
        "municipality": citizen.municipality_id, "first_name": citizen.first_name, "last_name": citizen.last_name,
        "phone": citizen.phone, "email": citizen.email, "address": citizen.address, "unemployed_since": "",
        "flexjob_approved_on": "", "weekly_hours": "", "competences": "", "wishes": "", "travel_distance": "",
        "consultant": citizen.consultant_id or "", "status": citizen.status,
    }
    data.update(changes)
    return data


def citizen_form(user, citizen, **changes):
    form = CitizenForm(
        edit_data(citizen, **changes), instance=citizen, municipalities=municipalities_for(user, CASEWORK_ROLES)
    )
    assert form.is_valid(), form.errors
    return form


def test_it_knows_an_anonymised_citizen(anonymised, citizen):
    assert anonymised.is_anonymised and not citizen.is_anonymised
    assert str(ANONYMISED_READ_ONLY_MESSAGE) == READ_ONLY


# --- The edit form ----------------------------------------------------------------------------

def test_the_service_refuses_to_update_an_anonymised_citizen(consultant, anonymised):
    form = citizen_form(consultant, anonymised, first_name="Birthe", last_name="Hemmeligsen", phone="11223344")
    before = snapshot(anonymised)
    with pytest.raises(ValidationError) as refused:
        services.citizen_update(user=consultant, form=form)
    assert refused.value.messages == [READ_ONLY]
    assert snapshot(anonymised) == before


def test_the_service_refuses_a_citizen_anonymised_while_the_form_was_open(consultant, citizen):
    form = citizen_form(consultant, citizen, weekly_hours="20")
    anonymise(citizen)
    before = snapshot(citizen)
    with pytest.raises(ValidationError) as refused:
        services.citizen_update(user=consultant, form=form)  # its instance is the row as loaded
    assert refused.value.messages == [READ_ONLY]
    assert snapshot(citizen) == before


def test_the_edit_page_shows_the_message_instead_of_a_form(login, consultant, anonymised):
    response = login(consultant).get(edit_url(anonymised))
    assert response.status_code == 200
    html = response.content.decode()
    assert READ_ONLY in html
    assert 'name="first_name"' not in html and 'name="phone"' not in html


def test_posting_the_edit_form_is_refused_and_saves_nothing(login, consultant, anonymised):
    before = snapshot(anonymised)
    response = login(consultant).post(edit_url(anonymised), edit_data(anonymised, first_name="Birthe", phone="11223344"))
    assert response.status_code == 400
    assert READ_ONLY in response.content.decode()
    assert snapshot(anonymised) == before


def test_posting_the_edit_form_by_htmx_is_refused_too(login, consultant, anonymised):
    before = snapshot(anonymised)
    response = login(consultant).post(
        edit_url(anonymised), edit_data(anonymised, last_name="Hemmeligsen"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert READ_ONLY in response.content.decode()
    assert snapshot(anonymised) == before


def test_a_form_opened_before_the_anonymisation_is_refused(login, consultant, citizen):
    client = login(consultant)
    data = opened_form(client, edit_url(citizen), phone="55667788")
    anonymise(citizen)
    before = snapshot(citizen)
    response = client.post(edit_url(citizen), data)
    assert response.status_code == 400
    assert READ_ONLY in response.content.decode()
    assert snapshot(citizen) == before


def test_a_live_citizen_is_still_edited(login, consultant, citizen):
    client = login(consultant)
    response = client.post(edit_url(citizen), opened_form(client, edit_url(citizen), phone="55667788"))
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.phone == "55667788"


def test_another_municipality_still_gets_404(login, outsider, anonymised):
    client = login(outsider)
    assert client.get(edit_url(anonymised)).status_code == 404
    assert client.post(notes_url(anonymised), {"text": "Notat"}).status_code == 404


# --- The journal --------------------------------------------------------------------------------

def test_the_service_refuses_a_note_about_an_anonymised_citizen(consultant, anonymised):
    before = snapshot(anonymised)
    with pytest.raises(ValidationError) as refused:
        services.case_note_add(user=consultant, citizen=anonymised, text="Samtale om økonomi")
    assert refused.value.messages == [READ_ONLY]
    assert snapshot(anonymised) == before


def test_the_service_refuses_a_note_about_a_citizen_anonymised_meanwhile(consultant, citizen):
    loaded = Citizen.objects.get(pk=citizen.pk)
    anonymise(citizen)
    before = snapshot(citizen)
    with pytest.raises(ValidationError) as refused:
        services.case_note_add(user=consultant, citizen=loaded, text="Samtale om økonomi")
    assert refused.value.messages == [READ_ONLY]
    assert snapshot(citizen) == before


@pytest.mark.parametrize("text", ["Samtale om økonomi", ""])
def test_posting_a_note_is_refused_and_saves_nothing(login, consultant, anonymised, text):
    before = snapshot(anonymised)
    response = login(consultant).post(notes_url(anonymised), {"text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert READ_ONLY in html
    assert f'action="{notes_url(anonymised)}"' not in html  # no journal form to send again
    assert snapshot(anonymised) == before


def test_posting_a_note_by_htmx_returns_the_journal_with_the_message(login, consultant, anonymised):
    before = snapshot(anonymised)
    response = login(consultant).post(notes_url(anonymised), {"text": "Samtale"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps it in
    html = response.content.decode().strip()
    assert html.startswith('<section id="notes">') and "<html" not in html
    assert READ_ONLY in html and "<textarea" not in html
    assert snapshot(anonymised) == before


def test_the_citizens_page_offers_no_journal_form(login, consultant, anonymised):
    response = login(consultant).get(reverse("citizens:detail", args=[anonymised.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert READ_ONLY in html
    assert f'action="{notes_url(anonymised)}"' not in html
    assert edit_url(anonymised) not in html
    assert reverse("placements:create_for_citizen", args=[anonymised.pk]) not in html


def test_a_live_citizens_page_keeps_its_journal_form(login, consultant, citizen):
    html = login(consultant).get(reverse("citizens:detail", args=[citizen.pk])).content.decode()
    assert f'action="{notes_url(citizen)}"' in html and READ_ONLY not in html


def test_the_page_costs_no_more_than_a_live_citizens(login, consultant, citizen, anonymised):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(consultant)
    client.get(reverse("citizens:detail", args=[citizen.pk]))  # warm up the session

    def count(who):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("citizens:detail", args=[who.pk])).status_code == 200
        return len(queries)

    assert count(anonymised) <= count(citizen)


# --- The admin ----------------------------------------------------------------------------------

def test_the_admin_shows_an_anonymised_citizen_read_only(login, admin_user, anonymised):
    client = login(admin_user)
    url = reverse("admin:citizens_citizen_change", args=[anonymised.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html and 'name="first_name"' not in html
    before = snapshot(anonymised)
    data = form_values(html)
    data.update(first_name="Birthe", last_name="Hemmeligsen", phone="11223344")
    assert client.post(url, data).status_code == 403
    assert snapshot(anonymised) == before


def test_the_admin_still_changes_a_live_citizen(login, admin_user, citizen):
    response = login(admin_user).get(reverse("admin:citizens_citizen_change", args=[citizen.pk]))
    assert response.status_code == 200
    assert 'name="_save"' in response.content.decode()
