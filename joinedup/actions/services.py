"""Every write to agreed actions: set one, complete it, cancel it, carry it forward, and record a
reminder sent. Each checks who may do it and at which version (a stale save is refused with who
changed it and when), and records its change event in the same transaction."""

import uuid
from datetime import date

from django.db import IntegrityError, transaction

from joinedup.accounts.models import User
from joinedup.actions.models import Action, ActionCarry, ActionReminder, ActionSource, ActionStatus, CarryReason
from joinedup.actions.rules import may_change
from joinedup.agencies.models import Agency
from joinedup.audit.services import record_change, record_write, snapshot, stale_version
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, ValidationFailed
from joinedup.people.models import Person


def action_create(
    actor: Actor,
    *,
    person: Person,
    description: str,
    owner_agency: Agency,
    owner_user: User | None = None,
    due_on: date | None,
    source: str,
    source_ref: str = "",
    source_label: str = "",
) -> Action:
    """A new open action about the person, set by the actor's agency."""
    if actor.agency_id is None:
        raise ValidationFailed({"": "Only staff of a partner agency can set an action"})
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Describe what is to be done"
    if due_on is None:
        errors["due_on"] = "Enter the date it is due by"
    elif due_on < clock.today():
        errors["due_on"] = "The due date must be today or in the future"
    if owner_user is not None and owner_user.agency_id != owner_agency.pk:
        errors["owner_user"] = f"Choose someone who works for {owner_agency.name}, or leave it to the agency"
    if source not in ActionSource.values:
        errors["source"] = "Say where the action was agreed"
    if errors:
        raise ValidationFailed(errors)
    assert due_on is not None
    action = Action(
        person=person,
        recorded_by_id=actor.agency_id,
        category=Action.DEFAULT_CATEGORY,
        description=description.strip(),
        owner_agency=owner_agency,
        owner_user=owner_user,
        due_on=due_on,
        source=source,
        source_ref=source_ref,
        source_label=source_label.strip(),
        set_by_id=actor.user_id,
    )
    with transaction.atomic():
        action.save(force_insert=True)
        record_write(actor, "action_create", action, None)
    return action


def _lock(actor: Actor, action_id: uuid.UUID, expected_version: int | None) -> Action:
    """The action, locked, if the actor may change it: otherwise NotFound, before any version check,
    so a stranger's stale version never learns who changed it."""
    action = Action.objects.select_for_update().filter(pk=action_id).first()
    if action is None or not may_change(actor, action):
        raise NotFound("No such action")
    if expected_version is not None and action.version != expected_version:
        raise stale_version(action, "action")
    return action


def _require_open(action: Action, doing: str) -> None:
    if action.status != ActionStatus.OPEN:
        raise ValidationFailed({"": f"This action is {action.get_status_display().lower()}, so it cannot be {doing}"})


def _save(actor: Actor, action: Action, verb: str, before: dict[str, object], **extra: object) -> Action:
    action.version += 1
    action.save()
    record_write(actor, verb, action, before, **extra)
    return action


def action_complete(actor: Actor, *, action_id: uuid.UUID, note: str, expected_version: int | None = None) -> Action:
    """Done, with a note of what was done."""
    with transaction.atomic():
        action = _lock(actor, action_id, expected_version)
        _require_open(action, "completed")
        if not note.strip():
            raise ValidationFailed({"note": "Say what was done"})
        before = snapshot(action)
        action.status = ActionStatus.DONE
        action.completed_at = clock.now()
        action.completed_by_id = actor.user_id
        action.completion_note = note.strip()
        return _save(actor, action, "action_complete", before)


def action_cancel(actor: Actor, *, action_id: uuid.UUID, reason: str, expected_version: int | None = None) -> Action:
    """No longer needed, and why (kept as the completion note so the history reads in one place)."""
    with transaction.atomic():
        action = _lock(actor, action_id, expected_version)
        _require_open(action, "cancelled")
        if not reason.strip():
            raise ValidationFailed({"reason": "Say why the action is no longer needed"})
        before = snapshot(action)
        action.status = ActionStatus.CANCELLED
        action.completed_at = clock.now()
        action.completed_by_id = actor.user_id
        action.completion_note = reason.strip()
        return _save(actor, action, "action_cancel", before)


def action_carry_forward(
    actor: Actor,
    *,
    action_id: uuid.UUID,
    reason: str,
    new_due_on: date | None,
    note: str = "",
    expected_version: int | None = None,
) -> Action:
    """Still open: carried to a new due date, with why, kept as a dated history."""
    with transaction.atomic():
        action = _lock(actor, action_id, expected_version)
        _require_open(action, "carried forward")
        errors: dict[str, str] = {}
        if reason not in CarryReason.values:
            errors["reason"] = "Say why the action is being carried forward"
        if new_due_on is None:
            errors["new_due_on"] = "Enter the new date it is due by"
        elif new_due_on < clock.today():
            errors["new_due_on"] = "The new due date must be today or in the future"
        elif new_due_on == action.due_on:
            errors["new_due_on"] = "Choose a due date different from the current one"
        if errors:
            raise ValidationFailed(errors)
        assert new_due_on is not None
        before = snapshot(action)
        carry = ActionCarry.objects.create(
            action=action,
            reason=reason,
            note=note.strip(),
            carried_by_id=actor.user_id,
            previous_due_on=action.due_on,
            new_due_on=new_due_on,
        )
        action.due_on = new_due_on
        return _save(actor, action, "action_carry_forward", before, carry=str(carry.pk))


def reminder_record(actor: Actor, *, action: Action, kind: str, recipients: list[str]) -> ActionReminder | None:
    """Claim the one reminder of this kind for the action's current due date; None if one was
    already sent (the unique constraint decides, so two sweeps at once still send one email)."""
    try:
        with transaction.atomic():
            reminder = ActionReminder.objects.create(
                action=action, kind=kind, due_on=action.due_on, recipients=recipients
            )
            record_change(
                actor,
                action="action_reminder",
                obj=reminder,
                before=None,
                after=snapshot(reminder),
                person_id=action.person_id,
                recorded_by_id=action.recorded_by_id,
            )
    except IntegrityError:
        return None
    return reminder
