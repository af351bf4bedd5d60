"""The chooser (core.choosers): a field that shows the chosen records and the results of a
search, never every record of its queryset; validates what is sent against its (scoped)
queryset with a Danish message; and a search sent without JavaScript shows the form again."""

import pytest
from django import forms
from django.core.exceptions import BadRequest
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core.choosers import (
    CHOOSER_LIMIT,
    INVALID_CHOICE,
    SEARCH_MAX_LENGTH,
    ChooserField,
    MultipleChooserField,
    chooser_response,
    chooser_search_requested,
    record_id,
    search_text,
)
from employers.models import Employer
from tests.factories import make_employer

MORE = f"Viser de første {CHOOSER_LIMIT} — skriv mere for at indsnævre."


def ours(fredericia):
    return Employer.objects.filter(municipality=fredericia)


def make_form(queryset, **field_kwargs):
    """A form with a multiple chooser `employers`, a single one `employer` and a text `title`."""

    class Form(forms.Form):
        title = forms.CharField()
        employers = MultipleChooserField(queryset=queryset, required=False, search_url="/choose/", search_fields=("name", "^cvr"), **field_kwargs)
        employer = ChooserField(queryset=queryset, search_url="/choose/?municipality=1", **field_kwargs)

    return Form


@pytest.fixture
def many(fredericia):
    return [make_employer(fredericia, name=f"Firma{n:02d}") for n in range(50)]


# --- Only the chosen, never all -------------------------------------------------------------


def test_it_renders_the_chosen_records_and_none_of_the_others(fredericia, many):
    Form = make_form(ours(fredericia))
    html = str(Form(initial={"employers": [many[3], many[7]], "employer": many[9].pk}))
    shown = [e.name for e in many if e.name in html]
    assert shown == ["Firma03", "Firma07", "Firma09"]
    assert 'name="employers" value="%d"' % many[3].pk in html and "checked" in html


def test_its_queries_do_not_grow_with_the_records(fredericia):
    Form = make_form(ours(fredericia))

    def count():
        chosen = list(ours(fredericia)[:2])
        with CaptureQueriesContext(connection) as queries:
            str(Form(initial={"employers": chosen, "employer": chosen[0].pk}))
        return len(queries)

    for n in range(5):
        make_employer(fredericia, name=f"Firma{n}")
    few = count()
    for n in range(5, 50):
        make_employer(fredericia, name=f"Firma{n}")
    assert count() == few <= 2


def test_a_search_shows_the_first_matches_and_says_there_are_more(fredericia, many):
    Form = make_form(ours(fredericia))
    form = Form({"title": "", "employers__q": "firma", "employers__search": "1"})
    html = str(form["employers"])
    assert html.count('type="checkbox"') == CHOOSER_LIMIT
    assert MORE in html
    assert "Firma00" in html and f"Firma{CHOOSER_LIMIT:02d}" not in html  # in the queryset's order


def test_a_search_finds_by_any_search_field(fredericia, many):
    cvr = make_employer(fredericia, name="Bageriet", cvr="31234567")
    form = make_form(ours(fredericia))({"employers__q": "3123"})
    assert form.fields["employers"].find("3123") == ([cvr], False)
    assert "Bageriet" in str(form["employers"])
    assert form.fields["employers"].find("bageri") == ([cvr], False)
    assert form.fields["employers"].find("ingen sådan") == ([], False)


def test_every_word_must_match(fredericia):
    both = make_employer(fredericia, name="Fredericia Bageri")
    make_employer(fredericia, name="Fredericia Smedie")
    field = make_form(ours(fredericia))().fields["employers"]
    assert field.find("bageri fredericia") == ([both], False)


def test_the_results_leave_out_what_is_chosen_and_say_when_nothing_matches(fredericia, many):
    form = make_form(ours(fredericia))({"employers": [many[0].pk], "employers__q": "Firma0"})
    html = str(form["employers"])
    assert html.count(f'value="{many[0].pk}" id="id_employers_{many[0].pk}" checked') == 1
    assert html.count(f'name="employers__shown" value="{many[0].pk}"') == 1
    assert html.count('type="checkbox"') == 10  # Firma00 among the chosen, 01–09 found
    html = str(make_form(ours(fredericia))({"employers__q": "zzz"})["employers"])
    assert "Ingen resultater" in html


def test_a_record_unticked_stays_in_the_list_when_the_form_comes_back(fredericia, many):
    form = make_form(ours(fredericia))({"employers__shown": [many[1].pk], "employers__q": "Firma01"})
    html = str(form["employers"])
    box = html.split(f'value="{many[1].pk}"', 1)[1].split(">", 1)[0]
    assert "checked" not in box
    assert html.count('type="checkbox"') == 1  # not again among the results


def test_another_querysets_record_is_never_shown(fredericia, odense, many):
    theirs = make_employer(odense, name="Odense Værft")
    form = make_form(ours(fredericia))({"employers": [theirs.pk], "employers__shown": [theirs.pk], "employers__q": "værft"})
    assert "Odense Værft" not in str(form["employers"])


def test_an_optional_single_choice_offers_none(fredericia, many):
    class Form(forms.Form):
        employer = ChooserField(queryset=ours(fredericia), required=False)

    html = str(Form({"employer": many[0].pk})["employer"])
    assert 'type="radio" class="form-radio" name="employer" value=""' in html
    assert "Ingen" in html
    # Nothing chosen and nothing found: nothing to choose among, no "Ingen" either.
    assert "Ingen</label>" not in str(Form()["employer"])


