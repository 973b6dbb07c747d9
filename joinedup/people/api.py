"""People over the JSON API, with the same policy, audit and 404 rules as the pages."""

import uuid
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict

from joinedup.accounts.actors import request_actor
from joinedup.people import selectors
from joinedup.sharing import registry
from joinedup.sharing.policy import Shown

router = Router(tags=["people"])


class AgencyRef(Schema):
    id: uuid.UUID
    name: str


class RecordMeta(Schema):
    id: uuid.UUID
    category: str
    recorded_by: AgencyRef
    grounds: list[str]


class IdentityOut(RecordMeta):
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: date | None
    nhs_number: str | None
    gender: str
    communication_needs: str
    interpreter_required: bool
    interpreter_language: str


class AliasOut(RecordMeta):
    kind: str
    given_name: str
    family_name: str


class IdentifierOut(RecordMeta):
    issuer: AgencyRef
    label: str
    value: str


class ContactDetailOut(RecordMeta):
    kind: str
    value: str
    note: str
    preferred: bool


class AddressOut(RecordMeta):
    kind: str
    line1: str
    line2: str
    town: str
    postcode: str
    sealed: bool


class InvolvementOut(RecordMeta):
    agency: AgencyRef
    team: str
    starts_on: date
    ends_on: date | None
    role: str
    key_worker: str
    key_worker_phone: str
    key_worker_email: str


class LeadAgencyOut(RecordMeta):
    agency: AgencyRef
    starts_on: date
    agreed_by: str
    note: str


class CaseNoteOut(RecordMeta):
    title: str
    body: str
    occurred_on: date
    sealed: bool
    author: str


class ProvisionOut(Schema):
    """A consent rule, named as in FHIR R4 Consent.provision (type, actor, class, purpose)."""

    type: str
    actor_agencies: list[uuid.UUID]
    actor_forums: list[uuid.UUID]
    any_actor: bool
    classes: list[str]
    purposes: list[str]
    source_agencies: list[uuid.UUID]


class ConsentOut(RecordMeta):
    status: str
    given_by: str
    representative_name: str
    capacity: str
    method: str
    period_start: datetime
    period_end: datetime | None
    review_on: date | None
    withdrawn_at: datetime | None
    provisions: list[ProvisionOut]


class ForumCaseOut(RecordMeta):
    forum: str
    opened_at: datetime
    closed_at: datetime | None
    outcome: str


class SectionRecordOut(RecordMeta):
    """A record of a section registered by a later app; its fields are that app's `api_fields`."""

    model_config = ConfigDict(extra="allow")


# Sections that apps above the people API add to the person (sharing.registry).
EXTRA_SECTIONS = (
    "referrals",
    "signpostings",
    "crisis_contacts",
    "actions",
    "agenda_items",
    "forum_research",
    "case_discussions",
    "plans",
    "risk_assessments",
    "risk_flags",
)


class PersonOut(Schema):
    id: uuid.UUID
    purpose: str
    identity: IdentityOut | None
    aliases: list[AliasOut]
    identifiers: list[IdentifierOut]
    contact_details: list[ContactDetailOut]
    addresses: list[AddressOut]
    involvements: list[InvolvementOut]
    lead_agencies: list[LeadAgencyOut]
    case_notes: list[CaseNoteOut]
    consents: list[ConsentOut]
    forum_cases: list[ForumCaseOut]
    referrals: list[SectionRecordOut] = []
    signpostings: list[SectionRecordOut] = []
    crisis_contacts: list[SectionRecordOut] = []
    actions: list[SectionRecordOut] = []
    agenda_items: list[SectionRecordOut] = []
    forum_research: list[SectionRecordOut] = []
    case_discussions: list[SectionRecordOut] = []
    plans: list[SectionRecordOut] = []
    risk_assessments: list[SectionRecordOut] = []
    risk_flags: list[SectionRecordOut] = []


