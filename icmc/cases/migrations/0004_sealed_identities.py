"""Names and phones sealed by icmc.vault: ciphertext + blind index columns replace the plaintext columns.

Existing rows (none in production yet) are encrypted on the way: each person gets a data key wrapped by the
active master key; names and phones are sealed with it; blocking tokens are written. Not reversible.
"""

from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from icmc.vault import blind
    from icmc.vault.identity import new_person_key

    Person = apps.get_model("cases", "Person")
    PersonName = apps.get_model("cases", "PersonName")
    PersonPhone = apps.get_model("cases", "PersonPhone")
    PersonKey = apps.get_model("vault", "PersonKey")
    SearchToken = apps.get_model("vault", "SearchToken")
    person_ids = set(PersonName.objects.values_list("person_id", flat=True))
    person_ids |= set(PersonPhone.objects.values_list("person_id", flat=True))
    if not person_ids:
        return
    index_key = blind.index_key()
    for person in Person.objects.filter(id__in=person_ids).iterator():
        key, sealer = new_person_key(person_id=person.id, index_key=index_key)
        PersonKey.objects.create(person_id=person.id, wrapped=key.wrapped, master_key_id=key.master_key_id,
                                 created_at=key.created_at)
        plain_names = []
        for row in PersonName.objects.filter(person_id=person.id):
            plain = row.value
            sealer.name(row, plain)  # label "cases.PersonName.value" (historical models keep the label)
            row.save(update_fields=["value_sealed", "value_index"])
            plain_names.append(plain)
        for row in PersonPhone.objects.filter(person_id=person.id):
            sealer.phone(row, row.number)
            row.save(update_fields=["number_sealed", "number_index"])
        SearchToken.objects.bulk_create([SearchToken(person_id=t.person_id, kind=t.kind, token=t.token)
                                         for t in sealer.tokens(plain_names)])


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_closure"), ("vault", "0001_initial")]

    operations = [
        migrations.AddField(model_name="personname", name="value_sealed", field=models.TextField(default=""),
                            preserve_default=False),
        migrations.AddField(model_name="personname", name="value_index",
                            field=models.CharField(blank=True, db_index=True, max_length=32)),
        migrations.AddField(model_name="personphone", name="number_sealed", field=models.TextField(default=""),
                            preserve_default=False),
        migrations.AddField(model_name="personphone", name="number_index",
                            field=models.CharField(blank=True, db_index=True, max_length=32)),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="personname", name="value"),
        migrations.RemoveField(model_name="personphone", name="number"),
    ]
