"""Importing placements into one municipality: citizens found by CPR number, employers by CVR
number or created, the kinds in English and Danish, the hour and date rules, no overlaps,
updates by citizen, employer, kind and start date — all or nothing, idempotent, audited."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AccessLog
from employers.models import Employer
from imports.services import placements_import
from placements.models import Placement
from tests.factories import make_citizen, make_cvr, make_employer, make_placement

from .conftest import PLACEMENT_HEADER, assert_no_full_cpr, masked, source
from tests.factories import make_cpr_with_modulus11

OVERLAP_MESSAGE = "Borgeren har allerede en ansættelse hos denne virksomhed i den periode."


def run(user, municipality, rows, name="ansaettelser.csv", dry_run=False, **options):
    return placements_import(
        user=user, source=source(rows, name, **options), filename=name, municipality=municipality, dry_run=dry_run
    )


def errors(report):
    return [(issue.line, issue.column, issue.message) for issue in report.sorted_errors()]


def row(citizen, employer_or_cvr, kind="flexjob", hours="8", start="2026-02-01", end="", name="", sector=""):
    cvr = getattr(employer_or_cvr, "cvr", employer_or_cvr)
    return [citizen.reveal_cpr(), cvr, name, sector, kind, hours, start, end]


def test_it_registers_a_placement_at_a_known_employer(consultant, fredericia, citizen, employer):
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer, hours="7,5", end="31-12-2026")])
    assert report.ok and (report.created, report.updated, report.unchanged, report.employers_created) == (1, 0, 0, 0)
    placement = Placement.objects.get()
    assert (placement.citizen, placement.employer, placement.kind) == (citizen, employer, Placement.Kind.FLEXJOB)
    assert (placement.hours_per_week, placement.start_date, placement.end_date) == (
        Decimal("7.5"), date(2026, 2, 1), date(2026, 12, 31)
    )
    assert placement.created_by == consultant


def test_it_creates_an_employer_for_a_new_cvr_number_once(consultant, fredericia, citizen):
    other = make_citizen(fredericia)
    cvr = make_cvr()
    report = run(consultant, fredericia, [
        PLACEMENT_HEADER,
        row(citizen, cvr, name="OK-Fonden Gurli-Vibeke", sector="privat"),
        row(other, cvr),  # the same new employer: the line above defines it
    ])
    assert report.ok, errors(report)
    assert (report.created, report.employers_created) == (2, 1)
    employer = Employer.objects.get()
    assert (employer.municipality, employer.cvr, employer.name, employer.sector) == (
        fredericia, cvr, "OK-Fonden Gurli-Vibeke", Employer.Sector.PRIVATE
    )
    assert set(Placement.objects.values_list("employer", flat=True)) == {employer.pk}


@pytest.mark.parametrize("text, sector", [("private", "private"), ("Privat", "private"), ("public", "public"), ("OFFENTLIG", "public")])
def test_it_takes_the_sector_in_english_or_danish(consultant, fredericia, citizen, text, sector):
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, make_cvr(), name="Firma", sector=text)])
    assert report.ok and Employer.objects.get().sector == sector


def test_it_needs_a_name_and_a_sector_for_a_new_cvr_number(consultant, fredericia, citizen):
    report = run(consultant, fredericia, [
        PLACEMENT_HEADER, row(citizen, make_cvr()), row(citizen, make_cvr(), name="Firma", sector="halvoffentlig"),
    ])
    message = "Skal udfyldes, når CVR-nummeret ikke er en kendt virksomhed i kommunen."
    assert errors(report) == [
        (2, "employer_name", message),
        (2, "sector", message),
        (3, "sector", "Ukendt sektor «halvoffentlig». Brug private, public, privat eller offentlig."),
    ]
    assert not Employer.objects.exists()


def test_it_refuses_two_different_names_for_one_new_cvr_number(consultant, fredericia, citizen):
    cvr = make_cvr()
    report = run(consultant, fredericia, [
        PLACEMENT_HEADER,
        row(citizen, cvr, name="Firma A", sector="private"),
        row(make_citizen(fredericia), cvr, name="Firma B", sector="public"),
    ])
    assert [(line, column) for line, column, _ in errors(report)] == [(3, "employer_name"), (3, "sector")]


def test_it_uses_the_municipalitys_own_employer_not_another_municipalitys(consultant, fredericia, odense, citizen):
    theirs = make_employer(odense, name="Odense Værft")
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, theirs, name="Værftet", sector="private")])
    assert report.ok and report.employers_created == 1
    assert Placement.objects.get().employer.municipality == fredericia


def test_it_refuses_an_invalid_cvr_number(consultant, fredericia, citizen):
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, "12345678"), row(citizen, "1234")])
    assert errors(report) == [
        (2, "cvr", "CVR-nummeret er ikke gyldigt (modulus 11-kontrollen fejler)."),
        (3, "cvr", "CVR-nummeret skal have 8 cifre."),
    ]


def test_it_refuses_a_cpr_number_not_known_in_the_importing_municipality(consultant, fredericia, employer, other_citizen):
    unknown = make_cpr_with_modulus11()
    rows = [PLACEMENT_HEADER, row(other_citizen, employer), [unknown] + row(other_citizen, employer)[1:]]
    report = run(consultant, fredericia, rows)
    assert errors(report) == [
        (2, "cpr", f"Der findes ingen borger med CPR-nummeret {masked(other_citizen.reveal_cpr().replace('-', ''))} i kommunen."),
        (3, "cpr", f"Der findes ingen borger med CPR-nummeret {masked(unknown)} i kommunen."),
    ]
    assert_no_full_cpr(report.as_text(), unknown, other_citizen.reveal_cpr().replace("-", ""))


@pytest.mark.parametrize(
    "text, kind",
    [
        ("flexjob", "flexjob"), ("Fleksjob", "flexjob"), ("mini_flexjob", "flexjob"), ("minifleksjob", "flexjob"),
        ("internship", "internship"), ("praktik", "internship"), ("ordinary_job", "ordinary_job"),
        ("ordinært job", "ordinary_job"), ("Ordinært  Job", "ordinary_job"),
    ],
)
def test_it_takes_the_kinds_in_english_and_danish(consultant, fredericia, citizen, employer, text, kind):
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer, kind=text, hours="6")])
    assert report.ok, errors(report)
    assert Placement.objects.get().kind == kind


def test_it_refuses_an_unknown_kind(consultant, fredericia, citizen, employer):
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer, kind="løntilskud")])
    assert [(line, column) for line, column, _ in errors(report)] == [(2, "kind")]


@pytest.mark.parametrize("hours, ok", [("10", True), ("10,0", True), ("10,5", False), ("4", True)])
def test_it_keeps_a_mini_flex_job_within_the_mini_limit(consultant, fredericia, citizen, employer, settings, hours, ok):
    settings.MINI_FLEXJOB_MAX_HOURS = Decimal("10")
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer, kind="minifleksjob", hours=hours)])
    assert report.ok is ok
    if ok:
        assert Placement.objects.get().is_mini_flexjob
    else:
        assert errors(report) == [(2, "hours_per_week", "Et mini-fleksjob har højst 10 timer om ugen.")]


@pytest.mark.parametrize("hours, ok", [("0", False), ("0,5", True), ("37", True), ("37,5", False), ("", False)])
def test_it_takes_hours_over_0_and_at_most_37(consultant, fredericia, citizen, employer, hours, ok):
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer, kind="ordinary_job", hours=hours)])
    assert report.ok is ok


def test_it_refuses_an_end_before_the_start(consultant, fredericia, citizen, employer):
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer, start="2026-02-01", end="31.01.2026")])
    assert errors(report) == [(2, "end_date", "Slutdatoen må ikke ligge før startdatoen.")]


def test_it_takes_an_end_on_the_start_day(consultant, fredericia, citizen, employer):
    assert run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer, start="2026-02-01", end="01-02-2026")]).ok


def test_it_updates_the_placement_with_the_same_citizen_employer_kind_and_start(consultant, fredericia, citizen, employer):
    placement = make_placement(citizen, employer, hours_per_week=Decimal("8"), start_date=date(2026, 2, 1))
    report = run(consultant, fredericia, [
        PLACEMENT_HEADER, row(citizen, employer, kind="minifleksjob", hours="6", end="2026-06-30"),
    ])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    placement.refresh_from_db()
    assert (placement.hours_per_week, placement.end_date) == (Decimal("6"), date(2026, 6, 30))
    assert Placement.objects.count() == 1


def test_it_keeps_an_end_date_when_the_cell_is_empty(consultant, fredericia, citizen, employer):
    placement = make_placement(citizen, employer, start_date=date(2026, 2, 1), end_date=date(2026, 3, 1))
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer, hours="8", end="")])
    assert report.unchanged == 1
    placement.refresh_from_db()
    assert placement.end_date == date(2026, 3, 1)


def test_it_changes_nothing_when_the_same_file_is_imported_twice(consultant, fredericia, employer):
    citizens = [make_citizen(fredericia) for _ in range(4)]
    cvr = make_cvr()
    rows = [PLACEMENT_HEADER] + [row(c, employer, start="01.03.2026") for c in citizens]
    rows.append(row(citizens[0], cvr, kind="praktik", name="Ny ApS", sector="offentlig", end="2026-04-30"))
    first = run(consultant, fredericia, rows)
    assert (first.created, first.updated, first.unchanged, first.employers_created) == (5, 0, 0, 1)
    stamps = list(Placement.objects.order_by("pk").values_list("updated_at", flat=True))
    logged = AccessLog.objects.count()
    second = run(consultant, fredericia, rows)
    assert second.ok and (second.created, second.updated, second.unchanged, second.employers_created) == (0, 0, 5, 0)
    assert list(Placement.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    assert Employer.objects.count() == 2 and AccessLog.objects.count() == logged


def test_it_refuses_a_placement_overlapping_one_already_registered(consultant, fredericia, citizen, employer):
    make_placement(citizen, employer, kind=Placement.Kind.INTERNSHIP, start_date=date(2026, 1, 1), end_date=date(2026, 2, 1))
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer, start="2026-02-01")])
    assert errors(report) == [(2, "start_date", OVERLAP_MESSAGE)]


def test_it_refuses_placements_of_the_file_that_overlap_each_other(consultant, fredericia, citizen, employer):
    report = run(consultant, fredericia, [
        PLACEMENT_HEADER,
        row(citizen, employer, kind="praktik", start="2026-01-01", end="2026-01-31"),
        row(citizen, employer, kind="fleksjob", start="2026-01-31"),
        row(citizen, employer, kind="fleksjob", start="2026-01-31"),
    ])
    assert errors(report) == [
        (3, "start_date", "Ansættelsen overlapper ansættelsen på linje 2 hos samme virksomhed."),
        (4, "start_date", "Ansættelsen overlapper ansættelsen på linje 2 hos samme virksomhed."),
    ]
    assert not Placement.objects.exists()


def test_it_refuses_the_same_placement_twice_in_a_file(consultant, fredericia, citizen, employer):
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer), row(citizen, employer, hours="9")])
    assert errors(report) == [(3, "start_date", "Samme ansættelse står også på linje 2.")]


def test_it_allows_overlap_at_another_employer_or_for_another_citizen(consultant, fredericia, citizen, employer):
    report = run(consultant, fredericia, [
        PLACEMENT_HEADER,
        row(citizen, employer),
        row(citizen, make_employer(fredericia, name="Anden ApS")),
        row(make_citizen(fredericia), employer),
    ])
    assert report.ok and report.created == 3


def test_it_compares_with_the_periods_as_the_file_leaves_them(consultant, fredericia, citizen, employer):
    # The file ends the running internship before the flex job that follows it starts:
    # the flex job comes first in the file, yet does not overlap.
    internship = make_placement(citizen, employer, kind=Placement.Kind.INTERNSHIP, start_date=date(2026, 1, 1))
    report = run(consultant, fredericia, [
        PLACEMENT_HEADER,
        row(citizen, employer, kind="fleksjob", start="2026-03-01"),
        row(citizen, employer, kind="praktik", start="2026-01-01", end="2026-02-28"),
    ])
    assert report.ok, errors(report)
    assert (report.created, report.updated) == (1, 1)
    internship.refresh_from_db()
    assert internship.end_date == date(2026, 2, 28)
    assert Placement.objects.count() == 2


def test_it_snapshots_the_target_group_on_the_start_date_as_the_placement_service_does(consultant, fredericia, employer):
    long_term = make_citizen(fredericia, unemployed_since=date(2024, 6, 1))
    recent = make_citizen(fredericia, unemployed_since=date(2025, 9, 1))
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(long_term, employer), row(recent, employer)])
    assert report.ok
    assert dict(Placement.objects.values_list("citizen", "in_target_group")) == {long_term.pk: True, recent.pk: False}


def test_it_refreshes_the_target_group_snapshot_on_update(consultant, fredericia, employer):
    citizen = make_citizen(fredericia, unemployed_since=date(2025, 9, 1))
    placement = make_placement(citizen, employer, start_date=date(2026, 2, 1))
    citizen.unemployed_since = date(2024, 1, 1)
    citizen.save()
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer)])
    assert report.updated == 1
    placement.refresh_from_db()
    assert placement.in_target_group


def test_it_saves_nothing_when_one_row_among_good_ones_is_bad(consultant, fredericia, employer):
    citizens = [make_citizen(fredericia) for _ in range(4)]
    rows = [PLACEMENT_HEADER] + [row(c, employer) for c in citizens]
    rows.insert(3, row(citizens[0], make_cvr(), name="Ny ApS", sector="privat", hours="40"))
    report = run(consultant, fredericia, rows)
    assert errors(report) == [(4, "hours_per_week", "Timer om ugen skal være over 0 og højst 37.")]
    assert report.created == 0
    assert not Placement.objects.exists() and Employer.objects.count() == 1 and not AccessLog.objects.exists()


def test_it_writes_an_audit_row_for_each_placement_created_or_updated(consultant, fredericia, citizen, employer):
    updated = make_placement(citizen, employer, start_date=date(2025, 1, 1), end_date=date(2025, 6, 30))
    unchanged = make_placement(citizen, employer, start_date=date(2025, 8, 1), end_date=date(2025, 9, 30))
    run(consultant, fredericia, [
        PLACEMENT_HEADER,
        row(citizen, employer, start="2025-01-01", end="2025-05-31"),
        row(citizen, employer, start="2025-08-01", end="2025-09-30"),
        row(citizen, employer, start="2026-01-01"),
    ])
    created = Placement.objects.get(start_date=date(2026, 1, 1))
    rows = set(AccessLog.objects.values_list("user", "action", "model", "object_id", "municipality", "purpose"))
    assert rows == {
        (consultant.pk, "update", "placements.Placement", updated.pk, fredericia.pk, "import"),
        (consultant.pk, "create", "placements.Placement", created.pk, fredericia.pk, "import"),
    }
    assert unchanged.pk not in {r[3] for r in rows}


def test_it_checks_a_file_without_saving_it_on_a_dry_run(consultant, fredericia, citizen):
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, make_cvr(), name="Ny", sector="privat")], dry_run=True)
    assert report.ok and (report.created, report.employers_created) == (1, 1)
    assert not Placement.objects.exists() and not Employer.objects.exists() and not AccessLog.objects.exists()


def test_it_reads_an_excel_file_with_real_date_cells(consultant, fredericia, citizen, employer):
    number = citizen.reveal_cpr().replace("-", "")
    report = run(consultant, fredericia, [
        PLACEMENT_HEADER,
        [int(number), int(employer.cvr), None, None, "Fleksjob", 7.5, date(2026, 2, 1), date(2026, 12, 31)],
    ], name="ansaettelser.xlsx")
    assert report.ok, errors(report)
    placement = Placement.objects.get()
    assert (placement.hours_per_week, placement.start_date, placement.end_date) == (
        Decimal("7.5"), date(2026, 2, 1), date(2026, 12, 31)
    )


def test_it_reads_a_semicolon_file_with_a_byte_order_mark_and_danish_formats(consultant, fredericia, citizen, employer):
    rows = [[c.upper() for c in PLACEMENT_HEADER], row(citizen, employer, hours="7,5", start="01.02.2026", end="28-02-2026")]
    report = run(consultant, fredericia, rows, delimiter=";", bom=True)
    assert report.ok, errors(report)
    placement = Placement.objects.get()
    assert (placement.hours_per_week, placement.start_date, placement.end_date) == (
        Decimal("7.5"), date(2026, 2, 1), date(2026, 2, 28)
    )


def test_it_checks_a_long_file_in_as_many_queries_as_a_short_one(consultant, fredericia):
    def queries(n):
        employers = [make_employer(fredericia) for _ in range(n)]
        citizens = [make_citizen(fredericia) for _ in range(n)]
        for c, e in zip(citizens, employers):
            make_placement(c, e, start_date=date(2025, 1, 1), end_date=date(2025, 6, 30))
        rows = [PLACEMENT_HEADER]
        rows += [row(c, e, start="2025-01-01", end="2025-05-31") for c, e in zip(citizens, employers)]  # updates
        rows += [row(c, e, start="2026-01-01") for c, e in zip(citizens, employers)]  # new, known employer
        rows += [row(c, make_cvr(), name="Ny", sector="privat") for c in citizens]  # new employer
        with CaptureQueriesContext(connection) as captured:
            report = placements_import(
                user=consultant, source=source(rows), filename="a.csv", municipality=fredericia, dry_run=True
            )
        assert report.ok and (report.created, report.updated, report.employers_created) == (2 * n, n, n), errors(report)
        return len(captured)

    assert queries(50) == queries(5)


def test_it_saves_a_long_file_in_a_few_queries_per_row(consultant, fredericia, employer):
    citizens = [make_citizen(fredericia) for _ in range(50)]
    rows = [PLACEMENT_HEADER] + [row(c, employer) for c in citizens]
    with CaptureQueriesContext(connection) as captured:
        report = run(consultant, fredericia, rows)
    assert report.created == 50
    # Per placement: its INSERT and its audit row, and the planning of its follow-ups
    # (placements.services.followups_schedule: a savepoint, a look-up, an INSERT, a release).
    assert len(captured) <= 12 + 6 * 50


def test_it_shortens_periods_before_it_adds_the_placements_that_follow(consultant, fredericia, citizen, employer):
    """On PostgreSQL the no-overlap constraint checks every statement: the order of writes matters."""
    make_placement(citizen, employer, kind=Placement.Kind.INTERNSHIP, start_date=date(2026, 1, 1))
    today = date(2026, 3, 1)
    report = run(consultant, fredericia, [
        PLACEMENT_HEADER,
        row(citizen, employer, kind="fleksjob", start=today.isoformat()),
        row(citizen, employer, kind="praktik", start="2026-01-01", end=(today - timedelta(days=1)).isoformat()),
    ])
    assert report.ok, errors(report)
    assert Placement.objects.count() == 2


def test_it_reports_every_problem_of_a_row_at_once(consultant, fredericia, employer):
    report = run(consultant, fredericia, [
        PLACEMENT_HEADER, [make_cpr_with_modulus11(), "1234", "", "", "fleksjob", "7,25", "2026-02-30", ""],
    ])
    assert [(line, column) for line, column, _ in errors(report)] == [
        (2, "cpr"), (2, "cvr"), (2, "hours_per_week"), (2, "start_date"),
    ]


# --- What a saved placement brings with it (placements.services) -----------------------------

def test_it_plans_the_follow_ups_of_each_placement_it_saves_and_the_citizen_is_placed(consultant, fredericia, citizen, employer):
    from django.utils import timezone

    start = timezone.localdate() - timedelta(days=10)
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer, start=start.isoformat())])
    assert report.created == 1
    planned = {(f.kind, f.months) for f in Placement.objects.get().follow_ups.all()}
    assert {("regular", 1), ("regular", 3), ("regular", 6), ("regular", 12), ("legal_follow_up", 30)} <= planned
    citizen.refresh_from_db()
    assert citizen.status == "placed"


def test_it_plans_no_follow_up_that_would_be_overdue_for_a_placement_of_the_past(consultant, fredericia, citizen, employer):
    from django.utils import timezone

    start = timezone.localdate() - timedelta(days=2 * 365)
    run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer, start=start.isoformat())])
    # The regular follow-ups (1–12 months) lie in the past; the law's 2½-year one does not.
    assert [(f.kind, f.months) for f in Placement.objects.get().follow_ups.all()] == [("legal_follow_up", 30)]


def test_an_ending_imported_moves_the_citizen_on_from_placed(consultant, fredericia, citizen, employer):
    from django.utils import timezone

    today = timezone.localdate()
    start = today - timedelta(days=100)
    run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer, start=start.isoformat())])
    citizen.refresh_from_db()
    assert citizen.status == "placed"
    end = today - timedelta(days=1)
    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer, start=start.isoformat(), end=end.isoformat())])
    assert report.updated == 1
    citizen.refresh_from_db()
    assert citizen.status == "ready"
    # An ended placement keeps only the follow-ups due by its end.
    assert all(f.due_on <= end for f in Placement.objects.get().follow_ups.filter(done_on__isnull=True))


def test_a_dry_run_plans_nothing_and_leaves_the_citizen_as_they_are(consultant, fredericia, citizen, employer):
    from placements.models import FollowUp

    report = run(consultant, fredericia, [PLACEMENT_HEADER, row(citizen, employer)], dry_run=True)
    assert report.ok and report.created == 1
    assert not FollowUp.objects.exists()
    citizen.refresh_from_db()
    assert citizen.status == "registered"


def test_an_import_keeps_the_dashboard_figures_and_the_employers_counts(consultant, fredericia, employer):
    """The kept figures and the employers' placement counts follow an import, as any other write."""
    from progress import counting, figures
    from progress.models import Target

    target = Target.objects.create(
        municipality=fredericia, title="t", number=10, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
    )
    citizens = [make_citizen(fredericia) for _ in range(3)]
    rows = [PLACEMENT_HEADER, row(citizens[0], employer, hours="4"), row(citizens[1], employer, start="2026-03-03",
            end="2026-05-01"), row(citizens[2], make_cvr(), name="Ny ApS", sector="privat", hours="20")]
    assert run(consultant, fredericia, rows).ok
    as_of = date(2026, 6, 1)
    assert figures.kept_progress(target, as_of) == counting.progress_for(target, as_of)
    assert figures.kept_progress(target, as_of).new_flex_jobs == 3
    assert dict(Employer.objects.values_list("name", "placement_count")) == {employer.name: 2, "Ny ApS": 1}
