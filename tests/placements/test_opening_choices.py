"""The placement form offers the chosen employer's openings only: on the page (server side),
again through htmx when the employer changes (placements:openings_for_citizen and
placements:openings_for_placement), and in the form sent back without JavaScript."""

from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from audit.models import AccessLog
from employers.models import Opening
from placements.forms import PlacementForm
from placements.models import Placement
from tests.factories import make_employer, make_placement
from tests.html import form_values
from tests.strategies import ANY_TEXT, NUMBERS, SPECIAL

HX = {"HX-Request": "true"}
CHOOSE_FIRST = "Vælg først arbejdsgiveren"
OTHER_EMPLOYER = "Stillingsopslaget hører til en anden virksomhed."


@pytest.fixture
def cafe(fredericia):
    return make_employer(fredericia, name="Kanalbyens Café")


@pytest.fixture
def openings(employer, cafe, other_employer):
    """Two open openings and a pledge not yet opened at the builder's, one at the café, one in Odense."""
    return {
        "janitor": Opening.objects.create(employer=employer, title="Pedelmedhjælper", hours_min=4, hours_max=8),
        "yard": Opening.objects.create(employer=employer, title="Lagerhjælp", hours_min=5, hours_max=10),
        "pledge": Opening.objects.create(
            employer=employer, title="Tilsagn", hours_min=4, hours_max=6, from_task_force=True, is_open=False
        ),
        "kitchen": Opening.objects.create(employer=cafe, title="Køkkenhjælp", hours_min=4, hours_max=6),
        "shipyard": Opening.objects.create(employer=other_employer, title="Værftshjælp", hours_min=4, hours_max=8),
    }


@pytest.fixture
def placement(citizen, employer, openings):
    return make_placement(citizen, employer, opening=openings["janitor"], hours_per_week=Decimal("6"),
                          start_date=date(2026, 2, 1))


def offered(form):
    return set(form.fields["opening"].queryset)


def employer_choices(html):
    """The start tag of the element around the employer chooser's choices (core.choosers),
    which asks for the opening field when the choice changes."""
    return html.split('id="id_employer_choices"', 1)[1].split(">", 1)[0]


def option_titles(html):
    """The opening options' titles in a page or fragment, in order."""
    select = html.split('name="opening"', 1)[1].split("</select>", 1)[0]
    return [part.split(">", 1)[1].split(" (", 1)[0] for part in select.split("<option")[2:]]


# --- The form's opening list ------------------------------------------------------------------

def test_a_new_form_offers_no_openings_until_an_employer_is_chosen(citizen, openings):
    form = PlacementForm(citizen=citizen)
    assert offered(form) == set()
    assert form.fields["opening"].help_text == CHOOSE_FIRST


def test_it_offers_the_open_openings_of_the_employer_sent(citizen, employer, cafe, openings):
    form = PlacementForm({"employer": str(cafe.pk)}, citizen=citizen)
    assert offered(form) == {openings["kitchen"]}
    form = PlacementForm({"employer": str(employer.pk)}, citizen=citizen)
    assert offered(form) == {openings["janitor"], openings["yard"]}  # not the pledge, not yet open
    assert form.fields["opening"].help_text != CHOOSE_FIRST


def test_it_offers_the_openings_of_the_initial_employer(citizen, cafe, openings):
    assert offered(PlacementForm(citizen=citizen, initial={"employer": cafe.pk})) == {openings["kitchen"]}


def test_the_employers_page_offers_its_own_openings(employer, openings):
    assert offered(PlacementForm(employer=employer)) == {openings["janitor"], openings["yard"]}


def test_an_edit_form_offers_the_placements_employers_openings_and_its_own_closed_one(placement, openings):
    Opening.objects.filter(pk=openings["janitor"].pk).update(is_open=False)
    placement.refresh_from_db()
    assert offered(PlacementForm(instance=placement)) == {openings["janitor"], openings["yard"]}


def test_an_edit_form_offers_the_newly_chosen_employers_openings(placement, cafe, openings):
    form = PlacementForm({"employer": str(cafe.pk)}, instance=placement)
    assert offered(form) == {openings["kitchen"]}


@pytest.mark.parametrize("sent", ["", "abc", "-1", "0", str(2**63), "1.5"])
def test_no_employer_or_no_id_offers_no_openings(citizen, openings, sent):
    form = PlacementForm({"employer": sent}, citizen=citizen)
    assert offered(form) == set()
    assert form.fields["opening"].help_text == CHOOSE_FIRST


