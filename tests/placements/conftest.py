"""Helpers for the placement tests: POST data for the placement form."""

import pytest




@pytest.fixture
def placement_post():
    """`placement_post(employer=…, citizen_cpr=…, **fields)`: a complete POST body."""

    def _data(**fields):
        data = {
            "opening": "",
            "kind": "flexjob",
            "hours_per_week": "8",
            "contracted_hours": "",
            "start_date": "2026-02-01",
            "end_date": "",
            "permanent": "on",
            "accommodations": "",
        }
        if "employer" in fields and hasattr(fields["employer"], "pk"):
            fields["employer"] = fields["employer"].pk
        data.update(fields)
        return {key: value for key, value in data.items() if value is not None}

    return _data
