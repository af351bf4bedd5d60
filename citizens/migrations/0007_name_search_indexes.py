"""Indexes for the citizen list at a million citizens: "Senest oprettet" reads one backwards,
and, on PostgreSQL, name search (`icontains` per word, which Django writes as
UPPER(column::text) LIKE UPPER(…)) uses trigram indexes on the same expressions."""

from django.conf import settings
from django.db import migrations, models

TRIGRAMS = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS citizen_first_name_trgm ON citizens_citizen USING gin ((UPPER(first_name::text)) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS citizen_last_name_trgm ON citizens_citizen USING gin ((UPPER(last_name::text)) gin_trgm_ops);
"""
DROP_TRIGRAMS = """
DROP INDEX IF EXISTS citizen_first_name_trgm;
DROP INDEX IF EXISTS citizen_last_name_trgm;
"""


def add_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGRAMS)


def drop_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGRAMS)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("citizens", "0006_contact_closing_anonymised"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="citizen",
            index=models.Index(fields=["municipality", "created_at"], name="citizen_newest"),
        ),
        migrations.RunPython(add_trigrams, drop_trigrams),
    ]
