"""Reads of citizens for pages of other apps. `audit_directory` is what the access log's pages
need: the audit app sits below this one and imports nothing of it, so the project's URLconf
hands it to them (taskforce/urls.py)."""

from dataclasses import dataclass

from django.views.decorators.debug import sensitive_variables

from core.ids import ids_only

from . import cpr as cprlib
from .models import Citizen


@dataclass(frozen=True)
class CitizenRef:
    """A citizen as the log's pages show one: never the CPR number unmasked."""

    pk: int
    municipality_id: int
    name: str
    cpr_masked: str

    def __str__(self):
        return f"{self.name} ({self.cpr_masked})"


def _refs(citizens):
    return [
        CitizenRef(c.pk, c.municipality_id, c.full_name, c.cpr_masked)
        for c in citizens.only("pk", "municipality_id", "first_name", "last_name", "birth_date").order_by("pk")
    ]


def _in(municipality_ids):
    citizens = Citizen.objects.all()
    return citizens if municipality_ids is None else citizens.filter(municipality_id__in=municipality_ids)


class AuditDirectory:
    """The citizens of some municipalities (`municipality_ids`; None for all), found by CPR
    number through the keyed hash, or described by id."""

    @staticmethod
    @sensitive_variables("text", "number")
    def find_by_cpr(text, municipality_ids):
        """[CitizenRef] with this CPR number (one per municipality at most); ValidationError
        in Danish for a malformed number."""
        number = cprlib.cpr_normalize(text)
        return _refs(_in(municipality_ids).with_cpr(number))

    @staticmethod
    def describe(ids, municipality_ids):
        """{id: CitizenRef} of those ids that are citizens of the municipalities (an id beyond
        the database's is none)."""
        ids = ids_only(ids)
        if not ids:
            return {}
        return {ref.pk: ref for ref in _refs(_in(municipality_ids).filter(pk__in=ids))}


audit_directory = AuditDirectory()
