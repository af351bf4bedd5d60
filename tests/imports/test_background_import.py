"""An import job run by its task (in-process here; tests/worker runs it in a real worker):
claimed once, imported as its uploader within the uploader's municipalities as they are when
it runs, recorded with the import in one transaction, its upload deleted in every case."""

import pytest
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections
from kombu.exceptions import OperationalError

from accounts.models import Membership, Role
from audit.models import AccessLog
from citizens.models import Citizen
from imports import common, services
from imports.models import ImportJob
from imports.services import import_stored_file
from imports.tasks import import_file, import_job_kick
from placements.models import Placement
from tests.factories import make_citizen, make_cpr, make_cpr_with_modulus11, make_employer, make_user

from .conftest import CITIZEN_HEADER, PLACEMENT_HEADER, assert_no_full_cpr, make_job, source, stored_files, upload

REFUSED = "Du kan ikke importere ansættelser til den kommune."


def citizen_rows(count):
    return [CITIZEN_HEADER] + [[make_cpr(), "A", "B", "607"] for _ in range(count)]


def placement_rows(citizen, employer):
    return [PLACEMENT_HEADER, [citizen.reveal_cpr(), employer.cvr, "", "", "fleksjob", "8", "2026-02-01", ""]]


def run(job):
    import_file.delay(job.pk)
    job.refresh_from_db()
    return job


def messages(job):
    return [(issue["line"], issue["column"], issue["message"]) for issue in job.report["errors"]]


# --- A job runs once, as its uploader -------------------------------------------------------

def test_it_runs_a_queued_job_as_its_uploader_and_deletes_the_upload(consultant, fredericia, media):
    number = make_cpr_with_modulus11()
    job = run(make_job(consultant, rows=[CITIZEN_HEADER, [number, "A", "B", "607"]]))
    assert (job.state, job.attempts, job.report["created"], job.report["saved"]) == ("done", 1, 1, True)
    assert job.started_at <= job.finished_at
    assert Citizen.objects.with_cpr(number).exists()
    assert AccessLog.objects.filter(user=consultant, action="create", purpose="import").count() == 1
    assert job.file_name == "" and stored_files(media) == []
    assert_no_full_cpr(str(job.report), number)


def test_it_goes_from_queued_through_running_to_done(consultant, fredericia, monkeypatch):
    seen = []

    def watch(**kwargs):
        seen.append(ImportJob.objects.values_list("state", "attempts").get())
        return import_stored_file(**kwargs)

    monkeypatch.setattr(services, "import_stored_file", watch)
    job = make_job(consultant)
    assert (job.state, job.attempts, job.started_at, job.finished_at) == ("queued", 0, None, None)
    job = run(job)
    assert seen == [("running", 1)]
    assert job.state == "done" and job.finished_at is not None


@pytest.mark.parametrize("state", ["running", "done", "failed"])
def test_it_leaves_a_job_that_is_not_queued_alone(consultant, fredericia, media, state):
    job = make_job(consultant, state=state, attempts=1)
    assert services.import_job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.state, job.attempts, job.report) == (state, 1, None)
    assert not Citizen.objects.exists() and len(stored_files(media)) == 1


def test_it_runs_a_job_delivered_twice_once(consultant, fredericia):
    job = run(make_job(consultant))
    report = job.report
    job = run(job)
    assert (job.state, job.attempts, job.report) == ("done", 1, report)
    assert Citizen.objects.count() == 1


def test_it_ignores_a_job_that_is_gone(db):
    assert services.import_job_run(job_id=999999) is None


def test_it_checks_a_file_without_saving_it_in_a_dry_run(consultant, fredericia, media):
    job = run(make_job(consultant, rows=citizen_rows(3), dry_run=True))
    assert (job.state, job.report["created"], job.report["saved"], job.report["dry_run"]) == ("done", 3, False, True)
    assert not Citizen.objects.exists() and stored_files(media) == []


def test_it_imports_a_file_again_without_creating_anything_new(consultant, fredericia):
    rows = citizen_rows(3)
    first, again = run(make_job(consultant, rows=rows)), run(make_job(consultant, rows=rows))
    assert (first.report["created"], again.report["created"], again.report["unchanged"]) == (3, 0, 3)
    assert Citizen.objects.count() == 3


# --- The uploader's municipalities when the job runs ----------------------------------------

