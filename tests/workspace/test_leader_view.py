"""A leader's view: the workspace, their own company and its openings, anonymised profiles
and aggregated figures, and never a citizen record through any URL."""

from datetime import date

import pytest
from django.urls import URLPattern, get_resolver, reverse

from courses.models import Course, Enrolment
from employers.models import Opening
from progress.models import Target
from workspace import services
from workspace.models import Comment, Invitation, MeetingRequest, VisionVersion
from placements.services import followups_schedule
from tests.factories import make_citizen, make_placement

from tests.factories import make_action, make_round, make_solution, make_workshop


def test_it_sends_a_leader_member_from_the_start_page_to_the_workspace(login, leader_member, task_force):
    response = login(leader_member.user).get("/", follow=True)
    assert response.redirect_chain[-1][0] == f"/taskforce/{task_force.pk}/"
    assert response.status_code == 200


def test_it_lets_a_leader_reach_workspace_company_candidates_and_figures(login, leader_member, task_force, employer, fredericia):
    Opening.objects.create(employer=employer, title="Pedelmedhjælper", hours_min=4, hours_max=8)
    Target.objects.create(municipality=fredericia, title="Nye fleksjob", number=164,
                          period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    client = login(leader_member.user)
    home = client.get(f"/taskforce/{task_force.pk}/").content.decode()
    assert "Lillebælt Byg ApS" in home and "Pedelmedhjælper" in home
    assert "Pedelmedhjælper" in client.get("/employers/mine/").content.decode()
    assert client.get(f"/taskforce/{task_force.pk}/candidates/").status_code == 200
    dashboard = client.get(f"/dashboard/?municipality={fredericia.code}")
    assert dashboard.status_code == 200


@pytest.fixture
def records(fredericia, consultant, employer, leader_member):
    citizen = make_citizen(fredericia, consultant=consultant, consent_to_share_profile=True)
    placement = make_placement(citizen, employer)
    followups_schedule(placement=placement)
    course = Course.objects.create(municipality=fredericia, title="Køkken med jobløfte", start_date=date(2026, 1, 5))
    enrolment = Enrolment.objects.create(course=course, citizen=citizen)
    return {"citizen": citizen, "placement": placement, "course": course, "enrolment": enrolment, "employer": employer,
            "follow_up": placement.follow_ups.first()}


def casework_urls(records):
    """Every URL of the citizens, placements and courses apps, filled in with real ids."""
    ids = {
        "citizens": {"pk": records["citizen"].pk},
        "placements": {"pk": records["placement"].pk, "citizen_pk": records["citizen"].pk,
                       "employer_pk": records["employer"].pk, "follow_up_pk": records["follow_up"].pk},
        "courses": {"pk": records["course"].pk, "enrolment_pk": records["enrolment"].pk},
    }
    resolver = get_resolver()
    for namespace, known in ids.items():
        _prefix, sub = resolver.namespace_dict[namespace]
        for pattern in sub.url_patterns:
            assert isinstance(pattern, URLPattern)
            kwargs = {name: known[name] for name in pattern.pattern.converters}
            yield reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)


def test_it_knows_every_casework_url(records):
    urls = list(casework_urls(records))
    assert len(urls) >= 15
    assert f"/citizens/{records['citizen'].pk}/cpr/" in urls


def test_it_keeps_every_citizen_placement_and_course_url_from_a_leader(login, leader_member, records):
    client = login(leader_member.user)
    for url in casework_urls(records):
        statuses = set()
        for method in (client.get, client.post):
            response = method(url)
            statuses.add(response.status_code)
            body = response.content.decode()
            assert records["citizen"].last_name not in body and records["citizen"].cpr_masked not in body
        # The method the view takes is refused; the other one may be "not allowed".
        assert statuses <= {403, 404, 405} and statuses & {403, 404}, (url, statuses)


def test_it_keeps_casework_employer_pages_and_figure_exports_from_a_leader(login, leader_member, employer):
    client = login(leader_member.user)
    for url in ("/employers/", "/employers/new/", f"/employers/{employer.pk}/", f"/employers/{employer.pk}/edit/",
                f"/employers/{employer.pk}/openings/new/", "/dashboard/export.csv", "/dashboard/export.xlsx",
                "/dashboard/status.pdf", "/progress.json", "/targets/", "/admin/"):
        assert client.get(url).status_code in (302, 403, 404), url
        if url == "/admin/":
            assert "/admin/login/" in client.get(url).url


def workspace_urls(task_force, member):
    """Every workspace URL of `task_force`, with ids of its own records."""
    workshop = make_workshop(task_force)
    version = VisionVersion.objects.create(task_force=task_force, author=member, text="Vision")
    solution = make_solution(task_force, member)
    Comment.objects.create(solution=solution, author=member, text="Kommentar")
    round = make_round(task_force)
    action = make_action(task_force, member)
    pledge = services.pledge_create(action=action, member=member, title="Job", tasks="", hours_min=4, hours_max=6, positions=1)
    request = MeetingRequest.objects.create(
        citizen=make_citizen(task_force.municipality, consent_to_share_profile=True), member=member
    )
    ids = {"pk": task_force.pk, "workshop_pk": workshop.pk, "version_pk": version.pk, "solution_pk": solution.pk,
           "round_pk": round.pk, "action_pk": action.pk, "pledge_pk": pledge.pk, "request_pk": request.pk, "token": "x",
           "invitation_pk": Invitation.objects.create(task_force=task_force, email="x@y.dk", first_name="X", last_name="Y").pk}
    _prefix, sub = get_resolver().namespace_dict["workspace"]
    for pattern in sub.url_patterns:
        names = set(pattern.pattern.converters)
        if "pk" not in names:
            continue  # the list of one's own task forces and the invitation link
        yield reverse(f"workspace:{pattern.name}", kwargs={name: ids[name] for name in names})


def test_it_gives_404_for_every_url_of_another_task_force(login, leader_member, other_leader_member):
    urls = list(workspace_urls(other_leader_member.task_force, other_leader_member))
    assert len(urls) >= 25
    client = login(leader_member.user)
    for url in urls:
        statuses = {client.get(url).status_code, client.post(url).status_code}
        assert statuses <= {404, 405} and 404 in statuses, (url, statuses)


def test_it_lists_only_the_leaders_own_task_force(login, leader_member, other_leader_member, task_force):
    response = login(leader_member.user).get("/taskforce/", follow=True)
    assert response.redirect_chain[-1][0] == f"/taskforce/{task_force.pk}/"
    assert "Task Force Odense" not in response.content.decode()


def test_it_sends_an_outside_facilitator_to_the_workspace(client, facilitator_member, task_force):
    client.force_login(facilitator_member.user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == f"/taskforce/{task_force.pk}/"
    assert response.status_code == 200