class PersonSummary(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    date_of_birth: date | None
    nhs_number: str | None


class PersonPage(Schema):
    count: int
    page: int
    pages: int
    results: list[PersonSummary]


def _agency(agency: Any) -> dict[str, Any]:
    return {"id": agency.pk, "name": agency.name}


def _out(shown: Shown[Any], **fields: Any) -> dict[str, Any]:
    record = shown.record
    return {
        "id": record.pk,
        "category": str(record.category),
        "recorded_by": _agency(record.recorded_by),
        "grounds": sorted(shown.grounds),
        **fields,
    }


def _fields(record: Any, names: str) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names.split()}


def _provision(p: Any) -> dict[str, Any]:
    scopes = list(p.scopes.all())
    return {
        "type": p.kind,
        "actor_agencies": [a.pk for a in p.recipient_agencies.all()],
        "actor_forums": [f.pk for f in p.recipient_forums.all()],
        "any_actor": p.any_recipient,
        "classes": sorted({sc.category for sc in scopes}),
        "purposes": sorted({sc.purpose for sc in scopes}),
        "source_agencies": [a.pk for a in p.source_agencies.all()],
    }


@router.get("", response=PersonPage, summary="Search the people you may see")
def search_people(request: HttpRequest, q: str = "", page: int = 1) -> dict[str, Any]:
    result = selectors.person_search(request_actor(request), query=q, page=page, route=request.path)
    rows = [_fields(r.record, "id given_name family_name date_of_birth nhs_number") for r in result.rows]
    return {"count": result.total, "page": result.number, "pages": result.pages, "results": rows}


@router.get("/{person_id}", response=PersonOut, summary="One person, as far as you may see them")
def get_person(request: HttpRequest, person_id: uuid.UUID) -> dict[str, Any]:
    access = selectors.person_get(request_actor(request), person_id=person_id, route=request.path)
    identity = access.identity
    return {
        "id": access.person.pk,
        "purpose": str(access.purpose),
        "identity": _out(
            identity,
            **_fields(
                identity.record,
                "given_name family_name preferred_name date_of_birth nhs_number gender "
                "communication_needs interpreter_required interpreter_language",
            ),
        )
        if identity
        else None,
        "aliases": [_out(s, **_fields(s.record, "kind given_name family_name")) for s in access.section("aliases")],
        "identifiers": [
            _out(s, issuer=_agency(s.record.issuer), **_fields(s.record, "label value"))
            for s in access.section("identifiers")
        ],
        "contact_details": [
            _out(s, **_fields(s.record, "kind value note preferred")) for s in access.section("contact_details")
        ],
        "addresses": [
            _out(s, **_fields(s.record, "kind line1 line2 town postcode sealed")) for s in access.section("addresses")
        ],
        "involvements": [
            _out(
                s,
                agency=_agency(s.record.agency),
                team=s.record.team.name if s.record.team else "",
                key_worker=s.record.key_worker_display,
                **_fields(s.record, "starts_on ends_on role key_worker_phone key_worker_email"),
            )
            for s in access.section("involvements")
        ],
        "lead_agencies": [
            _out(s, agency=_agency(s.record.agency), **_fields(s.record, "starts_on agreed_by note"))
            for s in access.section("lead_agencies")
        ],
        "case_notes": [
            _out(s, author=str(s.record.author), **_fields(s.record, "title body occurred_on sealed"))
            for s in access.section("case_notes")
        ],
        "consents": [
            _out(
                s,
                period_start=s.record.starts_at,
                period_end=s.record.ends_at,
                provisions=[_provision(p) for p in s.record.provisions.all()],
                **_fields(s.record, "status given_by representative_name capacity method review_on withdrawn_at"),
            )
            for s in access.section("consents")
        ],
        "forum_cases": [
            _out(s, forum=s.record.forum.name, **_fields(s.record, "opened_at closed_at outcome"))
            for s in access.section("forum_cases")
        ],
        **{name: _extra_section(access, name) for name in EXTRA_SECTIONS if registry.has(name)},
    }


def _extra_section(access: Any, name: str) -> list[dict[str, Any]]:
    fields = registry.section(name).api_fields
    return [_out(s, **{f: getattr(s.record, f) for f in fields}) for s in access.section(name)]
