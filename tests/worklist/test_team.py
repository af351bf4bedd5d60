"""The team's counts for the municipality's managers: per consultant, overdue, due this week,
coming and snoozed, plus the items whose citizen has no consultant of the team; no citizen
named; paginated, in a number of queries that does not grow with the items."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from notifications.models import Kind
from tests.factories import make_citizen, make_placement, make_user
from tests.worklist.conftest import days, make_follow_up, make_quiet_citizen
from worklist import selectors
from worklist.models import Mark


def test_it_counts_each_consultants_items_by_when_they_are_due(manager, consultant, placement, fredericia, today):
    make_follow_up(placement, days(-2))  # overdue
    make_follow_up(placement, today)  # this week
    make_follow_up(placement, days(13))  # coming (beyond this week, within the window)
    snoozed = make_follow_up(placement, days(-1))
    Mark.objects.create(kind=Kind.FOLLOW_UP, object_id=snoozed.pk, due_on=days(-1), until=days(5), reason="x", user=consultant)
    make_quiet_citizen(fredericia, consultant, last_contact_on=days(-100))  # overdue
    counts = selectors.team_counts(fredericia, today)[consultant.pk]
    assert (counts.overdue, counts.this_week, counts.coming, counts.snoozed) == (2, 1, 1, 1)


def test_it_counts_the_items_without_a_consultant_of_the_team(manager, consultant, fredericia, employer, today):
    nobodys = make_placement(make_citizen(fredericia), employer)
    make_follow_up(nobodys, days(-2))
    gone = make_user("tidligere", None)  # named on a citizen, no longer a consultant here
    make_quiet_citizen(fredericia, gone, last_contact_on=days(-100))
    page, unassigned = selectors.team_for(fredericia, today)
    assert [row.consultant for row in page.object_list] == [consultant]
    assert page.object_list[0].counts.total == 0
    assert (unassigned.overdue, unassigned.total) == (2, 2)


def test_it_shows_the_team_page_to_a_manager_without_naming_citizens(login, manager, consultant, placement):
    make_follow_up(placement, days(-2))
    page = login(manager).get(reverse("worklist:team")).content.decode()
    assert "Teamets opgaver i Fredericia" in page
    assert "Karin Holm" in page
    assert "Bente Sørensen" not in page
    assert f"/placements/{placement.pk}/" not in page
    assert '<span class="overdue">1</span>' in page


def test_it_leaves_out_another_municipalitys_items_and_consultants(login, manager, outsider, other_placement):
    make_follow_up(other_placement, days(-2))
    page = login(manager).get(reverse("worklist:team")).content.decode()
    assert "konsulent-odense" not in page
    assert '<span class="overdue">' not in page


def test_it_gives_404_for_a_municipality_the_manager_does_not_lead(login, manager, odense):
    assert login(manager).get(reverse("worklist:team"), {"municipality": "461"}).status_code == 404
    assert login(manager).get(reverse("worklist:team"), {"municipality": "abc"}).status_code == 404


def test_it_lets_an_admin_choose_the_municipality(login, admin_user, fredericia, odense, outsider):
    page = login(admin_user).get(reverse("worklist:team"), {"municipality": "461"}).content.decode()
    assert "Teamets opgaver i Odense" in page and "konsulent-odense" in page


@pytest.mark.parametrize("user_fixture", ["consultant", "leader", "outsider"])
def test_it_is_for_managers_and_admins(request, login, user_fixture):
    assert login(request.getfixturevalue(user_fixture)).get(reverse("worklist:team")).status_code == 403


def test_it_pages_the_consultants(login, manager, fredericia):
    for n in range(selectors.PAGE_SIZE + 1):
        make_user(f"konsulent-{n:02d}", fredericia, Role.CONSULTANT)
    client = login(manager)
    assert "Side 1 af 2" in client.get(reverse("worklist:team")).content.decode()
    assert "Side 2 af 2" in client.get(reverse("worklist:team"), {"page": "2"}).content.decode()


def test_it_builds_the_team_page_in_the_same_number_of_queries_for_few_and_many(login, manager, fredericia, employer):
    client = login(manager)

    def add(n):
        for i in range(n):
            who = make_user(f"k{make_user.__name__}{i}-{add.calls}", fredericia, Role.CONSULTANT)
            someone = make_citizen(fredericia, consultant=who)
            placement = make_placement(someone, employer, start_date=date(2025, 1, 1), end_date=days(5 + i))
            make_follow_up(placement, days(-i))
            make_quiet_citizen(fredericia, who, last_contact_on=days(-100 - i))
        add.calls += 1

    add.calls = 0

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("worklist:team")).status_code == 200
        return len(captured)

    add(1)
    one = queries()
    add(5)
    assert queries() == one
