"""Course forms: a course with its employers (chosen by searching: a municipality has thousands),
enrolling a citizen by CPR number, and an enrolment's status."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from citizens import cpr as cprlib
from citizens.models import Citizen
from core.edits import ChangedFieldsMixin
from core.forms import CprInput, DateInput, DesignSystemFormMixin, limit_dates, limit_length, limit_municipality_field
from core.limits import TEXT_MAX_LENGTH
from core.validators import validate_course_date
from employers.choosers import EmployerMultipleChooserField
from employers.models import Employer

from .models import Course, Enrolment


class CourseForm(ChangedFieldsMixin, DesignSystemFormMixin, forms.ModelForm):
    class Meta:
        model = Course
        fields = ["municipality", "title", "description", "start_date", "end_date", "job_promise", "employers"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        field_classes = {"employers": EmployerMultipleChooserField}

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        limit_municipality_field(self, municipalities)
        limit_dates(self, validate_course_date, "start_date", "end_date")
        limit_length(self, TEXT_MAX_LENGTH, "description")
        self.fields["employers"].queryset = Employer.objects.filter(municipality__in=municipalities)
        if self.instance.pk:
            # Its enrolments are the municipality's citizens: a course stays where it began.
            self.fields["municipality"].disabled = True

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        employers = cleaned.get("employers") or []
        if municipality and any(e.municipality_id != municipality.pk for e in employers):
            self.add_error("employers", _("Virksomhederne skal høre til forløbets kommune."))
        return cleaned


class EnrolForm(DesignSystemFormMixin, forms.Form):
    cpr = forms.CharField(
        label=_("Borgerens CPR-nummer"),
        max_length=11,
        widget=CprInput(),
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course

    @sensitive_variables("number")
    def clean_cpr(self):
        number = cprlib.cpr_normalize(self.cleaned_data["cpr"])
        citizen = Citizen.objects.filter(municipality_id=self.course.municipality_id).with_cpr(number).first()
        if citizen is None:
            raise forms.ValidationError(_("Der er ingen borger med dette CPR-nummer i kommunen."))
        if Enrolment.objects.filter(course=self.course, citizen=citizen).exists():
            raise forms.ValidationError(_("Borgeren er allerede tilmeldt forløbet."))
        self.citizen = citizen
        return number


class EnrolmentStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=Enrolment.Status.choices,
        error_messages={"required": _("Vælg en gyldig status."), "invalid_choice": _("Vælg en gyldig status.")},
    )
    # The status the page showed: the change is refused if someone changed it since. Without it
    # (not a browser's form), the status as it is now.
    expected_status = forms.ChoiceField(
        choices=Enrolment.Status.choices,
        required=False,
        widget=forms.HiddenInput(),
        error_messages={"invalid_choice": _("Tilmeldingen kunne ikke opdateres. Genindlæs siden og prøv igen.")},
    )
