"""Crisis contacts over the JSON API, with the same policy, audit and 404 rules as the pages.

Reads carry the contact's version as an ETag; every change to a contact needs it back in If-Match
(a stale one is refused with 412 and the current ETag). POSTs accept an Idempotency-Key.
"""

import uuid
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router, Schema
from ninja.responses import NinjaJSONEncoder

from joinedup.accounts.actors import request_actor
from joinedup.api.concurrency import etag, expected_version, with_etag
from joinedup.api.idempotency import idempotent
from joinedup.core import clock
from joinedup.core.errors import NotFound
from joinedup.crisis import rules, selectors, services
from joinedup.crisis.models import CrisisContact
from joinedup.crisis.selectors import ContactView
from joinedup.people.models import Person
from joinedup.sharing.policy import Shown

router = Router(tags=["crisis"])


class AgencyRef(Schema):
    id: uuid.UUID
    name: str


class PersonRef(Schema):
    id: uuid.UUID
    name: str


class ReferralRef(Schema):
    id: uuid.UUID
    pathway: str
    to_agency: AgencyRef
    urgency: str
    state: str
    sent_at: datetime | None


class ContactOut(Schema):
    id: uuid.UUID
    version: int
    status: str
    channel: str
    received_at: datetime
    caller_description: str
    caller_name: str
    callback_number: str
    presenting_need: str
    triage_outcome: str
    outcome_detail: str
    first_response_at: datetime | None
    response_minutes: int | None
    waiting_minutes: int
    handled_by: str
    notes: str
    closed_at: datetime | None
    close_note: str
    person_id: uuid.UUID | None
    person: PersonRef | None
    recorded_by: AgencyRef
    category: str
    grounds: list[str]


class ContactDetailOut(ContactOut):
    referrals: list[ReferralRef]


class ContactList(Schema):
    count: int
    results: list[ContactOut]


class ContactIn(Schema):
    channel: str
    received_at: datetime | None = None  # now, when left out
    presenting_need: str
    caller_description: str = ""
    caller_name: str = ""
    callback_number: str = ""
    person_id: uuid.UUID | None = None
    notes: str = ""


class ContactPatch(Schema):
    channel: str | None = None
    presenting_need: str | None = None
    caller_description: str | None = None
    caller_name: str | None = None
    callback_number: str | None = None
    triage_outcome: str | None = None
    outcome_detail: str | None = None
    notes: str | None = None


class RespondIn(Schema):
    responded_at: datetime | None = None  # now, when left out


class NewPersonIn(Schema):
    given_name: str
    family_name: str
    date_of_birth: date | None = None
    nhs_number: str = ""
    gender: str = "not_known"
    preferred_name: str = ""


class LinkIn(Schema):
    person_id: uuid.UUID | None = None
    new_person: NewPersonIn | None = None


class ReferIn(Schema):
    pathway_id: uuid.UUID
    urgency_id: uuid.UUID | None = None
    reason: str
    sharing_basis: str
    risk_summary: str = ""
    what_matters: str = ""
    consent_id: uuid.UUID | None = None
    agreement_id: uuid.UUID | None = None
    sharing_note: str = ""
    attach_contact: bool = True


class CloseIn(Schema):
    triage_outcome: str | None = None
    outcome_detail: str | None = None
    note: str = ""


class ReferOut(Schema):
    referral: ReferralRef
    contact: ContactDetailOut


FIELDS = (
    "id",
    "version",
    "status",
    "channel",
    "received_at",
    "caller_description",
    "caller_name",
    "callback_number",
    "presenting_need",
    "triage_outcome",
    "outcome_detail",
    "first_response_at",
    "response_minutes",
    "notes",
    "closed_at",
    "close_note",
    "person_id",
    "category",
)


def _agency(agency: Any) -> dict[str, Any]:
    return {"id": agency.pk, "name": agency.name}


def _contact(shown: Shown[CrisisContact], person: Shown[Person] | None) -> dict[str, Any]:
    c = shown.record
    return {
        **{name: getattr(c, name) for name in FIELDS},
        "waiting_minutes": int(c.waiting(clock.now()).total_seconds() // 60),
        "handled_by": str(c.handled_by) if c.handled_by_id and c.handled_by else "",
        "person": {"id": person.record.pk, "name": person.record.full_name} if person else None,
        "recorded_by": _agency(c.recorded_by),
        "grounds": sorted(shown.grounds),
    }


def _referral(referral: Any) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "pathway": referral.pathway.name,
        "to_agency": _agency(referral.to_agency),
        "urgency": referral.urgency.name,
        "state": referral.state,
        "sent_at": referral.sent_at,
    }


