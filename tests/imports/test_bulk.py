"""Imports in bulk: a generated file of any length imports cleanly, the queries grow with the
batches and not with the rows, the memory with neither, a bad row at the end of a long file
still saves nothing, and the follow-ups planned in bulk are those planned one by one."""

import gc
import tracemalloc
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.access import CASEWORK_ROLES, municipalities_for
from audit.models import AccessLog
from citizens.models import Citizen
from employers.models import Employer
from imports.benchfiles import PLACEMENTS_PER_EMPLOYER, write_citizens_file, write_placements_file
from imports.common import KeyIndex
from imports.services import citizens_import, placements_import
from placements.models import FollowUp, Placement
from placements.services import followups_schedule, followups_schedule_many
from tests.factories import make_citizen, make_placement

from .conftest import Source


def import_citizens(user, path, **options):
    with open(path, "rb") as source:
        return citizens_import(
            user=user, source=source, filename=str(path), municipalities=municipalities_for(user, CASEWORK_ROLES),
            **options,
        )


def import_placements(user, municipality, path, **options):
    with open(path, "rb") as source:
        return placements_import(user=user, source=source, filename=str(path), municipality=municipality, **options)


def counts(report):
    return (report.created, report.updated, report.unchanged)


def errors(report):
    return [(issue.line, issue.column, issue.message) for issue in report.sorted_errors()]


# --- Generated files -------------------------------------------------------------------------

def test_it_imports_generated_files_cleanly_in_batches_and_a_second_time_changes_nothing(consultant, fredericia, tmp_path):
    write_citizens_file(tmp_path / "c.csv", 60, seed=5, consultant="konsulent")
    write_placements_file(tmp_path / "p.csv", 80, seed=5, citizens=60)  # 20 citizens with a second placement
    report = import_citizens(consultant, tmp_path / "c.csv", batch_size=7)
    assert report.ok and counts(report) == (60, 0, 0) and not report.warnings, report.as_text()
    report = import_placements(consultant, fredericia, tmp_path / "p.csv", batch_size=7)
    assert report.ok and counts(report) == (80, 0, 0), report.as_text()
    assert report.employers_created == 80 // PLACEMENTS_PER_EMPLOYER == Employer.objects.count()
    assert Placement.objects.filter(municipality=fredericia).count() == 80
    assert AccessLog.objects.filter(purpose="import").count() == 140
    assert FollowUp.objects.exists()

    logged = AccessLog.objects.count()
    assert counts(import_citizens(consultant, tmp_path / "c.csv", batch_size=7)) == (0, 0, 60)
    assert counts(import_placements(consultant, fredericia, tmp_path / "p.csv", batch_size=7)) == (0, 0, 80)
    assert AccessLog.objects.count() == logged


def test_it_generates_the_same_file_from_the_same_seed(tmp_path):
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        write_citizens_file(tmp_path / f"{name}.csv", 20, seed=seed)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes() != (tmp_path / "c.csv").read_bytes()


# --- Queries grow with the batches, not the rows ---------------------------------------------

def fresh(user):
    """The user as loaded anew: nothing cached on the object from an earlier import."""
    return type(user).objects.get(pk=user.pk)


def _queries(run):
    with CaptureQueriesContext(connection) as captured:
        report = run()
    assert report.ok, report.as_text()
    inserts = sum(1 for query in captured.captured_queries if query["sql"].startswith("INSERT"))
    return len(captured), len(captured) - inserts


# An import's queries for each batch: its look-ups, its INSERTs and UPDATEs, the audit rows, the
# follow-ups and the citizens' statuses.
PER_BATCH = 20


def test_the_citizens_import_queries_grow_with_the_batches_not_the_rows(consultant, fredericia, tmp_path):
    def queries(n, batch_size, seed):
        Citizen.objects.all().delete()  # files of two seeds may share a CPR number or two
        write_citizens_file(tmp_path / f"{seed}.csv", n, seed=seed, consultant="konsulent")
        return _queries(lambda: import_citizens(fresh(consultant), tmp_path / f"{seed}.csv", batch_size=batch_size))

    small, small_others = queries(50, 50, seed=11)
    large, _large_others = queries(500, 50, seed=12)  # nine batches more
    assert large <= small + 9 * PER_BATCH
    # In one batch, 500 rows take the queries 50 do, but for the INSERTs a backend splits
    # (SQLite takes 999 values a statement).
    _total, one_batch_others = queries(500, 500, seed=13)
    assert one_batch_others == small_others


