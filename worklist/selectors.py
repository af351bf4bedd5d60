"""The worklist's reads: the items of work, each read from where it lives, for one
consultant's page ("Mine opgaver"), for a manager's team counts, and for the nightly
reminders (worklist.services.reminders_send), so the three always agree on what is open.

An item is named by its key (kind, object_id, due_on):

- a follow-up or a legal deadline: an open FollowUp (done_on empty) of a placement that has
  not ended (no end date, or one from the day on), due on its due date;
- a leader's request to meet a candidate: an open MeetingRequest (handled_at empty), due the
  day it arrived;
- a placement ending soon: its end date lies from today to settings.WORKLIST_ENDING_SOON_DAYS
  ahead, due on the end date;
- a citizen in the target group, looking for a job (registered, in course, ready), whose last
  contact lies settings.WORKLIST_NO_CONTACT_DAYS or more ago: due that many days after it.

The assignee of every item is the citizen's consultant. An item is hidden by a Mark of its
key: done (no `until`) for good, snoozed until a day (it shows again on that day). A new due
date is a new key, so a marked item shows again when its date moves."""

from core import dates
from core.pagination import CappedPaginator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Case, CharField, Count, DateField, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import CASEWORK_ROLES, municipalities_for
from accounts.models import Membership, Role
from citizens.models import Citizen
from notifications.models import Kind, Notification
from placements.models import FollowUp, Placement
from workspace.models import MeetingRequest

from .models import Mark

PAGE_SIZE = 20



def coming_until(today):
    return today + timedelta(days=settings.WORKLIST_COMING_DAYS)


def week_end(today):
    """The Sunday of today's week: "this week" in the team's counts."""
    return today + timedelta(days=6 - today.weekday())


# --- The sources --------------------------------------------------------------------------

def _follow_ups(on):
    return FollowUp.objects.filter(
        done_on__isnull=True, due_on__lte=coming_until(on), placement__citizen__anonymised_at__isnull=True
    ).filter(
        # An ended placement has no follow-up left to do: one still open, due before the end
        # and never recorded, would otherwise stay overdue for good.
        Q(placement__end_date__isnull=True) | Q(placement__end_date__gte=on)
    ).annotate(
        wl_due=F("due_on"),
        wl_kind=Case(
            When(kind=FollowUp.Kind.REGULAR, then=Value(Kind.FOLLOW_UP)), default=Value(Kind.DEADLINE),
            output_field=CharField(),
        ),
    )


def _meeting_requests(on):
    return MeetingRequest.objects.filter(
        handled_at__isnull=True, citizen__anonymised_at__isnull=True
    ).annotate(wl_due=TruncDate("created_at"), wl_kind=Value(Kind.MEETING_REQUEST, output_field=CharField())).filter(
        wl_due__lte=on
    )


def _placements_ending(on):
    return Placement.objects.filter(
        end_date__gte=on,
        end_date__lte=on + timedelta(days=settings.WORKLIST_ENDING_SOON_DAYS),
        citizen__anonymised_at__isnull=True,
    ).annotate(wl_due=F("end_date"), wl_kind=Value(Kind.ENDING_SOON, output_field=CharField()))


def _citizens_without_contact(on):
    days = settings.WORKLIST_NO_CONTACT_DAYS
    return (
        Citizen.objects.in_target_group(on)
        .job_seeking()
        # A citizen registered where no contact was written (an old row, a bulk load) has
        # had none since the day of registration.
        .annotate(wl_contact=Coalesce("last_contact_on", TruncDate("created_at"), output_field=DateField()))
        .filter(wl_contact__lte=on - timedelta(days=days))
        .annotate(
            wl_due=Cast(F("wl_contact") + timedelta(days=days), DateField()),
            wl_kind=Value(Kind.NO_CONTACT, output_field=CharField()),
        )
    )


@dataclass(frozen=True)
class Source:
    """One kind of work: where its items are read, and how they are shown."""

    name: str  # the section's key, also its page parameter
    title: str
    empty: str
    kinds: tuple
    citizen: str  # the path from the item to its citizen ("" for the citizen itself)
    items: Callable[[date], QuerySet]  # the items open and in the worklist on a day
    related: tuple  # select_related for a page of rows
    # Done by a Mark (the others are done where the work is: a follow-up recorded, a
    # request marked handled).
    markable: bool
    # Reminded when it enters the worklist, not on its due date (an ending is a date to
    # prepare for, not a deadline).
    remind_ahead: bool = False
    # The path from the item to its company's name ("" for none), for the team's overdue list.
    company: str = ""

    def path(self, field):
        return f"{self.citizen}__{field}" if self.citizen else field


