from django.db import migrations


def load(apps, schema_editor):
    from icmc.cases.codes import ExploitationType

    ref = apps.get_model("cases", "ExploitationTypeRef")
    for code in ExploitationType.values:
        ref.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
