"""The outbox in the admin: read-only, failed mails first, "Prøv igen" queues a failed mail
again, and the recipients and text only for a superuser or whom it is granted to."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from outbox.models import OutboxMail
from outbox.services import mail_queue
from tests.factories import make_user

CHANGELIST = reverse("admin:outbox_outboxmail_changelist")


def change_url(mail):
    return reverse("admin:outbox_outboxmail_change", args=[mail.pk])


@pytest.fixture
def sent(db):
    mail = mail_queue(kind="digest", to=["karin@fredericia.dk"], subject="Dine påmindelser",
                      body="Se https://taskforce.example.dk/tasks/")
    OutboxMail.objects.filter(pk=mail.pk).update(state="sent", attempts=1)
    return mail


@pytest.fixture
def failed(db):
    mail = mail_queue(kind="invitation", to=["kirsten@cafe.dk"], subject="Invitation til Task Force",
                      body="Kære Kirsten")
    OutboxMail.objects.filter(pk=mail.pk).update(state="failed", attempts=8, last_error="SMTPServerDisconnected")
    return mail


@pytest.fixture
def staff_reader(db):
    """Staff who may read the outbox, but not its recipients and text, nor retry."""
    user = make_user("driftsvagt", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_outboxmail"))
    return user


def test_it_lists_the_failed_mails_first_and_marks_them(login, admin_user, sent, failed):
    response = login(admin_user).get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [failed, sent]
    html = response.content.decode()
    assert "⚠ Fejlet" in html and "SMTPServerDisconnected" in html


def test_it_filters_by_state_and_kind(login, admin_user, sent, failed):
    client = login(admin_user)
    assert list(client.get(CHANGELIST, {"state": "failed"}).context["cl"].result_list) == [failed]
    assert list(client.get(CHANGELIST, {"kind": "digest"}).context["cl"].result_list) == [sent]


def test_prov_igen_queues_a_failed_mail_again_and_sends_it(
    login, admin_user, sent, failed, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(admin_user).post(
            CHANGELIST, {"action": "retry", "_selected_action": [failed.pk, sent.pk]}, follow=True
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 mail er lagt i kø til afsendelse igen." in html and "Kun fejlede mails sendes igen" in html
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("sent", 1)
    assert [m.to for m in mailoutbox] == [["kirsten@cafe.dk"]]  # the sent one is not sent again


def test_prov_igen_leaves_the_mail_queued_for_the_sweep_until_committed(
    login, admin_user, failed, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        login(admin_user).post(CHANGELIST, {"action": "retry", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("queued", 0) and mailoutbox == []


def test_the_admin_reads_the_recipients_and_text(login, admin_user, failed):
    response = login(admin_user).get(change_url(failed))
    assert response.status_code == 200
    html = response.content.decode()
    assert "kirsten@cafe.dk" in html and "Kære Kirsten" in html


def test_staff_without_the_grant_see_the_mail_but_not_its_recipients_and_text(login, staff_reader, failed):
    client = login(staff_reader)
    listed = client.get(CHANGELIST)
    assert listed.status_code == 200 and "kirsten@cafe.dk" not in listed.content.decode()
    page = client.get(change_url(failed))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Invitation til Task Force" in html
    assert "kirsten@cafe.dk" not in html and "Kære Kirsten" not in html
    # Nor may they retry it: the action is not offered, and a posted one does nothing.
    assert listed.context["action_form"] is None
    client.post(CHANGELIST, {"action": "retry", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.state == "failed"


def test_the_grant_shows_the_recipients_and_text_to_staff(login, staff_reader, failed):
    staff_reader.user_permissions.add(Permission.objects.get(codename="view_mail_content"))
    html = login(staff_reader).get(change_url(failed)).content.decode()
    assert "kirsten@cafe.dk" in html and "Kære Kirsten" in html


@pytest.mark.parametrize("who", ["consultant", "manager"])
def test_it_sends_anyone_but_staff_to_the_admins_login(request, login, failed, who):
    client = login(request.getfixturevalue(who))
    for url in (CHANGELIST, change_url(failed)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.post(CHANGELIST, {"action": "retry", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.state == "failed"


def test_nobody_adds_changes_or_deletes_a_mail(login, admin_user, failed, rf):
    client = login(admin_user)
    assert client.get(reverse("admin:outbox_outboxmail_add")).status_code == 403
    assert client.post(change_url(failed), {"subject": "Ændret", "body": "Ændret"}).status_code == 403
    assert client.post(reverse("admin:outbox_outboxmail_delete", args=[failed.pk]), {"post": "yes"}).status_code == 403
    failed.refresh_from_db()
    assert failed.subject == "Invitation til Task Force"
    mail_admin = admin.site._registry[OutboxMail]
    request = rf.get("/")
    request.user = admin_user
    assert not mail_admin.has_add_permission(request)
    assert not mail_admin.has_change_permission(request)
    assert not mail_admin.has_delete_permission(request)
    assert mail_admin.has_view_permission(request) and mail_admin.has_retry_permission(request)
