"""The consultant's employer list: search, filters, pagination, the htmx fragment, query count."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from employers.models import Employer, Opening
from tests.factories import make_citizen, make_employer, make_placement


def names(response):
    return [employer.name for employer in response.context["page"].object_list]


@pytest.fixture
def register(fredericia):
    return [
        make_employer(fredericia, name="Lillebælt Byg ApS", cvr="13585628", industry="Byggeri", size="small"),
        make_employer(fredericia, name="Kanalbyens Café", industry="Restauration", size="micro"),
        make_employer(
            fredericia, name="Fredericia Kommune, Ældreplejen", sector="public", industry="Pleje", size="large"
        ),
    ]


def test_it_lists_the_municipalitys_employers_by_name(login, consultant, register, other_employer):
    response = login(consultant).get("/employers/")
    assert response.status_code == 200
    assert names(response) == ["Fredericia Kommune, Ældreplejen", "Kanalbyens Café", "Lillebælt Byg ApS"]
    assert "Odense Værft" not in response.content.decode()


def test_it_searches_by_name(login, consultant, register):
    assert names(login(consultant).get("/employers/", {"q": "kanalby"})) == ["Kanalbyens Café"]


def test_it_searches_by_cvr_prefix(login, consultant, register):
    assert names(login(consultant).get("/employers/", {"q": "1358"})) == ["Lillebælt Byg ApS"]
    assert names(login(consultant).get("/employers/", {"q": "1358 56"})) == ["Lillebælt Byg ApS"]


def test_it_does_not_find_a_cvr_number_by_its_middle(login, consultant, register):
    assert names(login(consultant).get("/employers/", {"q": "5856"})) == []


def test_it_searches_by_industry(login, consultant, register):
    assert names(login(consultant).get("/employers/", {"q": "restauration"})) == ["Kanalbyens Café"]


def test_it_filters_by_sector(login, consultant, register):
    assert names(login(consultant).get("/employers/", {"sector": "public"})) == ["Fredericia Kommune, Ældreplejen"]
    assert len(names(login(consultant).get("/employers/", {"sector": "private"}))) == 2


def test_it_filters_by_size(login, consultant, register):
    assert names(login(consultant).get("/employers/", {"size": "micro"})) == ["Kanalbyens Café"]


def test_it_combines_search_and_filters(login, consultant, register):
    assert names(login(consultant).get("/employers/", {"q": "a", "sector": "private", "size": "small"})) == [
        "Lillebælt Byg ApS"
    ]


def test_it_ignores_an_unknown_filter_value(login, consultant, register):
    response = login(consultant).get("/employers/", {"sector": "foreign"})
    assert response.status_code == 200
    assert len(names(response)) == 3


def test_it_shows_an_empty_state(login, consultant, register):
    response = login(consultant).get("/employers/", {"q": "findes ikke"})
    assert names(response) == []
    assert "Ingen virksomheder matcher søgningen." in response.content.decode()


def test_it_shows_counts_of_open_positions_and_placements(login, consultant, fredericia, citizen, register):
    employer = register[0]
    Opening.objects.create(employer=employer, title="Pedel", hours_min=4, hours_max=8)
    Opening.objects.create(employer=employer, title="Lager", hours_min=4, hours_max=8)
    Opening.objects.create(employer=employer, title="Lukket", hours_min=4, hours_max=8, is_open=False)
    make_placement(citizen, employer)
    make_placement(make_citizen(fredericia), employer)
    response = login(consultant).get("/employers/", {"q": "Lillebælt"})
    row = response.context["page"].object_list[0]
    assert (row.open_positions, row.placement_count) == (2, 2)


def test_it_paginates_25_a_page(login, consultant, fredericia):
    for i in range(30):
        make_employer(fredericia, name=f"Virksomhed {i:02d}")
    client = login(consultant)
    first = client.get("/employers/")
    assert len(names(first)) == 25
    assert "Side 1 af 2" in first.content.decode()
    second = client.get("/employers/", {"page": 2})
    assert names(second) == [f"Virksomhed {i:02d}" for i in range(25, 30)]
    assert "Side 2 af 2" in second.content.decode()


def test_it_keeps_the_filter_when_paging(login, consultant, fredericia):
    for i in range(30):
        make_employer(fredericia, name=f"Privat {i:02d}")
    for i in range(3):
        make_employer(fredericia, name=f"Offentlig {i}", sector="public")
    response = login(consultant).get("/employers/", {"sector": "private", "page": 2})
    assert names(response) == [f"Privat {i:02d}" for i in range(25, 30)]


def test_it_shows_the_last_page_for_a_page_number_too_high(login, consultant, register):
    response = login(consultant).get("/employers/", {"page": 99})
    assert response.status_code == 200
    assert len(names(response)) == 3


def test_it_renders_only_the_results_for_htmx(login, consultant, register):
    response = login(consultant).get("/employers/", {"q": "kanal"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results"')
    assert "Kanalbyens Café" in html
    assert "Lillebælt Byg" not in html
    assert "<form" not in html and "<html" not in html


def test_it_renders_the_whole_page_when_htmx_restores_history(login, consultant, register):
    response = login(consultant).get(
        "/employers/", {"q": "kanal"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" in html and "Kanalbyens Café" in html


def test_it_tells_caches_that_the_page_depends_on_htmx(login, consultant, register):
    response = login(consultant).get("/employers/", headers={"HX-Request": "true"})
    assert "HX-Request" in response["Vary"]


def test_it_renders_the_whole_page_without_htmx(login, consultant, register):
    html = login(consultant).get("/employers/", {"q": "kanal"}).content.decode()
    assert "<html" in html and 'id="results"' in html and 'hx-get="/employers/"' in html


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/employers/")
    assert response.status_code == 200
    return len(queries)


def test_it_lists_employers_in_a_constant_number_of_queries(login, consultant, fredericia):
    client = login(consultant)

    def grow(n):
        for _ in range(n):
            employer = make_employer(fredericia, name=f"Virksomhed {Employer.objects.count():02d}")
            Opening.objects.create(employer=employer, title="Pedel", hours_min=4, hours_max=8)
            citizen = make_citizen(fredericia)
            make_placement(citizen, employer, start_date=date(2026, 1, 5))

    grow(3)
    with_3 = _list_queries(client)
    grow(27)
    with_30 = _list_queries(client)
    assert with_3 == with_30
    assert with_30 <= 8


def test_it_refuses_the_list_to_leaders_and_managers(login, leader, manager):
    assert login(leader).get("/employers/").status_code == 403
    assert login(manager).get("/employers/").status_code == 403


def test_it_lets_an_admin_see_the_list(login, admin_user, register, other_employer):
    response = login(admin_user).get("/employers/")
    assert response.status_code == 200
    assert "Kanalbyens Café" in names(response)


def test_it_sends_anonymous_users_to_log_in(client, db):
    response = client.get("/employers/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_counts_openings_and_placements_without_joining_them_to_each_other(login, consultant, fredericia, citizen):
    employer = make_employer(fredericia, name="Travl ApS")
    for title in ("Pedel", "Lager", "Kantine"):
        Opening.objects.create(employer=employer, title=title, hours_min=4, hours_max=8)
    for _ in range(4):
        make_placement(make_citizen(fredericia), employer)
    with CaptureQueriesContext(connection) as queries:
        response = login(consultant).get("/employers/")
    row = response.context["page"].object_list[0]
    assert (row.open_positions, row.placement_count) == (3, 4)
    [listing] = [
        q["sql"] for q in queries
        if 'FROM "employers_employer"' in q["sql"] and "LIMIT" in q["sql"] and not q["sql"].startswith("SELECT COUNT")
    ]
    # Counted in subqueries: joined, each opening row would repeat for every placement.
    assert 'JOIN "employers_opening"' not in listing and 'JOIN "placements_placement"' not in listing
    assert "DISTINCT" not in listing


def test_it_sorts_employers_by_longest_since_contact(login, consultant, fredericia):
    from datetime import date

    from tests.factories import make_employer

    make_employer(fredericia, name="Anker ApS", last_contact=date(2026, 10, 1))
    make_employer(fredericia, name="Birk ApS", last_contact=date(2025, 1, 1))
    make_employer(fredericia, name="Cirkel ApS")
    html = login(consultant).get("/employers/", {"sort": "last_contact"}).content.decode()
    assert html.index("Cirkel ApS") < html.index("Birk ApS") < html.index("Anker ApS")
    by_name = login(consultant).get("/employers/").content.decode()
    assert by_name.index("Anker ApS") < by_name.index("Birk ApS") < by_name.index("Cirkel ApS")


def test_the_placement_count_is_kept_as_placements_come_go_and_move(admin_client, consultant, fredericia):
    from placements.models import Placement
    from placements.services import placement_create
    from tests.factories import make_citizen

    first, second = make_employer(fredericia, name="Første"), make_employer(fredericia, name="Anden")
    placement = placement_create(
        user=consultant, citizen=make_citizen(fredericia), employer=first, kind=Placement.Kind.FLEXJOB,
        hours_per_week=8, start_date=date(2026, 2, 1),
    )
    first.refresh_from_db()
    assert first.placement_count == 1
    # The admin moves it to the other employer, then deletes it.
    placement.employer = second
    from placements.admin import PlacementAdmin
    from django.contrib.admin.sites import site

    request = type("R", (), {"user": consultant})()
    PlacementAdmin(Placement, site).save_model(request, placement, type("F", (), {"changed_data": ["employer"]})(), True)
    assert {e.name: e.placement_count for e in Employer.objects.all()} == {"Første": 0, "Anden": 1}
    PlacementAdmin(Placement, site).delete_model(request, placement)
    assert {e.name: e.placement_count for e in Employer.objects.all()} == {"Første": 0, "Anden": 0}
