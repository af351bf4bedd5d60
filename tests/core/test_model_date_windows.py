"""One rule for a date's plausible window: the model field names it (so the admin and every
ModelForm check it), and limit_dates reads it from there for the date picker, refusing a form
that names another. The windows move with today, yet migrations do not."""

from datetime import date
from io import StringIO
from unittest import mock

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from core.forms import DateInput, limit_dates
from core.validators import (
    PlausibleDateValidator,
    validate_course_date,
    validate_planned_date,
    validate_recorded_date,
    validate_workshop_time,
)
from progress.models import Target

TODAY = date(2026, 12, 1)


class TargetDatesForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["period_start", "period_end"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}

    def __init__(self, *args, window=None, **kwargs):
        super().__init__(*args, **kwargs)
        limit_dates(self, window, "period_start", "period_end")


@pytest.fixture(autouse=True)
def today():
    with mock.patch.object(timezone, "localdate", return_value=TODAY):
        yield


def test_it_reads_the_window_from_the_model_field():
    form = TargetDatesForm()
    assert 'min="1900-01-01"' in str(form["period_start"]) and 'max="2036-12-01"' in str(form["period_start"])


def test_it_refuses_a_date_outside_the_models_window_as_the_field_is_cleaned():
    form = TargetDatesForm({"period_start": "2026-01-01", "period_end": "9999-12-31"})
    assert form.errors["period_end"] == ["Datoen skal ligge mellem 01.01.1900 og 01.12.2036."]
    # Refused by the form field, once: the form's clean() never saw the date.
    assert "period_end" not in form.cleaned_data


def test_it_takes_the_same_window_named_by_the_form_once():
    form = TargetDatesForm(window=validate_planned_date)
    assert form.fields["period_start"].validators.count(validate_planned_date) == 1


def test_it_refuses_a_form_that_names_another_window_than_the_model():
    with pytest.raises(ImproperlyConfigured, match="period_start"):
        TargetDatesForm(window=validate_recorded_date)


def test_a_plain_forms_field_needs_a_window():
    class PlainForm(forms.Form):
        day = forms.DateField(widget=DateInput())

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            limit_dates(self, None, "day")

    with pytest.raises(ImproperlyConfigured, match="day"):
        PlainForm()


@pytest.mark.parametrize(
    "window, kwargs",
    [
        (validate_recorded_date, {"years_ahead": 1}),
        (validate_planned_date, {"years_ahead": 10}),
        (validate_course_date, {"years_ahead": 3}),
        (validate_workshop_time, {"years_ahead": 5, "earliest": date(2000, 1, 1)}),
    ],
)
def test_a_window_deconstructs_without_today(window, kwargs):
    assert window.deconstruct() == ("core.validators.PlausibleDateValidator", (), kwargs)
    assert PlausibleDateValidator(**kwargs) == window


@pytest.mark.django_db
@pytest.mark.parametrize("today", [date(2019, 2, 28), date(2031, 6, 1)])
def test_no_migration_is_missing_whatever_the_date(today):
    output = StringIO()
    with mock.patch.object(timezone, "localdate", return_value=today):
        call_command(
            "makemigrations", "citizens", "employers", "placements", "courses", "progress", "workspace",
            check=True, dry_run=True, stdout=output,
        )
    assert "No changes detected" in output.getvalue()
