"""Shared form helpers: widgets dressed in Det Fælles Designsystem's classes."""

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
            if self.is_bound and name in self.errors:
                widget.attrs["aria-invalid"] = "true"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
