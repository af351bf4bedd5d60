"""The import page: consultants upload files and read the report; leaders and managers are
turned away; the report shows lines, columns and reasons, never a full CPR number."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Membership, Role
from audit.models import AccessLog
from citizens.models import Citizen
from placements.models import Placement
from tests.factories import make_citizen, make_employer

from .conftest import CITIZEN_HEADER, PLACEMENT_HEADER, assert_no_full_cpr, upload
from tests.factories import make_cpr_with_modulus11

INDEX = "/imports/"
CITIZENS = "/imports/citizens/"
PLACEMENTS = "/imports/placements/"


def post_citizens(client, rows, name="borgere.csv", dry_run=False, **options):
    data = {"citizens-file": upload(rows, name, **options)}
    if dry_run:
        data["citizens-dry_run"] = "on"
    return client.post(CITIZENS, data)


def test_it_shows_a_consultant_both_upload_forms(login, consultant):
    response = login(consultant).get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="citizens-file"' in html and 'name="placements-file"' in html
    assert 'enctype="multipart/form-data"' in html and 'accept=".csv,.xlsx"' in html
    # One municipality: the placements form does not ask which.
    assert 'type="hidden" name="placements-municipality"' in html


@pytest.mark.parametrize("who", ["leader", "manager"])
@pytest.mark.parametrize("method, url", [("get", INDEX), ("post", CITIZENS), ("post", PLACEMENTS)])
def test_it_turns_leaders_and_managers_away(request, login, who, method, url):
    client = login(request.getfixturevalue(who))
    assert getattr(client, method)(url).status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(INDEX)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_it_imports_an_uploaded_citizens_file_and_shows_the_counts(login, consultant, fredericia):
    number = make_cpr_with_modulus11()
    response = post_citizens(login(consultant), [CITIZEN_HEADER + ["consultant"], [number, "Anne", "Jensen", "607", "konsulent"]])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Filen er importeret" in html and "Oprettet: 1, ændret: 0, uændret: 0." in html
    citizen = Citizen.objects.with_cpr(number).get()
    assert citizen.consultant == consultant
    assert AccessLog.objects.filter(user=consultant, action="create", purpose="import").count() == 1
    assert_no_full_cpr(html, number)


def test_it_shows_every_bad_line_in_a_table_and_saves_nothing(login, consultant, fredericia, odense):
    numbers = [make_cpr_with_modulus11(), make_cpr_with_modulus11(passes=False), make_cpr_with_modulus11()]
    response = post_citizens(login(consultant), [
        CITIZEN_HEADER + ["weekly_hours"],
        [numbers[0], "A", "B", "607", "5"],
        [numbers[1], "C", "D", "461", "5"],
        [numbers[2], "E", "F", "607", "7,5"],
    ], delimiter=";", bom=True)
    html = response.content.decode()
    assert "Filen er ikke importeret" in html and "og intet er gemt" in html
    assert "<td>3</td>" in html and "<code>municipality</code>" in html
    assert "Du kan ikke importere borgere til kommune 461." in html
    assert "modulus 11" in html  # the warning is listed too
    assert not Citizen.objects.exists()
    assert_no_full_cpr(html, *numbers)


def test_it_checks_a_file_without_saving_it_when_asked(login, consultant, fredericia):
    response = post_citizens(login(consultant), [CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]], dry_run=True)
    assert "Filen er kontrolleret" in response.content.decode()
    assert not Citizen.objects.exists()


def test_it_refuses_other_file_types_in_danish(login, consultant, fredericia):
    client = login(consultant)
    response = client.post(CITIZENS, {"citizens-file": SimpleUploadedFile("borgere.xls", b"cpr\n")})
    assert "Filen skal være en CSV-fil (.csv) eller et Excel-regneark (.xlsx)." in response.content.decode()
    response = client.post(CITIZENS, {})
    assert "Vælg en fil." in response.content.decode()


def test_it_refuses_a_file_over_10_mb(login, consultant, fredericia):
    big = SimpleUploadedFile("borgere.csv", b"cpr,first_name,last_name,municipality\n" + b" " * (10 * 1024 * 1024))
    response = login(consultant).post(CITIZENS, {"citizens-file": big})
    assert "Filen er for stor. Den må højst fylde 10 MB." in response.content.decode()


def test_it_imports_an_uploaded_excel_file_of_placements(login, consultant, fredericia, citizen, employer):
    response = login(consultant).post(PLACEMENTS, {
        "placements-municipality": fredericia.pk,
        "placements-file": upload([
            PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, None, None, "fleksjob", 7.5, date(2026, 2, 1), None],
        ], "ansaettelser.xlsx"),
    })
    assert "Oprettet: 1," in response.content.decode()
    assert Placement.objects.get().citizen == citizen


def test_it_asks_a_consultant_of_several_municipalities_which_one(login, consultant, fredericia, odense):
    Membership.objects.create(user=consultant, municipality=odense, role=Role.CONSULTANT)
    client = login(consultant)
    html = client.get(INDEX).content.decode()
    assert '<select name="placements-municipality"' in html
    citizen, employer = make_citizen(odense), make_employer(odense)
    rows = [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", "praktik", "10", "2026-02-01", ""]]
    response = client.post(PLACEMENTS, {"placements-municipality": fredericia.pk, "placements-file": upload(rows)})
    assert "Der findes ingen borger med CPR-nummeret" in response.content.decode()
    response = client.post(PLACEMENTS, {"placements-municipality": odense.pk, "placements-file": upload(rows)})
    assert "Oprettet: 1," in response.content.decode()


def test_it_refuses_another_municipality_in_the_placements_form(login, consultant, fredericia, odense, other_citizen, other_employer):
    rows = [PLACEMENT_HEADER, [other_citizen.reveal_cpr(), other_employer.cvr, "", "", "praktik", "10", "2026-02-01", ""]]
    response = login(consultant).post(PLACEMENTS, {"placements-municipality": odense.pk, "placements-file": upload(rows)})
    assert "Marker en gyldig valgmulighed" in response.content.decode()
    assert not Placement.objects.exists()


def test_it_answers_htmx_with_the_forms_region_only(login, consultant, fredericia):
    response = login(consultant).post(
        CITIZENS, {"citizens-file": upload([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]])}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="citizens-import">')
    assert "<html" not in html and "Oprettet: 1," in html


def test_it_has_no_inline_script_even_with_a_report(login, consultant, fredericia):
    from tests.browser.test_no_inline_scripts import inline_script_problems

    client = login(consultant)
    assert inline_script_problems(client.get(INDEX)).problems == []
    response = post_citizens(client, [CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "999"]])
    assert inline_script_problems(response).problems == []
