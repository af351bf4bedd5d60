"""The benchmark harness itself (bench/, `make bench`), run short on the suite's database: two
small sizes, two timed requests a page, no imports (they run in a process of their own, which
cannot see an in-memory test database; CI's short `make bench` times them on PostgreSQL)."""

import pytest

from bench import environment, report
from bench.run import exit_status, run_bench

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True)]

# At 50 and 150 citizens the consultant's course list made 7 and 9 queries: with no course on
# the page it reads no funnel (an empty id list is not sent). Both sizes here list courses.
SIZES = [300, 600]
START_PAGES = {"konsulent": "/tasks/", "leder": "/taskforce/N/", "chef": "/dashboard/", "admin": "/dashboard/"}


@pytest.fixture
def results(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_ALLOW_SQLITE", "1")
    environment.check_database()
    return run_bench(sizes=SIZES, runs=1, out_dir=tmp_path, import_rows=0, say=lambda *args: None)


def test_it_refuses_sqlite_unless_told(monkeypatch):
    monkeypatch.delenv("BENCH_ALLOW_SQLITE", raising=False)
    with pytest.raises(SystemExit) as refused:
        environment.check_database("sqlite:///db.sqlite3")
    assert refused.value.code == 2
    assert environment.check_database("postgres://postgres@127.0.0.1/x").startswith("postgres://")


def test_it_times_each_roles_pages_at_each_size_with_the_same_queries(results, tmp_path):
    assert [size["citizens"] for size in results["sizes"]] == SIZES
    for size in results["sizes"]:
        first = {}
        for page in size["pages"]:
            first.setdefault(page["role"], page)
        assert {role: page["kind"] for role, page in first.items()} == START_PAGES
        assert not report.errors([size])
        assert all(page["median_ms"] > 0 and page["queries"] > 0 for page in size["pages"])
        assert all(trivial["median_ms"] > 0 for trivial in size["trivial"].values())
        downloads = {page["kind"].split("?")[0] for page in size["pages"] if page["download"]}
        assert {"/dashboard/export.csv", "/dashboard/export.xlsx", "/dashboard/status.pdf"} <= downloads
    # A page whose queries grow with the data is what the benchmark is for: name it.
    assert report.query_differences(results["sizes"]) == []
    assert exit_status(results, say=lambda *args: None) == 0

    markdown = (tmp_path / "results.md").read_text(encoding="utf-8")
    for citizens in SIZES:
        section = markdown.split(f"## {citizens:,} citizens\n", 1)[1]
        assert "| page kind | role | median ms | p95 ms | queries | × trivial | KB |" in section.split("\n## ")[0]
    assert "## Goals (issue 11)" in markdown
    assert report.read(tmp_path)["sizes"][1]["rows"]["citizens_here"] == SIZES[1]
