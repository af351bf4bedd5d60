"""Edits that keep a colleague's work: an edit form writes only what its user changed, and
the save refuses a field someone else changed since the form was opened.

`ChangedFieldsMixin` goes on a ModelForm; `save_changed(form)` is the one step that saves
an edited record, called by the service that owns the write, inside its transaction and
beside its audit row: it locks the row, refuses a stale edit (`StaleEdit`) and saves the
changed columns only.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _("Feltet er ændret af en anden, mens du redigerede. Kontrollér værdien og gem igen.")
DELETED_MESSAGE = _("Posten er slettet af en anden, mens du redigerede.")


class StaleEdit(ValidationError):
    """A field this user changed was changed by someone else after the form was opened. Carries
    the form it belongs to (a formset's form, for one), whose fields now show the current values."""

    def __init__(self, form, errors):
        super().__init__(errors)
        self.form = form


class ChangedFieldsMixin:
    """An edit form that writes only what its user changed, so a colleague's change made while
    the form was open is kept (STYLE: writes use `save(update_fields=…)`).

    Editing, every field also sends the value the form was opened with, so `changed_data` is
    what this user changed, not what differs from the row now. The fields they left alone take
    the row's current value before the checks run, so the checks see what will be saved.

    A field this user changed that someone else changed too since the form was opened is
    refused with a field error, and shows the current value (STYLE rule 7): checked against the
    row as loaded for this request, and again on the row locked inside the transaction that
    writes it (`save_changed`, which the services call), so the check and the write cannot
    be interleaved by another save. Many-to-many fields have no conflict: only the entries
    this user ticked or unticked are added or removed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = self.instance.pk is not None
        if self.editing:
            for field in self.fields.values():
                field.show_hidden_initial = True

    def _edited(self, names):
        """The names among `names` of fields that send the value the form was opened with (not
        those a formset adds after __init__: its id, foreign key and delete box)."""
        return [name for name in names if name in self.fields and self.fields[name].show_hidden_initial]

    def clean(self):
        cleaned = super().clean()
        if self.editing:
            for name in self._columns(self._edited(self.fields)):
                if name in cleaned and name not in self.changed_data:
                    cleaned[name] = getattr(self.instance, name)
            # The instance is the row as loaded for this request (construct_instance runs later).
            stale = {name: value for name, value in self._stale_fields(self.instance).items() if name not in self._errors}
            if stale:
                self._show_current(stale)
                for name in stale:
                    self.add_error(name, ValidationError(STALE_MESSAGE, code="stale"))
        return cleaned

    def _columns(self, names):
        concrete = {f.name for f in self._meta.model._meta.concrete_fields}
        return [name for name in names if name in concrete]

    def _initial_data(self, name):
        """What the form sent as the field's value when it was opened."""
        bound = self[name]
        return self._widget_data_value(bound.field.hidden_widget(), bound.html_initial_name)

    def _sent_initial_values(self):
        """Whether the form sent the values it was opened with, as the rendered form does (an
        empty many-to-many set sends nothing, so this asks of every field)."""
        return any(self[name].html_initial_name in self.data for name in self._edited(self.fields))

    def _stale_fields(self, row):
        """{name: current value} of the columns this user changed that differ in `row` from
        the value the form was opened with."""
        stale = {}
        for name in self.changed_columns:
            if self[name].html_initial_name not in self.data:
                continue  # not sent (not a browser's form): nothing to compare with
            model_field = self._meta.model._meta.get_field(name)
            current = model_field.value_from_object(row)
            if self.fields[name].has_changed(current, self._initial_data(name)):
                stale[name] = current
        return stale

    def _show_current(self, stale):
        """Show each stale field's current value, and send it as the value the form was opened
        with, so saving again writes what this user then chooses."""
        data = self.data.copy()
        for name, current in stale.items():
            bound, field = self[name], self.fields[name]
            value = field.prepare_value(current)
            data[bound.html_initial_name] = "" if value is None else str(value)
            if isinstance(field.widget, forms.CheckboxInput):
                if current:
                    data[bound.html_name] = "on"
                else:
                    data.pop(bound.html_name, None)
            else:
                data[bound.html_name] = "" if value is None else str(value)
        self.data = data

    def refuse_if_stale(self, row):
        """Raise StaleEdit if a column this user changed has changed in `row` meanwhile."""
        stale = self._stale_fields(row)
        if stale:
            self._show_current(stale)
            raise StaleEdit(self, {name: ValidationError(STALE_MESSAGE, code="stale") for name in stale})

    @property
    def changed_columns(self):
        """The columns this user changed (many-to-many fields aside)."""
        return self._columns(self._edited(self.changed_data))

    @property
    def update_fields(self):
        """For `save(update_fields=…)`: the changed columns and any auto_now column, or an empty
        list (Django then saves nothing) when nothing changed."""
        columns = self.changed_columns
        if not columns:
            return []
        auto_now = [f.name for f in self._meta.model._meta.concrete_fields if getattr(f, "auto_now", False)]
        return [*columns, *(name for name in auto_now if name not in columns)]

    def save(self, commit=True):
        """A new record as Django saves it; an edited one through `save_changed` (a formset's
        forms are saved this way), never a plain save that would overwrite a colleague."""
        if not self.editing or self.errors:
            return super().save(commit)  # a new record, or Django's ValueError for invalid data
        if commit:
            save_changed(self)
        else:
            self.save_m2m = self._save_changed_m2m
        return self.instance

    def _save_changed_m2m(self):
        """Add the entries this user ticked and remove those they unticked, keeping what a
        colleague added or removed meanwhile (`.set()` would write back the stale whole set)."""
        many_to_many = {f.name for f in self._meta.model._meta.many_to_many}
        for name in self._edited(self.changed_data):
            if name not in many_to_many:
                continue
            related = getattr(self.instance, name)
            pk_field = related.model._meta.pk
            opened_with = set()
            if not self._sent_initial_values():
                # Not a browser's form: what it was opened with is unknown, so it sets the whole set.
                opened_with = set(related.values_list("pk", flat=True))
            for value in self._initial_data(name) or []:
                try:
                    opened_with.add(pk_field.to_python(value))
                except ValidationError:
                    pass  # not a key: nothing this user could have unticked
            chosen = {obj.pk: obj for obj in self.cleaned_data[name]}
            added = [obj for pk, obj in chosen.items() if pk not in opened_with]
            removed = [pk for pk in opened_with if pk not in chosen]
            if added:
                related.add(*added)
            if removed:
                related.remove(*related.filter(pk__in=removed))



def save_changed(form, *, also=(), prepare=None):
    """Save the record of an edit form: lock its row, refuse the edit if a field this user
    changed was changed by someone else since the form was opened (StaleEdit, whose fields
    then show the current values), and save only the changed columns, `also` (columns the
    caller derives itself) and any auto_now column; then the many-to-many entries this user
    ticked or unticked. Runs in the caller's transaction (or its own).

    Before the write, the columns this user left alone take the locked row's values, so the
    instance is what the row will be; `prepare(instance)` then derives `also` from it and may
    refuse the save (a ValidationError), with no colleague's change in between.

    Returns the names of the columns this user changed: none, and no column is written."""
    if not transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return save_changed(form, also=also, prepare=prepare)
    instance = form.instance
    columns = form.changed_columns
    # Lock this row only: `of=("self",)` and no ordering, so a model ordered through a
    # relation (a target by its municipality's name) does not lock the related row too.
    row = type(instance)._base_manager.select_for_update(of=("self",)).filter(pk=instance.pk).order_by().first()
    if row is None:
        raise ValidationError(DELETED_MESSAGE, code="deleted")
    form.refuse_if_stale(row)
    if columns:
        for field in type(instance)._meta.concrete_fields:
            if field.name not in columns and not field.primary_key:
                setattr(instance, field.attname, getattr(row, field.attname))
        if prepare is not None:
            prepare(instance)
        instance.save(update_fields=[*form.update_fields, *(name for name in also if name not in form.update_fields)])
    form._save_changed_m2m()
    return columns
