"""Risk tools, assessments and flags over the JSON API, with the same policy, audit and 404 rules as
the pages. POSTs honour an Idempotency-Key; ending a flag needs If-Match (412 when stale); a new
assessment may send If-Match with the series version it last saw (W/"0" for none)."""

import uuid
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from joinedup.accounts.actors import request_actor
from joinedup.api.concurrency import expected_version, with_etag
from joinedup.api.idempotency import as_response, idempotent, not_found
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, ValidationFailed
from joinedup.people import selectors as people_selectors
from joinedup.risk import catalogue, selectors, services
from joinedup.risk.models import Assessment, Flag
from joinedup.sharing.policy import PersonAccess

router = Router(tags=["risk"])


class ToolOut(Schema):
    id: uuid.UUID
    slug: str
    version: int
    name: str
    category: str
    review_interval_days: int
    definition: dict[str, Any]


class AssessmentOut(Schema):
    id: uuid.UUID
    person: uuid.UUID
    tool: uuid.UUID
    tool_slug: str
    tool_version: int
    version: int
    previous: uuid.UUID | None
    answers: dict[str, Any]
    score: int
    scored_level: str
    escalations: list[str]
    calculated_level: str
    judgement_level: str
    judgement_reasons: str
    final_level: str
    assessed_on: date
    assessor: str
    agency: str
    review_due: bool


class AssessmentIn(Schema):
    tool: str
    answers: dict[str, Any]
    assessed_on: date | None = None
    judgement_level: str = ""
    judgement_reasons: str = ""


class FlagOut(Schema):
    id: uuid.UUID
    person: uuid.UUID
    version: int
    kind: str
    category: str
    reason: str
    starts_on: date
    ends_on: date
    state: str
    author: str
    agency: str
    ended_at: datetime | None
    end_reason: str


class FlagIn(Schema):
    kind: str
    reason: str
    starts_on: date | None = None
    ends_on: date
    category: str = ""


class FlagEndIn(Schema):
    reason: str


def _assessment_out(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "person": a.person_id,
        "tool": a.tool_id,
        "tool_slug": a.tool.slug,
        "tool_version": a.tool.version,
        "version": a.version,
        "previous": a.previous_id,
        "answers": a.answers,
        "score": a.score,
        "scored_level": a.scored_level,
        "escalations": list(a.escalations),
        "calculated_level": a.calculated_level,
        "judgement_level": a.judgement_level,
        "judgement_reasons": a.judgement_reasons,
        "final_level": a.final_level,
        "assessed_on": a.assessed_on,
        "assessor": a.assessor.display_name,
        "agency": a.recorded_by.name,
        "review_due": a.review_due(),
    }


def _flag_out(f: Flag) -> dict[str, Any]:
    return {
        "id": f.pk,
        "person": f.person_id,
        "version": f.version,
        "kind": f.kind,
        "category": f.category,
        "reason": f.reason,
        "starts_on": f.starts_on,
        "ends_on": f.ends_on,
        "state": f.state().value,
        "author": f.author.display_name,
        "agency": f.recorded_by.name,
        "ended_at": f.ended_at,
        "end_reason": f.end_reason,
    }


def _person(request: HttpRequest, person_id: uuid.UUID) -> PersonAccess | None:
    try:
        return people_selectors.person_get(request_actor(request), person_id=person_id, route=request.path)
    except NotFound:
        return None


@router.get("/tools", response=list[ToolOut], summary="The risk tools in use (their current versions)")
def list_tools(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": t.pk,
            "slug": t.slug,
            "version": t.version,
            "name": t.name,
            "category": t.category,
            "review_interval_days": t.review_interval_days,
            "definition": t.definition,
        }
        for t in catalogue.current_tools()
    ]


@router.get("/people/{person_id}/assessments", response=list[AssessmentOut], summary="A person's assessments")
def list_assessments(request: HttpRequest, person_id: uuid.UUID) -> Any:
    access = _person(request, person_id)
    if access is None:
        return not_found("No such person")
    shown = selectors.assessments_for_person(
        request_actor(request), person_id, purpose=access.purpose, route=request.path
    )
    return [_assessment_out(s.record) for s in shown]


