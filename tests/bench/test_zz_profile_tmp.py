import time, random
import pytest
from tests.bench.test_dashboard_bench import _employers, _add_placements, AS_OF
from accounts.models import Municipality
from progress.models import Target
from progress import counting
from courses.models import Course
from datetime import date
from django.db import connection

def prof(t, f):
    for name, fn in [("progress", lambda: counting.progress_for(t, AS_OF)), ("monthly", lambda: counting.monthly_counts(t, AS_OF)),
                     ("by_employer", lambda: counting.by_employer(t, AS_OF)), ("by_industry", lambda: counting.by_industry(t, AS_OF)),
                     ("retention", lambda: counting.retention(t, AS_OF)), ("current_for", lambda: Target.objects.current_for(f, AS_OF)),
                     ("courses", lambda: list(Course.objects.filter(municipality=f).with_funnel()))]:
        s = time.perf_counter(); fn(); fn(); fn()
        print(name, round((time.perf_counter()-s)/3*1000,1), "ms")

@pytest.mark.django_db
def test_profile():
    rng = random.Random(607)
    f = Municipality.objects.create(code=607, name="F")
    o = Municipality.objects.create(code=461, name="O")
    t = Target.objects.create(municipality=f, title="B", number=5000, period_start=date(2026,1,1), period_end=date(2026,12,31))
    emps = _employers(f, 400, rng); oe = _employers(o, 40, rng)
    _add_placements(f, emps, 90000, rng, offset=0)
    _add_placements(o, oe, 10000, rng, offset=0)
    prof(t, f)
    with connection.cursor() as c:
        sql, params = counting.counted_placements(t, AS_OF).values("pk").query.sql_with_params()
        c.execute("EXPLAIN ANALYZE " + sql, params)
        for row in c.fetchall(): print(row)
        c.execute("ANALYZE")
    print("after ANALYZE")
    prof(t, f)
