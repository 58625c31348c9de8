"""On PostgreSQL the database itself refuses to update or delete a transition event."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION certification_transitionevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'transition events are append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER certification_transitionevent_append_only
    BEFORE UPDATE OR DELETE ON certification_transitionevent
    FOR EACH ROW EXECUTE FUNCTION certification_transitionevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS certification_transitionevent_append_only ON certification_transitionevent;
DROP FUNCTION IF EXISTS certification_transitionevent_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
