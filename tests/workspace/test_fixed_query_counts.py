"""The workspace's busiest pages cost a fixed number of queries, however much the task force
has proposed, scored, planned, contributed and pledged, and however many candidates there are."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citizens.models import Citizen
from progress.models import Target
from workspace import services
from workspace.models import Comment, Contribution
from tests.factories import make_citizen, make_placement

from tests.factories import make_action, make_round, make_solution, make_workshop


@pytest.fixture
def busy(fredericia, leader_member, co_leader_member, staff_member, facilitator_member):
    """`busy(n)`: n more solutions (scored by every member), actions (with contributions and a
    filled pledge), workshops and consenting candidates."""
    tf = leader_member.task_force
    today = timezone.localdate()
    Target.objects.create(municipality=fredericia, title="Nye fleksjob", number=164,
                          period_start=date(today.year, 1, 1), period_end=date(today.year, 12, 31))
    round = make_round(tf, dot_budget=100)
    members = [leader_member, co_leader_member, staff_member]

    def grow(n):
        for _ in range(n):
            i = next(counter)
            solution = make_solution(tf, members[i % 3], title=f"Løsning {i}")
            Comment.objects.create(solution=solution, author=co_leader_member, text="Enig")
            for m, member in enumerate(members):
                services.score_save(round=round, member=member, solution=solution,
                                    impact=1 + (i + m) % 5, effort=1 + (i * 2 + m) % 5, dots=1)
            action = make_action(tf, members[i % 3], title=f"Handling {i}", solution=solution)
            for member in members:
                Contribution.objects.create(action=action, member=member, kind="resource", description=f"Bidrag {i}")
            pledge = services.pledge_create(action=action, member=leader_member, title=f"Job {i}", tasks="",
                                            hours_min=4, hours_max=6, positions=2)
            services.pledge_open(pledge=pledge)
            placed = make_citizen(fredericia, status=Citizen.Status.PLACED)
            make_placement(placed, leader_member.employer, start_date=date(today.year, 1, 2), opening=pledge.opening)
            make_workshop(tf, title=f"Workshop {i}", days_from_now=1 + i)
            make_citizen(fredericia, consent_to_share_profile=True, weekly_hours=Decimal("5"),
                         travel_distance="0-5", status=Citizen.Status.READY)

    counter = iter(range(10_000))
    return grow


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("page", ["", "ranking/", "actions/", "candidates/", "solutions/", "workshops/"])
@pytest.mark.parametrize("viewer", ["leader", "facilitator"])
def test_it_shows_the_page_in_a_constant_number_of_queries(login, busy, leader_member, facilitator_member, page, viewer):
    user = leader_member.user if viewer == "leader" else facilitator_member.user
    client = login(user)
    url = f"/taskforce/{leader_member.task_force_id}/{page}"
    busy(2)
    client.get(url)  # warm up the session
    small = count_queries(client, url)
    busy(6)
    assert count_queries(client, url) == small


@pytest.mark.parametrize("page", ["actions/{action}/", "actions/export.csv", ""])
def test_it_shows_a_leader_their_own_and_others_pledges_in_a_constant_number_of_queries(
    login, leader_member, co_leader_member, page
):
    """Whose pledge is whose is read from the pledges already loaded, not asked per pledge."""
    from tests.factories import make_pledge

    tf = leader_member.task_force
    action = make_action(tf, leader_member, title="Job i køkken og café")
    client = login(leader_member.user)
    url = f"/taskforce/{tf.pk}/" + page.format(action=action.pk)

    def pledge(n):
        for i in range(n):
            make_pledge(action, leader_member, 2, filled=1, title=f"Køkken {i}")
            make_pledge(action, co_leader_member, 6, filled=i % 2, title=f"Café {i}")

    pledge(1)
    client.get(url)  # warm up the session
    small = count_queries(client, url)
    pledge(4)
    client.get(url)  # the session's idle clock is saved at most once a minute: not in the count
    assert count_queries(client, url) == small
