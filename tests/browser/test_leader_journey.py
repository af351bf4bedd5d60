"""A business leader's journey in the task-force workspace, in a real browser and in Danish:
log in → propose a solution → score the solutions → take an action with a contribution."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from workspace.models import Action, Contribution, Member, RankingRound, Score, Solution, TaskForce
from tests.factories import make_employer, make_user

from .support import PASSWORD, skip_module_without_chromium

skip_module_without_chromium()
pytestmark = pytest.mark.browser


@pytest.fixture
def workspace(transactional_db, fredericia):
    task_force = TaskForce.objects.create(municipality=fredericia, name="Task Force Fleksjob", facilitator_organisation="Code of Care")
    company = make_employer(fredericia, name="Kanalbyens Café")
    leader = make_user("cafe-leder", fredericia, Role.LEADER, first_name="Kasper", last_name="Krogh")
    company.leaders.add(leader)
    member = Member.objects.create(task_force=task_force, user=leader, kind=Member.Kind.LEADER, employer=company)
    colleague = Member.objects.create(
        task_force=task_force, user=make_user("facilitator"), kind=Member.Kind.FACILITATOR
    )
    Solution.objects.create(
        task_force=task_force, title="Fast kontaktperson i jobcentret", description="Én indgang for virksomhederne.",
        proposed_by=colleague,
    )
    RankingRound.objects.create(task_force=task_force, title="Runde 1", dot_budget=5)
    return task_force, member


def test_a_leader_proposes_scores_and_takes_an_action_with_a_contribution(web, log_in, live_server, workspace, console_errors):
    task_force, member = workspace
    log_in(web, "cafe-leder", PASSWORD)
    expect(web.get_by_role("heading", level=1)).to_have_text("Task Force Fleksjob")

    # Propose a solution.
    web.locator(".workspace-nav").get_by_role("link", name="Løsninger").click()
    web.get_by_label("Titel").fill("Mini-fleksjob delt mellem små virksomheder")
    web.get_by_label("Beskrivelse").fill("Tre små virksomheder deler en medarbejder på få timer om ugen.")
    web.get_by_label("Problemet den løser").fill("Små virksomheder har ikke opgaver nok alene.")
    web.get_by_role("button", name="Foreslå løsning").click()
    expect(web.get_by_text("Løsningen er foreslået.")).to_be_visible()
    expect(web.get_by_role("heading", name="Mini-fleksjob delt mellem små virksomheder")).to_be_visible()

    # Score both solutions in the open round; htmx updates the ranking in place.
    web.locator(".workspace-nav").get_by_role("link", name="Prioritering").click()
    url_before = web.url
    for solution, impact, effort, dots in [
        (Solution.objects.get(title__startswith="Mini-fleksjob"), "5", "2", "3"),
        (Solution.objects.get(title__startswith="Fast kontaktperson"), "4", "4", "2"),
    ]:
        form = web.locator(f"form[action$='/solutions/{solution.pk}/score/']")
        form.get_by_label("Effekt").select_option(impact)
        form.get_by_label("Indsats").select_option(effort)
        form.get_by_label("Prikker").fill(dots)
        form.get_by_role("button", name="Giv point").click()
        expect(web.locator(f"form[action$='/solutions/{solution.pk}/score/']").get_by_role("button", name="Opdatér")).to_be_visible()
    expect(web.get_by_text("Du har 0 prikker tilbage.")).to_be_visible()
    assert web.url == url_before
    # The round is open: the leader does not see how the others voted (issue 10, point 13).
    expect(web.get_by_text("Stemmerne vises, når runden er lukket", exact=False)).to_be_visible()
    expect(web.locator(".board")).to_have_count(0)
    assert Score.objects.filter(member=member).count() == 2

    # Take an action from the proposed solution, then contribute to it.
    web.locator(".workspace-nav").get_by_role("link", name="Løsninger").click()
    web.get_by_role("link", name="Mini-fleksjob delt mellem små virksomheder").click()
    web.get_by_role("link", name="Lav en handling ud fra løsningen").click()
    web.get_by_label("Handling").fill("Find tre virksomheder til jobdeling")
    web.get_by_label("Frist").fill("2026-12-15")
    web.get_by_role("button", name="Tilføj handling").click()
    expect(web.get_by_text("Handlingen er tilføjet til planen.")).to_be_visible()
    web.get_by_label("Type").select_option(label="Kompetence")
    web.get_by_label("Beskrivelse").fill("Vi lærer nye medarbejdere op i køkkenet")
    web.get_by_role("button", name="Giv bidrag").click()
    expect(web.get_by_text("Tak! Dit bidrag er registreret.")).to_be_visible()
    expect(web.locator("main")).to_contain_text("Vi lærer nye medarbejdere op i køkkenet")

    action = Action.objects.get(title="Find tre virksomheder til jobdeling")
    assert action.owner == member
    assert action.solution.title == "Mini-fleksjob delt mellem små virksomheder"
    assert Contribution.objects.filter(action=action, member=member).exists()
    assert re.search(rf"/taskforce/{task_force.pk}/actions/{action.pk}/$", web.url)
    assert console_errors == []
