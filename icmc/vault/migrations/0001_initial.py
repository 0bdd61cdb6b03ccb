import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("cases", "0003_case_closure")]

    operations = [
        migrations.CreateModel(
            name="IndexKey",
            fields=[
                ("name", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("wrapped", models.TextField()),
                ("master_key_id", models.CharField(max_length=40)),
                ("created_at", models.DateTimeField()),
                ("rotated_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.CreateModel(
            name="PersonKey",
            fields=[
                ("person", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True,
                                                related_name="vault_key", serialize=False, to="cases.person")),
                ("wrapped", models.TextField(blank=True)),
                ("master_key_id", models.CharField(blank=True, max_length=40)),
                ("created_at", models.DateTimeField()),
                ("rotated_at", models.DateTimeField(blank=True, null=True)),
                ("destroyed_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={"indexes": [models.Index(fields=["master_key_id"], name="personkey_master")]},
        ),
        migrations.CreateModel(
            name="SearchToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=8)),
                ("token", models.CharField(max_length=16)),
                ("person", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                             to="cases.person")),
            ],
            options={
                "indexes": [models.Index(fields=["kind", "token"], name="searchtoken_kind_token")],
                "constraints": [models.UniqueConstraint(fields=("person", "kind", "token"),
                                                        name="searchtoken_unique")],
            },
        ),
    ]
