"""Imports through a real Celery worker, PostgreSQL and Redis: an upload on the web page is
imported by the worker while its page follows it to the report; a worker killed halfway
through a large import leaves nothing of it saved, and the job, queued again by the sweep,
is imported by a new worker exactly once."""

import signal
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Municipality, Role
from audit.models import AccessLog
from citizens.models import Citizen
from imports import services
from imports.models import ImportJob
from imports.tasks import import_file
from tests.factories import make_cpr, make_user
from tests.imports.conftest import CITIZEN_HEADER, csv_bytes, stored_files

from .conftest import REAL_WORKER, wait_for, worker_log

pytestmark = REAL_WORKER


def citizens_file(count):
    return csv_bytes([CITIZEN_HEADER] + [[make_cpr(), "Anne", "Jensen", "607"] for _ in range(count)])


def job_state(job):
    return ImportJob.objects.values_list("state", "progress", "total").get(pk=job.pk)


def test_an_upload_on_the_page_is_imported_by_the_worker_and_its_page_shows_the_report(worker, client, settings):
    from pathlib import Path

    fredericia = Municipality.objects.create(code=607, name="Fredericia")
    consultant = make_user("konsulent", fredericia, Role.CONSULTANT)
    client.force_login(consultant)

    upload = SimpleUploadedFile("borgere.csv", citizens_file(500))
    response = client.post("/imports/citizens/", {"citizens-file": upload})
    assert response.status_code == 302
    job_url = response["Location"]

    def report_shown():
        html = client.get(job_url, HTTP_HX_REQUEST="true").content.decode()
        return html if "Filen er importeret" in html else None

    html = wait_for(report_shown, timeout=60, every=0.2, what="the job's page to show the report")
    assert "Oprettet: 500, ændret: 0, uændret: 0." in html and "hx-trigger" not in html
    job = ImportJob.objects.get()
    assert (job.state, job.attempts, job.progress, job.total) == ("done", 1, 500, 500)
    assert Citizen.objects.count() == 500
    assert AccessLog.objects.filter(user=consultant, action="create", purpose="import").count() == 500
    assert job.file_name == "" and stored_files(Path(settings.MEDIA_ROOT)) == []


def test_a_worker_killed_halfway_leaves_nothing_imported_and_a_new_one_imports_the_job_once(worker_process, killed_deliveries, settings, tmp_path):
    from pathlib import Path

    fredericia = Municipality.objects.create(code=607, name="Fredericia")
    consultant = make_user("konsulent", fredericia, Role.CONSULTANT)
    rows = 6000
    first = worker_process("worker")
    job = services.import_job_create(
        user=consultant, kind=ImportJob.Kind.CITIZENS, upload=SimpleUploadedFile("borgere.csv", citizens_file(rows))
    )
    killed_deliveries.append(job.pk)

    # Killed while it saves: some rows are written inside the import's transaction, as its
    # progress (written beside it, on a connection of its own) shows.
    def saving():
        state, progress, total = job_state(job)
        assert first.poll() is None, worker_log(tmp_path)
        return state == "running" and 0 < progress < total

    wait_for(saving, timeout=120, every=0.02, what="the worker to save rows")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)

    state, progress, total = job_state(job)
    assert (state, total) == ("running", rows) and 0 < progress < rows
    assert not Citizen.objects.exists()
    assert not AccessLog.objects.filter(purpose="import").exists()
    assert len(stored_files(Path(settings.MEDIA_ROOT))) == 1  # kept for the next attempt

    # The sweep finds the job running past its time, queues it again, and a new worker runs it.
    second = worker_process("worker")
    counts = services.import_jobs_sweep(now=timezone.now() + services.RUNNING_TIMEOUT + timedelta(minutes=1))
    assert (counts["requeued"], counts["kicked"]) == (1, 1)

    def finished():
        assert second.poll() is None, worker_log(tmp_path)
        return job_state(job)[0] in ("done", "failed")

    wait_for(finished, timeout=180, every=0.2, what="the new worker to finish the job")
    job.refresh_from_db()
    assert (job.state, job.attempts, job.report["created"], job.report["saved"]) == ("done", 2, rows, True)
    assert Citizen.objects.count() == rows
    assert AccessLog.objects.filter(purpose="import", action="create").count() == rows
    assert stored_files(Path(settings.MEDIA_ROOT)) == []

    # Delivered once more (as the killed worker's message is, after the broker's visibility
    # timeout): the job is done, and stays so.
    import_file.delay(job.pk)
    wait_for(
        lambda: f"import job {job.pk}: done, not run again" in worker_log(tmp_path),
        timeout=30, every=0.2, what="the worker to turn the message down",
    )
    job.refresh_from_db()
    assert (job.state, job.attempts, Citizen.objects.count()) == ("done", 2, rows)
