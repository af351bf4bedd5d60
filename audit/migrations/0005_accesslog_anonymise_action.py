"""The access log's action "anonymise" (retention). Only the field's choices change: Django
needs no SQL for that, and none is run (SeparateDatabaseAndState), so the table is not
rebuilt on SQLite and its append-only triggers (0004) stay as they are."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0004_append_only"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="accesslog",
                    name="action",
                    field=models.CharField(
                        choices=[
                            ("view", "Visning"),
                            ("list", "Liste/søgning"),
                            ("create", "Oprettelse"),
                            ("update", "Ændring"),
                            ("reveal_cpr", "Visning af CPR-nummer"),
                            ("add_note", "Journalnotat tilføjet"),
                            ("export", "Eksport"),
                            ("report", "Indsigtsrapport"),
                            ("anonymise", "Anonymisering"),
                        ],
                        max_length=20,
                        verbose_name="handling",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