SOURCES = (
    Source(
        "followups", _("Forfaldne og kommende opfølgninger og frister"),
        _("Ingen opfølgninger eller frister de næste dage – godt gået."),
        (Kind.FOLLOW_UP, Kind.DEADLINE), "placement__citizen", _follow_ups,
        ("placement__citizen", "placement__employer"), markable=False, company="placement__employer__name",
    ),
    Source(
        "requests", _("Ønsker om møde"), _("Ingen virksomheder venter på svar."),
        (Kind.MEETING_REQUEST,), "citizen", _meeting_requests, ("citizen", "member__employer", "member__user"),
        markable=False, company="member__employer__name",
    ),
    Source(
        "ending", _("Ansættelser der slutter snart"), _("Ingen ansættelser slutter den næste tid."),
        (Kind.ENDING_SOON,), "citizen", _placements_ending, ("citizen", "employer"), markable=True,
        remind_ahead=True, company="employer__name",
    ),
    Source(
        "no_contact", _("Borgere uden kontakt"), _("Du har haft kontakt med alle dine borgere i målgruppen."),
        (Kind.NO_CONTACT,), "", _citizens_without_contact, (), markable=True,
    ),
)
SOURCE_OF_KIND = {kind: source for source in SOURCES for kind in source.kinds}
SOURCE_NAMED = {source.name: source for source in SOURCES}
MARKABLE_KINDS = frozenset(kind for source in SOURCES if source.markable for kind in source.kinds)


def hidden_on(source, on):
    """Whether a Mark hides the item on `on`: done for its due date, or snoozed past `on`."""
    return Exists(
        Mark.objects.filter(kind__in=source.kinds, object_id=OuterRef("pk"), due_on=OuterRef("wl_due")).filter(
            Q(until__isnull=True) | Q(until__gt=on)
        )
    )


def snoozed_on(source, on):
    return Exists(
        Mark.objects.filter(kind__in=source.kinds, object_id=OuterRef("pk"), due_on=OuterRef("wl_due"), until__gt=on)
    )


def open_items(source, on):
    """The source's items in the worklist on `on` and not hidden by a Mark."""
    return source.items(on).annotate(wl_hidden=hidden_on(source, on)).filter(wl_hidden=False)


# --- The rows -----------------------------------------------------------------------------

def item_url(source, obj):
    """Where the item's work is done: the same link on the page and in its reminder."""
    if source.name == "followups":
        return reverse("placements:followup_record", args=[obj.placement_id, obj.pk])
    if source.name == "requests":
        return reverse("workspace:requests", args=[obj.member.task_force_id])
    if source.name == "ending":
        return reverse("placements:detail", args=[obj.pk])
    return reverse("citizens:detail", args=[obj.pk])


@dataclass
class Item:
    """One row of the worklist, whatever its source."""

    kind: str
    object_id: int
    due_on: date
    what: str
    detail: str
    citizen: Citizen
    url: str
    link: str
    markable: bool
    today: date

    @property
    def key(self):
        return f"{self.kind}-{self.object_id}-{self.due_on:%Y%m%d}"

    @property
    def overdue(self):
        return self.due_on < self.today

    @property
    def due_today(self):
        return self.due_on == self.today


def item_for(source, obj, today):
    """The row of one item read from `source` (with its select_related)."""
    due, url = obj.wl_due, item_url(source, obj)
    if source.name == "followups":
        placement = obj.placement
        return Item(
            obj.wl_kind, obj.pk, due, obj.title, placement.employer.name, placement.citizen,
            url, _("Gå til opfølgningen"), source.markable, today,
        )
    if source.name == "requests":
        company = obj.member.employer.name if obj.member.employer else obj.member.display_name
        return Item(
            obj.wl_kind, obj.pk, due, _("Ønske om møde"), company, obj.citizen,
            url, _("Gå til ønsket"), source.markable, today,
        )
    if source.name == "ending":
        return Item(
            obj.wl_kind, obj.pk, due, _("Ansættelsen slutter"), f"{obj.display_kind} · {obj.employer.name}",
            obj.citizen, url, _("Gå til ansættelsen"), source.markable, today,
        )
    return Item(
        obj.wl_kind, obj.pk, due, _("Ingen kontakt"),
        _("Seneste kontakt %(day)s") % {"day": dates.day_short(obj.wl_contact)}, obj,
        url, _("Gå til borgeren og skriv et notat"), source.markable, today,
    )