def test_the_placements_import_queries_grow_with_the_batches_not_the_rows(consultant, fredericia, tmp_path):
    write_citizens_file(tmp_path / "c.csv", 500, seed=21)
    assert import_citizens(consultant, tmp_path / "c.csv").ok

    def queries(n, batch_size, name):
        # The first n citizens of the file, each at a new employer of the file's.
        write_placements_file(tmp_path / f"{name}.csv", n, seed=21, citizens=n)
        return _queries(
            lambda: import_placements(fresh(consultant), fredericia, tmp_path / f"{name}.csv", batch_size=batch_size)
        )

    small, small_others = queries(50, 50, "small")
    Placement.objects.all().delete()
    Employer.objects.all().delete()
    large, _others = queries(500, 50, "large")
    assert large <= small + 9 * PER_BATCH
    Placement.objects.all().delete()
    Employer.objects.all().delete()
    _total, one_batch_others = queries(500, 500, "one-batch")
    assert one_batch_others == small_others


# --- Memory does not grow with the file ----------------------------------------------------------

def _peak(user, path, n, batch_size):
    """The most memory the import of a generated file of n citizens took at any moment."""
    Citizen.objects.all().delete()  # files of two seeds may share a CPR number or two
    write_citizens_file(path, n, seed=n)
    gc.collect()  # not the garbage of what ran before
    tracemalloc.start()
    try:
        report = import_citizens(user, path, batch_size=batch_size)
        _now, most = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.ok and report.created == n, report.as_text()
    return most


def test_the_memory_of_an_import_does_not_grow_with_the_file(consultant, fredericia, tmp_path):
    _peak(consultant, tmp_path / "c.csv", 50, 25)  # what is made once (caches, compiled queries)
    small, large = _peak(consultant, tmp_path / "c.csv", 100, 25), _peak(consultant, tmp_path / "c.csv", 1_000, 25)
    # Ten times the rows; what is kept a row across the file (to find a repeated CPR number:
    # common.KeyIndex) is a few dozen bytes. A model object a row, as before, took ten times
    # the memory.
    assert large < 2 * small, (small, large)


@pytest.mark.bench
def test_the_memory_of_an_import_of_20000_rows_is_that_of_2000(consultant, fredericia, tmp_path):
    small, large = _peak(consultant, tmp_path / "c.csv", 2_000, 500), _peak(consultant, tmp_path / "c.csv", 20_000, 500)
    assert large < 2 * small, (small, large)


def test_the_key_index_keeps_the_first_number_of_each_key_as_it_grows():
    index = KeyIndex()  # 1024 slots at first
    assert [index.setdefault((607, f"hash{i}"), i + 2) for i in range(5_000)] == list(range(2, 5_002))
    assert [index.setdefault((607, f"hash{i}"), 0) for i in range(5_000)] == list(range(2, 5_002))
    assert index.count == 5_000 and (607, "hash1") in index
    assert KeyIndex(expected=5_000)._low.buffer_info()[1] == 8192  # room enough from the start
    assert index.get((461, "hash1")) is None and index.get((461, "hash1"), -1) == -1


# --- Whole or not at all ----------------------------------------------------------------------------

def test_a_bad_row_at_the_end_of_a_long_citizens_file_saves_nothing(consultant, fredericia, tmp_path):
    path = tmp_path / "c.csv"
    write_citizens_file(path, 3_000, seed=41)
    with open(path, "a", encoding="utf-8") as out:
        out.write("0101901234,Sidste,Række,607,,,40,,,\n")  # 40 hours a week: too many
    report = import_citizens(consultant, path, batch_size=500)
    assert errors(report) == [(3_002, "weekly_hours", "Timer om ugen skal være over 0 og højst 37.")]
    assert counts(report) == (0, 0, 0)
    assert not Citizen.objects.exists() and not AccessLog.objects.exists()