def test_htmx_attributes_go_on_the_element_around_the_choices(fredericia, many):
    Form = make_form(ours(fredericia))
    form = Form(initial={"employer": many[0].pk})
    form.fields["employer"].widget.attrs.update({"hx-get": "/openings/", "hx-trigger": "change", "hx-include": "[name=x]"})
    html = str(form["employer"])
    choices = html.split('id="id_employer_choices"', 1)[1].split(">", 1)[0]
    assert 'hx-get="/openings/"' in choices and 'hx-include="#id_employer_choices, [name=x]"' in choices
    search = html.split('name="employer__q"', 1)[1].split(">", 1)[0]
    assert 'hx-get="/choose/?municipality=1&amp;field=employer&amp;id=id_employer"' in search
    assert "/openings/" not in search


def test_the_label_names_the_search_box(fredericia):
    form = make_form(ours(fredericia))()
    assert form["employers"].id_for_label == "id_employers_q"
    assert 'id="id_employers_q"' in str(form["employers"])


# --- Validation -------------------------------------------------------------------------------


def test_it_takes_records_of_its_queryset(fredericia, many):
    form = make_form(ours(fredericia))({"title": "x", "employers": [many[0].pk, many[1].pk], "employer": many[2].pk})
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["employers"]) == [many[0], many[1]]
    assert form.cleaned_data["employer"] == many[2]


@pytest.mark.parametrize("sent", ["abc", "-1", "0", str(2**63), "1.5", "1_0", "١", " ", "\x00"])
def test_it_refuses_what_is_no_id_with_its_message(fredericia, many, sent):
    form = make_form(ours(fredericia))({"title": "x", "employers": [many[0].pk, sent], "employer": sent})
    assert not form.is_valid()
    assert form.errors["employers"] == [INVALID_CHOICE]
    assert form.errors["employer"] in ([INVALID_CHOICE], ["Dette felt er påkrævet."])


def test_it_refuses_another_querysets_record_in_danish(fredericia, odense, many):
    theirs = make_employer(odense, name="Odense Værft")
    form = make_form(ours(fredericia))({"title": "x", "employers": [theirs.pk], "employer": theirs.pk})
    assert not form.is_valid()
    assert form.errors["employers"] == [INVALID_CHOICE] and form.errors["employer"] == [INVALID_CHOICE]
    assert INVALID_CHOICE == "Det valgte kan ikke vælges her. Søg det frem, og vælg det i listen."


def test_record_id_takes_plain_digits_within_range():
    assert [record_id(v) for v in ["7", " 7 ", 7, "07"]] == [7, 7, 7, 7]
    assert [record_id(v) for v in ["-7", "+7", "7.0", "1_000", "²", str(2**63), "0", None, "9" * 5000]] == [None] * 9


def test_search_text_drops_control_characters_and_is_bounded():
    assert search_text("  Bag\x00eri\u200b  A/S \n") == "Bageri A/S"
    assert len(search_text("x" * 500)) == SEARCH_MAX_LENGTH
    assert search_text(None) == ""


# --- The search without JavaScript ----------------------------------------------------------------


def test_a_search_button_asks_for_the_form_again_without_errors(fredericia, many):
    form = make_form(ours(fredericia))({"title": "", "employer__q": "firma1", "employer__search": "1"})
    assert chooser_search_requested(form)
    assert form.errors == {}
    html = str(form["employer"])
    assert 'value="firma1"' in html and html.count('type="radio"') == 10


def test_a_form_sent_to_be_saved_is_no_search(fredericia, many):
    Form = make_form(ours(fredericia))
    assert not chooser_search_requested(Form())
    form = Form({"title": "", "employer__q": "firma"})
    assert not chooser_search_requested(form)
    assert not form.is_valid()


def test_a_prefixed_form_is_searched_under_its_prefix(fredericia, many):
    form = make_form(ours(fredericia))({"x-employer__q": "Firma01", "x-employer__search": "1"}, prefix="x")
    assert chooser_search_requested(form)
    html = str(form["employer"])
    assert 'name="x-employer"' in html and "Firma01" in html


# --- The search's answer ------------------------------------------------------------------------


def answer(queryset, query):
    request = RequestFactory().get("/choose/", QueryDict(query, mutable=False))
    field = MultipleChooserField(queryset=queryset, search_fields=("name",))
    return chooser_response(request, field)


def test_the_answer_is_the_choices_fragment(fredericia, many):
    html = answer(ours(fredericia), f"field=employers&id=id_employers&multiple=1&q=Firma1&employers={many[0].pk}").content.decode()
    assert "<html" not in html and "<form" not in html
    assert html.count('type="checkbox"') == 11 and html.count(" checked>") == 1
    assert f'id="id_employers_{many[12].pk}"' in html


def test_the_answer_names_a_single_choice_with_radio_buttons(fredericia, many):
    html = answer(ours(fredericia), "field=employer&employer__q=Firma2").content.decode()
    assert html.count('type="radio"') == 10 and 'name="employer"' in html


@pytest.mark.parametrize("query", ["", "field=", "field=a b", "field=x%22%3E", "field=ok&id=%3Cb%3E", "field=" + "a" * 101])
def test_the_answer_needs_a_field_name(fredericia, query):
    with pytest.raises(BadRequest):
        answer(ours(fredericia), query)


def test_the_answers_queries_do_not_grow_with_the_records(fredericia):
    def count():
        chosen = "".join(f"&employers={pk}" for pk in ours(fredericia).values_list("pk", flat=True)[:2])
        with CaptureQueriesContext(connection) as queries:
            answer(ours(fredericia), f"field=employers&multiple=1&q=firma{chosen}")
        return len(queries)

    for n in range(5):
        make_employer(fredericia, name=f"Firma{n}")
    few = count()
    for n in range(5, 50):
        make_employer(fredericia, name=f"Firma{n}")
    assert count() == few == 2
