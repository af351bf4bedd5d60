"""Pledges to jobs: a leader's pledge becomes an opening of their company; its path runs
pledged → opened → filled; an action with pledges takes its progress from the jobs filled;
the front page shows the task force's own contribution to the municipality's target."""

import re
from html import unescape
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from employers.models import JobTask, Opening
from progress.models import Target
from workspace import selectors, services
from workspace.models import Action, Pledge

from tests.factories import make_action, make_citizen, make_placement, make_pledge


def pledge_data(**overrides):
    data = {"title": "Mini-fleksjob i køkkenet", "positions": 3, "hours_min": "4", "hours_max": "8",
            "tasks": "Opvask"}
    data.update(overrides)
    return data


@pytest.fixture
def action(leader_member):
    return make_action(leader_member.task_force, leader_member)


def pledge_url(action):
    return f"/taskforce/{action.task_force_id}/actions/{action.pk}/pledges/"


def test_it_turns_a_leaders_pledge_into_an_opening_of_their_company(login, leader_member, action, employer):
    tasks = list(JobTask.objects.filter(name__in=["Let køkkenarbejde", "Vasketøj"]))
    response = login(leader_member.user).post(pledge_url(action), pledge_data(catalogue_tasks=[t.pk for t in tasks]))
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    opening = pledge.opening
    assert (pledge.action, pledge.member) == (action, leader_member)
    assert (opening.employer, opening.title, opening.positions) == (employer, "Mini-fleksjob i køkkenet", 3)
    assert opening.from_task_force and not opening.is_open
    assert set(opening.catalogue_tasks.all()) == set(tasks)


def test_it_offers_the_task_catalogue_on_the_pledge_form(login, leader_member, action):
    html = login(leader_member.user).get(f"/taskforce/{action.task_force_id}/actions/{action.pk}/").content.decode()
    assert "Let køkkenarbejde" in html and "Aktiviteter med beboerne" in html and 'name="catalogue_tasks"' in html


def test_it_refuses_a_pledge_with_hours_in_the_wrong_order(login, leader_member, action):
    response = login(leader_member.user).post(pledge_url(action), pledge_data(hours_min="8", hours_max="4"))
    assert response.status_code == 400
    assert "Timetallet 'til' må ikke være mindre end 'fra'." in unescape(response.content.decode())
    assert not Pledge.objects.exists() and not Opening.objects.exists()


def test_it_refuses_a_pledge_from_a_member_without_a_company(login, staff_member, action):
    response = login(staff_member.user).post(pledge_url(action), pledge_data())
    assert response.status_code == 400
    assert "Du skal være knyttet til en virksomhed" in response.content.decode()
    assert not Opening.objects.exists()


def test_it_lets_no_non_member_pledge(login, manager, action):
    assert login(manager).post(pledge_url(action), pledge_data()).status_code == 403
    assert not Opening.objects.exists()


@pytest.fixture
def pledge(leader_member, action):
    return services.pledge_create(action=action, member=leader_member, title="Mini-fleksjob i køkkenet", tasks="",
                                  hours_min=4, hours_max=8, positions=2)


def test_it_follows_a_pledge_from_pledged_to_opened_to_filled(login, staff_member, action, pledge, employer, citizen):
    client = login(staff_member.user)  # jobcenter staff see the exact figures
    page = client.get(f"/taskforce/{action.task_force_id}/actions/{action.pk}/")
    ((row, path),) = page.context["pledges"]
    assert (row.opening.positions, row.opening.is_open, row.filled) == (2, False, 0)
    assert (path.pledged, path.opened, path.filled) == (2, 0, 0)
    assert client.post(f"/taskforce/{action.task_force_id}/pledges/{pledge.pk}/open/").status_code == 302
    pledge.opening.refresh_from_db()
    assert pledge.opening.is_open
    make_placement(citizen, employer, opening=pledge.opening)
    ((row, path),) = client.get(f"/taskforce/{action.task_force_id}/actions/{action.pk}/").context["pledges"]
    assert (row.opening.positions, row.opening.is_open, row.filled) == (2, True, 1)
    assert (path.pledged, path.opened, path.filled) == (2, 2, 1)
    home = client.get(f"/taskforce/{action.task_force_id}/").context["path"]
    assert (home.pledged, home.opened, home.filled) == (2, 2, 1)


