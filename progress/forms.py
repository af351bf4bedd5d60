from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("Status pr."), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def cleaned_as_of(self):
        if self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return timezone.localdate()
