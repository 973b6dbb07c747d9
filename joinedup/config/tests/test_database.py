"""The database connection as joinedup configures it."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_jit_is_off_for_our_connections():
    # The policy's queries are costed high and run fast: JIT compiling them took seconds (docs/benchmarks.md).
    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
