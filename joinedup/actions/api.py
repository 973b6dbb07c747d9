"""Agreed actions over the JSON API, with the same policy, audit and 404 rules as the pages.

Changes carry the version the client last read (If-Match with the ETag; 412 when someone else changed
it first) and every POST honours an Idempotency-Key (a retry replays the first answer).
"""

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from joinedup.accounts.actors import request_actor
from joinedup.accounts.models import User
from joinedup.actions import selectors, services
from joinedup.actions.models import Action
from joinedup.agencies.models import Agency
from joinedup.api.concurrency import expected_version, with_etag
from joinedup.api.idempotency import as_response, idempotent, not_found
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, ValidationFailed
from joinedup.people import selectors as people_selectors

router = Router(tags=["actions"])


class Ref(Schema):
    id: uuid.UUID
    name: str


class ActionOut(Schema):
    id: uuid.UUID
    version: int
    description: str
    person: Ref
    owner_agency: Ref
    owner_user: Ref | None
    due_on: date
    status: str
    overdue: bool
    source: str
    source_label: str
    completed_at: datetime | None
    completion_note: str


class ActionList(Schema):
    count: int
    results: list[ActionOut]


class ActionIn(Schema):
    person: uuid.UUID
    description: str
    owner_agency: uuid.UUID
    owner_user: uuid.UUID | None = None
    due_on: date
    source: str = "other"
    source_label: str = ""


class CompleteIn(Schema):
    note: str


class CarryIn(Schema):
    reason: str
    new_due_on: date
    note: str = ""


def _ref(obj: Any, name: str) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": name} if obj is not None else None


def _out(action: Action) -> dict[str, Any]:
    owner = action.owner_user
    return {
        "id": action.pk,
        "version": action.version,
        "description": action.description,
        "person": _ref(action.person, action.person.full_name),
        "owner_agency": _ref(action.owner_agency, action.owner_agency.name),
        "owner_user": _ref(owner, owner.display_name) if owner else None,
        "due_on": action.due_on,
        "status": action.status,
        "overdue": action.overdue(clock.today()),
        "source": action.source,
        "source_label": action.source_label,
        "completed_at": action.completed_at,
        "completion_note": action.completion_note,
    }


@router.get("/mine", response=ActionList, summary="Your actions: open first, soonest due first")
def my_actions(request: HttpRequest) -> dict[str, Any]:
    shown = selectors.my_actions(request_actor(request), route=request.path)
    return {"count": len(shown), "results": [_out(s.record) for s in shown]}


@router.get("/{action_id}", response=ActionOut, summary="One action (its ETag is its version)")
def get_action(request: HttpRequest, action_id: uuid.UUID, response: HttpResponse) -> dict[str, Any]:
    view = selectors.action_get(request_actor(request), action_id, route=request.path)
    response["ETag"] = f'W/"{view.action.record.version}"'
    return _out(view.action.record)


def _owner(payload: ActionIn) -> tuple[Agency, User | None]:
    agency = Agency.objects.filter(pk=payload.owner_agency).first()
    if agency is None:
        raise ValidationFailed({"owner_agency": "Choose the agency that will do it"})
    user = None
    if payload.owner_user is not None:
        user = next((u for u in selectors.owners_of(agency.pk) if u.pk == payload.owner_user), None)
        if user is None:
            raise ValidationFailed({"owner_user": f"Choose someone who works for {agency.name}"})
    return agency, user


@router.post("", response={201: ActionOut}, summary="Set an action; send an Idempotency-Key so a retry makes one")
@idempotent
def create_action(request: HttpRequest, payload: ActionIn) -> Any:
    actor = request_actor(request)
    try:
        access = people_selectors.person_get(actor, person_id=payload.person, route=request.path)
    except NotFound:
        return not_found("No such person")
    agency, user = _owner(payload)
    action = services.action_create(
        actor,
        person=access.person,
        description=payload.description,
        owner_agency=agency,
        owner_user=user,
        due_on=payload.due_on,
        source=payload.source,
        source_label=payload.source_label,
    )
    view = selectors.action_get(actor, action.pk, route=request.path)
    return with_etag(as_response((201, _out(view.action.record))), action.version)


def _change(request: HttpRequest, action_id: uuid.UUID, run: Callable[[Actor, int], Action]) -> Any:
    """Read (audited; 404 if unseen), check If-Match, then make the change."""
    actor = request_actor(request)
    try:
        selectors.action_get(actor, action_id, route=request.path)
    except NotFound:
        return not_found("Not found")
    action = run(actor, expected_version(request))
    fresh = selectors.action_get(actor, action.pk, route=request.path).action.record
    return with_etag(as_response((200, _out(fresh))), fresh.version)


@router.post("/{action_id}/complete", response=ActionOut, summary="Mark as done, with a note (If-Match required)")
@idempotent
def complete_action(request: HttpRequest, action_id: uuid.UUID, payload: CompleteIn) -> Any:
    return _change(
        request,
        action_id,
        lambda actor, version: services.action_complete(
            actor, action_id=action_id, note=payload.note, expected_version=version
        ),
    )


@router.post("/{action_id}/carry-forward", response=ActionOut, summary="Move the due date, with why (If-Match)")
@idempotent
def carry_action_forward(request: HttpRequest, action_id: uuid.UUID, payload: CarryIn) -> Any:
    return _change(
        request,
        action_id,
        lambda actor, version: services.action_carry_forward(
            actor,
            action_id=action_id,
            reason=payload.reason,
            new_due_on=payload.new_due_on,
            note=payload.note,
            expected_version=version,
        ),
    )
