"""One PostgreSQL database per partnership size, made once and reused while the generator's
DATA_VERSION is unchanged (each run migrates it, so schema changes need no new data)."""

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def generator_version() -> str:
    """What makes a benchmark database current: the generator's data version (the database's schema
    is brought up to date by migrating, each run)."""
    from joinedup.demo.services import DATA_VERSION

    return f"v{DATA_VERSION}"


def url_for(server: str, size: int, seed: int, default_seed: int) -> str:
    """The size's database on the server `server` names (its own database name is not used)."""
    name = f"joinedup_bench_{size}" + ("" if seed == default_seed else f"_seed{seed}")
    parts = urlsplit(server)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit(f"The benchmark needs PostgreSQL; {parts.scheme or server!r} is not a PostgreSQL URL.")
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _maintenance(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))


def _name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def marker(size: int, seed: int) -> str:
    return f"joinedup bench: people={size} seed={seed} generator={generator_version()} complete"


def prepare(url: str, size: int, seed: int) -> bool:
    """Make sure the database exists; True if it already holds this exact partnership."""
    name = _name(url)
    with psycopg.connect(_maintenance(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if row is not None and row[0] == marker(size, seed):
            return True
        if row is not None:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return False


def mark_complete(url: str, size: int, seed: int) -> None:
    with psycopg.connect(_maintenance(url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(_name(url)), sql.Literal(marker(size, seed)))
        )


@contextmanager
def bulk_load(tables: list[str]) -> Iterator[None]:
    """Load a fresh database the way a restore does: secondary indexes built afterwards, in one sort
    each, and (for a superuser) foreign keys not re-checked row by row — the generator makes them
    consistent. Both are put back however the load ends."""
    from django.db import connection, connections

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            ORDER BY i.indexname
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for index, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(index)}")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = bool(cursor.fetchone()[0])
        database = connection.ops.quote_name(connection.settings_dict["NAME"])
        if superuser:
            cursor.execute(f"ALTER DATABASE {database} SET session_replication_role = replica")
    connections.close_all()  # new sessions pick the setting up
    try:
        yield
    finally:
        connections.close_all()
        with connection.cursor() as cursor:
            if superuser:
                cursor.execute(f"ALTER DATABASE {database} RESET session_replication_role")
            for _, definition in indexes:
                cursor.execute(definition)
        connections.close_all()
