"""Indexes the people lists and search need at scale (docs/benchmarks.md).

- Lists are ordered by family name, given name and id: one index in that order lets the database
  walk it and stop after a page, instead of sorting every person the actor may see.
- Search matches name prefixes case-insensitively (Django's `istartswith`, `UPPER(col) LIKE
  UPPER('ab%')`). PostgreSQL uses a B-tree for a LIKE prefix only under the C collation or with
  the pattern operator class; the database's collation is C.UTF-8, which PostgreSQL 15 does not
  treat as C, so these indexes are on `UPPER(col)` with `text_pattern_ops` (PostgreSQL only).

Kept out of the models' Meta (they are raw SQL: expression indexes with an operator class on one
database only), so the migration state does not change.
"""

from django.db import migrations

BOTH = [
    ("person_name_order", "people_person", "family_name, given_name, id"),
]
POSTGRESQL_ONLY = [
    ("person_family_upper_prefix", "people_person", "UPPER(family_name::text) text_pattern_ops"),
    ("person_given_upper_prefix", "people_person", "UPPER(given_name::text) text_pattern_ops"),
    ("person_preferred_upper_prefix", "people_person", "UPPER(preferred_name::text) text_pattern_ops"),
    ("alias_family_upper_prefix", "people_alias", "UPPER(family_name::text) text_pattern_ops"),
    ("alias_given_upper_prefix", "people_alias", "UPPER(given_name::text) text_pattern_ops"),
]


def _indexes(schema_editor):
    return BOTH + (POSTGRESQL_ONLY if schema_editor.connection.vendor == "postgresql" else [])


def create(apps, schema_editor):
    for name, table, columns in _indexes(schema_editor):
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def drop(apps, schema_editor):
    for name, _, _ in _indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_involvement_categories")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
