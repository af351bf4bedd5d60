"""Every row has a purpose; and the log's tables refuse UPDATE and DELETE in the database
itself, on SQLite and PostgreSQL, whatever code or SQL asks.

DELETE passes only inside `audit.db.log_purge_allowed()` (retention, which must log what it
purges; and the test suite's flush on SQLite). PostgreSQL's TRUNCATE is not a row event and
stays possible for the table's owner, as does dropping the triggers: they guard against the
application, not against the database administrator.

Careful on SQLite: a later migration that makes Django rebuild one of these tables (most
AlterField and AddConstraint operations do) drops its triggers with the old table. Create
them again in that migration (tests/audit/test_append_only.py notices).
"""

from django.db import migrations, models

TABLES = ("audit_accesslog", "audit_accesslogcitizen", "audit_signinevent")
SQLITE_PURGE_FUNCTION = "taskforce_audit_purge_allowed"  # audit.db.SQLITE_PURGE_FUNCTION
POSTGRESQL_PURGE_SETTING = "taskforce.audit_purge"  # audit.db.POSTGRESQL_PURGE_SETTING

SQLITE_CREATE = """
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, 'the access log is append-only: UPDATE refused'); END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
WHEN NOT {function}()
BEGIN SELECT RAISE(ABORT, 'the access log is append-only: DELETE refused'); END;
"""
SQLITE_DROP = """
DROP TRIGGER IF EXISTS {table}_no_update;
DROP TRIGGER IF EXISTS {table}_no_delete;
"""

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('{setting}', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'the access log is append-only: ' || TG_OP || ' refused on ' || TG_TABLE_NAME,
        ERRCODE = 'integrity_constraint_violation';
END;
$$
"""
POSTGRESQL_CREATE = """
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
"""
POSTGRESQL_DROP = "DROP TRIGGER IF EXISTS {table}_append_only ON {table}"


def _statements(text):
    return [s.strip() for s in text.split(";\n") if s.strip()]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in TABLES:
            for sql in _statements(SQLITE_CREATE.format(table=table, function=SQLITE_PURGE_FUNCTION)):
                schema_editor.execute(sql, params=None)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION.format(setting=POSTGRESQL_PURGE_SETTING), params=None)
        for table in TABLES:
            schema_editor.execute(POSTGRESQL_CREATE.format(table=table), params=None)
    else:
        raise NotImplementedError(f"No append-only triggers for {vendor}: add them here.")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in TABLES:
            for sql in _statements(SQLITE_DROP.format(table=table)):
                schema_editor.execute(sql, params=None)
    elif vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(POSTGRESQL_DROP.format(table=table), params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_refuse_change()", params=None)


class Migration(migrations.Migration):

    dependencies = [("audit", "0003_fill_purposes_and_citizens")]

    operations = [
        # First: on SQLite this rebuilds the table, which would drop triggers made before it.
        migrations.AddConstraint(
            model_name="accesslog",
            constraint=models.CheckConstraint(condition=~models.Q(purpose=""), name="audit_accesslog_has_purpose"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
