"""Numbers shown to a person: in the language of the request (Danish writes "7,5"), and as
the figure it is, never as Python prints it (a Decimal's "10.0", or "1E+1" once normalised).
Every hour, count or share a page or a message shows goes through `number`."""

from decimal import Decimal

from django.utils import formats


def number(value):
    """`value` (an int, a Decimal or a float) as a person reads it in the active language,
    without trailing zeros or an exponent: 10 and Decimal("10.0") → "10",
    Decimal("7.50") → "7,5" in Danish ("7.5" in English); None → ""."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        # normalize() drops the trailing zeros (and may leave an exponent: 1E+1), and
        # number_format writes the figure out in full, with the locale's decimal separator.
        value = value.normalize()
    return formats.number_format(value)


def plain(value):
    """A Decimal as an input box holds it (the browser's number box takes a dot, whatever
    the language): without trailing zeros or an exponent, Decimal("8.0") → "8", Decimal("7.50")
    → "7.5". Anything else as it is."""
    if isinstance(value, Decimal) and value.is_finite():
        return f"{value.normalize():f}"
    return value
