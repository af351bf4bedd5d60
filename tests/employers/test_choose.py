"""employers:choose, the search behind every employer chooser of a consultant's forms (a
course's employers, a placement's employer): the user's own municipality's employers that
match the name or the start of the CVR number, at most 20, never another municipality's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_employer

URL = "/employers/choose/"
HX = {"HX-Request": "true"}
MULTIPLE = {"field": "employers", "id": "id_employers", "multiple": "1"}
SINGLE = {"field": "employer", "id": "id_employer"}


@pytest.fixture
def bakeries(fredericia, odense):
    return {
        "ours": make_employer(fredericia, name="Bageriet Kringlen", cvr="31234560"),
        "also_ours": make_employer(fredericia, name="Lillebælt Bageri", cvr="41234567"),
        "theirs": make_employer(odense, name="Odense Bageri", cvr="31234579"),
    }


def ask(client, **params):
    response = client.get(URL, params, headers=HX)
    assert response.status_code == 200
    return response.content.decode()


def test_it_finds_our_employers_by_name_never_another_municipalitys(login, consultant, bakeries):
    html = ask(login(consultant), employers__q="bageri", **MULTIPLE)
    assert "Bageriet Kringlen (CVR 31234560)" in html and "Lillebælt Bageri" in html
    assert "Odense Bageri" not in html
    assert html.count('type="checkbox"') == 2 and 'name="employers"' in html


def test_each_word_is_part_of_the_name_in_any_order(login, consultant, bakeries):
    html = ask(login(consultant), q="bageri lillebælt", **MULTIPLE)
    assert "Lillebælt Bageri" in html and "Kringlen" not in html


def test_it_finds_by_the_start_of_the_cvr_number(login, consultant, bakeries):
    html = ask(login(consultant), q="3123 45", **SINGLE)
    assert "Bageriet Kringlen" in html and "Lillebælt" not in html and "Odense" not in html
    assert html.count('type="radio"') == 1


def test_the_answer_is_a_fragment_with_the_choices(login, consultant, bakeries):
    html = ask(login(consultant), employers__q="bageri", employers=bakeries["ours"].pk, **MULTIPLE)
    assert "<html" not in html and "<main" not in html
    assert "Valgt" in html and "Søgeresultater for «bageri»" in html
    chosen = html.split(f'value="{bakeries["ours"].pk}"', 1)[1].split(">", 1)[0]
    assert "checked" in chosen
    assert html.count("Bageriet Kringlen") == 1  # chosen, so not again among the results


def test_it_shows_no_employer_of_another_municipality_even_when_sent_as_chosen(login, consultant, bakeries):
    theirs = bakeries["theirs"].pk
    html = ask(login(consultant), employers__q="odense", employers=theirs, employers__shown=theirs, **MULTIPLE)
    assert "Odense" not in html.replace("«odense»", "")


def test_a_placements_search_keeps_to_the_citizens_municipality(login, fredericia, odense, bakeries):
    from accounts.models import Membership, Role
    from tests.factories import make_user

    both = make_user("konsulent-begge", fredericia, Role.CONSULTANT)
    Membership.objects.create(user=both, municipality=odense, role=Role.CONSULTANT)
    client = login(both)
    assert "Odense Bageri" in ask(client, q="bageri", **SINGLE)
    html = ask(client, q="bageri", municipality=fredericia.pk, **SINGLE)
    assert "Odense Bageri" not in html and "Bageriet Kringlen" in html
    assert "Bageri" not in ask(client, q="bageri", municipality="abc", **SINGLE).replace("«bageri»", "")


def test_it_says_when_there_are_more_than_it_shows(login, consultant, fredericia):
    for n in range(25):
        make_employer(fredericia, name=f"Vognmand {n:02d}")
    html = ask(login(consultant), q="vognmand", **MULTIPLE)
    assert html.count('type="checkbox"') == 20
    assert "Viser de første 20 — skriv mere for at indsnævre." in html


def test_nothing_typed_finds_nothing(login, consultant, bakeries):
    html = ask(login(consultant), q="", **MULTIPLE)
    assert 'type="checkbox"' not in html and "Intet valgt endnu." in html
    html = ask(login(consultant), q="", employers__search="1", **MULTIPLE)
    assert "Skriv noget at søge efter." in html


@pytest.mark.parametrize("text", ["\x00", "bag\x00eri", "%", "_", "'", "😀" * 200, "a" * 5000])
def test_whatever_is_typed_it_answers(login, consultant, bakeries, text):
    html = ask(login(consultant), q=text, **MULTIPLE)
    assert "Odense" not in html


def test_a_field_name_it_cannot_use_is_a_bad_request(login, consultant):
    assert login(consultant).get(URL, {"field": '"><script>', "q": "x"}, headers=HX).status_code == 400
    assert login(consultant).get(URL, {"q": "x"}, headers=HX).status_code == 400


def test_its_queries_do_not_grow_with_the_employers(login, consultant, fredericia, bakeries):
    client = login(consultant)

    def count():
        with CaptureQueriesContext(connection) as queries:
            ask(client, q="firma", employers=bakeries["ours"].pk, **MULTIPLE)
        return len(queries)

    for n in range(5):
        make_employer(fredericia, name=f"Firma {n}")
    few = count()
    for n in range(5, 50):
        make_employer(fredericia, name=f"Firma {n}")
    assert count() == few


@pytest.mark.parametrize("user", ["leader", "manager"])
def test_it_refuses_other_roles(login, request, bakeries, user):
    assert login(request.getfixturevalue(user)).get(URL, {"q": "bageri", **MULTIPLE}).status_code == 403


def test_an_admin_finds_their_municipalitys(login, admin_user, bakeries):
    assert "Bageriet Kringlen" in ask(login(admin_user), q="bageri", **MULTIPLE)


def test_another_municipalitys_consultant_finds_only_their_own(login, outsider, bakeries):
    html = ask(login(outsider), q="bageri", **MULTIPLE)
    assert "Odense Bageri" in html and "Kringlen" not in html and "Lillebælt" not in html


def test_it_sends_anonymous_users_to_log_in(client, bakeries):
    response = client.get(URL, {"q": "bageri", **MULTIPLE})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_takes_get_only(login, consultant):
    assert login(consultant).post(URL, {"q": "bageri", **MULTIPLE}).status_code == 405
