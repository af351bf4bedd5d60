"""Choosing among many records (employers, openings, users) without sending them all to the
browser: a search-as-you-type field, htmx with JavaScript and a plain search without.

`ChooserField` (one record) and `MultipleChooserField` (several) are model choice fields whose
widget shows only the records chosen and, once something is typed, the first CHOOSER_LIMIT
records that match: never the whole queryset, so a page does not grow with the data. Their
queryset, scoped by the form to what the user may choose, still validates what is sent: an id
from elsewhere (another municipality's, a forged one) is refused with the field's message.

With JavaScript, typing asks the field's `search_url` (htmx) for the chosen records and those
that match again: the view there loads a field with the queryset its access helper scoped and
returns `chooser_response(request, field)`. Without, the field's "Søg" button sends the form,
and `chooser_search_requested(form)` tells the view to show it again, with what was typed and
the results, saving nothing. A subclass says how its records are searched (`search`) and named
(`label_from_instance`); the default searches `search_fields` as the Django admin does.

The search is a GET, so what is typed is in a URL and the access log: not for records found by
personal data (a citizen's name or CPR number), which the citizen list searches by POST.

The widget draws itself with templates/includes/chooser.html (the region that changes is
includes/chooser_choices.html, also the search's response), so includes/field.html shows it as
any other field: the field's label names the search box.
"""

import re
import unicodedata
from functools import reduce
from operator import or_

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .ids import MAX_ID, is_id

# Results shown for a search: enough to find one by name, few enough for a phone's screen.
CHOOSER_LIMIT = 20
SEARCH_MAX_LENGTH = 100
QUERY_SUFFIX, SEARCH_SUFFIX, SHOWN_SUFFIX = "__q", "__search", "__shown"
# A field's name and id as a chooser's search sends them back (a form's prefix included).
NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,99}$")
CHOICES_TEMPLATE = "includes/chooser_choices.html"

INVALID_CHOICE = _("Det valgte kan ikke vælges her. Søg det frem, og vælg det i listen.")


def search_text(value):
    """Typed text as it is searched for: control and other invisible characters (NUL among
    them, which PostgreSQL refuses) dropped, spaces squeezed, at most SEARCH_MAX_LENGTH long."""
    text = "".join(ch for ch in str(value or "") if not unicodedata.category(ch).startswith("C"))
    return " ".join(text.split())[:SEARCH_MAX_LENGTH]


def record_id(value):
    """A sent value (a record or its key) as a record's id, or None: digits only (no sign, no
    `1_000`, no other script's digits), within what the database holds (core.ids)."""
    text = str(getattr(value, "pk", value)).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    pk = int(text)
    return pk if is_id(pk) else None


def _ids(values):
    found = []
    for value in values:
        pk = record_id(value)
        if pk is not None and pk not in found:
            found.append(pk)
    return found


