"""Hash chains: each event links to the one before; audit_verify finds edits and deletions."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from joinedup.audit import chain, triggers
from joinedup.audit.models import AccessEvent, ChainHead
from joinedup.audit.services import View, record_view, record_views
from joinedup.core.actor import Actor
from joinedup.core.vocabulary import Purpose

pytestmark = pytest.mark.django_db


def _actor(agency_id: uuid.UUID | None = None) -> Actor:
    return Actor(
        user_id=uuid.uuid4(),
        username="tester",
        agency_id=agency_id or uuid.uuid4(),
        agency_name="Test",
        team_id=None,
        roles=frozenset({"practitioner"}),
    )


def _views(actor: Actor, n: int) -> list[AccessEvent]:
    return record_views(actor, [View(person_id=uuid.uuid4(), purpose=Purpose.DIRECT_CARE) for _ in range(n)])


def _tamper(sql: str, params: list[object]) -> None:
    """Edit the trail behind the application's back, as an attacker with database access would."""
    triggers.uninstall(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        triggers.install(connection)


def test_events_link_in_order_within_a_chain():
    events = _views(_actor(), 3)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == chain.GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    head = ChainHead.objects.get(chain=events[0].chain)
    assert (head.last_seq, head.last_hash) == (3, events[2].hash)


def test_agencies_write_to_separate_chains():
    first, second = _views(_actor(), 1)[0], _views(_actor(), 1)[0]
    assert first.chain != second.chain
    assert first.seq == second.seq == 1


def test_chain_key_is_per_agency_and_day():
    event = record_view(_actor(), person_id=None, purpose=Purpose.DIRECT_CARE)
    kind, agency, day = event.chain.split(":")
    assert kind == "access"
    assert agency == str(event.actor_agency_id)
    assert day == event.occurred_at.date().isoformat()


def test_verify_passes_on_an_untouched_trail():
    _views(_actor(), 5)
    checked, problems = chain.verify()
    assert checked == 5
    assert problems == []
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "5 events verified" in out.getvalue()


def test_verify_detects_an_edited_event():
    events = _views(_actor(), 3)
    _tamper("UPDATE audit_accessevent SET purpose = %s WHERE id = %s", ["governance", events[1].pk])
    _, problems = chain.verify()
    assert [(p.seq, "edited" in p.detail) for p in problems] == [(2, True)]
    with pytest.raises(CommandError, match="1 problem"):
        call_command("audit_verify", stderr=io.StringIO())


def test_verify_detects_an_edit_with_a_recomputed_hash():
    events = _views(_actor(), 3)
    forged = AccessEvent.objects.get(pk=events[1].pk)
    forged.purpose = "governance"
    forged_hash = chain.event_hash(forged)
    _tamper(
        "UPDATE audit_accessevent SET purpose = %s, hash = %s WHERE id = %s", ["governance", forged_hash, forged.pk]
    )
    _, problems = chain.verify()
    assert any(p.seq == 3 and "link" in p.detail for p in problems)


def test_verify_detects_a_deleted_event():
    events = _views(_actor(), 3)
    _tamper("DELETE FROM audit_accessevent WHERE id = %s", [events[1].pk])
    _, problems = chain.verify()
    assert any(p.seq == 2 and "missing" in p.detail for p in problems)


def test_verify_detects_the_newest_event_deleted():
    events = _views(_actor(), 3)
    _tamper("DELETE FROM audit_accessevent WHERE id = %s", [events[2].pk])
    _, problems = chain.verify()
    assert any("newest" in p.detail for p in problems)


def test_a_rolled_back_read_leaves_no_event():
    from django.db import transaction

    actor = _actor()
    with pytest.raises(RuntimeError), transaction.atomic():
        record_view(actor, person_id=None, purpose=Purpose.DIRECT_CARE)
        raise RuntimeError("the response failed")
    assert not AccessEvent.objects.filter(actor_user_id=actor.user_id).exists()
    assert chain.verify()[1] == []
