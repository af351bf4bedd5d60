"""Logging in and landing on each role's own start page."""

import pytest
from django.urls import reverse

from tests.factories import make_user


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=/"


@pytest.mark.parametrize(
    "user_fixture, start_page",
    [
        ("consultant", "/tasks/"),
        ("manager", "/dashboard/"),
        ("leader", "/employers/mine/"),
        ("admin_user", "/dashboard/"),
    ],
)
def test_it_sends_each_role_to_its_start_page(request, login, user_fixture, start_page):
    client = login(request.getfixturevalue(user_fixture))
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == start_page
    assert client.get(response.url).status_code == 200


def test_it_sends_a_user_without_membership_to_the_no_role_page(login, db):
    client = login(make_user("ny-bruger"))
    response = client.get("/", follow=True)
    assert response.redirect_chain == [(reverse("accounts:no_role"), 302)]
    assert "Ingen adgang endnu" in response.content.decode()


def test_it_keeps_a_user_without_membership_out_of_citizens(login, db):
    client = login(make_user("ny-bruger"))
    assert client.get(reverse("citizens:list")).status_code == 403


def test_it_shows_the_login_page_in_danish(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Log ind" in response.content.decode()


def test_it_logs_a_consultant_in_and_lands_on_the_worklist(client, consultant):
    response = client.post(
        reverse("accounts:login"), {"username": "konsulent", "password": "pw-for-tests-123"}, follow=True
    )
    assert response.redirect_chain[-1] == (reverse("worklist:mine"), 302)
    assert response.wsgi_request.user == consultant
    assert "<h1>Mine opgaver</h1>" in response.content.decode()


def test_it_rejects_a_wrong_password_with_a_danish_message(client, consultant):
    response = client.post(reverse("accounts:login"), {"username": "konsulent", "password": "forkert"})
    assert response.status_code == 200
    assert "Brugernavn eller adgangskode er forkert" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_returns_to_the_requested_page_after_login(client, consultant, citizen):
    detail = reverse("citizens:detail", args=[citizen.pk])
    login_page = client.get(detail, follow=True)
    assert f'value="{detail}"' in login_page.content.decode()
    response = client.post(
        reverse("accounts:login"), {"username": "konsulent", "password": "pw-for-tests-123", "next": detail}
    )
    assert response.url == detail


def test_it_logs_out_by_post(login, consultant):
    client = login(consultant)
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("accounts:login")
    assert client.get("/").url.startswith(reverse("accounts:login"))