class ChooserMixin:
    """What both choosers share: the search, the chosen records and refusing an id that is not
    one of the queryset's with one message."""

    search_url = None
    search_fields = ("name",)
    # Shown over the search box, e.g. "Søg på navn eller CVR-nummer."
    search_hint = None
    default_error_messages = {"invalid_choice": INVALID_CHOICE, "invalid_pk_value": INVALID_CHOICE}

    def __init__(self, queryset=None, *, search_url=None, search_fields=None, search_hint=None, **kwargs):
        super().__init__(queryset, **kwargs)
        self.search_url = search_url or self.search_url
        self.search_fields = search_fields or self.search_fields
        self.search_hint = search_hint or self.search_hint

    def search(self, queryset, text):
        """The records of `queryset` that match `text`: each word in one of `search_fields`
        (`name` contains, `^name` starts with, `=name` is, as in the Django admin's)."""
        lookups = {"^": "istartswith", "=": "iexact"}
        for word in text.split():
            terms = []
            for field in self.search_fields:
                lookup = lookups.get(field[0], "icontains")
                terms.append(Q(**{f"{field.lstrip('^=')}__{lookup}": word}))
            queryset = queryset.filter(reduce(or_, terms))
        return queryset

    def ordered(self, queryset):
        return queryset if queryset.ordered else queryset.order_by("pk")

    def records(self, ids):
        """The queryset's records among `ids`, in its order: one query, none for no ids."""
        return list(self.ordered(self.queryset.filter(pk__in=ids))) if ids else []

    def find(self, text, exclude=()):
        """The first CHOOSER_LIMIT records matching `text` (`exclude`d aside), and whether
        there are more: one query, of at most CHOOSER_LIMIT + 1 rows."""
        found = self.search(self.queryset, text)
        if exclude:
            found = found.exclude(pk__in=exclude)
        found = list(self.ordered(found)[: CHOOSER_LIMIT + 1])
        return found[:CHOOSER_LIMIT], len(found) > CHOOSER_LIMIT

    def _invalid(self, value):
        return ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class ChooserWidget(forms.Widget):
    """The chooser's widget: a search box, a "Søg" button, the chosen records and the results,
    as radio buttons (or check boxes) drawn the DKFDS way.

    htmx attributes given in `attrs` (the placement form asks for its openings when the
    employer changes) go on the element around the choices, which a change of choice reaches:
    they are sent the choices too."""

    template_name = "includes/chooser.html"
    multiple = False

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = ()  # set by the field: its queryset's iterator, never iterated here
        self.typed, self.shown, self.searched = "", [], False

    def value_from_datadict(self, data, files, name):
        # Remember what the form sent besides the choice, for the form shown again.
        self.typed = search_text(data.get(name + QUERY_SUFFIX))
        self.shown = _getlist(data, name + SHOWN_SUFFIX)
        self.searched = name + SEARCH_SUFFIX in data
        return _getlist(data, name) if self.multiple else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        # A choice left empty sends nothing, as an unticked check box does.
        return False if self.multiple else super().value_omitted_from_data(data, files, name)

    def format_value(self, value):
        if value is None:
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        return [str(v) for v in values if v not in (None, "")]

    def id_for_label(self, id_):
        return f"{id_}_q" if id_ else id_  # the field's label names the search box

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field = self.choices.field
        attrs = context["widget"]["attrs"]
        base_id = attrs.get("id") or f"id_{name}"
        on_change = {k: v for k, v in attrs.items() if k.startswith("hx-")}
        if on_change:
            given = on_change.get("hx-include")
            on_change["hx-include"] = f"#{base_id}_choices" + (f", {given}" if given else "")
        disabled = bool(attrs.get("disabled"))
        optional = not self.is_required
        context.update(chooser_context(
            field, name=name, base_id=base_id, multiple=self.multiple, optional=optional,
            values=context["widget"]["value"], shown=self.shown, text=self.typed, searched=self.searched,
            disabled=disabled,
        ))
        context.update(
            search_url=_search_url(field.search_url, name=name, base_id=base_id, multiple=self.multiple, optional=optional),
            search_hint=field.search_hint,
            label=field.label,
            on_change=on_change,
            search_attrs=_search_attrs(attrs, base_id, field.search_hint),
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates (templates/includes), not the form renderer's own.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))


class MultipleChooserWidget(ChooserWidget):
    multiple = True


class ChooserField(ChooserMixin, forms.ModelChoiceField):
    """One record, chosen by searching: `ChooserField(queryset=…, search_url=…)`."""

    widget = ChooserWidget

    def to_python(self, value):
        if value in self.empty_values:
            return None
        pk = record_id(value)
        if pk is None:
            raise self._invalid(value)
        return super().to_python(pk)


class MultipleChooserField(ChooserMixin, forms.ModelMultipleChoiceField):
    """Several records, chosen by searching and ticking: `MultipleChooserField(queryset=…, search_url=…)`."""

    widget = MultipleChooserWidget

    def _check_values(self, value):
        for sent in value:
            if record_id(sent) is None:
                raise self._invalid(sent)
        return super()._check_values([str(record_id(sent)) for sent in value])


def chooser_context(field, *, name, base_id, multiple, optional, values, shown=(), text="", searched=False, disabled=False):
    """What includes/chooser_choices.html draws: the chosen records (ticked, and those shown
    before and since unticked, so a search does not lose them), and the results for `text`.
    At most two queries, whatever the number of records."""
    chosen_ids = _ids(values)
    shown_ids = [pk for pk in _ids(shown)[:CHOOSER_LIMIT] if pk not in chosen_ids]
    records = field.records(chosen_ids + shown_ids)
    results, more = ([], False)
    if text and not disabled:
        results, more = field.find(text, exclude=[r.pk for r in records])

    def option(record, checked=False):
        return {"value": record.pk, "label": field.label_from_instance(record), "checked": checked,
                "id": f"{base_id}_{record.pk}"}

    chosen = [option(r, r.pk in chosen_ids) for r in records]
    with_none = not multiple and optional and bool(chosen or results)
    return {
        "name": name,
        "base_id": base_id,
        "multiple": multiple,
        "input_type": "checkbox" if multiple else "radio",
        "chosen": chosen,
        "none_option": {"id": f"{base_id}_none", "checked": not any(o["checked"] for o in chosen)} if with_none else None,
        "results": [option(r) for r in results],
        "more": more,
        "text": text,
        "searched": searched or bool(text),
        "limit": CHOOSER_LIMIT,
        "disabled": disabled,
    }


def chooser_response(request, field):
    """The answer to a chooser's search (htmx, GET): the chosen records and those that match
    the typed text, for `field`, whose queryset the view scoped through the records' access
    helper. The query string names the form's field (`field`, `id`, `multiple`, `optional`,
    put there by the widget), the text (`q` or `<field>__q`) and the choices (`<field>`,
    `<field>__shown`). A constant number of queries, whatever the number of records."""
    params = request.GET
    name = params.get("field", "")
    base_id = params.get("id") or f"id_{name}"
    if not (NAME_PATTERN.match(name) and NAME_PATTERN.match(base_id)):
        raise BadRequest("A chooser's search names its field.")
    multiple = params.get("multiple") == "1"
    context = chooser_context(
        field, name=name, base_id=base_id, multiple=multiple, optional=params.get("optional") == "1",
        values=params.getlist(name) if multiple else params.getlist(name)[:1],
        shown=params.getlist(name + SHOWN_SUFFIX),
        text=search_text(params.get("q", params.get(name + QUERY_SUFFIX))),
        searched=name + SEARCH_SUFFIX in params,
    )
    return render(request, CHOICES_TEMPLATE, context)


def chooser_search_requested(form):
    """Whether the form was sent by one of its choosers' "Søg" buttons (without JavaScript).
    Then nothing is to be saved: the view shows the form again, as sent and with that
    chooser's results, and without errors, since nobody asked to check it yet. Call it before
    `form.is_valid()`: `if request.method == "POST" and not chooser_search_requested(form)
    and form.is_valid(): …`."""
    if not form.is_bound:
        return False
    for name, field in form.fields.items():
        if isinstance(field, ChooserMixin) and form.add_prefix(name) + SEARCH_SUFFIX in form.data:
            form._errors, form.cleaned_data = ErrorDict(), {}
            return True
    return False


def _getlist(data, name):
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name)
    return [] if value is None else list(value) if isinstance(value, (list, tuple)) else [value]


def _search_attrs(attrs, base_id, hint):
    """The search box's attributes: the DKFDS class and what the bound field says of the field
    (its hint and error, whether it is invalid), with the search hint."""
    classes = (attrs.get("class") or "").split()
    classes += [css for css in ("form-input", "chooser-query") if css not in classes]
    found = {"class": " ".join(classes)}
    described = [attrs["aria-describedby"]] if attrs.get("aria-describedby") else []
    if hint:
        described.append(f"{base_id}_q_hint")
    if described:
        found["aria-describedby"] = " ".join(described)
    if attrs.get("aria-invalid"):
        found["aria-invalid"] = "true"
    return found


def _search_url(url, **params):
    """The field's search URL with what its answer needs to name the inputs as the form does."""
    if not url:
        return None
    query = {"field": params["name"], "id": params["base_id"]}
    if params["multiple"]:
        query["multiple"] = "1"
    if params["optional"]:
        query["optional"] = "1"
    url = str(url)
    return f"{url}{'&' if '?' in url else '?'}{urlencode(query)}"
