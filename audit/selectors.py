"""Reads that build the log's pages, each in a fixed number of queries whatever the rows.

`citizens` below is the citizens' directory the project's URLconf hands to the views
(citizens.selectors.audit_directory): `find_by_cpr(text, municipality_ids)` and
`describe(ids, municipality_ids)`, the ids' municipalities None for all.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.pagination import CappedPaginator

from .access import citizen_entries_for_user, entries_for_user, naming_citizens, sign_in_events_for_user

PAGE_SIZE = 25


@dataclass(frozen=True)
class UnknownCitizen:
    """A citizen the log names who is no longer (or not) a citizen of the reader's
    municipalities: known by id only."""

    pk: int
    name: str = ""


@dataclass
class LogSearch:
    page: object = None
    # The citizens searched for, and the citizens the page names ({id: CitizenRef}).
    searched: list = field(default_factory=list)
    named: dict = field(default_factory=dict)

    @property
    def shown(self):
        """The citizens the page names, for the search's own row in the log: those searched for
        and those its rows name, but not one known by id only (none of the reader's)."""
        return [c for c in (*self.searched, *self.named.values()) if not isinstance(c, UnknownCitizen)]


def _searched_citizens(form, citizens, scope):
    """The citizens the search asks for, by CPR number (through the directory) or by the ids a
    previous page carried; None when the search cannot run (the form says why)."""
    data = form.cleaned_data
    if data.get("cpr"):
        try:
            found = citizens.find_by_cpr(data["cpr"], scope)
        except ValidationError as error:
            form.add_error("cpr", error)
            return None
        if not found:
            form.add_error("cpr", _("Der er ingen borger med dette CPR-nummer i dine kommuner."))
            return None
        return found
    ids = data.get("citizen") or []
    described = citizens.describe(ids, scope)
    # A citizen since deleted is still searched for by id: the log outlives the record.
    return [described.get(pk) or UnknownCitizen(pk) for pk in ids]


def access_log_search(user, form, citizens, scope):
    """The page of rows the search form asks for, or an empty result when the form is invalid."""
    if not form.is_valid():
        return LogSearch()
    searched = _searched_citizens(form, citizens, scope)
    if searched is None:
        return LogSearch()
    entries = form.filter(entries_for_user(user))
    if searched:
        entries = entries.filter(naming_citizens([c.pk for c in searched], scope))
    page = CappedPaginator(
        entries.select_related("user").prefetch_related("citizens"), PAGE_SIZE
    ).get_page(form.cleaned_data.get("page") or 1)
    # A row about one citizen names them; a list says how many.
    for row in page:
        row.shown_ids = row.citizen_ids()
    named = citizens.describe({row.shown_ids[0] for row in page if len(row.shown_ids) == 1}, scope)
    for row in page:
        row.shown_citizen = (
            named.get(row.shown_ids[0]) or UnknownCitizen(row.shown_ids[0]) if len(row.shown_ids) == 1 else None
        )
    return LogSearch(page=page, searched=searched, named=named)


@dataclass
class AccessReport:
    citizen_id: int
    citizen: object  # a CitizenRef, or None for a citizen since deleted
    municipality_id: int
    entries: list


def access_report(user, citizen_id, citizens, scope):
    """Every row that names the citizen, oldest first, or None when the citizen is none of
    the user's municipalities' and no row of theirs names them."""
    citizen = citizens.describe([citizen_id], scope).get(citizen_id)
    entries = list(
        citizen_entries_for_user(user, citizen_id).select_related("user").order_by("at", "pk")
    )
    if citizen is not None:
        municipality_id = citizen.municipality_id
    elif entries:
        # A citizen since deleted: their municipality as the latest row recorded it.
        latest = entries[-1]
        municipality_id = latest.municipality_id if latest.citizen_id == citizen_id else (
            latest.citizens.filter(citizen_id=citizen_id).values_list("municipality_id", flat=True).first()
        )
    else:
        return None
    return AccessReport(citizen_id, citizen, municipality_id, entries)


def sign_in_search(user, form):
    if not form.is_valid():
        return None
    events = form.filter(sign_in_events_for_user(user)).select_related("user")
    return CappedPaginator(events, PAGE_SIZE).get_page(form.cleaned_data.get("page") or 1)
