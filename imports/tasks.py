"""Celery entry points for imports: thin tasks that take a job's id (imports.services does
the work). The upload view queues `import_file` once the job is committed; beat runs
`import_sweep` every five minutes for what the broker or a dead worker lost."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger("imports")


# No result is kept: the job's row is the result (and enqueueing never waits on a result
# backend). A run that takes longer than the sweep's timeout is stopped: the sweep has queued
# it again.
@shared_task(ignore_result=True, time_limit=int(services.RUNNING_TIMEOUT.total_seconds()))
def import_file(job_id):
    """Run the import job (a job that is not queued is left alone)."""
    services.import_job_run(job_id=job_id)


@shared_task(ignore_result=True)
def import_sweep():
    return services.import_jobs_sweep()


def import_job_kick(job_id):
    """Ask a worker to run the job; never blocks long or fails the caller. Whether the
    broker took the message (if not, the job waits in its queued state for the sweep)."""
    try:
        import_file.delay(job_id)
    except Exception as exc:  # the broker is down (kombu's OperationalError), or a run in-process failed
        logger.warning("import job %s was not queued now (%s); the sweep queues it", job_id, type(exc).__name__)
        return False
    return True