# --- The consultant's page ----------------------------------------------------------------

@dataclass
class Section:
    source: Source
    page: object  # a Page of Items
    today: date

    @property
    def name(self):
        return self.source.name

    @property
    def items(self):
        return self.page.object_list


def consultant_items(source, user, today):
    """The source's open items whose citizen the user is the consultant of, in the user's
    own casework municipalities, oldest due first."""
    return (
        open_items(source, today)
        .filter(**{
            source.path("consultant"): user,
            source.path("municipality__in"): municipalities_for(user, CASEWORK_ROLES).values("pk"),
        })
        .order_by("wl_due", "pk")
    )


def section_for(source, user, today, page_number=None):
    """One section of the page: its items paginated on its own (two queries)."""
    page = CappedPaginator(consultant_items(source, user, today).select_related(*source.related), PAGE_SIZE).get_page(
        page_number
    )
    page.object_list = [item_for(source, obj, today) for obj in page.object_list]
    return Section(source, page, today)


def worklist_for(user, today, pages=None):
    """"Mine opgaver": every section, each paginated by its own page parameter."""
    pages = pages or {}
    return [section_for(source, user, today, pages.get(source.name)) for source in SOURCES]


def citizens_shown(sections):
    """The citizens the page names, once each, for the access log."""
    return list({item.citizen.pk: item.citizen for section in sections for item in section.items}.values())


# --- The team's counts --------------------------------------------------------------------

@dataclass
class Counts:
    overdue: int = 0
    this_week: int = 0
    coming: int = 0
    snoozed: int = 0

    def add(self, overdue=0, this_week=0, coming=0, snoozed=0):
        self.overdue += overdue
        self.this_week += this_week
        self.coming += coming
        self.snoozed += snoozed

    @property
    def total(self):
        return self.overdue + self.this_week + self.coming


@dataclass
class TeamRow:
    consultant: object  # a user, or None for the items without a consultant of the team
    counts: Counts


