"""Solutions: members propose them and comment on them."""

from datetime import date

from progress.models import Target
from workspace.models import Comment, Solution

from tests.factories import make_solution


def solutions_url(task_force, suffix=""):
    return f"/taskforce/{task_force.pk}/solutions/{suffix}"


def test_it_lets_a_member_propose_a_solution(login, leader_member, task_force, fredericia):
    target = Target.objects.create(municipality=fredericia, title="Nye fleksjob 2026", number=164,
                                   period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    response = login(leader_member.user).post(solutions_url(task_force), {
        "title": "Fast kontaktperson i jobcentret", "description": "Én indgang for hver virksomhed.",
        "problem": "Overgangen er for tung.", "target": target.pk,
    })
    solution = Solution.objects.get()
    assert response.status_code == 302 and response.url == solutions_url(task_force, f"{solution.pk}/")
    assert (solution.task_force, solution.proposed_by, solution.target) == (task_force, leader_member, target)
    html = login(leader_member.user).get(solutions_url(task_force)).content.decode()
    assert "Fast kontaktperson i jobcentret" in html and "Foreslået af Lise Lund" in html


def test_it_offers_only_the_municipalitys_targets(login, leader_member, task_force, odense):
    foreign = Target.objects.create(municipality=odense, title="Odense", number=1,
                                    period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    response = login(leader_member.user).post(solutions_url(task_force), {
        "title": "X", "description": "Y", "problem": "", "target": foreign.pk,
    })
    assert response.status_code == 200 and "target" in response.context["form"].errors
    assert not Solution.objects.exists()


def test_it_asks_for_a_title_and_a_description(login, leader_member, task_force):
    response = login(leader_member.user).post(solutions_url(task_force), {"title": "", "description": ""})
    assert response.status_code == 200
    assert "Der er fejl i formularen" in response.content.decode()
    assert not Solution.objects.exists()


def test_it_lets_members_comment_on_a_solution(login, leader_member, co_leader_member):
    solution = make_solution(leader_member.task_force, leader_member)
    url = solutions_url(leader_member.task_force, f"{solution.pk}/")
    assert login(co_leader_member.user).post(url, {"text": "Vi vil gerne være med!"}).status_code == 302
    comment = Comment.objects.get()
    assert (comment.solution, comment.author, comment.text) == (solution, co_leader_member, "Vi vil gerne være med!")
    html = login(leader_member.user).get(url).content.decode()
    assert "Vi vil gerne være med!" in html and "Kasper Krogh" in html
    listing = login(leader_member.user).get(solutions_url(leader_member.task_force)).content.decode()
    assert "1 kommentar" in listing


def test_it_lets_a_manager_read_but_not_propose_or_comment(login, manager, leader_member, task_force):
    solution = make_solution(task_force, leader_member)
    client = login(manager)
    assert client.get(solutions_url(task_force)).status_code == 200
    assert client.post(solutions_url(task_force), {"title": "X", "description": "Y"}).status_code == 403
    assert client.post(solutions_url(task_force, f"{solution.pk}/"), {"text": "Hej"}).status_code == 403
    assert Solution.objects.count() == 1 and not Comment.objects.exists()


def test_it_gives_404_for_another_task_forces_solution(login, leader_member, other_leader_member, task_force):
    foreign = make_solution(other_leader_member.task_force, other_leader_member, title="Odense-løsning")
    client = login(leader_member.user)
    assert client.get(solutions_url(task_force, f"{foreign.pk}/")).status_code == 404
    assert client.post(solutions_url(task_force, f"{foreign.pk}/"), {"text": "Hej"}).status_code == 404
    assert client.get(solutions_url(foreign.task_force)).status_code == 404
    assert "Odense-løsning" not in client.get(solutions_url(task_force)).content.decode()
