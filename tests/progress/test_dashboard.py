"""The dashboard page: who sees it and how, the as-of picker's htmx fragment, the SVG chart,
and a fixed number of queries however many placements there are."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership, Role
from courses.models import Course, Enrolment
from placements.models import Placement
from progress.dashboard import build_dashboard
from tests.factories import make_employer, make_user

from .conftest import APRIL_1

URL = reverse("progress:dashboard")
APRIL = {"municipality": 607, "as_of": "2026-04-01"}


def page(client, **params):
    response = client.get(URL, {**APRIL, **params})
    return response, response.content.decode()


def headline(html):
    """The "N af 164 nye fleksjob" sentence, tags removed."""
    match = re.search(r'<p class="font-lead">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@pytest.fixture
def today_is_1_april(monkeypatch):
    """Leaders always see today's figures (no as-of picker): make today 1 April."""
    import progress.views

    monkeypatch.setattr(progress.views.timezone, "localdate", lambda *args: date(2026, 4, 1))


@pytest.fixture
def six(target, hire, private_employer, public_employer, social_employer):
    """Six new flex jobs by 1 April: 3 private (1 social-economic), 3 public, 1 ended."""
    hire(date(2026, 1, 5), employer=private_employer)
    hire(date(2026, 1, 20), employer=private_employer, end_date=date(2026, 3, 1))
    hire(date(2026, 2, 3), employer=social_employer)
    for day in (2, 9, 16):
        hire(date(2026, 3, day), employer=public_employer)
    hire(date(2026, 4, 2), employer=public_employer)  # after the as-of date


@pytest.mark.parametrize("user", ["manager", "consultant", "admin_user"])
def test_it_shows_the_figures_in_full_to_managers_consultants_and_admins(request, login, six, user):
    response, html = page(login(request.getfixturevalue(user)))
    assert response.status_code == 200
    assert headline(html) == "6 af 164 nye fleksjob (4 %) pr. 1. april 2026"
    assert response.context["d"].masked is False
    assert "export.csv" in html and "export.xlsx" in html and "status.pdf" in html


def test_it_shows_the_breakdown_tables(login, manager, six):
    response, html = page(login(manager))
    rows = {str(row.label): row.value for row in response.context["d"].rows}
    assert rows["Private virksomheder"] == 3
    assert rows["heraf socialøkonomiske virksomheder"] == 1
    assert rows["Offentlige arbejdspladser"] == 3
    assert rows["Stadig i job"] == 5
    assert rows["Afsluttet"] == 1
    assert "Pr. virksomhed" in html and "Pr. branche" in html and "Prognose" in html
    assert "Fredericia Kommune, Ældreplejen" in html


def test_it_shows_the_leader_the_figures_with_counts_under_5_hidden(login, leader, six, today_is_1_april):
    response, html = page(login(leader))
    assert response.status_code == 200
    data = response.context["d"]
    assert data.masked is True
    assert headline(html) == "6 af 164 nye fleksjob (4 %) pr. 1. april 2026"
    rows = {str(row.label): row.value for row in data.rows}
    # 3 private (1 social-economic) and 3 public of 6: the whole sector unit reads "–".
    assert rows["Private virksomheder"] == rows["Offentlige arbejdspladser"] == "–"
    # 6 in all, 1 ended: showing the 5 still in the job would give the 1 away, so both read "–".
    assert (rows["Stadig i job"], rows["Afsluttet"]) == ("–", "–")
    # No table per employer or industry for leaders.
    assert data.employers == [] and data.industries == []
    assert "Pr. virksomhed" not in html and "Pr. branche" not in html
    assert data.monthly_rows == []  # no month's count, not even in a table for screen readers
    assert data.chart.bars == []  # a bar per month would draw the hidden monthly counts
    assert "“–”" in html


