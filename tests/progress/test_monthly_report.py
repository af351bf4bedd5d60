"""The monthly status report: on the 1st, the report of the month just ended (as of its last
day, from the stored figures) is queued once to each active manager with an e-mail address
of each municipality with a target, and to no one else."""

import base64
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role
from outbox.models import OutboxMail
from placements.models import Placement
from progress.models import Snapshot
from progress.services import monthly_report_day, monthly_reports_queue, snapshots_take
from progress.tasks import monthly_report
from tests.documents import pdf_text
from tests.factories import make_citizen, make_employer, make_placement, make_target, make_user

MAY_1, APRIL_30 = date(2026, 5, 1), date(2026, 4, 30)


@pytest.fixture
def hired(target, hire, private_employer, public_employer):
    """Three by 30 April: two private, one public. The citizens have names a mail must not carry."""
    return [
        hire(
            date(2026, 1, 5),
            employer=private_employer,
            citizen=make_citizen(private_employer.municipality, first_name="Birthe", last_name="Hemmeligsen"),
        ),
        hire(date(2026, 2, 5), employer=private_employer),
        hire(date(2026, 3, 5), employer=public_employer),
    ]


@pytest.fixture
def managers(fredericia):
    """Two active managers of Fredericia with an address, one without, one who has left."""
    return [
        make_user("chef-a", fredericia, Role.MANAGER, email="a@fredericia.dk"),
        make_user("chef-b", fredericia, Role.MANAGER, email="b@fredericia.dk"),
        make_user("chef-uden", fredericia, Role.MANAGER, email=""),
        make_user("chef-stoppet", fredericia, Role.MANAGER, email="gone@fredericia.dk", is_active=False),
    ]


