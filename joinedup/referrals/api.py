"""Referrals and pathways over the JSON API, with the same policy, audit and 404 rules as the pages.

Every change carries the version the client last read (If-Match with the ETag; 412 when someone
else changed it first) and every POST honours an Idempotency-Key (a retry replays the first answer).
A referral the caller may not see answers 404 exactly as a missing one does, with a denied event.
"""

import uuid
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from joinedup.accounts.actors import request_actor
from joinedup.accounts.models import User
from joinedup.accounts.rules import Permission, has_permission
from joinedup.api.concurrency import expected_version, with_etag
from joinedup.api.idempotency import as_response, idempotent, not_found
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, ValidationFailed
from joinedup.people import selectors as people_selectors
from joinedup.referrals import presenters, selectors, services
from joinedup.referrals.models import Pathway, Referral
from joinedup.referrals.selectors import ReferralView
from joinedup.sharing.policy import Shown

router = Router(tags=["referrals"])
pathways_router = Router(tags=["referrals"])


class Ref(Schema):
    id: uuid.UUID
    name: str


class UrgencyOut(Schema):
    id: uuid.UUID
    name: str
    target: int
    unit: str
    description: str


class PathwayOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    description: str
    to_agency: Ref
    to_team: Ref | None
    eligibility_guidance: str
    required_information: list[str]
    requires_risk_summary: bool
    urgencies: list[UrgencyOut]


class AttachmentOut(Schema):
    ref: str
    type: str
    label: str


class HandoverOut(Schema):
    receiving_worker: str
    at: datetime
    form: str
    person_present: bool | None
    note: str


class ReferralSummary(Schema):
    id: uuid.UUID
    version: int
    state: str
    person: Ref
    pathway: Ref
    urgency: Ref
    from_agency: Ref
    to_agency: Ref
    to_team: Ref | None
    sent_at: datetime | None
    due_at: datetime | None
    overdue: bool
    status: str


class ReferralOut(ReferralSummary):
    referred_by: str
    reason: str
    what_matters: str
    risk_summary: str
    sharing_basis: str
    sharing_note: str
    attachments: list[AttachmentOut]
    acknowledged_at: datetime | None
    decided_at: datetime | None
    decline_reason: str
    onward_referral: uuid.UUID | None
    handover: HandoverOut | None
    closed_at: datetime | None
    close_note: str
    withdrawn_at: datetime | None
    withdrawal_reason: str
    previous: uuid.UUID | None


class ReferralList(Schema):
    box: str
    count: int
    results: list[ReferralSummary]


class ReferralIn(Schema):
    person: uuid.UUID
    pathway: uuid.UUID
    urgency: uuid.UUID
    reason: str
    sharing_basis: str
    what_matters: str = ""
    risk_summary: str = ""
    to_team: uuid.UUID | None = None
    consent: uuid.UUID | None = None
    agreement: uuid.UUID | None = None
    sharing_note: str = ""
    attachments: list[str] = []
    previous: uuid.UUID | None = None


class OnwardReferralIn(Schema):
    pathway: uuid.UUID
    urgency: uuid.UUID
    reason: str


class SignpostingIn(Schema):
    service_name: str = ""
    service_id: str = ""
    reason: str
    person_told: bool = False


class DeclineIn(Schema):
    reason: str
    onward_referral: OnwardReferralIn | None = None
    signposting: SignpostingIn | None = None


class FirstContactIn(Schema):
    handover_at: datetime
    handover_form: str
    person_present: bool
    receiving_worker: uuid.UUID | None = None
    receiving_worker_name: str = ""
    note: str = ""


class CloseIn(Schema):
    note: str = ""


class WithdrawIn(Schema):
    reason: str


def _ref(obj: Any, name: str | None = None) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": name or getattr(obj, "name", str(obj))} if obj is not None else None


