"""Ranking rounds: impact and effort 1–5, dots within the round's budget, the totals and
the 2×2 board, updated in place with htmx; the facilitator opens and closes rounds."""

import re

import pytest
from django.db import IntegrityError, transaction

from workspace import selectors, services
from workspace.models import RankingRound, Score

from tests.factories import make_round, make_solution


def ranking_url(task_force):
    return f"/taskforce/{task_force.pk}/ranking/"


def score_url(round, solution):
    return f"/taskforce/{round.task_force_id}/ranking/{round.pk}/solutions/{solution.pk}/score/"


@pytest.fixture
def solution(leader_member):
    return make_solution(leader_member.task_force, leader_member)


@pytest.fixture
def open_round(task_force):
    return make_round(task_force, dot_budget=5)


def test_it_saves_a_members_score(login, leader_member, solution, open_round):
    response = login(leader_member.user).post(score_url(open_round, solution), {"impact": 4, "effort": 2, "dots": 3})
    assert response.status_code == 302
    score = Score.objects.get()
    assert (score.member, score.solution, score.impact, score.effort, score.dots) == (leader_member, solution, 4, 2, 3)


def test_it_updates_the_members_own_score(login, leader_member, solution, open_round):
    client = login(leader_member.user)
    client.post(score_url(open_round, solution), {"impact": 4, "effort": 2, "dots": 3})
    client.post(score_url(open_round, solution), {"impact": 2, "effort": 5, "dots": 5})
    assert list(Score.objects.values_list("impact", "effort", "dots")) == [(2, 5, 5)]


def test_it_refuses_dots_over_the_budget_in_danish_and_saves_nothing(login, leader_member, open_round):
    first = make_solution(leader_member.task_force, leader_member, title="A")
    second = make_solution(leader_member.task_force, leader_member, title="B")
    client = login(leader_member.user)
    client.post(score_url(open_round, first), {"impact": 4, "effort": 2, "dots": 4})
    response = client.post(score_url(open_round, second), {"impact": 3, "effort": 3, "dots": 2}, follow=True)
    assert response.status_code == 400
    assert ("Du har fordelt 6 prikker, men har kun 5. Fjern 1 prik. "
            "Du har givet 4 prikker til andre løsninger, så denne kan højst få 1.") in response.content.decode()
    assert list(Score.objects.values_list("solution", "dots")) == [(first.pk, 4)]


def score_form_values(html, solution):
    """What the score form of `solution` shows: (impact, effort, dots)."""
    form = re.search(rf'<form[^>]*action="[^"]*/solutions/{solution.pk}/score/".*?</form>', html, re.S).group(0)
    selected = dict(re.findall(r'<select name="(\w+)".*?<option value="(\d)" selected>', form, re.S))
    dots = re.search(r'name="dots"[^>]*value="([^"]*)"', form).group(1)
    return selected["impact"], selected["effort"], dots


@pytest.mark.parametrize("htmx", [False, True])
def test_it_keeps_an_over_budget_vote_in_the_form_and_says_what_to_change(login, leader_member, open_round, htmx):
    solution = make_solution(leader_member.task_force, leader_member, title="A")
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = login(leader_member.user).post(
        score_url(open_round, solution), {"impact": "5", "effort": "1", "dots": "7"}, **headers
    )
    html = response.content.decode()
    assert response.status_code == (200 if htmx else 400)  # htmx swaps only 2xx responses
    assert "Du har fordelt 7 prikker, men har kun 5. Fjern 2 prikker." in html
    assert score_form_values(html, solution) == ("5", "1", "7")
    assert not Score.objects.exists()


def test_it_keeps_the_saved_score_in_the_other_forms_beside_a_refused_one(login, leader_member, open_round):
    first = make_solution(leader_member.task_force, leader_member, title="A")
    second = make_solution(leader_member.task_force, leader_member, title="B")
    client = login(leader_member.user)
    client.post(score_url(open_round, first), {"impact": 4, "effort": 2, "dots": 5})
    html = client.post(score_url(open_round, second), {"impact": "1", "effort": "5", "dots": "1"}).content.decode()
    assert "Fjern 1 prik." in html
    assert score_form_values(html, first) == ("4", "2", "5")
    assert score_form_values(html, second) == ("1", "5", "1")


def test_it_refuses_an_impact_outside_1_to_5(login, leader_member, solution, open_round):
    response = login(leader_member.user).post(score_url(open_round, solution), {"impact": 6, "effort": 2, "dots": 0}, follow=True)
    assert "Giv effekt og indsats en værdi fra 1 til 5" in response.content.decode()
    assert not Score.objects.exists()


def test_it_refuses_negative_dots(login, leader_member, solution, open_round):
    login(leader_member.user).post(score_url(open_round, solution), {"impact": 3, "effort": 2, "dots": -2})
    assert not Score.objects.exists()


