"""Seal the outbox's args (field node) and the kept payloads of the inbox (centre) at rest (icmc.sync.sealing).
Existing rows are sealed in place; backwards, they are opened again."""

from typing import Any

from django.db import migrations, models


def seal_rows(apps: Any, schema_editor: Any) -> None:
    from icmc.sync.sealing import seal_args, seal_kept

    Outbox = apps.get_model("sync", "Outbox")
    for entry in Outbox.objects.all().iterator():
        entry.args_sealed = seal_args(seq=entry.seq, args=entry.args or {})
        entry.save(update_fields=["args_sealed"])
    Mutation = apps.get_model("sync", "Mutation")
    for mutation in Mutation.objects.exclude(payload=None).iterator():
        mutation.payload_sealed = seal_kept(node_id=mutation.node_id, seq=mutation.seq, payload=mutation.payload)
        mutation.save(update_fields=["payload_sealed"])


def open_rows(apps: Any, schema_editor: Any) -> None:
    from icmc.sync.sealing import mutation_label, outbox_label
    from icmc.vault.payloads import open_payload

    Outbox = apps.get_model("sync", "Outbox")
    for entry in Outbox.objects.exclude(args_sealed="").iterator():
        entry.args = open_payload(entry.args_sealed, label=outbox_label(seq=entry.seq))
        entry.save(update_fields=["args"])
    Mutation = apps.get_model("sync", "Mutation")
    for mutation in Mutation.objects.exclude(payload_sealed="").iterator():
        mutation.payload = open_payload(mutation.payload_sealed,
                                        label=mutation_label(node_id=mutation.node_id, seq=mutation.seq))
        mutation.save(update_fields=["payload"])


class Migration(migrations.Migration):
    dependencies = [("sync", "0004_federation"), ("vault", "0003_casekey")]

    operations = [
        migrations.AddField(model_name="outbox", name="args_sealed", field=models.TextField(default="")),
        migrations.AddField(model_name="mutation", name="payload_sealed",
                            field=models.TextField(blank=True, default="")),
        migrations.RunPython(seal_rows, open_rows),
        migrations.RemoveField(model_name="outbox", name="args"),
        migrations.RemoveField(model_name="mutation", name="payload"),
        migrations.AlterField(model_name="outbox", name="args_sealed", field=models.TextField()),
    ]