def team_consultants(municipality):
    return (
        get_user_model().objects.filter(
            memberships__municipality=municipality, memberships__role=Role.CONSULTANT, is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def team_counts(municipality, today):
    """{consultant id or None: Counts} of the municipality's items: overdue, due this week
    (today to Sunday), coming later, and snoozed; one query per source."""
    end_of_week = week_end(today)
    counts = {}
    for source in SOURCES:
        rows = (
            source.items(today)
            .filter(**{source.path("municipality"): municipality})
            .annotate(wl_hidden=hidden_on(source, today), wl_snoozed=snoozed_on(source, today))
            .values(source.path("consultant"))
            .annotate(
                overdue=Count("pk", filter=Q(wl_hidden=False, wl_due__lt=today)),
                this_week=Count("pk", filter=Q(wl_hidden=False, wl_due__gte=today, wl_due__lte=end_of_week)),
                coming=Count("pk", filter=Q(wl_hidden=False, wl_due__gt=end_of_week)),
                snoozed=Count("pk", filter=Q(wl_snoozed=True)),
            )
            .order_by()
        )
        for row in rows:
            consultant_id = row.pop(source.path("consultant"))
            counts.setdefault(consultant_id, Counts()).add(**row)
    return counts


def team_for(municipality, today, page_number=None, *, consultants=None):
    """The team page: a page of the municipality's consultants with their counts, and the
    counts of items whose citizen has no consultant of the team (none, or one who left).
    `consultants`: the team (team_consultants), when the caller has read it already."""
    counts = team_counts(municipality, today)
    if consultants is None:
        consultants = list(team_consultants(municipality))
    page = CappedPaginator(consultants, PAGE_SIZE).get_page(page_number)
    page.object_list = [TeamRow(user, counts.get(user.pk, Counts())) for user in page.object_list]
    team_ids = {user.pk for user in consultants}
    unassigned = Counts()
    for consultant_id, consultant_counts in counts.items():
        if consultant_id not in team_ids:
            unassigned.add(**vars(consultant_counts))
    return page, unassigned


# --- The team's overdue items -------------------------------------------------------------

TEAM_OVERDUE_PAGE_SIZE = 25
# The filter's value for the items whose citizen has no consultant of the team.
UNASSIGNED = "none"


@dataclass
class OverdueRow:
    """One overdue item as a manager sees it: what, where, whose and since when; never the
    citizen (SPEC: managers see aggregated figures, no case notes)."""

    what: str
    company: str
    consultant: object  # a consultant of the team, or None
    due_on: date
    days: int  # how many days overdue


def _overdue_columns(source, today, consultant, team_ids):
    """The source's overdue open items of the municipality (as `consultant` filters them: a
    user id, UNASSIGNED or None for all) in the columns every source has, for one union."""
    field = source.path("consultant")
    items = open_items(source, today).filter(wl_due__lt=today)
    if consultant == UNASSIGNED:
        items = items.filter(Q(**{f"{field}__isnull": True}) | ~Q(**{f"{field}__in": team_ids}))
    elif consultant is not None:
        items = items.filter(**{field: consultant})
    follow_up = source.name == "followups"
    return items.annotate(
        wl_id=F("pk"),
        wl_consultant=F(source.path("consultant_id")),
        wl_company=Coalesce(F(source.company), Value(""), output_field=CharField()) if source.company
        else Value("", output_field=CharField()),
        # A follow-up says which it is ("Opfølgning efter 3 måneder"): its kind and months.
        wl_follow_up_kind=F("kind") if follow_up else Value("", output_field=CharField()),
        wl_months=Cast("months", IntegerField()) if follow_up else Value(None, output_field=IntegerField()),
    ).values("wl_id", "wl_kind", "wl_due", "wl_consultant", "wl_company", "wl_follow_up_kind", "wl_months").order_by()


def _overdue_row(row, team, today):
    if row["wl_follow_up_kind"]:
        what = FollowUp(kind=row["wl_follow_up_kind"], months=row["wl_months"]).title
    else:
        what = Kind(row["wl_kind"]).label
    return OverdueRow(
        what, row["wl_company"], team.get(row["wl_consultant"]), row["wl_due"], (today - row["wl_due"]).days
    )


def team_overdue(municipality, today, consultants, *, consultant=None, page_number=None):
    """A page of the municipality's overdue items of every source, oldest due first: open,
    neither snoozed nor done, of one consultant of the team (`consultant`: a user id), of
    those without one (UNASSIGNED) or of all (None). One union: two queries a page."""
    team = {user.pk: user for user in consultants}
    parts = [
        _overdue_columns(source, today, consultant, list(team)).filter(
            **{source.path("municipality"): municipality}
        )
        for source in SOURCES
    ]
    items = parts[0].union(*parts[1:], all=True).order_by("wl_due", "wl_kind", "wl_id")
    page = CappedPaginator(items, TEAM_OVERDUE_PAGE_SIZE).get_page(page_number)
    page.object_list = [_overdue_row(row, team, today) for row in page.object_list]
    return page


# --- The nightly reminders ----------------------------------------------------------------

def due_for_reminder(source, as_of):
    """The source's items due on or before `as_of` (an ending: in its window), open and not
    hidden on that day, whose consultant may act on them (a consultant or admin of the
    citizen's municipality) and has no reminder of the item's key yet."""
    items = open_items(source, as_of)
    if not source.remind_ahead:
        items = items.filter(wl_due__lte=as_of)
    consultant = source.path("consultant")
    may_act = Q(**{f"{consultant}__is_superuser": True}) | Q(Exists(Membership.objects.filter(
        user=OuterRef(consultant), municipality=OuterRef(source.path("municipality")), role__in=CASEWORK_ROLES,
    )))
    reminded = Exists(Notification.objects.filter(
        user=OuterRef(consultant), kind__in=source.kinds, object_id=OuterRef("pk"), due_on=OuterRef("wl_due"),
    ))
    return (
        items.filter(**{f"{consultant}__isnull": False, f"{consultant}__is_active": True})
        .filter(may_act)
        .exclude(reminded)
        .order_by("pk")
    )