def _summary(referral: Referral) -> dict[str, Any]:
    now = clock.now()
    return {
        "id": referral.pk,
        "version": referral.version,
        "state": referral.state,
        "person": _ref(referral.person, referral.person.full_name),
        "pathway": _ref(referral.pathway),
        "urgency": _ref(referral.urgency),
        "from_agency": _ref(referral.from_agency),
        "to_agency": _ref(referral.to_agency),
        "to_team": _ref(referral.to_team),
        "sent_at": referral.sent_at,
        "due_at": referral.due_at,
        "overdue": referral.overdue(now),
        "status": presenters.outcome(referral),
    }


def _out(referral: Referral, attachments: list[Shown[Any]]) -> dict[str, Any]:
    handover = None
    if referral.handover_at:
        handover = {
            "receiving_worker": referral.receiving_worker_name,
            "at": referral.handover_at,
            "form": referral.handover_form,
            "person_present": referral.person_present,
            "note": referral.handover_note,
        }
    items = presenters.attachment_items(attachments)
    return {
        **_summary(referral),
        "referred_by": str(referral.referred_by),
        "reason": referral.reason,
        "what_matters": referral.what_matters,
        "risk_summary": referral.risk_summary,
        "sharing_basis": referral.sharing_basis,
        "sharing_note": referral.sharing_note,
        "attachments": [
            {"ref": f"{s.record._meta.label_lower}:{s.record.pk}", "type": i.kind, "label": i.label}
            for s, i in zip(attachments, items, strict=True)
        ],
        "acknowledged_at": referral.acknowledged_at,
        "decided_at": referral.decided_at,
        "decline_reason": referral.decline_reason,
        "onward_referral": referral.onward_referral_id,
        "handover": handover,
        "closed_at": referral.closed_at,
        "close_note": referral.close_note,
        "withdrawn_at": referral.withdrawn_at,
        "withdrawal_reason": referral.withdrawal_reason,
        "previous": referral.previous_id,
    }


def _pathway(pathway: Pathway) -> dict[str, Any]:
    return {
        "id": pathway.pk,
        "name": pathway.name,
        "kind": pathway.kind,
        "description": pathway.description,
        "to_agency": _ref(pathway.to_agency),
        "to_team": _ref(pathway.to_team),
        "eligibility_guidance": pathway.eligibility_guidance,
        "required_information": list(pathway.required_information or []),
        "requires_risk_summary": pathway.requires_risk_summary,
        "urgencies": [
            {
                "id": u.pk,
                "name": u.name,
                "target": u.target,
                "unit": u.unit,
                "description": presenters.urgency_text(u),
            }
            for u in pathway.urgencies.all()
        ],
    }


def _actor_who_acts(request: HttpRequest) -> Actor:
    actor = request_actor(request)
    if not has_permission(actor, Permission.RECORD_PEOPLE):
        raise HttpError(403, "Your role does not make or act on referrals")
    return actor


def _etagged(status: int, data: dict[str, Any], version: int) -> HttpResponse:
    return with_etag(as_response((status, data)), version)


# ---------------------------------------------------------------------------------------------
# Pathways


@pathways_router.get("", response=list[PathwayOut], summary="The pathways you may refer through")
def list_pathways(request: HttpRequest) -> list[dict[str, Any]]:
    return [_pathway(p) for p in selectors.pathways_for(request_actor(request))]


# ---------------------------------------------------------------------------------------------
# Referrals: reads


@router.get("", response=ReferralList, summary="Your agency's referral inbox, or the referrals it sent")
def list_referrals(
    request: HttpRequest,
    box: Literal["inbox", "sent"] = "inbox",
    tab: Literal["waiting", "accepted", "handed_over"] = "waiting",
    team: uuid.UUID | None = None,
) -> dict[str, Any]:
    actor = request_actor(request)
    if box == "sent":
        shown = selectors.sent(actor, route=request.path)
    else:
        shown = selectors.inbox(actor, tab=tab, team_id=team, route=request.path)
    return {"box": box, "count": len(shown), "results": [_summary(s.record) for s in shown]}


