"""Reads of the audit trail for governance pages (counts here; disclosure logs come with sharing)."""

import uuid
from datetime import datetime

from joinedup.audit.models import AccessEvent, Outcome


def denied_count(*, agency_id: uuid.UUID, since: datetime) -> int:
    """Refused direct attempts by the agency's own users since a moment."""
    return AccessEvent.objects.filter(actor_agency_id=agency_id, outcome=Outcome.DENIED, occurred_at__gte=since).count()
