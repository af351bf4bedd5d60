"""What the citizen and placement imports share: the audit purpose, messages and helpers, and
`import_whole_file`, which runs an import's passes over its file.

An import reads its file as a stream and works through it in batches of `batch_size` rows
(BATCH_SIZE): one look-up of each kind per batch, one INSERT or UPDATE per batch and table.
The check pass reports every bad row before anything is written, and keeps what it would
write in a Spool (a temporary file); the save pass writes that in the same transaction, so a
file is saved whole or not at all. Neither keeps a model object longer than its batch: what
the check pass keeps across the file (to find a row that repeats an earlier one: KeyIndex)
is a few dozen bytes a row.
"""

import collections
import functools
import hashlib
import itertools
import logging
import pickle
import tempfile
from array import array

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint, F, Q
from django.utils.translation import gettext_lazy as _

from citizens import cpr as cprlib

from .parsing import ImportFileError, open_table

logger = logging.getLogger("imports")

# The purpose written on every audit row an import leaves.
PURPOSE = "import"

# The rows an import checks or saves at a time: the queries grow with the batches, not the
# rows, and the memory with the batch, not the file.
BATCH_SIZE = 2000

# bulk_update writes a CASE over the rows of each statement: smaller statements stay quick.
UPDATE_BATCH_SIZE = 500

# Lookups go to the database in chunks, so a long file stays under every backend's limit on
# query parameters while the number of queries does not grow with each row.
CHUNK_SIZE = 2000

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


def batches(items, size):
    """Lists of up to `size` items, read from `items` one list at a time."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# The array type of numbers below 2**32 in 4 bytes (where "L" takes 8).
U32 = "I" if array("I").itemsize >= 4 else "L"


class KeyIndex:
    """A map from a row's key (a tuple of values: a municipality and a CPR hash, say) to a
    number below 2**32 (a line, say), for every row of a long file: the key is kept as a 96-bit
    digest in an open-addressed table of plain arrays, 16 bytes a slot and some 30 bytes a row,
    where a dict of Python objects takes over 100. Two keys share a digest once in 10^18 files
    of 100,000 rows. `expected`, the number of keys it will hold, spares it growing."""

    def __init__(self, expected=0):
        slots = 1024
        while slots * self.LOAD < expected:
            slots *= 2
        self._allocate(slots)

    # At most this full: the probes stay short.
    LOAD = 0.7

    def _allocate(self, slots):
        self._low, self._high, self._values = array("Q", [0]) * slots, array(U32, [0]) * slots, array(U32, [0]) * slots
        self.count = 0

    def setdefault(self, key, value):
        """The number `key` has; `key` is given `value` when it has none."""
        low, high = _digest(key)
        slot = self._slot(low, high)
        if self._low[slot]:
            return self._values[slot]
        self._low[slot], self._high[slot], self._values[slot] = low, high, value
        self.count += 1
        if self.count > self.LOAD * len(self._low):
            self._grow()
        return value

    def get(self, key, default=None):
        slot = self._slot(*_digest(key))
        return self._values[slot] if self._low[slot] else default

    def __contains__(self, key):
        return self.get(key) is not None

    def _slot(self, low, high):
        """The slot of the digest, or the empty slot where it would go."""
        mask = len(self._low) - 1
        slot = low & mask
        while self._low[slot] and (self._low[slot] != low or self._high[slot] != high):
            slot = (slot + 1) & mask
        return slot

    def _grow(self):
        old = self._low, self._high, self._values
        self._allocate(2 * len(self._low))
        for low, high, value in zip(*old):
            if low:
                slot = self._slot(low, high)
                self._low[slot], self._high[slot], self._values[slot] = low, high, value
                self.count += 1


def _digest(key):
    """(low, high): 64 and 32 bits of the key's digest; the low part never 0 (an empty slot)."""
    digest = hashlib.blake2b("\x1f".join(map(str, key)).encode(), digest_size=12).digest()
    return int.from_bytes(digest[:8], "big") | 1, int.from_bytes(digest[8:], "big")


