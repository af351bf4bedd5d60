"""The workspace as a person meets it in Chromium (issue 10): the vision reads as a lead
paragraph, a leader sees their own pledge's results, and an open voting round shows a
participant no one's votes but keeps what they typed when a vote is refused."""

from datetime import date

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from workspace import services
from workspace.models import Member, RankingRound, Score, TaskForce, VisionVersion
from tests.factories import make_action, make_employer, make_pledge, make_solution, make_user

from .support import PASSWORD, skip_module_without_chromium

skip_module_without_chromium()
pytestmark = pytest.mark.browser


@pytest.fixture
def workspace(transactional_db, fredericia):
    task_force = TaskForce.objects.create(municipality=fredericia, name="Task Force Fleksjob")
    company = make_employer(fredericia, name="Kanalbyens Café")
    leader = make_user("cafe-leder", fredericia, Role.LEADER, first_name="Kasper", last_name="Krogh")
    company.leaders.add(leader)
    member = Member.objects.create(task_force=task_force, user=leader, kind=Member.Kind.LEADER, employer=company)
    facilitator = Member.objects.create(
        task_force=task_force, user=make_user("facilitator", first_name="Frida"), kind=Member.Kind.FACILITATOR
    )
    return task_force, member, facilitator


def px(value):
    return float(value.removesuffix("px"))


@pytest.mark.parametrize("width", [1280, 390])
def test_the_vision_is_no_smaller_than_the_body_text(new_web, log_in, workspace, console_errors, width):
    task_force, member, _facilitator = workspace
    VisionVersion.objects.create(
        task_force=task_force, author=member, text="Alle kan arbejde nogle timer om ugen.",
        adopted=True, adopted_on=date(2026, 3, 3),
    )
    web = new_web(viewport={"width": width, "height": 900})
    log_in(web, "cafe-leder", PASSWORD)
    vision = web.get_by_text("Alle kan arbejde nogle timer om ugen.")
    expect(vision).to_be_visible()
    vision_size = px(vision.evaluate("element => getComputedStyle(element).fontSize"))
    body_size = px(web.evaluate("() => getComputedStyle(document.body).fontSize"))
    adopted = web.locator("p", has_text="Vedtaget ")
    adopted_size = px(adopted.evaluate("element => getComputedStyle(element).fontSize"))
    assert vision_size > body_size >= adopted_size, (vision_size, body_size, adopted_size)
    # The adoption line sits below the vision.
    assert adopted.bounding_box()["y"] > vision.bounding_box()["y"]
    assert console_errors == []


def test_a_leader_sees_their_own_two_position_pledge_in_full(web, log_in, workspace, console_errors):
    task_force, member, _facilitator = workspace
    action = make_action(task_force, member, title="Mini-fleksjob i caféen")
    make_pledge(action, member, 2, filled=1)
    log_in(web, "cafe-leder", PASSWORD)
    expect(web.locator(".pledge-path")).to_have_text("Lovet 2 → Slået op 2 → Besat 1")
    web.get_by_role("link", name="Mini-fleksjob i caféen").first.click()
    expect(web.locator(".pledge-path")).to_have_text("Lovet 2 → Slået op 2 → Besat 1")
    expect(web.locator("main")).to_contain_text("50 %")
    assert console_errors == []


def test_an_open_round_hides_the_votes_from_a_participant_and_keeps_a_refused_vote(
    new_web, log_in, workspace, console_errors
):
    task_force, member, facilitator = workspace
    round = RankingRound.objects.create(task_force=task_force, title="Runde 1", dot_budget=5)
    first = make_solution(task_force, facilitator, title="Fast kontaktperson")
    second = make_solution(task_force, facilitator, title="Jobdeling")
    services.score_save(round=round, member=facilitator, solution=first, impact=5, effort=1, dots=5)

    web = new_web()
    log_in(web, "cafe-leder", PASSWORD)
    web.goto(f"/taskforce/{task_force.pk}/ranking/")
    ranking = web.locator("#ranking")
    expect(ranking).to_contain_text("Stemmerne vises, når runden er lukket")
    expect(ranking.locator(".board")).to_have_count(0)
    expect(ranking.get_by_role("columnheader", name="Prikker")).to_have_count(0)

    # Four dots on one, then two on the other: one too many. htmx swaps in the refusal, and
    # the form still holds what was typed.
    form = web.locator(f"form[action$='/solutions/{first.pk}/score/']")
    form.get_by_label("Prikker").fill("4")
    form.get_by_role("button", name="Giv point").click()
    expect(ranking).to_contain_text("Du har 1 prik tilbage.")
    form = web.locator(f"form[action$='/solutions/{second.pk}/score/']")
    form.get_by_label("Effekt").select_option("4")
    form.get_by_label("Indsats").select_option("2")
    form.get_by_label("Prikker").fill("2")
    form.get_by_role("button", name="Giv point").click()
    expect(ranking.get_by_role("alert")).to_contain_text("Du har fordelt 6 prikker, men har kun 5. Fjern 1 prik.")
    form = web.locator(f"form[action$='/solutions/{second.pk}/score/']")
    expect(form.get_by_label("Prikker")).to_have_value("2")
    expect(form.get_by_label("Effekt")).to_have_value("4")
    expect(form.get_by_label("Indsats")).to_have_value("2")
    expect(ranking.locator(".board")).to_have_count(0)
    assert list(Score.objects.filter(member=member).values_list("solution__title", "dots")) == [
        ("Fast kontaktperson", 4)
    ]

    # The facilitator sees the votes while the round is open, and closes it.
    facilitator.user.set_password(PASSWORD)
    facilitator.user.save()
    facilitator_web = new_web()
    log_in(facilitator_web, "facilitator", PASSWORD)
    facilitator_web.goto(f"/taskforce/{task_force.pk}/ranking/")
    expect(facilitator_web.locator(".board-quick-wins")).to_contain_text("Fast kontaktperson")
    facilitator_web.get_by_role("button", name="Luk runden").click()
    expect(facilitator_web.locator("main")).to_contain_text("Runden er lukket. Pointene er låst.")

    # Now everyone sees them.
    web.goto(f"/taskforce/{task_force.pk}/ranking/")
    expect(web.locator(".board-quick-wins")).to_contain_text("Fast kontaktperson")
    expect(web.locator("#ranking")).to_contain_text("Stemmer i alt")
    assert console_errors == []
