from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_reference_data")]

    operations = [
        migrations.AddField(model_name="case", name="closure_outcome",
                            field=models.CharField(blank=True, max_length=30)),
        migrations.AddField(model_name="case", name="closure_reason", field=models.TextField(blank=True)),
        migrations.AddField(model_name="case", name="closed_at", field=models.DateTimeField(blank=True, null=True)),
        migrations.AddField(model_name="case", name="reopen_reason", field=models.TextField(blank=True)),
    ]
