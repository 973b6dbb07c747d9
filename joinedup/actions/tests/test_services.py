import datetime

import pytest
import time_machine

from joinedup.actions import services
from joinedup.actions.models import ActionCarry, ActionSource, ActionStatus, CarryReason
from joinedup.actions.tests.factories import forum_action
from joinedup.audit.models import ChangeEvent
from joinedup.core.errors import NotFound, StaleVersion, ValidationFailed
from joinedup.core.tests.helpers import actor

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


@time_machine.travel(TODAY, tick=False)
def test_create_records_the_setter_and_a_change_event(partnership, conference):
    action = forum_action(conference, owner=partnership.housing, owner_user=partnership.housing_officer)
    assert action.recorded_by_id == partnership.police.pk
    assert action.category == "coordination"
    assert action.status == ActionStatus.OPEN
    assert ChangeEvent.objects.filter(object_id=str(action.pk), action="action_create").count() == 1


@time_machine.travel(TODAY, tick=False)
def test_create_refuses_bad_input_field_by_field(partnership, conference):
    with pytest.raises(ValidationFailed) as caught:
        services.action_create(
            actor(conference.coordinator),
            person=conference.person,
            description="  ",
            owner_agency=partnership.housing,
            owner_user=partnership.practitioner,  # works for mental health, not housing
            due_on=datetime.date(2026, 3, 9),
            source=ActionSource.FORUM,
        )
    assert set(caught.value.errors) == {"description", "owner_user", "due_on"}
    assert "past" in caught.value.errors["due_on"][0] or "today" in caught.value.errors["due_on"][0]


@time_machine.travel(TODAY, tick=False)
def test_complete_needs_a_note_and_the_owner_or_setter(partnership, conference):
    action = forum_action(conference, owner=partnership.housing)
    with pytest.raises(NotFound):
        services.action_complete(actor(partnership.substance_worker), action_id=action.pk, note="Done")
    with pytest.raises(ValidationFailed):
        services.action_complete(actor(partnership.housing_officer), action_id=action.pk, note=" ")
    done = services.action_complete(actor(partnership.housing_officer), action_id=action.pk, note="Visited")
    assert (done.status, done.completion_note, done.version) == (ActionStatus.DONE, "Visited", 2)
    with pytest.raises(ValidationFailed):
        services.action_cancel(actor(conference.coordinator), action_id=action.pk, reason="Not needed")


@time_machine.travel(TODAY, tick=False)
def test_a_stale_version_is_refused_with_who_changed_it(partnership, conference):
    action = forum_action(conference, owner=partnership.housing)
    services.action_carry_forward(
        actor(partnership.housing_officer),
        action_id=action.pk,
        reason=CarryReason.CIRCUMSTANCES_CHANGED,
        new_due_on=datetime.date(2026, 3, 31),
        expected_version=1,
    )
    with pytest.raises(StaleVersion) as caught:
        services.action_complete(actor(conference.coordinator), action_id=action.pk, note="Done", expected_version=1)
    assert "housing.officer" in caught.value.message
    assert caught.value.current_version == 2


@time_machine.travel(TODAY, tick=False)
def test_carry_forward_keeps_a_dated_history(partnership, conference):
    action = forum_action(conference, owner=partnership.housing)
    first_due = action.due_on
    moved = services.action_carry_forward(
        actor(conference.coordinator),
        action_id=action.pk,
        reason=CarryReason.AGENCY_DID_NOT_ACT,
        new_due_on=datetime.date(2026, 4, 7),
        note="No reply from housing",
    )
    assert moved.due_on == datetime.date(2026, 4, 7)
    carry = ActionCarry.objects.get(action=action)
    assert (carry.previous_due_on, carry.new_due_on, carry.reason) == (
        first_due,
        datetime.date(2026, 4, 7),
        CarryReason.AGENCY_DID_NOT_ACT,
    )
    with pytest.raises(ValidationFailed) as caught:
        services.action_carry_forward(
            actor(conference.coordinator), action_id=action.pk, reason="why not", new_due_on=None
        )
    assert set(caught.value.errors) == {"reason", "new_due_on"}
