"""Who gets what at every URL: the whole URLconf, walked through its includes, against a
table of access decisions, one entry per URL name, for each kind of user.

The table is the decision. A URL added without an entry fails the suite ("new URL without
an access decision"), and so does an entry for a URL that is gone, so no page reaches
production without someone having decided who may open it.

The users, all in municipality "ours" (Fredericia) except the other consultant:
    anonymous         not logged in
    consultant        a job consultant of ours (not a member of the task force)
    other_consultant  a job consultant of another municipality (Odense)
    leader            a business leader of ours, member of our task force for their company
    manager           a jobcenter manager of ours (not a member of the task force)
    admin             the system administrator: Role.ADMIN in ours, superuser and staff, as
                      `seed_demo` makes `admin`
    municipal_admin   Role.ADMIN in ours and nothing else (no superuser, no staff), so the
                      role itself, not the superuser flag, is what is tested

An answer is an HTTP status, LOGIN (a redirect to the login page, from
LoginRequiredMiddleware), or `to(path)`: a redirect to that page. GET requests; a view that
takes POST only answers 405 to a GET, and POST_REFUSALS says who is refused a POST there
(and on pages whose form only some of those who see the page may send): the refused POST
must change nothing in the database.

The Django admin is not in the table: its URLs are made per model, by Django and by the
packages we install, and all of them go through the admin site's own check (an active staff
user). So every admin URL is asked instead whether it sends anonymous and non-staff users to
a login page, and a few rows (the index, the change lists of the records that matter) check
that the admin gets in.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Role
from courses.models import Enrolment
from employers.models import Opening
from imports.models import ImportJob
from imports.report import ImportReport
from placements.models import FollowUp
from placements.services import followups_schedule
from tests.factories import (
    make_action,
    make_citizen,
    make_course,
    make_cpr,
    make_cvr,
    make_invitation,
    make_placement,
    make_pledge,
    make_round,
    make_solution,
    make_target,
    make_user,
    make_workshop,
)
from workspace.access import candidate_token
from workspace.models import MeetingRequest, Member, RankingRound, VisionVersion

ROLES = ("anonymous", "consultant", "other_consultant", "leader", "manager", "admin", "municipal_admin")
LOGIN = "login"
ADMIN_NAMESPACE = "admin"


@dataclass(frozen=True)
class to:
    """A redirect to this path; `{task_force}` and the like are filled in from the world."""

    path: str


def row(anonymous, consultant, other_consultant, leader, manager, admin, municipal_admin):
    return dict(zip(ROLES, (anonymous, consultant, other_consultant, leader, manager, admin, municipal_admin)))


# fmt: off
# Columns:                    anonymous consultant other_consultant leader manager admin municipal_admin
EXPECTED = {
    # The site: the start page sends each role to its own; the health check and the
    # language switch work before login.
    "home":                        row(LOGIN, to("/tasks/"), to("/tasks/"), to("/taskforce/"), to("/dashboard/"), to("/dashboard/"), to("/dashboard/")),
    "healthz":                     row(200, 200, 200, 200, 200, 200, 200),
    # Search engines are told to stay out; the browser's icon request finds the icon.
    "robots_txt":                  row(200, 200, 200, 200, 200, 200, 200),
    "favicon":                     row(*[to("/static/img/favicon.svg")] * 7),

    # The daily loop: a consultant's worklist (only their own items, so one of another
    # municipality sees their own), the team's counts for managers, everyone's reminders.
    "worklist:mine":               row(LOGIN, 200, 200, 403, 403, 200, 200),
    "worklist:done":               row(LOGIN, 405, 405, 405, 405, 405, 405),
    "worklist:snooze":             row(LOGIN, 405, 405, 405, 405, 405, 405),
    "worklist:team":               row(LOGIN, 403, 403, 403, 200, 200, 200),
    "notifications:list":          row(LOGIN, 200, 200, 200, 200, 200, 200),
    "notifications:read_all":      row(LOGIN, 405, 405, 405, 405, 405, 405),
    "notifications:preferences":   row(LOGIN, 200, 200, 200, 200, 200, 200),
    "set_language":                row(to("/"), to("/"), to("/"), to("/"), to("/"), to("/"), to("/")),

    # Signing in and out, the second factor, and the page for a user without a role.
    "accounts:login":              row(200, 200, 200, 200, 200, 200, 200),
    "accounts:logout":             row(LOGIN, 405, 405, 405, 405, 405, 405),
    "admin_logout":                row(LOGIN, 405, 405, 405, 405, 405, 405),  # the admin's, with Clear-Site-Data
    "accounts:otp_verify":         row(LOGIN, *[to("/accounts/two-factor/setup/")] * 6),  # no device yet: enrol one
    "accounts:otp_setup":          row(LOGIN, 200, 200, 200, 200, 200, 200),
    "accounts:no_role":            row(LOGIN, 200, 200, 200, 200, 200, 200),

    # Citizens: full records for consultants and admins of the municipality only.
    "citizens:list":               row(LOGIN, 200, 200, 403, 403, 200, 200),
    "citizens:create":             row(LOGIN, 200, 200, 403, 403, 200, 200),
    "citizens:detail":             row(LOGIN, 200, 404, 403, 403, 200, 200),
    "citizens:edit":               row(LOGIN, 200, 404, 403, 403, 200, 200),
    "citizens:reveal_cpr":         row(LOGIN, 405, 405, 405, 405, 405, 405),
    "citizens:add_note":           row(LOGIN, 405, 405, 405, 405, 405, 405),

    # Employers and openings: casework; a business leader sees their own company only.
    "employers:list":              row(LOGIN, 200, 200, 403, 403, 200, 200),
    "employers:choose":            row(LOGIN, 200, 200, 403, 403, 200, 200),
    "employers:create":            row(LOGIN, 200, 200, 403, 403, 200, 200),
    "employers:mine":              row(LOGIN, 403, 403, 200, 403, 403, 403),
    "employers:detail":            row(LOGIN, 200, 404, 403, 403, 200, 200),
    "employers:edit":              row(LOGIN, 200, 404, 403, 403, 200, 200),
    "employers:opening_create":    row(LOGIN, 200, 404, 403, 403, 200, 200),
    "employers:opening_edit":      row(LOGIN, 200, 404, 403, 403, 200, 200),

    # Placements and courses: casework.
    "placements:create_for_citizen":  row(LOGIN, 200, 404, 403, 403, 200, 200),
    "placements:create_for_employer": row(LOGIN, 200, 404, 403, 403, 200, 200),
    "placements:detail":           row(LOGIN, 200, 404, 403, 403, 200, 200),
    "placements:edit":             row(LOGIN, 200, 404, 403, 403, 200, 200),
    "placements:followup_record":  row(LOGIN, 200, 404, 403, 403, 200, 200),
    # The placement form's opening field for the chosen employer (htmx; issue 10).
    "placements:openings_for_citizen":   row(LOGIN, 200, 404, 403, 403, 200, 200),
    "placements:openings_for_placement": row(LOGIN, 200, 404, 403, 403, 200, 200),
    "placements:end":              row(LOGIN, 405, 405, 405, 405, 405, 405),
    "courses:list":                row(LOGIN, 200, 200, 403, 200, 200, 200),
    "courses:create":              row(LOGIN, 200, 200, 403, 403, 200, 200),
    "courses:detail":              row(LOGIN, 200, 404, 403, 200, 200, 200),
    "courses:edit":                row(LOGIN, 200, 404, 403, 403, 200, 200),
    "courses:enrol":               row(LOGIN, 405, 405, 405, 405, 405, 405),
    "courses:enrolment_status":    row(LOGIN, 405, 405, 405, 405, 405, 405),

    # Imports: casework (each consultant imports into their own municipality).
    "imports:index":               row(LOGIN, 200, 200, 403, 403, 200, 200),
    "imports:citizens":            row(LOGIN, 405, 405, 405, 405, 405, 405),
    "imports:placements":          row(LOGIN, 405, 405, 405, 405, 405, 405),
    # An import's job page: its uploader's only (the report may mask CPR numbers of rows).
    "imports:job":                 row(LOGIN, 200, 404, 403, 403, 404, 404),

    # Figures of our municipality: exact for managers, consultants and admins; aggregated
    # for leaders on the dashboard only; the exports and the JSON are not for leaders.
    "progress:dashboard":          row(LOGIN, 200, 404, 200, 200, 200, 200),
    "progress:export_csv":         row(LOGIN, 200, 404, 403, 200, 200, 200),
    "progress:export_xlsx":        row(LOGIN, 200, 404, 403, 200, 200, 200),
    "progress:status_pdf":         row(LOGIN, 200, 404, 403, 200, 200, 200),
    "progress:json":               row(LOGIN, 200, 404, 403, 200, 200, 200),
    "progress:targets":            row(LOGIN, 403, 403, 403, 200, 200, 200),
    "progress:target_create":      row(LOGIN, 403, 403, 403, 200, 200, 200),
    "progress:target_edit":        row(LOGIN, 403, 403, 403, 200, 200, 200),

    # The access log: the municipality's managers and admins (the data protection officer's
    # work), each their own municipalities' rows.
    "audit:search":                row(LOGIN, 403, 403, 403, 200, 200, 200),
    "audit:report":                row(LOGIN, 403, 403, 403, 200, 200, 200),
    "audit:sign_ins":              row(LOGIN, 403, 403, 403, 200, 200, 200),

    # The task force: its members and the municipality's jobcenter staff see it; another
    # municipality's users get 404. Who may do what there is in POST_REFUSALS.
    "workspace:list":              row(LOGIN, to("/taskforce/{task_force}/"), 200, to("/taskforce/{task_force}/"), to("/taskforce/{task_force}/"), to("/taskforce/{task_force}/"), to("/taskforce/{task_force}/")),
    "workspace:home":              row(LOGIN, 200, 404, 200, 200, 200, 200),
    "workspace:members":           row(LOGIN, 200, 404, 200, 200, 200, 200),
    "workspace:employer_choose":   row(LOGIN, 200, 404, 403, 200, 200, 200),
    "workspace:workshops":         row(LOGIN, 200, 404, 200, 200, 200, 200),
    "workspace:workshop":          row(LOGIN, 200, 404, 200, 200, 200, 200),
    "workspace:workshop_register": row(LOGIN, 405, 405, 405, 405, 405, 405),
    "workspace:workshop_attendance": row(LOGIN, 405, 405, 405, 405, 405, 405),
    "workspace:workshop_ics":      row(LOGIN, 200, 404, 200, 200, 200, 200),
    "workspace:vision":            row(LOGIN, 200, 404, 200, 200, 200, 200),
    "workspace:vision_adopt":      row(LOGIN, 405, 405, 405, 405, 405, 405),
    "workspace:solutions":         row(LOGIN, 200, 404, 200, 200, 200, 200),
    "workspace:solution":          row(LOGIN, 200, 404, 200, 200, 200, 200),
    "workspace:ranking":           row(LOGIN, 200, 404, 200, 200, 200, 200),
    "workspace:round_open":        row(LOGIN, 405, 405, 405, 405, 405, 405),
    "workspace:round_close":       row(LOGIN, 405, 405, 405, 405, 405, 405),
    "workspace:score":             row(LOGIN, 405, 405, 405, 405, 405, 405),
    "workspace:actions":           row(LOGIN, 200, 404, 200, 200, 200, 200),
    "workspace:actions_csv":       row(LOGIN, 200, 404, 200, 200, 200, 200),
    "workspace:actions_pdf":       row(LOGIN, 200, 404, 200, 200, 200, 200),
    "workspace:action":            row(LOGIN, 200, 404, 200, 200, 200, 200),
    "workspace:action_status":     row(LOGIN, 405, 405, 405, 405, 405, 405),
    "workspace:contribution_add":  row(LOGIN, 405, 405, 405, 405, 405, 405),
    "workspace:pledge_add":        row(LOGIN, 405, 405, 405, 405, 405, 405),
    "workspace:pledge_open":       row(LOGIN, 405, 405, 405, 405, 405, 405),
    # Anonymised candidates: members and those who run the process, not a manager who only
    # follows the figures (404, as for a candidate who does not exist).
    "workspace:candidates":        row(LOGIN, 200, 404, 200, 404, 200, 200),
    "workspace:candidate":         row(LOGIN, 200, 404, 200, 404, 200, 200),
    # Requests to meet a candidate name the citizen: the jobcenter's caseworkers only.
    "workspace:requests":          row(LOGIN, 200, 404, 403, 403, 200, 200),
    "workspace:request_handled":   row(LOGIN, 405, 405, 405, 405, 405, 405),
    # Invitations: the jobcenter invites; a staff invitation (a consultant's access to every
    # citizen) is sent only once a manager or admin approves it.
    "workspace:invitation_approve": row(LOGIN, 405, 405, 405, 405, 405, 405),
    "workspace:invitation_withdraw": row(LOGIN, 405, 405, 405, 405, 405, 405),
    # The e-mailed link is the credential and works without logging in: it puts its token in
    # the session and moves on to the page without it, which without the link is not found.
    "workspace:invitation_link":   row(*[to("/taskforce/invitations/accept/")] * 7),
    "workspace:accept_invitation": row(404, 404, 404, 404, 404, 404, 404),
}
# fmt: on

# POSTs that must be refused: {url name: {"refused": {user: status}, "data": objects ->
# form data, "allowed": a user whose same POST does change the database (so the refusal
# test could fail), "prepare": objects -> None, run first}}.
MEMBERS_ONLY = {"consultant": 403, "manager": 403, "admin": 403, "municipal_admin": 403, "other_consultant": 404}
FACILITATORS_ONLY = {"leader": 403, "manager": 403, "other_consultant": 404}
CASEWORK_ONLY = {"leader": 403, "manager": 403, "other_consultant": 404}


def citizens_csv(o):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = ["cpr,first_name,last_name,municipality", f"{make_cpr()},Ib,Importeret,{o['ours_code']}"]
    return {"citizens-file": SimpleUploadedFile("borgere.csv", "\r\n".join(rows).encode())}


def placements_csv(o):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = ["cpr,cvr,employer_name,sector,kind,hours_per_week,start_date",
            f"{o['second_citizen'].reveal_cpr()},{make_cvr()},Ny Virksomhed ApS,private,flexjob,6,2026-01-05"]
    return {"placements-file": SimpleUploadedFile("ansaettelser.csv", "\r\n".join(rows).encode()),
            "placements-municipality": o["ours"].pk}


POST_REFUSALS = {
    # Personal data: written and read by the municipality's caseworkers only.
    "citizens:create": {
        "refused": {"leader": 403, "manager": 403},
        "data": lambda o: {"municipality": o["ours"].pk, "cpr": make_cpr(), "first_name": "Mette",
                           "last_name": "Frederiksen", "status": "registered"},
        "allowed": "consultant",
    },
    "citizens:edit": {
        "refused": CASEWORK_ONLY,
        "data": lambda o: {"first_name": "Ændret", "last_name": "Sørensen", "status": "registered",
                           "consultant": o["citizen"].consultant_id},
        "allowed": "consultant",
    },
    "citizens:reveal_cpr": {"refused": CASEWORK_ONLY, "data": lambda o: {"purpose": "opfølgning"}, "allowed": "consultant"},
    "citizens:add_note": {"refused": CASEWORK_ONLY, "data": lambda o: {"text": "Et notat"}, "allowed": "consultant"},
    "courses:enrol": {
        "refused": CASEWORK_ONLY, "data": lambda o: {"cpr": o["second_citizen"].reveal_cpr()}, "allowed": "consultant",
    },
    "courses:enrolment_status": {"refused": CASEWORK_ONLY, "data": lambda o: {"status": "completed"}, "allowed": "consultant"},
    "placements:end": {
        "refused": CASEWORK_ONLY,
        "data": lambda o: {"end_date": timezone.localdate().isoformat(), "end_reason": "other"},
        "allowed": "consultant",
    },
    "placements:followup_record": {
        "refused": CASEWORK_ONLY,
        "data": lambda o: {"done_on": timezone.localdate().isoformat(), "outcome": "still_employed", "note": ""},
        "allowed": "consultant",
    },
    "worklist:done": {
        "refused": CASEWORK_ONLY,
        "data": lambda o: {"kind": "ending_soon", "object_id": o["ending_placement"].pk,
                           "due_on": o["ending_placement"].end_date.isoformat(), "reason": "Talt med virksomheden"},
        "allowed": "consultant",
    },
    "worklist:snooze": {
        "refused": CASEWORK_ONLY,
        "data": lambda o: {"kind": "ending_soon", "object_id": o["ending_placement"].pk,
                           "due_on": o["ending_placement"].end_date.isoformat(), "reason": "Venter på svar",
                           "until": (timezone.localdate() + timedelta(days=5)).isoformat()},
        "allowed": "consultant",
    },
    "imports:citizens": {"refused": {"leader": 403, "manager": 403}, "data": citizens_csv, "allowed": "consultant"},
    "imports:placements": {"refused": {"leader": 403, "manager": 403}, "data": placements_csv, "allowed": "consultant"},
    "progress:target_create": {
        "refused": {"consultant": 403, "leader": 403},
        "data": lambda o: {"municipality": o["ours"].pk, "title": "Næste år", "number": 170,
                           "period_start": f"{timezone.localdate().year + 1}-01-01",
                           "period_end": f"{timezone.localdate().year + 1}-12-31"},
        "allowed": "manager",
    },
    # The task force: only the jobcenter invites (managers too, since a staff invitation
    # needs a manager's approval).
    "workspace:members": {
        "refused": {"leader": 403, "other_consultant": 404},
        "data": lambda o: {"first_name": "Nina", "last_name": "Ny", "email": "nina@example.dk", "kind": "facilitator",
                           "employer": ""},
        "allowed": "consultant",
    },
    # Those who run the process: workshops, attendance, adopting the vision, ranking rounds.
    "workspace:workshops": {
        "refused": FACILITATORS_ONLY,
        "data": lambda o: {"title": "Workshop 3", "starts_at": "2030-01-01T09:00", "ends_at": "2030-01-01T12:00"},
        "allowed": "consultant",
    },
    "workspace:workshop": {
        "refused": FACILITATORS_ONLY,
        "data": lambda o: {"title": "Omdøbt", "starts_at": "2030-01-01T09:00", "ends_at": "2030-01-01T12:00"},
        "allowed": "consultant",
    },
    "workspace:workshop_attendance": {
        "refused": FACILITATORS_ONLY, "data": lambda o: {"attended": [o["leader_member"].pk]}, "allowed": "consultant",
    },
    "workspace:vision_adopt": {"refused": FACILITATORS_ONLY, "data": lambda o: {"workshop": ""}, "allowed": "consultant"},
    "workspace:round_open": {
        "refused": FACILITATORS_ONLY,
        "data": lambda o: {"title": "Runde 2", "dot_budget": 5},
        "allowed": "consultant",
        # One round is open at a time: close it, so that a wrongly allowed POST would open one.
        "prepare": lambda o: RankingRound.objects.filter(pk=o["round"].pk).update(status=RankingRound.Status.CLOSED),
    },
    "workspace:round_close": {"refused": FACILITATORS_ONLY, "data": lambda o: {}, "allowed": "consultant"},
    # The members' own work: proposing, commenting, scoring, owning and contributing.
    "workspace:workshop_register": {"refused": MEMBERS_ONLY, "data": lambda o: {"register": "1"}, "allowed": "leader"},
    "workspace:vision": {"refused": MEMBERS_ONLY, "data": lambda o: {"text": "Vores vision"}, "allowed": "leader"},
    "workspace:solutions": {
        "refused": MEMBERS_ONLY,
        "data": lambda o: {"title": "Delejob", "description": "To virksomheder deler et job."},
        "allowed": "leader",
    },
    "workspace:solution": {"refused": MEMBERS_ONLY, "data": lambda o: {"text": "God idé"}, "allowed": "leader"},
    "workspace:score": {
        "refused": MEMBERS_ONLY, "data": lambda o: {"impact": 4, "effort": 2, "dots": 1}, "allowed": "leader",
    },
    "workspace:actions": {
        "refused": MEMBERS_ONLY,
        "data": lambda o: {"title": "Ny handling", "owner": o["leader_member"].pk,
                           "due_date": (timezone.localdate() + timedelta(days=30)).isoformat()},
        "allowed": "leader",
    },
    "workspace:contribution_add": {
        "refused": MEMBERS_ONLY, "data": lambda o: {"kind": "competence", "description": "Mentor"}, "allowed": "leader",
    },
    "workspace:pledge_add": {
        "refused": MEMBERS_ONLY,
        "data": lambda o: {"title": "Køkken", "positions": 2, "hours_min": 4, "hours_max": 8},
        "allowed": "leader",
    },
    # The owner of the action, or whoever pledged the positions, or the facilitator.
    "workspace:action_status": {
        "refused": {"manager": 403, "other_consultant": 404},
        "data": lambda o: {"status": "in_progress", "progress": 10, "expected_status": "planned"},
        "allowed": "leader",
    },
    "workspace:pledge_open": {"refused": {"manager": 403, "other_consultant": 404}, "data": lambda o: {}, "allowed": "leader"},
    # A request to meet a candidate comes from a member; the jobcenter's caseworkers handle it.
    "workspace:candidate": {
        "refused": {"consultant": 403, "manager": 404, "admin": 403, "municipal_admin": 403, "other_consultant": 404},
        "data": lambda o: {"message": "Vi vil gerne mødes"},
        "allowed": "leader",
    },
    "workspace:request_handled": {"refused": CASEWORK_ONLY, "data": lambda o: {}, "allowed": "consultant"},
    "workspace:invitation_approve": {
        "refused": {"consultant": 403, "leader": 403, "other_consultant": 404}, "data": lambda o: {},
        "allowed": "manager",
    },
    "workspace:invitation_withdraw": {
        "refused": {"leader": 403, "other_consultant": 404}, "data": lambda o: {}, "allowed": "consultant",
    },
}


# --- The URLconf ----------------------------------------------------------------------------

def url_patterns(resolver=None, namespace="", skip_admin=True):
    """(name, pattern, route) of every URL of the site, through every include; `route` is
    the pattern's whole path, from the root. The admin site's URLs apart (see above)."""
    yield from _walk(resolver or get_resolver(), namespace, "", skip_admin)


def _walk(resolver, namespace, prefix, skip_admin):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if skip_admin and entry.namespace == ADMIN_NAMESPACE:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, inner, route, skip_admin)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else None), entry, route


def url_names():
    return {name for name, _pattern, _route in url_patterns()}


def pattern_of(name):
    return next(pattern for found, pattern, _route in url_patterns() if found == name)


# --- The world: one of everything a URL can point at ----------------------------------------

@dataclass
class World:
    users: dict
    objects: dict

    def kwargs_for(self, name):
        """The URL's keyword arguments, each an object of ours: by the URL's own name where
        one app uses a keyword for two kinds of record, else by its app and keyword."""
        pattern = pattern_of(name)
        namespace = name.split(":")[0] if ":" in name else ""
        kwargs = {}
        for keyword in pattern.pattern.regex.groupindex:
            for key in ((name, keyword), (namespace, keyword)):
                if key in KWARGS:
                    kwargs[keyword] = KWARGS[key](self.objects)
                    break
            else:
                pytest.fail(f"no object for <{keyword}> of {name}: add one to KWARGS")
        return kwargs

    def url(self, name):
        query = QUERIES.get(name)
        return reverse(name, kwargs=self.kwargs_for(name)) + (f"?{self.path(query)}" if query else "")

    def path(self, template):
        return template.format(**{key: getattr(obj, "pk", obj) for key, obj in self.objects.items()})


# The figures pages name the municipality: ours, so that the other consultant asks for
# another municipality's figures (without it each user gets their own municipality's).
QUERIES = {
    name: "municipality={ours_code}"
    for name in ("progress:dashboard", "progress:export_csv", "progress:export_xlsx", "progress:status_pdf",
                 "progress:json")
}
# The opening field is asked for with the chosen employer (ours).
QUERIES.update({n: "employer={employer}" for n in ("placements:openings_for_citizen", "placements:openings_for_placement")})
QUERIES.update({n: "field=employer&q=byg" for n in ("employers:choose", "workspace:employer_choose")})

KWARGS = {
    ("citizens", "pk"): lambda o: o["citizen"].pk,
    ("employers", "pk"): lambda o: o["employer"].pk,
    ("employers:opening_edit", "pk"): lambda o: o["opening"].pk,
    ("placements", "pk"): lambda o: o["placement"].pk,
    ("placements", "citizen_pk"): lambda o: o["citizen"].pk,
    ("placements", "employer_pk"): lambda o: o["employer"].pk,
    ("placements", "follow_up_pk"): lambda o: o["follow_up"].pk,
    ("courses", "pk"): lambda o: o["course"].pk,
    ("courses", "enrolment_pk"): lambda o: o["enrolment"].pk,
    ("progress", "pk"): lambda o: o["target"].pk,
    ("audit", "citizen_id"): lambda o: o["citizen"].pk,
    ("imports", "pk"): lambda o: o["import_job"].pk,
    ("workspace", "pk"): lambda o: o["task_force"].pk,
    ("workspace", "workshop_pk"): lambda o: o["workshop"].pk,
    ("workspace", "version_pk"): lambda o: o["vision_version"].pk,
    ("workspace", "solution_pk"): lambda o: o["solution"].pk,
    ("workspace", "round_pk"): lambda o: o["round"].pk,
    ("workspace", "action_pk"): lambda o: o["action"].pk,
    ("workspace", "pledge_pk"): lambda o: o["pledge"].pk,
    ("workspace", "request_pk"): lambda o: o["meeting_request"].pk,
    ("workspace", "invitation_pk"): lambda o: o["staff_invitation"].pk,
    ("workspace:candidate", "token"): lambda o: candidate_token(o["citizen"]),
    ("workspace:invitation_link", "token"): lambda o: o["invitation"].token,
}


@pytest.fixture
def world(fredericia, odense, consultant, outsider, manager, admin_user, task_force, leader_member, employer):
    ours = fredericia
    users = {
        "anonymous": None,
        "consultant": consultant,
        "other_consultant": outsider,
        "leader": leader_member.user,
        "manager": manager,
        "admin": admin_user,
        "municipal_admin": make_user("kommune-admin", ours, Role.ADMIN),
    }
    today = timezone.localdate()
    citizen = make_citizen(ours, consultant=consultant, first_name="Bente", last_name="Sørensen",
                           consent_to_share_profile=True, unemployed_since=today - timedelta(days=800))
    # Another candidate: the leader has already asked to meet this one.
    second_citizen = make_citizen(ours, consultant=consultant, first_name="Carl", last_name="Carlsen",
                                  consent_to_share_profile=True)
    course = make_course(ours)
    # Under way: members may still register, and the facilitator may record attendance.
    now = timezone.now()
    workshop = make_workshop(task_force, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1))
    solution = make_solution(task_force, leader_member)
    action = make_action(task_force, leader_member, solution=solution)
    placement = make_placement(citizen, employer, start_date=today - timedelta(days=30))
    followups_schedule(placement=placement)
    objects = {
        "ours": ours,
        "ours_code": ours.code,
        "citizen": citizen,
        "second_citizen": second_citizen,
        "leader_member": leader_member,
        "employer": employer,
        "opening": Opening.objects.create(employer=employer, title="Pedelmedhjælper", hours_min=4, hours_max=8),
        "placement": placement,
        "follow_up": FollowUp.objects.filter(placement=placement).order_by("due_on").first(),
        # An internship of the second citizen's that ends in ten days: on the worklist.
        "ending_placement": make_placement(second_citizen, employer, kind="internship",
                                           start_date=today - timedelta(days=60), end_date=today + timedelta(days=10)),
        "course": course,
        "enrolment": Enrolment.objects.create(course=course, citizen=citizen),
        "target": make_target(ours),
        "import_job": ImportJob.objects.create(uploader=consultant, kind="citizens", state="done",
                                               report=ImportReport("citizens").as_dict()),
        "task_force": task_force,
        "workshop": workshop,
        "vision_version": VisionVersion.objects.create(task_force=task_force, author=leader_member, text="Et udkast"),
        "solution": solution,
        "round": make_round(task_force),
        "action": action,
        "pledge": make_pledge(action, leader_member, 2, opened=False),
        "meeting_request": MeetingRequest.objects.create(citizen=second_citizen, member=leader_member, message="Møde?"),
        "invitation": make_invitation(task_force, consultant, kind=Member.Kind.FACILITATOR),
        # Proposed by a consultant: it waits for a manager's approval.
        "staff_invitation": make_invitation(task_force, consultant, email="kollega@example.dk", kind=Member.Kind.STAFF),
    }
    return World(users=users, objects=objects)


# --- Asking -------------------------------------------------------------------------------

def answer(response):
    """The response as the table writes it."""
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith(reverse("accounts:login") + "?next="):
            return LOGIN
        return to(location)
    return response.status_code


def ask(client, user, url, method="get", data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {})


def expected_answer(world, value):
    return to(world.path(value.path)) if isinstance(value, to) else value


def database_snapshot():
    """Every row of our apps' and auth's tables, to prove a refused POST saved nothing."""
    ignored = {"sessions"}
    return {
        model._meta.label: sorted(model._base_manager.values_list(), key=repr)
        for model in apps.get_models()
        if model._meta.app_label not in ignored and not model._meta.proxy
    }


# --- The tests ------------------------------------------------------------------------------

NAMES = sorted(n for n in url_names() | set(EXPECTED) if n)


def test_every_url_has_an_access_decision_and_every_decision_a_url():
    present = url_names()
    unnamed = [route for name, _pattern, route in url_patterns() if name is None]
    assert not unnamed, f"URL without a name, so without an access decision: {unnamed}"
    problems = [f"new URL without an access decision: {name}" for name in sorted(present - set(EXPECTED))]
    problems += [f"access decision for a URL no longer present: {name}" for name in sorted(set(EXPECTED) - present)]
    assert not problems, "\n".join(problems)


def test_every_decision_names_every_kind_of_user():
    for name, answers in EXPECTED.items():
        assert set(answers) == set(ROLES), name
    for name, refusal in POST_REFUSALS.items():
        assert name in EXPECTED, name
        assert set(refusal["refused"]) <= set(ROLES) - {"anonymous"}, name


@pytest.mark.parametrize("name", NAMES)
def test_it_answers_each_kind_of_user_as_decided(client, world, name):
    url = world.url(name)
    if name not in EXPECTED:
        # What each user gets now, to start the decision from (not to copy unread).
        seen = {role: answer(ask(client, world.users[role], url)) for role in ROLES}
        pytest.fail(f"new URL without an access decision: {name} (today: {seen})")
    wrong = {}
    for role in ROLES:
        got = answer(ask(client, world.users[role], url))
        wanted = expected_answer(world, EXPECTED[name][role])
        if got != wanted:
            wrong[role] = f"got {got}, decided {wanted}"
    assert not wrong, f"{name} ({url}): {wrong}"



def post_as(client, world, role, name):
    refusal = POST_REFUSALS[name]
    if "prepare" in refusal:
        refusal["prepare"](world.objects)
    client.logout()
    client.force_login(world.users[role])
    before = database_snapshot()
    response = client.post(world.url(name), refusal["data"](world.objects))
    return response, before, database_snapshot()


@pytest.mark.parametrize("name", sorted(POST_REFUSALS))
def test_it_refuses_a_post_by_those_who_may_not_and_saves_nothing(client, world, name):
    cprs = [c.reveal_cpr() for c in (world.objects["citizen"], world.objects["second_citizen"])]
    for role, status in POST_REFUSALS[name]["refused"].items():
        response, before, after = post_as(client, world, role, name)
        assert response.status_code == status, f"{name}: a POST by {role} answered {response.status_code}"
        changed = sorted(label for label in before if before[label] != after[label])
        assert not changed, f"{name}: a refused POST by {role} changed {changed}"
        body = response.content.decode(errors="replace")
        for cpr in cprs:
            assert cpr not in body and cpr.replace("-", "") not in body, f"{name}: a refused POST showed a CPR number"


@pytest.mark.parametrize("name", sorted(POST_REFUSALS))
def test_the_same_post_by_one_who_may_does_save(client, world, name):
    """The refusal test above could fail: the same POST, by one who may, changes the database."""
    role = POST_REFUSALS[name]["allowed"]
    response, before, after = post_as(client, world, role, name)
    assert response.status_code < 400, f"{name}: {role} got {response.status_code}"
    assert before != after, f"{name}: the POST by {role} saved nothing, so its refusal proves nothing"


TWO_FACTOR_ROLES = ("consultant", "other_consultant", "manager", "admin", "municipal_admin")
# Reachable with a password alone (accounts.middleware), and the pages that need no login.
TWO_FACTOR_OPEN = {"accounts:login", "accounts:logout", "accounts:otp_verify", "accounts:otp_setup",
                   "admin_logout", "set_language", "healthz", "robots_txt", "favicon"}


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - TWO_FACTOR_OPEN))
def test_with_two_factor_required_staff_reach_nothing_before_giving_the_code(client, world, settings, name):
    """The table is the development set-up. In production consultants, managers and admins
    must give their second factor first: until then every page that answers them sends them
    to enrol an authenticator (none of them has one here), and leaders are not asked."""
    settings.TWO_FACTOR_REQUIRED = True
    url = world.url(name)
    for role in TWO_FACTOR_ROLES:
        got = answer(ask(client, world.users[role], url))
        assert isinstance(got, to) and got.path.startswith("/accounts/two-factor/setup/"), f"{name}: {role} got {got}"
    got = answer(ask(client, world.users["leader"], url))
    assert got == expected_answer(world, EXPECTED[name]["leader"]), f"{name}: the leader got {got}"


# --- The Django admin ---------------------------------------------------------------------

def admin_urls():
    """A path for every URL of the admin site, each converter or group filled with a value
    it takes (the first of a list of choices, else "1")."""
    import re

    for name, _pattern, route in url_patterns(skip_admin=False):
        if not route.startswith("admin/"):
            continue
        path = re.sub(r"<(?:\w+:)?\w+>", "1", route)
        path = re.sub(r"\(\?P<\w+>([^)]*)\)", lambda m: m.group(1).split("|")[0] if "|" in m.group(1) else "1", path)
        yield name, "/" + path.replace("^", "").replace("$", "")


def test_every_admin_url_ends_at_a_login_page_for_all_but_staff(client, world):
    """The admin's URLs are made per model, by Django and by the packages we install, so they
    are not in the table: instead every one of them, whatever it is, must send an anonymous
    user and a logged-in user who is not staff (a consultant, a Role.ADMIN membership without
    staff) to a login page, and never answer them itself."""
    # The way in, and the way out (served by our own log-out view: the table's "admin_logout").
    urls = [(name, url) for name, url in admin_urls() if name not in ("admin:login", "admin:logout", "admin_logout")]
    assert len(urls) > 50, "the admin site's URLs were not found"
    logins = (reverse("admin:login") + "?", reverse("accounts:login") + "?")
    for role in ("anonymous", "consultant", "municipal_admin"):
        for name, url in urls:
            response = ask(client, world.users[role], url)
            # A redirect to another admin page (the admin's own short links) is followed.
            for _hop in range(3):
                location = response.get("Location", "") if response.status_code in (301, 302) else ""
                if not location.startswith("/admin/") or location.startswith(logins):
                    break
                response = client.get(location)
            assert response.status_code == 302 and response["Location"].startswith(logins), (
                f"{role} at {name or url} ({url}) got {response.status_code} {response.get('Location', '')}"
            )


# The admin's index, and the change lists of the records that hold personal data or hand
# out access: anonymous users are sent to log in, every user but the (staff) admin to the
# admin's login page, and the admin gets in. A Role.ADMIN membership alone is not staff.
ADMIN_LOGIN = "/admin/login/?next="
ADMIN_PAGES = ["admin:index", "admin:citizens_citizen_changelist", "admin:citizens_casenote_changelist",
               "admin:audit_accesslog_changelist", "admin:auth_user_changelist", "admin:accounts_membership_changelist",
               "admin:workspace_invitation_changelist"]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_it_lets_only_the_admin_into_the_django_admin(client, world, name):
    url = reverse(name)
    for role in ROLES:
        response = ask(client, world.users[role], url)
        if role == "admin":
            assert response.status_code == 200, name
        elif role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith((ADMIN_LOGIN, reverse("accounts:login") + "?next=")), name
        else:
            assert response.status_code == 302 and response["Location"].startswith(ADMIN_LOGIN), (name, role)


def test_with_two_factor_required_the_admin_gives_the_code_before_entering_the_django_admin(client, world, settings):
    settings.TWO_FACTOR_REQUIRED = True
    for name in ADMIN_PAGES:
        got = answer(ask(client, world.users["admin"], reverse(name)))
        assert isinstance(got, to) and got.path.startswith("/accounts/two-factor/setup/"), f"{name}: {got}"