def test_another_municipalitys_employer_offers_none_of_its_openings(citizen, other_employer, openings):
    assert offered(PlacementForm({"employer": str(other_employer.pk)}, citizen=citizen)) == set()


# --- The pages ----------------------------------------------------------------------------------

def test_the_citizens_form_asks_for_the_opening_field_when_the_employer_changes(login, consultant, citizen, openings):
    html = login(consultant).get(f"/placements/new/citizen/{citizen.pk}/").content.decode()
    employer_select = employer_choices(html)
    assert f'hx-get="/placements/new/citizen/{citizen.pk}/openings/"' in employer_select
    assert 'hx-trigger="change"' in employer_select and 'hx-target="#opening-field"' in employer_select
    # It sends the chosen employer (its radio button, inside it).
    assert 'hx-include="#id_employer_choices"' in employer_select
    assert '<div id="opening-field" class="form-group">' in html
    assert option_titles(html) == []
    assert CHOOSE_FIRST in html


def test_the_edit_form_shows_the_placements_employers_openings(login, consultant, placement, openings):
    html = login(consultant).get(f"/placements/{placement.pk}/edit/").content.decode()
    assert sorted(option_titles(html)) == ["Lagerhjælp", "Pedelmedhjælper"]
    assert "Køkkenhjælp" not in html and "Værftshjælp" not in html
    employer_select = employer_choices(html)
    assert f'hx-get="/placements/{placement.pk}/edit/openings/"' in employer_select
    assert 'hx-include="#id_employer_choices, [name=initial-opening]"' in employer_select


def test_the_employers_form_has_no_employer_to_change(login, consultant, employer, openings):
    html = login(consultant).get(f"/placements/new/employer/{employer.pk}/").content.decode()
    assert 'name="employer"' not in html and "hx-get" not in html.split("<main", 1)[1].split("</main>")[0]
    assert sorted(option_titles(html)) == ["Lagerhjælp", "Pedelmedhjælper"]


