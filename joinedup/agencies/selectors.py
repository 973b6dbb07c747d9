"""Reads of agencies and teams: partnership information, not person-level, so no policy applies."""

import uuid

from django.db.models import Prefetch, QuerySet

from joinedup.agencies.models import Agency, ContactPoint, Team
from joinedup.core.errors import NotFound


def agency_list(*, kind: str | None = None, active_only: bool = True) -> QuerySet[Agency]:
    agencies = Agency.objects.all()
    if active_only:
        agencies = agencies.filter(active=True)
    if kind:
        agencies = agencies.filter(kind=kind)
    return agencies.prefetch_related(
        Prefetch("contact_points", queryset=ContactPoint.objects.select_related("team")),
        Prefetch("teams", queryset=Team.objects.filter(active=True)),
    )


def agency_get(*, agency_id: uuid.UUID) -> Agency:
    try:
        return agency_list(active_only=False).get(pk=agency_id)
    except Agency.DoesNotExist:
        raise NotFound("No such agency") from None
