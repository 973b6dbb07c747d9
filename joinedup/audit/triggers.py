"""Database triggers that make the event tables append-only, on SQLite and PostgreSQL."""

from django.db.backends.base.base import BaseDatabaseWrapper

EVENT_TABLES = ("audit_accessevent", "audit_changeevent")

_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;
"""


def _statements(vendor: str, table: str) -> tuple[list[str], list[str]]:
    """(install, uninstall) SQL for one table."""
    if vendor == "postgresql":
        return (
            [
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
            ],
            [
                f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
                f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            ],
        )
    if vendor == "sqlite":
        return (
            [
                f"CREATE TRIGGER {table}_no_{op} BEFORE {op.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'audit events are append-only: {op.upper()} refused'); END"
                for op in ("update", "delete")
            ],
            [f"DROP TRIGGER IF EXISTS {table}_no_{op}" for op in ("update", "delete")],
        )
    raise NotImplementedError(f"No append-only triggers for {vendor}")


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_FUNCTION)
        for table in EVENT_TABLES:
            for sql in _statements(connection.vendor, table)[0]:
                cursor.execute(sql)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    """Only for migrations that must reshape the tables, and test teardown that empties them."""
    with connection.cursor() as cursor:
        for table in EVENT_TABLES:
            for sql in _statements(connection.vendor, table)[1]:
                cursor.execute(sql)
