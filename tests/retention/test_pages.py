"""The pages still work for an anonymised citizen: the citizen's page and list, the placement,
the employer, the admin, the access report, and a candidate link no longer leads to them."""

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AccessLog
from placements.models import Placement
from retention.services import citizens_anonymise_expired
from tests.factories import make_citizen, make_placement
from workspace.access import candidate_token

from .conftest import AS_OF


@pytest.fixture
def anonymised(fredericia, employer, consultant):
    citizen = make_citizen(
        fredericia, consultant=consultant, first_name="Birthe", last_name="Hemmeligsen",
        consent_to_share_profile=True, status="ended", case_closed_on=date(2019, 1, 1),
    )
    make_placement(citizen, employer, start_date=date(2018, 1, 1), end_date=date(2019, 1, 1))
    assert citizens_anonymise_expired(as_of=AS_OF) == 1
    citizen.refresh_from_db()
    return citizen


def assert_shown_without_the_name(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hemmeligsen" not in html and "Birthe" not in html
    return html


def test_the_citizens_page_and_list_show_the_placeholder(login, consultant, anonymised):
    client = login(consultant)
    html = assert_shown_without_the_name(client.get(reverse("citizens:detail", args=[anonymised.pk])))
    assert "Anonymiseret borger" in html
    assert "Anonymiseret" in assert_shown_without_the_name(client.get(reverse("citizens:list")))
    assert_shown_without_the_name(client.get(reverse("citizens:list"), {"q": "Anonymiseret"}))


def test_the_placement_and_employer_pages_still_work(login, consultant, anonymised, employer):
    client = login(consultant)
    placement = Placement.objects.get(citizen=anonymised)
    assert_shown_without_the_name(client.get(reverse("placements:detail", args=[placement.pk])))
    assert_shown_without_the_name(client.get(reverse("employers:detail", args=[employer.pk])))


def test_the_admin_shows_the_anonymised_citizen(client, admin_user, anonymised):
    client.force_login(admin_user)
    assert_shown_without_the_name(client.get(reverse("admin:citizens_citizen_changelist")))
    assert_shown_without_the_name(client.get(reverse("admin:citizens_citizen_change", args=[anonymised.pk])))
    assert_shown_without_the_name(client.get(reverse("admin:citizens_citizen_history", args=[anonymised.pk])))


def test_the_access_report_lists_the_anonymisation(client, admin_user, anonymised):
    client.force_login(admin_user)
    html = assert_shown_without_the_name(client.get(reverse("audit:report", args=[anonymised.pk])))
    assert "Anonymisering" in html


def test_a_candidate_link_leads_nowhere(login, leader_member, anonymised):
    url = reverse("workspace:candidate", args=[leader_member.task_force.pk, candidate_token(anonymised)])
    assert login(leader_member.user).get(url).status_code == 404


def test_the_cpr_number_cannot_be_revealed(login, consultant, anonymised):
    """There is none left: the reveal says so politely, logs no reveal, and fails nothing."""
    response = login(consultant).post(
        reverse("citizens:reveal_cpr", args=[anonymised.pk]), {"purpose": "sagsbehandling"}
    )
    assert response.status_code in (200, 400)
    assert "anonymiseret" in response.content.decode().lower()
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEAL_CPR, citizen_id=anonymised.pk).exists()
