"""The imports' entry points for views, management commands and tasks.

`citizens_import` and `placements_import` take an open binary file and its name, validate
every row and save all of it or nothing; `import_stored_file` does the same for a file kept
in the default storage, as an import job's run does.

An upload from the web is an import job (models.ImportJob): `import_job_create` stores the
file and queues the job, a worker runs it with `import_job_run` (the import and the job's
result in one transaction, its progress written beside it), and `import_jobs_sweep` (beat,
every five minutes) queues again what the broker or a dead worker lost and deletes what is
too old to keep.
"""

import logging
import traceback
import uuid
from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.access import CASEWORK_ROLES, municipalities_for
from accounts.services import system_user

from .citizens import citizens_import
from .models import ImportJob
from .parsing import extension_of
from .placements import placements_import
from .report import ImportReport, scrub

__all__ = [
    "citizens_import",
    "placements_import",
    "import_stored_file",
    "import_system_user",
    "import_job_create",
    "import_job_run",
    "import_jobs_sweep",
]

logger = logging.getLogger("imports")

# Where uploads wait in the default storage for their job.
UPLOAD_FOLDER = "import-uploads"
# A job running longer than this has lost its worker (the largest file takes a few minutes):
# the sweep queues it again. A run is tried this many times before the job is given up.
RUNNING_TIMEOUT = timedelta(minutes=15)
MAX_ATTEMPTS = 3
# A queued job older than this has lost its message (the broker was down when it was queued,
# say): the sweep queues it again.
QUEUED_GRACE = timedelta(minutes=1)
# The upload (CPR numbers) is deleted when the job ends and never kept longer than this; the
# job and its report (masked CPR numbers) are deleted when this much older still.
FILE_KEPT = timedelta(days=1)
JOB_KEPT = timedelta(days=7)

NOT_YOUR_MUNICIPALITY = gettext_lazy("Du kan ikke importere ansættelser til den kommune.")
UPLOADER_INACTIVE = gettext_lazy("Brugeren, der indlæste filen, er ikke længere aktiv. Intet er gemt.")
FILE_GONE = gettext_lazy("Filen findes ikke længere. Intet er gemt: indlæs filen igen.")
JOB_CRASHED = gettext_lazy(
    "Importen stoppede på grund af en fejl hos os. Intet er gemt: prøv igen, og kontakt en administrator, "
    "hvis det sker igen."
)
JOB_GAVE_UP = gettext_lazy(
    "Importen blev afbrudt %(count)s gange og er opgivet. Intet er gemt: indlæs filen igen, og kontakt en "
    "administrator, hvis det sker igen."
)
JOB_EXPIRED = gettext_lazy("Importen blev ikke kørt inden for et døgn. Intet er gemt: indlæs filen igen.")

# The user the audit log names when an import runs from the command line without --user; if a
# real user already holds "import", the system user is "import-system" instead.
SYSTEM_USERNAMES = ("import", "import-system")
SYSTEM_USERNAME = SYSTEM_USERNAMES[0]


def import_system_user():
    """The import system user, created on demand (accounts.services.system_user)."""
    return system_user(usernames=SYSTEM_USERNAMES, first_name="Import")


def import_stored_file(*, kind, name, user, municipality_id=None, consultant=None, dry_run=False, progress=None):
    """Import a file from the default storage on behalf of `user`, within the user's own
    municipalities as they are now (a membership removed since the upload counts), exactly
    as the upload form does; a citizens file gives `consultant` to the citizens whose rows
    name none (imports.citizens). `progress(done, total)` hears how far it is."""
    municipalities = municipalities_for(user, CASEWORK_ROLES)
    with default_storage.open(name, "rb") as source:
        if kind == "citizens":
            return citizens_import(
                user=user,
                source=source,
                filename=name,
                municipalities=municipalities,
                consultant=consultant,
                dry_run=dry_run,
                progress=progress,
            )
        municipality = municipalities.filter(pk=municipality_id).first()
        if municipality is None:
            report = ImportReport(kind, dry_run=dry_run)
            report.error(None, "", NOT_YOUR_MUNICIPALITY)
            return report
        return placements_import(
            user=user, source=source, filename=name, municipality=municipality, dry_run=dry_run, progress=progress
        )


# --- Import jobs ---------------------------------------------------------------------------