def test_without_javascript_a_changed_employer_comes_back_with_its_openings(
    login, consultant, citizen, cafe, openings, placement_post
):
    # The builder's opening left chosen while the employer was changed to the café.
    response = login(consultant).post(
        f"/placements/new/citizen/{citizen.pk}/", placement_post(employer=cafe, opening=openings["janitor"].pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["opening"] == [OTHER_EMPLOYER]
    assert option_titles(response.content.decode()) == ["Køkkenhjælp"]
    assert not Placement.objects.exists()


def test_without_javascript_the_openings_of_the_employer_sent_can_be_chosen_next(
    login, consultant, citizen, cafe, openings, placement_post
):
    client = login(consultant)
    response = client.post(f"/placements/new/citizen/{citizen.pk}/", placement_post(employer=cafe, hours_per_week="0"))
    assert option_titles(response.content.decode()) == ["Køkkenhjælp"]
    response = client.post(
        f"/placements/new/citizen/{citizen.pk}/", placement_post(employer=cafe, opening=openings["kitchen"].pk)
    )
    assert response.status_code == 302
    assert Placement.objects.get().opening == openings["kitchen"]


def test_the_pages_queries_do_not_grow_with_the_openings(login, consultant, citizen, employer, placement):
    client = login(consultant)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/placements/{placement.pk}/edit/").status_code == 200
        return len(queries)

    before = count()
    for n in range(5):
        Opening.objects.create(employer=employer, title=f"Ekstra {n}", hours_min=4, hours_max=8)
    assert count() == before


# --- The opening field, for htmx ---------------------------------------------------------------

def fragment_url(citizen):
    return f"/placements/new/citizen/{citizen.pk}/openings/"


def test_it_gives_the_chosen_employers_opening_field(login, consultant, citizen, cafe, openings):
    response = login(consultant).get(fragment_url(citizen), {"employer": cafe.pk}, headers=HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert 'name="opening"' in html and 'id="id_opening"' in html
    assert option_titles(html) == ["Køkkenhjælp"]
    assert "Pedelmedhjælper" not in html and "Værftshjælp" not in html and "Bente" not in html


def test_it_gives_an_empty_field_that_asks_for_an_employer_first(login, consultant, citizen, openings):
    html = login(consultant).get(fragment_url(citizen), {"employer": ""}, headers=HX).content.decode()
    assert option_titles(html) == []
    assert CHOOSE_FIRST in html


def test_it_gives_404_for_another_municipalitys_employer(login, consultant, citizen, other_employer, openings):
    response = login(consultant).get(fragment_url(citizen), {"employer": other_employer.pk}, headers=HX)
    assert response.status_code == 404
    assert "Værftshjælp" not in response.content.decode()


@pytest.mark.parametrize("sent", ["abc", "-1", str(2**63), "999999"])
def test_it_gives_404_for_no_employer_of_ours(login, consultant, citizen, openings, sent):
    assert login(consultant).get(fragment_url(citizen), {"employer": sent}, headers=HX).status_code == 404


def test_it_gives_404_for_another_municipalitys_citizen_or_placement(
    login, outsider, citizen, employer, placement, openings
):
    client = login(outsider)
    assert client.get(fragment_url(citizen), {"employer": employer.pk}, headers=HX).status_code == 404
    assert client.get(f"/placements/{placement.pk}/edit/openings/", {"employer": employer.pk}).status_code == 404


@pytest.mark.parametrize("user", ["leader", "manager"])
def test_it_refuses_other_roles(login, request, citizen, employer, placement, user):
    client = login(request.getfixturevalue(user))
    assert client.get(fragment_url(citizen), {"employer": employer.pk}).status_code == 403
    assert client.get(f"/placements/{placement.pk}/edit/openings/", {"employer": employer.pk}).status_code == 403


def test_it_sends_anonymous_users_to_log_in(client, citizen, employer):
    response = client.get(fragment_url(citizen), {"employer": employer.pk})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_takes_get_only(login, consultant, citizen, employer):
    assert login(consultant).post(fragment_url(citizen), {"employer": employer.pk}).status_code == 405


def test_it_logs_no_page_view(login, consultant, citizen, employer, openings):
    login(consultant).get(fragment_url(citizen), {"employer": employer.pk}, headers=HX)
    assert not AccessLog.objects.exists()


def test_its_queries_do_not_grow_with_the_openings(login, consultant, citizen, employer):
    client = login(consultant)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(fragment_url(citizen), {"employer": employer.pk}, headers=HX).status_code == 200
        return len(queries)

    before = count()
    for n in range(5):
        Opening.objects.create(employer=employer, title=f"Ekstra {n}", hours_min=4, hours_max=8)
    assert count() == before


def test_the_edit_field_keeps_the_value_the_form_was_opened_with(login, consultant, placement, cafe, openings):
    client = login(consultant)
    url = f"/placements/{placement.pk}/edit/openings/"
    opened_with = str(openings["janitor"].pk)
    html = client.get(url, {"employer": cafe.pk, "initial-opening": opened_with}, headers=HX).content.decode()
    assert option_titles(html) == ["Køkkenhjælp"]
    assert form_values(html)["initial-opening"] == opened_with
    # Back to the placement's employer: its opening is chosen again, as when the form was opened.
    html = client.get(url, {"employer": placement.employer_id, "initial-opening": opened_with}).content.decode()
    assert form_values(html) == {"opening": opened_with, "initial-opening": opened_with}


def test_an_edit_through_the_swapped_field_moves_the_placement_with_its_new_opening(
    login, consultant, placement, cafe, openings
):
    client = login(consultant)
    data = form_values(client.get(f"/placements/{placement.pk}/edit/").content.decode())
    data["employer"] = str(cafe.pk)
    fragment = client.get(
        f"/placements/{placement.pk}/edit/openings/",
        {"employer": cafe.pk, "initial-opening": data["initial-opening"]},
        headers=HX,
    ).content.decode()
    data.update(form_values(fragment))
    data["opening"] = str(openings["kitchen"].pk)
    response = client.post(f"/placements/{placement.pk}/edit/", data)
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.employer, placement.opening) == (cafe, openings["kitchen"])


@given(
    employer=st.one_of(ANY_TEXT, SPECIAL, NUMBERS),
    initial_opening=st.one_of(ANY_TEXT, SPECIAL, NUMBERS),
)
def test_whatever_is_asked_the_field_is_given_or_not_found(
    login, consultant, placement, openings, employer, initial_opening
):
    def part(text):  # as a broken client would send text that UTF-8 cannot hold
        return quote(text.encode("utf-8", "surrogatepass"), safe="")

    query = f"employer={part(employer)}&initial-opening={part(initial_opening)}"
    response = login(consultant).get(f"/placements/{placement.pk}/edit/openings/?{query}", headers=HX)
    assert response.status_code in (200, 404)
    assert "Værftshjælp" not in response.content.decode()  # another municipality's, whatever the id
