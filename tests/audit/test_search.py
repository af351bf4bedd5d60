"""The log's search for the municipality's managers and admins: by user, by citizen (CPR
number, never in a URL nor shown again), by period; only their own municipalities' rows;
paginated in a fixed number of queries; and itself logged."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from audit.models import AccessLog, SignInEvent
from audit.services import access_log_record, sign_in_record
from tests.factories import make_citizen, make_user

SEARCH = reverse("audit:search")


def view(user, citizen, purpose="sagsbehandling"):
    return access_log_record(user=user, action=AccessLog.Action.VIEW, obj=citizen, purpose=purpose)


def shown(response):
    return list(response.context["result"].page.object_list)


@pytest.fixture
def other_manager(odense):
    return make_user("chef-odense", odense, Role.MANAGER)


@pytest.fixture
def colleague(fredericia):
    return make_user("kollega", fredericia, Role.CONSULTANT, first_name="Kaj", last_name="Kollega")


# --- Who may search ---------------------------------------------------------------------

@pytest.mark.parametrize("user", ["consultant", "leader", "outsider"])
def test_it_refuses_the_log_to_those_who_do_not_keep_it(login, request, user):
    client = login(request.getfixturevalue(user))
    assert client.get(SEARCH).status_code == 403
    assert client.get(reverse("audit:sign_ins")).status_code == 403
    assert client.get(reverse("audit:report", args=[1])).status_code == 403


def test_it_sends_an_anonymous_visitor_to_login(client, db):
    assert client.get(SEARCH).status_code == 302


def test_it_shows_a_manager_the_rows_of_their_municipality(login, manager, consultant, citizen):
    row = view(consultant, citizen)
    response = login(manager).get(SEARCH)
    assert response.status_code == 200
    assert shown(response) == [row]
    html = response.content.decode()
    assert citizen.full_name in html and citizen.cpr_masked in html and "Sagsbehandling" in html


def test_a_manager_of_another_municipality_sees_nothing_of_ours(login, other_manager, consultant, citizen, outsider, other_citizen):
    ours = view(consultant, citizen)
    theirs = view(outsider, other_citizen)
    # A list without a municipality of its own is ours through its user and its citizens.
    mixed = access_log_record(user=consultant, action=AccessLog.Action.LIST, model="citizens.Citizen", purpose="x", citizens=[citizen])
    empty_search = access_log_record(user=consultant, action=AccessLog.Action.LIST, model="citizens.Citizen", purpose="x")
    response = login(other_manager).get(SEARCH)
    assert shown(response) == [theirs]
    html = response.content.decode()
    assert citizen.full_name not in html and consultant.get_full_name() not in html
    assert {ours, mixed, empty_search}.isdisjoint(shown(response))


def test_a_manager_sees_an_empty_search_of_a_consultant_of_theirs(login, manager, consultant):
    empty_search = access_log_record(user=consultant, action=AccessLog.Action.LIST, model="citizens.Citizen", purpose="x")
    assert shown(login(manager).get(SEARCH)) == [empty_search]


def test_a_superuser_sees_every_municipality(admin_client, consultant, citizen, outsider, other_citizen):
    rows = [view(consultant, citizen), view(outsider, other_citizen)]
    assert set(shown(admin_client.get(SEARCH))) >= set(rows)


# --- Filters ----------------------------------------------------------------------------

def test_it_filters_by_user(login, manager, consultant, colleague, citizen):
    mine = view(consultant, citizen)
    view(colleague, citizen)
    response = login(manager).post(SEARCH, {"user": "konsulent"})
    assert shown(response) == [mine]
    assert shown(login(manager).post(SEARCH, {"user": "karin holm"})) == [mine]


def test_it_finds_a_citizen_by_cpr_number_in_lists_and_pages_alike(login, manager, consultant, citizen, fredericia):
    other = make_citizen(fredericia)
    page = view(consultant, citizen)
    listed = access_log_record(
        user=consultant, action=AccessLog.Action.LIST, model="citizens.Citizen", purpose="x", citizens=[other, citizen]
    )
    view(consultant, other)  # not about the citizen
    number = citizen.reveal_cpr()
    with CaptureQueriesContext(connection) as queries:
        response = login(manager).post(SEARCH, {"cpr": number})
    assert shown(response) == [listed, page]
    html = response.content.decode()
    # Found, and the number is neither shown again nor written anywhere.
    assert number not in html and number.replace("-", "") not in html
    assert citizen.full_name in html and reverse("audit:report", args=[citizen.pk]) in html
    assert not [q for q in queries if number.replace("-", "") in q["sql"]]


def test_the_next_page_of_a_cpr_search_keeps_the_citizen_by_id(login, manager, consultant, citizen, fredericia):
    for _ in range(30):
        view(consultant, citizen)
    view(consultant, make_citizen(fredericia))
    client = login(manager)
    first = client.post(SEARCH, {"cpr": citizen.reveal_cpr()})
    carried = first.context["form"]["citizen"].value()
    assert carried == str(citizen.pk)
    second = client.post(SEARCH, {"citizen": carried, "page": 2})
    # The 30 views, and the first search's own row, which named the citizen too.
    assert second.context["result"].page.paginator.count == 31
    assert len(shown(second)) == 6
    first_search = AccessLog.objects.filter(user=manager).last()
    assert first_search.citizen_ids() == [citizen.pk]


def test_it_says_so_when_no_citizen_has_the_cpr_number(login, manager, other_citizen):
    response = login(manager).post(SEARCH, {"cpr": other_citizen.reveal_cpr()})
    assert "Der er ingen borger med dette CPR-nummer i dine kommuner." in response.content.decode()
    assert response.context["result"].page is None


def test_it_refuses_a_malformed_cpr_number(login, manager):
    response = login(manager).post(SEARCH, {"cpr": "12345"})
    assert "CPR-nummeret skal have 10 cifre" in response.content.decode()


def test_it_filters_by_period(login, manager, consultant, citizen, monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now - timedelta(days=40))
    old = view(consultant, citizen)
    monkeypatch.undo()
    new = view(consultant, citizen)
    client = login(manager)
    today = timezone.localdate()
    by = {"user": consultant.username}  # not the manager's own searches, logged as they go
    assert shown(client.post(SEARCH, {**by, "date_from": today - timedelta(days=10)})) == [new]
    assert shown(client.post(SEARCH, {**by, "date_to": today - timedelta(days=30)})) == [old]
    both = {**by, "date_from": today - timedelta(days=40), "date_to": today}
    assert shown(client.post(SEARCH, both)) == [new, old]


def test_it_refuses_a_period_that_ends_before_it_starts(login, manager, consultant, citizen):
    view(consultant, citizen)
    today = timezone.localdate()
    response = login(manager).post(SEARCH, {"date_from": today, "date_to": today - timedelta(days=1)})
    assert "Slutdatoen må ikke ligge før startdatoen." in response.content.decode()
    assert response.context["result"].page is None


def test_a_user_search_finds_every_row_the_reader_sees_of_that_user(login, manager, consultant, outsider, citizen):
    """Also of a consultant who has since left the municipality: what did they look at?"""
    theirs = view(outsider, citizen)  # a Fredericia citizen: the Fredericia manager's row to read
    assert theirs in shown(login(manager).post(SEARCH, {}))
    assert shown(login(manager).post(SEARCH, {"user": "konsulent-odense"})) == [theirs]
    mine = view(consultant, citizen)
    Membership.objects.filter(user=consultant).delete()  # Karin Holm leaves
    assert shown(login(manager).post(SEARCH, {"user": "karin holm"})) == [mine]


def test_a_user_search_shows_nothing_the_reader_may_not_read(login, other_manager, consultant, citizen):
    view(consultant, citizen)
    assert shown(login(other_manager).post(SEARCH, {"user": "konsulent"})) == []


def test_it_lists_no_users_in_the_form(login, manager, consultant):
    html = login(manager).get(SEARCH).content.decode()
    assert '<select name="user"' not in html and "konsulent" not in html


# --- Cost and its own row ----------------------------------------------------------------

def test_it_searches_in_a_fixed_number_of_queries(login, manager, consultant, fredericia):
    client = login(manager)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.post(SEARCH, {"user": consultant.username}).status_code == 200
        return len(captured)

    view(consultant, make_citizen(fredericia))
    few = queries()
    for _ in range(30):
        view(consultant, make_citizen(fredericia))
        access_log_record(
            user=consultant, action=AccessLog.Action.LIST, model="citizens.Citizen", purpose="x",
            citizens=[make_citizen(fredericia), make_citizen(fredericia)],
        )
    assert queries() == few


def test_each_page_of_the_log_reads_the_readers_municipalities_once(login, manager, consultant, citizen):
    view(consultant, citizen)
    client = login(manager)
    for url in (SEARCH, reverse("audit:report", args=[citizen.pk]), reverse("audit:sign_ins")):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        scoped = [q for q in captured if "accounts_membership" in q["sql"] and "'manager'" in q["sql"]]
        assert len(scoped) == 1, url


def test_the_search_is_itself_logged_with_the_citizens_it_named(login, manager, consultant, citizen):
    view(consultant, citizen)
    login(manager).post(SEARCH, {"cpr": citizen.reveal_cpr()})
    row = AccessLog.objects.filter(user=manager).get()
    assert (row.action, row.model, row.purpose, row.role, row.query) == (
        AccessLog.Action.LIST, "audit.AccessLog", "kontrol og tilsyn", Role.MANAGER, "CPR-søgning"
    )
    assert row.citizen_ids() == [citizen.pk]


def test_the_menu_offers_the_log_to_managers_and_admins_only(login, manager, consultant, leader):
    assert SEARCH in login(manager).get(reverse("progress:dashboard")).content.decode()
    assert SEARCH not in login(consultant).get(reverse("citizens:list")).content.decode()


# --- Sign-in events -----------------------------------------------------------------------

def test_it_lists_the_sign_ins_of_the_municipalitys_users_only(login, manager, consultant, outsider, db):
    mine = sign_in_record(kind=SignInEvent.Kind.LOGIN, user=consultant)
    sign_in_record(kind=SignInEvent.Kind.LOGIN, user=outsider)
    sign_in_record(kind=SignInEvent.Kind.LOGIN_FAILED, username="ukendt")
    response = login(manager).get(reverse("audit:sign_ins"))
    own_login = SignInEvent.objects.get(user=manager)  # logging in the test client is one too
    assert list(response.context["page"].object_list) == [own_login, mine]


def test_it_filters_sign_ins_by_user_and_kind(login, manager, consultant, colleague):
    sign_in_record(kind=SignInEvent.Kind.LOGIN, user=colleague)
    failed = sign_in_record(kind=SignInEvent.Kind.LOGIN_FAILED, username="konsulent")
    sign_in_record(kind=SignInEvent.Kind.LOGIN, user=consultant)
    response = login(manager).get(reverse("audit:sign_ins"), {"user": "konsulent", "kind": "login_failed"})
    assert list(response.context["page"].object_list) == [failed]


def test_a_citizen_id_of_another_municipality_finds_nothing(login, other_manager, consultant, citizen, outsider, other_citizen):
    view(consultant, citizen)
    view(outsider, other_citizen)
    response = login(other_manager).post(SEARCH, {"citizen": str(citizen.pk)})
    assert shown(response) == []
    assert citizen.full_name not in response.content.decode()
