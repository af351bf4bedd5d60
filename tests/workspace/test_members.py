"""Task forces and their members: invitations by e-mail, and accepting one."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Membership, Role
from outbox.models import OutboxMail
from outbox.services import outbox_send_due
from workspace import services
from workspace.models import Invitation, Member
from tests.factories import make_user


def members_url(task_force):
    return f"/taskforce/{task_force.pk}/members/"


def invite_data(company, **overrides):
    data = {"first_name": "Kirsten", "last_name": "Kokholm", "email": "kirsten@cafe.dk", "kind": "leader",
            "employer": company.pk}
    data.update(overrides)
    return data


def accept_link(mail):
    return re.search(r"https?://[^/\s]+(/taskforce/invitations/[^/\s]+/)", mail.body).group(1)


@pytest.mark.parametrize("inviter", ["consultant", "admin_user"])
def test_it_lets_consultants_and_admins_invite_a_leader_by_email(
    request, login, task_force, employer, mailoutbox, django_capture_on_commit_callbacks, inviter
):
    user = request.getfixturevalue(inviter)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(user).post(members_url(task_force), invite_data(employer))
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="kirsten@cafe.dk")
    assert (invitation.task_force, invitation.employer, invitation.invited_by) == (task_force, employer, user)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["kirsten@cafe.dk"]
    assert task_force.name in mailoutbox[0].subject
    assert accept_link(mailoutbox[0]) == f"/taskforce/invitations/{invitation.token}/"


def test_it_queues_the_invitation_with_the_invitation_and_sends_it_once_committed(
    login, consultant, task_force, employer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = login(consultant).post(members_url(task_force), invite_data(employer))
    assert response.status_code == 302
    # Nothing is sent inside the request: the mail is queued with the invitation, and a
    # worker is asked to send it when the transaction commits.
    (queued,) = OutboxMail.objects.all()
    assert (queued.kind, queued.to, queued.state) == ("invitation", ["kirsten@cafe.dk"], "queued")
    assert mailoutbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["kirsten@cafe.dk"]
    queued.refresh_from_db()
    assert queued.state == "sent"


def test_the_outbox_holds_the_invitations_id_and_never_its_token(
    login, consultant, task_force, employer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(consultant).post(members_url(task_force), invite_data(employer))
    invitation = Invitation.objects.get()
    assert invitation.token in mailoutbox[0].body
    row = OutboxMail.objects.filter(kind="invitation").values().get()
    assert row["state"] == "sent" and row["render_args"]["invitation"] == invitation.pk
    assert invitation.token not in str(row)
    assert "/taskforce/invitations/" not in row["body"]


def test_a_withdrawn_invitations_queued_mail_is_not_sent(
    login, consultant, task_force, employer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        login(consultant).post(members_url(task_force), invite_data(employer))
    invitation = Invitation.objects.get()
    assert services.invitation_withdraw(invitation=invitation)
    outbox_send_due()
    assert mailoutbox == []
    mail = OutboxMail.objects.get()
    assert mail.state == "failed" and "trukket tilbage" in mail.last_error


def test_it_shows_the_invitation_form_to_a_consultant(login, consultant, task_force):
    response = login(consultant).get(members_url(task_force))
    assert response.status_code == 200
    assert response.context["form"] is not None
    assert "Invitér et nyt medlem" in response.content.decode()


def test_it_shows_no_invitation_form_to_a_leader(login, leader_member, task_force):
    response = login(leader_member.user).get(members_url(task_force))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "Invitér et nyt medlem" not in response.content.decode()
    assert "Lise Lund" in response.content.decode()


@pytest.mark.parametrize("who", ["leader_member", "facilitator_member"])
def test_it_refuses_an_invitation_posted_by_anyone_but_the_jobcenter(
    request, login, task_force, employer, mailoutbox, django_capture_on_commit_callbacks, who
):
    """Issue 4: "Admins and consultants invite members by e-mail" — not the facilitator, not
    a leader: an invitation hands out a role in the municipality."""
    user = request.getfixturevalue(who).user
    client = login(user)
    page = client.get(members_url(task_force))
    assert page.status_code == 200 and page.context["form"] is None
    assert "Invitér et nyt medlem" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(members_url(task_force), invite_data(employer))
    assert response.status_code == 403
    staff = client.post(members_url(task_force), invite_data(employer, kind="staff", employer=""))
    assert staff.status_code == 403
    assert not Invitation.objects.exists() and mailoutbox == []


def test_it_gives_404_to_a_consultant_of_another_municipality(login, outsider, task_force, employer, mailoutbox):
    assert login(outsider).get(members_url(task_force)).status_code == 404
    assert login(outsider).post(members_url(task_force), invite_data(employer)).status_code == 404
    assert not Invitation.objects.exists()


def test_it_asks_for_the_company_of_an_invited_leader(login, consultant, task_force, employer, mailoutbox):
    response = login(consultant).post(members_url(task_force), invite_data(employer, employer=""))
    assert response.status_code == 200
    assert "Vælg virksomhedslederens virksomhed." in response.content.decode()
    assert not Invitation.objects.exists() and mailoutbox == []


def test_it_offers_only_the_municipalitys_companies(login, consultant, task_force, employer, other_employer):
    response = login(consultant).post(members_url(task_force), invite_data(other_employer))
    assert response.status_code == 200
    assert list(response.context["form"].fields["employer"].queryset) == [employer]
    assert not Invitation.objects.exists()


@pytest.fixture
def invitation(task_force, employer, consultant):
    return Invitation.objects.create(
        task_force=task_force, email="kirsten@cafe.dk", first_name="Kirsten", last_name="Kokholm",
        kind=Member.Kind.LEADER, employer=employer, invited_by=consultant,
        approved_by=consultant, approved_at=timezone.now(),
    )


ACCEPT_URL = "/taskforce/invitations/accept/"


def follow_link(client, invitation):
    """Open the e-mailed link: it keeps the token in the session and leads to the accept page."""
    response = client.get(f"/taskforce/invitations/{invitation.token}/")
    assert response.status_code == 302 and response.url == ACCEPT_URL
    return client.get(ACCEPT_URL)


def accept(client, invitation, **overrides):
    data = {"username": "kirsten", "password1": "Fleksjob-i-kokkenet-7", "password2": "Fleksjob-i-kokkenet-7"}
    data.update(overrides)
    client.get(f"/taskforce/invitations/{invitation.token}/")
    return client.post(ACCEPT_URL, data)


def test_it_shows_the_accept_page_without_login(client, invitation):
    response = follow_link(client, invitation)
    assert response.status_code == 200
    assert "Velkommen til Task Force Fleksjob Fredericia" in response.content.decode()
    # The page the user lands on has no token in its address.
    assert invitation.token not in response.request["PATH_INFO"]


def test_it_gives_404_on_the_accept_page_without_a_link(client, invitation):
    assert client.get(ACCEPT_URL).status_code == 404
    assert client.post(ACCEPT_URL, {"username": "x"}).status_code == 404


def test_it_creates_the_leader_with_role_membership_and_company_and_logs_them_in(client, invitation, task_force, employer):
    response = accept(client, invitation)
    assert response.status_code == 302
    assert response.url == f"/taskforce/{task_force.pk}/"
    user = get_user_model().objects.get(username="kirsten")
    assert user.check_password("Fleksjob-i-kokkenet-7")
    assert (user.first_name, user.last_name, user.email) == ("Kirsten", "Kokholm", "kirsten@cafe.dk")
    assert Membership.objects.filter(user=user, municipality=task_force.municipality, role=Role.LEADER).exists()
    member = Member.objects.get(user=user)
    assert (member.task_force, member.kind, member.employer) == (task_force, Member.Kind.LEADER, employer)
    assert user in employer.leaders.all()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    # Logged in: the workspace opens.
    page = client.get(response.url)
    assert page.status_code == 200 and page.context["user"] == user


def test_it_gives_410_for_a_used_invitation(client, invitation):
    accept(client, invitation)
    client.logout()
    response = follow_link(client, invitation)
    assert response.status_code == 410
    assert "Invitationen kan ikke bruges" in response.content.decode()
    again = accept(client, invitation, username="kirsten2")
    assert again.status_code == 410
    assert not get_user_model().objects.filter(username="kirsten2").exists()


def test_it_gives_410_for_an_expired_invitation(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(approved_at=timezone.now() - timedelta(days=15))
    assert follow_link(client, invitation).status_code == 410
    assert accept(client, invitation).status_code == 410
    assert not get_user_model().objects.filter(username="kirsten").exists()


def test_it_gives_404_for_an_unknown_invitation(client, invitation):
    client.get("/taskforce/invitations/not-a-token/")
    assert client.get(ACCEPT_URL).status_code == 404


def test_it_refuses_different_passwords_and_creates_nothing(client, invitation):
    response = accept(client, invitation, password2="Noget-helt-andet-9")
    assert response.status_code == 200
    assert "De to adgangskoder er ikke ens." in response.content.decode()
    assert not get_user_model().objects.filter(username="kirsten").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_it_refuses_a_taken_username(client, invitation, consultant):
    response = accept(client, invitation, username="KONSULENT")
    assert "Brugernavnet er optaget" in response.content.decode()
    assert not Member.objects.filter(task_force=invitation.task_force).exists()


def test_it_makes_an_invited_facilitator_a_member_without_a_municipal_role(client, task_force, consultant):
    invitation = Invitation.objects.create(
        task_force=task_force, email="frida@codeofcare.dk", first_name="Frida", last_name="Falk",
        kind=Member.Kind.FACILITATOR, invited_by=consultant, approved_by=consultant, approved_at=timezone.now(),
    )
    assert accept(client, invitation, username="frida").status_code == 302
    user = get_user_model().objects.get(username="frida")
    assert not Membership.objects.filter(user=user).exists()
    assert Member.objects.get(user=user).kind == Member.Kind.FACILITATOR


def test_it_makes_invited_jobcenter_staff_a_consultant_member(
    login, client, manager, task_force, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(manager).post(members_url(task_force), {
            "first_name": "Sofie", "last_name": "Stab", "email": "sofie@fredericia.dk", "kind": "staff", "employer": "",
        })
    invitation = Invitation.objects.get()
    assert invitation.approved_by == manager and len(mailoutbox) == 1
    client.logout()
    assert accept(client, invitation, username="sofie").status_code == 302
    user = get_user_model().objects.get(username="sofie")
    assert Membership.objects.filter(user=user, municipality=task_force.municipality, role=Role.CONSULTANT).exists()
    assert Member.objects.get(user=user).kind == Member.Kind.STAFF


def test_it_keeps_the_invitation_usable_when_the_username_is_taken_at_the_last_moment(invitation):
    make_user("kirsten")  # taken after the form checked it
    with pytest.raises(ValidationError, match="Brugernavnet er optaget"):
        services.invitation_accept(invitation=invitation, username="kirsten", password="Fleksjob-i-kokkenet-7")
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and not Member.objects.exists()


def test_it_refuses_a_username_the_user_model_would_not_accept(client, invitation):
    response = accept(client, invitation, username="kirsten kokholm!")
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not get_user_model().objects.filter(first_name="Kirsten").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_it_refuses_a_password_too_like_the_invited_persons_name(client, invitation):
    """The similarity check needs the user to be: their name and e-mail from the invitation."""
    response = accept(client, invitation, password1="Kokholm2026", password2="Kokholm2026")
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not get_user_model().objects.filter(username="kirsten").exists()


def test_it_keeps_an_invitation_usable_until_it_is_14_days_old(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(approved_at=timezone.now() - timedelta(days=13, hours=23))
    invitation.refresh_from_db()
    assert invitation.is_usable()
    Invitation.objects.filter(pk=invitation.pk).update(approved_at=timezone.now() - timedelta(days=14))
    invitation.refresh_from_db()
    assert not invitation.is_usable()


# --- Who may create staff accounts --------------------------------------------------------

STAFF = {"first_name": "Sofie", "last_name": "Stab", "email": "sofie@fredericia.dk", "kind": "staff", "employer": ""}


def test_a_consultants_staff_invitation_waits_for_a_manager_and_is_not_sent(
    login, client, consultant, task_force, mailoutbox, django_capture_on_commit_callbacks
):
    """Issue 8: a staff account reads every citizen, so a consultant cannot create one."""
    with django_capture_on_commit_callbacks(execute=True):
        response = login(consultant).post(members_url(task_force), STAFF, follow=True)
    assert "venter på godkendelse" in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.awaiting_approval and invitation.approved_by is None
    assert mailoutbox == []
    # Nobody holds a working link: even with the token, the invitation cannot be accepted.
    client.logout()
    assert accept(client, invitation, username="sofie").status_code == 410
    assert not get_user_model().objects.filter(username="sofie").exists()
    # The consultant cannot approve it themselves.
    approve = f"/taskforce/{task_force.pk}/invitations/{invitation.pk}/approve/"
    assert login(consultant).post(approve).status_code == 403
    invitation.refresh_from_db()
    assert invitation.awaiting_approval and mailoutbox == []


@pytest.mark.parametrize("approver", ["manager", "admin_user"])
def test_a_manager_or_admin_approves_a_staff_invitation_and_it_is_sent_then(
    request, login, client, consultant, task_force, mailoutbox, django_capture_on_commit_callbacks, approver
):
    login(consultant).post(members_url(task_force), STAFF)
    invitation = Invitation.objects.get()
    approver = request.getfixturevalue(approver)
    page = login(approver).get(members_url(task_force)).content.decode()
    assert "Godkend og send" in page and "sofie@fredericia.dk" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = login(approver).post(f"/taskforce/{task_force.pk}/invitations/{invitation.pk}/approve/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.approved_by == approver and not invitation.awaiting_approval
    assert [m.to for m in mailoutbox] == [["sofie@fredericia.dk"]]
    client.logout()
    assert accept(client, invitation, username="sofie").status_code == 302
    assert Membership.objects.filter(user__username="sofie", role=Role.CONSULTANT).exists()


def test_a_manager_of_another_municipality_cannot_approve(login, consultant, task_force, odense):
    login(consultant).post(members_url(task_force), STAFF)
    invitation = Invitation.objects.get()
    stranger = make_user("chef-andetsteds", odense, Role.MANAGER)
    assert login(stranger).post(f"/taskforce/{task_force.pk}/invitations/{invitation.pk}/approve/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.awaiting_approval


def test_a_consultant_still_invites_a_leader_at_once(login, consultant, task_force, employer, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        login(consultant).post(members_url(task_force), invite_data(employer))
    invitation = Invitation.objects.get()
    assert invitation.approved_by == consultant and invitation.is_usable()
    assert len(mailoutbox) == 1


def test_a_consultant_withdraws_their_pending_proposal_but_not_a_sent_staff_invitation(
    login, consultant, manager, task_force
):
    login(consultant).post(members_url(task_force), STAFF)
    pending = Invitation.objects.get()
    assert login(consultant).post(f"/taskforce/{task_force.pk}/invitations/{pending.pk}/withdraw/").status_code == 302
    assert not Invitation.objects.exists()
    login(manager).post(members_url(task_force), STAFF)
    sent = Invitation.objects.get()
    assert not sent.awaiting_approval
    assert login(consultant).post(f"/taskforce/{task_force.pk}/invitations/{sent.pk}/withdraw/").status_code == 403
    assert Invitation.objects.filter(pk=sent.pk).exists()
    assert login(manager).post(f"/taskforce/{task_force.pk}/invitations/{sent.pk}/withdraw/").status_code == 302
    assert not Invitation.objects.exists()


def test_the_database_holds_no_working_link(invitation, client):
    """The token is a keyed hash of a stored nonce; only its SHA-256 is stored to find it."""
    row = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert invitation.token not in {str(value) for value in row.values()}
    assert row["token_hash"] != invitation.token and len(invitation.token) >= 40
    # The session keeps the hash too, not the token.
    client.get(f"/taskforce/invitations/{invitation.token}/")
    assert invitation.token not in str(dict(client.session))
    assert client.get(ACCEPT_URL).status_code == 200


def test_a_link_made_with_another_secret_key_does_not_work(invitation, client, settings):
    original = settings.SECRET_KEY
    settings.SECRET_KEY = "another-secret-key-another-secret-key-another-secret-key"
    forged = Invitation.objects.get(pk=invitation.pk).token
    settings.SECRET_KEY = original
    assert forged != invitation.token
    client.get(f"/taskforce/invitations/{forged}/")
    assert client.get(ACCEPT_URL).status_code == 404


def test_withdrawing_an_invitation_accepted_meanwhile_withdraws_nothing(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    assert services.invitation_withdraw(invitation=invitation) is False
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_approving_twice_says_it_was_already_approved(login, consultant, manager, task_force, mailoutbox,
                                                      django_capture_on_commit_callbacks):
    login(consultant).post(members_url(task_force), STAFF)
    invitation = Invitation.objects.get()
    url = f"/taskforce/{task_force.pk}/invitations/{invitation.pk}/approve/"
    with django_capture_on_commit_callbacks(execute=True):
        login(manager).post(url)
        again = login(manager).post(url, follow=True)
    assert "var allerede godkendt" in again.content.decode()
    assert len(mailoutbox) == 1


def test_the_withdraw_button_shows_only_where_the_withdrawal_is_allowed(login, consultant, manager, task_force):
    login(manager).post(members_url(task_force), STAFF)
    sent = Invitation.objects.get()
    withdraw = f"/taskforce/{task_force.pk}/invitations/{sent.pk}/withdraw/"
    assert withdraw not in login(consultant).get(members_url(task_force)).content.decode()
    assert withdraw in login(manager).get(members_url(task_force)).content.decode()


def test_a_link_sent_after_the_secret_key_rotated_still_works(
    login, client, consultant, manager, task_force, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """A staff invitation proposed before a key rotation and approved after it."""
    login(consultant).post(members_url(task_force), STAFF)
    invitation = Invitation.objects.get()
    settings.SECRET_KEY = "a-rotated-secret-key-a-rotated-secret-key-a-rotated-secret"
    with django_capture_on_commit_callbacks(execute=True):
        login(manager).post(f"/taskforce/{task_force.pk}/invitations/{invitation.pk}/approve/")
    client.logout()
    link = accept_link(mailoutbox[0])
    client.get(link)
    assert client.get(ACCEPT_URL).status_code == 200