def pledge_path_text(html):
    return [re.sub(r"<[^>]+>|\s+", " ", p).split() for p in re.findall(r'<p class="pledge-path">(.*?)</p>', html, re.S)]


@pytest.mark.parametrize("who", ["co_leader_member", "facilitator_member"])
def test_it_hides_another_companys_small_pledge_path_from_leaders_and_the_facilitator_as_one_unit(
    request, login, action, pledge, employer, citizen, who
):
    services.pledge_open(pledge=pledge)
    make_placement(citizen, employer, opening=pledge.opening)
    client = login(request.getfixturevalue(who).user)
    for url in (f"/taskforce/{action.task_force_id}/", f"/taskforce/{action.task_force_id}/actions/{action.pk}/"):
        response = client.get(url)
        (path,) = pledge_path_text(response.content.decode())
        assert path == ["Lovet", "–", "→", "Slået", "op", "–", "→", "Besat", "–"], url
    home = client.get(f"/taskforce/{action.task_force_id}/").context["path"]
    assert (home.pledged, home.opened, home.filled) == ("–",) * 3



def test_it_shows_a_leader_their_own_companys_small_pledge_in_full(login, leader_member, action, pledge, employer, citizen):
    """Their own positions and whom they hired: nothing about a citizen they do not know."""
    services.pledge_open(pledge=pledge)
    make_placement(citizen, employer, opening=pledge.opening)
    client = login(leader_member.user)
    for url in (f"/taskforce/{action.task_force_id}/", f"/taskforce/{action.task_force_id}/actions/{action.pk}/"):
        (path,) = pledge_path_text(client.get(url).content.decode())
        assert path == ["Lovet", "2", "→", "Slået", "op", "2", "→", "Besat", "1"], url
    assert "50 %" in client.get(f"/taskforce/{action.task_force_id}/actions/{action.pk}/").content.decode()
    assert "50 %" in client.get(f"/taskforce/{action.task_force_id}/actions/").content.decode()
    rows = client.get(f"/taskforce/{action.task_force_id}/actions/export.csv").content.decode("utf-8-sig").splitlines()
    assert rows[1].split(";")[5] == "50"


def test_it_shows_a_leader_their_own_pledge_beside_another_companys_hidden_one(
    login, leader_member, co_leader_member, action
):
    make_pledge(action, leader_member, 2, filled=1)
    make_pledge(action, co_leader_member, 3, filled=1, title="Café")
    html = login(leader_member.user).get(f"/taskforce/{action.task_force_id}/actions/{action.pk}/").content.decode()
    own, others = pledge_path_text(html)
    assert own == ["Lovet", "2", "→", "Slået", "op", "2", "→", "Besat", "1"]
    assert others == ["Lovet", "–", "→", "Slået", "op", "–", "→", "Besat", "–"]
    # The action's 2 of 5 filled, less their own 1 of 2, would give the café's 1 of 3 away.
    assert "40 %" not in html and "<progress" not in html
    home = login(leader_member.user).get(f"/taskforce/{action.task_force_id}/")
    total, own = pledge_path_text(home.content.decode())
    assert total == ["Lovet", "–", "→", "Slået", "op", "–", "→", "Besat", "–"]
    assert own == ["Lovet", "2", "→", "Slået", "op", "2", "→", "Besat", "1"]
    assert "Heraf Lillebælt Byg ApS" in home.content.decode()
    # The café's leader sees their own in full and the other company's hidden.
    html = login(co_leader_member.user).get(f"/taskforce/{action.task_force_id}/actions/{action.pk}/").content.decode()
    assert pledge_path_text(html) == [["Lovet", "–", "→", "Slået", "op", "–", "→", "Besat", "–"],
                                      ["Lovet", "3", "→", "Slået", "op", "3", "→", "Besat", "1"]]


