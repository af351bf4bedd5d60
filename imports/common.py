"""What the citizen and placement imports share: the audit purpose, messages and helpers."""

import logging

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint, F, Q
from django.utils.translation import gettext_lazy as _

from citizens import cpr as cprlib

from .parsing import ImportFileError, read_table

logger = logging.getLogger("imports")

# The purpose written on every audit row an import leaves.
PURPOSE = "import"

# Lookups go to the database in chunks, so a long file stays under every backend's limit on
# query parameters while the number of queries does not grow with each row.
CHUNK_SIZE = 500

# An import tells its progress (a callable(done, total)) once every so many rows, never per
# row: each telling may be a database write of its own.
PROGRESS_EVERY = 200

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


def constraint_errors(obj, columns, exclude=()):
    """(column, message) pairs for the model's own rules the object would break: its clean()
    and each constraint in Meta.constraints, so a row that would break one is reported with
    its line and column before anything is saved (the database would only refuse the whole
    file). `columns` maps a constraint's name to the column the row can correct; `exclude`
    names fields whose constraints the import checks itself (e.g. by a locked lookup).

    A check constraint made of plain comparisons is evaluated here, as the database would
    (a comparison with NULL passes), so a long file costs no query per row; any other
    constraint is validated by Django (a query)."""
    try:
        obj.clean()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            yield from messages_by_field(error)
        else:
            yield "", " ".join(str(m) for m in error.messages)
    model = type(obj)
    exclude = set(exclude)
    for constraint in model._meta.constraints:
        try:
            if isinstance(constraint, CheckConstraint):
                holds = _holds(constraint.condition, obj)
                if holds is not _UNSUPPORTED:
                    if holds is False:
                        yield columns.get(constraint.name, ""), str(constraint.get_violation_error_message())
                    continue
            constraint.validate(model, obj, exclude=exclude)
        except ValidationError as error:
            yield columns.get(constraint.name, ""), " ".join(str(m) for m in error.messages)


_UNSUPPORTED = object()
_COMPARISONS = {
    "exact": lambda a, b: a == b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "in": lambda a, b: a in b,
}


def _holds(condition, obj):
    """True, False or None (unknown, as SQL's NULL) for a Q of plain field comparisons on
    `obj`; _UNSUPPORTED for anything else."""
    if isinstance(condition, Q):
        results = [_holds(child, obj) for child in condition.children]
        if _UNSUPPORTED in results:
            return _UNSUPPORTED
        if condition.connector == Q.AND:
            result = False if False in results else (None if None in results else True)
        elif condition.connector == Q.OR:
            result = True if True in results else (None if None in results else False)
        else:
            return _UNSUPPORTED
        if condition.negated:
            result = None if result is None else not result
        return result
    if not isinstance(condition, tuple) or len(condition) != 2:
        return _UNSUPPORTED
    lookup, expected = condition
    name, _sep, operator = lookup.partition("__")
    operator = operator or "exact"
    value = _field_value(obj, name)
    if value is _UNSUPPORTED:
        return _UNSUPPORTED
    if operator == "isnull":
        return (value is None) == bool(expected)
    if isinstance(expected, F):
        expected = _field_value(obj, expected.name)
        if expected is _UNSUPPORTED:
            return _UNSUPPORTED
    elif hasattr(expected, "resolve_expression") or operator not in _COMPARISONS:
        return _UNSUPPORTED
    if value is None or (expected is None and operator != "in"):
        return None
    return bool(_COMPARISONS[operator](value, expected))


def _field_value(obj, name):
    try:
        field = type(obj)._meta.get_field(name)
    except FieldDoesNotExist:
        return _UNSUPPORTED
    if not getattr(field, "concrete", False) or "__" in name:
        return _UNSUPPORTED
    return getattr(obj, field.attname)


def plan_row(report, line, record, changed, columns, exclude=()):
    """Weigh one row's planned record: a new or changed one must pass the model's constraints,
    or each problem is reported on its line; otherwise the row is counted as created (changed
    is None), updated or unchanged. Returns whether the record goes into the plan."""
    if changed is None or changed:
        problems = list(constraint_errors(record, columns, exclude=exclude))
        for column, message in problems:
            report.error(line, column, message)
        if problems:
            return False
    if changed is None:
        report.created += 1
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1
    return True


class ProgressCounter:
    """Counts the rows of one pass over the file for `progress(done, total)`: `counted(items)`
    yields the items and tells the count every PROGRESS_EVERY items and at the end."""

    def __init__(self, progress, total):
        self.progress, self.total = progress, total

    def counted(self, items):
        done = 0
        for item in items:
            yield item
            done += 1
            if done % PROGRESS_EVERY == 0:
                self.progress(done, self.total)
        self.progress(done, self.total)


def _uncounted(items):
    return items


def import_whole_file(report, user, *, source, filename, columns, plan, save, dry_run, progress=None):
    """Read the file, plan every row, then save them only when all are good, in one
    transaction: a file is imported whole or not at all, and a race with a colleague's save
    undoes it all. `plan(table, counted)` returns what `save(planned, counted)` writes; each
    passes the rows it works through, one by one, through `counted`.

    `progress(done, total)`, if given, hears the file's number of rows once it is read, then
    the rows done of one pass: the rows saved, or for a dry run the rows checked (checking a
    file to save it is the shorter part, and one bar that runs once is what a person can
    read)."""
    try:
        table = read_table(source, filename, columns)
    except ImportFileError as error:
        report.add_errors(error.issues)
        log_report(report, user)
        return report
    if progress is None:
        check_counted = save_counted = _uncounted
    else:
        counter = ProgressCounter(progress, len(table.rows))
        progress(0, counter.total)
        check_counted, save_counted = (counter.counted, _uncounted) if dry_run else (_uncounted, counter.counted)
    try:
        with transaction.atomic():
            planned = plan(table, check_counted)
            if report.ok and not dry_run:
                save(planned, save_counted)
    except IntegrityError:
        # Someone saved one of the same records while the file was being checked.
        report.error(None, "", CONCURRENT_CHANGE)
    if not report.ok:
        report.discard_counts()
    log_report(report, user)
    return report


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
        report.error_count,
        report.warning_count,
    )
