"""Celery tasks of the workspace: thin entry points that take ids."""

from celery import shared_task
from django.core.mail import send_mail
from django.utils.translation import gettext as _


@shared_task
def send_meeting_request_email(request_id, profile_url):
    from .models import MeetingRequest

    request = MeetingRequest.objects.select_related("citizen__consultant", "member__user", "member__employer").get(
        pk=request_id
    )
    consultant = request.citizen.consultant
    if consultant is None or not consultant.email:
        return
    company = request.member.employer.name if request.member.employer else request.member.display_name
    # The e-mail names neither the citizen nor the CPR number: the link opens the record
    # for the consultant, who is logged in.
    send_mail(
        subject=_("En virksomhed vil gerne møde en af dine borgere"),
        message=_("%(company)s vil gerne møde en kandidat fra din sagsstamme.\n\nBesked: %(message)s\n\nSe borgeren: %(url)s")
        % {"company": company, "message": request.message or "–", "url": profile_url},
        from_email=None,
        recipient_list=[consultant.email],
    )
