"""Plans and their goals over the JSON API, with the same policy, audit and 404 rules as the pages.

A plan's ETag is its version and a goal's its own: a change sends If-Match (412 when someone else
saved first; a 422 naming the header when it is missing) and every POST honours an Idempotency-Key.
"""

import uuid
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from joinedup.accounts.actors import request_actor
from joinedup.agencies.models import Agency
from joinedup.api.concurrency import expected_version, with_etag
from joinedup.api.idempotency import as_response, idempotent, not_found
from joinedup.core import clock
from joinedup.core.errors import NotFound, ValidationFailed
from joinedup.people import selectors as people_selectors
from joinedup.plans import selectors, services
from joinedup.plans.models import Goal, Plan
from joinedup.plans.prompts import prompts

router = Router(tags=["plans"])


class Ref(Schema):
    id: uuid.UUID
    name: str


class GoalOut(Schema):
    id: uuid.UUID
    version: int
    description: str
    target_on: date | None
    measure: str
    status: str


class PlanSummaryOut(Schema):
    id: uuid.UUID
    version: int
    kind: str
    title: str
    status: str
    review_on: date | None
    review_overdue: bool


class PlanOut(PlanSummaryOut):
    person: Ref
    recorded_by: Ref
    lead_agency: Ref | None
    strengths: str
    what_matters: str
    early_warning_signs: str
    what_helps: str
    who_to_contact: str
    making_safer: str
    carer_involved: bool
    carer_name: str
    carer_assessment_offered: bool
    substantial_difficulty: bool
    appropriate_person_to_support: bool
    advocate_involved: bool
    advocate_name: str
    person_present: bool
    person_agreed: str
    person_comments: str
    coproduced_on: date | None
    prompts: list[str]
    goals: list[GoalOut]
    updated_at: datetime


class PlanList(Schema):
    count: int
    results: list[PlanSummaryOut]


class PlanChanges(Schema):
    """Send only what changes; every field is optional."""

    title: str | None = None
    status: str | None = None
    lead_agency: uuid.UUID | None = None
    review_on: date | None = None
    strengths: str | None = None
    what_matters: str | None = None
    early_warning_signs: str | None = None
    what_helps: str | None = None
    who_to_contact: str | None = None
    making_safer: str | None = None
    carer_involved: bool | None = None
    carer_name: str | None = None
    carer_assessment_offered: bool | None = None
    substantial_difficulty: bool | None = None
    appropriate_person_to_support: bool | None = None
    advocate_involved: bool | None = None
    advocate_name: str | None = None
    person_present: bool | None = None
    person_agreed: str | None = None
    person_comments: str | None = None
    coproduced_on: date | None = None


class PlanIn(PlanChanges):
    person: uuid.UUID
    kind: str


class GoalIn(Schema):
    description: str
    target_on: date | None = None
    measure: str = ""
    status: str = "not_started"


class GoalChanges(Schema):
    description: str | None = None
    target_on: date | None = None
    measure: str | None = None
    status: str | None = None


def _ref(obj: Any, name: str) -> dict[str, Any]:
    return {"id": obj.pk, "name": name}


def _summary(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "version": plan.version,
        "kind": plan.kind,
        "title": plan.title,
        "status": plan.status,
        "review_on": plan.review_on,
        "review_overdue": plan.review_overdue(clock.today()),
    }


def _goal(goal: Goal) -> dict[str, Any]:
    return {name: getattr(goal, name) for name in ("version", "description", "target_on", "measure", "status")} | {
        "id": goal.pk
    }


def _out(view: selectors.PlanView) -> dict[str, Any]:
    plan = view.plan.record
    texts = {name: getattr(plan, name) for name in (*services.TEXT_FIELDS, *services.FLAG_FIELDS)}
    return {
        **_summary(plan),
        **texts,
        "person": _ref(plan.person, view.person_name),
        "recorded_by": _ref(plan.recorded_by, plan.recorded_by.name),
        "lead_agency": _ref(plan.lead_agency, plan.lead_agency.name) if plan.lead_agency else None,
        "person_agreed": plan.person_agreed,
        "coproduced_on": plan.coproduced_on,
        "prompts": prompts(plan),
        "goals": [_goal(g) for g in view.goals],
        "updated_at": plan.updated_at,
    }


