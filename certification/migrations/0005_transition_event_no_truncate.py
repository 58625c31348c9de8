"""On PostgreSQL the database also refuses TRUNCATE of the transition log, whether named
or reached through TRUNCATE ... CASCADE of a table it refers to.

One exception: Django's test databases (named test_...) are emptied with TRUNCATE between
transactional tests, and the test settings turn on `fairrecruit.allow_event_log_truncate`
for their connections. Both must hold, so the setting opens nothing in any other database.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION certification_transitionevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_database() LIKE 'test\\_%'
       AND current_setting('fairrecruit.allow_event_log_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'transition events are append-only: TRUNCATE refused'
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER certification_transitionevent_no_truncate
    BEFORE TRUNCATE ON certification_transitionevent
    FOR EACH STATEMENT EXECUTE FUNCTION certification_transitionevent_no_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS certification_transitionevent_no_truncate ON certification_transitionevent;
DROP FUNCTION IF EXISTS certification_transitionevent_no_truncate();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("certification", "0004_case_language")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