def test_it_returns_only_the_ranking_fragment_to_htmx(login, leader_member, solution, open_round):
    response = login(leader_member.user).post(
        score_url(open_round, solution), {"impact": 4, "effort": 2, "dots": 3}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith('<section id="ranking"') and html.endswith("</section>")
    assert "<html" not in html and "workspace-nav" not in html
    assert "Du har 2 prikker tilbage." in html
    assert Score.objects.get().dots == 3


def test_it_shows_an_over_budget_error_in_the_htmx_fragment(login, leader_member, solution, open_round):
    response = login(leader_member.user).post(
        score_url(open_round, solution), {"impact": 4, "effort": 2, "dots": 6}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode().strip()
    # htmx swaps only 2xx responses, so the error comes back as a 200 fragment.
    assert response.status_code == 200 and html.startswith('<section id="ranking"')
    assert "Du har fordelt 6 prikker, men har kun 5. Fjern 1 prik." in html
    assert not Score.objects.exists()


def test_it_serves_the_ranking_page_and_its_fragment(login, leader_member, solution, open_round):
    client = login(leader_member.user)
    page = client.get(ranking_url(leader_member.task_force))
    assert page.status_code == 200 and "<html" in page.content.decode()
    assert 'hx-post="' in page.content.decode() and 'action="' in page.content.decode()
    fragment = client.get(ranking_url(leader_member.task_force), HTTP_HX_REQUEST="true").content.decode().strip()
    assert fragment.startswith('<section id="ranking"') and "<html" not in fragment


def test_it_totals_dots_and_sorts_solutions_into_the_four_quadrants(leader_member, co_leader_member, task_force, open_round):
    spec = {"Hurtig gevinst": (5, 1), "Stor satsning": (4, 4), "Småopgave": (2, 2), "Tidsrøver": (1, 5)}
    solutions = {title: make_solution(task_force, leader_member, title=title) for title in spec}
    for member, shift, dots in ((leader_member, 0, [3, 1, 1, 0]), (co_leader_member, 0, [2, 2, 0, 1])):
        for (title, (impact, effort)), d in zip(spec.items(), dots):
            services.score_save(round=open_round, member=member, solution=solutions[title],
                                impact=impact, effort=effort, dots=d)
    ranked = selectors.ranking_for(open_round)
    assert [(r.solution.title, r.dots, r.votes) for r in ranked] == [
        ("Hurtig gevinst", 5, 2), ("Stor satsning", 3, 2), ("Småopgave", 1, 2), ("Tidsrøver", 1, 2),
    ]
    board = selectors.board_for(ranked)
    assert {key: [r.solution.title for r in cell["items"]] for key, cell in board.items()} == {
        "quick_wins": ["Hurtig gevinst"], "big_bets": ["Stor satsning"],
        "fill_ins": ["Småopgave"], "time_sinks": ["Tidsrøver"],
    }


def test_it_averages_scores_across_members(leader_member, co_leader_member, task_force, open_round):
    solution = make_solution(task_force, leader_member)
    services.score_save(round=open_round, member=leader_member, solution=solution, impact=4, effort=2, dots=1)
    services.score_save(round=open_round, member=co_leader_member, solution=solution, impact=1, effort=3, dots=2)
    (ranked,) = selectors.ranking_for(open_round)
    assert (ranked.impact, ranked.effort, ranked.dots, ranked.quadrant) == (2.5, 2.5, 3, "fill_ins")


def test_it_shows_the_board_on_the_ranking_page(login, leader_member, task_force, open_round):
    quick = make_solution(task_force, leader_member, title="Hurtig gevinst")
    services.score_save(round=open_round, member=leader_member, solution=quick, impact=5, effort=1, dots=2)
    services.round_close(round=open_round)
    response = login(leader_member.user).get(ranking_url(task_force))
    html = response.content.decode()
    cell = html[html.index("board-quick-wins"):html.index("board-big-bets")]
    assert "Hurtig gevinst" in cell and "Hurtige gevinster" in cell


def test_it_lets_the_facilitator_open_and_close_a_round(login, facilitator_member, task_force):
    client = login(facilitator_member.user)
    assert client.post(f"/taskforce/{task_force.pk}/ranking/open/", {"title": "Runde 2", "dot_budget": 7}).status_code == 302
    round = RankingRound.objects.get()
    assert (round.title, round.dot_budget, round.is_open) == ("Runde 2", 7, True)
    assert client.post(f"/taskforce/{task_force.pk}/ranking/{round.pk}/close/").status_code == 302
    round.refresh_from_db()
    assert round.status == RankingRound.Status.CLOSED and round.closed_at is not None


def test_it_keeps_only_one_open_round(login, facilitator_member, task_force, open_round):
    response = login(facilitator_member.user).post(
        f"/taskforce/{task_force.pk}/ranking/open/", {"title": "Runde 2", "dot_budget": 5}, follow=True
    )
    assert "Der er allerede en åben runde. Luk den først." in response.content.decode()
    assert RankingRound.objects.count() == 1


def test_it_allows_only_one_open_round_in_the_database(task_force, open_round):
    with pytest.raises(IntegrityError), transaction.atomic():
        RankingRound.objects.create(task_force=task_force, title="Runde 2")


def test_it_freezes_a_closed_rounds_scores(login, leader_member, solution, open_round):
    services.score_save(round=open_round, member=leader_member, solution=solution, impact=4, effort=2, dots=3)
    services.round_close(round=open_round)
    client = login(leader_member.user)
    response = client.post(score_url(open_round, solution), {"impact": 1, "effort": 5, "dots": 0}, follow=True)
    assert "Runden er lukket, og pointene kan ikke længere ændres." in response.content.decode()
    htmx = client.post(score_url(open_round, solution), {"impact": 1, "effort": 5, "dots": 0}, HTTP_HX_REQUEST="true")
    assert "Runden er lukket" in htmx.content.decode()
    assert list(Score.objects.values_list("impact", "effort", "dots")) == [(4, 2, 3)]
    page = client.get(ranking_url(leader_member.task_force)).content.decode()
    assert "Runden er lukket. Pointene er låst." in page and 'name="impact"' not in page


@pytest.mark.parametrize("who", ["leader_member", "co_leader_member"])
def test_it_lets_no_leader_open_or_close_a_round(request, login, task_force, open_round, who):
    client = login(request.getfixturevalue(who).user)
    assert client.post(f"/taskforce/{task_force.pk}/ranking/{open_round.pk}/close/").status_code == 403
    open_round.refresh_from_db()
    assert open_round.is_open
    services.round_close(round=open_round)
    assert client.post(f"/taskforce/{task_force.pk}/ranking/open/", {"title": "X", "dot_budget": 5}).status_code == 403
    assert RankingRound.objects.count() == 1
    assert "Åbn en ny runde" not in client.get(ranking_url(task_force)).content.decode()


def test_it_lets_only_members_score(login, manager, consultant, solution, open_round):
    for user in (manager, consultant):
        assert login(user).post(score_url(open_round, solution), {"impact": 4, "effort": 2, "dots": 1}).status_code == 403
    assert not Score.objects.exists()


def test_it_gives_404_for_another_task_forces_round_or_solution(login, leader_member, other_leader_member, solution, open_round):
    foreign_round = make_round(other_leader_member.task_force)
    foreign_solution = make_solution(other_leader_member.task_force, other_leader_member)
    client = login(leader_member.user)
    bad_round = f"/taskforce/{leader_member.task_force_id}/ranking/{foreign_round.pk}/solutions/{solution.pk}/score/"
    bad_solution = f"/taskforce/{leader_member.task_force_id}/ranking/{open_round.pk}/solutions/{foreign_solution.pk}/score/"
    for url in (bad_round, bad_solution, score_url(foreign_round, foreign_solution)):
        assert client.post(url, {"impact": 4, "effort": 2, "dots": 1}).status_code == 404
    assert client.get(ranking_url(leader_member.task_force) + f"?round={foreign_round.pk}").status_code == 404
    assert not Score.objects.exists()


def test_it_ranks_in_the_database_with_unscored_solutions_last(leader_member, co_leader_member, open_round):
    tf = leader_member.task_force
    unscored = make_solution(tf, leader_member, title="A – ingen point")
    low = make_solution(tf, leader_member, title="B – lav effekt")
    high = make_solution(tf, leader_member, title="C – høj effekt")
    no_dots = make_solution(tf, leader_member, title="D – ingen prikker")
    services.score_save(round=open_round, member=leader_member, solution=low, impact=2, effort=2, dots=2)
    services.score_save(round=open_round, member=leader_member, solution=high, impact=5, effort=2, dots=2)
    services.score_save(round=open_round, member=co_leader_member, solution=no_dots, impact=4, effort=4, dots=0)
    # The queryset itself is in rank order (dots counted as 0 when nobody gave any, and no
    # impact sorted last on every database), so the list is built in that order, not re-sorted.
    ranked = list(selectors.ranked_solutions(open_round))
    assert [s.title for s in ranked] == [high.title, low.title, no_dots.title, unscored.title]
    assert [s.dots for s in ranked] == [2, 2, 0, 0]
    assert [r.solution for r in selectors.ranking_for(open_round)] == ranked


def test_it_translates_the_board_into_the_language_of_the_request(leader_member, open_round):
    from django.utils import translation

    with translation.override("en"):
        board = selectors.board_for(selectors.ranking_for(open_round))
        assert str(board["quick_wins"]["label"]) == "Quick wins"
    with translation.override("da"):
        board = selectors.board_for(selectors.ranking_for(open_round))
        assert str(board["quick_wins"]["label"]) == "Hurtige gevinster"


# --- Who sees the votes: while a round is open, only those who run it -----------------------

@pytest.fixture
def voted(task_force, leader_member, co_leader_member, open_round):
    """Two leaders have voted: "Å – mest prikker" holds 5 dots and a mean impact of 3.5 (the
    only 3.5 anywhere), "A – ingen prikker" none, so the ranking reverses the titles' order."""
    top = make_solution(task_force, leader_member, title="Å – mest prikker")
    bottom = make_solution(task_force, leader_member, title="A – ingen prikker")
    services.score_save(round=open_round, member=leader_member, solution=top, impact=5, effort=2, dots=3)
    services.score_save(round=open_round, member=co_leader_member, solution=top, impact=2, effort=2, dots=2)
    return top, bottom


def shows_votes(html):
    return any(mark in html for mark in ("Stemmer i alt", "3,5", "3.5", "board-quick-wins", "Hurtige gevinster"))


def ranking_views(client, task_force, round, solution):
    """The ranking as a page, as its htmx fragment, after a vote (htmx and not) and after a
    refused one (htmx and not)."""
    yield "page", client.get(ranking_url(task_force))
    yield "fragment", client.get(ranking_url(task_force) + f"?round={round.pk}", HTTP_HX_REQUEST="true")
    vote = {"impact": 3, "effort": 3, "dots": 0}
    yield "htmx vote", client.post(score_url(round, solution), vote, HTTP_HX_REQUEST="true")
    yield "vote", client.post(score_url(round, solution), vote, follow=True)
    over = {"impact": 3, "effort": 3, "dots": 9}
    yield "htmx refused vote", client.post(score_url(round, solution), over, HTTP_HX_REQUEST="true")
    yield "refused vote", client.post(score_url(round, solution), over)


@pytest.mark.parametrize("who", ["leader_member", "co_leader_member"])
def test_it_shows_a_participant_no_votes_while_the_round_is_open(request, login, task_force, open_round, voted, who):
    top, bottom = voted
    client = login(request.getfixturevalue(who).user)
    for name, response in ranking_views(client, task_force, open_round, bottom):
        html = response.content.decode()
        assert response.status_code in (200, 400), name
        assert not shows_votes(html), name
        assert "Stemmerne vises, når runden er lukket" in html, name
        # Listed by title, not in the order of the votes.
        assert html.index(bottom.title) < html.index(top.title), name
    for url in (f"/taskforce/{task_force.pk}/", f"/taskforce/{task_force.pk}/solutions/",
                f"/taskforce/{task_force.pk}/solutions/{top.pk}/"):
        assert not shows_votes(client.get(url).content.decode()), url


@pytest.mark.parametrize("who", ["facilitator_member", "staff_member", "consultant"])
def test_it_shows_the_facilitator_the_votes_while_the_round_is_open(request, login, task_force, open_round, voted, who):
    user = request.getfixturevalue(who)
    client = login(getattr(user, "user", user))
    top, bottom = voted
    page = client.get(ranking_url(task_force)).content.decode()
    fragment = client.get(ranking_url(task_force), HTTP_HX_REQUEST="true").content.decode()
    for html in (page, fragment):
        assert "Stemmer i alt" in html and "3,5" in html and "board-quick-wins" in html
        assert "Kun facilitatorer ser stemmerne, mens runden er åben." in html
        assert html.index(top.title) < html.index(bottom.title)  # in the order of the votes


@pytest.mark.parametrize("who", ["leader_member", "co_leader_member", "facilitator_member", "manager"])
def test_it_shows_everyone_the_votes_once_the_round_is_closed(request, login, task_force, open_round, voted, who):
    services.round_close(round=open_round)
    user = request.getfixturevalue(who)
    client = login(getattr(user, "user", user))
    top, bottom = voted
    for html in (client.get(ranking_url(task_force)).content.decode(),
                 client.get(ranking_url(task_force), HTTP_HX_REQUEST="true").content.decode()):
        assert "Stemmer i alt" in html and "3,5" in html and "board-quick-wins" in html
        assert html.index(top.title) < html.index(bottom.title)


def test_it_shows_a_manager_who_does_not_run_the_round_no_votes_while_it_is_open(login, manager, task_force, open_round, voted):
    assert not shows_votes(login(manager).get(ranking_url(task_force)).content.decode())


def test_it_reads_no_votes_for_a_participant_while_the_round_is_open(leader_member, task_force, open_round, voted):
    context = selectors.ranking_page(task_force, leader_member, open_round, results_shown=False)
    assert [row.ranked for row in context["rows"]] == [None, None]
    assert all(not cell["items"] for cell in context["board"].values())
