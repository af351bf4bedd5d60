"""Every error a person can meet is a page in the site's layout and language that says what to
do next: a wrong role (a leader following a link to the citizens), an unknown page, a bad
request, a form's address opened as a page, a stale form, a failure of ours, and the same
errors met by an htmx request, where the browser would otherwise show nothing at all."""

import copy
import re

import pytest
from django.test import Client
from django.urls import path
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from taskforce import urls as site_urls

ROBOTS_META = '<meta name="robots" content="noindex, nofollow">'


def boom(request):
    raise RuntimeError("a bug of ours")


# This module is also a URLconf (pytest.mark.urls): the site's URLs and 500 handler, plus a
# view that fails, to see the whole way from an exception to the page.
urlpatterns = [path("boom/", boom), *site_urls.urlpatterns]
handler500 = site_urls.handler500


def in_site_layout(html, lang="da"):
    """The site's own page: its header, the language, and the robots meta tag."""
    return 'class="header"' in html and f'lang="{lang}"' in html and ROBOTS_META in html


def main_menu(html):
    found = re.search(r'<ul class="mainmenu">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


# --- A leader following a link outside their role ---------------------------------------------

def test_a_leader_following_a_link_to_the_citizens_gets_a_danish_page_with_the_menu_and_the_way_back(login, leader):
    response = login(leader).get("/citizens/", HTTP_REFERER="http://testserver/employers/mine/")
    assert response.status_code == 403
    html = response.content.decode()
    assert in_site_layout(html)
    assert "Du har ikke adgang til denne side" in html
    assert "Min virksomhed" in main_menu(html)  # the leader's own menu
    assert '<a href="/employers/mine/">Gå tilbage til siden, du kom fra</a>' in html
    assert '<a href="/">Gå til din forside</a>' in html


def test_the_way_back_never_leads_off_the_site(login, leader):
    html = login(leader).get("/citizens/", HTTP_REFERER="https://evil.example/phish").content.decode()
    assert "Gå tilbage til siden, du kom fra" not in html and "evil.example" not in html


def test_an_unknown_page_offers_the_login_to_one_not_logged_in(client, db):
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert in_site_layout(html) and "Siden findes ikke" in html
    assert '<a href="/accounts/login/">Log ind</a>' in html
    assert main_menu(html) == ""


def test_an_unknown_page_keeps_the_menu_of_one_logged_in(login, consultant):
    html = login(consultant).get("/citizens/999999/").content.decode()
    assert in_site_layout(html) and "Borgere" in main_menu(html)
    assert '<a href="/">Gå til din forside</a>' in html


def test_a_bad_request_is_a_page_with_the_way_on(client, db):
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert in_site_layout(html) and "Siden kunne ikke forstå forespørgslen" in html
    assert "Log ind" in html


def test_a_forms_address_opened_as_a_page_says_so_in_the_sites_layout(login, leader):
    # E.g. after logging in again, "next" names the address a form was sent to.
    response = login(leader).get("/accounts/logout/")
    assert response.status_code == 405
    assert response["Allow"].split(", ")[0] == "POST"
    html = response.content.decode()
    assert in_site_layout(html) and "Siden kan ikke åbnes direkte" in html
    assert "Min virksomhed" in main_menu(html)
    assert '<a href="/">Gå til din forside</a>' in html


def test_a_stale_form_is_a_page_with_the_menu(consultant, db):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(consultant)
    response = strict.post("/citizens/new/", {"first_name": "X"}, HTTP_REFERER="http://testserver/citizens/new/")
    assert response.status_code == 403
    html = response.content.decode()
    assert in_site_layout(html) and "Formularen er udløbet" in html
    assert "Borgere" in main_menu(html)
    assert "Karin Holm" in html  # the header knows who is logged in
    assert '<a href="/citizens/new/">Gå tilbage til siden, du kom fra</a>' in html


def test_a_stale_form_page_is_in_english_for_one_who_chose_english(consultant, db):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(consultant)
    strict.cookies["django_language"] = "en"
    html = strict.post("/citizens/new/", {"first_name": "X"}).content.decode()
    assert in_site_layout(html, lang="en") and "Formularen er udløbet" not in html


# --- Our own failure -------------------------------------------------------------------------

def broken_context_processor(request):
    raise RuntimeError("the database is gone")


@pytest.fixture
def broken_context(settings):
    """Every context processor after the first fails, as with the database down."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].append(__name__ + ".broken_context_processor")
    settings.TEMPLATES = templates


def user_from_a_broken_database():
    raise RuntimeError("the database is gone")


def test_a_500_is_the_sites_page_without_a_query_even_when_the_context_processors_fail(rf, broken_context):
    from taskforce.views import server_error

    # No database for this test: a query would raise, as would the context processors.
    request = rf.get("/citizens/", HTTP_REFERER="http://testserver/worklist/")
    request.user = SimpleLazyObject(user_from_a_broken_database)
    response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert in_site_layout(html) and "Der skete en fejl hos os" in html
    assert '<a href="/worklist/">Gå tilbage til siden, du kom fra</a>' in html
    assert '<a href="/">Gå til din forside</a>' in html


def test_a_500_is_in_the_language_the_request_chose(rf):
    from taskforce.views import server_error

    request = rf.get("/citizens/")
    with translation.override("en"):
        html = server_error(request).content.decode()
    assert in_site_layout(html, lang="en") and "Der skete en fejl hos os" not in html


@pytest.mark.urls(__name__)
def test_a_view_that_fails_gives_the_500_page_in_the_sites_layout(consultant, db):
    client = Client(raise_request_exception=False)
    client.force_login(consultant)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert in_site_layout(html) and "Der skete en fejl hos os" in html


def test_the_last_resort_500_page_is_still_in_the_language_and_tells_search_engines_to_stay_out(rf, monkeypatch):
    from taskforce import views

    def broken(*args, **kwargs):
        raise RuntimeError("template failure")

    monkeypatch.setattr(views.loader, "render_to_string", broken)
    with translation.override("en"):
        response = views.server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500 and 'lang="en"' in html and ROBOTS_META in html
    assert "Der skete en fejl" not in html


def test_the_handlers_are_ours():
    from taskforce import urls

    assert urls.handler400 == "taskforce.views.bad_request"
    assert urls.handler403 == "taskforce.views.permission_denied"
    assert urls.handler404 == "taskforce.views.page_not_found"


# --- Errors met by htmx ----------------------------------------------------------------------

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/citizens/?status=registered"}


def test_an_htmx_request_to_a_forbidden_address_opens_it_as_a_page(login, leader):
    response = login(leader).get("/citizens/?q=Bente", headers=HTMX)
    assert response.status_code == 403
    assert response["HX-Redirect"] == "/citizens/?q=Bente"


def test_an_htmx_action_that_is_refused_reloads_the_page_with_a_message(login, leader, citizen):
    client = login(leader)
    response = client.post(f"/citizens/{citizen.pk}/notes/", {"text": "Notat"}, headers=HTMX)
    assert response.status_code == 403
    assert response["HX-Refresh"] == "true"
    assert not citizen.notes.exists()
    html = client.get("/employers/mine/").content.decode()
    assert "Du har ikke adgang til at gøre dette. Intet er gemt." in html


def test_an_htmx_action_from_a_stale_page_reloads_it_with_a_message(consultant, citizen):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(consultant)
    response = strict.post(f"/citizens/{citizen.pk}/notes/", {"text": "Notat"}, headers=HTMX)
    assert response["HX-Refresh"] == "true"
    assert not citizen.notes.exists()
    html = strict.get(f"/citizens/{citizen.pk}/").content.decode()
    assert "Siden havde været åben for længe" in html and "Intet er gemt" in html


def test_an_htmx_request_after_the_session_ended_takes_the_whole_page_to_the_login(client, db):
    response = client.post("/citizens/", {"q": "Bente"}, headers=HTMX)
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fcitizens%2F%3Fstatus%3Dregistered"
    assert "Location" not in response


def test_an_htmx_fragment_that_succeeds_is_left_alone(login, consultant, citizen):
    response = login(consultant).get("/citizens/?q=Bente", headers=HTMX)
    assert response.status_code == 200
    assert "HX-Redirect" not in response and "HX-Refresh" not in response
    assert "Bente" in response.content.decode()
