"""A forum keeps meeting: each morning the task worker tops every active series up to three months
ahead (no organiser has to press anything), and queues the next morning's run."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from joinedup.audit.models import ChangeEvent
from joinedup.core import clock, daily
from joinedup.core.tests.helpers import actor
from joinedup.forums import tasks
from joinedup.forums.models import Meeting
from joinedup.forums.services import meetings

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 8, 9, 0, tzinfo=clock.LONDON)  # a Monday
TWO_MONTHS_ON = NOW + datetime.timedelta(days=61)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _weekly(conference):
    return meetings.series_create(
        actor(conference.coordinator),
        forum_id=conference.forum.pk,
        cadence="weekly",
        first_starts_at=datetime.datetime(2026, 6, 9, 10, 0, tzinfo=clock.LONDON),
        duration_minutes=120,
        venue="Police HQ",
    )


def _last_meeting(series) -> datetime.date:
    return clock.local(Meeting.objects.filter(series=series).latest("starts_at").starts_at).date()


def test_the_morning_top_up_keeps_three_months_ahead_and_adds_nothing_twice(conference):
    series = _weekly(conference)
    assert _last_meeting(series) == datetime.date(2026, 9, 1)
    with time_machine.travel(TWO_MONTHS_ON, tick=False):
        added = meetings.series_top_up()
        assert added == 9  # the Tuesdays from 8 September to 3 November
        assert _last_meeting(series) == datetime.date(2026, 11, 3)
        assert meetings.series_top_up() == 0
    # Each added meeting is in the audit trail as written by the morning task, not by a person.
    assert ChangeEvent.objects.filter(action="meeting_create", actor_username="system").count() == 9


def test_a_stopped_series_or_a_closed_forum_is_not_topped_up(conference):
    series = _weekly(conference)
    before = Meeting.objects.filter(series=series).count()
    conference.forum.active = False
    conference.forum.save(update_fields=["active"])
    with time_machine.travel(TWO_MONTHS_ON, tick=False):
        assert meetings.series_top_up() == 0
        conference.forum.active = True
        conference.forum.save(update_fields=["active"])
        series.active = False
        series.save(update_fields=["active"])
        assert meetings.series_top_up() == 0
    assert Meeting.objects.filter(series=series).count() == before


def test_one_broken_series_is_logged_and_the_others_are_still_topped_up(conference, caplog):
    broken, good = _weekly(conference), _weekly(conference)
    type(broken).objects.filter(pk=broken.pk).update(rule="FREQ=NEVER")
    with time_machine.travel(TWO_MONTHS_ON, tick=False):
        assert meetings.series_top_up() == 9
    assert _last_meeting(good) == datetime.date(2026, 11, 3)
    assert _last_meeting(broken) == datetime.date(2026, 9, 1)
    assert f"Meeting series {broken.pk} could not be topped up" in caplog.text


def test_a_failing_run_still_leaves_tomorrow_mornings_queued(settings, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def fails() -> int:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(meetings, "series_top_up", fails)
    with pytest.raises(RuntimeError):
        tasks.top_up_meetings.call()
    queued = DBTaskResult.objects.filter(task_path=tasks.top_up_meetings.module_path, status="READY")
    assert [q.run_after for q in queued] == [daily.next_morning(clock.now())]


def test_the_task_tops_up_and_queues_tomorrow_mornings_run_once(settings, conference):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    series = _weekly(conference)
    with time_machine.travel(TWO_MONTHS_ON, tick=False):
        assert tasks.top_up_meetings.call() == 9
        assert tasks.top_up_meetings.call() == 0
        queued = DBTaskResult.objects.filter(task_path=tasks.top_up_meetings.module_path, status="READY")
        assert [q.run_after for q in queued] == [daily.next_morning(clock.now())]
    assert _last_meeting(series) == datetime.date(2026, 11, 3)


def test_schedule_daily_queues_each_morning_task_once(settings, capsys):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("schedule_daily")
    call_command("schedule_daily")
    out = capsys.readouterr().out
    assert "top_up_meetings: queued" in out and "send_action_reminders: queued" in out
    assert "top_up_meetings: already queued" in out
    waiting = DBTaskResult.objects.filter(status="READY").values_list("task_path", flat=True)
    assert sorted(waiting) == ["joinedup.actions.tasks.send_action_reminders", "joinedup.forums.tasks.top_up_meetings"]
