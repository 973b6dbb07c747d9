"""Every write to plans: create one, change it, add and change its goals, and set an action from it.

Each checks who may do it (and that they may read the plan at all) and, for a change, at which
version: a stale save is refused with who changed it and when, before anything is written. Each save
records its change event and an immutable PlanVersion (the plan and its goals as they now read) in
the same transaction, so the history has every save and nothing half written.
"""

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from joinedup.accounts.models import User
from joinedup.actions.models import Action, ActionSource
from joinedup.actions.services import action_create
from joinedup.agencies.models import Agency
from joinedup.audit.services import record_change, record_write, snapshot, stale_version
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, ValidationFailed
from joinedup.core.vocabulary import Category, Purpose
from joinedup.people.models import Person
from joinedup.people.selectors import agency_involved
from joinedup.plans import history
from joinedup.plans.models import (
    CATEGORY_BY_KIND,
    Goal,
    GoalStatus,
    PersonAgreed,
    Plan,
    PlanKind,
    PlanStatus,
    PlanVersion,
    plan_ref,
)
from joinedup.plans.rules import may_edit, may_write_plans
from joinedup.plans.selectors import agency_may_be_named
from joinedup.sharing import policy

TEXT_FIELDS = (
    "strengths",
    "what_matters",
    "early_warning_signs",
    "what_helps",
    "who_to_contact",
    "making_safer",
    "carer_name",
    "advocate_name",
    "person_comments",
)
FLAG_FIELDS = (
    "carer_involved",
    "carer_assessment_offered",
    "substantial_difficulty",
    "appropriate_person_to_support",
    "advocate_involved",
    "person_present",
)
# What a caller may set on a plan (the kind is chosen once, at creation: it decides who may read it).
EDITABLE = frozenset(
    {"title", "status", "lead_agency", "review_on", "person_agreed", "coproduced_on", *TEXT_FIELDS, *FLAG_FIELDS}
)
GOAL_EDITABLE = frozenset({"description", "target_on", "measure", "status"})


def _may_change(actor: Actor, plan: Plan) -> bool:
    return may_edit(actor, plan, agency_involved=agency_involved(actor.agency_id, plan.person_id)) and bool(
        policy.can_view(actor, plan, Purpose.DIRECT_CARE).allowed
    )


# The short text fields, and what a reader calls each, for "must be N characters or fewer".
SHORT_TEXT = {"title": "The title", "carer_name": "The carer's name", "advocate_name": "The advocate's name"}


