"""A CPR number typed into the caseload search finds the citizen, and is not sent back into
the page: the search box comes back empty and says a CPR search was made."""

import pytest
from django.urls import reverse

from tests.html import form_values

LIST = reverse("citizens:list")


def _full_forms(citizen):
    formatted = citizen.reveal_cpr()
    return formatted, formatted.replace("-", "")


@pytest.mark.parametrize("dash", [True, False])
def test_it_finds_the_citizen_and_leaves_the_box_empty(login, consultant, citizen, dash):
    formatted, digits = _full_forms(citizen)
    response = login(consultant).post(LIST, {"q": formatted if dash else digits, "consultant": ""})
    html = response.content.decode()
    assert citizen.full_name in html
    for full in (formatted, digits):
        assert full not in html
    assert form_values(html)["q"] == ""
    assert "Der er søgt på et CPR-nummer." in html


def test_the_htmx_results_say_a_cpr_search_was_made(login, consultant, citizen):
    formatted, digits = _full_forms(citizen)
    response = login(consultant).post(LIST, {"q": digits, "consultant": ""}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert citizen.full_name in html and "Der er søgt på et CPR-nummer." in html
    assert formatted not in html and digits not in html


def test_a_cpr_number_among_other_words_is_not_echoed_either(login, consultant, citizen):
    formatted, digits = _full_forms(citizen)
    html = login(consultant).post(LIST, {"q": f"Bente {formatted}", "consultant": ""}).content.decode()
    assert formatted not in html and digits not in html
    assert form_values(html)["q"] == ""


def test_a_name_search_keeps_the_name_in_the_box(login, consultant, citizen):
    html = login(consultant).post(LIST, {"q": "Sørensen", "consultant": ""}).content.decode()
    assert form_values(html)["q"] == "Sørensen"
    assert "Der er søgt på et CPR-nummer." not in html
