"""Employers keep their number of placements (for the list's "Flest ansættelser", from an
index), counted once here; an index for "Længst siden kontakt"; on PostgreSQL, trigram
indexes for the list's search on name and industry (`icontains`, as Django writes it)."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

TRIGRAMS = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS employer_name_trgm ON employers_employer USING gin ((UPPER(name::text)) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS employer_industry_trgm ON employers_employer USING gin ((UPPER(industry::text)) gin_trgm_ops);
"""
DROP_TRIGRAMS = "DROP INDEX IF EXISTS employer_name_trgm; DROP INDEX IF EXISTS employer_industry_trgm;"


def count(apps, schema_editor):
    Employer = apps.get_model("employers", "Employer")
    Placement = apps.get_model("placements", "Placement")
    counts = Placement.objects.filter(employer_id=OuterRef("pk")).order_by().values("employer").annotate(n=Count("pk")).values("n")
    Employer.objects.update(placement_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0))


def add_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGRAMS)


def drop_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGRAMS)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('employers', '0007_text_lengths'),
        ('placements', '0009_counting_index_covers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='employer',
            name='placement_count',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='ansættelser'),
        ),
        migrations.AddIndex(
            model_name='employer',
            index=models.Index(fields=['municipality', '-placement_count', 'name'], name='employer_most_placements'),
        ),
        migrations.AddIndex(
            model_name='employer',
            index=models.Index(fields=['municipality', 'last_contact', 'name'], name='employer_last_contact'),
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
        migrations.RunPython(add_trigrams, drop_trigrams),
    ]
