"""Plan the follow-ups of the placements running at the upgrade, and let each citizen's status
follow their placements.

Only the regular follow-ups not yet due are planned (with the law's deadlines of a flex job), so
an upgrade does not fill the worklists with years-old overdue items. The rules are copied here
as they stand (placements.models.follow_ups_planned), so this migration does the same on any
later version of the code."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import migrations
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

LEGAL_FOLLOW_UP_MONTHS = 30
REASSESSMENT_MONTHS = 54
BATCH = 2000


def plan_follow_ups(apps, schema_editor):
    Placement = apps.get_model("placements", "Placement")
    FollowUp = apps.get_model("placements", "FollowUp")
    today = timezone.localdate()
    months = sorted(set(settings.FOLLOW_UP_MONTHS))
    running = Placement.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).order_by("pk")
    batch = []
    for placement in running.only("pk", "kind", "start_date", "end_date", "first_flexjob", "permanent").iterator(
        chunk_size=BATCH
    ):
        start, end = placement.start_date, placement.end_date
        for m in months:
            due = start + relativedelta(months=m)
            if due >= today and (end is None or due <= end):
                batch.append(FollowUp(placement_id=placement.pk, kind="regular", months=m, due_on=due))
        if end is None and placement.kind == "flexjob":
            batch.append(FollowUp(
                placement_id=placement.pk, kind="legal_follow_up", months=LEGAL_FOLLOW_UP_MONTHS,
                due_on=start + relativedelta(months=LEGAL_FOLLOW_UP_MONTHS),
            ))
            if placement.first_flexjob and not placement.permanent:
                batch.append(FollowUp(
                    placement_id=placement.pk, kind="reassessment", months=REASSESSMENT_MONTHS,
                    due_on=start + relativedelta(months=REASSESSMENT_MONTHS),
                ))
        if len(batch) >= BATCH:
            FollowUp.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    FollowUp.objects.bulk_create(batch, ignore_conflicts=True)


def refresh_statuses(apps, schema_editor):
    """"Ansat" for a citizen with a placement running today; a citizen marked "Ansat" with none
    running is job-seeking again ("Klar til job")."""
    Citizen = apps.get_model("citizens", "Citizen")
    Placement = apps.get_model("placements", "Placement")
    today = timezone.localdate()
    running = Placement.objects.filter(citizen=OuterRef("pk"), start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    citizens = Citizen.objects.filter(anonymised_at__isnull=True)
    citizens.filter(Exists(running)).exclude(status="placed").update(status="placed", case_closed_on=None)
    citizens.filter(status="placed").filter(~Exists(running)).update(status="ready")


class Migration(migrations.Migration):

    dependencies = [
        ("placements", "0005_followup"),
        ("citizens", "0006_contact_closing_anonymised"),
    ]

    operations = [
        migrations.RunPython(plan_follow_ups, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(refresh_statuses, migrations.RunPython.noop, elidable=True),
    ]
