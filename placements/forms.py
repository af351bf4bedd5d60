"""Placement forms: registering and editing a placement, ending one, and recording a follow-up."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from citizens import cpr as cprlib
from citizens.models import Citizen
from core.edits import ChangedFieldsMixin
from core.forms import CprInput, DateInput, DesignSystemFormMixin, limit_dates, limit_length
from core.ids import is_id
from core.limits import TEXT_MAX_LENGTH
from core.numbers import number, plain
from core.validators import validate_planned_date
from employers.choosers import EmployerChooserField
from employers.models import Employer, Opening

from .models import STATUSES_AFTER_END, FollowUp, Placement


class HoursInput(forms.NumberInput):
    """Hours in the number box as a person types them: 8 or 7.5, not the database's 8.0."""

    def format_value(self, value):
        return super().format_value(plain(value))


class OpeningChoiceField(forms.ModelChoiceField):
    """Offers `queryset` (the chosen employer's openings) but looks a sent opening up among
    `known` (the municipality's), so that an opening of another employer, left chosen when
    the employer was changed without JavaScript, is refused by the form's clean with a message
    that says why, not as "not one of the available choices"."""

    known = None

    def label_from_instance(self, opening):
        if opening.hours_min == opening.hours_max:
            hours = number(opening.hours_min)
        else:
            hours = f"{number(opening.hours_min)}–{number(opening.hours_max)}"
        return _("%(title)s (%(hours)s timer om ugen)") % {"title": opening.title, "hours": hours}

    def to_python(self, value):
        if self.known is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.known.get(pk=getattr(value, "pk", value))
        except (ValueError, TypeError, ValidationError, self.known.model.DoesNotExist):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


class PlacementForm(ChangedFieldsMixin, DesignSystemFormMixin, forms.ModelForm):
    """Registers a placement from a citizen's page (employer chosen) or an employer's page
    (citizen found by CPR number, so no list of names is ever sent to the browser), and
    changes a registered one (ending it is placement_end's alone).

    The employer is chosen by searching (employers.choosers: a municipality has thousands),
    among the citizen's municipality's. The opening list offers the chosen employer's openings
    only: the page's employer, or the one chosen in the form (as sent, else the placement's);
    none chosen, none offered. With `openings_url`, choosing an employer asks that URL (htmx)
    for the opening field again; without JavaScript the form sent back shows the sent
    employer's."""

    citizen_cpr = forms.CharField(
        label=_("Borgerens CPR-nummer"),
        max_length=11,
        widget=CprInput(),
    )

    class Meta:
        model = Placement
        fields = [
            "employer",
            "opening",
            "kind",
            "hours_per_week",
            "contracted_hours",
            "start_date",
            "end_date",
            "permanent",
            "first_flexjob",
            "retention_flexjob",
            "accommodations",
        ]
        widgets = {
            "start_date": DateInput(), "end_date": DateInput(),
            "hours_per_week": HoursInput(), "contracted_hours": HoursInput(),
        }
        field_classes = {"opening": OpeningChoiceField, "employer": EmployerChooserField}

    def __init__(self, *args, citizen=None, employer=None, openings_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.citizen = citizen or (self.instance.citizen if self.instance.pk else None)
        self.employer = employer or (self.instance.employer if self.instance.pk else None)
        if self.citizen is not None:
            del self.fields["citizen_cpr"]
        if self.employer is not None and not self.instance.pk and employer is not None:
            del self.fields["employer"]
            municipality_id = self.employer.municipality_id
        else:
            municipality_id = self.citizen.municipality_id
            employer_field = self.fields["employer"]
            employer_field.queryset = Employer.objects.filter(municipality_id=municipality_id)
            employer_field.search_url = f"{reverse('employers:choose')}?municipality={municipality_id}"
        if self.instance.pk:
            del self.fields["end_date"]
        self.municipality_id = municipality_id
        self._limit_openings(openings_url)
        limit_dates(self, validate_planned_date, "start_date", "end_date")
        limit_length(self, TEXT_MAX_LENGTH, "accommodations")
        self.fields["hours_per_week"].help_text = _(
            "Over 0 og højst 37. Et fleksjob på højst %(max)s timer vises som mini-fleksjob."
        ) % {"max": number(settings.MINI_FLEXJOB_MAX_HOURS)}

    def _limit_openings(self, openings_url):
        field = self.fields["opening"]
        # A task force's pledge is an opening not yet open: it is filled only once opened.
        field.known = Opening.objects.filter(employer__municipality_id=self.municipality_id).filter(
            Q(is_open=True) | Q(pk=self.instance.opening_id)
        )
        employer_id = self.chosen_employer_id()
        if employer_id is None:
            field.queryset = Opening.objects.none()
            field.help_text = _("Vælg først arbejdsgiveren")
        else:
            field.queryset = field.known.filter(employer_id=employer_id)
        # Room for an opening's title and hours (DKFDS: 48rem).
        field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} input-width-xl".strip()
        if openings_url and "employer" in self.fields:
            # On the element around the employer choices (core.choosers), which sends them.
            attrs = {
                "hx-get": openings_url, "hx-trigger": "change",
                "hx-target": "#opening-field", "hx-swap": "innerHTML",
            }
            if self.editing:
                # The opening field comes back with the value the form was opened with, so
                # that core.edits still tells what this user changed.
                attrs["hx-include"] = f"[name={self.add_initial_prefix('opening')}]"
            self.fields["employer"].widget.attrs.update(attrs)

    def chosen_employer_id(self):
        """The id of the employer whose openings the form offers (not yet checked against the
        municipality: the openings are), or None."""
        if "employer" not in self.fields:
            return self.employer.pk
        if self.is_bound:
            value = self.data.get(self.add_prefix("employer"))
        else:
            value = self.get_initial_for_field(self.fields["employer"], "employer")
        try:
            pk = int(getattr(value, "pk", value))
        except (TypeError, ValueError):
            return None
        return pk if is_id(pk) else None

    @sensitive_variables("number")
    def clean_citizen_cpr(self):
        number = cprlib.cpr_normalize(self.cleaned_data["citizen_cpr"])
        citizen = Citizen.objects.filter(municipality_id=self.municipality_id).with_cpr(number).first()
        if citizen is None:
            raise forms.ValidationError(_("Der er ingen borger med dette CPR-nummer i kommunen."))
        self.citizen = citizen
        return number

    def clean(self):
        cleaned = super().clean()
        employer = cleaned.get("employer") or self.employer
        opening = cleaned.get("opening")
        if opening and employer and opening.employer_id != employer.pk:
            self.add_error("opening", _("Stillingsopslaget hører til en anden virksomhed."))
        hours, contracted = cleaned.get("hours_per_week"), cleaned.get("contracted_hours")
        if hours is not None and contracted is not None and contracted < hours:
            # Said at the field, with the hours it must reach (the constraint says it generally).
            self.add_error(
                "contracted_hours",
                _("De aftalte timer skal være mindst de faktiske timer (%(hours)s).") % {"hours": number(hours)},
            )
        return cleaned

    def _post_clean(self):
        # Citizen and employer (and so the municipality, the citizen's) are set before the model
        # checks its constraints.
        if self.citizen is not None:
            self.instance.citizen = self.citizen
            self.instance.municipality_id = self.citizen.municipality_id
        if self.employer is not None and "employer" not in self.fields:
            self.instance.employer = self.employer
        super()._post_clean()
        if not self.has_error("start_date"):
            try:
                self.instance.validate_no_overlap()
            except forms.ValidationError as error:
                self._update_errors(error)


