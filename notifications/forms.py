"""The user's choice of a daily e-mail digest of new reminders."""

from django import forms

from core.forms import DesignSystemFormMixin

from .models import Preference


class PreferenceForm(DesignSystemFormMixin, forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["daily_digest"]
