import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_synced_ids"), ("vault", "0002_searchtoken_token_person")]

    operations = [
        migrations.CreateModel(
            name="CaseKey",
            fields=[
                ("case", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True,
                                              related_name="vault_key", serialize=False, to="cases.case")),
                ("wrapped", models.TextField(blank=True)),
                ("master_key_id", models.CharField(blank=True, max_length=40)),
                ("created_at", models.DateTimeField()),
                ("rotated_at", models.DateTimeField(blank=True, null=True)),
                ("destroyed_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={"indexes": [models.Index(fields=["master_key_id"], name="casekey_master")]},
        ),
    ]