def test_a_bad_row_at_the_end_of_a_long_placements_file_saves_nothing(consultant, fredericia, tmp_path):
    write_citizens_file(tmp_path / "c.csv", 1_500, seed=42)
    assert import_citizens(consultant, tmp_path / "c.csv").ok
    logged, statuses = AccessLog.objects.count(), list(Citizen.objects.values_list("status", flat=True))
    path = tmp_path / "p.csv"
    write_placements_file(path, 1_500, seed=42)
    with open(path, "a", encoding="utf-8") as out:
        out.write("0101901234,12345674,Firma,privat,fleksjob,8,2026-02-01,\n")  # no such citizen
    report = import_placements(consultant, fredericia, path, batch_size=400)
    assert [(line, column) for line, column, _message in errors(report)] == [(1_502, "cpr")]
    assert (counts(report), report.employers_created) == ((0, 0, 0), 0)
    assert not Placement.objects.exists() and not Employer.objects.exists() and not FollowUp.objects.exists()
    assert AccessLog.objects.count() == logged
    assert list(Citizen.objects.values_list("status", flat=True)) == statuses


def test_a_failure_while_saving_a_later_batch_undoes_the_earlier_ones(consultant, fredericia, tmp_path, monkeypatch):
    from imports import citizens as importer

    write_citizens_file(tmp_path / "c.csv", 300, seed=43)
    written = []
    original = importer._write

    def write_then_fail(created, *args):
        original(created, *args)
        written.append(len(created))
        if len(written) == 3:
            from django.db import IntegrityError

            raise IntegrityError("citizen_cpr_unique_in_municipality")

    monkeypatch.setattr(importer, "_write", write_then_fail)
    report = import_citizens(consultant, tmp_path / "c.csv", batch_size=100)
    assert written == [100, 100, 100] and not report.ok and "ændret samtidig" in report.errors[0].message
    assert not Citizen.objects.exists() and not AccessLog.objects.exists()


