"""What the property tests type into forms and files (hypothesis strategies), and how they tell
that nothing was saved: NUL and other control characters, lone surrogates and odd unicode,
huge strings, odd numbers and dates at the edges of what Python holds. The profile they run
under (modest, deterministic) is registered at the end of tests/conftest.py."""

import re
from datetime import date

from django.apps import apps
from django.db import connection
from django.http import QueryDict
from hypothesis import strategies as st

# Every code point: control characters, lone surrogates, private use, unassigned.
ANY_CHARACTER = st.characters(codec=None, exclude_categories=())
ANY_TEXT = st.text(ANY_CHARACTER, max_size=30)

SPECIAL = st.sampled_from([
    "", " ", "\x00", "a\x00b", "\x07", "\x1b[31m", "\ud800", "\udfff", "\ufeff", "\u202e", "\ufffe", "\uffff",
    "0", "-1", "1e999999", "-1e-999999", "NaN", "sNaN", "Infinity", "-0", "0.00000001", "1,5", "37,01",
    "99999999999999999999", "9" * 5000, "１２", "١٢", "²", "on", "true", "None", "null", "[]", "{}",
    "0001-01-01", "9999-12-31", "10000-01-01", "2024-02-30", "0000-00-00", "31.12.9999", "01-01-0001",
    "0001-01-01T00:00", "0001-01-01T00:10", "9999-12-31T23:59", "2026-03-29T02:30", "2026-10-25T02:30",
    "010190-1234", "0101901234", "3201901234", "12345678", "DK12345678",
    "<script>alert(1)</script>", "' OR 1=1 --", "%00", "../../etc/passwd", "Ærø Å ø", "🙂" * 50,
])
NUMBERS = st.one_of(
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
DATES = st.one_of(
    st.dates().map(date.isoformat),
    st.dates().map(lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}"),
    st.datetimes().map(lambda d: d.isoformat(timespec="minutes")),
)
HUGE = st.sampled_from(["x" * 300_000, "9" * 4301, "\x00" * 1000, "ø" * 20_001, "a " * 60_000])

# One value of a form field: anything at all, now and then a list (for a multiple choice).
NASTY = st.one_of(ANY_TEXT, SPECIAL, NUMBERS, DATES, HUGE, st.lists(st.one_of(ANY_TEXT, SPECIAL, NUMBERS), max_size=3))
# One cell of an import file.
NASTY_CELL = st.one_of(ANY_TEXT, SPECIAL, NUMBERS, DATES)


# The edges of each kind of value, drawn for a field or cell that held that kind: half the
# time, so thirty examples reach them.
DATE_EDGES = st.sampled_from([
    "0001-01-01", "9999-12-31", "1899-12-31", "1900-01-01", "10000-01-01", "2024-02-30", "0000-00-00", "31.12.9999",
    "01-01-0001", "2024-02-29",
])
DATETIME_EDGES = st.sampled_from([
    "0001-01-01T00:00", "0001-01-01T00:10", "9999-12-31T23:59", "1999-12-31T23:59", "2026-03-29T02:30",
    "2026-10-25T02:30", "10000-01-01T00:00", "2026-13-01T00:00",
])
NUMBER_EDGES = st.sampled_from([
    "0", "-1", "0.05", "37.01", "101", "32767", "32768", "2147483648", "9223372036854775808", "1e999999", "NaN",
    "Infinity", "9" * 5000, "1" + "0" * 4300,
])
TEXT_EDGES = st.sampled_from(["\x00", "a\x00b", "\x07", "\ud800", "x" * 300_000, "ø" * 20_001, " ", ""])


def nasty_for(value, others=NASTY):
    """Odd values (`others`), half of them at the edges of the kind of value `value` is."""
    text = str(value)
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}", text):
        edges = DATETIME_EDGES
    elif re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}\.[0-9]{2}\.[0-9]{4}", text):
        edges = DATE_EDGES
    elif re.fullmatch(r"-?[0-9]+([.,][0-9]+)?", text):
        edges = NUMBER_EDGES
    else:
        edges = TEXT_EDGES
    return st.one_of(edges, others)


def mutated(data, base):
    """`base` (a valid form's data) with some of its fields, none or all, replaced by NASTY
    values, and now and then a field the form does not have."""
    names = sorted(base)
    chosen = data.draw(st.sets(st.sampled_from(names)) if names else st.just(set()), label="fields")
    values = dict(base)
    for name in sorted(chosen):
        values[name] = data.draw(nasty_for(base[name]), label=name)
    if data.draw(st.booleans(), label="extra field"):
        values[data.draw(ANY_TEXT, label="extra name")] = data.draw(NASTY, label="extra value")
    return values


def query_dict(values):
    """Form data as a request carries it: one value or a list of them per name."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data.setlist(name, [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)])
    return data


OUR_APPS = ("accounts", "audit", "citizens", "employers", "placements", "courses", "progress", "workspace")


def row_counts():
    """How many rows each table of our apps has: the same before and after means nothing was
    saved. One query for them all, as an example runs it twice."""
    tables = sorted({
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in OUR_APPS and model._meta.managed and not model._meta.proxy
    })
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables))
        return dict(zip(tables, cursor.fetchone()))
