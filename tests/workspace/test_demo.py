"""The demo's Fredericia task force: a vision, ranked solutions and an action plan with
contributions, seeded idempotently on top of seed_demo."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Municipality
from workspace import selectors
from workspace.demo import seed_task_force
from workspace.models import Action, Contribution, Member, Pledge, RankingRound, TaskForce

from .test_crawl import crawl


def model_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    User = get_user_model()

    def seed():
        return seed_task_force(
            municipality=Municipality.objects.get(code=607), leader=User.objects.get(username="leder"),
            consultant=User.objects.get(username="konsulent"), today=timezone.localdate(),
        )

    # seed_demo may call it already; once more must change nothing either way.
    return seed(), seed


def test_it_seeds_the_task_force_idempotently(demo):
    _task_force, seed = demo
    before = model_counts()
    seed()
    assert model_counts() == before
    assert TaskForce.objects.count() == 1


def test_it_seeds_a_vision_ranked_solutions_and_an_action_plan(demo):
    task_force, _seed = demo
    vision = task_force.vision_versions.get(adopted=True)
    assert vision.adopted_on and vision.adopted_at_workshop
    assert task_force.vision_versions.count() >= 2
    round = task_force.rounds.get(status=RankingRound.Status.CLOSED)
    ranked = selectors.ranking_for(round)
    assert len(ranked) >= 3 and all(r.votes > 0 for r in ranked)
    assert ranked[0].dots > ranked[-1].dots
    assert {r.quadrant for r in ranked} >= {"quick_wins"}
    assert Action.objects.filter(task_force=task_force, solution__isnull=False).count() >= 3
    assert Contribution.objects.filter(action__task_force=task_force).count() >= 3
    assert Pledge.objects.filter(action__task_force=task_force).exists()
    leder = Member.objects.get(task_force=task_force, user__username="leder")
    assert leder.kind == Member.Kind.LEADER and leder.employer is not None


def test_it_lets_the_demo_leader_into_the_workspace(demo, client):
    task_force, _seed = demo
    assert client.post("/accounts/login/", {"username": "leder", "password": "taskforce-demo"}).status_code == 302
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == f"/taskforce/{task_force.pk}/"
    html = response.content.decode()
    assert "I Fredericia skal alle, der kan arbejde nogle timer om ugen" in html
    assert "Vedtaget" in html


def test_it_shows_the_demo_leader_no_personal_data_anywhere(demo, client):
    assert client.post("/accounts/login/", {"username": "leder", "password": "taskforce-demo"}).status_code == 302
    # The demo's last names (Madsen, Nielsen …) are also in company names: full names only.
    statuses = crawl(client, last_names=False)
    assert len(statuses) > 20
    assert any("/candidates/" in url for url in statuses)
    dead = sorted(u for u, s in statuses.items() if s in (403, 404))
    assert dead == [], f"links the demo leader is shown but may not follow: {dead}"
