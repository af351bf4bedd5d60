"""Form helpers every app's forms share: widgets dressed in Det Fælles Designsystem's
classes (check boxes with a hint per choice among them), text fields that refuse control
characters, date and time inputs the browser understands (within a plausible window), free text of a bounded length, a CPR number box that
never sends the typed number back into the page, and the municipality field that is hidden
when the user works in one municipality only."""

from django import forms
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.boundfield import BoundField
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .validators import PlausibleDateValidator, TextLengthValidator, validate_no_control_characters

RETYPE_CPR_MESSAGE = _("Af hensyn til borgerens data vises CPR-nummeret ikke igen. Skriv det igen.")


class SafeTextFormMixin:
    """Every text field refuses control characters (NUL among them) with one clear message, in
    place of Django's own NUL check. A password is left as typed: it is never stored as text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
                field.validators = [
                    v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
                ] + [validate_no_control_characters]


class DesignSystemBoundField(BoundField):
    """A field as includes/field.html draws it. A group of check boxes is drawn there box by
    box, so the hidden copy of the value the form was opened with (core.edits sets
    show_hidden_initial) is asked for on its own."""

    @property
    def hidden_initial(self):
        return self.as_hidden(only_initial=True) if self.field.show_hidden_initial else ""


class DesignSystemFormMixin(SafeTextFormMixin):
    """Give every widget the DKFDS class it needs, and mark invalid fields for screen readers.
    Text fields refuse control characters (SafeTextFormMixin); a CPR number box, left empty
    after a failed submit, asks for the number again in its hint (CprInput)."""

    bound_field_class = DesignSystemBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            # Check boxes and radio buttons, alone or one per choice (CheckboxSelectMultiple
            # is a RadioSelect): includes/field.html puts each input before its own label,
            # which draws the box, as DKFDS expects.
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
                css = "form-checkbox"
            elif isinstance(widget, forms.RadioSelect):
                css = "form-radio"
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
        if self._errors:
            _ask_to_retype_cpr(self)
        for name, field in self.fields.items():
            field.widget.attrs.pop("aria-invalid", None)
            if name in self._errors:
                field.widget.attrs["aria-invalid"] = "true"


def _ask_to_retype_cpr(form):
    """The form failed: a CPR number typed into a CprInput is not shown again, so its hint says
    why the box is empty and asks for the number again."""
    for name, field in form.fields.items():
        if not isinstance(field.widget, CprInput) or getattr(field, "asks_to_retype", False):
            continue
        bound = form[name]
        if bound.data:
            hint = field.help_text
            hint = format_lazy("{} {}", RETYPE_CPR_MESSAGE, hint) if hint else RETYPE_CPR_MESSAGE
            # The bound field, made while cleaning, keeps its own copy of the hint.
            field.help_text = bound.help_text = hint
            field.asks_to_retype = True


class CprInput(forms.TextInput):
    """A text box for a CPR number that never renders a submitted value (as a password box
    with render_value=False), so a failed form does not send the number back into the page,
    its cache or a screenshot. Not a password box: the consultant sees what they type."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"autocomplete": "off", "inputmode": "numeric", **(attrs or {})})

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


class DescribedCheckboxes(forms.CheckboxSelectMultiple):
    """A check box per choice (includes/field.html draws them the DKFDS way), and under the
    label of a choice whose object has a description (a task in the catalogue: "Anretning,
    opvask …") that description as the box's hint."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = getattr(getattr(value, "instance", None), "description", "") or ""
        if option["hint"] and option["attrs"].get("id"):
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_hint"
        return option


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


def limit_dates(form, validator, *names):
    """Dates (or datetimes) of these fields within a window of core.validators, also offered so
    by the browser's date picker.

    A model's date field carries its window itself (`validators=[validate_planned_date]`), so
    that the admin and every ModelForm refuse what is outside it: for such a field the window
    is read from the model, and `validator` may be None. Given, it must be the same window, so
    a form and its model never hold two rules. A field of a plain form takes `validator`.

    The window is checked as the form field is cleaned, so the form's own clean() never sees a
    date outside it (and the model, with the field in error, does not check it again)."""
    for field, window in _fields_and_rules(form, validator, PlausibleDateValidator, names):
        if window not in field.validators:
            field.validators.append(window)
        earliest, latest = window.bounds()
        if isinstance(field.widget, DateTimeInput):
            field.widget.attrs.update(min=f"{earliest:%Y-%m-%d}T00:00", max=f"{latest:%Y-%m-%d}T23:59")
        elif isinstance(field.widget, DateInput):
            field.widget.attrs.update(min=f"{earliest:%Y-%m-%d}", max=f"{latest:%Y-%m-%d}")


def limit_length(form, max_length, *names):
    """Free text of these fields at most `max_length` characters (core.limits), refused with the
    count so the writer knows how much to cut; the text box stops there too.

    A model's text field carries its limit itself (`validators=[TextLengthValidator(...)]`), so
    that the admin and every ModelForm refuse what is longer: for such a field the limit is read
    from the model, and `max_length` may be None. Given, it must be the same limit, so a form and
    its model never hold two rules. A field of a plain form takes `max_length`."""
    given = None if max_length is None else TextLengthValidator(max_length)
    for field, limit in _fields_and_rules(form, given, TextLengthValidator, names):
        field.max_length = limit.limit_value
        field.validators = [v for v in field.validators if getattr(v, "code", None) != "max_length"]
        field.validators.append(limit)
        field.widget.attrs["maxlength"] = str(limit.limit_value)


def _fields_and_rules(form, given, kind, names):
    """The form's fields among `names` (those it has), each with its rule: the validator of class
    `kind` on the model field behind a ModelForm's field, else `given`. Both there, they must be
    the same rule; neither there is a mistake in the form."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    for name in names:
        if name not in form.fields:
            continue
        on_model = None
        if model is not None:
            try:
                validators = getattr(model._meta.get_field(name), "validators", [])
            except FieldDoesNotExist:
                validators = []
            on_model = next((v for v in validators if isinstance(v, kind)), None)
        if on_model is not None and given is not None and given != on_model:
            raise ImproperlyConfigured(
                f"{type(form).__name__}.{name}: the model field's rule is {_arguments(on_model)}, "
                f"the form's {_arguments(given)}."
            )
        rule = given if on_model is None else on_model
        if rule is None:
            raise ImproperlyConfigured(f"{type(form).__name__}.{name}: no {kind.__name__} given or on the model field.")
        yield form.fields[name], rule


def _arguments(rule):
    """A validator as it was made: `TextLengthValidator(2000)`."""
    _path, args, kwargs = rule.deconstruct()
    return f"{type(rule).__name__}({', '.join([*map(repr, args), *(f'{k}={v!r}' for k, v in kwargs.items())])})"