def _detail(view: ContactView) -> dict[str, Any]:
    return {**_contact(view.contact, view.person), "referrals": [_referral(s.record) for s in view.referrals]}


def _read(request: HttpRequest, contact_id: uuid.UUID) -> ContactView:
    return selectors.contact_get(request_actor(request), contact_id=contact_id, route=request.path)


def _reply(status: int, schema: type[Schema], data: dict[str, Any], version: int) -> HttpResponse:
    """A validated JSON answer with the contact's ETag (ninja passes a response through unchecked)."""
    body = schema.model_validate(data).model_dump(mode="json")
    return with_etag(JsonResponse(body, status=status, encoder=NinjaJSONEncoder), version)


@router.get("/contacts", response=ContactList, summary="The live board: your agency's open contacts, oldest first")
def list_contacts(request: HttpRequest) -> dict[str, Any]:
    actor = request_actor(request)
    if not rules.may_work_contacts(actor):
        raise NotFound()
    board = selectors.board(actor, route=request.path)
    return {"count": board.total_open, "results": [_contact(r.contact, r.person) for r in board.rows]}


@router.get("/contacts/{contact_id}", response=ContactDetailOut, summary="One contact, with its ETag")
def get_contact(request: HttpRequest, contact_id: uuid.UUID, response: HttpResponse) -> dict[str, Any]:
    view = _read(request, contact_id)
    response["ETag"] = etag(view.record.version)
    return _detail(view)


@router.post("/contacts", response={201: ContactDetailOut}, summary="Log a contact (Idempotency-Key welcome)")
@idempotent
def log_contact(request: HttpRequest, payload: ContactIn) -> HttpResponse:
    fields = payload.model_dump()
    fields["received_at"] = fields["received_at"] or clock.now()
    contact = services.contact_log(request_actor(request), **fields)
    view = _read(request, contact.pk)
    return _reply(201, ContactDetailOut, _detail(view), view.record.version)


@router.patch("/contacts/{contact_id}", response=ContactDetailOut, summary="Triage or correct a contact (If-Match)")
def update_contact(request: HttpRequest, contact_id: uuid.UUID, payload: ContactPatch) -> HttpResponse:
    changes = payload.model_dump(exclude_unset=True, exclude_none=True)
    services.contact_update(
        request_actor(request), contact_id=contact_id, expected_version=expected_version(request), **changes
    )
    view = _read(request, contact_id)
    return _reply(200, ContactDetailOut, _detail(view), view.record.version)


@router.post("/contacts/{contact_id}/respond", response=ContactDetailOut, summary="Record the first response")
@idempotent
def respond(request: HttpRequest, contact_id: uuid.UUID, payload: RespondIn) -> HttpResponse:
    services.contact_respond(
        request_actor(request),
        contact_id=contact_id,
        expected_version=expected_version(request),
        responded_at=payload.responded_at,
    )
    view = _read(request, contact_id)
    return _reply(200, ContactDetailOut, _detail(view), view.record.version)


@router.post("/contacts/{contact_id}/link", response=ContactDetailOut, summary="Link to a person, or create one")
@idempotent
def link(request: HttpRequest, contact_id: uuid.UUID, payload: LinkIn) -> HttpResponse:
    new_person = services.NewPerson(**payload.new_person.model_dump()) if payload.new_person else None
    services.contact_link_person(
        request_actor(request),
        contact_id=contact_id,
        expected_version=expected_version(request),
        person_id=payload.person_id,
        new_person=new_person,
    )
    view = _read(request, contact_id)
    return _reply(200, ContactDetailOut, _detail(view), view.record.version)


@router.post("/contacts/{contact_id}/referrals", response={201: ReferOut}, summary="Refer onwards from a contact")
@idempotent
def refer(request: HttpRequest, contact_id: uuid.UUID, payload: ReferIn) -> HttpResponse:
    version = expected_version(request)
    referral = services.contact_refer(
        request_actor(request), contact_id=contact_id, expected_version=version, **payload.model_dump()
    )
    view = _read(request, contact_id)
    sent = next((s.record for s in view.referrals if s.record.pk == referral.pk), referral)
    return _reply(201, ReferOut, {"referral": _referral(sent), "contact": _detail(view)}, view.record.version)


@router.post("/contacts/{contact_id}/close", response=ContactDetailOut, summary="Close a contact (needs an outcome)")
@idempotent
def close(request: HttpRequest, contact_id: uuid.UUID, payload: CloseIn) -> HttpResponse:
    version = expected_version(request)
    services.contact_close(
        request_actor(request), contact_id=contact_id, expected_version=version, **payload.model_dump()
    )
    view = _read(request, contact_id)
    return _reply(200, ContactDetailOut, _detail(view), view.record.version)
