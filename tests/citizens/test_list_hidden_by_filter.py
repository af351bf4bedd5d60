"""The citizen list says how many citizens its consultant filter hides ("Mine borgere", where a
consultant starts), with a button that shows them all: imported citizens without a consultant
must not seem to vanish. One COUNT more, and only while such a filter is on."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from tests.factories import make_citizen, make_user

LIST = reverse("citizens:list")


def shown(response):
    return set(int(pk) for pk in re.findall(r'href="/citizens/(\d+)/"', response.content.decode()))


def count_line(response):
    html = response.content.decode()
    paragraph = re.search(r'<p class="mt-5" id="result-count">(.*?)</p>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", paragraph).split())


@pytest.fixture
def colleague(fredericia):
    return make_user("kollega", fredericia, Role.CONSULTANT, first_name="Carl", last_name="Kollega")


@pytest.fixture
def citizens(fredericia, odense, consultant, colleague, outsider):
    """Two on the consultant's caseload, one on a colleague's, three imported without a
    consultant, and one of another municipality (never counted)."""
    return {
        "mine": [make_citizen(fredericia, consultant=consultant, first_name=name) for name in ("Bente", "Jens")],
        "colleague": [make_citizen(fredericia, consultant=colleague, first_name="Lise")],
        "imported": [make_citizen(fredericia, first_name=f"Importeret{n}") for n in range(3)],
        "odense": [make_citizen(odense, consultant=outsider, first_name="Ole")],
    }


def test_it_says_how_many_citizens_mine_hides_and_offers_to_show_them_all(login, consultant, citizens):
    response = login(consultant).get(LIST)
    assert shown(response) == {c.pk for c in citizens["mine"]}
    assert count_line(response) == "Viser 2 af dine borgere. 4 andre borgere er skjult af filteret «Mine borgere». Vis alle"
    button = re.search(r'<button[^>]*id="show-all"[^>]*>', response.content.decode()).group(0)
    assert 'type="submit"' in button and 'name="show_all"' in button
    # htmx swaps the whole form, so the consultant filter shows "Alle" with the citizens.
    assert 'hx-target="#citizen-search"' in button and 'hx-select="#citizen-search"' in button


def test_show_all_shows_every_consultants_citizens_and_sets_the_filter_to_all(login, consultant, citizens):
    response = login(consultant).post(LIST, {"consultant": "mine", "show_all": "1", "page": "2"})
    fredericia = citizens["mine"] + citizens["colleague"] + citizens["imported"]
    assert shown(response) == {c.pk for c in fredericia}
    assert response.context["form"]["consultant"].value() == ""
    assert count_line(response) == "6 borgere"
    assert 'id="show-all"' not in response.content.decode()


def test_show_all_keeps_the_search(login, consultant, citizens):
    client = login(consultant)
    mine = client.post(LIST, {"q": "Importeret", "consultant": "mine"})
    assert shown(mine) == set()
    assert count_line(mine) == "Viser 0 af dine borgere. 3 andre borgere er skjult af filteret «Mine borgere». Vis alle"
    everyone = client.post(LIST, {"q": "Importeret", "consultant": "mine", "show_all": "1"})
    assert shown(everyone) == {c.pk for c in citizens["imported"]}


def test_it_counts_what_a_colleagues_filter_hides(login, consultant, colleague, citizens):
    response = login(consultant).post(LIST, {"consultant": str(colleague.pk)})
    assert shown(response) == {citizens["colleague"][0].pk}
    assert count_line(response) == (
        "1 borger med Carl Kollega som konsulent. 5 andre borgere er skjult af filteret «Carl Kollega». Vis alle"
    )


def test_it_says_nothing_is_hidden_when_the_filter_hides_nothing(login, consultant, fredericia):
    make_citizen(fredericia, consultant=consultant)
    client = login(consultant)
    assert count_line(client.get(LIST)) == "Viser 1 af dine borgere."
    assert count_line(client.post(LIST, {"consultant": ""})) == "1 borger"


def test_the_htmx_show_all_gets_the_whole_form_and_a_search_gets_the_results(login, consultant, citizens):
    client = login(consultant)
    whole = client.post(
        LIST, {"consultant": "mine", "show_all": "1"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="citizen-search"
    ).content.decode()
    assert 'id="citizen-search"' in whole
    selected = re.search(r'<select[^>]*name="consultant".*?</select>', whole, re.S).group(0)
    assert re.search(r'<option value=""[^>]*selected', selected)
    results = client.post(LIST, {"consultant": "mine"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    html = results.content.decode().strip()
    assert html.startswith('<div id="results"') and "4 andre borgere er skjult" in html


def _queries(client, data):
    with CaptureQueriesContext(connection) as context:
        assert client.post(LIST, data).status_code == 200
    return len(context.captured_queries)


def test_it_counts_the_hidden_citizens_in_one_count_however_many_there_are(login, consultant, colleague, fredericia):
    client = login(consultant)
    make_citizen(fredericia, consultant=consultant)
    make_citizen(fredericia)
    everyone, mine = _queries(client, {"consultant": ""}), _queries(client, {"consultant": "mine"})
    assert mine == everyone + 1
    for n in range(30):
        make_citizen(fredericia, consultant=consultant if n % 3 == 0 else (colleague if n % 3 == 1 else None))
    assert (_queries(client, {"consultant": ""}), _queries(client, {"consultant": "mine"})) == (everyone, mine)