def test_it_hides_a_total_under_5_from_the_leader_everywhere(login, leader, target, hire, today_is_1_april):
    for day in (5, 6, 7):
        hire(date(2026, 1, day))
    response, html = page(login(leader))
    assert headline(html) == "under 5 af 164 nye fleksjob pr. 1. april 2026"
    # Neither the remaining count, the percentage, the progress bar nor the chart's text gives it away.
    assert "161" not in html
    assert 'value="3"' not in html
    assert "(3 i alt)" not in html
    assert response.context["d"].monthly_rows == [] and response.context["d"].chart is None


def test_it_shows_the_leader_no_export_links(login, leader, six):
    _response, html = page(login(leader))
    for name in ("export_csv", "export_xlsx", "status_pdf"):
        assert reverse(f"progress:{name}") not in html


def test_it_shows_the_leader_zero_as_zero(login, leader, target, today_is_1_april):
    response, html = page(login(leader))
    assert headline(html) == "0 af 164 nye fleksjob (0 %) pr. 1. april 2026"
    assert all(row.value == 0 for row in response.context["d"].rows)


def test_it_shows_an_outsider_404(login, outsider, six):
    response, _html = page(login(outsider))
    assert response.status_code == 404


def test_it_gives_404_for_another_municipalitys_code(login, manager, six, odense):
    response, _html = page(login(manager), municipality=461)
    assert response.status_code == 404


def test_it_gives_404_for_a_code_that_is_not_a_number(login, manager, six):
    response, _html = page(login(manager), municipality="607x")
    assert response.status_code == 404


def test_it_shows_the_users_municipality_without_a_code(login, manager, six):
    response = login(manager).get(URL, {"as_of": "2026-04-01"})
    assert response.context["d"].municipality.code == 607
    assert response.context["d"].progress.new_flex_jobs == 6


def test_it_shows_a_user_with_two_municipalities_the_one_asked_for(login, manager, six, odense):
    Membership.objects.create(user=manager, municipality=odense, role=Role.MANAGER)
    response, html = page(login(manager), municipality=461)
    assert response.status_code == 200
    assert "Kommunen har endnu ikke et mål for perioden." in html


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, six):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_defaults_the_as_of_date_to_today(login, manager, target):
    from django.utils import timezone

    response = login(manager).get(URL)
    assert response.context["d"].as_of == timezone.localdate()


def test_it_shows_today_when_the_as_of_date_is_not_a_date(login, manager, target):
    from django.utils import timezone

    response, _html = page(login(manager), as_of="1. april")
    assert response.status_code == 200
    assert response.context["d"].as_of == timezone.localdate()


def test_it_returns_only_the_figures_to_the_htmx_as_of_picker(login, manager, six):
    response = login(manager).get(URL, {**APRIL, "as_of": "2026-02-01"}, headers={"HX-Request": "true"})
    html = response.content.decode().strip()
    assert response.status_code == 200
    assert html.startswith('<section id="figures"')
    assert html.endswith("</section>")
    assert "<html" not in html and "<form" not in html
    assert headline(html) == "2 af 164 nye fleksjob (1 %) pr. 1. februar 2026"


def test_it_serves_the_same_figures_in_the_page_and_the_fragment(login, manager, six):
    client = login(manager)
    _response, full = page(client)
    fragment = client.get(URL, APRIL, headers={"HX-Request": "true"}).content.decode()
    assert fragment.strip() in full


