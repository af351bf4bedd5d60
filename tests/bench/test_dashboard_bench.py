"""How long the dashboard takes at 10,000 and 100,000 placements (`make bench`).

Prints the median timings and writes them to bench-results.txt; asserts only that the
number of queries does not grow with the number of placements.
"""

import platform
import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Municipality, Role
from citizens.models import Citizen
from employers.models import Employer
from placements.models import Placement
from progress.dashboard import build_dashboard
from progress.models import Target
from tests.factories import make_cvr, make_user

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

AS_OF = date(2026, 10, 1)
RUNS = 5
BATCH = 2000
INDUSTRIES = ["Pleje", "Byggeri", "Detail", "Restauration", "Transport", "Industri", "Rengøring", ""]
SIZES = ["micro", "small", "medium", "large", ""]
KINDS = [Placement.Kind.FLEXJOB] * 8 + [Placement.Kind.INTERNSHIP, Placement.Kind.ORDINARY_JOB]
RESULTS = settings.BASE_DIR / "bench-results.txt"


def _employers(municipality, n, rng):
    employers = [
        Employer(
            municipality=municipality,
            name=f"Virksomhed {i:04d} ApS",
            cvr=make_cvr(),
            sector=Employer.Sector.PUBLIC if i % 5 == 0 else Employer.Sector.PRIVATE,
            social_economic=i % 23 == 0 and i % 5 != 0,  # social-economic enterprises are private
            size=rng.choice(SIZES),
            industry=rng.choice(INDUSTRIES),
        )
        for i in range(n)
    ]
    return Employer.objects.bulk_create(employers, batch_size=BATCH)


def _add_placements(municipality, employers, n, rng, *, offset):
    """n citizens, each with one placement. The CPR number is encrypted once and copied: only
    its hash must differ, and only within the municipality."""
    template = Citizen()
    template.set_cpr("0101901234")
    citizens = Citizen.objects.bulk_create(
        [
            Citizen(
                municipality=municipality,
                first_name="Bench",
                last_name=f"Borger {offset + i}",
                cpr_encrypted=template.cpr_encrypted,
                cpr_hash=f"bench-{municipality.code}-{offset + i:08d}",
                birth_date=template.birth_date,
                unemployed_since=date(2024, 1, 1) + timedelta(days=rng.randrange(900)),
            )
            for i in range(n)
        ],
        batch_size=BATCH,
    )
    period = (date(2025, 7, 1), date(2026, 11, 30))
    span = (period[1] - period[0]).days
    placements = []
    for citizen in citizens:
        start = period[0] + timedelta(days=rng.randrange(span))
        end = start + timedelta(days=rng.randrange(30, 400)) if rng.random() < 0.25 else None
        placements.append(
            Placement(
                municipality_id=citizen.municipality_id,
                citizen=citizen,
                employer=rng.choice(employers),
                kind=rng.choice(KINDS),
                hours_per_week=Decimal(rng.randrange(10, 371)) / 10,
                start_date=start,
                end_date=end,
                first_flexjob=rng.random() < 0.4,
                retention_flexjob=rng.random() < 0.1,
                in_target_group=citizen.is_in_target_group(start),
            )
        )
    Placement.objects.bulk_create(placements, batch_size=BATCH)


def _timings(fn):
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return timings


def _ms(timings):
    return f"{statistics.median(timings) * 1000:6.0f} ms ({min(timings) * 1000:.0f})"


def _queries(fn):
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def _measure(municipality, client):
    url = reverse("progress:dashboard")

    def build():
        data = build_dashboard(municipality, AS_OF, masked=False)
        assert data.progress.new_flex_jobs > 0

    def view():
        response = client.get(url, {"municipality": municipality.code, "as_of": AS_OF.isoformat()})
        assert response.status_code == 200

    build(), view()  # warm up caches and templates
    return {
        "build_dashboard": _timings(build),
        "view": _timings(view),
        "build_queries": _queries(build),
        "view_queries": _queries(view),
    }


def test_it_times_the_dashboard_at_10_000_and_100_000_placements(client):
    rng = random.Random(607)
    fredericia = Municipality.objects.create(code=607, name="Fredericia")
    odense = Municipality.objects.create(code=461, name="Odense")
    Target.objects.create(
        municipality=fredericia,
        title="Bench",
        number=5000,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    client.force_login(make_user("chef", fredericia, Role.MANAGER))
    employers = _employers(fredericia, 400, rng)
    odense_employers = _employers(odense, 40, rng)

    results = {}
    done = 0
    for total in (10_000, 100_000):
        started = time.perf_counter()
        # One in ten belongs to another municipality, so the municipality filter has work to do.
        n = total - done
        _add_placements(fredericia, employers, n * 9 // 10, rng, offset=done)
        _add_placements(odense, odense_employers, n - n * 9 // 10, rng, offset=done)
        done = total
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner statistics a live database keeps
        seeded = time.perf_counter() - started
        assert Placement.objects.count() == total
        results[total] = {**_measure(fredericia, client), "seed": seeded}

    lines = [
        f"Dashboard benchmark · {connection.vendor} · Python {platform.python_version()} · "
        f"as of {AS_OF} · median (fastest) of {RUNS} runs",
    ]
    for total, r in results.items():
        lines.append(
            f"{total:>7,} placements: build_dashboard {_ms(r['build_dashboard'])} ({r['build_queries']} queries) · "
            f"dashboard view {_ms(r['view'])} ({r['view_queries']} queries) · seeding {r['seed']:.1f} s"
        )
    report = "\n".join(lines)
    print("\n" + report)
    RESULTS.write_text(report + "\n", encoding="utf-8")

    small, large = results[10_000], results[100_000]
    assert large["build_queries"] == small["build_queries"]
    assert large["view_queries"] == small["view_queries"]
