"""Kept figures (progress.figures): the new flex jobs per day, counted once from the
placements as they are; from then on every writer of placements keeps them."""

from collections import defaultdict

import django.db.models.deletion
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q

SME_SIZES = ("micro", "small", "medium")


def count_all(apps, schema_editor):
    """The counting of progress.figures._count_days over every placement, with the models as
    they are at this migration."""
    Placement = apps.get_model("placements", "Placement")
    FlexJobDay = apps.get_model("progress", "FlexJobDay")
    FlexJobEnd = apps.get_model("progress", "FlexJobEnd")
    limit = settings.MINI_FLEXJOB_MAX_HOURS
    days = defaultdict(lambda: defaultdict(int))
    ends = defaultdict(int)
    flexjobs = Placement.objects.filter(kind="flexjob").values_list(
        "municipality_id", "start_date", "end_date", "in_target_group", "hours_per_week", "first_flexjob",
        "retention_flexjob", "employer__sector", "employer__social_economic", "employer__size", "employer__industry",
    )
    for m, start, end, tg, hours, first, retention, sector, social, size, industry in flexjobs.iterator():
        row = days[(m, start, tg, industry)]
        row["started"] += 1
        row["private"] += sector == "private"
        row["public"] += sector == "public"
        row["social_economic"] += bool(social)
        row["sme"] += size in SME_SIZES
        row["mini"] += hours <= limit
        row["first"] += bool(first)
        row["retention"] += bool(retention)
        row["hours_1_5"] += hours <= 5
        row["hours_6_10"] += 5 < hours <= 10
        row["hours_over_10"] += hours > 10
        if end is not None:
            ends[(m, start, end, tg)] += 1
    FlexJobDay.objects.bulk_create(
        [FlexJobDay(municipality_id=m, day=day, in_target_group=tg, industry=industry, mini_limit=limit, **counts)
         for (m, day, tg, industry), counts in days.items()],
        batch_size=2000,
    )
    FlexJobEnd.objects.bulk_create(
        [FlexJobEnd(municipality_id=m, start_date=start, end_date=end, in_target_group=tg,
                    months_lasted=_months_lasted(start, end), n=n)
         for (m, start, end, tg), n in ends.items()],
        batch_size=2000,
    )


def _months_lasted(start, end):
    k = max(min((end.year - start.year) * 12 + end.month - start.month, 120), 0)
    while k > 0 and start + relativedelta(months=k) > end:
        k -= 1
    return k


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('progress', '0003_snapshot'),
        ('placements', '0008_placement_municipality'),
    ]

    operations = [
        migrations.CreateModel(
            name='FlexJobDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('in_target_group', models.BooleanField()),
                ('industry', models.CharField(blank=True, max_length=100)),
                ('started', models.PositiveIntegerField(default=0)),
                ('private', models.PositiveIntegerField(default=0)),
                ('public', models.PositiveIntegerField(default=0)),
                ('social_economic', models.PositiveIntegerField(default=0)),
                ('sme', models.PositiveIntegerField(default=0)),
                ('mini', models.PositiveIntegerField(default=0)),
                ('first', models.PositiveIntegerField(default=0)),
                ('retention', models.PositiveIntegerField(default=0)),
                ('hours_1_5', models.PositiveIntegerField(default=0)),
                ('hours_6_10', models.PositiveIntegerField(default=0)),
                ('hours_over_10', models.PositiveIntegerField(default=0)),
                ('mini_limit', models.DecimalField(decimal_places=1, max_digits=4)),
                ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.municipality')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('municipality', 'day', 'in_target_group', 'industry'), name='flexjobday_unique')],
            },
        ),
        migrations.CreateModel(
            name='FlexJobEnd',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('start_date', models.DateField()),
                ('end_date', models.DateField()),
                ('in_target_group', models.BooleanField()),
                ('months_lasted', models.PositiveSmallIntegerField()),
                ('n', models.PositiveIntegerField()),
                ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.municipality')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('municipality', 'start_date', 'end_date', 'in_target_group'), name='flexjobend_unique')],
            },
        ),
        migrations.RunPython(count_all, migrations.RunPython.noop),
    ]