def import_job_create(*, user, kind, upload, municipality=None, consultant=None, dry_run=False):
    """Store an uploaded file and queue its import: a worker runs it once this transaction
    commits, or, when the broker cannot be reached, the sweep does a little later. A citizens
    file's `consultant` is kept on the job for its run. Returns the job (done already when
    tasks run in-process)."""
    from .tasks import import_job_kick  # the task module imports this one

    name = default_storage.save(f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}{extension_of(upload.name)}", upload)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                uploader=user,
                kind=kind,
                municipality=municipality if kind == ImportJob.Kind.PLACEMENTS else None,
                consultant=consultant if kind == ImportJob.Kind.CITIZENS else None,
                file_name=name,
                original_name=scrub(upload.name)[:100],
                dry_run=dry_run,
            )
            # robust: whatever the run does, the upload itself has succeeded.
            transaction.on_commit(lambda: import_job_kick(job.pk), robust=True)
    except BaseException:
        default_storage.delete(name)
        raise
    return job


def import_job_run(*, job_id):
    """Run a queued job: claim it, import its file as its uploader, and record the report
    with the import, in one transaction. A job that is running, done or failed is left alone
    (a message delivered twice runs it once). A worker that dies halfway leaves the import
    rolled back and the job running, and the sweep queues it again. Returns the job, or None
    when it was not run."""
    job = _claim(job_id)
    if job is None:
        return None
    attempt = job.attempts
    if not default_storage.exists(job.file_name):
        _give_up(job, attempt, FILE_GONE)
        return job
    try:
        with _ProgressWriter(job, attempt) as progress:
            with transaction.atomic():
                report = _import(job, progress)
                progress.close()
                if not _finish(job, attempt, ImportJob.State.DONE, report):
                    # The sweep took the job from this run meanwhile: another run owns it now.
                    raise _JobLost
    except _JobLost:
        logger.warning("import job %s: attempt %s was overtaken and is rolled back", job.pk, attempt)
        return None
    except Exception as exc:
        # Where, not what: an exception's message may repeat a cell of the file.
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        logger.error(
            "import job %s: attempt %s failed: %s at %s:%s",
            job.pk, attempt, type(exc).__name__, frame.filename, frame.lineno,
        )
        _give_up(job, attempt, JOB_CRASHED)
        return job
    _delete_file(job)
    return job


def import_jobs_sweep(*, now=None):
    """What beat runs every few minutes: a day-old job is ended and every day-old upload
    deleted, a job whose worker died (running too long) or whose message was lost (queued
    too long) is queued again, and a week-old job is deleted. Returns counts for the log."""
    from .tasks import import_job_kick

    now = now or timezone.now()
    counts = {"expired": 0, "given_up": 0, "requeued": 0, "kicked": 0, "deleted": 0, "files_deleted": 0}
    old = ImportJob.objects.filter(created_at__lt=now - FILE_KEPT)
    for job in old.filter(state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING]):
        counts["expired"] += _end(job, Q(state=job.state, attempts=job.attempts), JOB_EXPIRED, now=now)
    for job in old.exclude(file_name=""):
        _delete_file(job)
    stale = ImportJob.objects.filter(state=ImportJob.State.RUNNING, started_at__lt=now - RUNNING_TIMEOUT)
    for job in stale.filter(attempts__gte=MAX_ATTEMPTS):
        gave_up = JOB_GAVE_UP % {"count": job.attempts}
        counts["given_up"] += _end(job, Q(state=job.state, attempts=job.attempts), gave_up, now=now)
    counts["requeued"] = stale.filter(attempts__lt=MAX_ATTEMPTS).update(state=ImportJob.State.QUEUED)
    waiting = ImportJob.objects.filter(state=ImportJob.State.QUEUED, created_at__lt=now - QUEUED_GRACE)
    for job_id in waiting.order_by("created_at").values_list("pk", flat=True):
        if not import_job_kick(job_id):
            break  # the broker is down: the next sweep tries again
        counts["kicked"] += 1
    # Their files went with the day-old jobs' above.
    counts["deleted"], _by_model = ImportJob.objects.filter(created_at__lt=now - JOB_KEPT).delete()
    counts["files_deleted"] = _delete_old_uploads(now - FILE_KEPT)
    logger.info("import sweep: %s", ", ".join(f"{key}={value}" for key, value in counts.items()))
    return counts


