"""core.pagination: a list's count stops at the cap, in one query, and its pages stop there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Municipality
from core.pagination import CappedPaginator


@pytest.fixture
def municipalities(db):
    Municipality.objects.bulk_create([Municipality(code=100 + i, name=f"Kommune {i:02d}") for i in range(30)])
    return Municipality.objects.order_by("code")


def test_it_counts_up_to_the_cap_in_one_query_and_says_there_are_more(municipalities):
    paginator = CappedPaginator(municipalities, 4, cap=10)
    with CaptureQueriesContext(connection) as queries:
        assert (paginator.count, paginator.capped, paginator.num_pages) == (10, True, 3)
    assert len(queries) == 1 and "LIMIT 11" in queries[0]["sql"]
    page = paginator.get_page(99)  # beyond the cap: its last page
    assert page.number == 3 and [m.code for m in page] == [108, 109]


def test_it_counts_exactly_below_the_cap(municipalities):
    paginator = CappedPaginator(municipalities, 4, cap=30)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (30, False, 8)
    assert CappedPaginator(list(range(5)), 2, cap=3).capped


def test_the_citizen_list_says_over_the_cap(login, consultant, fredericia, settings, monkeypatch):
    from core import pagination
    from tests.factories import make_citizen

    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    monkeypatch.setattr(pagination.CappedPaginator.__init__, "__kwdefaults__", {"cap": 3})
    for _ in range(5):
        make_citizen(fredericia)
    html = login(consultant).post("/citizens/", {"consultant": "", "sort": "name"}).content.decode()
    assert "Over 3 borgere" in html
    assert "Side 1 af over 1" not in html  # 3 rows fit one page