def test_the_service_refuses_placements_into_a_municipality_not_the_user_s(consultant, fredericia, odense, media):
    citizen, employer = make_citizen(odense), make_employer(odense)
    name = default_storage.save("import-uploads/a.csv", upload(placement_rows(citizen, employer)))
    report = import_stored_file(kind="placements", name=name, user=consultant, municipality_id=odense.pk)
    assert not report.ok and report.rows == 0
    assert [(i.line, i.column, i.message) for i in report.errors] == [(None, "", REFUSED)]
    assert "Filen er ikke importeret: 1 fejl." in report.as_text()
    assert not Placement.objects.exists()


def test_the_service_imports_placements_into_a_municipality_of_the_user(consultant, fredericia, citizen, employer, media):
    name = default_storage.save("import-uploads/a.csv", upload(placement_rows(citizen, employer)))
    report = import_stored_file(kind="placements", name=name, user=consultant, municipality_id=fredericia.pk)
    assert report.saved and report.created == 1


def test_the_task_refuses_placements_into_a_municipality_the_uploader_left_after_the_upload(consultant, fredericia, odense, login, media):
    Membership.objects.create(user=consultant, municipality=odense, role=Role.CONSULTANT)
    citizen, employer = make_citizen(odense), make_employer(odense)
    job = make_job(consultant, kind="placements", municipality=odense, rows=placement_rows(citizen, employer))
    Membership.objects.filter(user=consultant, municipality=odense).delete()
    job = run(job)
    assert (job.state, job.report["saved"]) == ("done", False)
    assert messages(job) == [(None, "", REFUSED)]
    assert not Placement.objects.exists() and stored_files(media) == []
    html = login(consultant).get(f"/imports/jobs/{job.pk}/").content.decode()
    assert "Filen er ikke importeret" in html and REFUSED in html


def test_the_task_refuses_citizens_of_a_municipality_the_uploader_left_after_the_upload(consultant, fredericia, odense):
    Membership.objects.create(user=consultant, municipality=odense, role=Role.CONSULTANT)
    job = make_job(consultant, rows=[CITIZEN_HEADER, [make_cpr_with_modulus11(), "A", "B", "461"]])
    Membership.objects.filter(user=consultant, municipality=odense).delete()
    job = run(job)
    assert messages(job) == [(2, "municipality", "Du kan ikke importere borgere til kommune 461.")]
    assert not Citizen.objects.exists()


def test_the_task_imports_placements_for_an_admin_of_the_municipality(fredericia, citizen, employer):
    admin = make_user("kommuneadmin", fredericia, Role.ADMIN)
    job = run(make_job(admin, kind="placements", municipality=fredericia, rows=placement_rows(citizen, employer)))
    assert job.report["created"] == 1 and Placement.objects.get().created_by == admin


def test_it_imports_nothing_for_an_uploader_who_is_no_longer_active(consultant, fredericia, media):
    job = make_job(consultant)
    consultant.is_active = False
    consultant.save(update_fields=["is_active"])
    job = run(job)
    assert job.state == "done" and messages(job) == [(None, "", str(services.UPLOADER_INACTIVE))]
    assert not Citizen.objects.exists() and stored_files(media) == []


# --- A run that cannot finish ---------------------------------------------------------------

def test_it_fails_a_job_whose_upload_is_gone(consultant, fredericia):
    job = make_job(consultant)
    default_storage.delete(job.file_name)
    job = run(job)
    assert job.state == "failed" and messages(job) == [(None, "", str(services.FILE_GONE))]


def test_a_run_that_crashes_halfway_saves_nothing_and_fails_the_job(consultant, fredericia, media, monkeypatch, caplog):
    def crash(**kwargs):
        import_stored_file(**kwargs)  # the whole file is saved …
        raise RuntimeError("a bug that repeats a cell: 010190-1234")  # … and then undone

    monkeypatch.setattr(services, "import_stored_file", crash)
    job = run(make_job(consultant, rows=citizen_rows(3)))
    assert job.state == "failed" and messages(job) == [(None, "", str(services.JOB_CRASHED))]
    assert not Citizen.objects.exists() and not AccessLog.objects.filter(purpose="import").exists()
    assert stored_files(media) == []
    # The log says what broke where, never the exception's message.
    assert f"import job {job.pk}: attempt 1 failed: RuntimeError at " in caplog.text
    assert "010190" not in caplog.text


