"""The forms of the task-force workspace."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.edits import ChangedFieldsMixin
from core.forms import DateInput, DateTimeInput, DescribedCheckboxes, DesignSystemFormMixin, limit_dates, limit_length
from core.limits import COMMENT_MAX_LENGTH, MAX_POSITIONS, MAX_WEEKLY_HOURS, MINUTES_MAX_LENGTH, TEXT_MAX_LENGTH
from core.validators import validate_planned_date, validate_workshop_time
from employers.choosers import EmployerChooserField
from employers.forms import HoursRangeMixin
from employers.models import Employer, JobTask
from progress.models import Target

from .models import Action, Comment, Contribution, Invitation, RankingRound, Solution, VisionVersion, Workshop


class InvitationForm(DesignSystemFormMixin, forms.ModelForm):
    """Invites a business leader, a facilitator or jobcenter staff. A leader's company is found
    by searching the municipality's employers (thousands: never all in the page), at
    workspace:employer_choose, which those who invite may ask, managers included."""

    class Meta:
        model = Invitation
        fields = ["first_name", "last_name", "email", "kind", "employer"]
        field_classes = {"employer": EmployerChooserField}

    def __init__(self, *args, task_force, may_approve_staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.filter(municipality_id=task_force.municipality_id)
        self.fields["employer"].search_url = reverse("workspace:employer_choose", args=[task_force.pk])
        self.fields["employer"].help_text = _("For virksomhedsledere: den virksomhed, de repræsenterer.")
        if not may_approve_staff:
            self.fields["kind"].help_text = _(
                "En jobcentermedarbejder får adgang til kommunens borgere: invitationen sendes først, "
                "når en leder i jobcentret har godkendt den."
            )

    def clean(self):
        cleaned = super().clean()
        # An employer refused already (not the municipality's) has its own message.
        if cleaned.get("kind") == "leader" and not cleaned.get("employer") and not self.has_error("employer"):
            self.add_error("employer", _("Vælg virksomhedslederens virksomhed."))
        return cleaned


class AcceptInvitationForm(DesignSystemFormMixin, forms.Form):
    username = forms.CharField(label=_("Brugernavn"), max_length=150)
    password1 = forms.CharField(label=_("Adgangskode"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Gentag adgangskode"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_username(self):
        User = get_user_model()
        username = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Brugernavnet er optaget. Vælg et andet."))
        return username

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("De to adgangskoder er ikke ens."))
        elif p1:
            # The user to be: the similarity check compares the password with their name,
            # e-mail and username.
            user = get_user_model()(
                username=cleaned.get("username", ""), email=self.invitation.email,
                first_name=self.invitation.first_name, last_name=self.invitation.last_name,
            )
            try:
                password_validation.validate_password(p1, user=user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class WorkshopForm(ChangedFieldsMixin, DesignSystemFormMixin, forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["title", "starts_at", "ends_at", "place", "agenda", "minutes"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_dates(self, validate_workshop_time, "starts_at", "ends_at")
        limit_length(self, TEXT_MAX_LENGTH, "agenda")
        limit_length(self, MINUTES_MAX_LENGTH, "minutes")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["ends_at"] <= cleaned["starts_at"]:
            self.add_error("ends_at", _("En workshop skal slutte efter den begynder."))
        return cleaned


class VisionForm(DesignSystemFormMixin, forms.ModelForm):
    class Meta:
        model = VisionVersion
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self, TEXT_MAX_LENGTH, "text")


class AdoptVisionForm(DesignSystemFormMixin, forms.Form):
    """One form per version on the vision page: `auto_id` keeps each select's id (and its
    label) apart while the field name stays `workshop`. `workshops` is the task force's
    list, fetched once for all the forms."""

    workshop = forms.TypedChoiceField(label=_("Vedtaget på workshop"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshops = {w.pk: w for w in workshops}
        self.fields["workshop"].choices = [("", "---------")] + [(w.pk, str(w)) for w in workshops]
        self.fields["workshop"].error_messages["invalid_choice"] = _("Vælg en af task forcens workshops.")

    def clean_workshop(self):
        pk = self.cleaned_data["workshop"]
        return self.workshops[pk] if pk is not None else None


class SolutionForm(DesignSystemFormMixin, forms.ModelForm):
    class Meta:
        model = Solution
        fields = ["title", "description", "problem", "target"]

    def __init__(self, *args, task_force, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Target.objects.filter(municipality_id=task_force.municipality_id)
        limit_length(self, TEXT_MAX_LENGTH, "description", "problem")


class CommentForm(DesignSystemFormMixin, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": _("Ny kommentar")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self, COMMENT_MAX_LENGTH, "text")


class RoundForm(DesignSystemFormMixin, forms.ModelForm):
    class Meta:
        model = RankingRound
        fields = ["title", "dot_budget"]


SCALE = [(i, str(i)) for i in range(1, 6)]


class ScoreForm(DesignSystemFormMixin, forms.Form):
    impact = forms.TypedChoiceField(label=_("Effekt (1–5)"), choices=SCALE, coerce=int)
    effort = forms.TypedChoiceField(label=_("Indsats (1–5)"), choices=SCALE, coerce=int)
    dots = forms.IntegerField(label=_("Prikker"), min_value=0, initial=0)


class ActionForm(DesignSystemFormMixin, forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "description", "solution", "owner", "due_date"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, task_force, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["solution"].queryset = task_force.solutions.all()
        self.fields["owner"].queryset = task_force.members.select_related("user")
        limit_dates(self, validate_planned_date, "due_date")
        limit_length(self, TEXT_MAX_LENGTH, "description")


class ActionStatusForm(DesignSystemFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    progress = forms.IntegerField(label=_("Fremdrift i procent"), min_value=0, max_value=100)
    # The status the page showed: the change is refused if someone changed it since.
    expected_status = forms.ChoiceField(
        choices=Action.Status.choices,
        widget=forms.HiddenInput(),
        error_messages={"invalid_choice": _("Handlingen kunne ikke opdateres. Genindlæs siden og prøv igen.")},
    )

    def __init__(self, *args, progress_from_jobs=False, **kwargs):
        super().__init__(*args, **kwargs)
        if progress_from_jobs:
            # The jobs filled decide the progress of an action with pledges: nothing to type.
            del self.fields["progress"]

    def clean(self):
        cleaned = super().clean()
        cleaned.setdefault("progress", None)
        return cleaned


class ContributionForm(DesignSystemFormMixin, forms.ModelForm):
    class Meta:
        model = Contribution
        fields = ["kind", "description"]
        help_texts = {"description": _("Fx “mentortimer hver uge” eller “vi lærer nye medarbejdere op i køkkenet”.")}


class PledgeForm(HoursRangeMixin, DesignSystemFormMixin, forms.Form):
    title = forms.CharField(label=_("Stilling"), max_length=200, help_text=_("Fx “Mini-fleksjob i køkkenet”."))
    positions = forms.IntegerField(label=_("Antal stillinger"), min_value=1, max_value=MAX_POSITIONS)
    hours_min = forms.DecimalField(label=_("Timer om ugen, fra"), min_value=0.5, max_value=MAX_WEEKLY_HOURS, decimal_places=1)
    hours_max = forms.DecimalField(label=_("Timer om ugen, til"), min_value=0.5, max_value=MAX_WEEKLY_HOURS, decimal_places=1)
    catalogue_tasks = forms.ModelMultipleChoiceField(
        label=_("Opgaver"), queryset=None, required=False, widget=DescribedCheckboxes,
        help_text=_("Sæt kryds ved de opgaver, jobbet kan bestå af – så kan jobcentret finde de rette kandidater."),
    )
    tasks = forms.CharField(label=_("Andre opgaver"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalogue_tasks"].queryset = JobTask.objects.filter(active=True)
        limit_length(self, TEXT_MAX_LENGTH, "tasks")



class MeetingRequestForm(DesignSystemFormMixin, forms.Form):
    message = forms.CharField(label=_("Besked til jobkonsulenten"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3}))
