"""Who may open a citizen's record: consultants of its municipality, and the admin.

Every citizen URL is tried with every kind of user: an outsider (consultant of another
municipality) gets 404, a leader or manager 403, an anonymous visitor the login page.
"""

import pytest
from django.urls import reverse

from accounts.models import Membership, Role
from audit.models import AccessLog
from citizens.access import citizens_for_user, get_citizen_for_user
from citizens.models import CaseNote, Citizen
from tests.factories import make_citizen, make_user

# (method, url name, POST data) for every URL that takes a citizen's id.
CITIZEN_URLS = [
    ("get", "citizens:detail", None),
    ("get", "citizens:edit", None),
    ("post", "citizens:edit", {"first_name": "Ændret", "last_name": "Navn", "status": "registered"}),
    ("post", "citizens:reveal_cpr", {}),
    ("post", "citizens:add_note", {"text": "Et notat"}),
]
# URLs without an id: the role still decides.
LIST_URLS = [
    ("get", "citizens:list", None),
    ("post", "citizens:list", {"q": "Bente"}),
    ("get", "citizens:create", None),
    ("post", "citizens:create", {"first_name": "Ny"}),
]


def _request(client, method, url, data):
    return getattr(client, method)(url, data or {})


@pytest.mark.parametrize("method, name, data", CITIZEN_URLS)
def test_it_gives_an_outsider_404_on_every_citizen_url(login, outsider, citizen, method, name, data):
    response = _request(login(outsider), method, reverse(name, args=[citizen.pk]), data)
    assert response.status_code == 404
    citizen.refresh_from_db()
    assert citizen.first_name == "Bente"
    assert not CaseNote.objects.exists()
    assert not AccessLog.objects.filter(object_id=citizen.pk).exists()


@pytest.mark.parametrize("method, name, data", CITIZEN_URLS)
def test_it_gives_404_for_an_unknown_citizen(login, consultant, method, name, data):
    assert _request(login(consultant), method, reverse(name, args=[999999]), data).status_code == 404


@pytest.mark.parametrize("user_fixture", ["leader", "manager"])
@pytest.mark.parametrize("method, name, data", CITIZEN_URLS)
def test_it_gives_leaders_and_managers_403_on_every_citizen_url(
    request, login, citizen, user_fixture, method, name, data
):
    client = login(request.getfixturevalue(user_fixture))
    assert _request(client, method, reverse(name, args=[citizen.pk]), data).status_code == 403
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("user_fixture", ["leader", "manager"])
@pytest.mark.parametrize("method, name, data", LIST_URLS)
def test_it_gives_leaders_and_managers_403_on_the_list_and_create_pages(
    request, login, citizen, user_fixture, method, name, data
):
    client = login(request.getfixturevalue(user_fixture))
    assert _request(client, method, reverse(name), data).status_code == 403
    assert Citizen.objects.count() == 1


@pytest.mark.parametrize("method, name, data", CITIZEN_URLS)
def test_it_sends_an_anonymous_visitor_to_login_from_every_citizen_url(client, citizen, method, name, data):
    url = reverse(name, args=[citizen.pk])
    response = _request(client, method, url, data)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("method, name, data", LIST_URLS)
def test_it_sends_an_anonymous_visitor_to_login_from_the_list_and_create_pages(client, db, method, name, data):
    response = _request(client, method, reverse(name), data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_shows_a_consultant_any_citizen_of_their_municipality(login, fredericia, citizen):
    colleague = make_user("kollega", fredericia, Role.CONSULTANT)
    response = login(colleague).get(reverse("citizens:detail", args=[citizen.pk]))
    assert response.status_code == 200
    assert "Bente Sørensen" in response.content.decode()


def test_it_shows_the_admin_citizens_of_every_municipality(login, admin_user, citizen, other_citizen):
    client = login(admin_user)
    for c in (citizen, other_citizen):
        assert client.get(reverse("citizens:detail", args=[c.pk])).status_code == 200
    response = client.post(reverse("citizens:list"), {"consultant": ""})
    assert set(response.context["page"].object_list) == {citizen, other_citizen}


def test_it_scopes_a_user_by_the_role_held_in_each_municipality(login, fredericia, odense, citizen, other_citizen):
    # A leader in Fredericia who is a consultant in Odense works only on Odense's citizens.
    user = make_user("to-kommuner", fredericia, Role.LEADER)
    Membership.objects.create(user=user, municipality=odense, role=Role.CONSULTANT)
    client = login(user)
    assert client.get(reverse("citizens:detail", args=[citizen.pk])).status_code == 404
    assert client.get(reverse("citizens:detail", args=[other_citizen.pk])).status_code == 200
    response = client.post(reverse("citizens:list"), {"consultant": ""})
    assert list(response.context["page"].object_list) == [other_citizen]


def test_it_lists_only_the_citizens_of_the_users_municipalities(consultant, outsider, citizen, other_citizen):
    assert list(citizens_for_user(consultant)) == [citizen]
    assert list(citizens_for_user(outsider)) == [other_citizen]


def test_it_lists_no_citizens_for_leaders_and_managers(leader, manager, citizen):
    assert not citizens_for_user(leader).exists()
    assert not citizens_for_user(manager).exists()


def test_it_loads_a_citizen_for_a_consultant_of_its_municipality(consultant, citizen):
    assert get_citizen_for_user(consultant, citizen.pk) == citizen


def test_it_raises_404_when_loading_another_municipalitys_citizen(outsider, citizen):
    from django.http import Http404

    with pytest.raises(Http404):
        get_citizen_for_user(outsider, citizen.pk)


def test_it_loads_the_citizen_with_municipality_and_consultant_in_one_query(
    consultant, citizen, django_assert_num_queries
):
    loaded = get_citizen_for_user(consultant, citizen.pk)
    with django_assert_num_queries(0):
        assert loaded.municipality.code == 607
        assert loaded.consultant.username == "konsulent"


def test_it_keeps_an_outsiders_list_free_of_other_municipalities(login, outsider, citizen, fredericia):
    make_citizen(fredericia, consultant=None, first_name="Fie")
    response = login(outsider).post(reverse("citizens:list"), {"consultant": ""})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert "Bente" not in response.content.decode()
