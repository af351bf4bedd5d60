"""Personal data stays out of the logs, whatever the log level."""

import logging

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_cpr

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


def test_it_marks_cpr_numbers_and_searches_sensitive_in_error_reports(login, consultant, fredericia):
    from django.views.debug import SafeExceptionReporterFilter

    hidden = SafeExceptionReporterFilter.cleansed_substitute
    client = login(consultant)
    created = client.post(reverse("citizens:create"), citizen_form_data(fredericia, cpr=make_cpr()))
    searched = client.post(reverse("citizens:list"), {"q": "Jensen"})
    reporter = SafeExceptionReporterFilter()
    assert reporter.get_post_parameters(created.wsgi_request)["cpr"] == hidden
    assert reporter.get_post_parameters(searched.wsgi_request)["q"] == hidden
    assert reporter.get_post_parameters(created.wsgi_request)["first_name"] == "Mette"


def test_it_hides_the_cpr_number_in_the_frames_of_an_error_report(consultant, fredericia):
    import sys

    from django.views.debug import ExceptionReporter

    from citizens.services import citizen_create

    try:
        # No municipality: the model's check fails inside the service.
        citizen_create(user=consultant, cpr=make_cpr(), first_name="Mette", last_name="Frederiksen")
    except Exception:
        exc_info = sys.exc_info()
    frames = ExceptionReporter(None, *exc_info).get_traceback_frames()
    service = next(f for f in frames if f["function"] == "citizen_create")
    assert dict(service["vars"])["cpr"] == "********************"
