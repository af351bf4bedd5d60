"""The benchmark and the load test at national scale (`make bench`, `make load`; issue 11).

Not a Django app: no models, not in INSTALLED_APPS. `python -m bench` fills the database named
by DATABASE_URL (PostgreSQL) to each size in turn with `generate_data`, times every kind of page
each role reaches, and the imports, and writes results.md and results.json (bench/ by default).
`python -m bench.load` runs Locust against gunicorn on the same database.

- environment.py: the settings a run needs, set before Django starts; refuses SQLite.
- pages.py: the crawl (tests/browser/crawl.py's kinds) and the timing of one page.
- imports.py: import_citizens / import_placements of 100k-row files, timed in a subprocess.
- report.py: the goals of issue 11, results.md and results.json.
- run.py: the run, size by size; load.py and locustfile.py: the load test.
"""
