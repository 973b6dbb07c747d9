"""Agencies over the JSON API: partnership information, readable by any signed-in user."""

import uuid

from ninja import Router, Schema

from joinedup.agencies import selectors
from joinedup.agencies.models import Agency

router = Router(tags=["agencies"])


class ContactPointOut(Schema):
    kind: str
    name: str
    email: str
    phone: str
    hours: str
    is_primary: bool


class TeamOut(Schema):
    id: uuid.UUID
    name: str
    email: str
    phone: str


class AgencyOut(Schema):
    id: uuid.UUID
    name: str
    short_name: str
    kind: str
    sector: str
    ods_code: str
    contact_points: list[ContactPointOut]
    teams: list[TeamOut]

    @staticmethod
    def resolve_contact_points(agency: Agency) -> list[object]:
        return list(agency.contact_points.all())

    @staticmethod
    def resolve_teams(agency: Agency) -> list[object]:
        return list(agency.teams.all())


@router.get("", response=list[AgencyOut], summary="Agencies in the partnership")
def list_agencies(request, kind: str | None = None):  # type: ignore[no-untyped-def]
    return list(selectors.agency_list(kind=kind))


@router.get("/{agency_id}", response=AgencyOut, summary="One agency")
def get_agency(request, agency_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return selectors.agency_get(agency_id=agency_id)