def _cleaned(actor: Actor, plan: Plan, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes, tidied and checked against the rules; ValidationFailed naming each bad field."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationFailed(dict.fromkeys(sorted(unknown), "This cannot be changed on a plan"))
    values: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    errors: dict[str, str] = {}
    for name, called in SHORT_TEXT.items():
        limit = getattr(Plan._meta.get_field(name), "max_length", None) or 200
        if isinstance(values.get(name), str) and len(values[name]) > limit:
            errors[name] = f"{called} must be {limit} characters or fewer"
    if "title" in values and not values["title"]:
        errors["title"] = "Enter a title for the plan"
    if "status" in values and values["status"] not in PlanStatus.values:
        errors["status"] = "Choose the plan's status"
    if "person_agreed" in values and values["person_agreed"] not in PersonAgreed.values:
        errors["person_agreed"] = "Say whether the person agreed with the plan"
    for name in FLAG_FIELDS:
        if name in values and not isinstance(values[name], bool):
            errors[name] = "Answer yes or no"
    for name in TEXT_FIELDS:
        if name in values and not isinstance(values[name], str):
            errors[name] = "Enter text"
    review_on = values.get("review_on")
    # Only a new review date must be ahead: an overdue plan can still be edited while it waits for review.
    if review_on is not None and review_on != plan.review_on and review_on < clock.today():
        errors["review_on"] = "The review date must be today or in the future"
    coproduced_on = values.get("coproduced_on")
    if coproduced_on is not None and coproduced_on > clock.today():
        errors["coproduced_on"] = "The date it was agreed with the person must be today or in the past"
    lead = values.get("lead_agency")
    # The same agencies the form offers: one answer for any other, so it never confirms an involvement.
    if lead is not None and not (isinstance(lead, Agency) and agency_may_be_named(actor, plan, lead.pk)):
        errors["lead_agency"] = "Choose the agency that wrote the plan or one working with the person"
    if errors:
        raise ValidationFailed(errors)
    return values


def _saver(actor: Actor) -> tuple[str, str]:
    user = User.objects.filter(pk=actor.user_id).first()
    return user.display_name if user else actor.username, actor.agency_name


def _record_version(actor: Actor, plan: Plan, summary: str) -> PlanVersion | None:
    """Write the plan's next history entry (call with the plan row locked). None if nothing changed."""
    previous = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
    goals = list(Goal.objects.filter(plan=plan).order_by("created_at"))
    now = history.snapshot(plan, goals)
    changed = history.changed_labels(previous.snapshot if previous else None, now)
    if previous is not None and not changed:
        return None
    name, agency = _saver(actor)
    return PlanVersion.objects.create(
        plan=plan,
        number=(previous.number + 1) if previous else 1,
        plan_version=plan.version,
        snapshot=now,
        changed_fields=changed,
        summary=summary,
        saved_by_id=actor.user_id,
        saved_by_name=name,
        saved_by_agency=agency,
    )


def plan_create(actor: Actor, *, person: Person, kind: str, form_token: str = "", **fields: Any) -> tuple[Plan, bool]:
    """A new plan about the person, written by the actor's agency. Returns (plan, created): a create
    form sent twice with the same token finds the plan the first made, rather than a second one."""
    if not may_write_plans(actor):
        raise ValidationFailed({"": "Only staff who record about people can write a plan"})
    if form_token:
        existing = Plan.objects.filter(created_by_id=actor.user_id, form_token=form_token).first()
        if existing is not None:
            return existing, False
    if kind not in PlanKind.values:
        raise ValidationFailed({"kind": "Choose the kind of plan"})
    assert actor.agency_id is not None  # may_write_plans
    plan = Plan(
        person=person,
        recorded_by_id=actor.agency_id,
        category=CATEGORY_BY_KIND[PlanKind(kind)],
        kind=kind,
        created_by_id=actor.user_id,
        form_token=form_token,
    )
    values = _cleaned(actor, plan, {"title": fields.pop("title", "") or PlanKind(kind).label, **fields})
    for name, value in values.items():
        setattr(plan, name, value)
    try:
        with transaction.atomic():
            plan.save(force_insert=True)
            record_write(actor, "plan_create", plan, None)
            _record_version(actor, plan, "Plan written")
    except IntegrityError:
        # Two submits of one form raced: the other made the plan.
        existing = (
            Plan.objects.filter(created_by_id=actor.user_id, form_token=form_token).first() if form_token else None
        )
        if existing is None:
            raise
        return existing, False
    return plan, True


def _lock_plan(actor: Actor, plan_id: uuid.UUID) -> Plan:
    """The plan, locked, if the actor may change it: otherwise NotFound (before any version check, so
    a stranger's stale version never learns who changed it)."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("lead_agency").filter(pk=plan_id).first()
    if plan is None or not _may_change(actor, plan):
        raise NotFound("No such plan")
    return plan


def plan_update(actor: Actor, *, plan_id: uuid.UUID, expected_version: int, changes: Mapping[str, Any]) -> Plan:
    """Change the plan's fields, if it is still at the version the actor read."""
    with transaction.atomic():
        plan = _lock_plan(actor, plan_id)
        if plan.version != expected_version:
            raise stale_version(plan, "plan")
        values = _cleaned(actor, plan, changes)
        before = history.plan_text(plan)
        raw_before = snapshot(plan)
        for name, value in values.items():
            setattr(plan, name, value)
        if history.plan_text(plan) == before:
            return plan  # nothing changed: no new version, no event
        plan.version += 1
        plan.save()
        record_write(actor, "plan_update", plan, raw_before)
        _record_version(actor, plan, "Plan changed")
    return plan


def _goal_values(changes: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    unknown = set(changes) - GOAL_EDITABLE
    if unknown:
        raise ValidationFailed(dict.fromkeys(sorted(unknown), "This cannot be changed on a goal"))
    values: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    errors: dict[str, str] = {}
    if (creating or "description" in values) and not values.get("description"):
        errors["description"] = "Describe the goal, in the person's words"
    if "status" in values and values["status"] not in GoalStatus.values:
        errors["status"] = "Choose the goal's status"
    target_on: date | None = values.get("target_on")
    if creating and target_on is not None and target_on < clock.today():
        errors["target_on"] = "The target date must be today or in the future"
    if errors:
        raise ValidationFailed(errors)
    return values


def _goal_event(actor: Actor, action: str, plan: Plan, goal: Goal, before: dict[str, Any] | None) -> None:
    """A goal's change event, filed under the plan's person and agency (a goal has neither of its own)."""
    record_change(
        actor,
        action=action,
        obj=goal,
        before=before,
        after=snapshot(goal),
        person_id=plan.person_id,
        recorded_by_id=plan.recorded_by_id,
    )


def goal_add(actor: Actor, *, plan_id: uuid.UUID, **fields: Any) -> Goal:
    """A new goal on the plan (the plan's own version is untouched: no one's plan edit is refused for it)."""
    with transaction.atomic():
        plan = _lock_plan(actor, plan_id)
        goal = Goal(plan=plan, **_goal_values(fields, creating=True))
        goal.save(force_insert=True)
        _goal_event(actor, "plan_goal_add", plan, goal, None)
        _record_version(actor, plan, "Goal added")
    return goal


def goal_update(
    actor: Actor, *, plan_id: uuid.UUID, goal_id: uuid.UUID, expected_version: int, changes: Mapping[str, Any]
) -> Goal:
    """Change one goal, if it is still at the version the actor read."""
    with transaction.atomic():
        plan = _lock_plan(actor, plan_id)
        goal = Goal.objects.select_for_update().filter(pk=goal_id, plan=plan).first()
        if goal is None:
            raise NotFound("No such goal")
        if goal.version != expected_version:
            raise stale_version(goal, "goal")
        values = _goal_values(changes, creating=False)
        target_on = values.get("target_on")
        if target_on is not None and target_on != goal.target_on and target_on < clock.today():
            raise ValidationFailed({"target_on": "The target date must be today or in the future"})
        before = snapshot(goal)
        for name, value in values.items():
            setattr(goal, name, value)
        if snapshot(goal) == before:
            return goal
        goal.version += 1
        goal.save()
        _goal_event(actor, "plan_goal_update", plan, goal, before)
        _record_version(actor, plan, "Goal changed")
    return goal


def _source_label(plan: Plan) -> str:
    """How the action names its plan to the action's readers (every agency working with the person):
    a coordination plan's title, which they may all read; for any other plan, words that give away
    neither its title nor its kind (a safety or crisis plan says risk or mental health work)."""
    return plan.title if plan.category == Category.COORDINATION else "A plan"


def plan_action_add(
    actor: Actor,
    *,
    plan_id: uuid.UUID,
    description: str,
    owner_agency: Agency,
    owner_user: User | None = None,
    due_on: date | None,
) -> Action:
    """Who does what by when: an agreed action from the plan, owned by an agency working with the person."""
    with transaction.atomic():
        plan = _lock_plan(actor, plan_id)
        # No oracle here, unlike a lead agency over the API: the only caller outside this code is the
        # action form, whose choices are already `team_agencies`, and it refuses any other alike.
        if not (owner_agency.pk == plan.recorded_by_id or agency_involved(owner_agency.pk, plan.person_id)):
            raise ValidationFailed({"owner_agency": "Choose an agency working with the person"})
        return action_create(
            actor,
            person=plan.person,
            description=description,
            owner_agency=owner_agency,
            owner_user=owner_user,
            due_on=due_on,
            source=ActionSource.PLAN,
            source_ref=plan_ref(plan.pk),
            source_label=_source_label(plan),
        )
