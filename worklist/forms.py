"""The worklist's forms: marking an item done and snoozing it, and the filter of the team's
overdue items. The item is named by its key in hidden fields; the rules (a reason, a day ahead
within the limit) are the services' own, called here so the form and the service never hold
two."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DesignSystemFormMixin, limit_length
from core.ids import MAX_ID
from notifications.models import Kind

from .selectors import UNASSIGNED
from .services import REASON_MAX_LENGTH, SNOOZE_MAX_DAYS, check_reason, check_snooze_until

KEY_MESSAGE = _("Opgaven kunne ikke findes. Se den opdaterede liste og prøv igen.")


class ItemKeyForm(DesignSystemFormMixin, forms.Form):
    action = None  # which of the row's forms: its errors are shown in that one
    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.HiddenInput)
    object_id = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    due_on = forms.DateField(widget=forms.HiddenInput, input_formats=["%Y-%m-%d"])
    # The section's page the form was sent from, to show the same page again.
    page = forms.IntegerField(min_value=1, max_value=10**6, required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Begrundelse"), strip=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self, REASON_MAX_LENGTH, "reason")
        for name in ("kind", "object_id", "due_on", "page"):
            self.fields[name].error_messages.update(
                {code: KEY_MESSAGE for code in ("required", "invalid", "invalid_choice", "min_value", "max_value")}
            )
        self.fields["reason"].error_messages["required"] = _("Skriv en begrundelse.")

    @property
    def key_valid(self):
        """The item's key is readable (its errors, if any, are the person's to correct)."""
        return not any(name in self.errors for name in ("kind", "object_id", "due_on", "page"))

    def clean_reason(self):
        try:
            return check_reason(self.cleaned_data["reason"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["reason"]) from None


class DoneForm(ItemKeyForm):
    action = "done"


class SnoozeForm(ItemKeyForm):
    action = "snooze"
    until = forms.DateField(label=_("Vis igen den"), widget=DateInput)

    field_order = ["kind", "object_id", "due_on", "page", "until", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["until"].widget.attrs.update(
            min=f"{today + timedelta(days=1):%Y-%m-%d}", max=f"{today + timedelta(days=SNOOZE_MAX_DAYS):%Y-%m-%d}"
        )
        self.fields["until"].error_messages.update(
            required=_("Vælg den dag, opgaven skal vises igen.")
        )

    def clean_until(self):
        try:
            return check_snooze_until(self.cleaned_data["until"], timezone.localdate())
        except ValidationError as error:
            raise ValidationError(error.message_dict["until"]) from None


class TeamOverdueForm(DesignSystemFormMixin, forms.Form):
    """Whose overdue items the team page lists: all, one consultant of the team's, or those of
    the citizens without one. Sent by GET: it names no citizen."""

    consultant = forms.ChoiceField(
        label=_("Jobkonsulent"), required=False,
        error_messages={"invalid_choice": _("Vælg en jobkonsulent fra listen. Listen viser alle teamets opgaver.")},
    )

    def __init__(self, *args, consultants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].choices = [("", _("Alle")), (UNASSIGNED, _("Uden jobkonsulent"))] + [
            (str(user.pk), user.get_full_name() or user.username) for user in consultants
        ]

    def chosen(self):
        """The filter for selectors.team_overdue: a user id, UNASSIGNED, or None (all, also
        when the choice is not one of the team's: the field then says why)."""
        if not self.is_valid() or not self.cleaned_data["consultant"]:
            return None
        value = self.cleaned_data["consultant"]
        return value if value == UNASSIGNED else int(value)
