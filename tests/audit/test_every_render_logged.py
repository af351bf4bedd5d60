"""Every response that shows a citizen's personal data writes one row, whatever the method: a
form sent back with its errors shows the record again, and so does an htmx fragment. A
request that redirects writes only the row of what it did."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AccessLog
from citizens.models import CaseNote, Citizen
from tests.factories import make_citizen, make_placement
from workspace.access import candidate_token
from workspace.selectors import CANDIDATE_PURPOSE


@pytest.fixture
def placement(citizen, employer):
    return make_placement(citizen, employer, start_date=date(2026, 2, 1))


def one_more_row(before):
    """The one row written since `before` rows were."""
    assert AccessLog.objects.count() == before + 1
    return AccessLog.objects.order_by("-pk").first()


# --- The consultants' pages ---------------------------------------------------------------

def test_a_refused_end_of_a_placement_shows_the_placement_and_logs_it(login, consultant, placement):
    response = login(consultant).post(
        reverse("placements:end", args=[placement.pk]), {"end_date": "2026-01-31", "end_reason": "resigned"}
    )
    assert response.status_code == 400 and placement.citizen.full_name in response.content.decode()
    row = one_more_row(0)
    assert (row.user, row.action, row.citizen_id, row.purpose) == (
        consultant, AccessLog.Action.VIEW, placement.citizen_id, "ansættelse"
    )


def test_a_refused_placement_edit_shows_the_placement_and_logs_it(login, consultant, placement):
    response = login(consultant).post(reverse("placements:edit", args=[placement.pk]), {"hours_per_week": "40"})
    assert response.status_code == 200 and response.context["form"].errors
    row = one_more_row(0)
    assert (row.action, row.citizen_id, row.purpose) == (AccessLog.Action.VIEW, placement.citizen_id, "ansættelse")


def test_a_refused_placement_for_a_citizen_logs_the_form_that_names_them(login, consultant, citizen, employer):
    response = login(consultant).post(
        reverse("placements:create_for_citizen", args=[citizen.pk]), {"employer": employer.pk, "kind": "nonsense"}
    )
    assert response.status_code == 200 and citizen.full_name in response.content.decode()
    row = one_more_row(0)
    assert (row.action, row.citizen_id, row.purpose) == (AccessLog.Action.VIEW, citizen.pk, "ansættelse")


def test_a_refused_citizen_edit_shows_the_citizen_and_logs_it(login, consultant, citizen):
    response = login(consultant).post(reverse("citizens:edit", args=[citizen.pk]), {"first_name": ""})
    assert response.status_code == 200 and response.context["form"].errors
    row = one_more_row(0)
    assert (row.action, row.citizen_id, row.purpose) == (AccessLog.Action.VIEW, citizen.pk, "rettelse af borger")


@pytest.mark.parametrize("headers, status", [({"HTTP_HX_REQUEST": "true"}, 200), ({}, 400)])
def test_an_empty_case_note_shows_the_notes_again_and_logs_it(login, consultant, citizen, headers, status):
    CaseNote.objects.create(citizen=citizen, author=consultant, text="Samtale om fleksjob")
    response = login(consultant).post(reverse("citizens:add_note", args=[citizen.pk]), {"text": "  "}, **headers)
    assert response.status_code == status
    assert "Samtale om fleksjob" in response.content.decode()
    row = one_more_row(0)
    assert (row.action, row.citizen_id, row.purpose) == (AccessLog.Action.VIEW, citizen.pk, "sagsbehandling")


def test_a_case_note_added_by_htmx_is_one_row_for_the_note_and_the_notes_shown(login, consultant, citizen):
    response = login(consultant).post(
        reverse("citizens:add_note", args=[citizen.pk]), {"text": "Ny samtale"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert one_more_row(0).action == AccessLog.Action.ADD_NOTE


# --- The leaders' candidate profile -------------------------------------------------------

@pytest.fixture
def candidate(fredericia, consultant):
    return make_citizen(fredericia, consultant=consultant, consent_to_share_profile=True, status=Citizen.Status.READY)


def test_a_refused_request_to_meet_shows_the_profile_again_and_logs_it(login, leader_member, task_force, candidate):
    url = reverse("workspace:candidate", args=[task_force.pk, candidate_token(candidate)])
    response = login(leader_member.user).post(url, {"message": "x" * 600})
    assert response.status_code == 200 and response.context["form"].errors
    row = one_more_row(0)
    assert (row.user, row.role, row.action, row.citizen_id, row.purpose) == (
        leader_member.user, Role.LEADER, AccessLog.Action.VIEW, candidate.pk, CANDIDATE_PURPOSE
    )


def test_a_request_to_meet_sent_redirects_and_logs_no_page(login, leader_member, task_force, candidate):
    url = reverse("workspace:candidate", args=[task_force.pk, candidate_token(candidate)])
    assert login(leader_member.user).post(url, {"message": "Vi har en stilling."}).status_code == 302
    assert not AccessLog.objects.exists()


# --- The Django admin ---------------------------------------------------------------------

def test_the_admins_delete_selected_confirmation_logs_the_citizens_it_names(admin_client, admin_user, citizen, fredericia):
    other = make_citizen(fredericia, first_name="Ole", last_name="Olsen")
    make_citizen(fredericia, first_name="Ikke", last_name="Valgt")
    response = admin_client.post(
        reverse("admin:citizens_citizen_changelist"),
        {"action": "delete_selected", "_selected_action": [citizen.pk, other.pk]},
    )
    assert response.status_code == 200 and "Ole Olsen" in response.content.decode()
    row = one_more_row(0)
    assert (row.user, row.action, row.model, row.purpose) == (
        admin_user, AccessLog.Action.LIST, "citizens.Citizen", "administration"
    )
    assert sorted(row.citizen_ids()) == sorted([citizen.pk, other.pk])


def test_the_admins_delete_confirmed_redirects_and_logs_no_page(admin_client, citizen):
    response = admin_client.post(
        reverse("admin:citizens_citizen_changelist"),
        {"action": "delete_selected", "_selected_action": [citizen.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not Citizen.objects.exists()
    assert not AccessLog.objects.exists()


def test_the_admins_placement_delete_confirmation_logs_the_placements_citizen(admin_client, placement):
    response = admin_client.post(
        reverse("admin:placements_placement_changelist"),
        {"action": "delete_selected", "_selected_action": [placement.pk]},
    )
    assert response.status_code == 200
    row = one_more_row(0)
    assert (row.action, row.model, row.citizen_ids()) == (
        AccessLog.Action.LIST, "placements.Placement", [placement.citizen_id]
    )


def test_the_admins_citizen_form_sent_back_with_an_error_logs_the_citizen(admin_client, citizen):
    response = admin_client.post(reverse("admin:citizens_citizen_change", args=[citizen.pk]), {"first_name": ""})
    assert response.status_code == 200 and response.context["adminform"].form.errors
    row = one_more_row(0)
    assert (row.action, row.object_id, row.citizen_id, row.purpose) == (
        AccessLog.Action.VIEW, citizen.pk, citizen.pk, "administration"
    )


def test_the_admins_delete_page_of_one_citizen_logs_it_once_and_the_deletion_no_page(admin_client, citizen):
    url = reverse("admin:citizens_citizen_delete", args=[citizen.pk])
    assert admin_client.get(url).status_code == 200
    assert one_more_row(0).citizen_id == citizen.pk
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert AccessLog.objects.count() == 1
