"""A business leader's start page: their own company and its openings, never a citizen."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from employers.models import JobTask, Opening
from tests.factories import make_employer, make_placement


@pytest.fixture
def company(employer, leader):
    employer.leaders.add(leader)
    Opening.objects.create(employer=employer, title="Pedelmedhjælper", hours_min=4, hours_max=8, positions=2)
    return employer


def test_it_shows_the_leaders_company_and_its_openings(login, leader, company):
    response = login(leader).get("/employers/mine/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lillebælt Byg ApS" in html
    assert "Pedelmedhjælper" in html
    assert list(response.context["employers"]) == [company]


def test_it_shows_no_other_company(login, leader, company, fredericia, other_employer):
    other = make_employer(fredericia, name="Konkurrent A/S")
    Opening.objects.create(employer=other, title="Hemmelig stilling", hours_min=4, hours_max=8)
    html = login(leader).get("/employers/mine/").content.decode()
    assert "Konkurrent A/S" not in html and "Hemmelig stilling" not in html
    assert "Odense Værft" not in html


def test_it_shows_no_citizen_names(login, leader, company, citizen):
    make_placement(citizen, company, opening=company.openings.get())
    html = login(leader).get("/employers/mine/").content.decode()
    assert "Bente" not in html and "Sørensen" not in html
    assert citizen.cpr_masked not in html
    assert "/placements/" not in html and "/citizens/" not in html


def test_it_tells_a_leader_without_a_company_to_contact_the_jobcenter(login, leader, employer):
    html = login(leader).get("/employers/mine/").content.decode()
    assert "ikke knyttet til en virksomhed" in html
    assert "Lillebælt Byg ApS" not in html


def test_it_shows_the_page_in_a_constant_number_of_queries(login, leader, company, fredericia):
    client = login(leader)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/employers/mine/").status_code == 200
        return len(captured)

    before = queries()
    second = make_employer(fredericia, name="Anden ApS")
    second.leaders.add(leader)
    for i in range(3):
        Opening.objects.create(employer=second, title=f"Stilling {i}", hours_min=4, hours_max=8)
    assert queries() == before


@pytest.mark.parametrize("user", ["consultant", "manager"])
def test_it_refuses_the_page_to_other_roles(login, request, user):
    assert login(request.getfixturevalue(user)).get("/employers/mine/").status_code == 403


def test_it_is_the_leaders_start_page(login, leader, company):
    response = login(leader).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/employers/mine/"


def test_it_shows_the_ticked_tasks_in_a_constant_number_of_queries(login, leader, company, fredericia):
    tasks = list(JobTask.objects.filter(name__in=["Let køkkenarbejde", "Vasketøj"]))
    company.openings.get().catalogue_tasks.set(tasks[:1])
    client = login(leader)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/employers/mine/").content.decode()
        return len(captured), html

    before, html = queries()
    assert tasks[0].name in html
    second = make_employer(fredericia, name="Anden ApS")
    second.leaders.add(leader)
    for i in range(3):
        Opening.objects.create(employer=second, title=f"Stilling {i}", hours_min=4, hours_max=8).catalogue_tasks.set(tasks)
    after, html = queries()
    assert after == before
    assert tasks[1].name in html
