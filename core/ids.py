"""Record ids as the database holds them: a big integer (BigAutoField, and the log's
PositiveBigIntegerField) is at most MAX_ID. A larger number, typed into a URL or a form, names
no record, and SQLite cannot even compare one (OverflowError): it is turned away before any
query, as a 404 or a form's error."""

MAX_ID = 2**63 - 1


def is_id(value):
    """Whether `value` (an int) can be a record's id."""
    return 0 < value <= MAX_ID


def ids_only(values):
    """The values that can be ids: for a filter `pk__in`, which would fail on a larger one."""
    return [value for value in values if is_id(value)]
