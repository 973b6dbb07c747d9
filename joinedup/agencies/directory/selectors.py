"""Reads of the directory: public information, so no sharing policy applies and nothing is audited."""

import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from joinedup.agencies.directory import hsds
from joinedup.agencies.directory.models import Organization, Service
from joinedup.agencies.directory.search import covers_area, need_filter, need_terms, searchable_services
from joinedup.core.errors import NotFound


@dataclass(frozen=True)
class Page:
    """One page of an HSDS list, in the HSDS 3 API's shape."""

    contents: list[dict[str, Any]]
    total_items: int
    page_number: int
    per_page: int

    def as_hsds(self) -> dict[str, Any]:
        total_pages = math.ceil(self.total_items / self.per_page)
        return {
            "total_items": self.total_items,
            "total_pages": total_pages,
            "page_number": self.page_number,
            "size": len(self.contents),
            "first_page": self.page_number == 1,
            "last_page": self.page_number >= total_pages,
            "empty": not self.contents,
            "contents": self.contents,
        }


def _slice[M: Any](queryset: QuerySet[M], page: int, per_page: int) -> tuple[list[M], int]:
    total = queryset.count()
    start = (page - 1) * per_page
    return list(queryset[start : start + per_page]), total


def service_list(
    *,
    page: int = 1,
    per_page: int = 50,
    search: str = "",
    taxonomy_term_id: uuid.UUID | None = None,
    taxonomy_id: uuid.UUID | None = None,
    organization_id: uuid.UUID | None = None,
    modified_after: datetime | None = None,
    postcode: str = "",
    full: bool = False,
) -> Page:
    """Services by name, filtered as the HSDS API's /services allows; summaries unless `full`."""
    services = Service.objects.order_by(Lower("name"), "id")
    if terms := need_terms(search):
        services = need_filter(services, terms)
    if taxonomy_term_id:
        services = services.filter(attributes__taxonomy_term_id=taxonomy_term_id)
    if taxonomy_id:
        services = services.filter(attributes__taxonomy_term__taxonomy_id=taxonomy_id)
    if organization_id:
        services = services.filter(organization_id=organization_id)
    if modified_after:
        services = services.filter(last_modified__gte=modified_after)
    services = services.distinct()
    if postcode.strip():
        covered = [s.pk for s in searchable_services(services) if covers_area(s, postcode)]
        services = services.filter(pk__in=covered)
    services = hsds.full_services(services) if full else services.select_related("organization")
    rows, total = _slice(services, page, per_page)
    return Page([hsds.service_dict(s, full=full) for s in rows], total, page, per_page)


def service_get(*, service_id: str) -> dict[str, Any]:
    """One service in full (HSDS /services/{id}); NotFound for an unknown or malformed id."""
    pk = _uuid(service_id)
    service = hsds.full_services(Service.objects.filter(pk=pk)).first() if pk else None
    if service is None:
        raise NotFound(f"No service with id {service_id}")
    return hsds.service_dict(service)


def organization_list(*, page: int = 1, per_page: int = 50, search: str = "", full: bool = False) -> Page:
    """Organizations by name; summaries, or in full with their services when `full`."""
    organizations = Organization.objects.order_by(Lower("name"), "id")
    for term in need_terms(search):
        organizations = organizations.filter(
            Q(name__icontains=term) | Q(alternate_name__icontains=term) | Q(description__icontains=term)
        )
    if full:
        organizations = hsds.full_organizations(organizations)
    rows, total = _slice(organizations, page, per_page)
    return Page([hsds.organization_dict(o, full=full) for o in rows], total, page, per_page)


def organization_get(*, organization_id: str) -> dict[str, Any]:
    pk = _uuid(organization_id)
    organization = hsds.full_organizations(Organization.objects.filter(pk=pk)).first() if pk else None
    if organization is None:
        raise NotFound(f"No organization with id {organization_id}")
    return hsds.organization_dict(organization)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
