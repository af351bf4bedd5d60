"""The counting index covers what the dashboard's table of employers counts (PostgreSQL's
INCLUDE): the municipality's flex jobs in a period, per employer, running or not, read from
the index alone. SQLite gets the same key columns."""

from django.db import migrations

POSTGRESQL = (
    "CREATE INDEX placement_counting ON placements_placement (municipality_id, kind, start_date) "
    "INCLUDE (employer_id, end_date, in_target_group)"
)
OTHERS = "CREATE INDEX placement_counting ON placements_placement (municipality_id, kind, start_date)"


def forwards(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS placement_counting")
    schema_editor.execute(POSTGRESQL if schema_editor.connection.vendor == "postgresql" else OTHERS)


def backwards(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS placement_counting")
    schema_editor.execute(OTHERS)


class Migration(migrations.Migration):
    dependencies = [("placements", "0008_placement_municipality")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveIndex(model_name="placement", name="placement_counting")],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
    ]
