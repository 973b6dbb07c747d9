"""Reads of agreed actions. Actions are person-level records: always through sharing.policy, audited.

An action agreed at a forum is read for the forum's purpose (its owner agency reads it through the
forum's sharing agreement while the person is a current case); every other action for direct care.
Each list reads both sets and audits each under its own purpose; during an emergency grant on the
person, their actions are read under the grant instead.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from joinedup.accounts.models import User
from joinedup.actions.models import Action, ActionCarry, ActionSource, ActionStatus
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.vocabulary import Purpose
from joinedup.sharing import policy
from joinedup.sharing.models import ForumCase, ForumMembership
from joinedup.sharing.models.forums import forum_cases_open, memberships_in_force
from joinedup.sharing.policy import Shown

RELATED = ("person", "owner_agency", "owner_user", "recorded_by", "set_by", "completed_by")
PURPOSES = (Purpose.DIRECT_CARE, Purpose.FORUM)
RECENTLY = timedelta(days=30)

Filter = Callable[[QuerySet[Action]], QuerySet[Action]]


def purpose_of(source: str) -> Purpose:
    return Purpose.FORUM if source == ActionSource.FORUM else Purpose.DIRECT_CARE


def _readable(actor: Actor, purpose: Purpose) -> QuerySet[Action]:
    rows = policy.readable_records(actor, Action, purpose)
    if purpose == Purpose.FORUM:
        return rows.filter(source=ActionSource.FORUM)
    if purpose == Purpose.DIRECT_CARE:
        return rows.exclude(source=ActionSource.FORUM)
    return rows  # an emergency read: every action about the person, whatever set it


def _in_order(shown: list[Shown[Action]]) -> list[Shown[Action]]:
    """Open first, soonest due first; then the finished ones, most recently finished first."""
    still_open = [s for s in shown if s.record.status == ActionStatus.OPEN]
    finished = [s for s in shown if s.record.status != ActionStatus.OPEN]
    still_open.sort(key=lambda s: (s.record.due_on, s.record.created_at))
    finished.sort(key=lambda s: s.record.completed_at or s.record.updated_at, reverse=True)
    return still_open + finished


def _read(
    actor: Actor, narrow: Filter, *, route: str, limit: int, purposes: tuple[Purpose, ...] = PURPOSES
) -> list[Shown[Action]]:
    shown: list[Shown[Action]] = []
    for purpose in purposes:
        rows = narrow(_readable(actor, purpose)).select_related(*RELATED).order_by("due_on")
        shown.extend(policy.read_page(actor, rows, purpose, route=route, limit=limit))
    return _in_order(shown)[:limit]


def _open_or_recent() -> Q:
    return Q(status=ActionStatus.OPEN) | Q(completed_at__gte=clock.now() - RECENTLY)


def my_actions(actor: Actor, *, route: str = "", limit: int = 200) -> list[Shown[Action]]:
    """The actor's actions (named to them, or to their agency with no one named): open ones soonest
    due first, then those finished in the last 30 days."""
    if actor.agency_id is None:
        return []
    mine = Q(owner_user_id=actor.user_id) | Q(owner_agency_id=actor.agency_id, owner_user__isnull=True)
    return _read(actor, lambda rows: rows.filter(mine).filter(_open_or_recent()), route=route, limit=limit)


def agency_actions(
    actor: Actor, *, status: str = ActionStatus.OPEN, route: str = "", limit: int = 500
) -> list[Shown[Action]]:
    """Every action the actor's agency owns, in one status (a manager's view)."""
    if actor.agency_id is None:
        return []
    wanted = status if status in ActionStatus.values else ActionStatus.OPEN
    return _read(
        actor, lambda rows: rows.filter(owner_agency_id=actor.agency_id, status=wanted), route=route, limit=limit
    )


def actions_for_person(actor: Actor, person_id: uuid.UUID, *, route: str = "", limit: int = 200) -> list[Shown[Action]]:
    """The person's actions the actor may read, under either purpose (or under the grant, during one)."""
    purposes = (Purpose.EMERGENCY,) if policy.purpose_on(actor, person_id) == Purpose.EMERGENCY else PURPOSES
    return _read(actor, lambda rows: rows.filter(person_id=person_id), route=route, limit=limit, purposes=purposes)


@dataclass
class ActionView:
    action: Shown[Action]
    person_name: str
    carries: list[ActionCarry]


def action_get(actor: Actor, action_id: uuid.UUID, *, route: str = "") -> ActionView:
    """One action with its carry-forward history, audited; NotFound (and a denied event) otherwise."""
    source = Action.objects.filter(pk=action_id).values_list("source", flat=True).first()
    purpose = purpose_of(source or "")
    shown, _ = policy.access_record(actor, Action, action_id, purpose, route=route, related=RELATED, follow_grant=True)
    carries = list(ActionCarry.objects.filter(action_id=action_id).select_related("carried_by"))
    return ActionView(action=shown, person_name=shown.record.person.full_name, carries=carries)


def owners_of(agency_id: uuid.UUID) -> list[User]:
    """Active staff of an agency, who may be named as an action's owner (no person-level data)."""
    return list(User.objects.filter(agency_id=agency_id, is_active=True).order_by("first_name", "last_name"))


# ---------------------------------------------------------------------------------------------
# The reminder sweep: a system read, not a person's. It returns actions to remind their owners of;
# what is sent is recorded (and audited) as each reminder's change event.


def actions_to_remind(horizon: date) -> list[Action]:
    """Open actions overdue or due by `horizon` (the sweep skips those already reminded)."""
    rows = Action.objects.filter(status=ActionStatus.OPEN, due_on__lte=horizon).select_related(
        "owner_user", "owner_agency"
    )
    return list(rows.order_by("due_on", "created_at"))


def forum_contact_email(action: Action) -> str:
    """The owner agency's contact inbox at a forum where the person is a current case ("" if none)."""
    cases = ForumCase.objects.filter(forum_cases_open(), person_id=action.person_id).values("forum_id")
    membership = (
        ForumMembership.objects.filter(memberships_in_force(), agency_id=action.owner_agency_id, forum_id__in=cases)
        .exclude(contact_email="")
        .order_by("created_at")
        .first()
    )
    return membership.contact_email if membership else ""