def test_it_shows_a_total_with_the_leaders_own_pledge_when_the_others_are_safe(
    login, leader_member, co_leader_member, action
):
    """Own 2 → 2 → 1 and the café's 10 → 10 → 5: the total less their own is the café's, shown anyway."""
    make_pledge(action, leader_member, 2, filled=1)
    make_pledge(action, co_leader_member, 10, filled=5, title="Café")
    client = login(leader_member.user)
    home = client.get(f"/taskforce/{action.task_force_id}/").context
    assert (home["path"].pledged, home["path"].opened, home["path"].filled) == (12, 12, 6)
    assert (home["own_path"].pledged, home["own_path"].opened, home["own_path"].filled) == (2, 2, 1)
    assert "50 %" in client.get(f"/taskforce/{action.task_force_id}/actions/{action.pk}/").content.decode()
    # To the café's leader, the 2 → 2 → 1 is another company's: the total would give it away.
    other = login(co_leader_member.user).get(f"/taskforce/{action.task_force_id}/").context
    assert (other["path"].pledged, other["path"].filled) == ("–", "–")
    assert (other["own_path"].pledged, other["own_path"].filled) == (10, 5)


def test_it_shows_leaders_a_pledge_path_whose_figures_and_differences_are_0_or_5_or_more(login, leader_member, action):
    make_pledge(action, leader_member, 10, filled=5)
    make_pledge(action, leader_member, 7, opened=False, title="Vaskeri")
    client = login(leader_member.user)
    home = client.get(f"/taskforce/{action.task_force_id}/").context["path"]
    assert (home.pledged, home.opened, home.filled) == (17, 10, 5)
    detail = client.get(f"/taskforce/{action.task_force_id}/actions/{action.pk}/")
    assert [(p.pledged, p.opened, p.filled) for _pledge, p in detail.context["pledges"]] == [(10, 10, 5), (7, 0, 0)]
    assert "29 %" in detail.content.decode()  # 5 of 17


def test_it_hides_a_pledge_path_whose_difference_is_under_5(login, leader_member, co_leader_member, staff_member, action):
    """Pledged 6, opened 6, filled 5: "under 5" beside "17 %" or "83 %" would give the 1 away."""
    make_pledge(action, leader_member, 6, filled=5)
    client = login(co_leader_member.user)
    detail = client.get(f"/taskforce/{action.task_force_id}/actions/{action.pk}/")
    assert [(p.pledged, p.opened, p.filled) for _pledge, p in detail.context["pledges"]] == [("–", "–", "–")]
    html = detail.content.decode()
    assert "83 %" not in html and "<progress" not in html
    exact = login(staff_member.user).get(f"/taskforce/{action.task_force_id}/actions/{action.pk}/")
    assert [(p.pledged, p.opened, p.filled) for _pledge, p in exact.context["pledges"]] == [(6, 6, 5)]
    assert "83 %" in exact.content.decode()


def test_it_hides_a_sum_of_pledges_when_one_of_them_is_hidden(login, leader_member, co_leader_member, action, task_force):
    """The action's page shows each pledge: the action's (and the task force's) totals minus
    the pledges shown exactly would give the hidden one away."""
    make_pledge(action, leader_member, 10, filled=5)
    make_pledge(action, leader_member, 2, filled=1, title="Vaskeri")  # the sum 12, 12, 6 is safe by itself
    other = make_action(task_force, leader_member, title="Anden handling")
    client = login(co_leader_member.user)
    detail = client.get(f"/taskforce/{action.task_force_id}/actions/{action.pk}/")
    assert [(p.pledged, p.opened, p.filled) for _pledge, p in detail.context["pledges"]] == [(10, 10, 5), ("–",) * 3]
    assert "50 %" not in detail.content.decode()
    home = client.get(f"/taskforce/{action.task_force_id}/")
    assert (home.context["path"].pledged, home.context["path"].filled) == ("–", "–")
    assert [a.aggregated_progress for a in home.context["actions"] if a.pk == action.pk] == [None]
    assert [a.aggregated_progress for a in home.context["actions"] if a.pk == other.pk] == [other.progress]


