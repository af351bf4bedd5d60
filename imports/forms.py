"""The upload forms of the import page: a file (CSV or Excel, at most 10 MB) and whether to
check it only. The placements form asks for the municipality when the user has several."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DesignSystemFormMixin, limit_municipality_field

from .parsing import MAX_FILE_SIZE, extension_error, extension_of


class ImportForm(DesignSystemFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("CSV (UTF-8, adskilt med komma eller semikolon) eller Excel (.xlsx), højst 10 MB."),
        error_messages={"required": _("Vælg en fil."), "empty": _("Filen er tom.")},
    )
    dry_run = forms.BooleanField(
        label=_("Kontrollér kun filen"),
        required=False,
        help_text=_("Filen gennemgås og fejl vises, men intet bliver gemt."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A file input is not a text box: DKFDS draws it as the browser does.
        self.fields["file"].widget.attrs.pop("class", None)
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if extension_of(upload.name) is None:
            raise forms.ValidationError(extension_error())
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("Filen er for stor. Den må højst fylde %(max)s MB.") % {"max": MAX_FILE_SIZE // (1024 * 1024)}
            )
        return upload


class CitizenImportForm(ImportForm):
    prefix = "citizens"


class PlacementImportForm(ImportForm):
    prefix = "placements"

    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=None, empty_label=None)

    field_order = ["municipality", "file", "dry_run"]

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        limit_municipality_field(self, municipalities)
        self.fields["municipality"].help_text = _("Borgerne i filen skal høre til denne kommune.")
