"""The employer's page: its details, contact persons, openings and placements."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AccessLog
from employers.models import JobTask, Opening
from placements.models import Placement
from tests.factories import make_citizen, make_placement


@pytest.fixture
def opening(employer):
    return Opening.objects.create(
        employer=employer, title="Pedelmedhjælper", tasks="Pedelopgaver", hours_min=4, hours_max=8, positions=2
    )


def test_it_shows_the_employer_with_contacts_openings_and_placements(
    login, consultant, employer, opening, citizen
):
    employer.contacts.create(name="Bo Byg", title="Direktør", email="bo@byg.dk")
    make_placement(citizen, employer, opening=opening, hours_per_week=6, start_date=date(2026, 3, 2))
    response = login(consultant).get(f"/employers/{employer.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lillebælt Byg ApS" in html and employer.cvr in html
    assert "Bo Byg" in html and "bo@byg.dk" in html
    assert "Pedelmedhjælper" in html
    assert "Bente Sørensen" in html
    assert "Mini-fleksjob" in html
    assert [o.filled for o in response.context["openings"]] == [1]


def test_it_shows_empty_sections(login, consultant, employer):
    html = login(consultant).get(f"/employers/{employer.pk}/").content.decode()
    assert "Ingen kontaktpersoner endnu." in html
    assert "Ingen stillingsopslag endnu." in html
    assert "Ingen ansættelser hos virksomheden endnu." in html


def test_it_shows_the_page_in_a_constant_number_of_queries(login, consultant, fredericia, employer, opening):
    client = login(consultant)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/employers/{employer.pk}/").status_code == 200
        return len(captured)

    make_placement(make_citizen(fredericia), employer, opening=opening)
    with_one = queries()
    for _ in range(5):
        make_placement(make_citizen(fredericia), employer, opening=opening, kind=Placement.Kind.INTERNSHIP)
        employer.contacts.create(name="Kontakt")
    assert queries() == with_one


def test_it_gives_404_for_another_municipalitys_employer(login, outsider, employer):
    assert login(outsider).get(f"/employers/{employer.pk}/").status_code == 404


def test_it_gives_404_for_an_unknown_employer(login, consultant, db):
    assert login(consultant).get("/employers/999999/").status_code == 404


@pytest.mark.parametrize("user", ["leader", "manager"])
def test_it_refuses_the_page_to_other_roles(login, request, employer, user):
    assert login(request.getfixturevalue(user)).get(f"/employers/{employer.pk}/").status_code == 403


def test_it_refuses_the_page_to_a_leader_of_the_company(login, leader, employer):
    employer.leaders.add(leader)
    assert login(leader).get(f"/employers/{employer.pk}/").status_code == 403


def test_it_shows_the_tasks_ticked_from_the_catalogue(login, consultant, employer, opening):
    opening.catalogue_tasks.set(JobTask.objects.filter(name__in=["Let køkkenarbejde", "Vasketøj"]))
    html = login(consultant).get(f"/employers/{employer.pk}/").content.decode()
    assert "Let køkkenarbejde" in html and "Vasketøj" in html and "Pedelopgaver" in html
    assert "Let rengøring" not in html


def test_it_shows_the_ticked_tasks_in_a_constant_number_of_queries(login, consultant, employer, opening):
    client = login(consultant)
    tasks = list(JobTask.objects.all())

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/employers/{employer.pk}/").status_code == 200
        return len(captured)

    opening.catalogue_tasks.set(tasks[:1])
    with_one = queries()
    for i in range(4):
        more = Opening.objects.create(employer=employer, title=f"Stilling {i}", hours_min=4, hours_max=8)
        more.catalogue_tasks.set(tasks[: i + 2])
    assert queries() == with_one


def test_it_logs_that_the_page_named_the_citizens_placed_there(login, consultant, employer, citizen):
    make_placement(citizen, employer)
    login(consultant).get(f"/employers/{employer.pk}/")
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.model, log.object_id, log.municipality, log.purpose) == (
        consultant,
        AccessLog.Action.VIEW,
        "employers.Employer",
        employer.pk,
        employer.municipality,
        "virksomhedens ansættelser",
    )
