"""What the citizen and placement imports share: the audit purpose, messages and helpers."""

import logging

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from citizens import cpr as cprlib

logger = logging.getLogger("imports")

# The purpose written on every audit row an import leaves.
PURPOSE = "import"

# Lookups go to the database in chunks, so a long file stays under every backend's limit on
# query parameters while the number of queries does not grow with each row.
CHUNK_SIZE = 500

CONCURRENT_CHANGE = _(
    "Filen kunne ikke gemmes, fordi nogle af de samme data blev ændret samtidig. Intet er gemt: prøv igen."
)


def chunked(values, size=CHUNK_SIZE):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def masked(number):
    """A CPR number as the report may show it: DDMMYY-XXXX."""
    return cprlib.cpr_mask(cprlib.cpr_birth_date(number))


def messages_by_field(error, columns=None):
    """(column, message) pairs of a model's ValidationError; `columns` renames fields."""
    columns = columns or {}
    for field, messages in error.message_dict.items():
        column = "" if field == NON_FIELD_ERRORS else columns.get(field, field)
        yield column, " ".join(str(message) for message in messages)


def log_report(report, user):
    """One line for operations: counts and ids only, never a row's content."""
    logger.info(
        "import %s by user %s: %s, created=%s updated=%s unchanged=%s employers_created=%s errors=%s warnings=%s",
        report.kind,
        user.pk,
        "dry run" if report.dry_run else ("saved" if report.saved else "refused"),
        report.created,
        report.updated,
        report.unchanged,
        report.employers_created,
        len(report.errors),
        len(report.warnings),
    )
