"""Property tests of the main create and edit pages, through the test client: whatever a form
posts (NUL and other control characters, bytes that are no UTF-8, odd unicode, huge strings,
odd numbers and dates), the page never answers with a server error; a refused form saves
nothing; and after a save, the pages that show the records (the page it redirects to, the
lists, the workspace's pages, the dashboard and the calendar file) still open.

Each case starts from the data of a form that would be saved and replaces some of its fields.
The body is sent as a browser sends it, URL-encoded UTF-8: a lone surrogate becomes bytes that
are no UTF-8, which Django decodes as it would a real request's. Each example rolls back."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable
from urllib.parse import quote

import pytest
from django.db import transaction
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.factories import make_cpr, make_cvr
from tests.strategies import mutated, row_counts


def encoded(values):
    """A form body as a browser sends it; text that UTF-8 cannot hold is sent as the bytes a
    broken client would send."""
    def part(text):
        return quote(str(text).encode("utf-8", "surrogatepass"), safe="")

    pairs = []
    for name, value in values.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            pairs.append(f"{part(name)}={part(item)}")
    return "&".join(pairs)


def domain_counts():
    """The rows of every table but the access log's: showing a refused form may rightly log
    that the page was seen."""
    return {table: n for table, n in row_counts().items() if not table.startswith("audit_")}


@dataclass
class Page:
    name: str
    user: str  # who posts: consultant, manager, leader or facilitator
    url: Callable  # world → the URL posted to
    base: Callable  # world → data that would be saved
    # (world, the page saved to) → the pages besides that one that show what was saved
    after: Callable = field(default=lambda w, saved: [])


def _workshop_pages(w, saved):
    """The lists, the front page and the calendar files, which a workshop in year 1 broke."""
    tf = w.task_force.pk
    return [f"/taskforce/{tf}/", f"/taskforce/{tf}/workshops/", f"{saved}workshop.ics",
            f"/taskforce/{tf}/workshops/{w.workshop.pk}/workshop.ics"]


def _lists(*paths):
    return lambda w, saved: [path.format(tf=w.task_force.pk) for path in paths]


def _citizen(w):
    return {"municipality": w.fredericia.pk, "first_name": "Mette", "last_name": "Frederiksen", "phone": "",
            "email": "", "address": "", "unemployed_since": str(w.today - timedelta(days=500)), "flexjob_approved_on": "",
            "weekly_hours": "6", "competences": "", "wishes": "", "travel_distance": "", "consultant": w.consultant.pk,
            "status": "registered"}


def _employer(w):
    return {"municipality": w.fredericia.pk, "name": "Kanalbyens Café", "cvr": make_cvr(), "sector": "private",
            "size": "micro", "industry": "", "address": "", "last_contact": "", "next_step": "",
            "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0", "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "1000", "contacts-0-name": "Lise", "contacts-0-email": ""}


def _placement(w, **extra):
    return {"opening": "", "kind": "flexjob", "hours_per_week": "8", "contracted_hours": "",
            "start_date": str(w.today - timedelta(days=10)), "end_date": "", "permanent": "on", "accommodations": "", **extra}


def _workshop(w):
    day = w.today + timedelta(days=14)
    return {"title": "Workshop 2", "starts_at": f"{day}T09:00", "ends_at": f"{day}T12:00", "place": "", "agenda": "",
            "minutes": ""}


def _course(w):
    return {"municipality": w.fredericia.pk, "title": "Vaskeri", "description": "", "start_date": str(w.today),
            "end_date": "", "employers": [w.employer.pk]}


def _target(w):
    year = w.today.year + 1
    return {"municipality": w.fredericia.pk, "title": "Nye fleksjob", "number": "164", "period_start": f"{year}-01-01",
            "period_end": f"{year}-12-31"}


def _tf(path):
    return lambda w: path.format(tf=w.task_force.pk, w=w)


PAGES = [
    # citizens
    Page("citizen create", "consultant", lambda w: "/citizens/new/", lambda w: {**_citizen(w), "cpr": make_cpr()},
         _lists("/citizens/")),
    Page("citizen edit", "consultant", lambda w: f"/citizens/{w.citizen.pk}/edit/", _citizen, _lists("/citizens/")),
    Page("citizen search", "consultant", lambda w: "/citizens/", lambda w: {"q": "Bente", "sort": "name", "page": "1"}),
    Page("case note", "consultant", lambda w: f"/citizens/{w.citizen.pk}/notes/", lambda w: {"text": "Samtale."}),
    # employers
    Page("employer create", "consultant", lambda w: "/employers/new/", _employer, _lists("/employers/")),
    Page("employer edit", "consultant", lambda w: f"/employers/{w.employer.pk}/edit/",
         lambda w: {**_employer(w), "cvr": w.employer.cvr}, _lists("/employers/")),
    Page("opening create", "consultant", lambda w: f"/employers/{w.employer.pk}/openings/new/",
         lambda w: {"title": "Køkken", "tasks": "", "hours_min": "4", "hours_max": "8", "positions": "2", "is_open": "on"}),
    # placements
    Page("placement create", "consultant", lambda w: f"/placements/new/citizen/{w.newcomer.pk}/",
         lambda w: _placement(w, employer=w.employer.pk), lambda w, saved: [f"/citizens/{w.newcomer.pk}/"]),
    Page("placement create by cpr", "consultant", lambda w: f"/placements/new/employer/{w.employer.pk}/",
         lambda w: _placement(w, citizen_cpr=w.newcomer.reveal_cpr()), lambda w, saved: [f"/employers/{w.employer.pk}/"]),
    Page("placement edit", "consultant", lambda w: f"/placements/{w.placement.pk}/edit/",
         lambda w: {**_placement(w, employer=w.employer.pk), "start_date": str(w.placement.start_date)},
         lambda w, saved: [f"/citizens/{w.citizen.pk}/"]),
    Page("placement end", "consultant", lambda w: f"/placements/{w.placement.pk}/end/",
         lambda w: {"end_date": str(w.today), "end_reason": "health"}, lambda w, saved: [f"/citizens/{w.citizen.pk}/"]),
    # courses
    Page("course create", "consultant", lambda w: "/courses/new/", _course, _lists("/courses/")),
    Page("enrol", "consultant", lambda w: f"/courses/{w.course.pk}/enrol/", lambda w: {"cpr": w.newcomer.reveal_cpr()}),
    Page("enrolment status", "consultant", lambda w: f"/courses/{w.course.pk}/enrolments/{w.enrolment.pk}/status/",
         lambda w: {"status": "completed", "expected_status": "enrolled"}),
    # progress
    Page("target create", "manager", lambda w: "/targets/new/", _target,
         lambda w, saved: ["/dashboard/", f"/dashboard/?as_of={w.today.year + 1}-06-01"]),
    # the task force
    Page("workshop create", "facilitator", _tf("/taskforce/{tf}/workshops/"), _workshop, _workshop_pages),
    Page("workshop edit", "facilitator", _tf("/taskforce/{tf}/workshops/{w.workshop.pk}/"), _workshop, _workshop_pages),
    Page("vision", "leader", _tf("/taskforce/{tf}/vision/"), lambda w: {"text": "Alle kan arbejde."},
         _lists("/taskforce/{tf}/")),
    Page("solution", "leader", _tf("/taskforce/{tf}/solutions/"),
         lambda w: {"title": "Jobdeling", "description": "Små virksomheder deler et job.", "problem": "", "target": ""},
         _lists("/taskforce/{tf}/solutions/")),
    Page("comment", "leader", _tf("/taskforce/{tf}/solutions/{w.solution.pk}/"), lambda w: {"text": "Vi er med!"},
         _lists("/taskforce/{tf}/solutions/")),
    Page("score", "leader", _tf("/taskforce/{tf}/ranking/{w.round.pk}/solutions/{w.solution.pk}/score/"),
         lambda w: {"impact": "4", "effort": "2", "dots": "3"}),
    Page("action", "leader", _tf("/taskforce/{tf}/actions/"),
         lambda w: {"title": "Tre job", "description": "", "solution": "", "owner": w.leader_member.pk,
                    "due_date": str(w.today + timedelta(days=30))}),
    Page("action status", "leader", _tf("/taskforce/{tf}/actions/{w.action.pk}/status/"),
         lambda w: {"status": "in_progress", "progress": "40", "expected_status": "planned"}, _lists("/taskforce/{tf}/actions/")),
    Page("contribution", "leader", _tf("/taskforce/{tf}/actions/{w.action.pk}/contributions/"),
         lambda w: {"kind": "competence", "description": "Mentortimer"}),
    Page("pledge", "leader", _tf("/taskforce/{tf}/actions/{w.action.pk}/pledges/"),
         lambda w: {"title": "Køkken", "positions": "3", "hours_min": "4", "hours_max": "8", "tasks": ""},
         _lists("/taskforce/{tf}/actions/", "/employers/mine/")),
]


def _user(world, name):
    return {"consultant": world.consultant, "manager": world.manager, "leader": world.leader_member.user,
            "facilitator": world.facilitator_member.user}[name]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
# Each example is a whole request (and, after a save, the pages that show it): fewer of them
# than the profile's, so the property tests together stay well under a minute.
@settings(max_examples=15)
@given(data=st.data())
def test_no_post_gives_a_server_error_or_saves_half_a_record(client, world, page, data):
    client.force_login(_user(world, page.user))
    values = mutated(data, page.base(world))
    with transaction.atomic():
        before = domain_counts()
        response = client.post(page.url(world), encoded(values), content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500
        event(f"status {response.status_code}")
        if response.status_code == 302:
            # Something may have been saved: the pages that show it must still open.
            saved = response["Location"]
            for url in [saved, *page.after(world, saved)]:
                if url.startswith("/"):
                    assert client.get(url).status_code < 500, url
        else:
            assert domain_counts() == before
        transaction.set_rollback(True)
