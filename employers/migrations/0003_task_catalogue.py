"""The starting task catalogue for job carving (from the OK-Fonden mini flex jobs)."""

from django.db import migrations

TASKS = [
    ("Let køkkenarbejde", "Anretning, opvask, klargøring af måltider"),
    ("Vasketøj", "Sortering, vask, foldning og uddeling af tøj og linned"),
    ("Let rengøring", "Aftørring, oprydning, rengøring af fællesarealer"),
    ("Pedelopgaver", "Småreparationer, udendørs arealer, flytning af inventar"),
    ("Administration", "Post, arkivering, enkle registreringer, telefon"),
    ("Aktiviteter med beboerne", "Gåture, spil, højtlæsning, hjælp ved arrangementer"),
    ("Lager og varemodtagelse", "Udpakning, opfyldning og optælling"),
    ("Kundeservice", "Hjælp til kunder og gæster, kasse"),
]


def forwards(apps, schema_editor):
    JobTask = apps.get_model("employers", "JobTask")
    for name, description in TASKS:
        JobTask.objects.get_or_create(name=name, defaults={"description": description})


class Migration(migrations.Migration):
    dependencies = [("employers", "0002_jobtask_opening_catalogue_tasks")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
