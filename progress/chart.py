"""Geometry for the monthly chart, drawn as SVG by the template (no script: it passes a
strict Content Security Policy and prints into the PDF)."""

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import formats

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


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


def monthly_chart(target, months, *, monthly=True):
    """`months`: [(first of month, n)] from counting.monthly_counts. With `monthly`, the
    cumulative line has a marker per month, a bar shows each month's new flex jobs and
    `rows` holds the numbers for the table. Without it (for leaders, who may not see small
    monthly counts), the line runs straight from 0 to the total so far, with nothing else."""
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

    if monthly:
        actual = [(LEFT, y_at(0))] + [(x_at(i), y_at(c)) for i, c in enumerate(cumulative)]
        markers = [(x_at(i), y_at(c), c) for i, c in enumerate(cumulative)]
    else:
        actual = [(LEFT, y_at(0))] + ([(x_at(len(cumulative) - 1), y_at(total))] if cumulative else [])
        markers = []
    month_bars = []
    bar_w = round(step * 0.5, 1)
    for i, (_, n) in enumerate(months):
        if n and monthly:
            month_bars.append((round(x_at(i) - step * 0.75, 1), y_at(n), bar_w, round(y_at(0) - y_at(n), 1), n))
    labels = [
        (round(LEFT + step * (i + 0.5), 1), formats.date_format(m, "M"))
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
    )


def _nice_ticks(top):
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 6:
            break
    return list(range(0, top + 1, step))
