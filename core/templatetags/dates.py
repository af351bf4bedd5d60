"""Template filters for dates in each language's own patterns (core.dates); builtins, so no
template loads them: {{ day|day_short }}, {{ day|day_long }}, {{ moment|moment_long }}…"""

from django import template

from core import dates

register = template.Library()

for _name in (
    "day_short", "day_month_short", "day_long", "weekday_long", "time_of_day",
    "moment_short", "weekday_moment", "month_year", "month_short",
):
    register.filter(_name, getattr(dates, _name), is_safe=True)


@register.filter(is_safe=True)
def moment_long(value, arg=""):
    """{{ at|moment_long }}, or with seconds: {{ at|moment_long:"seconds" }}."""
    return dates.moment_long(value, seconds=arg == "seconds")
