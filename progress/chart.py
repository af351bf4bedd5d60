"""Geometry for the monthly chart, drawn as SVG by the template (no script: it passes a
strict Content Security Policy and prints into the PDF).

Three lines: the cumulative count so far (solid, up to the as-of date), the straight way to
the target (dashed grey) and the forecast (dotted): from the count on the as-of date, at the
pace so far (counting.forecast_for), to the day the target is reached, or to the period's
end if that comes first."""

from core import dates
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

WIDTH, HEIGHT = 640, 300
# TOP leaves room above the target's height for the forecast's label.
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 28, 40


@dataclass
class Chart:
    width: int
    height: int
    actual_points: str  # polyline of the cumulative count
    actual_markers: list  # (x, y, label) for each month, so the line reads without colour
    target_points: str  # straight line from 0 at the start to the target at the end
    x_labels: list  # (x, text)
    y_ticks: list  # (y, value)
    bars: list  # (x, y, w, h, n) new flex jobs that month
    baseline: float
    plot_left: int
    plot_right: int
    rows: list  # (month, n, cumulative, expected) for the accessible table
    monthly: bool = True  # False: only the total so far, no month's count anywhere
    forecast: "ForecastLine | None" = None  # none once the target is reached or the period over


@dataclass
class ForecastLine:
    """The forecast drawn from the as-of date's count to where the pace so far leads."""

    start: tuple  # (x, y): the count on the as-of date
    end: tuple  # (x, y): the target on `end_date`, or the count at the period's end
    end_date: object  # a date
    end_value: int  # the count at the end: the target, or (rounded) what the period reaches
    reaches_target: bool  # within the period
    label_x: float
    label_y: float
    label_anchor: str  # "start" or "end": the label stays inside the figure

    @property
    def path(self):
        """The SVG path's `d`: a path, not a polyline, so the chart's polylines stay the count
        so far and the straight way to the target."""
        return f"M{self.start[0]},{self.start[1]} L{self.end[0]},{self.end[1]}"


def monthly_chart(target, months, *, monthly=True, as_of=None, forecast=None):
    """`months`: [(first of month, n)] from counting.monthly_counts. With `monthly`, the
    cumulative line has a marker per month, a bar shows each month's new flex jobs and
    `rows` holds the numbers for the table. Without it (for leaders, who may not see small
    monthly counts), the line runs straight from 0 to the total so far, with nothing else.

    With `as_of`, the line's last point is the count on that day rather than at the end of
    its month, and with `forecast` (counting.Forecast) the forecast line starts there."""
    all_months = []
    month = target.period_start.replace(day=1)
    while month <= target.period_end:
        all_months.append(month)
        month += relativedelta(months=1)
    slots = max(len(all_months), 1)
    cumulative, total = [], 0
    for _, n in months:
        total += n
        cumulative.append(total)
    top_value = max(target.number, total, 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / slots

    def x_at(i):  # the end of month i
        return round(LEFT + step * (i + 1), 1)

    def y_at(value):
        return round(TOP + plot_h - plot_h * value / top_value, 1)

    def x_on(day):  # a day within its month's slot: the last day at the month's end
        i = (day.year - all_months[0].year) * 12 + day.month - all_months[0].month
        first = day.replace(day=1)
        days_in_month = (first + relativedelta(months=1) - first).days
        return round(LEFT + step * (i + day.day / days_in_month), 1)

    today = min(as_of, target.period_end) if as_of is not None else None
    xs = [x_at(i) for i in range(len(cumulative))]
    if xs and today is not None and today >= all_months[0]:
        xs[-1] = x_on(today)  # the month of the as-of date: its count so far, on that day
    if monthly:
        actual = [(LEFT, y_at(0))] + [(x, y_at(c)) for x, c in zip(xs, cumulative)]
        markers = [(x, y_at(c), c) for x, c in zip(xs, cumulative)]
    else:
        actual = [(LEFT, y_at(0))] + ([(xs[-1], y_at(total))] if cumulative else [])
        markers = []
    forecast_line = None
    if (xs and forecast is not None and forecast.reached_on is not None and total < target.number
            and today is not None and today < target.period_end):
        reaches = forecast.reached_on <= target.period_end
        end_date = forecast.reached_on if reaches else target.period_end
        end_value = target.number if reaches else forecast.at_period_end
        end = (x_on(end_date), y_at(end_value))
        anchor = "end" if end[0] - LEFT > (WIDTH - LEFT - RIGHT) / 2 else "start"
        forecast_line = ForecastLine(
            start=(xs[-1], y_at(total)),
            end=end,
            end_date=end_date,
            end_value=round(end_value),
            reaches_target=reaches,
            label_x=round(end[0] + (-4 if anchor == "end" else 4), 1),
            label_y=round(end[1] - 9, 1),  # above the end: the line rises toward it from the left
            label_anchor=anchor,
        )
    month_bars = []
    bar_w = round(step * 0.5, 1)
    for i, (_, n) in enumerate(months):
        if n and monthly:
            month_bars.append((round(x_at(i) - step * 0.75, 1), y_at(n), bar_w, round(y_at(0) - y_at(n), 1), n))
    labels = [
        (round(LEFT + step * (i + 0.5), 1), dates.month_short(m))
        for i, m in enumerate(all_months)
    ]
    ticks = [(y_at(v), v) for v in _nice_ticks(top_value)]
    rows = []
    for i, ((m, n), c) in enumerate(zip(months, cumulative)):
        expected = round(target.number * (i + 1) / slots)
        rows.append((m, n, c, expected))
    if not monthly:
        rows = []
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        actual_points=" ".join(f"{x},{y}" for x, y in actual),
        actual_markers=markers,
        target_points=f"{LEFT},{y_at(0)} {x_at(slots - 1)},{y_at(target.number)}",
        x_labels=labels,
        y_ticks=ticks,
        bars=month_bars,
        baseline=y_at(0),
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        rows=rows,
        monthly=monthly,
        forecast=forecast_line,
    )


def _nice_ticks(top):
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 6:
            break
    return list(range(0, top + 1, step))
