"""The page "Mine opgaver": its sections with names, dates and links, overdue items marked,
helpful empty states, one access-log row with the citizens shown, each section paginated on
its own, and a number of queries that does not grow with the items."""

from datetime import date

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.urls import reverse

from audit.models import AccessLog, AccessLogCitizen
from tests.factories import make_citizen, make_employer, make_placement
from tests.worklist.conftest import days, make_follow_up, make_meeting_request, make_quiet_citizen
from worklist.selectors import PAGE_SIZE


def test_it_shows_each_kind_of_item_with_the_citizen_the_date_and_where_to_do_it(
    login, consultant, citizen, placement, employer, fredericia, leader_member
):
    follow_up = make_follow_up(placement, days(-3))
    request = make_meeting_request(citizen, leader_member)
    ending = make_placement(citizen, make_employer(fredericia, name="Kanalbyens Café"), start_date=date(2025, 1, 1), end_date=days(5))
    quiet = make_quiet_citizen(fredericia, consultant, last_contact_on=days(-120), first_name="Tove", last_name="Tavs")
    page = login(consultant).get(reverse("worklist:mine")).content.decode()
    assert "<h1>Mine opgaver</h1>" in page
    for heading in ("Forfaldne og kommende opfølgninger og frister", "Ønsker om møde",
                    "Ansættelser der slutter snart", "Borgere uden kontakt"):
        assert heading in page
    assert f'<tr id="item-follow_up-{follow_up.pk}-{days(-3):%Y%m%d}" class="row-overdue">' in page
    assert "Overskredet" in page
    assert "Bente Sørensen" in page and "Tove Tavs" in page
    # Where each is done (until the follow-up's own page exists, the placement's).
    assert f'href="/placements/{placement.pk}/' in page
    assert f'href="{reverse("workspace:requests", args=[leader_member.task_force_id])}"' in page
    assert f'href="{reverse("placements:detail", args=[ending.pk])}"' in page
    assert f'href="{reverse("citizens:detail", args=[quiet.pk])}"' in page
    # "Udført" only where a mark does the work; "Udsæt" everywhere.
    assert page.count('action="/tasks/done/"') == 2
    assert page.count('action="/tasks/snooze/"') == 4
    assert f'name="object_id" value="{request.pk}"' in page


def test_it_says_so_when_there_is_nothing_to_do(login, consultant):
    page = login(consultant).get(reverse("worklist:mine")).content.decode()
    assert "Ingen opfølgninger eller frister de næste dage – godt gået." in page
    assert "Ingen virksomheder venter på svar." in page
    assert "Ingen ansættelser slutter den næste tid." in page
    assert "Du har haft kontakt med alle dine borgere i målgruppen." in page


def test_it_writes_one_access_log_row_with_the_citizens_shown(login, consultant, citizen, placement, fredericia):
    make_follow_up(placement, days(-3))
    make_follow_up(placement, days(2))
    quiet = make_quiet_citizen(fredericia, consultant, last_contact_on=days(-120))
    login(consultant).get(reverse("worklist:mine"))
    row = AccessLog.objects.get()
    assert (row.action, row.purpose, row.model, row.municipality_id) == (
        AccessLog.Action.LIST, "opfølgning", "citizens.Citizen", fredericia.pk
    )
    assert set(AccessLogCitizen.objects.values_list("citizen_id", flat=True)) == {citizen.pk, quiet.pk}


def test_it_pages_each_section_on_its_own(login, consultant, placement, fredericia):
    for n in range(PAGE_SIZE + 2):
        make_follow_up(placement, days(-30 + n), months=n + 1)
    quiet = make_quiet_citizen(fredericia, consultant, last_contact_on=days(-120))
    client = login(consultant)
    first = client.get(reverse("worklist:mine")).content.decode()
    assert "Side 1 af 2" in first and 'href="?followups=2#section-followups"' in first
    second = client.get(reverse("worklist:mine"), {"followups": "2"}).content.decode()
    assert "Side 2 af 2" in second
    assert second.count('action="/tasks/snooze/"') == 2 + 1  # two follow-ups, the quiet citizen
    assert f"item-no_contact-{quiet.pk}" in second
    # A page number out of range or not a number shows a page all the same.
    assert client.get(reverse("worklist:mine"), {"followups": "99", "ending": "x"}).status_code == 200


def test_it_builds_the_page_in_the_same_number_of_queries_for_one_item_and_many(
    login, consultant, citizen, employer, fredericia, leader_member
):
    client = login(consultant)

    def add(n):
        for i in range(n):
            someone = make_citizen(fredericia, consultant=consultant)
            placement = make_placement(someone, employer, start_date=date(2025, 1, 1), end_date=days(5 + i))
            make_follow_up(placement, days(-i))
            make_meeting_request(someone, leader_member)
            make_quiet_citizen(fredericia, consultant, last_contact_on=days(-100 - i))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("worklist:mine")).status_code == 200
        return len(captured)

    add(1)
    one = queries()
    add(6)
    assert queries() == one


def test_it_is_the_consultants_start_page(login, consultant):
    response = login(consultant).get("/")
    assert response.url == reverse("worklist:mine")


def test_it_shows_an_admin_their_own_items_only(login, admin_user, citizen, placement):
    make_follow_up(placement, days(-3))
    page = login(admin_user).get(reverse("worklist:mine")).content.decode()
    assert "Bente Sørensen" not in page


@pytest.mark.parametrize("user_fixture, status", [("manager", 403), ("leader", 403), ("outsider", 200)])
def test_it_is_for_casework_roles(request, login, user_fixture, status, placement):
    make_follow_up(placement, days(-3))
    response = login(request.getfixturevalue(user_fixture)).get(reverse("worklist:mine"))
    assert response.status_code == status
    assert "Bente Sørensen" not in response.content.decode()


def test_it_puts_mine_opgaver_in_the_menu_for_consultants_and_the_team_for_managers(login, consultant, manager):
    page = login(consultant).get(reverse("worklist:mine")).content.decode()
    assert 'href="/tasks/" class="nav-link" aria-current="page"><span>Mine opgaver</span>' in page
    assert "Teamets opgaver" not in page
    page = login(manager).get(reverse("progress:dashboard")).content.decode()
    assert "Teamets opgaver" in page and "Mine opgaver" not in page
