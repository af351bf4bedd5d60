"""Helpers for the employer tests: POST data for the employer form with its contact formset."""

import pytest

from tests.factories import make_cvr




@pytest.fixture
def employer_post():
    """`employer_post(municipality, contacts=[{...}], **fields)`: a complete POST body."""

    def _data(municipality, *, contacts=(), initial=0, **fields):
        data = {
            "municipality": municipality.pk,
            "name": "Kanalbyens Café",
            "cvr": make_cvr(),
            "sector": "private",
            "size": "micro",
            "industry": "Restauration",
            "address": "Kanalbyen 1, 7000 Fredericia",
            "last_contact": "",
            "next_step": "",
        }
        data.update(fields)
        contacts = list(contacts)
        data.update(
            {
                "contacts-TOTAL_FORMS": str(len(contacts)),
                "contacts-INITIAL_FORMS": str(initial),
                "contacts-MIN_NUM_FORMS": "0",
                "contacts-MAX_NUM_FORMS": "1000",
            }
        )
        for i, contact in enumerate(contacts):
            for key, value in contact.items():
                data[f"contacts-{i}-{key}"] = value
        return data

    return _data
