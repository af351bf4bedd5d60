"""The admin's list of placements reads each row's citizen and employer in its one query."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_citizen, make_employer, make_placement


def listing_queries(admin_client):
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get("/admin/placements/placement/").status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_admin_list_of_placements_takes_the_same_queries_for_few_and_many(admin_client, fredericia):
    employer = make_employer(fredericia)
    make_placement(make_citizen(fredericia), make_employer(fredericia, name="Anden"))
    few = listing_queries(admin_client)
    for i in range(20):
        make_placement(make_citizen(fredericia), employer, start_date=date(2026, 1, 1) + timedelta(days=i))
    assert listing_queries(admin_client) == few
