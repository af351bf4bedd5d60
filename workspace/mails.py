"""The workspace's e-mails, an invitation and a request to meet a candidate: what they say
and to whom, written to the outbox in the caller's transaction (the outbox sends them).

An invitation's link is a bearer token, and the token is never stored (workspace.models):
the outbox keeps the invitation's id and the text with INVITATION_LINK where the link goes,
and the renderer registered here works the link out as the mail is sent. The outbox finds
this module by its name (`mails`) in every process that sends."""

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from outbox.services import MailObsolete, mail_queue, mail_renderer

from .access import active_staff_emails
from .models import Invitation, invitation_token_hash

INVITATION = "invitation"
MEETING_REQUEST = "meeting_request"
# Stands where the invitation's link goes until it is sent (not translated: it is looked for).
INVITATION_LINK = "[linket sættes ind, når mailen sendes]"


def invitation_mail_queue(invitation, base_url):
    """Queue the invitation's e-mail (once it is approved)."""
    # In the site's language, whoever sends it: the mail is read by the invited person.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Invitation til %(name)s") % {"name": invitation.task_force.name}
        body = _(
            "Kære %(first)s\n\nDu er inviteret til at være med i %(name)s. Følg linket for at "
            "vælge din adgangskode og komme i gang:\n\n%(url)s\n\nLinket gælder i %(days)s dage."
        ) % {"first": invitation.first_name, "name": invitation.task_force.name, "url": INVITATION_LINK,
             "days": Invitation.VALID_DAYS}
    return mail_queue(
        kind=INVITATION, to=[invitation.email], subject=subject, body=body,
        render_args={"invitation": invitation.pk, "base_url": base_url},
    )


@mail_renderer(INVITATION)
def invitation_mail_text(mail):
    """The invitation's text with its link, worked out now from the invitation's nonce."""
    invitation = Invitation.objects.filter(pk=mail.render_args["invitation"]).first()
    if invitation is None or not invitation.is_usable():
        raise MailObsolete("Invitationen er trukket tilbage, brugt eller udløbet.")
    # Its hash is stored again as it is sent, so a link mailed after SECRET_KEY rotated (a
    # staff invitation approved later) still finds its invitation.
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=invitation_token_hash(invitation.token))
    url = urljoin(mail.render_args["base_url"], reverse("workspace:invitation_link", args=[invitation.token]))
    before, link, after = mail.body.rpartition(INVITATION_LINK)
    if not link:
        raise ValueError("The invitation's text has no place for its link")
    return before + url + after


def meeting_request_mail_queue(request, base_url):
    """Tell the citizen's consultant; without one (or without an e-mail address), tell the
    task force's jobcenter staff, who follow up from the workspace's list of requests.
    Returns whether the mail goes to the citizen's consultant."""
    task_force = request.member.task_force
    company = request.member.employer.name if request.member.employer else request.member.display_name
    consultant = request.citizen.consultant
    # Neither e-mail names the citizen or the CPR number: the links open pages for logged-in
    # jobcenter staff only.
    with translation.override(settings.LANGUAGE_CODE):
        if consultant is not None and consultant.email:
            url = urljoin(base_url, reverse("citizens:detail", args=[request.citizen_id]))
            mail_queue(
                kind=MEETING_REQUEST, to=[consultant.email],
                subject=_("En virksomhed vil gerne møde en af dine borgere"),
                body=_("%(company)s vil gerne møde en kandidat fra din sagsstamme.\n\nBesked: %(message)s\n\n"
                       "Se borgeren: %(url)s") % {"company": company, "message": request.message or "–", "url": url},
            )
            return True
        staff = active_staff_emails(task_force)
        if staff:
            url = urljoin(base_url, reverse("workspace:requests", args=[task_force.pk]))
            mail_queue(
                kind=MEETING_REQUEST, to=staff,
                subject=_("En virksomhed vil gerne møde en kandidat"),
                body=_(
                    "%(company)s vil gerne møde en kandidat fra %(name)s. Kandidaten har ingen jobkonsulent med "
                    "en e-mailadresse, så jobcentret skal følge op.\n\nBesked: %(message)s\n\nSe henvendelserne: %(url)s"
                ) % {"company": company, "name": task_force.name, "message": request.message or "–", "url": url},
            )
    return False
