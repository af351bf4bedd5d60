"""The citizens' responsible consultant on an import: chosen on the upload form (the importer
by default, among the active consultants of the importer's municipalities), kept on the job,
and given to every citizen the file creates or finds without one; a row that names a
consultant keeps its own, and a citizen who has one keeps them. The command line takes
`--consultant USERNAME` (none by default, as before)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.access import CASEWORK_ROLES, municipalities_for
from accounts.models import Membership, Role
from citizens.models import Citizen
from imports.models import ImportJob
from imports.services import citizens_import
from tests.factories import make_citizen, make_cpr_with_modulus11, make_user

from .conftest import CITIZEN_HEADER, source, upload

INDEX = "/imports/"
CITIZENS = "/imports/citizens/"


@pytest.fixture
def colleague(fredericia):
    return make_user("kollega", fredericia, Role.CONSULTANT, first_name="Carl", last_name="Kollega")


def run(user, rows, consultant, dry_run=False):
    return citizens_import(
        user=user,
        source=source(rows),
        filename="borgere.csv",
        municipalities=municipalities_for(user, CASEWORK_ROLES),
        consultant=consultant,
        dry_run=dry_run,
    )


def errors(report):
    return [(issue.line, issue.column, issue.message) for issue in report.sorted_errors()]


def consultant_options(html):
    select = re.search(r'<select[^>]*name="citizens-consultant".*?</select>', html, re.S).group(0)
    return dict(
        (value, "selected" in attrs)
        for value, attrs in re.findall(r'<option value="([^"]*)"([^>]*)>', select)
    )


# --- The upload form --------------------------------------------------------------------------


def test_it_offers_the_active_consultants_of_the_importers_municipality_with_the_importer_chosen(
    login, consultant, colleague, outsider, leader, manager, fredericia
):
    gone = make_user("tidligere", fredericia, Role.CONSULTANT, is_active=False)
    options = consultant_options(login(consultant).get(INDEX).content.decode())
    assert set(options) == {"", str(consultant.pk), str(colleague.pk)}
    assert options[str(consultant.pk)] is True and options[str(colleague.pk)] is False
    # Never a consultant of another municipality, a former consultant, a leader or a manager.
    for user in (outsider, gone, leader, manager):
        assert str(user.pk) not in options


def test_it_keeps_the_chosen_consultant_on_the_job_and_gives_them_the_new_citizens(
    login, consultant, colleague, fredericia, post_and_run
):
    numbers = [make_cpr_with_modulus11() for _ in range(3)]
    rows = [CITIZEN_HEADER] + [[number, "A", "B", "607"] for number in numbers]
    response = post_and_run(
        login(consultant), CITIZENS, {"citizens-file": upload(rows), "citizens-consultant": colleague.pk}
    )
    assert "Filen er importeret" in response.content.decode()
    assert "ansvarlig konsulent Carl Kollega" in response.content.decode()
    assert ImportJob.objects.get().consultant == colleague
    assert [c.consultant for c in Citizen.objects.all()] == [colleague] * 3


def test_it_gives_the_importer_the_citizens_when_the_form_is_left_as_it_opens(
    login, consultant, fredericia, post_and_run
):
    client = login(consultant)
    html = client.get(INDEX).content.decode()
    chosen = [value for value, selected in consultant_options(html).items() if selected]
    number = make_cpr_with_modulus11()
    post_and_run(
        client,
        CITIZENS,
        {"citizens-file": upload([CITIZEN_HEADER, [number, "A", "B", "607"]]), "citizens-consultant": chosen[0]},
    )
    assert Citizen.objects.with_cpr(number).get().consultant == consultant


def test_it_imports_without_a_consultant_when_none_is_chosen(login, consultant, fredericia, post_and_run):
    post_and_run(
        login(consultant),
        CITIZENS,
        {"citizens-file": upload([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]]), "citizens-consultant": ""},
    )
    assert ImportJob.objects.get().consultant is None
    assert Citizen.objects.get().consultant is None


def test_it_refuses_a_consultant_of_another_municipality_and_keeps_nothing(login, consultant, outsider, fredericia, media):
    response = login(consultant).post(
        CITIZENS,
        {"citizens-file": upload([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]]), "citizens-consultant": outsider.pk},
    )
    assert response.status_code == 200
    assert response.context["citizen_form"].errors["consultant"]
    assert not ImportJob.objects.exists() and not Citizen.objects.exists()


# --- The rule, for every way in ---------------------------------------------------------------


def test_a_row_naming_a_consultant_keeps_its_own(consultant, colleague, fredericia):
    number = make_cpr_with_modulus11()
    report = run(consultant, [CITIZEN_HEADER + ["consultant"], [number, "A", "B", "607", "konsulent"]], colleague)
    assert report.ok
    assert Citizen.objects.with_cpr(number).get().consultant == consultant


def test_it_gives_a_citizen_without_a_consultant_one_and_leaves_a_colleagues_citizen_alone(
    consultant, colleague, fredericia
):
    without = make_citizen(fredericia, cpr=make_cpr_with_modulus11())
    theirs = make_citizen(fredericia, cpr=make_cpr_with_modulus11(), consultant=consultant)
    rows = [CITIZEN_HEADER, [without.reveal_cpr(), "Anne", "Jensen", "607"], [theirs.reveal_cpr(), "Anne", "Jensen", "607"]]
    report = run(consultant, rows, colleague)
    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 1, 1)
    without.refresh_from_db()
    theirs.refresh_from_db()
    assert (without.consultant, theirs.consultant) == (colleague, consultant)
    # The same file again changes nothing.
    again = run(consultant, rows, colleague)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_it_refuses_the_rows_of_a_municipality_where_the_chosen_consultant_does_not_work(
    consultant, colleague, fredericia, odense
):
    Membership.objects.create(user=consultant, municipality=odense, role=Role.CONSULTANT)
    rows = [CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"], [make_cpr_with_modulus11(), "C", "D", "461"]]
    report = run(consultant, rows, colleague)
    assert errors(report) == [(
        3, "municipality",
        "Den valgte konsulent, Carl Kollega, er ikke aktiv jobkonsulent i kommune 461. Vælg en anden "
        "konsulent, eller skriv konsulentens brugernavn i kolonnen consultant.",
    )]
    assert not Citizen.objects.exists()


def test_it_refuses_a_consultant_who_has_left_since_the_upload(consultant, colleague, fredericia):
    colleague.is_active = False
    colleague.save(update_fields=["is_active"])
    report = run(consultant, [CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]], colleague)
    assert [column for _line, column, _message in errors(report)] == ["municipality"]
    assert not Citizen.objects.exists()


def test_it_checks_a_long_file_with_a_consultant_in_as_many_queries_as_a_short_one(consultant, colleague, fredericia):
    def queries(n):
        existing = [make_citizen(fredericia, cpr=make_cpr_with_modulus11()) for _ in range(n)]
        rows = [CITIZEN_HEADER] + [[c.reveal_cpr(), "Ny", "Navn", "607"] for c in existing]
        rows += [[make_cpr_with_modulus11(), "Ny", "Navn", "607"] for _ in range(n)]
        with CaptureQueriesContext(connection) as captured:
            report = run(consultant, rows, colleague, dry_run=True)
        assert report.ok and (report.created, report.updated) == (n, n)
        return len(captured)

    assert queries(40) == queries(4)


# --- The command line -------------------------------------------------------------------------


def command(*args, **options):
    out = StringIO()
    call_command("import_citizens", *args, stdout=out, **options)
    return out.getvalue()


def test_the_command_gives_the_citizens_the_consultant_it_is_told(write_file, consultant, fredericia):
    number = make_cpr_with_modulus11()
    out = command(write_file([CITIZEN_HEADER, [number, "A", "B", "607"]]), consultant="konsulent")
    assert "Oprettet: 1" in out
    assert Citizen.objects.with_cpr(number).get().consultant == consultant


def test_the_command_gives_no_consultant_by_default(write_file, consultant, fredericia):
    command(write_file([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]]))
    assert Citizen.objects.get().consultant is None


@pytest.mark.parametrize("username, message", [
    ("ingen-saadan", "Der er ingen aktiv bruger «ingen-saadan»."),
    ("leder", "Brugeren «leder» er ikke jobkonsulent."),
])
def test_the_command_refuses_a_consultant_who_is_not_one(write_file, leader, fredericia, username, message):
    with pytest.raises(CommandError, match=message):
        command(write_file([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]]), consultant=username)
    assert not Citizen.objects.exists()


def test_the_command_refuses_the_rows_of_another_municipality_than_the_consultants(
    write_file, outsider, fredericia, odense
):
    path = write_file([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"], [make_cpr_with_modulus11(), "C", "D", "461"]])
    with pytest.raises(CommandError, match="er ikke aktiv jobkonsulent i kommune 607"):
        command(path, consultant="konsulent-odense")
    assert not Citizen.objects.exists()
