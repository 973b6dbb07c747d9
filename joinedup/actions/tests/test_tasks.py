"""The reminder sweep, with Django's outbox: once per kind and due date, and no names in the email."""

import datetime
import logging

import pytest
import time_machine

from joinedup.actions import services, tasks
from joinedup.actions.models import ActionReminder, CarryReason, ReminderKind
from joinedup.actions.tests.factories import forum_action
from joinedup.core import daily
from joinedup.core.formatting import format_date
from joinedup.core.tests.helpers import actor
from joinedup.core.workdays import is_working_day

pytestmark = pytest.mark.django_db


def _a_plain_tuesday() -> datetime.datetime:
    """A Tuesday after the shared fixtures' real "now" (their forum cases open then), in a week with
    no bank holiday from Tuesday to the next Monday, so "two working days" means Thursday."""
    day = datetime.date.today() + datetime.timedelta(days=14)
    day += datetime.timedelta(days=(1 - day.weekday()) % 7)
    while not all(is_working_day(day + datetime.timedelta(days=n)) for n in (0, 1, 2, 6)):
        day += datetime.timedelta(days=7)
    return datetime.datetime.combine(day, datetime.time(7, 0), tzinfo=datetime.UTC)


TUESDAY = _a_plain_tuesday()
TODAY = TUESDAY.date()


def _at(moment: datetime.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def actions(partnership, conference):
    p = partnership
    with _at(TUESDAY - datetime.timedelta(days=14)):
        overdue = forum_action(conference, owner=p.housing, owner_user=p.housing_officer, due_in_days=10)
    with _at(TUESDAY):
        # Thursday: two working days on; the following Monday is three.
        soon = forum_action(conference, owner=p.mental_health, owner_user=p.practitioner, due_in_days=2)
        later = forum_action(conference, owner=p.mental_health, owner_user=p.practitioner, due_in_days=6)
        # No one named: the agency's forum inbox is told.
        inbox = forum_action(conference, owner=p.substance_use, due_in_days=1)
    return overdue, soon, later, inbox


def test_each_reminder_goes_once_and_a_rerun_sends_nothing(mailoutbox, actions, conference):
    overdue, soon, later, inbox = actions
    with _at(TUESDAY):
        assert tasks.sweep(TODAY) == 3
        assert tasks.sweep(TODAY) == 0
    sent = {(m.to[0], m.subject.split(" is ")[1].split(" on ")[0]) for m in mailoutbox}
    assert sent == {
        ("housing.officer@example.org", "overdue"),
        ("mh.practitioner@example.org", "due"),
        ("substance-use.forum@example.org", "due"),
    }
    assert set(ActionReminder.objects.values_list("action_id", "kind")) == {
        (overdue.pk, ReminderKind.OVERDUE),
        (soon.pk, ReminderKind.DUE_SOON),
        (inbox.pk, ReminderKind.DUE_SOON),
    }
    assert not ActionReminder.objects.filter(action=later).exists()


def test_the_email_links_to_the_action_and_names_no_one(mailoutbox, actions, conference):
    overdue = actions[0]
    with _at(TUESDAY):
        tasks.sweep(TODAY)
    message = next(m for m in mailoutbox if "overdue" in m.subject)
    assert f"/actions/{overdue.pk}/" in message.body
    assert f"due on {format_date(overdue.due_on)}" in message.body
    for secret in (conference.person.given_name, conference.person.family_name, overdue.description):
        assert secret not in message.body
        assert secret not in message.subject


def test_a_carried_forward_action_is_reminded_again_for_its_new_date(mailoutbox, actions, partnership):
    soon = actions[1]
    with _at(TUESDAY):
        tasks.sweep(TODAY)
        services.action_carry_forward(
            actor(partnership.practitioner),
            action_id=soon.pk,
            reason=CarryReason.CIRCUMSTANCES_CHANGED,
            new_due_on=TODAY + datetime.timedelta(days=1),
        )
        mailoutbox.clear()
        assert tasks.sweep(TODAY) == 1
    assert mailoutbox[0].to == ["mh.practitioner@example.org"]


def test_an_owner_with_no_address_is_skipped_with_a_log_line(mailoutbox, partnership, conference, caplog):
    caplog.set_level(logging.WARNING, logger="joinedup.actions.tasks")
    with _at(TUESDAY):
        action = forum_action(conference, owner=partnership.voluntary, due_in_days=1)
        assert tasks.sweep(TODAY) == 0
    assert not mailoutbox
    assert str(action.pk) in caplog.text


def test_the_sweep_queues_the_next_one_once(settings, mailoutbox, actions):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with _at(TUESDAY):
        tasks.send_action_reminders.call()
        tasks.send_action_reminders.call()
    queued = DBTaskResult.objects.filter(task_path=tasks.send_action_reminders.module_path, status="READY")
    assert [q.run_after for q in queued] == [daily.next_morning(TUESDAY)]