def test_it_draws_the_chart_as_svg_with_a_title_and_a_table_of_the_numbers(login, manager, six):
    _response, html = page(login(manager))
    svg = re.search(r'<svg[^>]*class="chart-svg".*?</svg>', html, re.S).group(0)
    assert re.search(r"<title[^>]*>[^<]+</title>", svg)
    assert 'role="img"' in svg
    assert "<polyline" in svg
    table = re.search(r"<caption>Nye fleksjob pr. måned</caption>(.*?)</table>", html, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", table)]
    assert cells == [
        "januar 2026", "2", "2", "14",
        "februar 2026", "1", "3", "27",
        "marts 2026", "3", "6", "41",
        "april 2026", "0", "6", "55",
    ]  # fmt: skip


def test_it_has_no_inline_script_or_event_handler(login, manager, six):
    _response, html = page(login(manager))
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the page loads its scripts from files"
    assert all("src=" in tag for tag in scripts)
    assert not re.search(r"<script\b[^>]*>(?!</script>)", html)
    assert not re.search(r"\son[a-z]+\s*=", html)


def test_it_says_when_the_municipality_has_no_target(login, manager, fredericia):
    response, html = page(login(manager))
    assert response.status_code == 200
    assert response.context["d"].progress is None
    assert "Kommunen har endnu ikke et mål for perioden." in html


def test_it_shows_the_forecast(login, manager, six):
    _response, html = page(login(manager))
    forecast = re.sub(r"<[^>]+>", "", re.search(r'<ul class="forecast">(.*?)</ul>', html, re.S).group(1))
    assert "Tempo indtil nu: 2,0 nye fleksjob om måneden." in forecast
    assert "efter periodens udløb" in forecast
    assert "158 mangler" in forecast


def _placements(municipality, hire, n, employers):
    for i in range(n):
        hire(date(2026, 1 + i % 3, 1 + i % 28), employer=employers[i % len(employers)], end_date=None)


def _dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, APRIL)
    assert response.status_code == 200
    return len(queries)


def _course(municipality, placements):
    course = Course.objects.create(municipality=municipality, title="Forløb", start_date=date(2026, 1, 1))
    for placement in placements:
        Enrolment.objects.create(course=course, citizen=placement.citizen, status="completed")


def test_it_issues_the_same_number_of_queries_for_5_and_50_placements(login, manager, target, hire, fredericia):
    client = login(manager)
    few = [make_employer(fredericia, name="A", industry="Pleje")]
    _placements(fredericia, hire, 5, few)
    _course(fredericia, Placement.objects.all()[:2])
    with_5 = _dashboard_queries(client)
    many = [make_employer(fredericia, name=f"V{i}", industry=f"Branche {i % 4}", size="small") for i in range(8)]
    _placements(fredericia, hire, 45, many)
    for i in range(3):
        _course(fredericia, Placement.objects.all()[i * 10 : i * 10 + 10])
    with_50 = _dashboard_queries(client)
    assert with_5 == with_50
    data = build_dashboard(fredericia, APRIL_1, masked=False)
    assert (data.progress.new_flex_jobs, len(data.employers), len(data.industries), len(data.courses)) == (50, 9, 5, 4)


def test_it_builds_the_dashboard_in_a_fixed_number_of_queries(target, hire, fredericia, django_assert_num_queries):
    employers = [make_employer(fredericia, name=f"V{i}", industry=f"B{i}") for i in range(5)]
    _placements(fredericia, hire, 20, employers)
    # the target; the kept figures per day (figures, months, retention's eligible), their ends (still
    # running, retention), their industries; the employers with the most (counted, then read); the
    # latest courses; the stored figures' development
    with django_assert_num_queries(8):
        build_dashboard(fredericia, APRIL_1, masked=False)
    # A leader sees no development.
    with django_assert_num_queries(7):
        build_dashboard(fredericia, APRIL_1, masked=True)


def test_it_shows_a_leader_of_another_municipality_404(login, six, odense):
    other_leader = make_user("leder-odense", odense, Role.LEADER)
    response, _html = page(login(other_leader))
    assert response.status_code == 404


def test_it_restores_the_whole_page_when_htmx_goes_back_in_history(login, manager, target):
    response = login(manager).get(
        "/dashboard/?as_of=2026-04-01", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert b"<html" in response.content
    assert "HX-Request" in response["Vary"]


def test_it_lets_a_user_of_two_municipalities_switch_between_them(client, admin_user, fredericia, odense):
    client.force_login(admin_user)
    html = client.get("/dashboard/?municipality=607").content.decode()
    assert 'name="municipality" id="id_municipality"' in html
    assert '<option value="461">Odense</option>' in html
    assert "Fremdrift i Odense" in client.get("/dashboard/?municipality=461").content.decode()


def test_it_offers_no_switch_to_a_user_of_one_municipality(login, manager, fredericia, odense):
    html = login(manager).get("/dashboard/").content.decode()
    assert 'id="id_municipality"' not in html
