"""An import job's page: its progress while it waits and runs (htmx asks for the #job region
every second; without JavaScript an "Opdater" link does), then the same report as the import
page showed before; only the uploader sees it."""

import pytest
from django.urls import reverse

from imports.report import ImportReport
from tests.factories import make_user

from .conftest import make_job


def url(job):
    return f"/imports/jobs/{job.pk}/"


def report_with_errors(count):
    report = ImportReport("citizens")
    for line in range(2, count + 2):
        report.error(line, "municipality", "Kommunekoden 999 findes ikke.")
    return report.as_dict()


def test_it_tells_that_a_queued_file_waits_and_keeps_asking(login, consultant, fredericia):
    job = make_job(consultant)
    response = login(consultant).get(url(job))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Filen venter på at blive importeret" in html and "Filen går ikke tabt" in html
    assert f'hx-get="{url(job)}" hx-trigger="every 1s" hx-swap="outerHTML"' in html
    # Without JavaScript: a plain link to the same page.
    assert f'href="{url(job)}" class="function-link">Opdater</a>' in html
    assert "<progress" in html and "Import af borgere" in html and "borgere.csv" in html


def test_it_tells_that_an_interrupted_job_starts_over(login, consultant, fredericia):
    job = make_job(consultant, attempts=1)
    html = login(consultant).get(url(job)).content.decode()
    assert "Importen blev afbrudt og starter forfra" in html and "Intet er gemt endnu" in html


def test_it_shows_a_file_being_checked_before_its_rows_are_saved(login, consultant, fredericia):
    job = make_job(consultant, state="running", total=4000)
    html = login(consultant).get(url(job)).content.decode()
    assert "Filen har 4.000 rækker. De kontrolleres nu." in html
    assert "<progress" in html and "hx-trigger" in html


def test_it_shows_how_many_rows_are_saved_on_a_progress_bar(login, consultant, fredericia):
    job = make_job(consultant, state="running", progress=1200, total=4000)
    html = login(consultant).get(url(job)).content.decode()
    assert '<label class="form-label" for="import-progress">Række 1.200 af 4.000</label>' in html
    assert '<progress id="import-progress" max="4000" value="1200"></progress>' in html
    assert "Rækkerne gemmes" in html and "hx-trigger" in html


def test_it_shows_how_many_rows_are_checked_in_a_dry_run(login, consultant, fredericia):
    job = make_job(consultant, state="running", progress=200, total=300, dry_run=True)
    html = login(consultant).get(url(job)).content.decode()
    assert "Række 200 af 300" in html and "Intet bliver gemt" in html and "kontrolleres kun" in html


def test_it_answers_htmx_with_the_job_s_region_only(login, consultant, fredericia):
    job = make_job(consultant, state="running", progress=200, total=400)
    html = login(consultant).get(url(job), HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith(f'<div id="import-job" hx-get="{url(job)}" hx-trigger="every 1s"')
    assert "<html" not in html and "Række 200 af 400" in html


def test_it_shows_the_report_when_done_and_stops_asking(login, consultant, fredericia):
    report = ImportReport("citizens", created=3, updated=1)
    job = make_job(consultant, state="done", report=report.as_dict(), progress=4, total=4)
    client = login(consultant)
    for response in (client.get(url(job)), client.get(url(job), HTTP_HX_REQUEST="true")):
        html = response.content.decode()
        assert "Filen er importeret" in html and "Oprettet: 3, ændret: 1, uændret: 0." in html
        assert "hx-trigger" not in html and "<progress" not in html and "Opdater" not in html


def test_it_shows_a_failed_job_s_reason(login, consultant, fredericia):
    report = ImportReport("citizens")
    report.error(None, "", "Filen findes ikke længere. Intet er gemt: indlæs filen igen.")
    job = make_job(consultant, state="failed", report=report.as_dict())
    html = login(consultant).get(url(job)).content.decode()
    assert "Importen blev ikke gennemført" in html and "Filen findes ikke længere" in html
    assert "hx-trigger" not in html


def test_it_shows_a_job_to_its_uploader_only(client, login, consultant, outsider, admin_user, fredericia):
    job = make_job(consultant)
    colleague = make_user("kollega", fredericia, "consultant")
    for other in (colleague, outsider, admin_user):
        assert login(other).get(url(job)).status_code == 404
    assert login(consultant).get(f"/imports/jobs/{job.pk + 1}/").status_code == 404


@pytest.mark.parametrize("who", ["leader", "manager"])
def test_it_turns_leaders_and_managers_away(request, login, consultant, who):
    job = make_job(consultant)
    assert login(request.getfixturevalue(who)).get(url(job)).status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, consultant):
    response = client.get(url(make_job(consultant)))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_it_refuses_to_change_a_job_by_post(login, consultant):
    assert login(consultant).post(url(make_job(consultant))).status_code == 405


# The session, the user, their roles and the job; the whole page also asks for the menu.
@pytest.mark.parametrize("htmx, queries", [(False, 5), (True, 4)])
def test_it_reads_a_job_in_as_many_queries_however_long_its_report(login, consultant, fredericia, htmx, queries, django_assert_num_queries):
    client = login(consultant)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for errors in (1, 200):
        job = make_job(consultant, kind="placements", municipality=fredericia, state="done", report=report_with_errors(errors))
        with django_assert_num_queries(queries):
            html = client.get(url(job), **headers).content.decode()
        assert html.count("Kommunekoden 999 findes ikke.") == errors


def test_it_has_no_inline_script_while_it_polls(login, consultant, fredericia):
    from tests.browser.test_no_inline_scripts import inline_script_problems

    job = make_job(consultant, state="running", progress=200, total=400)
    assert inline_script_problems(login(consultant).get(url(job))).problems == []