def test_it_takes_the_pledged_positions_from_the_opening(login, staff_member, action, pledge):
    """One source of truth: the employer edits the opening, and the pledge follows."""
    Opening.objects.filter(pk=pledge.opening_id).update(positions=4, is_open=True)
    home = login(staff_member.user).get(f"/taskforce/{action.task_force_id}/").context["path"]
    assert (home.pledged, home.opened) == (4, 4)
    assert not hasattr(Pledge(), "positions")


def test_it_lets_only_the_pledging_member_or_the_facilitator_open_it(login, co_leader_member, facilitator_member, pledge):
    url = f"/taskforce/{pledge.action.task_force_id}/pledges/{pledge.pk}/open/"
    assert login(co_leader_member.user).post(url).status_code == 403
    pledge.opening.refresh_from_db()
    assert not pledge.opening.is_open
    assert login(facilitator_member.user).post(url).status_code == 302
    pledge.opening.refresh_from_db()
    assert pledge.opening.is_open



@pytest.mark.parametrize("who, sees_button", [
    ("leader_member", True), ("facilitator_member", True), ("co_leader_member", False), ("manager", False),
])
def test_it_offers_the_open_button_only_to_those_who_may_open_the_pledge(request, login, pledge, who, sees_button):
    user = request.getfixturevalue(who)
    client = login(getattr(user, "user", user))
    html = client.get(f"/taskforce/{pledge.action.task_force_id}/actions/{pledge.action_id}/").content.decode()
    assert (f"/pledges/{pledge.pk}/open/" in html) == sees_button
    services.pledge_open(pledge=pledge)
    html = client.get(f"/taskforce/{pledge.action.task_force_id}/actions/{pledge.action_id}/").content.decode()
    assert f"/pledges/{pledge.pk}/open/" not in html  # opened: nothing left to open

def progress_of(action):
    return selectors.actions_with_progress(Action.objects.filter(pk=action.pk)).get().shown_progress


def test_it_takes_an_actions_progress_from_the_jobs_filled(
    login, leader_member, co_leader_member, staff_member, action, pledge, employer, citizen
):
    Action.objects.filter(pk=action.pk).update(progress=90)
    make_placement(citizen, employer, opening=pledge.opening)
    client = login(staff_member.user)
    detail = client.get(f"/taskforce/{action.task_force_id}/actions/{action.pk}/")
    assert detail.context["action"].shown_progress == 50
    assert "50 %" in detail.content.decode() and "90 %" not in detail.content.decode()
    plan = client.get(f"/taskforce/{action.task_force_id}/actions/")
    assert [a.shown_progress for a in plan.context["actions"]] == [50]
    assert "50 %" in plan.content.decode()
    # Another company's leader sees the path 2 → 0 → 1 hidden, and so the percentage too: list,
    # page and exports.
    leader = login(co_leader_member.user)
    for url in (f"/taskforce/{action.task_force_id}/actions/{action.pk}/", f"/taskforce/{action.task_force_id}/actions/",
                f"/taskforce/{action.task_force_id}/"):
        html = leader.get(url).content.decode()
        assert "50 %" not in html and "90 %" not in html, url
    rows = leader.get(f"/taskforce/{action.task_force_id}/actions/export.csv").content.decode("utf-8-sig").splitlines()
    assert rows[1].split(";")[5] == "–"
    def report(**seen):
        actions = selectors.actions_seen_by(selectors.actions_with_progress(Action.objects.filter(pk=action.pk)), **seen)
        return render_to_string("workspace/action_plan_report.html",
                                {"tf": action.task_force, "actions": actions, "today": timezone.localdate()})

    assert "50 %" not in report(masked=True)
    assert "50 %" in report(masked=False)
    assert "50 %" in report(masked=True, own_employers={employer.pk})  # the pledging company's own
    staff_rows = login(staff_member.user).get(f"/taskforce/{action.task_force_id}/actions/export.csv").content.decode("utf-8-sig").splitlines()
    assert staff_rows[1].split(";")[5] == "50"
    # A typed number is overruled by the jobs actually filled: none is asked for or stored.
    assert "progress" not in detail.context["status_form"].fields
    login(leader_member.user).post(f"/taskforce/{action.task_force_id}/actions/{action.pk}/status/",
                {"status": "in_progress", "progress": 10, "expected_status": "planned"})
    action.refresh_from_db()
    assert (action.status, action.progress) == ("in_progress", 90)
    assert progress_of(action) == 50


