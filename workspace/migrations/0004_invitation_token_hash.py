"""Invitation links' tokens are no longer stored: a nonce (the token is its keyed hash) and
the token's SHA-256 take their place. Links already sent keep working through the hash."""

import hashlib

from django.db import migrations, models

import workspace.models


def hash_sent_tokens(apps, schema_editor):
    Invitation = apps.get_model("workspace", "Invitation")
    for invitation in Invitation.objects.only("pk", "token"):
        Invitation.objects.filter(pk=invitation.pk).update(
            token_hash=hashlib.sha256(invitation.token.encode()).hexdigest(),
            nonce=workspace.models._new_nonce(),
        )


class Migration(migrations.Migration):

    dependencies = [
        ("workspace", "0003_plausible_workshop_times_and_text_lengths"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="nonce",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="invitation",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(hash_sent_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="invitation",
            name="nonce",
            field=models.CharField(default=workspace.models._new_nonce, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="invitation",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.RemoveField(model_name="invitation", name="token"),
    ]