@router.get("/assessments/{assessment_id}", response=AssessmentOut, summary="One assessment")
def get_assessment(request: HttpRequest, assessment_id: uuid.UUID) -> dict[str, Any]:
    return _assessment_out(selectors.assessment_get(request_actor(request), assessment_id, route=request.path).record)


def _series_expected(request: HttpRequest) -> int | None:
    """If-Match on a new assessment is optional: the series version the client last saw."""
    return expected_version(request) if request.headers.get("If-Match", "").strip() else None


@router.post(
    "/people/{person_id}/assessments",
    response={201: AssessmentOut},
    summary="Complete an assessment; send an Idempotency-Key so a retry records one",
)
@idempotent
def complete_assessment(request: HttpRequest, person_id: uuid.UUID, payload: AssessmentIn) -> Any:
    actor = request_actor(request)
    access = _person(request, person_id)
    if access is None:
        return not_found("No such person")
    tool = catalogue.tool_get(payload.tool)
    if tool is None:
        raise ValidationFailed({"tool": "Choose one of the risk tools in use"})
    assessment = services.assessment_complete(
        actor,
        person=access.person,
        tool=tool,
        answers=payload.answers,
        assessed_on=payload.assessed_on,
        judgement_level=payload.judgement_level,
        judgement_reasons=payload.judgement_reasons,
        expected_version=_series_expected(request),
    )
    fresh = selectors.assessment_get(actor, assessment.pk, route=request.path).record
    return with_etag(as_response((201, _assessment_out(fresh))), fresh.version)


@router.get("/people/{person_id}/flags", response=list[FlagOut], summary="A person's warnings, expired ones too")
def list_flags(request: HttpRequest, person_id: uuid.UUID) -> Any:
    access = _person(request, person_id)
    if access is None:
        return not_found("No such person")
    shown = selectors.flags_for_person(request_actor(request), person_id, purpose=access.purpose, route=request.path)
    return [_flag_out(s.record) for s in shown]


@router.post("/people/{person_id}/flags", response={201: FlagOut}, summary="Add a warning (Idempotency-Key)")
@idempotent
def add_flag(request: HttpRequest, person_id: uuid.UUID, payload: FlagIn) -> Any:
    actor = request_actor(request)
    access = _person(request, person_id)
    if access is None:
        return not_found("No such person")
    flag = services.flag_add(
        actor,
        person=access.person,
        kind=payload.kind,
        reason=payload.reason,
        starts_on=payload.starts_on or clock.today(),
        ends_on=payload.ends_on,
        category=payload.category,
    )
    fresh = selectors.flag_get(actor, flag.pk, route=request.path).record
    return with_etag(as_response((201, _flag_out(fresh))), fresh.version)


@router.get("/flags/{flag_id}", response=FlagOut, summary="One warning (its ETag is its version)")
def get_flag(request: HttpRequest, flag_id: uuid.UUID, response: HttpResponse) -> dict[str, Any]:
    flag = selectors.flag_get(request_actor(request), flag_id, route=request.path).record
    response["ETag"] = f'W/"{flag.version}"'
    return _flag_out(flag)


def _readable_flag(actor: Actor, flag_id: uuid.UUID, route: str) -> Flag | None:
    try:
        return selectors.flag_get(actor, flag_id, route=route).record
    except NotFound:
        return None


@router.post("/flags/{flag_id}/end", response=FlagOut, summary="End a warning early, with why (If-Match required)")
@idempotent
def end_flag(request: HttpRequest, flag_id: uuid.UUID, payload: FlagEndIn) -> Any:
    actor = request_actor(request)
    if _readable_flag(actor, flag_id, request.path) is None:
        return not_found("Not found")
    try:
        flag = services.flag_end(
            actor, flag_id=flag_id, reason=payload.reason, expected_version=expected_version(request)
        )
    except NotFound:
        return not_found("Not found")
    fresh = selectors.flag_get(actor, flag.pk, route=request.path).record
    return with_etag(as_response((200, _flag_out(fresh))), fresh.version)
