from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from accounts.models import Membership, Role
from taskforce.forms import DateInput, DesignSystemFormMixin

from . import cpr as cprlib
from .models import Citizen


def consultants_in(municipalities):
    return (
        get_user_model()
        .objects.filter(memberships__municipality__in=municipalities, memberships__role=Role.CONSULTANT)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class ConsultantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


STALE_MESSAGE = _("Feltet er ændret af en anden, mens du redigerede. Kontrollér værdien og gem igen.")


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
    writes it (`_refuse_stale_edit`, a pre_save receiver), so the check and the write cannot
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

    def _post_clean(self):
        super()._post_clean()
        if self.editing and self.changed_columns:
            # Checked again when the instance is saved, on the row locked for the write.
            self.instance._stale_edit_form = self

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
        if not self.editing or self.errors:
            return super().save(commit)  # a new record, or Django's ValueError for invalid data
        if commit:
            with transaction.atomic():
                self.instance.save(update_fields=self.update_fields)
                self._save_changed_m2m()
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


@receiver(pre_save, dispatch_uid="citizens.forms.refuse_stale_edit")
def _refuse_stale_edit(sender, instance, using, **kwargs):
    """Inside the transaction that saves an edit form's instance, lock the row and refuse the
    save if a field the form changed was changed by someone else since the form was opened."""
    form = instance.__dict__.pop("_stale_edit_form", None)
    if form is None:
        return
    rows = sender._base_manager.using(using).filter(pk=instance.pk)
    if transaction.get_connection(using).in_atomic_block:
        rows = rows.select_for_update()
    row = rows.first()
    if row is not None:  # deleted meanwhile: Django's own "did not affect any rows" error follows
        form.refuse_if_stale(row)


class CprFormMixin:
    """The CPR number on a citizen form: validated, unique in the municipality, and set on the
    instance (encrypted, hashed) before the model validates its constraints."""

    cpr_warning = None

    @sensitive_variables("value", "number")
    def clean_cpr(self):
        value = self.cleaned_data["cpr"]
        if not value:
            return value  # optional only where the number is already set
        number = cprlib.cpr_normalize(value)
        if not cprlib.cpr_passes_modulus11(number):
            self.cpr_warning = _(
                "Bemærk: CPR-nummeret opfylder ikke modulus 11-kontrollen. Det er i orden for "
                "numre udstedt efter 2007, men kontrollér at det er tastet rigtigt."
            )
        return number

    def clean(self):
        cleaned = super().clean()
        number, municipality = cleaned.get("cpr"), cleaned.get("municipality")
        cpr_hash = cprlib.cpr_hash(number) if number else self.instance.cpr_hash
        if (
            cpr_hash
            and municipality
            and Citizen.objects.filter(municipality=municipality, cpr_hash=cpr_hash).exclude(pk=self.instance.pk).exists()
        ):
            self.add_error(
                "cpr" if "cpr" in self.fields else "municipality",
                _("Der findes allerede en borger med dette CPR-nummer i kommunen."),
            )
        return cleaned

    def _post_clean(self):
        if self.cleaned_data.get("cpr"):
            self.instance.set_cpr(self.cleaned_data["cpr"])
        super()._post_clean()


class CitizenForm(CprFormMixin, ChangedFieldsMixin, DesignSystemFormMixin, forms.ModelForm):
    cpr = forms.CharField(
        label=_("CPR-nummer"),
        max_length=11,
        help_text=_("10 cifre, med eller uden bindestreg: DDMMÅÅ-XXXX."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    class Meta:
        model = Citizen
        fields = [
            "municipality",
            "first_name",
            "last_name",
            "phone",
            "email",
            "address",
            "unemployed_since",
            "flexjob_approved_on",
            "weekly_hours",
            "competences",
            "wishes",
            "travel_distance",
            "consent_to_share_profile",
            "consultant",
            "status",
        ]
        field_classes = {"consultant": ConsultantChoiceField}
        widgets = {"unemployed_since": DateInput(), "flexjob_approved_on": DateInput()}

    field_order = ["municipality", "first_name", "last_name", "cpr"]

    def __init__(self, *args, municipalities, **kwargs):
        self.cpr_warning = None
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0]
            self.fields["municipality"].widget = forms.HiddenInput()
        consultants = consultants_in(municipalities)
        if self.instance.consultant_id:
            # The citizen's consultant, even one who has since left the municipality's consultants:
            # otherwise the select would show none chosen, and saving any field would clear it.
            consultants = (
                get_user_model()
                .objects.filter(Q(pk__in=consultants.values("pk")) | Q(pk=self.instance.consultant_id))
                .order_by("first_name", "last_name", "username")
            )
        self.fields["consultant"].queryset = consultants
        if self.instance.pk:
            # The CPR number is set once; an admin corrects it if it was wrong.
            del self.fields["cpr"]
            # Moving a citizen would take their placements, notes and enrolments along into
            # another municipality's records.
            self.fields["municipality"].disabled = True

    def clean(self):
        cleaned = super().clean()
        consultant, municipality = cleaned.get("consultant"), cleaned.get("municipality")
        if (
            consultant
            and municipality
            and consultant.pk != self.instance.consultant_id  # kept as it was: not this user's choice
            and not Membership.objects.filter(user=consultant, municipality=municipality, role=Role.CONSULTANT).exists()
        ):
            self.add_error("consultant", _("Den ansvarlige konsulent skal være konsulent i borgerens kommune."))
        return cleaned


class CitizenSearchForm(DesignSystemFormMixin, forms.Form):
    """Sent by POST so a name or CPR number never lands in a URL, a log or browser history."""

    TARGET_GROUP_CHOICES = [("", _("Alle")), ("yes", _("I målgruppen")), ("no", _("Ikke i målgruppen"))]

    q = forms.CharField(label=_("Søg på navn eller CPR-nummer"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Alle"))] + Citizen.Status.choices)
    target_group = forms.ChoiceField(label=_("Målgruppe (ledig over 1 år)"), required=False, choices=TARGET_GROUP_CHOICES)
    consultant = forms.ChoiceField(label=_("Konsulent"), required=False)
    SORTS = {
        "name": ("last_name", "first_name", "pk"),
        "unemployed": (F("unemployed_since").asc(nulls_last=True), "last_name", "first_name", "pk"),
        "newest": ("-created_at", "-pk"),
    }
    sort = forms.ChoiceField(
        label=_("Sortér efter"),
        required=False,
        choices=[("name", _("Navn")), ("unemployed", _("Længst ledig først")), ("newest", _("Senest oprettet"))],
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput())

    def __init__(self, *args, consultants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].choices = [("", _("Alle")), ("mine", _("Mine borgere"))] + [
            (str(u.pk), u.get_full_name() or u.username) for u in consultants
        ]

    @sensitive_variables("data", "q")
    def filter(self, citizens, user, today):
        # Filter by every value that is valid: a tampered page number must not drop the search.
        self.is_valid()
        data = self.cleaned_data
        q = (data.get("q") or "").strip()
        if q:
            if cprlib.CPR_PATTERN.match(q):
                citizens = citizens.with_cpr(q.replace("-", "").strip())
            else:
                for word in q.split():
                    citizens = citizens.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        if data.get("status"):
            citizens = citizens.filter(status=data["status"])
        if data.get("target_group") == "yes":
            citizens = citizens.in_target_group(today)
        elif data.get("target_group") == "no":
            citizens = citizens.not_in_target_group(today)
        consultant = data.get("consultant")
        if consultant == "mine":
            citizens = citizens.filter(consultant=user)
        elif consultant:
            citizens = citizens.filter(consultant_id=consultant)
        return citizens.order_by(*self.SORTS[data.get("sort") or "name"])


class CaseNoteForm(DesignSystemFormMixin, forms.Form):
    # The field strips whitespace, so a blank note is caught as a missing one.
    text = forms.CharField(
        label=_("Nyt journalnotat"),
        widget=forms.Textarea,
        max_length=10000,
        error_messages={"required": _("Skriv notatets tekst.")},
    )


class RevealCprForm(forms.Form):
    purpose = forms.CharField(required=False, max_length=200)


class CitizenAdminForm(CprFormMixin, forms.ModelForm):
    """The admin's form: the CPR number is required to register and may be typed again to correct it."""

    cpr = forms.CharField(
        label=_("CPR-nummer"),
        max_length=11,
        required=False,
        help_text=_("Udfyld kun for at rette CPR-nummeret: 10 cifre, DDMMÅÅ-XXXX."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = Citizen
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["cpr"].required = True
            self.fields["cpr"].help_text = _("10 cifre, med eller uden bindestreg: DDMMÅÅ-XXXX.")