@router.get("/{referral_id}", response=ReferralOut, summary="One referral, with the attached records you may see")
def get_referral(request: HttpRequest, referral_id: uuid.UUID, response: HttpResponse) -> dict[str, Any]:
    view = selectors.referral_get(request_actor(request), referral_id=referral_id, route=request.path)
    response["ETag"] = f'W/"{view.referral.record.version}"'
    return _out(view.referral.record, view.attachments)


# ---------------------------------------------------------------------------------------------
# Referrals: writes


def _create(request: HttpRequest, actor: Actor, payload: ReferralIn) -> Referral:
    """A draft from the payload; each id is looked up among what this user may choose, or refused by name."""
    access = people_selectors.person_get(actor, person_id=payload.person, route=request.path)
    pathway = selectors.pathway_get(actor, payload.pathway)
    if pathway is None:
        raise ValidationFailed({"pathway": "Choose a pathway your agency may refer through"})
    urgency = next((u for u in pathway.urgencies.all() if u.pk == payload.urgency), None)
    if urgency is None:
        raise ValidationFailed({"urgency": "Choose one of the pathway's urgencies"})
    team = next((t for t in selectors.teams_of(pathway.to_agency_id) if t.pk == payload.to_team), None)
    if payload.to_team and team is None:
        raise ValidationFailed({"to_team": "Choose one of the receiving agency's teams"})
    agreements = selectors.agreements_between(actor.agency_id, pathway.to_agency_id)
    previous = None
    if payload.previous:
        try:
            previous = selectors.referral_get(actor, referral_id=payload.previous, route=request.path).referral.record
        except NotFound:
            raise ValidationFailed({"previous": "Name a referral your agency made"}) from None
        if previous.from_agency_id != actor.agency_id:
            raise ValidationFailed({"previous": "Name a referral your agency made"})
    user = request.user
    assert isinstance(user, User)
    return services.referral_draft(
        actor,
        person=access.person,
        pathway=pathway,
        urgency=urgency,
        reason=payload.reason,
        sharing_basis=payload.sharing_basis,
        referred_by=user,
        to_team=team,
        what_matters=payload.what_matters,
        risk_summary=payload.risk_summary,
        consent=next((s.record for s in access.section("consents") if s.record.pk == payload.consent), None),
        agreement=next((a for a in agreements if a.pk == payload.agreement), None),
        sharing_note=payload.sharing_note,
        attachments=payload.attachments,
        from_team=user.team,
        previous=previous,
    )


@router.post(
    "",
    response={201: ReferralOut},
    summary="Start a referral (a draft, sent with /send); send an Idempotency-Key so a retry makes one",
)
@idempotent
def create_referral(request: HttpRequest, payload: ReferralIn) -> Any:
    actor = _actor_who_acts(request)
    try:
        referral = _create(request, actor, payload)
    except NotFound:
        return not_found("No such person")
    view = selectors.referral_get(actor, referral_id=referral.pk, route=request.path)
    return _etagged(201, _out(referral, view.attachments), referral.version)


def _change(request: HttpRequest, referral_id: uuid.UUID, run: Any) -> Any:
    """Read (audited; 404 if unseen), check the caller's role and If-Match, then make the change."""
    actor = request_actor(request)
    try:
        view: ReferralView = selectors.referral_get(actor, referral_id=referral_id, route=request.path)
    except NotFound:
        return not_found("Not found")
    actor = _actor_who_acts(request)
    version = expected_version(request)
    referral = run(actor, version)
    return _etagged(200, _out(referral, view.attachments), referral.version)


@router.post("/{referral_id}/send", response=ReferralOut, summary="Send a draft (If-Match required)")
@idempotent
def send_referral(request: HttpRequest, referral_id: uuid.UUID) -> Any:
    return _change(
        request,
        referral_id,
        lambda actor, version: services.referral_send(actor, referral_id=referral_id, expected_version=version),
    )


@router.post("/{referral_id}/acknowledge", response=ReferralOut, summary="Acknowledge (the receiver)")
@idempotent
def acknowledge_referral(request: HttpRequest, referral_id: uuid.UUID) -> Any:
    return _change(
        request,
        referral_id,
        lambda actor, version: services.referral_acknowledge(actor, referral_id=referral_id, expected_version=version),
    )


