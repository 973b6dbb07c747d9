"""The event tables refuse UPDATE and DELETE at the database, on every engine."""

import pytest
from django.db import DatabaseError, connection, transaction

from joinedup.audit.models import AccessEvent, ChangeEvent
from joinedup.audit.services import record_change, record_view
from joinedup.core.actor import SYSTEM
from joinedup.core.vocabulary import Purpose

pytestmark = pytest.mark.django_db


@pytest.fixture
def access_event() -> AccessEvent:
    return record_view(SYSTEM, person_id=None, purpose=Purpose.DIRECT_CARE, route="/test")


@pytest.fixture
def change_event(partnership) -> ChangeEvent:
    agency = partnership.housing
    return record_change(SYSTEM, action="test", obj=agency, before=None, after={"name": agency.name})


@pytest.mark.parametrize("event_name", ["access_event", "change_event"])
def test_update_is_refused(request, event_name):
    event = request.getfixturevalue(event_name)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        type(event).objects.filter(pk=event.pk).update(request_id="edited")
    assert type(event).objects.get(pk=event.pk).request_id == event.request_id


@pytest.mark.parametrize("event_name", ["access_event", "change_event"])
def test_delete_is_refused(request, event_name):
    event = request.getfixturevalue(event_name)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        type(event).objects.filter(pk=event.pk).delete()
    assert type(event).objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("table", ["audit_accessevent", "audit_changeevent"])
def test_raw_sql_update_is_refused(access_event, change_event, table):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET request_id = 'raw'")  # noqa: S608 (fixed table names)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncate_is_refused_on_postgresql(access_event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_accessevent")