@pytest.fixture
def others(fredericia, odense):
    """A consultant of Fredericia, and a manager of Odense (which has a target too)."""
    make_user("konsulent-med-mail", fredericia, Role.CONSULTANT, email="k@fredericia.dk")
    make_target(odense, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    return make_user("chef-odense", odense, Role.MANAGER, email="chef@odense.dk")


def mails():
    return OutboxMail.objects.filter(kind="monthly_report").order_by("pk")


def attachment(mail):
    (found,) = mail.attachments
    return found["filename"], found["mimetype"], base64.b64decode(found["content_b64"])


def test_the_report_is_as_of_the_last_day_of_the_month_before():
    assert monthly_report_day(date(2026, 5, 1)) == APRIL_30
    assert monthly_report_day(date(2026, 3, 1)) == date(2026, 2, 28)
    assert monthly_report_day(date(2026, 1, 1)) == date(2025, 12, 31)
    assert monthly_report_day(date(2026, 5, 17)) == APRIL_30


def test_it_queues_the_pdf_once_to_each_active_manager_with_an_address(hired, target, managers):
    assert monthly_reports_queue(as_of=MAY_1) == 2
    queued = list(mails())
    assert [mail.to for mail in queued] == [["a@fredericia.dk"], ["b@fredericia.dk"]]
    assert [mail.dedupe_key for mail in queued] == [
        f"monthly-report:{target.pk}:2026-04:{managers[0].pk}",
        f"monthly-report:{target.pk}:2026-04:{managers[1].pk}",
    ]
    filename, mimetype, content = attachment(queued[0])
    assert (filename, mimetype) == ("status-607-2026-04-30.pdf", "application/pdf")
    text = " ".join(pdf_text(content).split())
    assert "Status pr. 30. april 2026" in text
    assert "3 af 164 nye fleksjob (2 %)" in text
    assert queued[0].subject == "Statusrapport for Fredericia pr. 30. april 2026"
    assert "3 af 164 nye fleksjob (2 %)" in queued[0].body
    assert "http://" in queued[0].body and "/dashboard/?municipality=607" in queued[0].body


def test_a_second_run_queues_nothing(hired, managers):
    monthly_reports_queue(as_of=MAY_1)
    assert monthly_reports_queue(as_of=MAY_1) == 0
    assert monthly_reports_queue(as_of=date(2026, 5, 2)) == 0  # the same month, run by hand later
    assert mails().count() == 2


def test_a_manager_added_later_in_the_month_gets_it_too(hired, managers, fredericia):
    monthly_reports_queue(as_of=MAY_1)
    make_user("chef-ny", fredericia, Role.MANAGER, email="ny@fredericia.dk")
    assert monthly_reports_queue(as_of=MAY_1) == 1
    assert mails().last().to == ["ny@fredericia.dk"]


def test_next_month_is_a_new_report(hired, managers):
    monthly_reports_queue(as_of=MAY_1)
    assert monthly_reports_queue(as_of=date(2026, 6, 1)) == 2
    assert attachment(mails().last())[0] == "status-607-2026-05-31.pdf"


def test_each_municipality_gets_its_own_report_only(hired, managers, others):
    monthly_reports_queue(as_of=MAY_1)
    by_address = {mail.to[0]: mail for mail in mails()}
    assert set(by_address) == {"a@fredericia.dk", "b@fredericia.dk", "chef@odense.dk"}
    assert attachment(by_address["chef@odense.dk"])[0] == "status-461-2026-04-30.pdf"
    assert "Odense" in by_address["chef@odense.dk"].subject


def test_it_sends_nothing_where_no_target_holds_the_day(managers, fredericia):
    make_target(fredericia, period_start=date(2026, 5, 1), period_end=date(2026, 12, 31))  # starts after
    assert monthly_reports_queue(as_of=MAY_1) == 0
    assert not mails().exists()


def test_it_stores_the_day_and_mails_the_stored_figures(hired, managers, target, public_employer):
    snapshots_take(as_of=APRIL_30)
    Placement.objects.filter(pk=hired[0].pk).update(employer=public_employer)  # corrected since
    monthly_reports_queue(as_of=MAY_1)
    text = " ".join(pdf_text(attachment(mails().first())[2]).split())
    assert "Private virksomheder 2" in text
    assert Snapshot.objects.filter(target=target, day=APRIL_30).count() == 1


def test_it_stores_the_day_first_when_the_nightly_job_has_not(hired, managers, target):
    monthly_reports_queue(as_of=MAY_1)
    assert Snapshot.objects.filter(target=target, day=APRIL_30).exists()


def test_the_mail_names_no_citizen(hired, managers):
    monthly_reports_queue(as_of=MAY_1)
    mail = mails().first()
    everything = " ".join([mail.subject, mail.body, pdf_text(attachment(mail)[2])])
    assert "Hemmeligsen" not in everything and "Birthe" not in everything


def test_the_task_takes_the_day_as_text(hired, managers):
    assert monthly_report("2026-05-01") == 2
    assert monthly_report("2026-05-01") == 0


def test_the_command_queues_and_says_how_many(hired, managers):
    out = StringIO()
    call_command("send_monthly_report", as_of="2026-05-01", stdout=out)
    assert out.getvalue().strip() == "Satte 2 statusrapporter pr. 2026-04-30 i kø."
    out = StringIO()
    call_command("send_monthly_report", as_of="2026-05-01", stdout=out)
    assert out.getvalue().strip() == "Satte 0 statusrapporter pr. 2026-04-30 i kø."


@pytest.mark.parametrize("bad", ["2026-05-32", "maj", ""])
def test_the_command_refuses_a_bad_date(hired, managers, bad):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_monthly_report", as_of=bad, stdout=StringIO())
    assert not mails().exists()


def test_a_leader_of_the_municipality_gets_none(hired, managers, fredericia):
    leader = make_user("leder-med-mail", fredericia, Role.LEADER, email="leder@virksomhed.dk")
    make_placement(make_citizen(fredericia), make_employer(fredericia, name="X"), start_date=date(2026, 4, 1))
    monthly_reports_queue(as_of=MAY_1)
    assert leader.email not in [address for mail in mails() for address in mail.to]
