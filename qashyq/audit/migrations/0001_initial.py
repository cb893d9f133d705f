from django.db import migrations, models


def create_table(apps, schema_editor):
    # The model is unmanaged (so that `flush` never empties the ledger); its table is made here.
    schema_editor.create_model(apps.get_model("audit", "Event"))


def drop_table(apps, schema_editor):
    schema_editor.delete_model(apps.get_model("audit", "Event"))


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []

    operations = [
        migrations.CreateModel(
            name="Event",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(unique=True)),
                ("occurred_at", models.DateTimeField()),
                ("actor_id", models.BigIntegerField(db_index=True, null=True)),
                ("actor_label", models.CharField(max_length=200)),
                ("action", models.CharField(db_index=True, max_length=100)),
                ("target_type", models.CharField(max_length=100)),
                ("target_id", models.CharField(max_length=64)),
                ("before", models.JSONField(default=dict)),
                ("after", models.JSONField(default=dict)),
                ("reason", models.TextField(blank=True)),
                ("ip", models.CharField(blank=True, max_length=45)),
                ("prev_hash", models.CharField(max_length=64, unique=True)),
                ("hash", models.CharField(max_length=64, unique=True)),
            ],
            options={
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
                "db_table": "audit_event",
                "ordering": ["seq"],
                "managed": False,
                "indexes": [models.Index(fields=["target_type", "target_id"], name="audit_event_target_idx")],
            },
        ),
        migrations.RunPython(create_table, drop_table),
    ]
