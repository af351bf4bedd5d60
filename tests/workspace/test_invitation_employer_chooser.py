"""The invitation form's employer (a leader's company) is chosen by searching (core.choosers):
the members page names no employer of the municipality's thousands; the search
(workspace:employer_choose) answers those who invite, managers included, with the task force's
municipality's employers only; the search without JavaScript shows the page again and sends
nothing; an employer of another municipality, sent by hand, is refused in Danish."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from employers.choosers import NOT_OURS
from tests.factories import make_employer
from tests.html import form_values
from workspace.models import Invitation

HX = {"HX-Request": "true"}


def members_url(task_force):
    return f"/taskforce/{task_force.pk}/members/"


def choose_url(task_force):
    return f"/taskforce/{task_force.pk}/members/employers/"


def invite_data(**overrides):
    data = {"first_name": "Kirsten", "last_name": "Kokholm", "email": "kirsten@cafe.dk", "kind": "leader", "employer": ""}
    data.update(overrides)
    return data


@pytest.fixture
def fifty(fredericia):
    return [make_employer(fredericia, name=f"Virksomhed nr. {n:02d}") for n in range(50)]


def named(html, employers):
    return [e.name for e in employers if e.name in html]


def test_the_members_page_names_no_employer_and_searches_at_the_task_forces_url(login, consultant, task_force, fifty):
    html = login(consultant).get(members_url(task_force)).content.decode()
    assert named(html, fifty) == []
    search = html.split('name="employer__q"', 1)[1].split(">", 1)[0]
    assert f'hx-get="{choose_url(task_force)}?field=employer&amp;id=id_employer&amp;optional=1"' in search


def test_the_members_pages_queries_do_not_grow_with_the_employers(login, consultant, task_force, fredericia):
    client = login(consultant)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(members_url(task_force)).status_code == 200
        return len(queries)

    for n in range(5):
        make_employer(fredericia, name=f"Firma {n}")
    few = count()
    for n in range(5, 50):
        make_employer(fredericia, name=f"Firma {n}")
    assert count() == few


@pytest.mark.parametrize("user", ["consultant", "manager", "admin_user"])
def test_those_who_invite_search_the_municipalitys_employers(login, request, task_force, fifty, other_employer, user):
    response = login(request.getfixturevalue(user)).get(
        choose_url(task_force), {"field": "employer", "optional": "1", "employer__q": "nr. 3"}, headers=HX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert named(html, fifty) == [e.name for e in fifty if "3" in e.name]
    assert "Odense" not in html and "<html" not in html
    assert 'name="employer" value=""' in html  # "Ingen": the employer is optional


def test_a_search_finds_no_employer_of_another_municipality(login, consultant, task_force, other_employer):
    html = login(consultant).get(choose_url(task_force), {"field": "employer", "q": "værft"}, headers=HX).content.decode()
    assert "Odense Værft" not in html and "Ingen resultater" in html


def test_a_leader_may_not_search(login, leader_member, task_force):
    response = login(leader_member.user).get(choose_url(task_force), {"field": "employer", "q": "byg"})
    assert response.status_code == 403


def test_another_municipalitys_consultant_gets_404(login, outsider, task_force):
    assert login(outsider).get(choose_url(task_force), {"field": "employer", "q": "byg"}).status_code == 404


def test_the_searchs_queries_do_not_grow_with_the_employers(login, consultant, task_force, fredericia):
    client = login(consultant)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(choose_url(task_force), {"field": "employer", "q": "firma"}, headers=HX)
        return len(queries)

    for n in range(5):
        make_employer(fredericia, name=f"Firma {n}")
    few = count()
    for n in range(5, 50):
        make_employer(fredericia, name=f"Firma {n}")
    assert count() == few


def test_a_search_without_javascript_shows_the_page_again_and_invites_no_one(
    login, consultant, task_force, fifty, mailoutbox
):
    response = login(consultant).post(members_url(task_force), invite_data(employer__q="nr. 07", employer__search="1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert named(html, fifty) == [fifty[7].name]
    assert 'value="Kirsten"' in html and "form-error" not in html
    assert not Invitation.objects.exists() and mailoutbox == []


def test_an_employer_found_and_chosen_is_invited_for(login, consultant, task_force, fifty, django_capture_on_commit_callbacks):
    client = login(consultant)
    html = client.post(members_url(task_force), invite_data(employer__q="nr. 07", employer__search="1")).content.decode()
    data = {**form_values(html), "employer": str(fifty[7].pk)}
    data.pop("employer__search", None)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(members_url(task_force), data).status_code == 302
    assert Invitation.objects.get().employer == fifty[7]


def test_another_municipalitys_employer_sent_by_hand_is_refused_in_danish(login, consultant, task_force, other_employer):
    response = login(consultant).post(members_url(task_force), invite_data(employer=other_employer.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["employer"] == [NOT_OURS]
    assert "Odense Værft" not in response.content.decode()
    assert not Invitation.objects.exists()
