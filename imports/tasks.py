"""Celery entry point for imports: a thin task that takes a stored file's name and ids.

Not used by the upload view yet (imports run in the request); a later progress-bar import
stores the upload with default_storage.save() and enqueues this with transaction.on_commit.
"""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage

from .services import import_stored_file


@shared_task
def import_file(kind, name, user_id, municipality_id=None, dry_run=False):
    """Run the import and return the report as plain values (masked CPR numbers only)."""
    try:
        # Inside the try: a user deleted meanwhile must not leave the upload behind.
        user = get_user_model().objects.get(pk=user_id)
        report = import_stored_file(
            kind=kind, name=name, user=user, municipality_id=municipality_id, dry_run=dry_run
        )
    finally:
        # The upload holds personal data: it is kept no longer than the import takes.
        default_storage.delete(name)
    return report.as_dict()
