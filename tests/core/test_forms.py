"""The shared form helpers: design-system classes on every widget, invalid fields marked for
screen readers, and the municipality field hidden when the user works in one only."""

from django import forms

from accounts.models import Municipality
from core.forms import DateInput, DesignSystemFormMixin, limit_municipality_field


class ExampleForm(DesignSystemFormMixin, forms.Form):
    municipality = forms.ModelChoiceField(queryset=Municipality.objects.none())
    name = forms.CharField()
    note = forms.CharField(widget=forms.Textarea, required=False)
    active = forms.BooleanField(required=False)
    start = forms.DateField(widget=DateInput(), required=False)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        limit_municipality_field(self, municipalities)


def test_it_dresses_each_widget_in_the_design_systems_class(fredericia, odense):
    form = ExampleForm(municipalities=Municipality.objects.all())
    classes = {name: field.widget.attrs["class"] for name, field in form.fields.items()}
    assert classes == {"municipality": "form-select", "name": "form-input", "note": "form-input",
                       "active": "form-checkbox", "start": "form-input"}
    assert 'type="date"' in str(form["start"])


def test_it_marks_invalid_fields_for_screen_readers_after_validation(fredericia):
    form = ExampleForm({"municipality": fredericia.pk, "name": ""}, municipalities=Municipality.objects.all())
    assert not form.is_valid()
    assert form.fields["name"].widget.attrs.get("aria-invalid") == "true"
    assert "aria-invalid" not in form.fields["municipality"].widget.attrs


def test_it_hides_the_municipality_field_and_chooses_it_when_there_is_only_one(fredericia):
    form = ExampleForm(municipalities=Municipality.objects.filter(pk=fredericia.pk))
    assert form.fields["municipality"].widget.is_hidden
    assert form.fields["municipality"].initial == fredericia


def test_it_offers_only_the_users_municipalities_when_there_are_several(fredericia, odense):
    Municipality.objects.create(code=101, name="København")
    ours = Municipality.objects.filter(pk__in=[fredericia.pk, odense.pk])
    form = ExampleForm(municipalities=ours)
    assert not form.fields["municipality"].widget.is_hidden
    assert set(form.fields["municipality"].queryset) == {fredericia, odense}
    refused = ExampleForm({"municipality": Municipality.objects.get(code=101).pk, "name": "x"}, municipalities=ours)
    assert "municipality" in refused.errors
