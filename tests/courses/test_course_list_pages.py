"""The course list: latest first, 25 to a page, each course's funnel worked out for the page's
courses alone, in the same number of queries however many courses there are."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Course


def make_courses(municipality, n):
    Course.objects.bulk_create(
        Course(municipality=municipality, title=f"Forløb {i:03d}", start_date=date(2026, 1, 1) + timedelta(days=i))
        for i in range(n)
    )


def list_page(client, page=1):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/courses/?page={page}")
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.django_db
def test_it_shows_25_courses_a_page_latest_first_in_a_fixed_number_of_queries(login, consultant, fredericia):
    make_courses(fredericia, 3)
    client = login(consultant)
    _response, few = list_page(client)
    make_courses(fredericia, 60)
    response, many = list_page(client)
    assert many == few
    titles = [c.title for c in response.context["page"].object_list]
    assert len(titles) == 25 and titles[0] == "Forløb 059"
    html = response.content.decode()
    assert "Side 1 af 3" in html and 'href="?page=2"' in html
    response, _queries = list_page(client, 3)
    assert [c.title for c in response.context["page"].object_list][-1] == "Forløb 000"
    assert list_page(client, "x")[0].context["page"].number == 1  # a bad page number: the first
