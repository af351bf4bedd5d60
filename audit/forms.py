"""Forms of the log: the purpose asked for before a look-up (the CPR reveal), and the
searches of the log."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from core import dates
from core.cpr_text import is_cpr_like
from core.forms import CprInput, DateInput, DesignSystemFormMixin, limit_dates, limit_length
from core.ids import is_id
from core.validators import validate_recorded_date

from .models import PURPOSE_DETAIL_MAX_LENGTH, AccessLog, Purpose, SignInEvent
from .services import CPR_SEARCH


class PurposeForm(DesignSystemFormMixin, forms.Form):
    """Why the user looks: one of the purposes, with a few words of their own (required for
    "Andet"). Too long a text is an error, never cut; a CPR number, or what may be part of one
    (core.cpr_text: six digits in a run, a date written in figures too), is refused outright."""

    purpose = forms.ChoiceField(
        label=_("Formål"),
        choices=[("", _("Vælg formål"))] + Purpose.choices,
        error_messages={"required": _("Vælg formålet, før CPR-nummeret vises.")},
    )
    detail = forms.CharField(label=_("Uddyb formålet"), required=False, help_text=_("Skal udfyldes ved Andet."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self, PURPOSE_DETAIL_MAX_LENGTH, "detail")

    def clean_detail(self):
        detail = self.cleaned_data["detail"]
        if is_cpr_like(detail):
            raise forms.ValidationError(
                _("Skriv ikke et CPR-nummer i formålet, heller ikke en del af et: højst 5 cifre i træk. "
                  "Skriv en dato med bogstaver, fx 3. marts."),
                code="cpr",
            )
        return detail

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("purpose") == Purpose.OTHER and not cleaned.get("detail") and "detail" not in self.errors:
            self.add_error("detail", forms.ValidationError(_("Skriv formålet, når du vælger Andet."), code="required"))
        return cleaned

    @property
    def purpose_text(self):
        """The purpose as the log stores it (valid forms only)."""
        return Purpose.stored(self.cleaned_data["purpose"], self.cleaned_data.get("detail"))


class UserSearchField(forms.CharField):
    """A user by username or name, typed: never a list of every user (there may be thousands)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Bruger"))
        kwargs.setdefault("help_text", _("Brugernavnet eller en del af navnet."))
        super().__init__(required=False, max_length=150, **kwargs)


def users_matching(text):
    """The users whose username is `text`, or whose name or username holds every word of it.
    Any user: the rows searched are already the reader's (audit.access), and a consultant
    who has left the municipality is exactly whom a search may be about."""
    by_name = Q()
    for word in text.split():
        by_name &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(username__icontains=word)
    return get_user_model().objects.filter(Q(username__iexact=text) | by_name).order_by()


class PeriodForm(DesignSystemFormMixin, forms.Form):
    """From and to, both optional and both days included."""

    date_from = forms.DateField(label=_("Fra og med"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Til og med"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_dates(self, validate_recorded_date, "date_from", "date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Slutdatoen må ikke ligge før startdatoen."))
        return cleaned

    def filter_period(self, rows):
        zone = timezone.get_current_timezone()
        if start := self.cleaned_data.get("date_from"):
            rows = rows.filter(at__gte=datetime.combine(start, time.min, tzinfo=zone))
        if end := self.cleaned_data.get("date_to"):
            rows = rows.filter(at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))
        return rows


class AccessLogSearchForm(PeriodForm):
    """Sent by POST, as the caseload search is: a CPR number never lands in a URL. The
    citizen is found by CPR number (the view asks the citizens' directory) or, from a link,
    by id."""

    user = UserSearchField()
    cpr = forms.CharField(label=_("Borgerens CPR-nummer"), required=False, max_length=11, widget=CprInput())
    # The citizens a CPR search found, carried from page to page (the CPR box is never refilled).
    citizen = forms.CharField(label=_("Borger"), required=False, max_length=200, widget=forms.HiddenInput())
    action = forms.ChoiceField(label=_("Handling"), required=False, choices=[("", _("Alle"))] + AccessLog.Action.choices)
    page = forms.IntegerField(label=_("Side"), required=False, min_value=1, widget=forms.HiddenInput())

    field_order = ["user", "cpr", "action", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)

    def carried_on(self, citizen_ids):
        """The form as the results page shows it: the citizens found kept by id for the next
        page, the CPR box empty (CprInput never shows it again either)."""
        data = self.data.copy()
        data["cpr"] = ""
        data["citizen"] = ",".join(map(str, citizen_ids))
        form = type(self)(data)
        form.is_valid()
        return form

    def clean_citizen(self):
        parts = [part.strip() for part in self.cleaned_data["citizen"].split(",") if part.strip()]
        if not all(part.isascii() and part.isdigit() and is_id(int(part)) for part in parts):
            raise forms.ValidationError(_("Ugyldig borger."), code="invalid")
        return [int(part) for part in parts]

    def describe(self):
        """The search in short, for the log's own row: a CPR number only as "CPR-søgning"."""
        data = self.cleaned_data
        parts = []
        if data.get("user"):
            parts.append(f"bruger: {data['user']}")
        if data.get("cpr"):
            parts.append(CPR_SEARCH)
        elif data.get("citizen"):
            parts.append("borger-id: " + ", ".join(map(str, data["citizen"])))
        if data.get("action"):
            parts.append(f"handling: {data['action']}")
        if data.get("date_from") or data.get("date_to"):
            parts.append(f"periode: {_written(data.get('date_from'))}–{_written(data.get('date_to'))}")
        return "; ".join(parts)

    def filter(self, entries):
        data = self.cleaned_data
        if data.get("user"):
            entries = entries.filter(user__in=users_matching(data["user"]))
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        return self.filter_period(entries)


def _written(day):
    """A date in Danish words ("3. marts 2026"): in figures the log would mask it as what may be
    part of a CPR number (access_log_record)."""
    if not day:
        return ""
    with override("da"):
        return dates.day_long(day)


class SignInSearchForm(PeriodForm):
    user = UserSearchField()
    kind = forms.ChoiceField(label=_("Hændelse"), required=False, choices=[("", _("Alle"))] + SignInEvent.Kind.choices)
    page = forms.IntegerField(label=_("Side"), required=False, min_value=1, widget=forms.HiddenInput())

    def filter(self, events):
        data = self.cleaned_data
        if data.get("user"):
            # A failed login names no user, only the name typed.
            events = events.filter(
                Q(user__in=users_matching(data["user"])) | Q(username__iexact=data["user"])
            )
        if data.get("kind"):
            events = events.filter(kind=data["kind"])
        return self.filter_period(events)
