"""The import page: consultants upload a file, which is queued as a job, and are sent to the
job's page (POST/redirect/GET), where the report appears; leaders and managers are turned
away; the report shows lines, columns and reasons, never a full CPR number.

Without REDIS_URL the job runs in-process as soon as the upload is committed, so the page the
upload leads to shows the report at once (`post_and_run`)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Membership, Role
from audit.models import AccessLog
from citizens.models import Citizen
from imports.models import ImportJob
from placements.models import Placement
from tests.factories import make_citizen, make_cpr_with_modulus11, make_employer

from .conftest import CITIZEN_HEADER, PLACEMENT_HEADER, assert_no_full_cpr, stored_files, upload

INDEX = "/imports/"
CITIZENS = "/imports/citizens/"
PLACEMENTS = "/imports/placements/"


def citizens_data(rows, name="borgere.csv", dry_run=False, **options):
    data = {"citizens-file": upload(rows, name, **options)}
    if dry_run:
        data["citizens-dry_run"] = "on"
    return data


def test_it_shows_a_consultant_both_upload_forms(login, consultant):
    response = login(consultant).get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="citizens-file"' in html and 'name="placements-file"' in html
    assert 'enctype="multipart/form-data"' in html and 'accept=".csv,.xlsx"' in html
    # One municipality: the placements form does not ask which.
    assert 'type="hidden" name="placements-municipality"' in html
    assert "Dine seneste importer" not in html


@pytest.mark.parametrize("who", ["leader", "manager"])
@pytest.mark.parametrize("method, url", [("get", INDEX), ("post", CITIZENS), ("post", PLACEMENTS)])
def test_it_turns_leaders_and_managers_away(request, login, who, method, url):
    client = login(request.getfixturevalue(who))
    assert getattr(client, method)(url).status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(INDEX)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_it_stores_the_upload_queues_a_job_and_redirects_to_its_page(login, consultant, fredericia, media):
    number = make_cpr_with_modulus11()
    response = login(consultant).post(CITIZENS, citizens_data([CITIZEN_HEADER, [number, "Anne", "Jensen", "607"]]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/jobs/{job.pk}/"
    assert (job.uploader, job.kind, job.municipality, job.dry_run) == (consultant, "citizens", None, False)
    assert (job.state, job.original_name, job.attempts) == ("queued", "borgere.csv", 0)
    # The upload waits in the storage under a name of no meaning; nothing is imported yet
    # (the job runs once the upload is committed).
    assert stored_files(media) == [job.file_name.split("/")[-1]] and job.file_name.endswith(".csv")
    assert number not in job.file_name and not Citizen.objects.exists()


def test_it_imports_an_uploaded_citizens_file_and_shows_the_counts(login, consultant, fredericia, post_and_run, media):
    number = make_cpr_with_modulus11()
    response = post_and_run(
        login(consultant), CITIZENS, citizens_data([CITIZEN_HEADER + ["consultant"], [number, "Anne", "Jensen", "607", "konsulent"]])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Filen er importeret" in html and "Oprettet: 1, ændret: 0, uændret: 0." in html
    assert "hx-trigger" not in html  # done: nothing left to ask for
    citizen = Citizen.objects.with_cpr(number).get()
    assert citizen.consultant == consultant
    assert AccessLog.objects.filter(user=consultant, action="create", purpose="import").count() == 1
    assert_no_full_cpr(html, number)
    job = ImportJob.objects.get()
    assert (job.state, job.report["created"], job.file_name) == ("done", 1, "")
    assert stored_files(media) == []  # the upload holds CPR numbers: gone once imported


def test_it_shows_every_bad_line_in_a_table_and_saves_nothing(login, consultant, fredericia, odense, post_and_run):
    numbers = [make_cpr_with_modulus11(), make_cpr_with_modulus11(passes=False), make_cpr_with_modulus11()]
    response = post_and_run(login(consultant), CITIZENS, citizens_data([
        CITIZEN_HEADER + ["weekly_hours"],
        [numbers[0], "A", "B", "607", "5"],
        [numbers[1], "C", "D", "461", "5"],
        [numbers[2], "E", "F", "607", "7,5"],
    ], delimiter=";", bom=True))
    html = response.content.decode()
    assert "Filen er ikke importeret" in html and "og intet er gemt" in html
    assert "<td>3</td>" in html and "<code>municipality</code>" in html
    assert "Du kan ikke importere borgere til kommune 461." in html
    assert "modulus 11" in html  # the warning is listed too
    assert not Citizen.objects.exists()
    assert_no_full_cpr(html, *numbers)
    assert_no_full_cpr(str(ImportJob.objects.get().report), *numbers)


def test_it_checks_a_file_without_saving_it_when_asked(login, consultant, fredericia, post_and_run, media):
    response = post_and_run(
        login(consultant), CITIZENS, citizens_data([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]], dry_run=True)
    )
    html = response.content.decode()
    assert "Filen er kontrolleret" in html and "Ville blive oprettet: 1" in html
    assert not Citizen.objects.exists()
    job = ImportJob.objects.get()
    assert (job.dry_run, job.state, job.report["saved"]) == (True, "done", False)
    assert stored_files(media) == []


def test_it_imports_the_same_file_twice_without_creating_anything_the_second_time(login, consultant, fredericia, post_and_run):
    rows = [CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"], [make_cpr_with_modulus11(), "C", "D", "607"]]
    client = login(consultant)
    assert "Oprettet: 2, ændret: 0, uændret: 0." in post_and_run(client, CITIZENS, citizens_data(rows)).content.decode()
    assert "Oprettet: 0, ændret: 0, uændret: 2." in post_and_run(client, CITIZENS, citizens_data(rows)).content.decode()
    assert Citizen.objects.count() == 2


def test_it_refuses_other_file_types_in_danish_and_queues_nothing(login, consultant, fredericia, media):
    client = login(consultant)
    response = client.post(CITIZENS, {"citizens-file": SimpleUploadedFile("borgere.xls", b"cpr\n")})
    assert response.status_code == 200
    assert "Filen skal være en CSV-fil (.csv) eller et Excel-regneark (.xlsx)." in response.content.decode()
    response = client.post(CITIZENS, {})
    assert "Vælg en fil." in response.content.decode()
    assert not ImportJob.objects.exists() and stored_files(media) == []


def test_it_refuses_a_file_over_10_mb(login, consultant, fredericia, media):
    big = SimpleUploadedFile("borgere.csv", b"cpr,first_name,last_name,municipality\n" + b" " * (10 * 1024 * 1024))
    response = login(consultant).post(CITIZENS, {"citizens-file": big})
    assert "Filen er for stor. Den må højst fylde 10 MB." in response.content.decode()
    assert not ImportJob.objects.exists() and stored_files(media) == []


def test_it_imports_an_uploaded_excel_file_of_placements(login, consultant, fredericia, citizen, employer, post_and_run):
    response = post_and_run(login(consultant), PLACEMENTS, {
        "placements-municipality": fredericia.pk,
        "placements-file": upload([
            PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, None, None, "fleksjob", 7.5, date(2026, 2, 1), None],
        ], "ansaettelser.xlsx"),
    })
    html = response.content.decode()
    assert "Import af ansættelser" in html and "ansaettelser.xlsx" in html and "Fredericia" in html
    assert "Oprettet: 1," in html
    assert Placement.objects.get().citizen == citizen
    job = ImportJob.objects.get()
    assert (job.kind, job.municipality, job.file_name) == ("placements", fredericia, "")


def test_it_asks_a_consultant_of_several_municipalities_which_one(login, consultant, fredericia, odense, post_and_run):
    Membership.objects.create(user=consultant, municipality=odense, role=Role.CONSULTANT)
    client = login(consultant)
    html = client.get(INDEX).content.decode()
    assert '<select name="placements-municipality"' in html
    citizen, employer = make_citizen(odense), make_employer(odense)
    rows = [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", "praktik", "10", "2026-02-01", ""]]
    response = post_and_run(client, PLACEMENTS, {"placements-municipality": fredericia.pk, "placements-file": upload(rows)})
    assert "Der findes ingen borger med CPR-nummeret" in response.content.decode()
    response = post_and_run(client, PLACEMENTS, {"placements-municipality": odense.pk, "placements-file": upload(rows)})
    assert "Oprettet: 1," in response.content.decode()


def test_it_refuses_another_municipality_in_the_placements_form(login, consultant, fredericia, odense, other_citizen, other_employer):
    rows = [PLACEMENT_HEADER, [other_citizen.reveal_cpr(), other_employer.cvr, "", "", "praktik", "10", "2026-02-01", ""]]
    response = login(consultant).post(PLACEMENTS, {"placements-municipality": odense.pk, "placements-file": upload(rows)})
    assert "Marker en gyldig valgmulighed" in response.content.decode()
    assert not Placement.objects.exists() and not ImportJob.objects.exists()


def test_it_answers_htmx_with_the_form_s_region_when_the_form_has_errors(login, consultant, fredericia):
    response = login(consultant).post(CITIZENS, {}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="citizens-import">')
    assert "<html" not in html and "Vælg en fil." in html


def test_it_sends_htmx_on_to_the_job_s_page(login, consultant, fredericia):
    data = citizens_data([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]])
    response = login(consultant).post(CITIZENS, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/imports/jobs/{ImportJob.objects.get().pk}/"


def test_it_lists_the_consultant_s_own_latest_jobs(login, consultant, outsider, fredericia, odense, post_and_run, django_assert_num_queries):
    client = login(consultant)
    post_and_run(client, CITIZENS, citizens_data([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]], name="første.csv"))
    with django_assert_num_queries(7):
        html = client.get(INDEX).content.decode()
    assert "Dine seneste importer" in html and "første.csv" in html and "Importeret" in html
    post_and_run(client, CITIZENS, citizens_data([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "999"]], name="anden.csv"))
    post_and_run(login(outsider), CITIZENS, citizens_data([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "461"]], name="odense.csv"))
    client = login(consultant)
    with django_assert_num_queries(7):
        html = client.get(INDEX).content.decode()
    assert "anden.csv" in html and "Fejl i filen" in html
    assert "odense.csv" not in html
    for job in ImportJob.objects.filter(uploader=consultant):
        assert f'href="/imports/jobs/{job.pk}/"' in html


def test_it_has_no_inline_script_even_with_a_report(login, consultant, fredericia, post_and_run):
    from tests.browser.test_no_inline_scripts import inline_script_problems

    client = login(consultant)
    assert inline_script_problems(client.get(INDEX)).problems == []
    response = post_and_run(client, CITIZENS, citizens_data([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "999"]]))
    assert inline_script_problems(response).problems == []
