"""Place details (whereabouts, P0) sealed by icmc.vault under a per-case key: a ciphertext column replaces the
plaintext column. Existing rows are encrypted on the way (each case with a detail gets a data key wrapped by
the active master key). Reversible: going back decrypts into the plain column again."""

from django.db import migrations, models
from django.utils import timezone


def seal_existing(apps, schema_editor):
    from icmc.vault.identity import new_case_key

    CasePlace = apps.get_model("cases", "CasePlace")
    CaseKey = apps.get_model("vault", "CaseKey")
    sealers = {}
    for row in CasePlace.objects.exclude(detail="").order_by("case_id").iterator(chunk_size=2000):
        sealer = sealers.get(row.case_id)
        if sealer is None:
            key, sealer = new_case_key(case_id=row.case_id, now=timezone.now())
            CaseKey.objects.create(case_id=row.case_id, wrapped=key.wrapped, master_key_id=key.master_key_id,
                                   created_at=key.created_at)
            sealers = {row.case_id: sealer}  # ordered by case: keep one at a time
        sealer.place(row, row.detail)  # label "cases.CasePlace.detail" (historical models keep the label)
        row.save(update_fields=["detail_sealed"])


def open_existing(apps, schema_editor):
    from icmc.vault.crypto import field_aad, open_sealed, unwrap_data_key

    CasePlace = apps.get_model("cases", "CasePlace")
    CaseKey = apps.get_model("vault", "CaseKey")
    keys = {k.case_id: k for k in CaseKey.objects.all()}
    for row in CasePlace.objects.exclude(detail_sealed="").iterator(chunk_size=2000):
        key = keys[row.case_id]
        if not key.wrapped:
            row.detail = "[erased]"
        else:
            data_key = unwrap_data_key(owner_id=row.case_id, wrapped=key.wrapped, master_key_id=key.master_key_id,
                                       kind="case")
            aad = field_aad(owner_id=row.case_id, label="cases.CasePlace.detail", row_id=row.pk)
            row.detail = open_sealed(data_key, aad=aad, token=row.detail_sealed)
        row.save(update_fields=["detail"])
    CaseKey.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_synced_ids"), ("vault", "0003_casekey")]

    operations = [
        migrations.AddField(model_name="caseplace", name="detail_sealed", field=models.TextField(blank=True)),
        migrations.RunPython(seal_existing, open_existing),
        migrations.RemoveField(model_name="caseplace", name="detail"),
    ]
