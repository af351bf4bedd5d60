"""On PostgreSQL, the queries that must stay fast at a million citizens can be served by an
index: name search (trigram), CPR search (keyed hash), the citizen list in each sort order,
the consultant's worklist and the counting of a target's flex jobs. With sequential scans
turned off for the transaction, the planner takes an index wherever one can serve; a
"Seq Scan" on a big table left in the plan means none can."""

from datetime import date

import pytest
from django.db import connection

from citizens.access import citizens_for_user
from citizens.forms import CitizenSearchForm, consultants_in
from citizens.models import Citizen
from progress.counting import counted_placements
from progress.models import Target
from tests.factories import make_cpr, make_employer, make_placement
from worklist.selectors import SOURCES, consultant_items

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL")

BIG_TABLES = ("citizens_citizen", "placements_placement", "placements_followup")
TODAY = date(2026, 4, 1)


def plan(queryset):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    try:
        return queryset.explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = on")


def assert_indexed(text, *indexes):
    for table in BIG_TABLES:
        assert f"Seq Scan on {table}" not in text, text
    for index in indexes:
        assert index in text, text


FIRST = ["Anne", "Mette", "Bo", "Lars", "Karen", "Jens", "Hanne", "Søren", "Pia", "Ole"]
LAST = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen"]


@pytest.fixture
def data(fredericia, odense, consultant):
    """Enough citizens, with the planner's statistics, that an index is the planner's own choice."""
    employer = make_employer(fredericia)
    citizens = []
    for i in range(4000):
        citizen = Citizen(
            municipality=fredericia if i % 4 else odense, first_name=f"{FIRST[i % 10]}{i}",
            last_name=f"{LAST[i % 8]}{i // 8}", consultant=consultant if i % 40 == 1 else None,
        )
        citizen.cpr_encrypted, citizen.cpr_hash = "x", f"{i:064d}"
        citizens.append(citizen)
    Citizen.objects.bulk_create(citizens, batch_size=1000)
    for citizen in Citizen.objects.filter(municipality=fredericia, consultant=consultant)[:3]:
        make_placement(citizen, employer, start_date=date(2026, 2, 1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE citizens_citizen")
        cursor.execute("ANALYZE placements_placement")
    return employer


def search(consultant, **data):
    form = CitizenSearchForm({"consultant": "", **data}, consultants=consultants_in([consultant.memberships.get().municipality]))
    return form.filter(citizens_for_user(consultant), consultant, TODAY)


@pytest.mark.django_db
def test_name_search_can_use_the_trigram_indexes(consultant, data):
    """The search's own condition on a name word is what the trigram indexes hold (the planner
    prefers them once a municipality has many citizens: make bench shows it at a million)."""
    form = CitizenSearchForm({"q": "Anne1000 Jensen125"}, consultants=[])
    words = form._filtered(Citizen.objects.all(), consultant, TODAY)
    assert_indexed(plan(words), "citizen_first_name_trgm", "citizen_last_name_trgm")
    assert_indexed(plan(search(consultant, q="Anne1000 Jensen125")[:25]))


@pytest.mark.django_db
def test_cpr_search_uses_the_keyed_hash(consultant, data):
    assert_indexed(plan(search(consultant, q=make_cpr())[:25]), "citizen_cpr_unique_in_municipality")


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["name", "unemployed", "newest"])
def test_each_sort_order_of_the_list_reads_an_index(consultant, data, sort):
    text = plan(search(consultant, sort=sort)[:25])
    assert_indexed(text)
    assert "Index" in text


@pytest.mark.django_db
def test_the_worklist_reads_indexes(consultant, data):
    for source in SOURCES:
        assert_indexed(plan(consultant_items(source, consultant, TODAY)[:25]))


@pytest.mark.django_db
def test_counting_reads_the_placements_by_municipality_and_start_date(fredericia, data):
    target = Target.objects.create(
        municipality=fredericia, title="t", number=1, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
    )
    # placement_counting at scale (make bench); with a few rows the planner may take the foreign
    # key's index on the municipality alone: an index either way, never the whole table.
    text = plan(counted_placements(target, TODAY))
    assert_indexed(text)
    assert "Index" in text, text


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["name", "last_contact", "placements"])
def test_each_sort_order_of_the_employer_list_reads_an_index(consultant, data, sort):
    from employers.access import employers_for_user
    from employers.forms import EmployerSearchForm

    form = EmployerSearchForm({"sort": sort})
    text = plan(form.filter(employers_for_user(consultant)).order_by(*form.ordering())[:25])
    assert "Seq Scan on employers_employer" not in text and "Index" in text, text


@pytest.mark.django_db
def test_employer_search_can_use_the_trigram_indexes(consultant, data):
    from employers.forms import EmployerSearchForm
    from employers.models import Employer

    text = plan(EmployerSearchForm({"q": "bager"}).filter(Employer.objects.all()))
    assert "employer_name_trgm" in text and "employer_industry_trgm" in text, text
