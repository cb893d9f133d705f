"""Indexes of the student list: one per filter, each ending in the list's order (last name, first name, id),
and on PostgreSQL a trigram index on search_text, so that the search "in any script" (LIKE '%word%')
reads an index instead of every record. SQLite gets the B-tree indexes only."""

from django.conf import settings
from django.db import migrations, models

TRIGRAM_FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS student_search_trgm_idx ON records_student USING gin (search_text gin_trgm_ops);
"""
TRIGRAM_BACKWARD = "DROP INDEX IF EXISTS student_search_trgm_idx;"


def trigram_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGRAM_FORWARD)


def trigram_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGRAM_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("academics", "0001_initial"),
        ("records", "0002_student_search_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="student",
            name="student_status_name_idx",
        ),
        migrations.RemoveIndex(
            model_name="student",
            name="student_group_name_idx",
        ),
        migrations.AddIndex(
            model_name="student",
            index=models.Index(fields=["last_name", "first_name", "id"], name="student_name_order_idx"),
        ),
        migrations.AddIndex(
            model_name="student",
            index=models.Index(fields=["status", "last_name", "first_name", "id"], name="student_status_order_idx"),
        ),
        migrations.AddIndex(
            model_name="student",
            index=models.Index(fields=["group", "last_name", "first_name", "id"], name="student_group_order_idx"),
        ),
        migrations.AddIndex(
            model_name="student",
            index=models.Index(
                fields=["programme", "last_name", "first_name", "id"], name="student_programme_order_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="student",
            index=models.Index(
                fields=["form_of_study", "last_name", "first_name", "id"], name="student_form_order_idx"
            ),
        ),
        migrations.RunPython(trigram_forward, trigram_backward),
    ]
