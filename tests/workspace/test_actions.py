"""The action plan: actions from solutions with an owner, a due date, a status and progress;
each member's contributions; overdue actions; conditional status updates; CSV and PDF."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from workspace.models import Action, Contribution

from tests.factories import make_action, make_solution


def actions_url(task_force, suffix=""):
    return f"/taskforce/{task_force.pk}/actions/{suffix}"


def action_url(action, suffix=""):
    return f"/taskforce/{action.task_force_id}/actions/{action.pk}/{suffix}"


def test_it_makes_an_action_from_a_solution(login, leader_member, co_leader_member, task_force):
    solution = make_solution(task_force, leader_member)
    client = login(leader_member.user)
    form = client.get(actions_url(task_force) + f"?solution={solution.pk}").context["form"]
    assert str(form.initial["solution"]) == str(solution.pk) and form.initial["owner"] == leader_member
    due = timezone.localdate() + timedelta(days=40)
    response = client.post(actions_url(task_force), {
        "title": "Mini-fleksjob i tre små virksomheder", "description": "", "solution": solution.pk,
        "owner": co_leader_member.pk, "due_date": due.isoformat(),
    })
    action = Action.objects.get()
    assert response.status_code == 302 and response.url == action_url(action)
    assert (action.solution, action.owner, action.due_date, action.status, action.progress) == (
        solution, co_leader_member, due, Action.Status.PLANNED, 0)


def test_it_offers_only_the_task_forces_members_and_solutions(login, leader_member, other_leader_member, task_force):
    foreign = make_solution(other_leader_member.task_force, other_leader_member)
    response = login(leader_member.user).post(actions_url(task_force), {
        "title": "X", "solution": foreign.pk, "owner": other_leader_member.pk, "due_date": "",
    })
    assert response.status_code == 200
    assert {"solution", "owner"} <= set(response.context["form"].errors)
    assert not Action.objects.exists()


def test_it_lets_no_non_member_add_an_action(login, manager, leader_member, task_force):
    response = login(manager).post(actions_url(task_force), {"title": "X", "owner": leader_member.pk})
    assert response.status_code == 403
    assert not Action.objects.exists()


def test_it_records_a_members_contribution(login, leader_member, co_leader_member, task_force):
    action = make_action(task_force, leader_member)
    response = login(co_leader_member.user).post(action_url(action, "contributions/"), {
        "kind": "positions", "description": "3 mini-fleksjob i vores køkken",
    })
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert (contribution.action, contribution.member, contribution.kind) == (action, co_leader_member, "positions")
    plan = login(leader_member.user).get(actions_url(task_force)).content.decode()
    assert "3 mini-fleksjob i vores køkken" in plan and "Kasper Krogh" in plan and "Kanalbyens Café" in plan


def test_it_refuses_an_empty_contribution(login, leader_member, task_force):
    action = make_action(task_force, leader_member)
    response = login(leader_member.user).post(action_url(action, "contributions/"), {"kind": "resource", "description": ""})
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_it_lets_no_non_member_contribute(login, consultant, leader_member, task_force):
    action = make_action(task_force, leader_member)
    response = login(consultant).post(action_url(action, "contributions/"), {"kind": "resource", "description": "X"})
    assert response.status_code == 403
    assert not Contribution.objects.exists()


def test_it_marks_overdue_actions(login, leader_member, task_force):
    today = timezone.localdate()
    make_action(task_force, leader_member, title="Forsinket handling", due_date=today - timedelta(days=2),
                status=Action.Status.IN_PROGRESS)
    make_action(task_force, leader_member, title="Færdig handling", due_date=today - timedelta(days=2),
                status=Action.Status.DONE)
    make_action(task_force, leader_member, title="Rettidig handling", due_date=today + timedelta(days=2))
    html = login(leader_member.user).get(actions_url(task_force)).content.decode()
    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in html.split("<tr")[2:]}
    assert 'class="row-overdue"' in rows["Forsinket handling"] and "Over fristen" in rows["Forsinket handling"]
    assert "Over fristen" not in rows["Færdig handling"] and "Over fristen" not in rows["Rettidig handling"]
    home = login(leader_member.user).get(f"/taskforce/{task_force.pk}/").content.decode()
    assert "1 handling er over fristen." in home


@pytest.mark.parametrize("who", ["owner", "facilitator"])
def test_it_lets_the_owner_and_the_facilitator_update_the_status(login, leader_member, facilitator_member, task_force, who):
    action = make_action(task_force, leader_member)
    user = leader_member.user if who == "owner" else facilitator_member.user
    response = login(user).post(action_url(action, "status/"), {
        "status": "in_progress", "progress": 40, "expected_status": "planned",
    })
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.progress) == ("in_progress", 40)


def test_it_lets_no_other_member_update_the_status(login, leader_member, co_leader_member, task_force):
    action = make_action(task_force, leader_member)
    response = login(co_leader_member.user).post(action_url(action, "status/"), {
        "status": "done", "progress": 100, "expected_status": "planned",
    })
    assert response.status_code == 403
    action.refresh_from_db()
    assert (action.status, action.progress) == ("planned", 0)
    page = login(co_leader_member.user).get(action_url(action)).content.decode()
    assert "Opdatér status" not in page


def test_it_refuses_a_status_update_made_on_a_stale_page(login, leader_member, facilitator_member, task_force):
    action = make_action(task_force, leader_member)
    # The facilitator stops the action while the owner still has the page with "planned" open.
    login(facilitator_member.user).post(action_url(action, "status/"), {
        "status": "stopped", "progress": 0, "expected_status": "planned",
    })
    response = login(leader_member.user).post(action_url(action, "status/"), {
        "status": "in_progress", "progress": 30, "expected_status": "planned",
    })
    assert response.status_code == 400
    assert "Handlingen er ændret af en anden. Genindlæs siden og prøv igen." in response.content.decode()
    action.refresh_from_db()
    assert (action.status, action.progress) == ("stopped", 0)


def test_it_refuses_progress_over_100(login, leader_member, task_force):
    action = make_action(task_force, leader_member)
    response = login(leader_member.user).post(action_url(action, "status/"), {
        "status": "in_progress", "progress": 120, "expected_status": "planned",
    })
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.progress == 0


def test_it_gives_404_for_another_task_forces_action(login, leader_member, other_leader_member, task_force):
    foreign = make_action(other_leader_member.task_force, other_leader_member)
    client = login(leader_member.user)
    assert client.get(actions_url(task_force, f"{foreign.pk}/")).status_code == 404
    assert client.post(actions_url(task_force, f"{foreign.pk}/status/"),
                       {"status": "done", "progress": 100, "expected_status": "planned"}).status_code == 404
    assert client.post(actions_url(task_force, f"{foreign.pk}/contributions/"),
                       {"kind": "resource", "description": "X"}).status_code == 404
    assert client.get(action_url(foreign)).status_code == 404
    assert client.get(actions_url(foreign.task_force, "export.csv")).status_code == 404


def test_it_exports_the_plan_as_csv(login, leader_member, co_leader_member, task_force):
    solution = make_solution(task_force, leader_member, title="Jobdeling")
    action = make_action(task_force, leader_member, title="Mini-fleksjob", solution=solution,
                         due_date=timezone.localdate() - timedelta(days=1), status=Action.Status.IN_PROGRESS, progress=30)
    Contribution.objects.create(action=action, member=co_leader_member, kind="resource", description="Mentortimer")
    response = login(leader_member.user).get(actions_url(task_force, "export.csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Handling", "Løsning", "Ejer"]
    assert rows[1] == ["Mini-fleksjob", "Jobdeling", "Lise Lund", str(action.due_date), "I gang", "30", "Ja",
                       "Kasper Krogh: Mentortimer"]


def test_it_exports_the_plan_as_pdf(login, leader_member, task_force):
    make_action(task_force, leader_member)
    response = login(leader_member.user).get(actions_url(task_force, "export.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("typed", ["=HYPERLINK(\"http://evil\";\"klik\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"])
def test_it_neutralises_leader_typed_text_that_a_spreadsheet_would_run(login, leader_member, co_leader_member, task_force, typed):
    solution = make_solution(task_force, leader_member, title=typed)
    action = make_action(task_force, leader_member, title=typed, solution=solution)
    Contribution.objects.create(action=action, member=co_leader_member, kind="resource", description="Mentortimer")
    co_leader_member.user.first_name = typed
    co_leader_member.user.save(update_fields=["first_name"])
    response = login(leader_member.user).get(actions_url(task_force, "export.csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))
    title, solution_title, _owner, _due, _status, _progress, _overdue, contributions = rows[1]
    assert title == solution_title == "'" + typed
    assert contributions[0] not in "=+-@\t\r" and "Mentortimer" in contributions


def test_it_builds_the_exports_outside_the_view(leader_member, task_force):
    from workspace import reports, selectors

    make_action(task_force, leader_member, title="Mini-fleksjob")
    actions = selectors.actions_seen_by(selectors.actions_with_progress(task_force.actions.all()), masked=True)
    rows = list(reports.action_plan_rows(actions, timezone.localdate()))
    assert rows[0][0] == "Handling" and rows[1][0] == "Mini-fleksjob"
    response = reports.action_plan_csv(task_force, actions, timezone.localdate())
    assert response["Content-Disposition"] == f'attachment; filename="handlingsplan-{task_force.pk}.csv"'
