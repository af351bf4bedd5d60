"""The team's overdue items for the municipality's managers: every source's open items past
their due date, oldest first, snoozed and done ones left out; what, the company, the
consultant (or none of the team), the due date and the days overdue; no citizen named and no
link to a citizen's page; filtered by consultant, paginated, in a number of queries that does
not grow with the items."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from notifications.models import Kind
from placements.models import FollowUp
from tests.factories import make_citizen, make_cpr, make_employer, make_placement, make_user
from tests.worklist.conftest import days, make_follow_up, make_meeting_request, make_quiet_citizen
from worklist import selectors
from worklist.models import Mark


def overdue(municipality, **kwargs):
    today = timezone.localdate()
    consultants = list(selectors.team_consultants(municipality))
    return selectors.team_overdue(municipality, today, consultants, **kwargs)


def rows(page):
    return [
        (row.what, row.company, row.consultant.username if row.consultant else None, row.due_on, row.days)
        for row in page.object_list
    ]


@pytest.fixture
def cafe(fredericia):
    return make_employer(fredericia, name="Kanalbyens Café")


# --- What the list holds -------------------------------------------------------------------

def test_it_lists_every_sources_overdue_items_oldest_first(
    consultant, citizen, placement, fredericia, leader_member, co_leader_member, today
):
    make_follow_up(placement, days(-3), months=3)
    make_follow_up(placement, days(-40), kind=FollowUp.Kind.LEGAL_FOLLOW_UP)
    make_follow_up(placement, today, months=6)  # due today: not overdue
    make_follow_up(placement, days(5), months=12)  # coming
    make_meeting_request(citizen, leader_member, created_at=timezone.now() - timedelta(days=2))
    make_meeting_request(citizen, co_leader_member)  # arrived today: due today
    make_quiet_citizen(fredericia, consultant, last_contact_on=days(-100))  # due 10 days ago (90 days)
    assert rows(overdue(fredericia)) == [
        ("Lovpligtig opfølgning efter 2½ år", "Lillebælt Byg ApS", "konsulent", days(-40), 40),
        ("Ingen kontakt", "", "konsulent", days(-10), 10),
        ("Opfølgning efter 3 måneder", "Lillebælt Byg ApS", "konsulent", days(-3), 3),
        ("Ønske om møde", "Lillebælt Byg ApS", "konsulent", days(-2), 2),
    ]
    # The same items the counts call overdue.
    assert sum(counts.overdue for counts in selectors.team_counts(fredericia, today).values()) == 4


def test_it_leaves_out_snoozed_and_done_items_but_shows_a_snooze_that_ended(consultant, placement, fredericia):
    snoozed = make_follow_up(placement, days(-3), months=3)
    Mark.objects.create(kind=Kind.FOLLOW_UP, object_id=snoozed.pk, due_on=days(-3), until=days(2), reason="x", user=consultant)
    ended = make_follow_up(placement, days(-4), months=6)
    Mark.objects.create(kind=Kind.FOLLOW_UP, object_id=ended.pk, due_on=days(-4), until=days(0), reason="x", user=consultant)
    quiet = make_quiet_citizen(fredericia, consultant, last_contact_on=days(-100))
    Mark.objects.create(kind=Kind.NO_CONTACT, object_id=quiet.pk, due_on=days(-10), reason="Ringet", user=consultant)
    recorded = make_follow_up(placement, days(-5), months=12)
    FollowUp.objects.filter(pk=recorded.pk).update(done_on=days(-1), outcome=FollowUp.Outcome.STILL_EMPLOYED)
    assert [row.due_on for row in overdue(fredericia).object_list] == [days(-4)]


def test_it_leaves_out_the_follow_ups_of_an_ended_placement(consultant, citizen, employer, fredericia):
    ended = make_placement(citizen, employer, start_date=date(2025, 1, 1), end_date=days(-1))
    make_follow_up(ended, days(-20))
    assert rows(overdue(fredericia)) == []


def test_it_names_no_one_but_the_consultant_and_the_company_for_a_request_without_one(
    consultant, citizen, fredericia, task_force, staff_member
):
    make_meeting_request(citizen, staff_member, created_at=timezone.now() - timedelta(days=1))
    assert rows(overdue(fredericia)) == [("Ønske om møde", "", "konsulent", days(-1), 1)]


def test_it_says_uden_jobkonsulent_for_a_citizen_without_one_of_the_team(consultant, fredericia, employer):
    make_follow_up(make_placement(make_citizen(fredericia), employer), days(-2))
    gone = make_user("tidligere", None)  # named on a citizen, no longer a consultant here
    make_quiet_citizen(fredericia, gone, last_contact_on=days(-100))
    assert [row.consultant for row in overdue(fredericia).object_list] == [None, None]


def test_it_lists_all_as_without_a_consultant_in_a_municipality_without_consultants(manager, fredericia, employer):
    make_follow_up(make_placement(make_citizen(fredericia), employer), days(-2))
    assert [row.consultant for row in overdue(fredericia, consultant=selectors.UNASSIGNED).object_list] == [None]


def test_it_leaves_out_another_municipalitys_items(consultant, outsider, other_placement, fredericia, odense):
    make_follow_up(other_placement, days(-2))
    assert rows(overdue(fredericia)) == []
    assert len(overdue(odense).object_list) == 1


# --- The filter ----------------------------------------------------------------------------

@pytest.fixture
def three_consultants(consultant, fredericia, employer):
    """Karin (the consultant) and a colleague with an overdue follow-up each, and one of a
    citizen without a consultant."""
    colleague = make_user("kollega", fredericia, Role.CONSULTANT, first_name="Kim", last_name="Kofoed")
    make_follow_up(make_placement(make_citizen(fredericia, consultant=consultant), employer), days(-1))
    make_follow_up(make_placement(make_citizen(fredericia, consultant=colleague), employer), days(-2))
    make_follow_up(make_placement(make_citizen(fredericia), employer), days(-3))
    return consultant, colleague


def test_it_filters_by_consultant_and_by_none_of_the_team(three_consultants, fredericia):
    consultant, colleague = three_consultants
    assert [row[2] for row in rows(overdue(fredericia))] == [None, "kollega", "konsulent"]
    assert [row[2] for row in rows(overdue(fredericia, consultant=colleague.pk))] == ["kollega"]
    assert [row[2] for row in rows(overdue(fredericia, consultant=selectors.UNASSIGNED))] == [None]


def test_the_page_filters_by_the_consultant_chosen(login, manager, three_consultants):
    consultant, colleague = three_consultants
    page = login(manager).get(reverse("worklist:team"), {"consultant": str(colleague.pk)}).content.decode()
    assert "1 overskreden opgave" in page
    assert "2 dage" in page and "1 dag<" not in page
    assert f'<option value="{colleague.pk}" selected>Kim Kofoed</option>' in page


def test_the_counts_link_each_consultant_to_their_overdue_items(login, manager, three_consultants):
    consultant, colleague = three_consultants
    page = login(manager).get(reverse("worklist:team")).content.decode()
    assert f"consultant={colleague.pk}#team-overdue" in page
    assert "consultant=none#team-overdue" in page
    page = login(manager).get(reverse("worklist:team"), {"consultant": "none"}).content.decode()
    assert "1 overskreden opgave" in page and "3 dage" in page


@pytest.mark.parametrize("value", ["abc", "999999", "-1", "x" * 500, "\x00"])
def test_it_says_so_when_the_consultant_is_not_one_of_the_team_and_lists_all(login, manager, outsider, three_consultants, value):
    if value == "999999":
        value = str(outsider.pk)  # a consultant of another municipality
    response = login(manager).get(reverse("worklist:team"), {"consultant": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vælg en jobkonsulent fra listen." in page
    assert "3 overskredne opgaver" in page


def test_it_serves_the_list_alone_to_htmx(login, manager, three_consultants):
    consultant, colleague = three_consultants
    response = login(manager).get(
        reverse("worklist:team"), {"consultant": str(consultant.pk)}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="overdue"')
    assert "1 overskreden opgave" in page
    assert "Teamets opgaver i" not in page
    assert response["Vary"] and "HX-Request" in response["Vary"]


# --- No citizen ----------------------------------------------------------------------------

def test_the_page_shows_the_items_without_the_citizens_name_cpr_or_a_link_to_them(
    login, manager, consultant, fredericia, employer, leader_member
):
    cpr = make_cpr("150385")
    tove = make_citizen(fredericia, consultant=consultant, first_name="Tove", last_name="Tavs", cpr=cpr)
    placement = make_placement(tove, employer, start_date=date(2025, 1, 1))
    make_follow_up(placement, days(-3), months=3)
    make_meeting_request(tove, leader_member, created_at=timezone.now() - timedelta(days=1),
                         message="Tove kan starte mandag")
    quiet = make_quiet_citizen(fredericia, consultant, last_contact_on=days(-100), first_name="Søren", last_name="Stille")
    page = login(manager).get(reverse("worklist:team")).content.decode()
    assert "Overskredne opgaver i teamet" in page
    assert "3 overskredne opgaver" in page
    assert "Opfølgning efter 3 måneder" in page and "Ønske om møde" in page and "Ingen kontakt" in page
    assert "Lillebælt Byg ApS" in page and "Karin Holm" in page
    for secret in ("Tove", "Tavs", "Søren", "Stille", "150385", cpr, "starte mandag"):
        assert secret not in page
    assert "/citizens/" not in page and "/placements/" not in page and "/workspace/" not in page
    assert f"/{quiet.pk}/" not in page


def test_the_page_says_so_when_nothing_is_overdue(login, manager, consultant, placement, today):
    make_follow_up(placement, today)
    page = login(manager).get(reverse("worklist:team")).content.decode()
    assert "0 overskredne opgaver" in page
    assert "Teamet har ingen overskredne opgaver." in page


# --- Pages and queries ---------------------------------------------------------------------

def test_it_pages_the_overdue_items_and_keeps_the_filter(login, manager, consultant, fredericia, employer):
    placement = make_placement(make_citizen(fredericia, consultant=consultant), employer, start_date=date(2025, 1, 1))
    for n in range(selectors.TEAM_OVERDUE_PAGE_SIZE + 1):
        FollowUp.objects.create(placement=placement, kind=FollowUp.Kind.REGULAR, months=n + 1, due_on=days(-1 - n))
    client = login(manager)
    first = client.get(reverse("worklist:team"), {"consultant": str(consultant.pk)}).content.decode()
    assert "Side 1 af 2" in first
    assert f"{selectors.TEAM_OVERDUE_PAGE_SIZE + 1} overskredne opgaver" in first
    # The oldest first: the first page starts with the item 26 days overdue.
    assert first.index("26 dage") < first.index("25 dage")
    assert re.search(rf'href="\?consultant={consultant.pk}&amp;overdue_page=2#team-overdue"', first)
    second = client.get(reverse("worklist:team"), {"consultant": str(consultant.pk), "overdue_page": "2"}).content.decode()
    assert "Side 2 af 2" in second and "1 dag<" in second and "26 dage" not in second
    for bad in ("0", "-3", "abc", "99999999999999999999"):
        assert client.get(reverse("worklist:team"), {"overdue_page": bad}).status_code == 200


@pytest.mark.parametrize("params", [{}, {"consultant": "none"}], ids=["all", "unassigned"])
def test_it_builds_the_list_in_the_same_number_of_queries_for_few_and_many(
    login, manager, consultant, fredericia, employer, leader_member, task_force, params
):
    client = login(manager)
    created = {"n": 0}

    def add(n):
        for _ in range(n):
            i = created["n"] = created["n"] + 1
            who = make_user(f"k-{i}", fredericia, Role.CONSULTANT) if not params else None
            someone = make_citizen(fredericia, consultant=who)
            placement = make_placement(someone, make_employer(fredericia, name=f"Firma {i}"), start_date=date(2025, 1, 1))
            make_follow_up(placement, days(-i))
            make_meeting_request(someone, leader_member, created_at=timezone.now() - timedelta(days=i))
            make_quiet_citizen(fredericia, who, last_contact_on=days(-100 - i))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("worklist:team"), params)
            assert response.status_code == 200
        return len(captured), response.content.decode()

    add(1)
    one, page = queries()
    assert "3 overskredne opgaver" in page
    add(12)
    many, page = queries()
    assert "39 overskredne opgaver" in page and "Side 1 af 2" in page
    assert many == one
