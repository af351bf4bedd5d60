"""A field of several check boxes (the task catalogue of an opening or a pledge, a course's
employers) is drawn as Det Fælles Designsystem draws check boxes: each input, which DKFDS
hides, straight before the label that draws its box, both in their own .form-group-checkbox,
in a fieldset named by its legend. Django's own markup (the input inside its label, the
DKFDS class on the wrapper) left the boxes invisible and the focus at the page's top left."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string

from core.forms import DesignSystemFormMixin
from employers.forms import OpeningForm
from employers.models import JobTask
from workspace.forms import PledgeForm


class Choices(DesignSystemFormMixin, forms.Form):
    days = forms.MultipleChoiceField(
        label="Dage", choices=[("mon", "Mandag"), ("tue", "Tirsdag")], widget=forms.CheckboxSelectMultiple,
        help_text="Vælg de dage, der passer.",
    )
    shift = forms.ChoiceField(label="Vagt", choices=[("am", "Formiddag"), ("pm", "Eftermiddag")], widget=forms.RadioSelect)


def field_html(form, name):
    return render_to_string("includes/field.html", {"field": form[name]})


def boxes(html):
    """Each box as drawn: (wrapper class, input tag, the label's for and text)."""
    return re.findall(
        r'<div class="(form-group-(?:checkbox|radio))">\s*(<input [^>]*>)<label class="form-label" for="([^"]+)">([^<]*)</label>',
        html,
    )


def test_each_box_comes_straight_before_the_label_that_draws_it():
    html = field_html(Choices(), "days")
    drawn = boxes(html)
    assert [(wrapper, label_for, text) for wrapper, _, label_for, text in drawn] == [
        ("form-group-checkbox", "id_days_0", "Mandag"),
        ("form-group-checkbox", "id_days_1", "Tirsdag"),
    ]
    for _, tag, label_for, _ in drawn:
        assert 'type="checkbox"' in tag and 'class="form-checkbox"' in tag and f'id="{label_for}"' in tag
    # Django's markup is gone: no input inside a label, no wrapper that DKFDS would hide.
    assert not re.search(r"<label[^>]*>\s*<input", html)
    assert '<div id="id_days"' not in html


def test_the_boxes_are_a_group_named_by_its_legend_and_described_by_its_hint():
    html = field_html(Choices(), "days")
    assert '<fieldset aria-describedby="id_days_helptext">' in html
    assert re.search(r'<legend class="form-label">Dage</legend>', html)
    assert '<span class="form-hint" id="id_days_helptext">Vælg de dage, der passer.</span>' in html


def test_radio_buttons_are_drawn_the_same_way():
    drawn = boxes(field_html(Choices(), "shift"))
    assert [(wrapper, text) for wrapper, _, _, text in drawn] == [("form-group-radio", "Formiddag"), ("form-group-radio", "Eftermiddag")]
    assert all('class="form-radio"' in tag for _, tag, _, _ in drawn)


def test_an_error_is_said_in_the_group_and_the_summary_leads_to_its_first_box():
    form = Choices(data={"days": ["sun"], "shift": "am"})
    assert not form.is_valid()
    html = field_html(form, "days")
    assert '<fieldset aria-describedby="id_days_helptext id_days_error">' in html
    assert 'id="id_days_error"' in html and 'aria-invalid="true"' in html
    summary = render_to_string("includes/form_errors.html", {"form": form})
    assert 'href="#id_days_0"' in summary


@pytest.mark.django_db
def test_the_catalogue_shows_each_tasks_description_as_the_hint_of_its_box():
    from core.forms import DescribedCheckboxes

    kitchen, _ = JobTask.objects.get_or_create(name="Let køkkenarbejde", defaults={"description": "Anretning og opvask"})
    JobTask.objects.filter(pk=kitchen.pk).update(description="Anretning og opvask")
    for form in (PledgeForm(), OpeningForm()):
        field = form["catalogue_tasks"]
        assert isinstance(field.field.widget, DescribedCheckboxes)
        html = field_html(form, "catalogue_tasks")
        box = next(tag for _, tag, _, text in boxes(html) if text == "Let køkkenarbejde")
        box_id = re.search(r'id="([^"]+)"', box).group(1)
        assert f'aria-describedby="{box_id}_hint"' in box
        assert f'<span class="form-hint" id="{box_id}_hint">Anretning og opvask</span>' in html
        assert "Sæt kryds ved de opgaver, jobbet kan bestå af" in html


@pytest.mark.django_db
def test_an_opening_being_edited_keeps_the_tasks_it_was_opened_with(employer):
    from employers.models import Opening

    kitchen, _ = JobTask.objects.get_or_create(name="Let køkkenarbejde")
    opening = Opening.objects.create(employer=employer, title="Køkken", hours_min=4, hours_max=6)
    opening.catalogue_tasks.set([kitchen])
    html = field_html(OpeningForm(instance=opening), "catalogue_tasks")
    # core.edits compares with the value the form was opened with, sent along hidden.
    assert f'<input type="hidden" name="initial-catalogue_tasks" value="{kitchen.pk}"' in html