def _changes(payload: PlanChanges, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields the client sent, with the lead agency's id turned into the agency."""
    changes = payload.dict(exclude_unset=True, exclude=set(exclude))
    if "lead_agency" in changes and changes["lead_agency"] is not None:
        agency = Agency.objects.filter(pk=changes["lead_agency"]).first()
        if agency is None:
            raise ValidationFailed(
                {"lead_agency": "Choose the agency that wrote the plan or one working with the person"}
            )
        changes["lead_agency"] = agency
    return changes


@router.get("/people/{person_id}", response=PlanList, summary="A person's plans that you may read")
def person_plans(request: HttpRequest, person_id: uuid.UUID) -> Any:
    actor = request_actor(request)
    shown = selectors.plans_for_person(actor, person_id, route=request.path)
    if not shown:
        # No plan to show: the person must still exist for the caller, or the answer is a 404.
        people_selectors.person_get(actor, person_id=person_id, route=request.path)
    return {"count": len(shown), "results": [_summary(s.record) for s in shown]}


@router.get("/{plan_id}", response=PlanOut, summary="One plan with its goals (its ETag is its version)")
def get_plan(request: HttpRequest, plan_id: uuid.UUID, response: HttpResponse) -> Any:
    view = selectors.plan_get(request_actor(request), plan_id, route=request.path)
    response["ETag"] = f'W/"{view.plan.record.version}"'
    return _out(view)


@router.post("", response={201: PlanOut}, summary="Write a plan; send an Idempotency-Key so a retry makes one")
@idempotent
def create_plan(request: HttpRequest, payload: PlanIn) -> Any:
    actor = request_actor(request)
    try:
        access = people_selectors.person_get(actor, person_id=payload.person, route=request.path)
    except NotFound:
        return not_found("No such person")
    fields = _changes(payload, exclude=frozenset({"person", "kind"}))
    plan, _ = services.plan_create(actor, person=access.person, kind=payload.kind, **fields)
    view = selectors.plan_get(actor, plan.pk, route=request.path)
    return with_etag(as_response((201, _out(view))), plan.version)


def _readable(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse | None:
    """Read the plan first (audited; a 404 problem if the caller may not)."""
    try:
        selectors.plan_get(request_actor(request), plan_id, route=request.path)
    except NotFound:
        return not_found("Not found")
    return None


@router.patch("/{plan_id}", response=PlanOut, summary="Change a plan (If-Match required; 412 if stale)")
def update_plan(request: HttpRequest, plan_id: uuid.UUID, payload: PlanChanges) -> Any:
    if (missing := _readable(request, plan_id)) is not None:
        return missing
    actor = request_actor(request)
    version = expected_version(request)
    plan = services.plan_update(actor, plan_id=plan_id, expected_version=version, changes=_changes(payload))
    view = selectors.plan_get(actor, plan.pk, route=request.path)
    return with_etag(as_response((200, _out(view))), view.plan.record.version)


@router.post("/{plan_id}/goals", response={201: GoalOut}, summary="Add a goal (Idempotency-Key)")
@idempotent
def add_goal(request: HttpRequest, plan_id: uuid.UUID, payload: GoalIn) -> Any:
    if (missing := _readable(request, plan_id)) is not None:
        return missing
    goal = services.goal_add(request_actor(request), plan_id=plan_id, **payload.dict())
    return with_etag(as_response((201, _goal(goal))), goal.version)


@router.get("/{plan_id}/goals/{goal_id}", response=GoalOut, summary="One goal of a plan (its ETag is its version)")
def get_goal(request: HttpRequest, plan_id: uuid.UUID, goal_id: uuid.UUID, response: HttpResponse) -> Any:
    view = selectors.plan_get(request_actor(request), plan_id, route=request.path)
    goal = selectors.goal_get(view, goal_id)
    response["ETag"] = f'W/"{goal.version}"'
    return _goal(goal)


@router.patch("/{plan_id}/goals/{goal_id}", response=GoalOut, summary="Change a goal (If-Match: the goal's ETag)")
def update_goal(request: HttpRequest, plan_id: uuid.UUID, goal_id: uuid.UUID, payload: GoalChanges) -> Any:
    if (missing := _readable(request, plan_id)) is not None:
        return missing
    goal = services.goal_update(
        request_actor(request),
        plan_id=plan_id,
        goal_id=goal_id,
        expected_version=expected_version(request),
        changes=payload.dict(exclude_unset=True),
    )
    return with_etag(as_response((200, _goal(goal))), goal.version)
