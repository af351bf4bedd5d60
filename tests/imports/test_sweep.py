"""The import sweep (beat, every five minutes): a job whose worker died or whose message was
lost runs again, a job tried too often or a day old ends, no upload outlives a day, and no
job lives forever. Tasks run in-process here, so a job queued again runs at once."""

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from kombu.exceptions import OperationalError

from citizens.models import Citizen
from imports import services
from imports.models import ImportJob
from imports.services import import_jobs_sweep
from imports.tasks import import_file
from taskforce.celery import app

from .conftest import make_job, stored_files


def later(**delta):
    return timezone.now() + timedelta(**delta)


def messages(job):
    return [issue["message"] for issue in job.report["errors"]]


def started(job, *, minutes_ago, attempts=1):
    """The job as a worker left it that started it `minutes_ago`, right after its upload."""
    when = timezone.now() - timedelta(minutes=minutes_ago)
    ImportJob.objects.filter(pk=job.pk).update(state="running", created_at=when, started_at=when, attempts=attempts)


def test_beat_runs_the_sweep_every_five_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["imports-sweep"]
    assert (entry["task"], entry["schedule"]) == ("imports.tasks.import_sweep", 300.0)
    assert entry["task"] in app.tasks


def test_it_runs_again_a_job_whose_worker_died_and_imports_it_once(consultant, fredericia, media):
    job = make_job(consultant)
    started(job, minutes_ago=16)
    counts = import_jobs_sweep()
    assert (counts["requeued"], counts["kicked"]) == (1, 1)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.report["created"]) == ("done", 2, 1)
    assert Citizen.objects.count() == 1 and stored_files(media) == []


def test_it_leaves_a_job_that_is_still_running_within_its_time_alone(consultant, fredericia):
    job = make_job(consultant)
    started(job, minutes_ago=14)
    assert import_jobs_sweep()["requeued"] == 0
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("running", 1)


def test_it_gives_up_a_job_whose_worker_died_on_its_last_attempt(consultant, fredericia, media):
    job = make_job(consultant)
    started(job, minutes_ago=16, attempts=services.MAX_ATTEMPTS)
    assert import_jobs_sweep()["given_up"] == 1
    job.refresh_from_db()
    assert job.state == "failed" and messages(job) == [
        "Importen blev afbrudt 3 gange og er opgivet. Intet er gemt: indlæs filen igen, og kontakt en "
        "administrator, hvis det sker igen."
    ]
    assert not Citizen.objects.exists() and stored_files(media) == []


def test_it_queues_again_a_job_queued_while_the_broker_was_down(consultant, fredericia, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(import_file, "delay", down)
    job = make_job(consultant)
    assert import_jobs_sweep(now=later(minutes=5))["kicked"] == 0  # still down: it stays queued
    job.refresh_from_db()
    assert job.state == "queued"
    monkeypatch.undo()
    assert import_jobs_sweep(now=later(seconds=30))["kicked"] == 0  # a fresh job's message is on its way
    assert import_jobs_sweep(now=later(minutes=5))["kicked"] == 1
    job.refresh_from_db()
    assert (job.state, job.report["created"]) == ("done", 1)


def test_it_stops_asking_the_broker_at_the_first_refusal(consultant, fredericia, monkeypatch):
    asked = []

    def down(job_id):
        asked.append(job_id)
        raise OperationalError("Connection refused")

    monkeypatch.setattr(import_file, "delay", down)
    for _ in range(3):
        make_job(consultant)
    import_jobs_sweep(now=later(minutes=5))
    assert len(asked) == 1


def test_it_ends_a_job_not_run_within_a_day_and_deletes_its_upload(consultant, fredericia, media):
    queued, running = make_job(consultant), make_job(consultant)
    started(running, minutes_ago=5)
    counts = import_jobs_sweep(now=later(days=1, minutes=1))
    assert counts["expired"] == 2
    for job in (queued, running):
        job.refresh_from_db()
        assert (job.state, job.file_name) == ("failed", "")
        assert messages(job) == ["Importen blev ikke kørt inden for et døgn. Intet er gemt: indlæs filen igen."]
    assert stored_files(media) == [] and not Citizen.objects.exists()


def test_it_deletes_a_finished_job_s_upload_left_behind(consultant, fredericia, media):
    job = make_job(consultant, state="done")
    import_jobs_sweep(now=later(hours=23))
    assert len(stored_files(media)) == 1
    import_jobs_sweep(now=later(days=1, minutes=1))
    job.refresh_from_db()
    assert (job.state, job.file_name, stored_files(media)) == ("done", "", [])


def test_it_deletes_a_day_old_upload_that_no_job_names(consultant, fredericia, media):
    """Its job went with its uploader, say (or the job was never written)."""
    old = default_storage.save("import-uploads/old.csv", ContentFile(b"cpr\n"))
    fresh = default_storage.save("import-uploads/fresh.csv", ContentFile(b"cpr\n"))
    day_ago = (timezone.now() - timedelta(days=1, minutes=1)).timestamp()
    os.utime(default_storage.path(old), (day_ago, day_ago))
    assert import_jobs_sweep()["files_deleted"] == 1
    assert stored_files(media) == [fresh.split("/")[-1]]


def test_it_deletes_jobs_after_a_week(consultant, fredericia):
    make_job(consultant, state="done")
    assert import_jobs_sweep(now=later(days=6))["deleted"] == 0
    assert import_jobs_sweep(now=later(days=7, minutes=1))["deleted"] == 1
    assert not ImportJob.objects.exists()


def test_it_is_the_task_beat_runs(consultant, fredericia):
    job = make_job(consultant)
    started(job, minutes_ago=16)
    from imports.tasks import import_sweep

    assert import_sweep.delay().get()["requeued"] == 1
    job.refresh_from_db()
    assert job.state == "done"


@pytest.mark.parametrize("state", ["done", "failed"])
def test_it_never_runs_a_finished_job_again(consultant, fredericia, state):
    job = make_job(consultant, state=state, attempts=1)
    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(hours=2))
    counts = import_jobs_sweep(now=later(hours=2))
    assert (counts["requeued"], counts["kicked"]) == (0, 0)
    job.refresh_from_db()
    assert job.state == state and not Citizen.objects.exists()
