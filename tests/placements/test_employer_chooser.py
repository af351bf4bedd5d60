"""A placement's employer is chosen by searching (core.choosers): the form names the chosen
employer only, its search keeps to the citizen's municipality, the search without JavaScript
shows the form again (with the openings of the employer chosen) and saves nothing, and an
employer of another municipality, sent by hand, is refused in Danish."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from employers.choosers import NOT_OURS
from employers.models import Opening
from placements.models import Placement
from tests.factories import make_employer, make_placement
from tests.html import form_values


@pytest.fixture
def fifty(fredericia):
    return [make_employer(fredericia, name=f"Virksomhed nr. {n:02d}") for n in range(50)]


def named(html, employers):
    return [e.name for e in employers if e.name in html]


def new_url(citizen):
    return f"/placements/new/citizen/{citizen.pk}/"


def test_the_new_form_names_no_employer_and_searches_the_citizens_municipality(
    login, consultant, citizen, fredericia, fifty
):
    html = login(consultant).get(new_url(citizen)).content.decode()
    assert named(html, fifty) == []
    search = html.split('name="employer__q"', 1)[1].split(">", 1)[0]
    assert f'hx-get="/employers/choose/?municipality={fredericia.pk}&amp;field=employer&amp;id=id_employer"' in search


def test_the_edit_form_names_the_placements_employer_only(login, consultant, citizen, fifty):
    placement = make_placement(citizen, fifty[3])
    html = login(consultant).get(f"/placements/{placement.pk}/edit/").content.decode()
    assert named(html, fifty) == [fifty[3].name]
    values = form_values(html)
    assert values["employer"] == values["initial-employer"] == str(fifty[3].pk)


def test_the_forms_queries_do_not_grow_with_the_employers(login, consultant, citizen, fredericia, employer):
    client = login(consultant)
    placement = make_placement(citizen, employer)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for n in range(5):
        make_employer(fredericia, name=f"Firma {n}")
    few = count(new_url(citizen)), count(f"/placements/{placement.pk}/edit/")
    for n in range(5, 50):
        make_employer(fredericia, name=f"Firma {n}")
    assert (count(new_url(citizen)), count(f"/placements/{placement.pk}/edit/")) == few


def test_a_search_without_javascript_shows_the_form_again_and_saves_nothing(
    login, consultant, citizen, fifty, other_employer, placement_post
):
    Opening.objects.create(employer=fifty[42], title="Køkkenhjælp", hours_min=4, hours_max=6)
    data = placement_post(employer=fifty[42], hours_per_week="6", employer__q="nr. 4", employer__search="1")
    response = login(consultant).post(new_url(citizen), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Placement.objects.exists()
    assert named(html, fifty) == [e.name for e in fifty if "4" in e.name]
    assert "Odense" not in html and "form-error" not in html
    # The employer chosen stays chosen, and its openings are offered.
    assert form_values(html)["employer"] == str(fifty[42].pk)
    assert "Køkkenhjælp" in html


def test_an_employer_found_and_chosen_is_saved(login, consultant, citizen, fifty, placement_post):
    client = login(consultant)
    html = client.post(new_url(citizen), placement_post(employer__q="nr. 17", employer__search="1")).content.decode()
    assert named(html, fifty) == [fifty[17].name]
    assert f'type="radio" class="form-radio" name="employer" value="{fifty[17].pk}"' in html
    assert client.post(new_url(citizen), placement_post(employer=fifty[17])).status_code == 302
    assert Placement.objects.get().employer == fifty[17]


def test_another_municipalitys_employer_sent_by_hand_is_refused_in_danish(
    login, consultant, citizen, other_employer, placement_post
):
    response = login(consultant).post(new_url(citizen), placement_post(employer=other_employer))
    assert response.status_code == 200
    assert response.context["form"].errors["employer"] == [NOT_OURS]
    assert "Odense Værft" not in response.content.decode()
    assert not Placement.objects.exists()


def test_changing_the_employer_still_asks_for_its_openings(login, consultant, citizen, fifty):
    html = login(consultant).get(new_url(citizen)).content.decode()
    choices = html.split('id="id_employer_choices"', 1)[1].split(">", 1)[0]
    assert f'hx-get="/placements/new/citizen/{citizen.pk}/openings/"' in choices
    assert 'hx-trigger="change"' in choices and 'hx-include="#id_employer_choices"' in choices
