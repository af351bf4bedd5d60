"""Rules for plausible input that every app's models, forms and the imports share: a date within
the window a jobcenter's work can fall in, text without control characters, and free text of a
length a person writes. Each gives a message in Danish (gettext) that says what is allowed.

A model's date field names its window (`validators=[validate_planned_date]`), so every
ModelForm, the admin's included, checks it; core.forms.limit_dates reads it from there for the
date picker. The windows' upper bounds move with today, so they are deconstructible objects
whose arguments (years ahead, earliest) are all a migration records. A model's free-text field
names its limit the same way (`validators=[TextLengthValidator(TEXT_MAX_LENGTH)]`), and
core.forms.limit_length reads it from there for the text box.

A date far outside the window is not only a typo: it breaks what is worked out from it
(9999-12-31 plus a year overflows; a workshop in year 1 is stored by PostgreSQL as a time
before year 1 that no page can read back). A control character is never typed on purpose,
and PostgreSQL refuses a NUL outright, so it is refused here with a message rather than by
the database with an error page.
"""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import formats, timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(1900, 1, 1)


def _years_after(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@deconstructible
class PlausibleDateValidator:
    """A date (or the date of a datetime) from `earliest` to `years_ahead` years after today.
    The upper bound moves with today, so it is worked out on each call."""

    message = _("Datoen skal ligge mellem %(earliest)s og %(latest)s.")
    code = "date_out_of_range"

    def __init__(self, years_ahead, earliest=EARLIEST_DATE):
        self.years_ahead = years_ahead
        self.earliest = earliest

    def bounds(self):
        return self.earliest, _years_after(timezone.localdate(), self.years_ahead)

    def __call__(self, value):
        # The datetime's own date, in the time zone it was given in: converting a datetime at
        # the edge of what Python holds (year 1, year 9999) could itself overflow.
        day = value.date() if isinstance(value, datetime) else value
        earliest, latest = self.bounds()
        if not earliest <= day <= latest:
            raise ValidationError(
                self.message,
                code=self.code,
                params={
                    "earliest": formats.date_format(earliest, "SHORT_DATE_FORMAT"),
                    "latest": formats.date_format(latest, "SHORT_DATE_FORMAT"),
                },
            )

    def __eq__(self, other):
        return (
            isinstance(other, PlausibleDateValidator)
            and (self.years_ahead, self.earliest) == (other.years_ahead, other.earliest)
        )


# The windows, by what the date is. A date something happened on (unemployed since, approved
# for flex job, last contact with an employer) may lie a year ahead: a decision is sometimes
# registered before it takes effect.
validate_recorded_date = PlausibleDateValidator(years_ahead=1)
# A placement's start and end, a target's period, an action's due date, the dashboard's date:
# a flex job is granted for 5 years at a time, and a plan may reach past one grant; ten years
# ahead is room enough.
validate_planned_date = PlausibleDateValidator(years_ahead=10)
# A course runs for weeks or months and is planned at most a year or two ahead.
validate_course_date = PlausibleDateValidator(years_ahead=3)
# A workshop of a task force: none was held before this century, and none is planned five
# years ahead.
validate_workshop_time = PlausibleDateValidator(years_ahead=5, earliest=date(2000, 1, 1))


# C0 control characters other than tab, line feed and carriage return; lone surrogates (no
# UTF-8 can hold them); and the two non-characters XML forbids. None is ever typed on purpose,
# PostgreSQL refuses a NUL, and a spreadsheet export cannot hold any of them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

CONTROL_CHARACTER_MESSAGE = _(
    "Teksten indeholder et ugyldigt kontroltegn (fx et NUL-tegn). Fjern det, fx ved at skrive teksten igen."
)


def has_control_character(text):
    return isinstance(text, str) and CONTROL_CHARACTERS.search(text) is not None


def validate_no_control_characters(value):
    if has_control_character(value):
        raise ValidationError(CONTROL_CHARACTER_MESSAGE, code="control_character")


@deconstructible
class TextLengthValidator(MaxLengthValidator):
    """At most `limit_value` characters, said with the count so the writer knows how much to cut."""

    message = _("Teksten er for lang: %(show_value)d tegn. Der er plads til højst %(limit_value)d tegn.")
    code = "max_length"
