"""The shared rules for plausible input (core.validators) and the form helpers that apply them
(core.forms): a date window with its range in the message, no control characters, free text
of a bounded length said with the count, and a CPR number box that never echoes."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.forms import CprInput, DateInput, DateTimeInput, DesignSystemFormMixin, limit_dates, limit_length
from core.validators import (
    PlausibleDateValidator,
    TextLengthValidator,
    _years_after,
    has_control_character,
    validate_no_control_characters,
)

TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)


def message(validator, value):
    with pytest.raises(ValidationError) as error:
        validator(value)
    return error.value.messages[0]


# --- Dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [date(1900, 1, 1), date(2026, 12, 1), date(2027, 12, 1)])
def test_it_takes_a_date_from_1900_to_the_years_ahead(value):
    PlausibleDateValidator(years_ahead=1)(value)


@pytest.mark.parametrize("value", [date(1, 1, 1), date(1899, 12, 31), date(2027, 12, 2), date(9999, 12, 31)])
def test_it_refuses_a_date_outside_with_the_range_in_danish(value):
    assert message(PlausibleDateValidator(years_ahead=1), value) == "Datoen skal ligge mellem 01.01.1900 og 01.12.2027."


def test_it_takes_the_date_of_a_datetime_as_given_without_converting_it():
    copenhagen = ZoneInfo("Europe/Copenhagen")
    validator = PlausibleDateValidator(years_ahead=5, earliest=date(2000, 1, 1))
    validator(datetime(2026, 12, 24, 9, tzinfo=copenhagen))
    # Converting year 1 or year 9999 to another zone could itself overflow: it is never tried.
    assert message(validator, datetime(1, 1, 1, 0, 10, tzinfo=copenhagen)).startswith("Datoen skal ligge mellem 01.01.2000")
    assert message(validator, datetime(9999, 12, 31, 23, 59, tzinfo=copenhagen)).endswith("og 01.12.2031.")


def test_the_window_moves_with_today(monkeypatch):
    validator = PlausibleDateValidator(years_ahead=1)
    with pytest.raises(ValidationError):
        validator(date(2028, 6, 1))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2027, 6, 1))
    validator(date(2028, 6, 1))


def test_a_year_after_29_february_is_28_february():
    assert _years_after(date(2028, 2, 29), 1) == date(2029, 2, 28)


def test_it_deconstructs_for_migrations_and_compares_by_its_window():
    validator = PlausibleDateValidator(years_ahead=5, earliest=date(2000, 1, 1))
    path, args, kwargs = validator.deconstruct()
    assert path == "core.validators.PlausibleDateValidator"
    assert PlausibleDateValidator(*args, **kwargs) == validator != PlausibleDateValidator(years_ahead=4)


# --- Control characters ------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["\x00", "Ben\x00te", "\x07", "\x1b[31m", "\x0b", "\ud800", "a\udfff", "\ufffe"])
def test_it_refuses_control_characters_lone_surrogates_and_non_characters(text):
    assert has_control_character(text)
    assert message(validate_no_control_characters, text) == (
        "Teksten indeholder et ugyldigt kontroltegn (fx et NUL-tegn). Fjern det, fx ved at skrive teksten igen."
    )


@pytest.mark.parametrize("text", ["", "Bente Sørensen", "Linje 1\r\nLinje 2\tmed tab", "Ærø 🙂", "\u202e", 42, None])
def test_it_takes_ordinary_text_with_line_breaks_and_tabs(text):
    assert not has_control_character(text)
    validate_no_control_characters(text)


class ExampleForm(DesignSystemFormMixin, forms.Form):
    name = forms.CharField()
    note = forms.CharField(widget=forms.Textarea, required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    day = forms.DateField(widget=DateInput(), required=False)
    at = forms.DateTimeField(widget=DateTimeInput(), required=False)
    cpr = forms.CharField(widget=CprInput(), required=False, help_text="10 cifre.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_dates(self, PlausibleDateValidator(years_ahead=1), "day")
        limit_dates(self, PlausibleDateValidator(years_ahead=5, earliest=date(2000, 1, 1)), "at")
        limit_length(self, 10, "note")


def test_every_text_field_refuses_a_nul_with_one_clear_message():
    form = ExampleForm({"name": "Ben\x00te"})
    assert form.errors["name"] == [
        "Teksten indeholder et ugyldigt kontroltegn (fx et NUL-tegn). Fjern det, fx ved at skrive teksten igen."
    ]


def test_a_password_is_left_as_typed():
    assert ExampleForm({"name": "Bente", "secret": "a\x07b"}).is_valid()


# --- Text length, date pickers ------------------------------------------------------------------

def test_it_refuses_too_long_a_text_with_the_count():
    form = ExampleForm({"name": "Bente", "note": "x" * 11})
    assert form.errors["note"] == ["Teksten er for lang: 11 tegn. Der er plads til højst 10 tegn."]
    assert 'maxlength="10"' in str(form["note"])
    assert TextLengthValidator(10).deconstruct()[0] == "core.validators.TextLengthValidator"


def test_it_offers_only_the_window_in_the_date_pickers():
    form = ExampleForm()
    assert 'min="1900-01-01"' in str(form["day"]) and 'max="2027-12-01"' in str(form["day"])
    assert 'min="2000-01-01T00:00"' in str(form["at"]) and 'max="2031-12-01T23:59"' in str(form["at"])


def test_it_refuses_a_datetime_in_year_1_as_a_form_error():
    form = ExampleForm({"name": "Bente", "at": "0001-01-01T00:10"})
    assert form.errors["at"][0].startswith("Datoen skal ligge mellem 01.01.2000 og ")


# --- The CPR number box ------------------------------------------------------------------------

RETYPE = "Af hensyn til borgerens data vises CPR-nummeret ikke igen. Skriv det igen."


def test_the_cpr_box_never_renders_a_submitted_number_and_asks_for_it_again():
    form = ExampleForm({"name": "", "cpr": "010190-1234"})
    assert not form.is_valid()
    html = str(form)
    assert "010190-1234" not in html and 'name="cpr"' in html
    assert form["cpr"].help_text == f"{RETYPE} 10 cifre."
    assert RETYPE in html


def test_the_cpr_box_asks_nothing_of_a_valid_form_or_an_empty_box():
    assert ExampleForm({"name": "Bente", "cpr": "010190-1234"}).is_valid()
    form = ExampleForm({"name": ""})
    form.is_valid()
    assert RETYPE not in str(form)
