"""Importing citizens: every rule of shared/formats.md, all or nothing, idempotent, audited,
and in a fixed number of queries however long the file."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.access import CASEWORK_ROLES, municipalities_for
from accounts.models import Membership, Municipality, Role
from audit.models import AccessLog
from citizens.models import Citizen
from imports.services import citizens_import
from tests.factories import make_citizen, make_user

from .conftest import CITIZEN_HEADER, assert_no_full_cpr, masked, source
from tests.factories import make_cpr_with_modulus11

FULL_HEADER = CITIZEN_HEADER + [
    "unemployed_since", "flexjob_approved_on", "weekly_hours", "phone", "email", "consultant",
]


def run(user, rows, name="borgere.csv", dry_run=False, **options):
    return citizens_import(
        user=user,
        source=source(rows, name, **options),
        filename=name,
        municipalities=municipalities_for(user, CASEWORK_ROLES),
        dry_run=dry_run,
    )


def errors(report):
    return [(issue.line, issue.column, issue.message) for issue in report.sorted_errors()]


def test_it_creates_citizens_with_every_column(consultant, fredericia):
    number = make_cpr_with_modulus11()
    report = run(consultant, [
        FULL_HEADER,
        [number, "Bente", "Sørensen", "607", "2024-03-01", "01.06.2024", "7,5", "12345678", "bente@example.dk", "konsulent"],
    ])
    assert report.ok and (report.created, report.updated, report.unchanged) == (1, 0, 0)
    citizen = Citizen.objects.with_cpr(number).get()
    assert (citizen.municipality, citizen.first_name, citizen.last_name) == (fredericia, "Bente", "Sørensen")
    assert citizen.unemployed_since == date(2024, 3, 1)
    assert citizen.flexjob_approved_on == date(2024, 6, 1)
    assert citizen.weekly_hours == Decimal("7.5")
    assert (citizen.phone, citizen.email, citizen.consultant) == ("12345678", "bente@example.dk", consultant)
    assert citizen.status == Citizen.Status.REGISTERED
    assert citizen.reveal_cpr() == f"{number[:6]}-{number[6:]}"


def test_it_updates_a_citizen_whose_cpr_number_exists_in_the_municipality(consultant, fredericia):
    number = make_cpr_with_modulus11()
    citizen = make_citizen(fredericia, cpr=number, first_name="Bente", phone="11111111", weekly_hours=Decimal("5"))
    report = run(consultant, [
        ["cpr", "first_name", "last_name", "municipality", "weekly_hours", "unemployed_since"],
        [f"{number[:6]}-{number[6:]}", "Bente", "Hansen", "607", "6", "15-01-2024"],
    ])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    citizen.refresh_from_db()
    assert (citizen.last_name, citizen.weekly_hours, citizen.unemployed_since) == ("Hansen", Decimal("6"), date(2024, 1, 15))
    assert citizen.phone == "11111111"  # not in the file: left as it was
    assert Citizen.objects.count() == 1


def test_it_leaves_a_value_alone_when_its_cell_is_empty(consultant, fredericia):
    number = make_cpr_with_modulus11()
    citizen = make_citizen(fredericia, cpr=number, first_name="Anne", last_name="Jensen",
                           unemployed_since=date(2023, 1, 1), consultant=consultant)
    report = run(consultant, [FULL_HEADER, [number, "Anne", "Jensen", "607", "", "", "", "", "", ""]])
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    citizen.refresh_from_db()
    assert (citizen.unemployed_since, citizen.consultant) == (date(2023, 1, 1), consultant)


def test_it_changes_nothing_when_the_same_file_is_imported_twice(consultant, fredericia):
    rows = [FULL_HEADER] + [
        [make_cpr_with_modulus11(), f"Navn{i}", "Jensen", "607", "01-02-2024", "", "4,5", "", "", "konsulent"] for i in range(5)
    ]
    first = run(consultant, rows)
    assert (first.created, first.updated, first.unchanged) == (5, 0, 0)
    stamps = list(Citizen.objects.order_by("pk").values_list("updated_at", flat=True))
    logged = AccessLog.objects.count()
    second = run(consultant, rows)
    assert second.ok and (second.created, second.updated, second.unchanged) == (0, 0, 5)
    assert list(Citizen.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    assert AccessLog.objects.count() == logged


def test_it_saves_nothing_when_one_row_among_good_ones_is_bad(consultant, fredericia):
    existing = make_citizen(fredericia, cpr=make_cpr_with_modulus11(), first_name="Gammel")
    rows = [CITIZEN_HEADER + ["weekly_hours"]]
    rows += [[make_cpr_with_modulus11(), f"Navn{i}", "Jensen", "607", "5"] for i in range(4)]
    rows += [[existing.reveal_cpr(), "Ny", "Jensen", "607", "38"]]  # an update, but 38 hours is too many
    rows += [[make_cpr_with_modulus11(), "Sidst", "Jensen", "607", "5"]]
    report = run(consultant, rows)
    assert errors(report) == [(6, "weekly_hours", "Timer om ugen skal være over 0 og højst 37.")]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert Citizen.objects.count() == 1
    existing.refresh_from_db()
    assert existing.first_name == "Gammel"
    assert not AccessLog.objects.exists()


def test_it_reports_every_bad_row_with_its_line_column_and_reason(consultant, fredericia):
    report = run(consultant, [
        FULL_HEADER,
        [make_cpr_with_modulus11(), "Ok", "Jensen", "607", "", "", "", "", "", ""],
        ["3202901234", "", "Jensen", "607", "2024-02-30", "", "0", "", "ikke-en-mail", ""],
        [make_cpr_with_modulus11(), "Ok", "", "60x", "", "i går", "7.25", "", "", ""],
    ])
    assert errors(report) == [
        (3, "cpr", "CPR-nummeret indeholder ikke en gyldig fødselsdato."),
        (3, "email", "Indtast en gyldig e-mail-adresse."),
        (3, "first_name", "Skal udfyldes."),
        (3, "unemployed_since", "Datoen «2024-02-30» findes ikke."),
        (3, "weekly_hours", "Timer om ugen skal være over 0 og højst 37."),
        (4, "flexjob_approved_on", "«i går» er ikke en dato. Brug ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ."),
        (4, "last_name", "Skal udfyldes."),
        (4, "municipality", "«60x» er ikke en kommunekode (fx 607)."),
        (4, "weekly_hours", "Der må maksimalt være 1 decimal."),
    ]
    assert not Citizen.objects.exists()


def test_it_checks_the_fields_as_the_model_does(consultant, fredericia):
    report = run(consultant, [CITIZEN_HEADER + ["weekly_hours"], [make_cpr_with_modulus11(), "x" * 101, "Jensen", "607", "7,25"]])
    assert [(line, column) for line, column, _ in errors(report)] == [(2, "first_name"), (2, "weekly_hours")]


@pytest.mark.parametrize("hours, ok", [("0", False), ("0,1", True), ("37", True), ("37,5", False), ("-4", False)])
def test_it_takes_weekly_hours_over_0_and_at_most_37(consultant, fredericia, hours, ok):
    report = run(consultant, [CITIZEN_HEADER + ["weekly_hours"], [make_cpr_with_modulus11(), "A", "B", "607", hours]])
    assert report.ok is ok


def test_it_refuses_another_municipalitys_code_on_that_line(consultant, fredericia, odense):
    report = run(consultant, [CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"], [make_cpr_with_modulus11(), "C", "D", "461"]])
    assert errors(report) == [(3, "municipality", "Du kan ikke importere borgere til kommune 461.")]
    assert not Citizen.objects.exists()


def test_it_refuses_an_unknown_municipality_code(consultant, fredericia):
    report = run(consultant, [CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "999"]])
    assert errors(report) == [(2, "municipality", "Kommunekoden 999 findes ikke.")]


def test_it_imports_into_every_municipality_of_a_consultant_of_several(consultant, fredericia, odense):
    Membership.objects.create(user=consultant, municipality=odense, role=Role.CONSULTANT)
    number = make_cpr_with_modulus11()
    report = run(consultant, [CITIZEN_HEADER, [number, "A", "B", "607"], [number, "A", "B", "461"]])
    assert report.created == 2
    assert set(Citizen.objects.with_cpr(number).values_list("municipality__code", flat=True)) == {607, 461}


def test_it_refuses_the_same_cpr_number_twice_in_a_file_on_the_second_line(consultant, fredericia):
    number = make_cpr_with_modulus11()
    report = run(consultant, [
        CITIZEN_HEADER, [number, "A", "B", "607"], [make_cpr_with_modulus11(), "C", "D", "607"], [f"{number[:6]}-{number[6:]}", "A", "B", "607"],
    ])
    assert errors(report) == [(4, "cpr", "CPR-nummeret står også på linje 2.")]


def test_it_takes_a_consultant_of_that_municipality_only(consultant, fredericia, odense, outsider, leader):
    make_user("Kollega", fredericia, Role.CONSULTANT)
    report = run(consultant, [
        CITIZEN_HEADER + ["consultant"],
        [make_cpr_with_modulus11(), "A", "B", "607", "KONSULENT"],
        [make_cpr_with_modulus11(), "C", "D", "607", "kollega"],
        [make_cpr_with_modulus11(), "E", "F", "607", "konsulent-odense"],
        [make_cpr_with_modulus11(), "G", "H", "607", "leder"],
        [make_cpr_with_modulus11(), "I", "J", "607", "ukendt"],
    ])
    assert errors(report) == [
        (4, "consultant", "Brugeren «konsulent-odense» er ikke jobkonsulent i kommune 607."),
        (5, "consultant", "Brugeren «leder» er ikke jobkonsulent i kommune 607."),
        (6, "consultant", "Brugeren «ukendt» er ikke jobkonsulent i kommune 607."),
    ]


def test_it_warns_of_a_cpr_number_failing_modulus_11_and_imports_it(consultant, fredericia):
    number = make_cpr_with_modulus11(passes=False)
    report = run(consultant, [CITIZEN_HEADER, [number, "A", "B", "607"]])
    assert report.ok and report.created == 1
    [warning] = report.warnings
    assert (warning.line, warning.column) == (2, "cpr")
    assert masked(number) in warning.message and "modulus 11" in warning.message
    assert_no_full_cpr(report.as_text(), number)


def test_it_never_shows_a_cpr_number_unmasked_in_the_report(consultant, fredericia):
    numbers = [make_cpr_with_modulus11(passes=False), make_cpr_with_modulus11(), make_cpr_with_modulus11()]
    report = run(consultant, [
        CITIZEN_HEADER + ["weekly_hours"],
        [numbers[0], "A", "B", "607", "5"],
        [numbers[1], "A", "B", "607", "99"],
        [numbers[1], "A", "B", "607", "5"],
        [numbers[2], "A", "B", "461", "5"],
    ])
    text = report.as_text()
    assert "Linje 3" in text and "Linje 4" in text
    assert_no_full_cpr(text, *numbers)
    assert_no_full_cpr(str(report.as_dict()), *numbers)


def test_it_writes_an_audit_row_for_each_citizen_created_or_updated(consultant, fredericia):
    changed = make_citizen(fredericia, cpr=make_cpr_with_modulus11(), first_name="Før")
    same = make_citizen(fredericia, cpr=make_cpr_with_modulus11(), first_name="Samme", last_name="Jensen")
    new = make_cpr_with_modulus11()
    run(consultant, [
        CITIZEN_HEADER,
        [changed.reveal_cpr(), "Efter", "Jensen", "607"],
        [same.reveal_cpr(), "Samme", "Jensen", "607"],
        [new, "Ny", "Jensen", "607"],
    ])
    created = Citizen.objects.with_cpr(new).get()
    rows = set(AccessLog.objects.values_list("user", "action", "model", "object_id", "municipality", "purpose"))
    assert rows == {
        (consultant.pk, "update", "citizens.Citizen", changed.pk, fredericia.pk, "import"),
        (consultant.pk, "create", "citizens.Citizen", created.pk, fredericia.pk, "import"),
    }


def test_it_checks_a_file_without_saving_it_on_a_dry_run(consultant, fredericia):
    report = run(consultant, [CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]], dry_run=True)
    assert report.ok and report.created == 1 and not report.saved
    assert not Citizen.objects.exists() and not AccessLog.objects.exists()


def test_it_reads_a_semicolon_file_with_a_byte_order_mark_and_comma_decimals(consultant, fredericia):
    number = make_cpr_with_modulus11()
    report = run(consultant, [
        ["CPR ", " First_Name", "last_name", "Municipality", "weekly_hours", "unemployed_since"],
        [number, "Anne", "Jensen", "607", "7,5", "31.12.2024"],
    ], delimiter=";", bom=True)
    assert report.ok, errors(report)
    citizen = Citizen.objects.get()
    assert (citizen.first_name, citizen.weekly_hours, citizen.unemployed_since) == ("Anne", Decimal("7.5"), date(2024, 12, 31))


@pytest.mark.parametrize("text", ["2024-12-31", "31-12-2024", "31.12.2024"])
def test_it_reads_each_date_format(consultant, fredericia, text):
    report = run(consultant, [CITIZEN_HEADER + ["unemployed_since"], [make_cpr_with_modulus11(), "A", "B", "607", text]])
    assert report.ok and Citizen.objects.get().unemployed_since == date(2024, 12, 31)


def test_it_reads_an_excel_file_with_real_date_cells_and_numbers(consultant, fredericia):
    number = make_cpr_with_modulus11(birth="010190")
    report = run(consultant, [
        ["cpr", "first_name", "last_name", "municipality", "unemployed_since", "weekly_hours", "phone"],
        [int(number), "Anne", "Jensen", 607, date(2024, 5, 6), 7.5, 12345678],
    ], name="borgere.xlsx")
    assert report.ok, errors(report)
    citizen = Citizen.objects.with_cpr(number).get()
    assert (citizen.unemployed_since, citizen.weekly_hours, citizen.phone) == (date(2024, 5, 6), Decimal("7.5"), "12345678")


def test_it_refuses_a_file_with_an_unknown_column_and_saves_nothing(consultant, fredericia):
    report = run(consultant, [CITIZEN_HEADER + ["adresse"], [make_cpr_with_modulus11(), "A", "B", "607", "Vejen 1"]])
    assert errors(report) == [(1, "adresse", report.errors[0].message)]
    assert "Ukendt kolonne" in report.errors[0].message
    assert not Citizen.objects.exists()


def test_it_refuses_a_file_missing_a_required_column(consultant, fredericia):
    report = run(consultant, [["cpr", "first_name", "last_name"], [make_cpr_with_modulus11(), "A", "B"]])
    assert errors(report) == [(1, "municipality", "Kolonnen mangler.")]


def test_it_checks_a_long_file_in_as_many_queries_as_a_short_one(consultant, fredericia):
    Membership.objects.create(user=make_user("kollega"), municipality=fredericia, role=Role.CONSULTANT)

    def queries(n):
        existing = [make_citizen(fredericia, cpr=make_cpr_with_modulus11()) for _ in range(n)]
        rows = [FULL_HEADER]
        rows += [[c.reveal_cpr(), "Ny", "Navn", "607", "", "", "", "", "", "kollega"] for c in existing]
        rows += [[make_cpr_with_modulus11(), "Ny", "Navn", "607", "", "", "", "", "", "konsulent"] for _ in range(n)]
        with CaptureQueriesContext(connection) as captured:
            report = run(consultant, rows, dry_run=True)
        assert report.ok and (report.created, report.updated) == (n, n)
        return len(captured)

    assert queries(50) == queries(5)


def test_it_saves_a_long_file_in_a_few_queries_per_row(consultant, fredericia):
    rows = [CITIZEN_HEADER] + [[make_cpr_with_modulus11(), "A", "B", "607"] for _ in range(50)]
    with CaptureQueriesContext(connection) as captured:
        report = run(consultant, rows)
    assert report.created == 50
    assert len(captured) <= 10 + 2 * 50  # an INSERT and its audit row per citizen


def test_it_is_refused_by_a_municipality_list_without_any_municipality(leader, fredericia):
    report = citizens_import(
        user=leader, source=source([CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "607"]]), filename="b.csv",
        municipalities=Municipality.objects.none(),
    )
    assert errors(report) == [(2, "municipality", "Du kan ikke importere borgere til kommune 607.")]


def test_it_saves_nothing_when_the_database_refuses_a_row_midway(consultant, fredericia, monkeypatch):
    """A colleague registered the same citizen while the file was checked: the whole file is undone."""
    from django.db import IntegrityError

    from imports import citizens as importer

    original = importer._save

    def save_then_fail(planned, user, counted):
        original(planned, user, counted)
        raise IntegrityError("citizen_cpr_unique_in_municipality")

    monkeypatch.setattr(importer, "_save", save_then_fail)
    report = run(consultant, [CITIZEN_HEADER] + [[make_cpr_with_modulus11(), "A", "B", "607"] for _ in range(3)])
    assert not report.ok and report.created == 0
    assert "ændret samtidig" in report.errors[0].message
    assert not Citizen.objects.exists() and not AccessLog.objects.exists()


def test_it_reports_the_consultant_of_a_row_whose_cpr_number_is_bad_too(consultant, fredericia):
    report = run(consultant, [CITIZEN_HEADER + ["consultant"], ["1234", "A", "B", "607", "ukendt"]])
    assert [(line, column) for line, column, _ in errors(report)] == [(2, "consultant"), (2, "cpr")]


def test_it_logs_counts_but_no_personal_data(consultant, fredericia, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    number = make_cpr_with_modulus11()
    run(consultant, [CITIZEN_HEADER + ["email"], [number, "Ingeborg", "Quistgaard", "607", "iq@example.dk"]])
    assert "import citizens by user" in caplog.text and "created=1" in caplog.text
    for secret in (number, number[:6] + "-" + number[6:], "Ingeborg", "Quistgaard", "iq@example.dk"):
        assert secret not in caplog.text


def test_it_refreshes_the_target_group_of_placements_when_it_corrects_the_unemployment_date(consultant, fredericia, employer):
    from placements.models import Placement
    from tests.factories import make_placement

    citizen = make_citizen(fredericia, cpr=make_cpr_with_modulus11(), unemployed_since=date(2025, 9, 1))
    placement = make_placement(citizen, employer, start_date=date(2026, 2, 1))
    assert not placement.in_target_group
    report = run(consultant, [CITIZEN_HEADER + ["unemployed_since"], [citizen.reveal_cpr(), "Anne", "Jensen", "607", "2024-06-01"]])
    assert report.updated == 1
    assert Placement.objects.get().in_target_group
