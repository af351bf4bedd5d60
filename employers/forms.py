"""Employer forms: the employer with its contact persons, openings with the task catalogue,
and the employer register's search and sorting."""

import copy

from django import forms
from django.db.models import F, Q
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core.edits import ChangedFieldsMixin, save_changed
from core.forms import DateInput, DescribedCheckboxes, DesignSystemFormMixin, limit_dates, limit_length, limit_municipality_field
from core.limits import MAX_POSITIONS, TEXT_MAX_LENGTH
from core.validators import validate_recorded_date

from .cvr import cvr_normalize
from .models import ContactPerson, Employer, JobTask, Opening


# The sector control's choice for a social-economic enterprise, which is a private company
# (SPEC: counted among the private, and shown on its own).
SOCIAL_ECONOMIC = "social_economic"
SECTOR_CHOICES = [
    ("", "---------"),
    (Employer.Sector.PRIVATE, _("Privat")),
    (SOCIAL_ECONOMIC, _("Privat, socialøkonomisk virksomhed")),
    (Employer.Sector.PUBLIC, _("Offentlig")),
]


def sector_choice(employer):
    """The sector control's value for an employer's two columns, sector and social_economic."""
    return SOCIAL_ECONOMIC if employer.social_economic else employer.sector


class EmployerForm(ChangedFieldsMixin, DesignSystemFormMixin, forms.ModelForm):
    """The employer with one control for its sector: private, private and social-economic, or
    public. It writes both columns, `sector` and `social_economic`, so the form cannot ask
    twice, nor offer a public social-economic enterprise (which the database refuses)."""

    # Longer than the 8 digits stored, so "1234 5678" or "DK12345678" reaches clean_cvr and
    # gets the CVR message rather than a generic length error.
    cvr = forms.CharField(
        label=_("CVR-nummer"),
        max_length=20,
        help_text=_("8 cifre."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    sector = forms.ChoiceField(
        label=_("Sektor"),
        choices=SECTOR_CHOICES,
        help_text=_("En socialøkonomisk virksomhed er en privat virksomhed: den tælles med de private og vises også for sig."),
    )

    class Meta:
        model = Employer
        fields = [
            "municipality",
            "name",
            "cvr",
            "sector",
            "size",
            "industry",
            "address",
            "last_contact",
            "next_step",
        ]
        widgets = {"last_contact": DateInput()}

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        limit_municipality_field(self, municipalities)
        limit_dates(self, validate_recorded_date, "last_contact")
        if self.instance.pk:
            # Moving a registered employer would leave its placements across two municipalities.
            self.fields["municipality"].disabled = True
            self.initial["sector"] = sector_choice(self.instance)
        self.social_economic = None  # chosen anew when the sector control is (see clean)

    def clean_cvr(self):
        return cvr_normalize(self.cleaned_data["cvr"])

    def clean(self):
        cleaned = super().clean()
        # Editing, a sector this user left alone holds the row's column already (core.edits).
        if cleaned.get("sector") and (not self.editing or "sector" in self.changed_data):
            self.social_economic = cleaned["sector"] == SOCIAL_ECONOMIC
            if self.social_economic:
                cleaned["sector"] = Employer.Sector.PRIVATE
            self.instance.social_economic = self.social_economic
        return cleaned

    def _stale_fields(self, row):
        # The sector control stands for both columns: compare it with the choice the row makes.
        shown = copy.copy(row)
        shown.sector = sector_choice(row)
        return super()._stale_fields(shown)

    def save(self, commit=True):
        if self.editing and commit and not self.errors and self.social_economic is not None:
            # The social_economic column goes with the sector control: written with it, from the
            # choice, on the row as save_changed locks and checks it.
            save_changed(self, also=["social_economic"], prepare=self._write_social_economic)
            return self.instance
        return super().save(commit)

    def _write_social_economic(self, employer):
        employer.social_economic = self.social_economic


class ContactPersonForm(ChangedFieldsMixin, DesignSystemFormMixin, forms.ModelForm):
    """Editing, writes only the fields this user changed, and refuses one a colleague changed
    meanwhile, as the employer's own form does."""

    class Meta:
        model = ContactPerson
        fields = ["name", "title", "phone", "email"]


# An employer has a handful of contact persons. A posted form count above this is refused
# without building the forms it asks for (Django would build up to 2,000 and render them back).
MAX_CONTACTS = 25

ContactFormSet = inlineformset_factory(
    Employer, ContactPerson, form=ContactPersonForm, extra=1, can_delete=True,
    max_num=MAX_CONTACTS, validate_max=True, absolute_max=MAX_CONTACTS,
)


class HoursRangeMixin:
    """An opening's hours a week run from `hours_min` to `hours_max`: the form of an opening
    and the leader's pledge (which becomes one) say so alike."""

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("hours_min"), cleaned.get("hours_max")
        if low is not None and high is not None and high < low:
            self.add_error("hours_max", _("Timetallet 'til' må ikke være mindre end 'fra'."))
        return cleaned


class OpeningForm(HoursRangeMixin, ChangedFieldsMixin, DesignSystemFormMixin, forms.ModelForm):
    class Meta:
        model = Opening
        fields = [
            "title", "catalogue_tasks", "tasks", "hours_min", "hours_max", "positions", "from_task_force", "is_open",
        ]
        widgets = {"catalogue_tasks": DescribedCheckboxes}
        # Below the catalogue, the free text is for what it lacks (as on the pledge form).
        labels = {"tasks": _("Andre opgaver")}
        help_texts = {
            "catalogue_tasks": _("Sæt kryds ved de opgaver, jobbet kan bestå af – så kan jobcentret finde de rette kandidater."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The catalogue's active tasks, and any the opening already has that were retired since.
        tasks = Q(active=True)
        if self.instance.pk:
            tasks |= Q(pk__in=self.instance.catalogue_tasks.values("pk"))
        self.fields["catalogue_tasks"].queryset = JobTask.objects.filter(tasks)
        limit_length(self, TEXT_MAX_LENGTH, "tasks")
        # The model refuses more (employers.models.validate_positions); the browser says so first.
        self.fields["positions"].widget.attrs.update(min=1, max=MAX_POSITIONS)



class EmployerSearchForm(DesignSystemFormMixin, forms.Form):
    q = forms.CharField(label=_("Søg på navn, CVR eller branche"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("Sektor"), required=False, choices=[("", _("Alle"))] + Employer.Sector.choices)
    size = forms.ChoiceField(label=_("Størrelse"), required=False, choices=[("", _("Alle"))] + Employer.Size.choices)
    SORTS = {
        "name": ("name", "pk"),
        # Who has not heard from the jobcentre for longest: never contacted first.
        "last_contact": (F("last_contact").asc(nulls_first=True), "name", "pk"),
        "placements": ("-placement_count", "name", "pk"),
    }
    sort = forms.ChoiceField(
        label=_("Sortér efter"),
        required=False,
        choices=[("name", _("Navn")), ("last_contact", _("Længst siden kontakt")), ("placements", _("Flest ansættelser"))],
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput())

    def ordering(self):
        sort = self.cleaned_data.get("sort") if self.is_valid() else None
        return self.SORTS[sort or "name"]

    def filter(self, employers):
        data = self.cleaned_data if self.is_valid() else {}
        q = (data.get("q") or "").strip()
        if q:
            digits = q.replace(" ", "")
            if digits.isdigit():
                employers = employers.filter(cvr__startswith=digits)
            else:
                employers = employers.filter(Q(name__icontains=q) | Q(industry__icontains=q))
        if data.get("sector"):
            employers = employers.filter(sector=data["sector"])
        if data.get("size"):
            employers = employers.filter(size=data["size"])
        return employers