def test_it_derives_the_progress_of_a_pledged_action_and_stores_no_copy(login, leader_member, action, pledge, employer, fredericia):
    """The progress follows the jobs filled, also after a status change, without a snapshot
    that goes stale when the next job is filled."""
    client = login(leader_member.user)
    client.post(f"/taskforce/{action.task_force_id}/actions/{action.pk}/status/",
                {"status": "in_progress", "expected_status": "planned"})
    action.refresh_from_db()
    assert (action.status, action.progress) == ("in_progress", 0)
    make_placement(make_citizen(fredericia), employer, opening=pledge.opening)
    make_placement(make_citizen(fredericia), employer, opening=pledge.opening)
    action.refresh_from_db()
    assert action.progress == 0
    assert progress_of(action) == 100
    home = client.get(f"/taskforce/{action.task_force_id}/")
    assert [a.shown_progress for a in home.context["actions"]] == [100]


def test_it_counts_a_pledge_filled_beyond_its_positions_as_full(leader_member, action, pledge, employer, fredericia):
    for i in range(3):
        make_placement(make_citizen(fredericia, first_name=f"B{i}"), employer, opening=pledge.opening)
    assert progress_of(action) == 100


def test_it_shows_the_task_forces_contribution_to_the_target(login, leader_member, action, pledge, employer, fredericia):
    today = timezone.localdate()
    Target.objects.create(municipality=fredericia, title="Nye fleksjob", number=164,
                          period_start=date(today.year, 1, 1), period_end=date(today.year, 12, 31))
    for i in range(6):
        citizen = make_citizen(fredericia, first_name=f"Borger{i}")
        make_placement(citizen, employer, start_date=date(today.year, 1, 1),
                       opening=pledge.opening if i < 5 else None)
    page = login(leader_member.user).get(f"/taskforce/{action.task_force_id}/").content.decode()
    # 6 in all, 5 of them from the pledges: the 1 other would follow, so the unit reads "–".
    assert "Fredericia har 6 af 164 nye fleksjob i år." in page
    assert "Task forcens egne tilsagn har givet – af dem." in page
    for i in range(4):
        make_placement(make_citizen(fredericia, first_name=f"Flere{i}"), employer, start_date=date(today.year, 1, 1))
    page = login(leader_member.user).get(f"/taskforce/{action.task_force_id}/").content.decode()
    assert "Fredericia har 10 af 164 nye fleksjob i år." in page
    assert "Task forcens egne tilsagn har givet 5 af dem." in page


def test_it_hides_a_small_contribution_from_leaders(login, leader_member, action, pledge, employer, fredericia, citizen):
    today = timezone.localdate()
    Target.objects.create(municipality=fredericia, title="Nye fleksjob", number=164,
                          period_start=date(today.year, 1, 1), period_end=date(today.year, 12, 31))
    make_placement(citizen, employer, start_date=date(today.year, 1, 1), opening=pledge.opening)
    page = login(leader_member.user).get(f"/taskforce/{action.task_force_id}/").content.decode()
    assert "Fredericia har under 5 af 164 nye fleksjob i år." in page
    assert "Task forcens egne tilsagn har givet – af dem." in page