def _delete_old_uploads(before):
    """Delete every upload stored before `before`, whether a job still names it or not (its
    uploader deleted, say, and the job with them): no upload outlives FILE_KEPT."""
    try:
        _folders, names = default_storage.listdir(UPLOAD_FOLDER)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        path = f"{UPLOAD_FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < before:
                default_storage.delete(path)
                deleted += 1
        except FileNotFoundError:  # deleted meanwhile by its job
            continue
    return deleted


class _JobLost(Exception):
    pass


def _claim(job_id):
    """The job, now running this attempt, or None if it is not queued (or not there)."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED, attempts__lt=MAX_ATTEMPTS).update(
        state=ImportJob.State.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        progress=0,
    )
    job = ImportJob.objects.select_related("uploader", "municipality", "consultant").filter(pk=job_id).first()
    if job is None:
        logger.info("import job %s: no such job", job_id)
        return None
    if claimed:
        return job
    if job.state == ImportJob.State.QUEUED and job.attempts >= MAX_ATTEMPTS:  # a redelivered message
        _end(job, Q(state=job.state, attempts=job.attempts), JOB_GAVE_UP % {"count": job.attempts})
    else:
        logger.info("import job %s: %s, not run again", job_id, job.state)
    return None


def _import(job, progress):
    if not job.uploader.is_active:
        report = ImportReport(job.kind, dry_run=job.dry_run)
        report.error(None, "", UPLOADER_INACTIVE)
        return report
    return import_stored_file(
        kind=job.kind,
        name=job.file_name,
        user=job.uploader,
        municipality_id=job.municipality_id,
        consultant=job.consultant,
        dry_run=job.dry_run,
        progress=progress,
    )


def _finish(job, attempt, state, report, *, now=None):
    """Record the run's outcome if the job is still this attempt's; whether it was."""
    return bool(
        ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.RUNNING, attempts=attempt).update(
            state=state, report=report.as_dict(), progress=F("total"), finished_at=now or timezone.now()
        )
    )


def _end(job, still, message, *, now=None):
    """Fail the job with `message` if it is still as `still` says, and delete its file; 1 if
    it was, else 0."""
    report = ImportReport(job.kind, dry_run=job.dry_run)
    report.error(None, "", message)
    ended = ImportJob.objects.filter(still, pk=job.pk).update(
        state=ImportJob.State.FAILED, report=report.as_dict(), finished_at=now or timezone.now()
    )
    if ended:
        _delete_file(job)
    return ended


def _give_up(job, attempt, message):
    _end(job, Q(state=ImportJob.State.RUNNING, attempts=attempt), message)


def _delete_file(job):
    if job.file_name:
        default_storage.delete(job.file_name)
        ImportJob.objects.filter(pk=job.pk, file_name=job.file_name).update(file_name="")
        job.file_name = ""


class _ProgressWriter:
    """`progress(done, total)` for a running job: written at once where the page can read
    it, while the import's own transaction stays open until the end.

    On PostgreSQL through a second database connection of its own, each write a short
    transaction of its own (its lock timeout set for that transaction only: behind PgBouncer
    the next may run on another server connection, which a session setting would outlive
    for some other client). Elsewhere
    (SQLite, where one connection writing blocks every other; tasks run in-process, where the
    job is done before anyone looks), and inside a caller's transaction (whose locks a second
    connection could wait on forever), the job's progress is written only when it ends.
    Progress is news, not data: a write that fails stops the writing, never the import."""

    def __init__(self, job, attempt):
        self.job_id, self.attempt = job.pk, attempt
        self.enabled = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.connection = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __call__(self, done, total):
        if not self.enabled:
            return
        try:
            if self.connection is None:
                self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
                self.connection.set_autocommit(False)
            with self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
                cursor.execute(
                    f"UPDATE {ImportJob._meta.db_table} SET progress = %s, total = %s "
                    "WHERE id = %s AND state = %s AND attempts = %s",
                    [done, total, self.job_id, ImportJob.State.RUNNING, self.attempt],
                )
            self.connection.commit()
        except DatabaseError:
            logger.warning("import job %s: progress not written", self.job_id, exc_info=True)
            self.enabled = False
            self.close()

    def close(self):
        """No more progress: the job's own row is written next, in the import's transaction."""
        self.enabled = False
        if self.connection is not None:
            self.connection.close()
            self.connection = None
