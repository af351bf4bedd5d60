"""Celery tasks of the workspace: thin entry points that take ids (and the site's base URL
for links), enqueued with transaction.on_commit by the services."""

from urllib.parse import urljoin

from celery import shared_task
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from .access import active_staff_emails
from .models import Invitation, MeetingRequest, invitation_token_hash


@shared_task
def send_invitation_email(invitation_id, base_url):
    invitation = Invitation.objects.select_related("task_force").get(pk=invitation_id)
    # The token is worked out here, not passed in: it stays out of the broker and the task
    # log. Its hash is stored again as it is sent, so a link mailed after SECRET_KEY rotated
    # (a staff invitation approved later) still finds its invitation.
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=invitation_token_hash(invitation.token))
    accept_url = urljoin(base_url, reverse("workspace:invitation_link", args=[invitation.token]))
    send_mail(
        subject=_("Invitation til %(name)s") % {"name": invitation.task_force.name},
        message=_(
            "Kære %(first)s\n\nDu er inviteret til at være med i %(name)s. Følg linket for at "
            "vælge din adgangskode og komme i gang:\n\n%(url)s\n\nLinket gælder i %(days)s dage."
        ) % {"first": invitation.first_name, "name": invitation.task_force.name, "url": accept_url,
             "days": Invitation.VALID_DAYS},
        from_email=None,
        recipient_list=[invitation.email],
    )


@shared_task
def send_meeting_request_email(request_id, base_url):
    """Tell the citizen's consultant; without one (or without an e-mail address), tell the
    task force's jobcenter staff, who follow up from the workspace's list of requests."""
    request = MeetingRequest.objects.select_related(
        "citizen__consultant", "member__user", "member__employer", "member__task_force"
    ).get(pk=request_id)
    task_force = request.member.task_force
    company = request.member.employer.name if request.member.employer else request.member.display_name
    consultant = request.citizen.consultant
    # Neither e-mail names the citizen or the CPR number: the links open pages for logged-in
    # jobcenter staff only.
    if consultant is not None and consultant.email:
        url = urljoin(base_url, reverse("citizens:detail", args=[request.citizen_id]))
        send_mail(
            subject=_("En virksomhed vil gerne møde en af dine borgere"),
            message=_("%(company)s vil gerne møde en kandidat fra din sagsstamme.\n\nBesked: %(message)s\n\nSe borgeren: %(url)s")
            % {"company": company, "message": request.message or "–", "url": url},
            from_email=None,
            recipient_list=[consultant.email],
        )
        return
    staff = active_staff_emails(task_force)
    if not staff:
        return
    url = urljoin(base_url, reverse("workspace:requests", args=[task_force.pk]))
    send_mail(
        subject=_("En virksomhed vil gerne møde en kandidat"),
        message=_(
            "%(company)s vil gerne møde en kandidat fra %(name)s. Kandidaten har ingen jobkonsulent med "
            "en e-mailadresse, så jobcentret skal følge op.\n\nBesked: %(message)s\n\nSe henvendelserne: %(url)s"
        ) % {"company": company, "name": task_force.name, "message": request.message or "–", "url": url},
        from_email=None,
        recipient_list=staff,
    )
