"""Progress forms: the dashboard's as-of date, and a target."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import municipalities_for
from core.edits import ChangedFieldsMixin
from core.forms import DateInput, DesignSystemFormMixin, limit_dates, limit_municipality_field
from core.validators import validate_planned_date

from .access import TARGET_ROLES
from .models import Target


class AsOfForm(DesignSystemFormMixin, forms.Form):
    as_of = forms.DateField(label=_("Status pr."), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_dates(self, validate_planned_date, "as_of")

    def cleaned_as_of(self):
        if self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return timezone.localdate()


class TargetForm(ChangedFieldsMixin, DesignSystemFormMixin, forms.ModelForm):
    class Meta:
        model = Target
        fields = ["municipality", "title", "number", "period_start", "period_end", "target_group_only"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = municipalities_for(user, TARGET_ROLES)
        limit_municipality_field(self, municipalities)
        limit_dates(self, validate_planned_date, "period_start", "period_end")

    def clean(self):
        cleaned = super().clean()
        municipality, start, end = cleaned.get("municipality"), cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Perioden må ikke slutte før den begynder."))
        elif municipality and start and end:
            # One current target at a time: periods of one municipality must not overlap.
            overlapping = Target.objects.filter(
                municipality=municipality, period_start__lte=end, period_end__gte=start
            ).exclude(pk=self.instance.pk)
            if overlapping.exists():
                self.add_error(
                    "period_start",
                    _("Perioden overlapper målet “%(title)s”. Kommunen kan kun have ét gældende mål ad gangen.")
                    % {"title": overlapping.first().title},
                )
        return cleaned
