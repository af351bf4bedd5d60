"""The unemployment's length counts only while it lasts (job-seeking, no placement running):
a citizen in a job is shown whether they were in the target group when hired, by the running
placement's own in_target_group (the placements app's rule), and how long they had been
unemployed then. On the citizen's page and in the list alike."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from citizens.models import Citizen
from tests.factories import make_citizen, make_employer, make_placement

LIST = reverse("citizens:list")
HIRED = date(2026, 2, 3)


def dd(html, label):
    """The text of the definition after the term `label` on the citizen's page."""
    found = re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd>(.*?)</dd>", html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


def row(html, citizen):
    found = re.search(rf'<tr>\s*<td><a href="/citizens/{citizen.pk}/">.*?</tr>', html, re.S).group(0)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", found, re.S)]


@pytest.fixture
def employer(fredericia):
    return make_employer(fredericia, name="Plejehjemmet Solgården")


@pytest.fixture
def hired(fredericia, consultant, employer):
    """In a mini flex job since 3 February 2026, after 85 months of unemployment."""
    citizen = make_citizen(
        fredericia, consultant=consultant, first_name="Hanne", unemployed_since=date(2018, 12, 12),
        status=Citizen.Status.PLACED,
    )
    make_placement(citizen, employer, hours_per_week=Decimal("5"), start_date=HIRED)
    return citizen


@pytest.fixture
def hired_early(fredericia, consultant, employer):
    """Hired after five months of unemployment: not in the target group."""
    citizen = make_citizen(
        fredericia, consultant=consultant, first_name="Ib", unemployed_since=date(2025, 9, 1),
        status=Citizen.Status.PLACED,
    )
    make_placement(citizen, employer, start_date=HIRED)
    return citizen


@pytest.fixture
def seeking(fredericia, consultant):
    return make_citizen(
        fredericia, consultant=consultant, first_name="Jens", status=Citizen.Status.READY,
        unemployed_since=timezone.localdate() - timedelta(days=800),
    )


# --- The rule ---------------------------------------------------------------------------------


def test_the_unemployment_lasts_only_for_a_job_seeking_citizen_with_no_placement_running():
    on = date(2026, 12, 1)
    citizen = Citizen(unemployed_since=date(2018, 12, 12), status=Citizen.Status.READY)
    lasting = citizen.unemployment_on(on)
    assert (lasting.lasting, lasting.months, lasting.in_target_group, lasting.hired_on) == (True, 95, True, None)

    citizen.status = Citizen.Status.PLACED
    hired = citizen.unemployment_on(on, hired_on=HIRED, hired_in_target_group=True)
    assert (hired.lasting, hired.months, hired.in_target_group, hired.hired_on) == (False, 85, True, HIRED)

    citizen.status = Citizen.Status.ENDED
    closed = citizen.unemployment_on(on)
    assert (closed.lasting, closed.months, closed.in_target_group) == (False, None, None)


def test_it_gives_no_length_when_the_unemployment_date_is_after_the_hiring():
    citizen = Citizen(unemployed_since=date(2026, 3, 1), status=Citizen.Status.PLACED)
    assert citizen.unemployment_on(date(2026, 12, 1), hired_on=HIRED, hired_in_target_group=False).months is None


# --- The citizen's page -----------------------------------------------------------------------


def test_the_page_of_a_hired_citizen_says_they_were_in_the_target_group_when_hired(login, consultant, hired):
    html = login(consultant).get(reverse("citizens:detail", args=[hired.pk])).content.decode()
    assert dd(html, "I målgruppen (ledig over 1 år)") == "Var i målgruppen ved ansættelsen den 3. februar 2026 (ledig 85 måneder)"
    assert dd(html, "Ledig før ansættelsen") == "Fra 12. december 2018"
    # The length no longer counts on.
    assert dd(html, "Ledig siden") is None
    assert "95 måneder" not in html


