"""SQLite: reject UPDATE and DELETE on the ledger table (SQLite has no TRUNCATE)."""

from django.db import migrations

TRIGGERS = {
    "audit_event_no_update": "UPDATE",
    "audit_event_no_delete": "DELETE",
}


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name, operation in TRIGGERS.items():
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE {operation} ON audit_event "
                f"BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: {operation} is not allowed'); END"
            )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_postgresql")]
    operations = [migrations.RunPython(forward, backward)]
