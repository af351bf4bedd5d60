"""No CPR number and no invitation token reaches a log, whatever is logged and at whatever
level: the main journeys run with every logger at DEBUG, the SQL log included, and every
record is read whole (its message, its arguments, its traceback and every extra attribute,
such as the SQL parameters and the request).

A CPR number is stored encrypted and found by a keyed hash, so even the SQL log, which
prints each statement's parameters, never holds one. An invitation link is a bearer token:
it must not appear in any log line either. (tests/citizens/test_personal_data_in_logs.py
checks the error reports and the sensitive-variable markings.)
"""

import logging
import re
import traceback

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citizens.models import Citizen
from tests.factories import make_cpr
from workspace.models import Invitation, Member

SECRET_TOKEN_PATH = re.compile(r"/taskforce/invitations/(?!accept/)([^/\s]+)/")


class Everything(logging.Handler):
    """Keeps every record, at every level."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def log_records(caplog):
    """Every log record of the test, with the root logger and the SQL log at DEBUG (as with
    LOG_LEVEL=DEBUG) and Django's debug cursor on, so every SQL statement is logged with its
    parameters; loggers that do not pass records up to the root are listened to as well."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    handler = Everything()
    loggers = [logging.getLogger()] + [
        logger for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        with CaptureQueriesContext(connection):
            yield handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def everything_in(record):
    """All a handler or formatter could print of the record."""
    parts = [record.getMessage(), repr(record.args), record.exc_text or ""]
    if record.exc_info:
        parts.append("".join(traceback.format_exception(*record.exc_info)))
    parts += [f"{key}={value!r}" for key, value in vars(record).items() if key not in ("msg", "args", "exc_info")]
    parts.append(str(record.msg))
    return "\n".join(parts)


def leaks(secrets, records):
    return [(record.name, secret) for record in records for secret in secrets if secret in everything_in(record)]


def sql_records(records):
    found = [r for r in records if r.name == "django.db.backends"]
    assert any(getattr(r, "params", None) for r in found), "no SQL was logged with its parameters: this proves nothing"
    return found


def assert_none_of(secrets, records):
    assert not leaks(secrets, records), f"in the log: {leaks(secrets, records)[:5]}"


def cpr_forms(number):
    digits = number.replace("-", "")
    return [digits, f"{digits[:6]}-{digits[6:]}"]


def citizen_data(municipality, cpr, **changes):
    data = {
        "municipality": municipality.pk, "cpr": cpr, "first_name": "Mette", "last_name": "Frederiksen",
        "phone": "", "email": "", "address": "", "unemployed_since": "", "flexjob_approved_on": "",
        "weekly_hours": "", "competences": "", "wishes": "", "consultant": "", "status": "registered",
    }
    data.update(changes)
    return data


def test_it_logs_no_cpr_number_as_a_consultant_registers_finds_reads_and_edits_a_citizen(
    client, consultant, fredericia, citizen, log_records
):
    typed = make_cpr("120588")
    dashed = f"{typed[:6]}-{typed[6:]}"
    existing = citizen.reveal_cpr()
    client.force_login(consultant)

    # Registered with the dash; the record page, the search (with and without the dash, as
    # a page and as an htmx fragment), the reveal (page and fragment) and an edit.
    created = client.post(reverse("citizens:create"), citizen_data(fredericia, dashed))
    assert created.status_code == 302
    new = Citizen.objects.with_cpr(typed).get()
    assert client.get(reverse("citizens:detail", args=[new.pk])).status_code == 200
    for q in (typed, dashed, existing):
        found = client.post(reverse("citizens:list"), {"q": q})
        assert found.status_code == 200 and len(found.context["page"].object_list) == 1
    assert client.post(reverse("citizens:list"), {"q": dashed}, HTTP_HX_REQUEST="true").status_code == 200
    revealed = client.post(reverse("citizens:reveal_cpr", args=[new.pk]), {"purpose": "opfølgning"})
    assert dashed in revealed.content.decode()  # shown to the consultant, but not logged
    client.post(reverse("citizens:reveal_cpr", args=[new.pk]), {"purpose": "opfølgning"}, HTTP_HX_REQUEST="true")
    assert client.get(reverse("citizens:edit", args=[new.pk])).status_code == 200
    edit = citizen_data(fredericia, "", first_name="Mette Marie")
    del edit["cpr"], edit["municipality"]
    assert client.post(reverse("citizens:edit", args=[new.pk]), edit).status_code == 302
    new.refresh_from_db()
    assert new.first_name == "Mette Marie"

    # Failed forms with a CPR number in them: a missing name, a number already registered
    # (with and without the dash) and an impossible date; and a GET of the reveal (405).
    other = make_cpr("010203")
    for data in (citizen_data(fredericia, other, last_name=""), citizen_data(fredericia, typed),
                 citizen_data(fredericia, existing), citizen_data(fredericia, "320188-" + typed[6:])):
        assert client.post(reverse("citizens:create"), data).status_code == 200
    assert client.get(reverse("citizens:reveal_cpr", args=[new.pk])).status_code == 405
    assert Citizen.objects.count() == 2

    sql_records(log_records)
    # The template engine at DEBUG logs whole page contexts: it stays pinned above DEBUG.
    assert logging.getLogger("django.template").getEffectiveLevel() >= logging.INFO
    assert_none_of(cpr_forms(typed) + cpr_forms(existing) + cpr_forms(other) + ["320188" + typed[6:]], log_records)


def invitation_journey(client, consultant, task_force, capture_on_commit):
    """A consultant invites a facilitator; the e-mail goes out; the invited person follows the
    link, logged out, and accepts; then the used link again (410) and a link that never was
    (404). Returns the tokens."""
    client.force_login(consultant)
    with capture_on_commit(execute=True):
        response = client.post(reverse("workspace:members", args=[task_force.pk]), {
            "first_name": "Frida", "last_name": "Falk", "email": "frida@codeofcare.dk", "kind": "facilitator",
            "employer": "",
        })
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    (message,) = mail.outbox
    assert SECRET_TOKEN_PATH.findall(message.body) == [invitation.token]  # the e-mail carries the link
    link = reverse("workspace:invitation_link", args=[invitation.token])

    client.logout()
    followed = client.get(link, follow=True)
    assert followed.status_code == 200
    accepted = client.post(followed.redirect_chain[-1][0], {
        "username": "frida", "password1": "et-langt-kodeord-2026", "password2": "et-langt-kodeord-2026",
    })
    assert accepted.status_code == 302
    assert Member.objects.filter(task_force=task_force, user__username="frida", kind="facilitator").exists()

    client.logout()
    assert client.get(link, follow=True).status_code == 410
    made_up = "x" * len(invitation.token)
    assert client.get(reverse("workspace:invitation_link", args=[made_up]), follow=True).status_code == 404
    return [invitation.token, made_up]


def test_it_logs_no_invitation_token_from_invitation_to_accepted_link_and_beyond(
    client, consultant, task_force, django_capture_on_commit_callbacks, log_records
):
    tokens = invitation_journey(client, consultant, task_force, django_capture_on_commit_callbacks)
    assert any(r.name == "django.request" and r.status_code == 410 for r in log_records), "the 410 was not logged"
    assert any(r.name == "django.request" and r.status_code == 404 for r in log_records), "the 404 was not logged"
    sql = sql_records(log_records)
    assert_none_of(tokens, [r for r in log_records if r not in sql])


def test_it_keeps_the_invitation_token_out_of_the_sql_log_too(
    client, consultant, task_force, django_capture_on_commit_callbacks, log_records
):
    tokens = invitation_journey(client, consultant, task_force, django_capture_on_commit_callbacks)
    assert_none_of(tokens, sql_records(log_records))
