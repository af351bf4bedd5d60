"""Nothing about an anonymised citizen is written through the placements: registering a
placement for them, changing or ending one of theirs and recording a follow-up are refused
with a Danish message (by the services, and by the pages, htmx posts included) and save
nothing; their pages still show, without the forms; the admin shows their placements read-only."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from citizens.models import Citizen
from placements import services
from placements.forms import PlacementForm
from placements.models import FollowUp, Placement
from retention.services import citizens_anonymise_expired
from tests.citizens.test_anonymised_read_only import READ_ONLY, anonymise, snapshot
from tests.factories import make_citizen, make_placement
from tests.html import form_values


def today():
    return timezone.localdate()


@pytest.fixture
def anonymised(fredericia, consultant, employer):
    """A former citizen anonymised by retention itself: their flex job ended in 2019, with
    its six-month follow-up never recorded."""
    citizen = make_citizen(
        fredericia, consultant=consultant, first_name="Birthe", last_name="Hemmeligsen",
        status="ended", case_closed_on=date(2019, 1, 1),
    )
    placement = make_placement(citizen, employer, start_date=date(2018, 1, 1), end_date=date(2019, 1, 1))
    FollowUp.objects.create(placement=placement, kind=FollowUp.Kind.REGULAR, months=6, due_on=date(2018, 7, 1))
    assert citizens_anonymise_expired(as_of=date(2031, 6, 1)) == 1
    citizen.refresh_from_db()
    return citizen


@pytest.fixture
def old_placement(anonymised):
    return Placement.objects.select_related("citizen", "employer").get(citizen=anonymised)


@pytest.fixture
def open_follow_up(old_placement):
    return FollowUp.objects.select_related("placement__citizen").get(placement=old_placement)


@pytest.fixture
def running(consultant, citizen, employer):
    """A flex job running for two months, its follow-ups planned; its citizen anonymised
    (retention never would while it runs: the services refuse it all the same)."""
    placement = services.placement_create(
        user=consultant, citizen=citizen, employer=employer, kind=Placement.Kind.FLEXJOB,
        hours_per_week=Decimal("8"), start_date=today() - timedelta(days=60),
    )
    anonymise(citizen)
    return Placement.objects.select_related("citizen", "employer").get(pk=placement.pk)


def edit_form(placement, **changes):
    data = {
        "employer": placement.employer_id, "opening": "", "kind": placement.kind,
        "hours_per_week": str(placement.hours_per_week), "contracted_hours": "",
        "start_date": str(placement.start_date), "accommodations": "",
    }
    data.update(changes)
    return data


def follow_up_url(follow_up):
    return reverse("placements:followup_record", args=[follow_up.placement_id, follow_up.pk])


# --- Registering a placement ----------------------------------------------------------------------

def test_the_service_refuses_a_placement_for_an_anonymised_citizen(consultant, anonymised, employer):
    before = snapshot(anonymised)
    with pytest.raises(ValidationError) as refused:
        services.placement_create(
            user=consultant, citizen=anonymised, employer=employer, kind=Placement.Kind.FLEXJOB,
            hours_per_week=Decimal("8"), start_date=today(),
        )
    assert refused.value.messages == [READ_ONLY]
    assert snapshot(anonymised) == before


def test_the_service_refuses_a_citizen_anonymised_meanwhile(consultant, citizen, employer):
    loaded = Citizen.objects.get(pk=citizen.pk)
    anonymise(citizen)
    before = snapshot(citizen)
    with pytest.raises(ValidationError) as refused:
        services.placement_create(
            user=consultant, citizen=loaded, employer=employer, kind=Placement.Kind.FLEXJOB,
            hours_per_week=Decimal("8"), start_date=today(),
        )
    assert refused.value.messages == [READ_ONLY]
    assert snapshot(citizen) == before


def test_the_new_placement_page_shows_the_message_instead_of_a_form(login, consultant, anonymised):
    response = login(consultant).get(reverse("placements:create_for_citizen", args=[anonymised.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert READ_ONLY in html
    assert 'name="employer"' not in html and 'name="hours_per_week"' not in html


@pytest.mark.parametrize("htmx", [False, True])
def test_registering_a_placement_is_refused_and_saves_nothing(login, consultant, anonymised, employer, placement_post, htmx):
    before = snapshot(anonymised)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = login(consultant).post(
        reverse("placements:create_for_citizen", args=[anonymised.pk]),
        placement_post(employer=employer, start_date=str(today())), **headers,
    )
    assert response.status_code == 400
    assert READ_ONLY in response.content.decode()
    assert snapshot(anonymised) == before


def test_the_employers_page_cannot_find_them_by_their_old_cpr_number(login, consultant, fredericia, employer, placement_post):
    citizen = make_citizen(fredericia, cpr="0101901234", status="ended", case_closed_on=date(2019, 1, 1))
    assert citizens_anonymise_expired(as_of=date(2031, 6, 1)) == 1
    response = login(consultant).post(
        reverse("placements:create_for_employer", args=[employer.pk]),
        placement_post(citizen_cpr="010190-1234", start_date=str(today())),
    )
    assert response.status_code == 200
    assert "Der er ingen borger med dette CPR-nummer i kommunen." in response.content.decode()
    assert not Placement.objects.filter(citizen=citizen).exists()


# --- Changing and ending a placement ------------------------------------------------------------

def test_the_service_refuses_to_change_an_anonymised_citizens_placement(consultant, anonymised, old_placement):
    form = PlacementForm(edit_form(old_placement, hours_per_week="12"), instance=old_placement)
    assert form.is_valid(), form.errors
    before = snapshot(anonymised)
    with pytest.raises(ValidationError) as refused:
        services.placement_update(user=consultant, form=form)
    assert refused.value.messages == [READ_ONLY]
    assert snapshot(anonymised) == before


def test_the_service_refuses_a_change_once_the_citizen_is_anonymised_meanwhile(consultant, citizen, employer):
    placement = make_placement(citizen, employer, start_date=today() - timedelta(days=30))
    form = PlacementForm(edit_form(placement, hours_per_week="12"), instance=placement)
    assert form.is_valid(), form.errors
    anonymise(citizen)  # the form's placement holds the citizen as loaded
    before = snapshot(citizen)
    with pytest.raises(ValidationError) as refused:
        services.placement_update(user=consultant, form=form)
    assert refused.value.messages == [READ_ONLY]
    assert snapshot(citizen) == before


def test_the_edit_page_shows_the_message_instead_of_a_form(login, consultant, old_placement):
    response = login(consultant).get(reverse("placements:edit", args=[old_placement.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert READ_ONLY in html and 'name="hours_per_week"' not in html


@pytest.mark.parametrize("htmx", [False, True])
def test_changing_a_placement_is_refused_and_saves_nothing(login, consultant, anonymised, old_placement, htmx):
    before = snapshot(anonymised)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = login(consultant).post(
        reverse("placements:edit", args=[old_placement.pk]), edit_form(old_placement, hours_per_week="12"), **headers
    )
    assert response.status_code == 400
    assert READ_ONLY in response.content.decode()
    assert snapshot(anonymised) == before


def test_the_service_refuses_to_end_an_anonymised_citizens_placement(consultant, running):
    before = snapshot(running.citizen)
    with pytest.raises(ValidationError) as refused:
        services.placement_end(user=consultant, placement=running, end_date=today(), end_reason="health")
    assert refused.value.messages == [READ_ONLY]
    assert snapshot(running.citizen) == before


def test_the_service_refuses_to_end_once_the_citizen_is_anonymised_meanwhile(consultant, citizen, employer):
    placement = make_placement(citizen, employer, start_date=today() - timedelta(days=30))
    placement = Placement.objects.select_related("citizen").get(pk=placement.pk)
    anonymise(citizen)  # the placement holds the citizen as loaded
    before = snapshot(citizen)
    with pytest.raises(ValidationError) as refused:
        services.placement_end(user=consultant, placement=placement, end_date=today(), end_reason="health")
    assert refused.value.messages == [READ_ONLY]
    assert snapshot(citizen) == before


@pytest.mark.parametrize("data", [{"end_date": "2026-11-30", "end_reason": "health"}, {}])
@pytest.mark.parametrize("htmx", [False, True])
def test_ending_a_placement_is_refused_and_saves_nothing(login, consultant, running, data, htmx):
    before = snapshot(running.citizen)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = login(consultant).post(reverse("placements:end", args=[running.pk]), data, **headers)
    assert response.status_code == 400
    html = response.content.decode()
    assert READ_ONLY in html
    assert f'action="{reverse("placements:end", args=[running.pk])}"' not in html
    assert snapshot(running.citizen) == before


@pytest.mark.parametrize("which", ["old_placement", "running"])
def test_the_placement_page_shows_the_message_and_no_forms(login, consultant, request, which):
    placement = request.getfixturevalue(which)
    response = login(consultant).get(reverse("placements:detail", args=[placement.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert READ_ONLY in html
    assert reverse("placements:edit", args=[placement.pk]) not in html
    assert f'action="{reverse("placements:end", args=[placement.pk])}"' not in html


def test_a_live_placement_page_keeps_its_forms(login, consultant, citizen, employer):
    placement = make_placement(citizen, employer, start_date=today() - timedelta(days=30))
    html = login(consultant).get(reverse("placements:detail", args=[placement.pk])).content.decode()
    assert READ_ONLY not in html
    assert reverse("placements:edit", args=[placement.pk]) in html
    assert f'action="{reverse("placements:end", args=[placement.pk])}"' in html


# --- Recording a follow-up ---------------------------------------------------------------------

def test_the_service_refuses_to_record_a_follow_up_about_an_anonymised_citizen(consultant, anonymised, open_follow_up):
    before = snapshot(anonymised)
    with pytest.raises(ValidationError) as refused:
        services.followup_record(
            user=consultant, follow_up=open_follow_up, done_on=today(), outcome="still_employed", note="Trives godt"
        )
    assert refused.value.messages == [READ_ONLY]
    assert snapshot(anonymised) == before


def test_the_service_refuses_a_follow_up_once_the_citizen_is_anonymised_meanwhile(consultant, citizen, employer):
    placement = services.placement_create(
        user=consultant, citizen=citizen, employer=employer, kind=Placement.Kind.FLEXJOB,
        hours_per_week=Decimal("8"), start_date=today() - timedelta(days=120),
    )
    follow_up = FollowUp.objects.select_related("placement__citizen").filter(placement=placement).order_by("due_on").first()
    anonymise(citizen)  # the follow-up holds the citizen as loaded
    before = snapshot(citizen)
    with pytest.raises(ValidationError) as refused:
        services.followup_record(user=consultant, follow_up=follow_up, done_on=today(), outcome="still_employed", note="Ok")
    assert refused.value.messages == [READ_ONLY]
    assert snapshot(citizen) == before


def test_the_follow_up_page_shows_the_message_instead_of_the_form(login, consultant, open_follow_up):
    response = login(consultant).get(follow_up_url(open_follow_up))
    assert response.status_code == 200
    html = response.content.decode()
    assert READ_ONLY in html
    assert 'name="done_on"' not in html and 'name="note"' not in html


@pytest.mark.parametrize("data", [{"done_on": "2026-11-30", "outcome": "still_employed", "note": "Trives godt"}, {}])
@pytest.mark.parametrize("htmx", [False, True])
def test_recording_a_follow_up_is_refused_and_saves_nothing(login, consultant, anonymised, open_follow_up, data, htmx):
    before = snapshot(anonymised)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = login(consultant).post(follow_up_url(open_follow_up), data, **headers)
    assert response.status_code == 400
    html = response.content.decode()
    assert READ_ONLY in html and 'name="done_on"' not in html
    assert snapshot(anonymised) == before


def test_a_recorded_follow_up_of_theirs_still_shows(login, consultant, anonymised, open_follow_up):
    FollowUp.objects.filter(pk=open_follow_up.pk).update(done_on=date(2018, 7, 2), outcome="hours_changed")
    response = login(consultant).get(follow_up_url(open_follow_up))
    assert response.status_code == 200
    html = response.content.decode()
    assert READ_ONLY in html
    assert reverse("placements:edit", args=[open_follow_up.placement_id]) not in html


# --- The admin ---------------------------------------------------------------------------------

def test_the_admin_shows_an_anonymised_citizens_placement_read_only(login, admin_user, anonymised, old_placement):
    client = login(admin_user)
    url = reverse("admin:placements_placement_change", args=[old_placement.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html and 'name="hours_per_week"' not in html
    before = snapshot(anonymised)
    data = form_values(html)
    data.update(hours_per_week="30", accommodations="Skånehensyn om ryggen")
    assert client.post(url, data).status_code == 403
    assert snapshot(anonymised) == before


def admin_add(client, citizen, employer):
    url = reverse("admin:placements_placement_add")
    data = form_values(client.get(url).content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data.update(
        citizen=str(citizen.pk), employer=str(employer.pk), kind="flexjob", hours_per_week="8", start_date=str(today()),
        accommodations="Skånehensyn",
    )
    return client.post(url, data)


def test_the_admin_registers_no_placement_for_an_anonymised_citizen(login, admin_user, anonymised, employer):
    before = snapshot(anonymised)
    response = admin_add(login(admin_user), anonymised, employer)
    assert response.status_code == 200
    assert "Vælg en borger, der findes og ikke er anonymiseret." in response.content.decode()
    assert snapshot(anonymised) == before


def test_the_admin_still_registers_a_placement_for_a_live_citizen(login, admin_user, citizen, employer):
    response = admin_add(login(admin_user), citizen, employer)
    assert response.status_code == 302
    assert Placement.objects.filter(citizen=citizen).exists()
