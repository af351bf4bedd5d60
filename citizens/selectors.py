"""Reads of citizens: what the citizen's pages need of their placements (when they were hired),
reads for pages of other apps, and the rule of which status a citizen may be given by hand.
`audit_directory` is what the access log's pages need: the audit app sits below this one and
imports nothing of it, so the project's URLconf hands it to them (taskforce/urls.py)."""

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from core.ids import ids_only

from . import cpr as cprlib
from .models import Citizen


def _placement_model():
    """The placements app's model, reached through the reverse relation: this app sits below
    placements and imports nothing of it."""
    return Citizen._meta.get_field("placements").related_model


def with_hiring(citizens, on):
    """The citizens, each with `hired_on` and `hired_in_target_group`: the start date of the
    placement running on `on` that started first, and that placement's own in_target_group
    (the placements app's rule for the target group at the start); None when none runs. Two
    correlated subqueries, evaluated only for the rows fetched (a page), not for a count."""
    Placement = _placement_model()
    running = Placement.objects.filter(Placement.running_q(on), citizen=OuterRef("pk")).order_by("start_date", "pk")
    return citizens.annotate(
        hired_on=Subquery(running.values("start_date")[:1]),
        hired_in_target_group=Subquery(running.values("in_target_group")[:1]),
    )


def unemployment_of(citizen, on):
    """Citizen.unemployment_on for a citizen read through with_hiring."""
    return citizen.unemployment_on(on, hired_on=citizen.hired_on, hired_in_target_group=citizen.hired_in_target_group)


def record_placements(citizen, on):
    """The citizen's placements for their record, newest first, in one query, each with its
    employer, its next open follow-up (`next_follow_up_on`, the law's deadlines among them)
    and whether it runs on `on` (`is_running`); and the citizen's Unemployment on `on`, from
    the running placement that started first, as with_hiring picks it."""
    Placement = _placement_model()
    placements = list(
        citizen.placements.select_related("employer")
        .annotate(
            next_follow_up_on=Min("follow_ups__due_on", filter=Q(follow_ups__done_on__isnull=True)),
            is_running=ExpressionWrapper(Placement.running_q(on), output_field=BooleanField()),
        )
        .order_by("-start_date", "-pk")
    )
    running = sorted((p for p in placements if p.is_running), key=lambda p: (p.start_date, p.pk))
    hired = running[0] if running else None
    unemployment = citizen.unemployment_on(
        on,
        hired_on=hired.start_date if hired else None,
        hired_in_target_group=hired.in_target_group if hired else None,
    )
    return placements, unemployment


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
