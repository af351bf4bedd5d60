"""Hooks for the whole test suite that belong to no one app's tests (tests/conftest.py holds
the shared fixtures)."""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    """A transactional test ends with Django's flush, which on SQLite empties every table with
    DELETE, the access log's included: its append-only triggers let that DELETE pass during
    a test's teardown only (audit.db), never during the test itself."""
    from audit.db import log_purge_allowed_for_test_flush

    with log_purge_allowed_for_test_flush():
        yield
