"""A rescue operation's place detail (whereabouts, P0) sealed by icmc.vault under the case's key, exactly like
CasePlace.detail (cases 0006, decision 0004): a ciphertext column replaces the plaintext column. Existing rows
are encrypted on the way, under the case's existing key or a new one wrapped by the active master key. A detail
of a case whose key was destroyed (every survivor erased) is not kept: the erasure covered it. Reversible:
going back decrypts into the plain column again ("[erased]" where the key is gone); keys stay."""

from django.db import migrations, models
from django.utils import timezone

LABEL = "pathway.RescueOperation.place_detail"  # historical models keep the label: the same AAD as at run time


def _data_key(key):
    from icmc.vault.crypto import unwrap_data_key

    return unwrap_data_key(owner_id=key.case_id, wrapped=key.wrapped, master_key_id=key.master_key_id, kind="case")


def seal_existing(apps, schema_editor):
    from icmc.vault.crypto import field_aad, seal
    from icmc.vault.identity import new_case_key

    RescueOperation = apps.get_model("pathway", "RescueOperation")
    CaseKey = apps.get_model("vault", "CaseKey")
    current = (None, None)  # (case id, data key or None when destroyed): ordered by case, one at a time
    for row in RescueOperation.objects.exclude(place_detail="").order_by("case_id").iterator(chunk_size=2000):
        if current[0] != row.case_id:
            key = CaseKey.objects.filter(case_id=row.case_id).first()
            if key is None:
                made, sealer = new_case_key(case_id=row.case_id, now=timezone.now())
                CaseKey.objects.create(case_id=row.case_id, wrapped=made.wrapped, master_key_id=made.master_key_id,
                                       created_at=made.created_at)
                current = (row.case_id, sealer.data_key)
            else:
                current = (row.case_id, _data_key(key) if key.wrapped else None)
        data_key = current[1]
        row.place_detail_sealed = "" if data_key is None else seal(
            data_key, aad=field_aad(owner_id=row.case_id, label=LABEL, row_id=row.pk), plaintext=row.place_detail)
        row.save(update_fields=["place_detail_sealed"])


def open_existing(apps, schema_editor):
    from icmc.vault.crypto import field_aad, open_sealed

    RescueOperation = apps.get_model("pathway", "RescueOperation")
    CaseKey = apps.get_model("vault", "CaseKey")
    for row in RescueOperation.objects.exclude(place_detail_sealed="").iterator(chunk_size=2000):
        key = CaseKey.objects.get(case_id=row.case_id)
        if not key.wrapped:
            row.place_detail = "[erased]"
        else:
            aad = field_aad(owner_id=row.case_id, label=LABEL, row_id=row.pk)
            row.place_detail = open_sealed(_data_key(key), aad=aad, token=row.place_detail_sealed)
        row.save(update_fields=["place_detail"])


class Migration(migrations.Migration):
    dependencies = [("pathway", "0002_synced_ids"), ("cases", "0006_sealed_place_details"), ("vault", "0003_casekey")]

    operations = [
        migrations.AddField(model_name="rescueoperation", name="place_detail_sealed",
                            field=models.TextField(blank=True)),
        migrations.RunPython(seal_existing, open_existing),
        migrations.RemoveField(model_name="rescueoperation", name="place_detail"),
    ]