class PlacementEndForm(DesignSystemFormMixin, forms.Form):
    """Ends a placement; its fields are placements.services.placement_end's arguments."""

    end_date = forms.DateField(label=_("Slutdato"), widget=DateInput())
    end_reason = forms.ChoiceField(label=_("Årsag til ophør"), choices=Placement.EndReason.choices)
    citizen_status = forms.ChoiceField(
        label=_("Borgerens status bagefter"),
        # "Klar til job" first: the citizen is job-seeking again unless the consultant chooses otherwise.
        choices=[(status, Citizen.Status(status).label) for status in STATUSES_AFTER_END],
        initial=Citizen.Status.READY,
        required=False,
        help_text=_(
            "Gælder fra dagen efter slutdatoen, hvis borgeren ikke har en anden ansættelse i gang. "
            "Uden valg bliver borgeren «Klar til job»."
        ),
    )

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.placement = placement
        limit_dates(self, validate_planned_date, "end_date")

    def clean_citizen_status(self):
        return self.cleaned_data["citizen_status"] or Citizen.Status.READY

    def clean_end_date(self):
        end_date = self.cleaned_data["end_date"]
        if end_date < self.placement.start_date:
            raise forms.ValidationError(_("Slutdatoen må ikke ligge før startdatoen."))
        return end_date


class FollowUpForm(DesignSystemFormMixin, forms.Form):
    """Records a follow-up: when it was done (not before the placement started, not in the
    future), the outcome and a note. Its fields are placements.services.followup_record's."""

    done_on = forms.DateField(label=_("Dato for opfølgningen"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Resultat"), choices=[("", _("Vælg resultat"))] + FollowUp.Outcome.choices
    )
    note = forms.CharField(
        label=_("Notat"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Hvad blev aftalt eller ændret?"),
    )

    def __init__(self, *args, follow_up, **kwargs):
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.follow_up = follow_up
        limit_dates(self, validate_planned_date, "done_on")
        # Done today at the latest: the date picker stops there, and at the placement's start.
        self.fields["done_on"].widget.attrs.update(
            min=f"{follow_up.placement.start_date:%Y-%m-%d}", max=f"{timezone.localdate():%Y-%m-%d}"
        )
        limit_length(self, TEXT_MAX_LENGTH, "note")

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        refusal = self.follow_up.done_on_refusal(done_on)
        if refusal:
            raise forms.ValidationError(refusal)
        return done_on
