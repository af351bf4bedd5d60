"""The forecast drawn on the chart: a dotted line from the count on the as-of date, at the pace
so far, to the day the target is reached, or to the period's end if that comes first; with
its words beside it, in the chart's text alternative and in the legend."""

import re
from datetime import date

import pytest
from django.urls import reverse

from progress.dashboard import build_dashboard

from .conftest import APRIL_1

URL = reverse("progress:dashboard")


def points(text):
    return [tuple(float(v) for v in p.split(",")) for p in text.split()]


def scale(chart):
    """value → y, from the chart's own baseline and the height of the target line's end."""
    (_x0, base), (_x1, top) = points(chart.target_points)
    return lambda value, target=164: round(base - (base - top) * value / target, 1)


def x_of(chart, day):
    """The x of a day of 2026 (12 equal month slots; the last day at the month's end)."""
    left, right = chart.plot_left, chart.plot_right
    days = (date(day.year, day.month % 12 + 1, 1) if day.month < 12 else date(day.year + 1, 1, 1)) - day.replace(day=1)
    return round(left + (right - left) / 12 * (day.month - 1 + day.day / days.days), 1)


def svg(html):
    return re.search(r'<svg[^>]*class="chart-svg".*?</svg>', html, re.S).group(0)


@pytest.fixture
def slow(target, hire):
    """Six by 1 April: at that pace the period ends at about 24, far short of 164."""
    for day in (date(2026, 1, 5), date(2026, 1, 20), date(2026, 2, 3), date(2026, 3, 2), date(2026, 3, 9),
                date(2026, 3, 16)):
        hire(day)
    hire(date(2026, 4, 2))  # after the as-of date


@pytest.fixture
def fast(target, hire):
    """Fifty by 1 April: at that pace the target is reached on 25 October."""
    for i in range(50):
        hire(date(2026, 1 + i % 3, 1 + i % 28))


def test_it_draws_the_forecast_from_todays_count_to_the_periods_end_when_that_comes_first(slow, fredericia):
    d = build_dashboard(fredericia, APRIL_1, masked=False)
    chart, f = d.chart, d.chart.forecast
    y = scale(chart)
    # It starts where the count so far ends: 6, on 1 April (not at the end of April).
    assert f.start == points(chart.actual_points)[-1] == (x_of(chart, APRIL_1), y(6))
    assert d.forecast.at_period_end == round(6 + 6 / 91 * 274, 1) == 24.1
    assert f.end == (chart.plot_right, y(24.1))
    assert (f.end_date, f.end_value, f.reaches_target) == (date(2026, 12, 31), 24, False)
    assert f.path == f"M{f.start[0]},{f.start[1]} L{f.end[0]},{f.end[1]}"


def test_it_draws_the_forecast_to_the_day_the_target_is_reached(fast, fredericia):
    d = build_dashboard(fredericia, APRIL_1, masked=False)
    chart, f = d.chart, d.chart.forecast
    y = scale(chart)
    assert d.forecast.reached_on == date(2026, 10, 25)
    assert f.start == points(chart.actual_points)[-1] == (x_of(chart, APRIL_1), y(50))
    assert f.end == (x_of(chart, date(2026, 10, 25)), y(164))
    assert (f.end_date, f.end_value, f.reaches_target) == (date(2026, 10, 25), 164, True)
    assert f.end[0] < chart.plot_right


def test_it_draws_the_leaders_forecast_from_the_same_point(fast, fredericia):
    d = build_dashboard(fredericia, APRIL_1, masked=True)
    assert d.chart.forecast.start == points(d.chart.actual_points)[-1]
    assert d.chart.forecast.end_date == date(2026, 10, 25)


def test_it_draws_no_forecast_when_nothing_is_counted_yet(target, fredericia):
    assert build_dashboard(fredericia, APRIL_1, masked=False).chart.forecast is None


def test_it_draws_no_forecast_once_the_target_is_reached(target, hire, fredericia):
    target.number = 3
    target.save()
    for day in (5, 6, 7):
        hire(date(2026, 1, day))
    assert build_dashboard(fredericia, APRIL_1, masked=False).chart.forecast is None


def test_it_draws_no_forecast_after_the_period(slow, fredericia):
    d = build_dashboard(fredericia, date(2027, 2, 1), masked=False)
    assert d.chart.forecast is None
    assert points(d.chart.actual_points)[-1][0] == d.chart.plot_right  # the count at the period's end


def test_it_renders_the_forecast_as_a_dotted_path_with_its_label(login, manager, slow):
    html = login(manager).get(URL, {"municipality": 607, "as_of": "2026-04-01"}).content.decode()
    chart = svg(html)
    f = build_dashboard(manager.memberships.get().municipality, APRIL_1, masked=False).chart.forecast
    path = re.search(r'<path d="([^"]+)"[^>]*class="chart-forecast"', chart)
    assert path and path.group(1) == f.path
    tag = path.group(0)
    assert 'stroke-dasharray="2 5"' in tag and 'stroke="#a84300"' in tag
    label = re.search(r'<text[^>]*class="chart-forecast-label">([^<]+)</text>', chart).group(1)
    assert label == "Prognose: ca. 24 ved periodens udløb"
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", chart, re.S).group(1)
    assert "Den prikkede linje er prognosen i tempoet indtil nu: ca. 24 nye fleksjob ved periodens udløb den " \
           "31. december 2026." in desc
    legend = re.sub(r"<[^>]+>", " ", re.search(r"<figcaption[^>]*>(.*?)</figcaption>", html, re.S).group(1))
    assert "Prognose i tempoet indtil nu: ca. 24 ved periodens udløb den 31. december 2026" in " ".join(legend.split())
    # The forecast's words stay as well.
    assert "I det tempo nås målet den" in html
    # Still two polylines: the count so far and the straight way to the target.
    assert chart.count("<polyline") == 2


def test_it_labels_the_day_the_target_is_reached(login, manager, fast):
    html = login(manager).get(URL, {"municipality": 607, "as_of": "2026-04-01"}).content.decode()
    chart = svg(html)
    assert re.search(r'class="chart-forecast-label">Prognose: målet nås 25. okt. 2026</text>', chart)
    assert "målet på 164 nås den 25. oktober 2026." in chart
    assert "Prognose i tempoet indtil nu: målet nås den 25. oktober 2026" in html


def test_it_draws_no_forecast_line_without_a_pace(login, manager, target):
    html = login(manager).get(URL, {"municipality": 607, "as_of": "2026-04-01"}).content.decode()
    assert "chart-forecast" not in html and "prikkede" not in html
