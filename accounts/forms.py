"""The sign-in forms of our own: the code from the authenticator app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DesignSystemFormMixin


class TokenForm(DesignSystemFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Kode fra din godkendelsesapp"),
        help_text=_("De seks cifre, appen viser lige nu."),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("Skriv de seks cifre fra appen."))
        return token
