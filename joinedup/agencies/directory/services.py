"""Writes to the directory outside an HSDS import: which partnership agency and team an entry is."""

import uuid

from django.db import transaction

from joinedup.agencies.directory.models import Organization, Service
from joinedup.agencies.models import Agency, Team
from joinedup.audit.services import record_write, snapshot
from joinedup.core.actor import Actor
from joinedup.core.errors import ValidationFailed


def organization_link_agency(actor: Actor, *, organization_id: uuid.UUID | str, agency: Agency | None) -> Organization:
    """Say which partnership agency a directory organisation is (None: not one of ours)."""
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization_id)
        if organization.agency_id != (agency.pk if agency else None):
            before = snapshot(organization)
            organization.agency = agency
            organization.save(update_fields=["agency", "updated_at"])
            record_write(actor, "directory_organization_link", organization, before)
        return organization


def service_link_referrals(
    actor: Actor, *, service_id: uuid.UUID | str, agency: Agency | None, team: Team | None = None
) -> Service:
    """Say where a joinedup referral to this directory service goes: an agency, and a team of it."""
    if team is not None and (agency is None or team.agency_id != agency.pk):
        raise ValidationFailed({"referral_team": "Choose a team of the agency that receives the referrals"})
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service_id)
        wanted = (agency.pk if agency else None, team.pk if team else None)
        if (service.referral_agency_id, service.referral_team_id) != wanted:
            before = snapshot(service)
            service.referral_agency = agency
            service.referral_team = team
            service.save(update_fields=["referral_agency", "referral_team", "updated_at"])
            record_write(actor, "directory_service_link", service, before)
        return service
