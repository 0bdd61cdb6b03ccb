from django.db import migrations


def load(apps, schema_editor):
    from icmc.accounts.jurisdictions import load_jurisdictions
    from icmc.accounts.reference import Pillar

    load_jurisdictions(model=apps.get_model("accounts", "Jurisdiction"))
    PillarRef = apps.get_model("accounts", "PillarRef")
    for code in Pillar.values:
        PillarRef.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
