"""The upload forms of the import page: a file (CSV or Excel, at most 10 MB) and whether to
check it only. The citizens form asks who becomes the citizens' consultant, the placements
form the municipality when the user has several."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from citizens.forms import ConsultantChoiceField, consultants_in
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

    consultant = ConsultantChoiceField(
        label=_("Ansvarlig konsulent"),
        queryset=None,
        required=False,
        empty_label=_("Ingen (kun de konsulenter, filen nævner)"),
        help_text=_(
            "Gives til de borgere, filen opretter, og til borgere uden konsulent. En række, der nævner "
            "en konsulent i kolonnen consultant, beholder sin. Borgere med en konsulent beholder den."
        ),
    )

    field_order = ["file", "consultant", "dry_run"]

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The active consultants of the importer's own municipalities: a handful, never every
        # user of the system.
        consultants = get_user_model().objects.none()
        if municipalities is not None:
            consultants = consultants_in(municipalities).filter(is_active=True)
        self.fields["consultant"].queryset = consultants


class PlacementImportForm(ImportForm):
    prefix = "placements"

    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=None, empty_label=None)

    field_order = ["municipality", "file", "dry_run"]

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        limit_municipality_field(self, municipalities)
        self.fields["municipality"].help_text = _("Borgerne i filen skal høre til denne kommune.")
