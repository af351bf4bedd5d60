"""Reads of citizens for pages of other apps, and the rule of which status a citizen may be
given by hand. `audit_directory` is what the access log's pages need: the audit app sits below
this one and imports nothing of it, so the project's URLconf hands it to them (taskforce/urls.py)."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from core.ids import ids_only

from . import cpr as cprlib
from .models import Citizen


def has_running_placement(citizen, on=None):
    """Whether the citizen holds a placement running on `on` (today by default). The rule is
    the placements' own (Placement.running_q), reached through the reverse relation: this app
    sits below placements and imports nothing of it."""
    if citizen.pk is None:
        return False
    placements = citizen.placements
    return placements.filter(placements.model.running_q(on or timezone.localdate())).exists()


def status_refusal(citizen, status, on=None):
    """Why `status` cannot be given to the citizen by hand, or None. "Ansat" follows a running
    placement (placements.services.citizens_status_refresh): it cannot be chosen without one,
    and a citizen with one cannot be given another status."""
    running = has_running_placement(citizen, on)
    if status == citizen.Status.PLACED and not running:
        return _(
            "Status «Ansat» følger borgerens ansættelser og kan kun vælges, når borgeren har en "
            "ansættelse i gang. Registrér ansættelsen i stedet."
        )
    if status != citizen.Status.PLACED and running:
        return _(
            "Borgeren har en ansættelse i gang og har derfor status «Ansat». Afslut ansættelsen "
            "for at give borgeren en anden status."
        )
    return None


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
