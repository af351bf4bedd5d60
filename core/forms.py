"""Form helpers every app's forms share: widgets dressed in Det Fælles Designsystem's
classes, date and time inputs the browser understands, and the municipality field that
is hidden when the user works in one municipality only."""

from django import forms


class DesignSystemFormMixin:
    """Give every widget the DKFDS class it needs, and mark invalid fields for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-checkbox"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            elif isinstance(widget, forms.Textarea):
                css = "form-input"
                widget.attrs.setdefault("rows", 4)
            else:
                css = "form-input"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        # Mark invalid fields only once validation has run: reading `errors` in __init__
        # would validate before a subclass has narrowed its choices to the user's own.
        super().full_clean()
        for name, field in self.fields.items():
            field.widget.attrs.pop("aria-invalid", None)
            if name in self._errors:
                field.widget.attrs["aria-invalid"] = "true"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def limit_municipality_field(form, municipalities, name="municipality"):
    """Offer only the user's own municipalities; with only one, choose it and hide the field
    (a consultant of one jobcenter has nothing to pick)."""
    field = form.fields[name]
    field.queryset = municipalities
    if len(municipalities) == 1:
        field.initial = municipalities[0]
        field.widget = forms.HiddenInput()
    return field
