"""Small helpers every sharing service uses."""

from typing import Any

from django.db import models

from joinedup.audit.services import record_write
from joinedup.core.actor import Actor
from joinedup.core.errors import ValidationFailed


def require_agency(actor: Actor) -> Any:
    if actor.agency_id is None:
        raise ValidationFailed({"": "Only staff of a partner agency can do this"})
    return actor.agency_id


def changed(actor: Actor, action: str, obj: models.Model, before: dict[str, Any] | None, **extra: Any) -> None:
    """Record a change event for `obj`, with its person and owning agency when it has them."""
    record_write(actor, action, obj, before, **extra)