@router.post("/{referral_id}/accept", response=ReferralOut, summary="Accept, once (the receiver)")
@idempotent
def accept_referral(request: HttpRequest, referral_id: uuid.UUID) -> Any:
    return _change(
        request,
        referral_id,
        lambda actor, version: services.referral_accept(actor, referral_id=referral_id, expected_version=version),
    )


def _onward(actor: Actor, payload: DeclineIn) -> services.OnwardReferral | services.OnwardSignposting | None:
    if payload.onward_referral and payload.signposting:
        raise ValidationFailed({"onward": "Give one onward route: a referral on, or a signposting, not both"})
    if payload.onward_referral:
        onward = payload.onward_referral
        pathway = selectors.pathway_get(actor, onward.pathway)
        urgency = next((u for u in pathway.urgencies.all() if u.pk == onward.urgency), None) if pathway else None
        if pathway is None or urgency is None:
            raise ValidationFailed(
                {"onward_referral.pathway": "Choose a pathway and urgency your agency may refer through"}
            )
        return services.OnwardReferral(pathway=pathway, urgency=urgency, reason=onward.reason)
    if payload.signposting:
        sign = payload.signposting
        name = sign.service_name
        if sign.service_id:
            service = selectors.directory_service(sign.service_id)
            if service is None:
                raise ValidationFailed({"signposting.service_id": "No service in the directory has this id"})
            name = name or service.name
        return services.OnwardSignposting(
            service_name=name, reason=sign.reason, person_told=sign.person_told, service_id_hsds=sign.service_id
        )
    return None


@router.post(
    "/{referral_id}/decline",
    response=ReferralOut,
    summary="Decline with an onward route: a referral on through a pathway, or a signposting",
)
@idempotent
def decline_referral(request: HttpRequest, referral_id: uuid.UUID, payload: DeclineIn) -> Any:
    return _change(
        request,
        referral_id,
        lambda actor, version: services.referral_decline(
            actor,
            referral_id=referral_id,
            reason=payload.reason,
            onward=_onward(actor, payload),
            expected_version=version,
        ),
    )


@router.post("/{referral_id}/first-contact", response=ReferralOut, summary="Record the warm handover")
@idempotent
def first_contact(request: HttpRequest, referral_id: uuid.UUID, payload: FirstContactIn) -> Any:
    def run(actor: Actor, version: int) -> Referral:
        worker = None
        if payload.receiving_worker:
            worker = next((u for u in selectors.colleagues(actor) if u.pk == payload.receiving_worker), None)
            if worker is None:
                raise ValidationFailed({"receiving_worker": "The worker must be from your agency"})
        at = payload.handover_at
        return services.referral_first_contact(
            actor,
            referral_id=referral_id,
            handover_at=at if at.tzinfo else at.replace(tzinfo=clock.LONDON),  # a time without a zone is England's
            handover_form=payload.handover_form,
            person_present=payload.person_present,
            receiving_worker=worker,
            receiving_worker_name=payload.receiving_worker_name,
            note=payload.note,
            expected_version=version,
        )

    return _change(request, referral_id, run)


@router.post("/{referral_id}/close", response=ReferralOut, summary="Close after first contact")
@idempotent
def close_referral(request: HttpRequest, referral_id: uuid.UUID, payload: CloseIn) -> Any:
    return _change(
        request,
        referral_id,
        lambda actor, version: services.referral_close(
            actor, referral_id=referral_id, note=payload.note, expected_version=version
        ),
    )


@router.post("/{referral_id}/withdraw", response=ReferralOut, summary="Withdraw (the referrer)")
@idempotent
def withdraw_referral(request: HttpRequest, referral_id: uuid.UUID, payload: WithdrawIn) -> Any:
    return _change(
        request,
        referral_id,
        lambda actor, version: services.referral_withdraw(
            actor, referral_id=referral_id, reason=payload.reason, expected_version=version
        ),
    )
