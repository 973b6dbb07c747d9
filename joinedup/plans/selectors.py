"""Reads of plans. A plan is a person-level record: always through sharing.policy, audited. Its goals,
its history and the actions set from it are read only once the plan itself has been read."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet

from joinedup.actions import selectors as action_selectors
from joinedup.actions.models import Action
from joinedup.agencies.models import Agency
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound
from joinedup.core.vocabulary import Purpose
from joinedup.people import selectors as people_selectors
from joinedup.people.models import Involvement, active_involvements
from joinedup.plans import rules
from joinedup.plans.models import Goal, Plan, PlanStatus, PlanVersion, plan_ref
from joinedup.sharing import policy
from joinedup.sharing.policy import Ground, Shown

RELATED = ("person", "lead_agency", "recorded_by", "created_by")
PURPOSE = Purpose.DIRECT_CARE


@dataclass
class PlanView:
    plan: Shown[Plan]
    person_name: str
    goals: list[Goal]
    may_edit: bool


def plan_get(actor: Actor, plan_id: uuid.UUID, *, route: str = "") -> PlanView:
    """One plan with its goals, audited; NotFound (and a denied event) if the actor may not read it."""
    shown, _ = policy.access_record(actor, Plan, plan_id, PURPOSE, route=route, related=RELATED, follow_grant=True)
    plan = shown.record
    goals = list(Goal.objects.filter(plan=plan).order_by("created_at"))
    involved = people_selectors.agency_involved(actor.agency_id, plan.person_id)
    may_edit = rules.may_edit(actor, plan, agency_involved=involved)
    if may_edit and Ground.EMERGENCY in shown.grounds:  # read under a grant (plans are never sealed)
        # A grant is for reading in an emergency: changing the plan still needs the direct care read
        # the service checks, so offer no edit the service would refuse.
        may_edit = policy.can_view(actor, plan, PURPOSE).allowed
    return PlanView(plan=shown, person_name=plan.person.full_name, goals=goals, may_edit=may_edit)


def plan_versions(plan: Plan) -> list[PlanVersion]:
    """The plan's history, newest first (call only with a plan `plan_get` returned)."""
    return list(PlanVersion.objects.filter(plan=plan).order_by("-number"))


def plan_version_pair(plan: Plan, number: int) -> tuple[PlanVersion, PlanVersion | None]:
    """Version `number` of the plan and the one before it (None for the first)."""
    found = {v.number: v for v in PlanVersion.objects.filter(plan=plan, number__in=(number, number - 1))}
    if number not in found:
        raise NotFound("No such version")
    return found[number], found.get(number - 1)


def version_at(plan: Plan, plan_version: int) -> PlanVersion | None:
    """The newest history entry left by the save that made the plan `plan_version` (the form's base)."""
    return PlanVersion.objects.filter(plan=plan, plan_version=plan_version).order_by("-number").first()


def versions_since(plan: Plan, plan_version: int) -> list[PlanVersion]:
    """The saves after the one that made the plan `plan_version`, oldest first."""
    return list(PlanVersion.objects.filter(plan=plan, plan_version__gt=plan_version).order_by("number"))


def goal_get(view: PlanView, goal_id: uuid.UUID) -> Goal:
    goal = next((g for g in view.goals if g.pk == goal_id), None)
    if goal is None:
        raise NotFound("No such goal")
    return goal


def plans_for_person(actor: Actor, person_id: uuid.UUID, *, route: str = "", limit: int = 100) -> list[Shown[Plan]]:
    """The person's plans the actor may read, audited."""
    purpose = policy.purpose_on(actor, person_id, PURPOSE)
    rows = policy.readable_records(actor, Plan, purpose).filter(person_id=person_id).select_related(*RELATED)
    return policy.read_page(actor, rows.order_by("status", "review_on"), purpose, route=route, limit=limit)


def plans_of_my_people(actor: Actor, *, route: str = "", limit: int = 50) -> list[Shown[Plan]]:
    """Plans (not ended) the actor may read for people their agency works with now, soonest review first."""
    if actor.agency_id is None:
        return []
    mine = Involvement.objects.filter(active_involvements(), agency_id=actor.agency_id).values("person_id")
    rows = policy.readable_records(actor, Plan, PURPOSE).filter(person_id__in=mine).exclude(status="ended")
    return _soonest_review_first(actor, rows, route=route, limit=limit)


def plans_due_for_review(actor: Actor, *, within_days: int = 14, route: str = "", limit: int = 10) -> list[Shown[Plan]]:
    """Active plans the actor may read, for the people they are key worker for, whose review date has
    passed or falls within `within_days`: the review part of a practitioner's home page."""
    if actor.agency_id is None:
        return []
    rows = policy.readable_records(actor, Plan, PURPOSE).filter(
        person_id__in=people_selectors.caseload_person_ids(actor),
        status=PlanStatus.ACTIVE,
        review_on__lte=clock.today() + timedelta(days=within_days),
    )
    return _soonest_review_first(actor, rows, route=route, limit=limit)


def _soonest_review_first(actor: Actor, rows: QuerySet[Plan], *, route: str, limit: int) -> list[Shown[Plan]]:
    rows = rows.select_related(*RELATED).order_by("review_on", "created_at")
    return policy.read_page(actor, rows, PURPOSE, route=route, limit=limit)


def plan_actions(actor: Actor, plan: Plan, *, route: str = "") -> list[Shown[Action]]:
    """The actions set from this plan that the actor may read (through the actions' own policy reads)."""
    ref = plan_ref(plan.pk)
    return [
        s for s in action_selectors.actions_for_person(actor, plan.person_id, route=route) if s.record.source_ref == ref
    ]


def _team_involvements(actor: Actor, plan: Plan) -> QuerySet[Involvement]:
    """The person's active involvements the actor may read."""
    return policy.readable_records(actor, Involvement, PURPOSE).filter(active_involvements(), person_id=plan.person_id)


def agency_may_be_named(actor: Actor, plan: Plan, agency_id: uuid.UUID) -> bool:
    """Whether the agency is one `team_agencies` offers the actor (a check, not a read: no audit, and
    the same False for an agency not involved and one whose involvement the actor may not read)."""
    return agency_id == plan.recorded_by_id or _team_involvements(actor, plan).filter(agency_id=agency_id).exists()


def team_agencies(actor: Actor, plan: Plan, *, route: str = "") -> list[Agency]:
    """The agencies that may lead the plan or own its actions, as far as the actor may see: the plan's
    author and the agencies whose involvement with the person the actor may read."""
    rows = _team_involvements(actor, plan)
    shown = policy.read_page(actor, rows.select_related("agency"), PURPOSE, route=route)
    agencies = {plan.recorded_by_id: plan.recorded_by, **{s.record.agency_id: s.record.agency for s in shown}}
    return sorted(agencies.values(), key=lambda a: a.name)