def masked(number):
    """A CPR number as the report may show it: DDMMYY-XXXX."""
    return cprlib.cpr_mask(cprlib.cpr_birth_date(number))


def messages_by_field(error, columns=None):
    """(column, message) pairs of a model's ValidationError; `columns` renames fields."""
    columns = columns or {}
    for field, messages in error.message_dict.items():
        column = "" if field == NON_FIELD_ERRORS else columns.get(field, field)
        yield column, " ".join(str(message) for message in messages)


def field_errors(model, values):
    """(field, message) for each of `values` (field name → value) that the model's field
    refuses (its type, length, decimal places, choices and validators), as Model.clean_fields
    would say, without making a model object for each row."""
    for name, value in values.items():
        try:
            model._meta.get_field(name).clean(value, None)
        except ValidationError as error:
            yield name, " ".join(str(message) for message in error.messages)


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
    attname = _attname(type(obj), name)
    return _UNSUPPORTED if attname is None else getattr(obj, attname)


@functools.cache
def _attname(model, name):
    """The attribute of a concrete field `name` of the model (None for anything else): asked
    for each row, found once."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not getattr(field, "concrete", False) or "__" in name:
        return None
    return field.attname


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


class Spool:
    """What the check pass plans to write, a batch at a time, kept in a temporary file (not in
    memory) until the save pass writes it, so the save pass neither reads the file again nor
    looks anything up again. It holds the values as they will be stored (a CPR number only
    encrypted, as the citizen's row keeps it), as the upload itself holds them; the file has no
    name and is gone when closed, at the end of the import. Pickled: it only ever reads back
    what this process wrote."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()
        self.batches = self.rows = 0

    def add(self, rows, records):
        """A batch of `rows` rows of the file, of which `records` are to be written."""
        pickle.dump((rows, records), self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.batches += 1
        self.rows += rows

    def replay(self, counted=_uncounted):
        """The batches' records, in the order added; `counted` hears of each batch's rows as
        the batch is reached (as it would of rows read from the file)."""
        self.file.seek(0)
        ticks = counted(itertools.repeat(None, self.rows))
        for _batch in range(self.batches):
            rows, records = pickle.load(self.file)
            collections.deque(itertools.islice(ticks, rows), maxlen=0)
            yield records
        collections.deque(ticks, maxlen=0)  # the last telling

    def close(self):
        self.file.close()


def import_whole_file(report, user, *, source, filename, columns, plan, save, dry_run, progress=None):
    """Read the file through once for what is wrong with it as a whole, then check every row
    (`plan`), then save them only when all are good (`save`), in one transaction: a file is
    imported whole or not at all, and a race with a colleague's save undoes it all.
    `plan(table, counted, spool)` reads the rows of `table` (parsing.TableFile), a batch at a
    time, and keeps what it would write in `spool` (a Spool; None for a dry run, which writes
    nothing); it returns what `save(planned, counted)` needs to write the spool. Each passes
    the rows of its pass, one by one, through `counted`.

    `progress(done, total)`, if given, hears the file's number of rows once it is read, then
    the rows done of one pass: the rows saved, or for a dry run the rows checked (checking a
    file to save it is the shorter part, and one bar that runs once is what a person can
    read)."""
    try:
        table = open_table(source, filename, columns)
        table.check()
    except ImportFileError as error:
        report.add_errors(error.issues, error.more)
        log_report(report, user)
        return report
    if progress is None:
        check_counted = save_counted = _uncounted
    else:
        counter = ProgressCounter(progress, table.row_count)
        progress(0, counter.total)
        check_counted, save_counted = (counter.counted, _uncounted) if dry_run else (_uncounted, counter.counted)
    spool = None if dry_run else Spool()
    try:
        with transaction.atomic():
            planned = plan(table, check_counted, spool)
            if report.ok and not dry_run:
                save(planned, save_counted)
    except IntegrityError:
        # Someone saved one of the same records while the file was being checked.
        report.error(None, "", CONCURRENT_CHANGE)
    except ImportFileError as error:  # the file read otherwise the second time (it changed)
        report.add_errors(error.issues, error.more)
    finally:
        if spool is not None:
            spool.close()
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