def test_a_run_overtaken_by_the_sweep_is_undone_and_the_job_runs_again(consultant, fredericia, media, monkeypatch):
    """The sweep gave the job to another run while this one was slow: this run's import must
    not count, or the file would be imported by both."""

    def overtaken(**kwargs):
        report = import_stored_file(**kwargs)
        ImportJob.objects.update(state="queued")  # what the sweep does to a job running too long
        return report

    monkeypatch.setattr(services, "import_stored_file", overtaken)
    job = make_job(consultant, rows=citizen_rows(3))
    assert services.import_job_run(job_id=job.pk) is None
    assert not Citizen.objects.exists() and not AccessLog.objects.filter(purpose="import").exists()
    assert len(stored_files(media)) == 1  # kept for the run that took over
    # The sweep's change is committed by the sweep's own connection; in this test's one
    # connection it went with the rollback, so it is made again.
    ImportJob.objects.update(state="queued")
    monkeypatch.setattr(services, "import_stored_file", import_stored_file)
    job = run(job)
    assert (job.state, job.attempts, job.report["created"]) == ("done", 2, 3)
    assert Citizen.objects.count() == 3


def test_it_gives_up_a_job_delivered_again_after_its_last_attempt(consultant, fredericia, media):
    job = run(make_job(consultant, attempts=services.MAX_ATTEMPTS))
    assert job.state == "failed" and "afbrudt 3 gange" in messages(job)[0][2]
    assert not Citizen.objects.exists() and stored_files(media) == []


# --- Queued without waiting on the broker ---------------------------------------------------

def test_with_the_broker_down_the_upload_is_kept_queued_and_the_page_says_so(login, consultant, fredericia, monkeypatch, post_and_run, media):
    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(import_file, "delay", down)
    html = post_and_run(login(consultant), "/imports/citizens/", {"citizens-file": upload(citizen_rows(1))}).content.decode()
    job = ImportJob.objects.get()
    assert (job.state, job.attempts) == ("queued", 0) and len(stored_files(media)) == 1
    assert "Filen venter på at blive importeret" in html and "hx-trigger" in html
    assert import_job_kick(job.pk) is False


# --- Progress ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dry_run", [False, True])
def test_an_import_tells_its_progress_every_so_many_rows_not_every_row(consultant, fredericia, dry_run):
    from imports.citizens import citizens_import
    from accounts.access import CASEWORK_ROLES, municipalities_for

    calls = []
    citizens_import(
        user=consultant, source=source(citizen_rows(450)), filename="a.csv",
        municipalities=municipalities_for(consultant, CASEWORK_ROLES), dry_run=dry_run,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert common.PROGRESS_EVERY == 200
    assert calls == [(0, 450), (200, 450), (400, 450), (450, 450)]


def test_a_placements_import_tells_its_progress_too(consultant, fredericia, citizen, employer):
    from imports.placements import placements_import

    calls = []
    report = placements_import(
        user=consultant, source=source(placement_rows(citizen, employer)), filename="a.csv", municipality=fredericia,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert report.created == 1 and calls == [(0, 1), (1, 1)]


def test_a_file_that_cannot_be_read_tells_no_progress(consultant, fredericia):
    from imports.citizens import citizens_import

    calls = []
    report = citizens_import(
        user=consultant, source=source([["navn"], ["x"]]), filename="a.csv",
        municipalities=fredericia.__class__.objects.all(), progress=lambda *args: calls.append(args),
    )
    assert not report.ok and calls == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="progress is written while the import runs on PostgreSQL only")
def test_on_postgresql_a_running_job_s_progress_is_readable_before_its_import_commits(transactional_db, media, monkeypatch):
    from accounts.models import Municipality

    fredericia = Municipality.objects.create(code=607, name="Fredericia")
    consultant = make_user("konsulent", fredericia, Role.CONSULTANT)
    job = make_job(consultant, rows=citizen_rows(450))
    seen, committed = [], []
    write = services._ProgressWriter.__call__
    onlooker = connections.create_connection(DEFAULT_DB_ALIAS)  # as the web's page would look

    def write_and_look(self, done, total):
        write(self, done, total)
        with onlooker.cursor() as cursor:
            cursor.execute("SELECT progress, total FROM imports_importjob WHERE id = %s", [job.pk])
            seen.append(cursor.fetchone())
            cursor.execute("SELECT count(*) FROM citizens_citizen")
            committed.append(cursor.fetchone()[0])

    monkeypatch.setattr(services._ProgressWriter, "__call__", write_and_look)
    try:
        job = run(job)
    finally:
        onlooker.close()
    assert seen == [(0, 450), (200, 450), (400, 450), (450, 450)]
    assert committed == [0, 0, 0, 0]  # the rows saved so far wait for the import's commit
    assert (job.state, job.progress, job.total, Citizen.objects.count()) == ("done", 450, 450, 450)
