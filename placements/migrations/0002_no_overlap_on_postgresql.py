"""On PostgreSQL, the database itself refuses two overlapping placements of one citizen at
one employer (an exclusion constraint over the date range). SQLite relies on the service's
locked check in placements.services."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE placements_placement ADD CONSTRAINT placement_no_overlap
    EXCLUDE USING gist (
        citizen_id WITH =,
        employer_id WITH =,
        daterange(start_date, end_date, '[]') WITH &&
    );
"""
DROP = "ALTER TABLE placements_placement DROP CONSTRAINT IF EXISTS placement_no_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
