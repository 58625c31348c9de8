"""Event names follow one rule (certification/transitions.py): the event of planning a
surveillance audit is the audit's own `audit_plan`, no longer `plan_surveillance_audit`.

Only the name changes, so the log's rows are renamed in place; on PostgreSQL the
append-only trigger is set aside for this one statement, inside the migration's transaction.
"""

from django.db import migrations

OLD, NEW = "plan_surveillance_audit", "audit_plan"
TRIGGER = "certification_transitionevent_append_only"


def _rename(schema_editor, old: str, new: str) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(
            f"ALTER TABLE certification_transitionevent DISABLE TRIGGER {TRIGGER}"
        )
    schema_editor.execute(
        "UPDATE certification_transitionevent SET transition = %s WHERE transition = %s",
        params=[new, old],
    )
    if postgresql:
        schema_editor.execute(f"ALTER TABLE certification_transitionevent ENABLE TRIGGER {TRIGGER}")


def forwards(apps, schema_editor):
    _rename(schema_editor, OLD, NEW)


def backwards(apps, schema_editor):
    _rename(schema_editor, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("certification", "0005_transition_event_no_truncate")]

    operations = [migrations.RunPython(forwards, backwards)]
