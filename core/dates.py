"""Dates as each language writes them.

Danish and English do not share patterns: Danish writes "27. feb. 2026", "11. november 2026" and
"onsdag den 11. november 2026"; English writes "27 Feb 2026", "11 November 2026" and
"Wednesday 11 November 2026". Django's format strings cannot say Danish month abbreviations
(its "M" gives "Feb", its "b" gives "feb" without the point and with "maj." wrong), so the
patterns live here, one per kind, and every page, mail and message takes its dates from here
(the template filters in core.templatetags.dates are builtins).
"""

from __future__ import annotations

import datetime

from django.utils import timezone, translation
from django.utils.dates import MONTHS, WEEKDAYS

# CLDR's abbreviated month names for Danish ("format" context): a point after those shortened.
_DA_MONTHS_SHORT = (
    "jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.",
)
_EN_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _danish() -> bool:
    return (translation.get_language() or "da").split("-")[0] != "en"


def _local(value):
    """A datetime in the site's time zone, a date as it is; None for anything else."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    return None


def _month(value) -> str:
    return str(MONTHS[value.month])


def month_short(value) -> str:
    """'feb.' / 'Feb'."""
    value = _local(value)
    if value is None:
        return ""
    return (_DA_MONTHS_SHORT if _danish() else _EN_MONTHS_SHORT)[value.month - 1]


def day_short(value) -> str:
    """'27. feb. 2026' / '27 Feb 2026'."""
    value = _local(value)
    if value is None:
        return ""
    if _danish():
        return f"{value.day}. {month_short(value)} {value.year}"
    return f"{value.day} {month_short(value)} {value.year}"


def day_month_short(value) -> str:
    """'27. feb.' / '27 Feb'."""
    value = _local(value)
    if value is None:
        return ""
    return f"{value.day}. {month_short(value)}" if _danish() else f"{value.day} {month_short(value)}"


def day_long(value) -> str:
    """'11. november 2026' / '11 November 2026'."""
    value = _local(value)
    if value is None:
        return ""
    if _danish():
        return f"{value.day}. {_month(value)} {value.year}"
    return f"{value.day} {_month(value)} {value.year}"


def weekday_long(value) -> str:
    """'onsdag den 11. november 2026' / 'Wednesday 11 November 2026'."""
    value = _local(value)
    if value is None:
        return ""
    weekday = str(WEEKDAYS[value.weekday()])
    if _danish():
        return f"{weekday} den {day_long(value)}"
    return f"{weekday} {day_long(value)}"


def _time(value, seconds=False) -> str:
    return value.strftime("%H:%M:%S" if seconds else "%H:%M")


def time_of_day(value) -> str:
    """'14:30'."""
    value = _local(value)
    return _time(value) if isinstance(value, datetime.datetime) else ""


def moment_short(value) -> str:
    """'27. feb. 2026 14:30' / '27 Feb 2026, 14:30'."""
    value = _local(value)
    if not isinstance(value, datetime.datetime):
        return day_short(value)
    return f"{day_short(value)} {_time(value)}" if _danish() else f"{day_short(value)}, {_time(value)}"


def moment_long(value, seconds=False) -> str:
    """'11. november 2026 kl. 14:30' / '11 November 2026, 14:30'."""
    value = _local(value)
    if not isinstance(value, datetime.datetime):
        return day_long(value)
    if _danish():
        return f"{day_long(value)} kl. {_time(value, seconds)}"
    return f"{day_long(value)}, {_time(value, seconds)}"


def weekday_moment(value) -> str:
    """'onsdag den 11. november 2026 kl. 14:30' / 'Wednesday 11 November 2026, 14:30'."""
    value = _local(value)
    if not isinstance(value, datetime.datetime):
        return weekday_long(value)
    if _danish():
        return f"{weekday_long(value)} kl. {_time(value)}"
    return f"{weekday_long(value)}, {_time(value)}"


def month_year(value) -> str:
    """'februar 2026' / 'February 2026'."""
    value = _local(value)
    if value is None:
        return ""
    return f"{_month(value)} {value.year}"