def test_it_finds_a_repeated_cpr_number_and_an_overlap_across_batches(consultant, fredericia, citizen, employer, tmp_path):
    number = citizen.reveal_cpr()
    rows = ["cpr,first_name,last_name,municipality"] + [f"{number},Anne,Jensen,607"] + [
        f"{make_citizen(fredericia).reveal_cpr()},A,B,607" for _ in range(5)
    ] + [f"{number},Anne,Jensen,607"]
    path = tmp_path / "c.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = import_citizens(consultant, path, batch_size=2)
    assert errors(report) == [(8, "cpr", "CPR-nummeret står også på linje 2.")]

    rows = ["cpr,cvr,kind,hours_per_week,start_date,end_date", f"{number},{employer.cvr},fleksjob,8,2026-01-01,"]
    rows += [f"{make_citizen(fredericia).reveal_cpr()},{employer.cvr},fleksjob,8,2026-01-01," for _ in range(4)]
    rows += [f"{number},{employer.cvr},praktik,8,2026-03-01,2026-03-31"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = import_placements(consultant, fredericia, path, batch_size=2)
    assert errors(report) == [
        (7, "start_date", "Ansættelsen overlapper ansættelsen på linje 2 hos samme virksomhed.")
    ]


def test_a_later_batch_that_ends_a_registered_placement_makes_room_for_an_earlier_one(consultant, fredericia, citizen, employer, tmp_path):
    """The periods as the file leaves them, across batches; on PostgreSQL the shortening is
    written before the placement that follows it (the no-overlap constraint)."""
    internship = make_placement(citizen, employer, kind=Placement.Kind.INTERNSHIP, start_date=date(2026, 1, 1))
    others = [make_citizen(fredericia).reveal_cpr() for _ in range(4)]
    rows = ["cpr,cvr,kind,hours_per_week,start_date,end_date", f"{citizen.reveal_cpr()},{employer.cvr},fleksjob,8,2026-03-01,"]
    rows += [f"{other},{employer.cvr},fleksjob,8,2026-01-01," for other in others]
    rows += [f"{citizen.reveal_cpr()},{employer.cvr},praktik,8,2026-01-01,2026-02-28"]
    path = tmp_path / "p.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = import_placements(consultant, fredericia, path, batch_size=2)
    assert report.ok and counts(report) == (5, 1, 0), report.as_text()
    internship.refresh_from_db()
    assert internship.end_date == date(2026, 2, 28)
    # A registered placement that no row updates still counts against the file.
    rows = ["cpr,cvr,kind,hours_per_week,start_date,end_date", f"{citizen.reveal_cpr()},{employer.cvr},praktik,8,2026-02-01,"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert [line for line, _column, _message in errors(import_placements(consultant, fredericia, path))] == [2]


def test_it_finds_the_consultants_a_long_file_names_when_it_keeps_few_names(consultant, fredericia, tmp_path, monkeypatch):
    from accounts.models import Membership, Role
    from imports import citizens as importer
    from tests.factories import make_user

    monkeypatch.setattr(importer._Plan, "MAX_NAMES", 1)  # the names kept are forgotten batch by batch
    Membership.objects.create(user=make_user("kollega"), municipality=fredericia, role=Role.CONSULTANT)
    path = tmp_path / "c.csv"
    write_citizens_file(path, 6, seed=44)
    lines = path.read_text(encoding="utf-8").splitlines()
    names = ["konsulent", "kollega", "KONSULENT", "kollega", "konsulent", "Kollega"]
    path.write_text("\n".join([lines[0]] + [line + name for line, name in zip(lines[1:], names)]) + "\n")
    report = import_citizens(consultant, path, batch_size=2)
    assert report.ok and report.created == 6, report.as_text()
    assert sorted(Citizen.objects.values_list("consultant__username", flat=True)) == ["kollega"] * 3 + ["konsulent"] * 3


def test_it_reads_a_file_that_cannot_seek(consultant, fredericia):
    class Pipe:
        def __init__(self, data):
            self.data = Source(data, "a.csv")

        def read(self, size=-1):
            return self.data.read(size)

    data = "cpr,first_name,last_name,municipality\n0101901234,A,B,607\n".encode()
    report = citizens_import(
        user=consultant, source=Pipe(data), filename="a.csv", municipalities=municipalities_for(consultant, CASEWORK_ROLES)
    )
    assert report.ok and report.created == 1


# --- Follow-ups planned in bulk ---------------------------------------------------------------------

def test_the_follow_ups_planned_in_bulk_are_those_planned_one_by_one(fredericia, employer):
    def placements():
        made = []
        for i, (kind, first, permanent, end) in enumerate([
            (Placement.Kind.FLEXJOB, True, False, None),
            (Placement.Kind.FLEXJOB, False, True, date(2026, 3, 1)),
            (Placement.Kind.INTERNSHIP, False, True, None),
            (Placement.Kind.ORDINARY_JOB, False, True, date(2025, 12, 31)),
        ]):
            citizen = make_citizen(fredericia)
            made.append(Placement.objects.create(
                municipality=fredericia, citizen=citizen, employer=employer, kind=kind, first_flexjob=first,
                permanent=permanent, hours_per_week=Decimal("8"), start_date=date(2025, 1, 1 + i), end_date=end,
            ))
        return made

    def planned(placement):
        return sorted(placement.follow_ups.values_list("kind", "months", "due_on", "done_on"))

    one_by_one, in_bulk = placements(), placements()
    for placement in one_by_one:
        followups_schedule(placement=placement, not_before=date(2025, 3, 1))
    followups_schedule_many(placements=in_bulk, not_before=date(2025, 3, 1), batch_size=3)
    assert [planned(p) for p in in_bulk] == [planned(p) for p in one_by_one]

    # Moved and gone as the placements change; one done is kept as it is.
    for group in (one_by_one, in_bulk):
        group[0].follow_ups.filter(kind="legal_follow_up").update(done_on=date(2025, 6, 1), outcome="still_employed")
        group[0].start_date, group[0].end_date = date(2025, 2, 1), date(2027, 1, 1)
        group[2].end_date = date(2025, 4, 15)
    for placement in one_by_one:
        followups_schedule(placement=placement)
    assert followups_schedule_many(placements=in_bulk, batch_size=3) > 0
    assert [planned(p) for p in in_bulk] == [planned(p) for p in one_by_one]
    assert followups_schedule_many(placements=in_bulk) == 0  # idempotent
