"""`manage.py import_citizens FILE` and `manage.py import_placements FILE`: the report on
stdout, and a non-zero exit with every bad line when the file is bad."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Membership, Role
from audit.models import AccessLog
from citizens.models import Citizen
from placements.models import Placement
from tests.factories import make_citizen, make_cvr, make_employer

from .conftest import CITIZEN_HEADER, PLACEMENT_HEADER, assert_no_full_cpr, masked
from tests.factories import make_cpr_with_modulus11


def command(name, *args, **options):
    out = StringIO()
    call_command(name, *args, stdout=out, **options)
    return out.getvalue()


def test_it_imports_citizens_from_the_command_line_as_the_import_system_user(write_file, fredericia, odense):
    numbers = [make_cpr_with_modulus11(), make_cpr_with_modulus11()]
    path = write_file([CITIZEN_HEADER, [numbers[0], "A", "B", "607"], [numbers[1], "C", "D", "461"]])
    out = command("import_citizens", path)
    assert "Oprettet: 2, ændret: 0, uændret: 0." in out
    assert Citizen.objects.count() == 2
    system = get_user_model().objects.get(username="import")
    assert not system.has_usable_password() and not system.memberships.exists()
    assert set(AccessLog.objects.values_list("user", "purpose")) == {(system.pk, "import")}
    assert_no_full_cpr(out, *numbers)


def test_it_says_nothing_changed_the_second_time(write_file, fredericia):
    path = write_file([CITIZEN_HEADER] + [[make_cpr_with_modulus11(), "A", "B", "607"] for _ in range(3)], delimiter=";", bom=True)
    command("import_citizens", path)
    assert "Oprettet: 0, ændret: 0, uændret: 3." in command("import_citizens", path)


def test_it_fails_with_every_bad_line_and_saves_nothing(write_file, fredericia):
    bad = make_cpr_with_modulus11()
    path = write_file([
        CITIZEN_HEADER + ["weekly_hours"],
        [make_cpr_with_modulus11(), "A", "B", "607", "5"],
        [bad, "C", "D", "607", "40"],
        [make_cpr_with_modulus11(), "E", "F", "999", "5"],
    ])
    with pytest.raises(CommandError) as error:
        command("import_citizens", path)
    message = str(error.value)
    assert "Intet er gemt" in message
    assert "Linje 3, weekly_hours: Timer om ugen skal være over 0 og højst 37." in message
    assert "Linje 4, municipality: Kommunekoden 999 findes ikke." in message
    assert not Citizen.objects.exists()
    assert_no_full_cpr(message, bad)


def test_it_prints_a_modulus_11_warning_with_the_cpr_number_masked(write_file, fredericia):
    number = make_cpr_with_modulus11(passes=False)
    out = command("import_citizens", write_file([CITIZEN_HEADER, [number, "A", "B", "607"]]))
    assert f"Linje 2, cpr: CPR-nummeret {masked(number)} opfylder ikke modulus 11-kontrollen" in out
    assert_no_full_cpr(out, number)


def test_it_names_the_given_user_in_the_audit_log_and_keeps_to_their_municipalities(write_file, consultant, fredericia, odense):
    path = write_file([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]])
    command("import_citizens", path, user="konsulent")
    assert set(AccessLog.objects.values_list("user", flat=True)) == {consultant.pk}
    other = write_file([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "461"]], name="odense.csv")
    with pytest.raises(CommandError, match="Linje 2, municipality: Du kan ikke importere borgere til kommune 461."):
        command("import_citizens", other, user="konsulent")


@pytest.mark.parametrize("username, message", [("ukendt", "findes ikke"), ("leder", "hverken jobkonsulent")])
def test_it_refuses_a_user_who_does_not_exist_or_does_no_casework(write_file, leader, username, message):
    with pytest.raises(CommandError, match=message):
        command("import_citizens", write_file([CITIZEN_HEADER]), user=username)


def test_it_refuses_a_missing_file_or_another_file_type(tmp_path, write_file, fredericia):
    with pytest.raises(CommandError, match="kan ikke åbnes"):
        command("import_citizens", str(tmp_path / "findes-ikke.csv"))
    with pytest.raises(CommandError, match=r"CSV-fil \(.csv\) eller et Excel-regneark"):
        command("import_citizens", write_file([CITIZEN_HEADER], name="borgere.txt"))


def test_it_imports_placements_into_the_only_municipality(write_file, fredericia, citizen, employer):
    cvr = make_cvr()
    path = write_file([
        PLACEMENT_HEADER,
        [citizen.reveal_cpr(), employer.cvr, "", "", "fleksjob", "8", "2026-02-01", ""],
        [citizen.reveal_cpr(), cvr, "Ny ApS", "privat", "praktik", "20", "01.03.2026", "31.03.2026"],
    ], name="ansaettelser.xlsx")
    out = command("import_placements", path)
    assert "Oprettet: 2," in out and "Nye virksomheder: 1." in out
    assert Placement.objects.count() == 2


def test_it_needs_the_municipality_when_there_are_several(write_file, fredericia, odense, citizen, employer):
    path = write_file([PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", "fleksjob", "8", "2026-02-01", ""]])
    with pytest.raises(CommandError, match="--municipality"):
        command("import_placements", path)
    with pytest.raises(CommandError, match="Kommunekoden 999 findes ikke"):
        command("import_placements", path, municipality=999)
    with pytest.raises(CommandError, match="ingen borger med CPR-nummeret"):
        command("import_placements", path, municipality=461)
    assert "Oprettet: 1," in command("import_placements", path, "--municipality", "607")


def test_it_takes_the_users_only_municipality_and_refuses_others(write_file, consultant, fredericia, odense, citizen, employer):
    path = write_file([PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", "fleksjob", "8", "2026-02-01", ""]])
    with pytest.raises(CommandError, match="kan ikke importere til kommune 461"):
        command("import_placements", path, municipality=461, user="konsulent")
    command("import_placements", path, user="konsulent")
    assert set(AccessLog.objects.values_list("user", "model", "purpose")) == {(consultant.pk, "placements.Placement", "import")}


def test_it_asks_for_the_municipality_of_a_user_of_several(write_file, consultant, fredericia, odense):
    Membership.objects.create(user=consultant, municipality=odense, role=Role.CONSULTANT)
    citizen = make_citizen(odense)
    employer = make_employer(odense)
    path = write_file([PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", "fleksjob", "8", "2026-02-01", ""]])
    with pytest.raises(CommandError, match="--municipality"):
        command("import_placements", path, user="konsulent")
    assert "Oprettet: 1," in command("import_placements", path, user="konsulent", municipality=461)


def test_it_fails_on_overlapping_placements_with_their_lines(write_file, fredericia, citizen, employer):
    number = citizen.reveal_cpr()
    path = write_file([
        PLACEMENT_HEADER,
        [number, employer.cvr, "", "", "fleksjob", "8", "2026-02-01", ""],
        [number, employer.cvr, "", "", "praktik", "8", "2026-05-01", "2026-06-01"],
    ])
    with pytest.raises(CommandError) as error:
        command("import_placements", path, "--dry-run")
    assert "Linje 3, start_date: Ansættelsen overlapper ansættelsen på linje 2" in str(error.value)
    assert_no_full_cpr(str(error.value), number.replace("-", ""))


def test_it_checks_only_on_a_dry_run(write_file, fredericia):
    out = command("import_citizens", write_file([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]]), dry_run=True)
    assert "intet er gemt" in out and "Ville blive oprettet: 1," in out
    assert not Citizen.objects.exists()
