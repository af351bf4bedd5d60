"""Rows written before every row had a purpose say so ("ikke angivet": the log is evidence,
and a purpose is not made up afterwards), and the rows of a citizen's page written before
rows named their citizen name them now, so a search by citizen finds them too."""

from django.db import migrations
from django.db.models import F

CITIZEN_MODEL = "citizens.Citizen"


def forwards(apps, schema_editor):
    AccessLog = apps.get_model("audit", "AccessLog")
    AccessLog.objects.filter(purpose="").update(purpose="ikke angivet")
    AccessLog.objects.filter(model=CITIZEN_MODEL, object_id__isnull=False, municipality__isnull=False).update(
        citizen_id=F("object_id")
    )


class Migration(migrations.Migration):

    dependencies = [("audit", "0002_log_citizens_sign_ins")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