def test_the_page_of_a_citizen_hired_early_says_they_were_not_in_the_target_group(login, consultant, hired_early):
    html = login(consultant).get(reverse("citizens:detail", args=[hired_early.pk])).content.decode()
    assert dd(html, "I målgruppen (ledig over 1 år)") == (
        "Var ikke i målgruppen ved ansættelsen den 3. februar 2026 (ledig 5 måneder)"
    )


def test_the_page_takes_the_target_group_from_the_placement_itself(login, consultant, hired):
    # The placements app decides the target group at the start; the page repeats its answer.
    hired.placements.update(in_target_group=False)
    html = login(consultant).get(reverse("citizens:detail", args=[hired.pk])).content.decode()
    assert dd(html, "I målgruppen (ledig over 1 år)").startswith("Var ikke i målgruppen ved ansættelsen den 3. februar 2026")


def test_the_page_of_a_job_seeking_citizen_counts_the_unemployment(login, consultant, seeking):
    html = login(consultant).get(reverse("citizens:detail", args=[seeking.pk])).content.decode()
    assert re.fullmatch(r".+ \(2[56] måneder\)", dd(html, "Ledig siden"))
    assert dd(html, "I målgruppen (ledig over 1 år)") == "Ja"


def test_the_unemployment_counts_again_once_the_placement_has_ended(login, consultant, hired):
    hired.placements.update(end_date=timezone.localdate() - timedelta(days=1))
    Citizen.objects.filter(pk=hired.pk).update(status=Citizen.Status.READY)
    html = login(consultant).get(reverse("citizens:detail", args=[hired.pk])).content.decode()
    assert dd(html, "Ledig siden").startswith("12. december 2018 (")
    assert dd(html, "I målgruppen (ledig over 1 år)") == "Ja"


def test_a_closed_case_shows_the_date_but_no_length(login, consultant, fredericia):
    closed = make_citizen(fredericia, unemployed_since=date(2018, 12, 12), status=Citizen.Status.ENDED)
    html = login(consultant).get(reverse("citizens:detail", args=[closed.pk])).content.decode()
    assert dd(html, "Ledig siden") == "12. december 2018"
    assert dd(html, "I målgruppen (ledig over 1 år)") == "–"


def test_the_page_reads_the_hiring_with_the_placements_in_one_query(login, consultant, hired, employer):
    client = login(consultant)
    url = reverse("citizens:detail", args=[hired.pk])

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    few = queries()
    for year in range(2010, 2016):
        make_placement(hired, employer, start_date=date(year, 1, 1), end_date=date(year, 6, 30))
    assert queries() == few


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_the_hiring_instead_of_a_running_unemployment(login, consultant, hired, hired_early, seeking, fredericia):
    closed = make_citizen(fredericia, consultant=consultant, unemployed_since=date(2018, 12, 12), status=Citizen.Status.ENDED)
    html = login(consultant).get(LIST).content.decode()
    assert row(html, hired)[3:5] == ["Ansat 3. feb. 2026", "Ja, ved ansættelsen"]
    assert row(html, hired_early)[3:5] == ["Ansat 3. feb. 2026", "Nej, ved ansættelsen"]
    since, target_group = row(html, seeking)[3:5]
    assert since != "–" and not since.startswith("Ansat") and target_group == "Ja"
    assert row(html, closed)[3:5] == ["–", "–"]


def test_the_list_reads_the_hirings_in_a_fixed_number_of_queries(login, consultant, fredericia, employer):
    client = login(consultant)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.post(LIST, {"consultant": "mine"}).status_code == 200
        return len(context.captured_queries)

    def add(n):
        for _ in range(n):
            citizen = make_citizen(fredericia, consultant=consultant, unemployed_since=date(2019, 1, 1),
                                   status=Citizen.Status.PLACED)
            make_placement(citizen, employer, start_date=HIRED)

    add(2)
    few = queries()
    add(20)
    assert queries() == few
