"""The consultant's caseload: search by POST, filters, pagination and the htmx fragment."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AccessLog
from citizens.models import Citizen
from tests.factories import make_citizen, make_user

LIST = reverse("citizens:list")


def shown(response):
    """The citizens on the page, by the links to their records."""
    return set(int(pk) for pk in re.findall(r'href="/citizens/(\d+)/"', response.content.decode()))


@pytest.fixture
def colleague(fredericia):
    return make_user("kollega", fredericia, Role.CONSULTANT, first_name="Carl", last_name="Kollega")


@pytest.fixture
def caseload(fredericia, consultant, colleague):
    """Three citizens: two on the consultant's caseload, one on a colleague's."""
    today = timezone.localdate()
    return {
        "bente": make_citizen(
            fredericia, consultant=consultant, first_name="Bente", last_name="Sørensen",
            unemployed_since=today - timedelta(days=800), status=Citizen.Status.READY,
        ),
        "jens": make_citizen(
            fredericia, consultant=consultant, first_name="Jens", last_name="Hansen",
            unemployed_since=today - timedelta(days=30),
        ),
        "lise": make_citizen(
            fredericia, consultant=colleague, first_name="Lise", last_name="Bentsen",
        ),
    }


def ids(*citizens):
    return {c.pk for c in citizens}


def test_it_starts_a_consultant_on_their_own_caseload(login, consultant, caseload):
    response = login(consultant).get(LIST)
    assert response.status_code == 200
    assert shown(response) == ids(caseload["bente"], caseload["jens"])
    assert response.context["form"]["consultant"].value() == "mine"


def test_it_searches_by_name(login, consultant, caseload):
    response = login(consultant).post(LIST, {"q": "BENT", "consultant": ""})
    # First name Bente and last name Bentsen both match, whatever the case.
    assert shown(response) == ids(caseload["bente"], caseload["lise"])


def test_it_searches_by_full_name(login, consultant, caseload):
    response = login(consultant).post(LIST, {"q": "Bente Sørensen", "consultant": ""})
    assert shown(response) == ids(caseload["bente"])


@pytest.mark.parametrize("dash", [True, False])
def test_it_searches_by_exact_cpr_number(login, consultant, caseload, dash):
    number = caseload["lise"].reveal_cpr()
    q = number if dash else number.replace("-", "")
    response = login(consultant).post(LIST, {"q": q, "consultant": ""})
    assert shown(response) == ids(caseload["lise"])


def test_it_finds_no_citizen_of_another_municipality_by_cpr(login, consultant, caseload, other_citizen):
    response = login(consultant).post(LIST, {"q": other_citizen.reveal_cpr(), "consultant": ""})
    assert shown(response) == set()


def test_it_ignores_a_search_term_in_the_url(login, consultant, caseload):
    response = login(consultant).get(LIST, {"q": "Jens", "status": "ready", "consultant": ""})
    assert shown(response) == ids(caseload["bente"], caseload["jens"])
    assert response.context["form"]["q"].value() in (None, "")


def test_it_searches_by_post_so_terms_never_reach_a_url(login, consultant, caseload):
    html = login(consultant).post(LIST, {"q": "Bente", "consultant": ""}).content.decode()
    form = re.search(r'<form[^>]*id="citizen-search"[^>]*>', html).group(0)
    assert 'method="post"' in form
    assert "hx-post" in form and "hx-get" not in form
    assert "q=" not in html
    assert "page=" not in html


def test_it_filters_by_status(login, consultant, caseload):
    response = login(consultant).post(LIST, {"status": "ready", "consultant": ""})
    assert shown(response) == ids(caseload["bente"])


def test_it_filters_by_target_group(login, consultant, caseload):
    client = login(consultant)
    assert shown(client.post(LIST, {"target_group": "yes", "consultant": ""})) == ids(caseload["bente"])
    assert shown(client.post(LIST, {"target_group": "no", "consultant": ""})) == ids(caseload["jens"], caseload["lise"])


def test_it_shows_target_group_membership_in_the_list(login, consultant, caseload):
    html = login(consultant).post(LIST, {"q": "Bente Sørensen", "consultant": ""}).content.decode()
    row = re.search(r"<tr>\s*<td><a href=\"/citizens/.*?</tr>", html, re.S).group(0)
    assert "<td>Ja</td>" in row


def test_it_filters_by_consultant(login, consultant, colleague, caseload):
    client = login(consultant)
    assert shown(client.post(LIST, {"consultant": "mine"})) == ids(caseload["bente"], caseload["jens"])
    assert shown(client.post(LIST, {"consultant": str(colleague.pk)})) == ids(caseload["lise"])
    assert shown(client.post(LIST, {"consultant": ""})) == ids(*caseload.values())


def test_it_offers_only_consultants_of_the_users_municipalities(login, consultant, outsider, caseload):
    form = login(consultant).get(LIST).context["form"]
    values = [value for value, _ in form.fields["consultant"].choices]
    assert str(consultant.pk) in values
    assert str(outsider.pk) not in values


def test_it_combines_search_and_filters(login, consultant, caseload):
    response = login(consultant).post(LIST, {"q": "bent", "target_group": "no", "consultant": ""})
    assert shown(response) == ids(caseload["lise"])


def test_it_keeps_the_filters_when_one_value_is_invalid(login, consultant, caseload):
    response = login(consultant).post(LIST, {"q": "Jens", "consultant": "", "page": "0"})
    assert response.status_code == 200
    assert shown(response) == ids(caseload["jens"])


def test_it_shows_an_empty_state_message(login, consultant, caseload):
    response = login(consultant).post(LIST, {"q": "Ingen-med-det-navn", "consultant": ""})
    assert shown(response) == set()
    assert "Ingen borgere matcher søgningen." in response.content.decode()


@pytest.fixture
def thirty(fredericia, consultant):
    return [
        make_citizen(fredericia, consultant=consultant, first_name=f"Borger{n:02d}", last_name="Test")
        for n in range(30)
    ]


def test_it_shows_25_citizens_per_page(login, consultant, thirty):
    response = login(consultant).get(LIST)
    assert len(shown(response)) == 25
    html = response.content.decode()
    assert "Side 1 af 2" in html
    assert 'name="page" value="2"' in html


def test_it_shows_the_second_page_by_post(login, consultant, thirty):
    client = login(consultant)
    first = shown(client.get(LIST))
    second = client.post(LIST, {"consultant": "mine", "page": "2"})
    assert len(shown(second)) == 5
    assert first | shown(second) == {c.pk for c in thirty}
    assert "Side 2 af 2" in second.content.decode()


def test_it_shows_the_last_page_for_a_page_number_past_the_end(login, consultant, thirty):
    response = login(consultant).post(LIST, {"consultant": "mine", "page": "9"})
    assert len(shown(response)) == 5


def test_it_returns_only_the_results_for_htmx(login, consultant, caseload):
    response = login(consultant).post(LIST, {"q": "Jens", "consultant": ""}, HTTP_HX_REQUEST="true")
    html = response.content.decode().strip()
    assert html.startswith('<div id="results"')
    assert "<html" not in html
    assert "citizen-search" not in html
    assert shown(response) == ids(caseload["jens"])


def test_it_returns_the_page_for_htmx_pagination(login, consultant, thirty):
    response = login(consultant).post(LIST, {"consultant": "mine", "page": "2"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert len(shown(response)) == 5


def test_it_logs_that_the_list_was_read(login, consultant, caseload):
    login(consultant).post(LIST, {"q": "Jens"})
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.model) == (consultant, AccessLog.Action.LIST, "citizens.Citizen")
    assert "Jens" not in log.purpose


def _count_queries(client, data):
    with CaptureQueriesContext(connection) as context:
        response = client.post(LIST, data)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_it_lists_citizens_with_a_fixed_number_of_queries(login, consultant, colleague, fredericia):
    client = login(consultant)
    for n in range(3):
        make_citizen(fredericia, consultant=colleague if n % 2 else consultant, unemployed_since=date(2020, 1, 1))
    few = _count_queries(client, {"consultant": ""})
    for n in range(27):
        make_citizen(fredericia, consultant=colleague if n % 2 else consultant, unemployed_since=date(2020, 1, 1))
    assert Citizen.objects.count() == 30
    assert _count_queries(client, {"consultant": ""}) == few
    assert few <= 10


def test_it_sorts_the_caseload_by_longest_unemployed_first(login, consultant, fredericia):
    from datetime import date

    from tests.factories import make_citizen

    make_citizen(fredericia, consultant=consultant, first_name="Aase", last_name="Kort", unemployed_since=date(2025, 6, 1))
    make_citizen(fredericia, consultant=consultant, first_name="Bent", last_name="Lang", unemployed_since=date(2019, 1, 1))
    make_citizen(fredericia, consultant=consultant, first_name="Carl", last_name="Ukendt")
    client = login(consultant)
    by_name = client.post("/citizens/", {"consultant": "mine"}).content.decode()
    assert by_name.index("Aase Kort") < by_name.index("Bent Lang") < by_name.index("Carl Ukendt")
    longest = client.post("/citizens/", {"consultant": "mine", "sort": "unemployed"}).content.decode()
    assert longest.index("Bent Lang") < longest.index("Aase Kort") < longest.index("Carl Ukendt")
