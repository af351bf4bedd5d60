"""Progress workflows: saving a target, storing each night's figures (snapshots) and queuing
the monthly status report to the managers."""

from core import dates
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from outbox.models import OutboxMail
from outbox.services import mail_queue

from . import reports
from .dashboard import build_dashboard, snapshot_content
from .models import Snapshot, Target


def target_save(*, form):
    """A new target as the form holds it; an edited one saves only what this user changed,
    refusing a field a colleague changed meanwhile (core.edits)."""
    return form.save()


class FutureDayError(ValueError):
    """Figures are stored for a day that has come, never ahead of it."""


def current_targets(day):
    """The targets whose period holds `day`, with their municipality."""
    return Target.objects.filter(period_start__lte=day, period_end__gte=day).select_related("municipality")


def snapshots_take(*, as_of):
    """Store the figures of every target whose period holds `as_of`, as of that day; returns
    how many were stored. A target with that day's figures stored already is left as it is,
    so a second run for the same day stores none and changes nothing.

    The nightly job stores the day that has just ended (progress.tasks.snapshot_progress);
    a day taken later by hand (`--as-of`) holds the placements as they are registered then."""
    if as_of > timezone.localdate():
        raise FutureDayError(_("Tallene kan ikke gemmes for en dag, der ikke er kommet endnu."))
    stored = 0
    for target in current_targets(as_of).exclude(snapshots__day=as_of).order_by("pk"):
        figures, tables = snapshot_content(target, as_of)
        try:
            with transaction.atomic():
                Snapshot.objects.create(target=target, day=as_of, figures=figures, tables=tables)
        except IntegrityError:  # stored meanwhile by another run of the job
            continue
        stored += 1
    return stored


def monthly_report_day(as_of):
    """The day the monthly report is as of: the last day of the month before `as_of`'s, so
    the report sent on 1 November covers October whole (as of 31 October)."""
    return as_of.replace(day=1) - timedelta(days=1)


def monthly_report_key(target, day, user):
    return f"monthly-report:{target.pk}:{day:%Y-%m}:{user.pk}"


def monthly_reports_queue(*, as_of):
    """Queue the status report of the month before `as_of` (as of its last day) to every
    active manager with an e-mail address in each municipality with a target that day, once
    per manager, target and month (the outbox's dedupe key): a second run queues none.

    The day's figures are stored first (if the nightly job has not), and the report is drawn
    from them, so the report mailed is the one the dashboard's PDF gives for that day later.
    Returns how many mails were queued."""
    day = monthly_report_day(as_of)
    snapshots_take(as_of=day)
    municipalities = {target.municipality_id: target.municipality for target in current_targets(day)}
    managers = {}
    for membership in (
        Membership.objects.filter(
            municipality_id__in=municipalities, role=Role.MANAGER, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    ):
        managers.setdefault(membership.municipality_id, []).append(membership.user)
    queued = 0
    for municipality_id, municipality in sorted(municipalities.items(), key=lambda item: item[1].code):
        recipients = managers.get(municipality_id, [])
        if recipients:
            queued += _queue_report(municipality, day, recipients)
    return queued


def _queue_report(municipality, day, recipients):
    """The report to each of `recipients` who has not had it yet; returns how many."""
    data = build_dashboard(municipality, day, masked=False, stored=True)
    if data.progress is None:
        return 0
    keys = {user.pk: monthly_report_key(data.target, day, user) for user in recipients}
    sent = set(OutboxMail.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    waiting = [user for user in recipients if keys[user.pk] not in sent]
    if not waiting:
        return 0  # no PDF drawn for nothing
    with translation.override(settings.LANGUAGE_CODE):
        pdf = reports.status_pdf(None, data)
        subject, body = _report_text(data)
    filename = reports.status_pdf_filename(data)
    with transaction.atomic():
        for user in waiting:
            mail_queue(
                kind="monthly_report",
                to=[user.email],
                subject=subject,
                body=body,
                attachments=[(filename, pdf, "application/pdf")],
                dedupe_key=keys[user.pk],
            )
    return len(waiting)


def _report_text(data):
    """The mail's subject and body: aggregated figures and a link, no personal data."""
    p = data.progress
    day = dates.day_long(data.as_of)
    url = "%s%s?%s" % (
        settings.SITE_URL.rstrip("/"),
        reverse("progress:dashboard"),
        urlencode({"municipality": data.municipality.code}),
    )
    subject = _("Statusrapport for %(municipality)s pr. %(date)s") % {
        "municipality": data.municipality.name,
        "date": day,
    }
    body = _(
        "Hermed månedens statusrapport for Jobcenter %(municipality)s pr. %(date)s, målet “%(title)s”: "
        "%(n)s af %(target)s nye fleksjob (%(percent)s %%).\n\n"
        "Rapporten er vedhæftet som PDF. De aktuelle tal står på dashboardet:\n%(url)s\n\n"
        "Denne e-mail sendes automatisk den 1. i hver måned til jobcentrets ledere."
    ) % {
        "municipality": data.municipality.name,
        "date": day,
        "title": data.target.title,
        "n": p.new_flex_jobs,
        "target": p.target,
        "percent": p.percent,
        "url": url,
    }
    return subject, body
