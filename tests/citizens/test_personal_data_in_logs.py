"""Personal data stays out of the logs, whatever the log level."""

import logging

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_cpr

from .conftest import citizen_form_data


def test_it_never_writes_a_cpr_number_to_the_log(caplog, login, consultant, fredericia, citizen):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    number = make_cpr("241205")
    existing = citizen.reveal_cpr()
    client = login(consultant)
    # The debug cursor makes Django log every SQL statement with its parameters.
    with CaptureQueriesContext(connection):
        client.post(reverse("citizens:create"), citizen_form_data(fredericia, cpr=number))
        client.post(reverse("citizens:create"), citizen_form_data(fredericia, cpr=existing))  # duplicate
        client.post(reverse("citizens:create"), citizen_form_data(fredericia, cpr=number[:6] + "9999x"))
        client.post(reverse("citizens:list"), {"q": number})
        client.post(reverse("citizens:list"), {"q": existing}, HTTP_HX_REQUEST="true")
        client.post(reverse("citizens:reveal_cpr", args=[citizen.pk]))
        client.post(reverse("citizens:reveal_cpr", args=[citizen.pk]), HTTP_HX_REQUEST="true")
        client.get(reverse("citizens:reveal_cpr", args=[citizen.pk]))  # 405, logged as a warning
        client.get(reverse("citizens:detail", args=[citizen.pk]))
    assert any(r.name == "django.db.backends" for r in caplog.records), "SQL was not logged: the test proves nothing"
    assert any(r.name == "django.request" for r in caplog.records)
    log = caplog.text
    for full in (number, number[:6] + "-" + number[6:], existing, existing.replace("-", "")):
        assert full not in log
