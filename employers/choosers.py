"""Choosing employers in a form by searching (core.choosers): by name or CVR number, from the
queryset the form scoped to the user's municipality. The search answers at employers:choose
(employers.views.employer_choose), or where a form names another URL (the task force's
invitation form, which managers send too)."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.choosers import ChooserField, MultipleChooserField

NOT_OURS = _("Virksomheden findes ikke blandt kommunens virksomheder. Søg den frem, og vælg den i listen.")


class EmployerSearchMixin:
    search_url = reverse_lazy("employers:choose")
    search_hint = _("Søg på navn eller CVR-nummer.")
    default_error_messages = {"invalid_choice": NOT_OURS, "invalid_pk_value": NOT_OURS}

    def search(self, queryset, text):
        # Digits are the start of a CVR number (as the employer list searches), else each word
        # is part of the name, in any order ("bageri lillebælt" finds "Lillebælt Bageri").
        digits = text.replace(" ", "")
        if digits.isascii() and digits.isdigit():
            return queryset.filter(cvr__startswith=digits)
        for word in text.split():
            queryset = queryset.filter(name__icontains=word)
        return queryset

    def label_from_instance(self, employer):
        return _("%(name)s (CVR %(cvr)s)") % {"name": employer.name, "cvr": employer.cvr}


class EmployerChooserField(EmployerSearchMixin, ChooserField):
    """One employer, found by name or CVR number."""


class EmployerMultipleChooserField(EmployerSearchMixin, MultipleChooserField):
    """Several employers, found by name or CVR number."""
