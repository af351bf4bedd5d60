"""Citizen forms: registering and editing a citizen (CPR number validated and set once),
the caseload search (sent by POST, so no name or CPR number lands in a URL), case notes and
the admin's form. The CPR reveal asks its purpose with audit.forms.PurposeForm."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from accounts.models import Membership, Role
from core.edits import ChangedFieldsMixin
from core.pagination import COUNT_CAP
from core.forms import (
    CprInput,
    DateInput,
    DesignSystemFormMixin,
    SafeTextFormMixin,
    limit_dates,
    limit_length,
    limit_municipality_field,
)
from core.limits import TEXT_MAX_LENGTH
from core.validators import validate_recorded_date

from . import cpr as cprlib
from .models import Citizen
from .selectors import status_refusal


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


def limit_citizen_fields(form):
    """The date windows (read from the model) and text limits of a citizen's form, the
    consultant's and the admin's alike."""
    limit_dates(form, validate_recorded_date, "unemployed_since", "flexjob_approved_on")
    limit_length(form, TEXT_MAX_LENGTH, "competences", "wishes")


class StatusByHandMixin:
    """The status a citizen's form sets by hand, the consultant's and the admin's alike, follows
    the placements (citizens.selectors.status_refusal). Only a status this user chose: one left
    as it was is not theirs to answer for."""

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and (self.instance.pk is None or "status" in self.changed_data):
            refusal = status_refusal(self.instance, status)
            if refusal:
                self.add_error("status", refusal)
        return cleaned


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


class CitizenForm(StatusByHandMixin, CprFormMixin, ChangedFieldsMixin, DesignSystemFormMixin, forms.ModelForm):
    cpr = forms.CharField(
        label=_("CPR-nummer"),
        max_length=11,
        help_text=_("10 cifre, med eller uden bindestreg: DDMMÅÅ-XXXX."),
        widget=CprInput(),
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
        limit_municipality_field(self, municipalities)
        limit_citizen_fields(self)
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
        self.fields["status"].help_text = _(
            "«Ansat» følger borgerens ansættelser: borgeren er ansat, mens en ansættelse er i gang, og "
            "bliver «Klar til job», når den slutter. «Afsluttet» lukker sagen."
        )

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

    def __init__(self, data=None, *args, consultants, **kwargs):
        if data is not None and data.get("show_all"):
            # "Vis alle" under the list: the same search, every consultant's citizens, from page 1.
            data = data.copy()
            data["consultant"] = ""
            data.pop("show_all", None)
            data.pop("page", None)
        super().__init__(data, *args, **kwargs)
        self.fields["consultant"].choices = [("", _("Alle")), ("mine", _("Mine borgere"))] + [
            (str(u.pk), u.get_full_name() or u.username) for u in consultants
        ]

    def filter(self, citizens, user, today):
        citizens = self._filtered(citizens, user, today)
        return citizens.order_by(*self.SORTS[self.cleaned_data.get("sort") or "name"])

    @property
    def consultant_filter(self):
        """The consultant filter in force: "mine", a consultant's id, or "" for everyone's."""
        self.is_valid()
        return self.cleaned_data.get("consultant") or ""

    @property
    def consultant_filter_label(self):
        return dict(self.fields["consultant"].choices).get(self.consultant_filter, "")

    def hidden_by_consultant(self, citizens, user, today, *, shown):
        """(n, capped): how many of `citizens` the rest of the search finds and the consultant
        filter hides, given that `shown` pass it, and whether there are more than n (the count
        stops at core.pagination's cap, as the list's does). One COUNT, none without a
        consultant filter."""
        if not self.consultant_filter:
            return 0, False
        found = self._filtered(citizens, user, today, by_consultant=False)[: COUNT_CAP + 1].count()
        return max(0, min(found, COUNT_CAP) - shown), found > COUNT_CAP

    @sensitive_variables("data", "q")
    def _filtered(self, citizens, user, today, by_consultant=True):
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
        consultant = data.get("consultant") if by_consultant else None
        if consultant == "mine":
            citizens = citizens.filter(consultant=user)
        elif consultant:
            citizens = citizens.filter(consultant_id=consultant)
        return citizens


class CaseNoteForm(DesignSystemFormMixin, forms.Form):
    # The field strips whitespace, so a blank note is caught as a missing one.
    text = forms.CharField(
        label=_("Nyt journalnotat"),
        widget=forms.Textarea,
        max_length=10000,
        error_messages={"required": _("Skriv notatets tekst.")},
    )


class CitizenAdminForm(StatusByHandMixin, CprFormMixin, SafeTextFormMixin, forms.ModelForm):
    """The admin's form: the CPR number is required to register and may be typed again to correct it."""

    cpr = forms.CharField(
        label=_("CPR-nummer"),
        max_length=11,
        required=False,
        help_text=_("Udfyld kun for at rette CPR-nummeret: 10 cifre, DDMMÅÅ-XXXX."),
        widget=CprInput(),
    )

    class Meta:
        model = Citizen
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_citizen_fields(self)
        if not self.instance.pk:
            self.fields["cpr"].required = True
            self.fields["cpr"].help_text = _("10 cifre, med eller uden bindestreg: DDMMÅÅ-XXXX.")
