"""Placements carry their municipality (the citizen's), so counting and lists scope by it
without joining the citizens, and the table can be distributed by municipality. On
PostgreSQL, composite foreign keys hold it equal to the citizen's and the employer's."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

KEYS = """
ALTER TABLE citizens_citizen ADD CONSTRAINT citizen_id_municipality UNIQUE (id, municipality_id);
ALTER TABLE employers_employer ADD CONSTRAINT employer_id_municipality UNIQUE (id, municipality_id);
ALTER TABLE placements_placement ADD CONSTRAINT placement_citizen_same_municipality
    FOREIGN KEY (citizen_id, municipality_id) REFERENCES citizens_citizen (id, municipality_id)
    DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE placements_placement ADD CONSTRAINT placement_employer_same_municipality
    FOREIGN KEY (employer_id, municipality_id) REFERENCES employers_employer (id, municipality_id)
    DEFERRABLE INITIALLY DEFERRED;
"""
DROP_KEYS = """
ALTER TABLE placements_placement DROP CONSTRAINT IF EXISTS placement_employer_same_municipality;
ALTER TABLE placements_placement DROP CONSTRAINT IF EXISTS placement_citizen_same_municipality;
ALTER TABLE employers_employer DROP CONSTRAINT IF EXISTS employer_id_municipality;
ALTER TABLE citizens_citizen DROP CONSTRAINT IF EXISTS citizen_id_municipality;
"""


def fill(apps, schema_editor):
    Placement = apps.get_model("placements", "Placement")
    Citizen = apps.get_model("citizens", "Citizen")
    Placement.objects.update(
        municipality_id=Subquery(Citizen.objects.filter(pk=OuterRef("citizen_id")).values("municipality_id")[:1])
    )
    if schema_editor.connection.vendor == "postgresql":
        # The deferred foreign key's checks now, so the column can be altered next.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def add_keys(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(KEYS)


def drop_keys(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_KEYS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("citizens", "0006_contact_closing_anonymised"),
        ("employers", "0007_text_lengths"),
        ("placements", "0007_citizen_status_after"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="municipality",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.municipality",
                verbose_name="kommune",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="placement",
            name="municipality",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.municipality",
                verbose_name="kommune",
            ),
        ),
        migrations.RemoveIndex(model_name="placement", name="placements__kind_71c790_idx"),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(fields=["municipality", "kind", "start_date"], name="placement_counting"),
        ),
        migrations.RunPython(add_keys, drop_keys),
    ]
