"""Writing the audit trail: `record_view` for reads, `record_change` for writes.

Call both inside the transaction that builds the response or makes the write: if the event
cannot be written the exception propagates, the transaction rolls back and nothing is served
(fail-closed).
"""

import decimal
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from joinedup.audit import chain
from joinedup.audit.models import AccessEvent, ChangeEvent, Outcome
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import StaleVersion
from joinedup.core.formatting import format_datetime

# Never copied into a change event.
SECRET_FIELD_MARKERS = ("password", "secret", "token", "key_hash", "otp")


def _chain_key(kind: str, actor: Actor, at: datetime) -> str:
    return f"{kind}:{actor.agency_id or 'system'}:{at.date().isoformat()}"


def _actor_fields(actor: Actor) -> dict[str, Any]:
    return {
        "request_id": actor.request_id,
        "actor_user_id": actor.user_id,
        "actor_username": actor.username,
        "actor_agency_id": actor.agency_id,
        "actor_agency_name": actor.agency_name,
        "actor_roles": sorted(actor.roles),
    }


def object_ref(obj: models.Model) -> str:
    """How an event names a row: "app_label.model:pk"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


@dataclass(frozen=True)
class View:
    """What one access event says was read (or refused)."""

    person_id: uuid.UUID | None
    purpose: str
    grounds: Iterable[str] = ()
    categories: Iterable[str] = ()
    objects: Sequence[dict[str, Any]] = ()  # each record: {"ref", "agency", "category", "grounds"}
    outcome: Outcome = Outcome.ALLOWED
    route: str = ""
    reason: str = ""


def record_views(actor: Actor, views: Sequence[View]) -> list[AccessEvent]:
    """Record reads of several people at once (a list page): one event each, one chain lock."""
    at = clock.now()
    actor_fields = _actor_fields(actor)
    events = [
        AccessEvent(
            chain=_chain_key("access", actor, at),
            occurred_at=at,
            person_id=view.person_id,
            purpose=str(view.purpose),
            outcome=view.outcome,
            grounds=sorted({str(g) for g in view.grounds}),
            categories=sorted({str(c) for c in view.categories}),
            records=list(view.objects),
            route=view.route[:200],
            reason=view.reason,
            **actor_fields,
        )
        for view in views
    ]
    return chain.append_many(events)


def record_view(actor: Actor, **view: Any) -> AccessEvent:
    """Record one read of a person's data (or a refused direct attempt); fields as in `View`."""
    return record_views(actor, [View(**view)])[0]


def record_change(
    actor: Actor,
    *,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    person_id: uuid.UUID | None = None,
    recorded_by_id: uuid.UUID | None = None,
) -> ChangeEvent:
    """Record one write. `before` / `after` come from `snapshot` (None for create / delete)."""
    at = clock.now()
    event = ChangeEvent(
        chain=_chain_key("change", actor, at),
        occurred_at=at,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        person_id=person_id,
        recorded_by_id=recorded_by_id,
        before=before,
        after=after,
        **_actor_fields(actor),
    )
    return chain.append(event)


def _json_safe(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or None  # where the file is stored, never its contents
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """A row's stored values as JSON, secrets left out."""
    return {
        field.attname: _json_safe(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if not any(marker in field.attname for marker in SECRET_FIELD_MARKERS)
    }


def record_write(
    actor: Actor, action: str, obj: models.Model, before: dict[str, Any] | None, **extra: Any
) -> ChangeEvent:
    """`record_change` for the usual case: the row as it is now (plus `extra`) after `before`,
    with the person and the owning agency taken from the row when it has them."""
    return record_change(
        actor,
        action=action,
        obj=obj,
        before=before,
        after={**snapshot(obj), **extra},
        person_id=getattr(obj, "person_id", None),
        recorded_by_id=getattr(obj, "recorded_by_id", None),
    )


def last_change(obj: models.Model) -> ChangeEvent | None:
    """The newest change event of a row: who changed it last, and when (for "changed by X at T")."""
    return (
        ChangeEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("-occurred_at", "-id")
        .first()
    )


def stale_version(obj: Any, what: str) -> StaleVersion:
    """The refusal of a save over someone else's: "changed by X at T", with the version now stored."""
    last = last_change(obj)
    who = f"{last.actor_username} at {format_datetime(last.occurred_at)}" if last else "someone else"
    return StaleVersion(
        f"This {what} was changed by {who} after you opened it. Check it again before you save.",
        current_version=obj.version,
    )
