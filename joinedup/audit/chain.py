"""Hash chains over the event tables: append under the chain head's lock, and verify."""

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction

from joinedup.audit.models import AccessEvent, ChainedEvent, ChainHead, ChangeEvent

GENESIS = "0" * 64
_UNHASHED = {"id", "hash"}


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def event_hash(event: ChainedEvent) -> str:
    """SHA-256 over every stored field but the id and the hash itself, in a fixed order."""
    content = {
        field.attname: _canonical(getattr(event, field.attname))
        for field in event._meta.concrete_fields
        if field.attname not in _UNHASHED
    }
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _lock_head(chain: str) -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is None:
        ChainHead.objects.bulk_create([ChainHead(chain=chain)], ignore_conflicts=True)
        head = ChainHead.objects.select_for_update().get(chain=chain)
    return head


def append_many[E: ChainedEvent](events: Sequence[E]) -> list[E]:
    """Give each event the next place in its chain (all share `events[0].chain`) and insert them."""
    if not events:
        return []
    chain = events[0].chain
    assert all(e.chain == chain for e in events), "one chain per append"
    model = type(events[0])
    with transaction.atomic():
        head = _lock_head(chain)
        seq, prev = head.last_seq, head.last_hash
        for event in events:
            seq += 1
            event.seq, event.prev_hash = seq, prev
            event.hash = prev = event_hash(event)
        model._default_manager.bulk_create(events)
        ChainHead.objects.filter(chain=chain).update(last_seq=seq, last_hash=prev)
    return list(events)


def append[E: ChainedEvent](event: E) -> E:
    """Give `event` the next place in its chain and insert it; the caller set `event.chain`."""
    return append_many([event])[0]


@dataclass(frozen=True)
class Problem:
    chain: str
    seq: int | None
    detail: str

    def __str__(self) -> str:
        where = f"{self.chain} #{self.seq}" if self.seq is not None else self.chain
        return f"{where}: {self.detail}"


def _verify_chain(model: type[ChainedEvent], head: ChainHead) -> Iterator[Problem]:
    expected_seq, expected_prev = 1, GENESIS
    events = model._default_manager.filter(chain=head.chain).order_by("seq")
    for event in events.iterator(chunk_size=2000):
        if event.seq != expected_seq:
            yield Problem(head.chain, expected_seq, f"missing (next present is #{event.seq})")
        elif event.prev_hash != expected_prev:
            yield Problem(head.chain, event.seq, "does not link to the event before it")
        if event_hash(event) != event.hash:
            yield Problem(head.chain, event.seq, "content does not match its hash (edited)")
        expected_seq, expected_prev = event.seq + 1, event.hash
    if head.last_seq != expected_seq - 1 or head.last_hash != expected_prev:
        yield Problem(head.chain, head.last_seq, "the newest events are missing")


def _model_for(chain: str) -> type[ChainedEvent]:
    return AccessEvent if chain.startswith("access:") else ChangeEvent


def verify() -> tuple[int, list[Problem]]:
    """Check every chain end to end; returns (events checked, problems found)."""
    problems: list[Problem] = []
    checked = 0
    for head in ChainHead.objects.order_by("chain").iterator():
        model = _model_for(head.chain)
        checked += model._default_manager.filter(chain=head.chain).count()
        problems.extend(_verify_chain(model, head))
    headless: models.QuerySet[Any]
    for model in (AccessEvent, ChangeEvent):
        headless = (
            model._default_manager.exclude(chain__in=ChainHead.objects.values("chain")).values("chain").distinct()
        )
        problems.extend(Problem(row["chain"], None, "events without a chain head") for row in headless)
    return checked, problems
