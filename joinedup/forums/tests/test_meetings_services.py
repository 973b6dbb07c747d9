"""Cadences, generated meetings, moving and cancelling, and the organiser's member changes."""

import datetime

import pytest
import time_machine

from joinedup.core import clock
from joinedup.core.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from joinedup.core.tests.helpers import actor
from joinedup.forums import schedule
from joinedup.forums.models import Meeting, MeetingStatus
from joinedup.forums.services import forum_details, meetings
from joinedup.sharing.models import ForumMembership

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 8, 9, 0, tzinfo=clock.LONDON)  # a Monday, in summer time


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _at(day: int, month: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=clock.LONDON)


def _weekly(conference, **extra):
    fields = {"cadence": "weekly", "first_starts_at": _at(9, 6), "duration_minutes": 120, "venue": "Police HQ"}
    return meetings.series_create(actor(conference.coordinator), forum_id=conference.forum.pk, **(fields | extra))


def test_monthly_rule_keeps_the_weekday_of_the_month_and_the_wall_clock_across_the_clock_change():
    first = _at(13, 10)  # the second Tuesday of October 2026, in summer time
    rule = schedule.rule_for("monthly", first.date())
    assert rule == "FREQ=MONTHLY;BYDAY=2TU"
    assert schedule.describe(rule) == "The second Tuesday of each month"
    found = schedule.slots(rule, first, after=first, until=first + datetime.timedelta(days=70))
    assert [clock.local(s).strftime("%d %b %H:%M") for s in found] == ["13 Oct 10:00", "10 Nov 10:00", "08 Dec 10:00"]
    assert schedule.describe(schedule.rule_for("fortnightly", first.date())) == "Every other Tuesday"


def test_a_weekly_series_makes_three_months_of_meetings_and_regenerating_adds_none(conference):
    series = _weekly(conference)
    made = Meeting.objects.filter(series=series).order_by("starts_at")
    assert made.count() == 13  # every Tuesday from 9 June to 1 September (8 September is past 3 months)
    assert {(clock.local(m.starts_at).strftime("%a %H:%M"), m.ends_at - m.starts_at) for m in made} == {
        ("Tue 10:00", datetime.timedelta(hours=2))
    }
    assert all(m.occurrence == m.starts_at and m.venue == "Police HQ" for m in made)
    assert meetings.series_generate(actor(conference.coordinator), series_id=series.pk) == []
    assert Meeting.objects.filter(series=series).count() == 13


def test_regenerating_neither_duplicates_nor_overwrites_a_moved_meeting(conference):
    series = _weekly(conference)
    first = Meeting.objects.filter(series=series).order_by("starts_at").first()
    meetings.meeting_move(
        actor(conference.chair),
        meeting_id=first.pk,
        expected_version=1,
        starts_at=_at(10, 6, 14),
        ends_at=_at(10, 6, 16),
    )
    with time_machine.travel(NOW + datetime.timedelta(days=31), tick=False):
        added = meetings.series_generate(actor(conference.coordinator), series_id=series.pk)
    assert len(added) == 5  # a month more of Tuesdays: 8 September to 6 October
    first.refresh_from_db()
    assert clock.local(first.starts_at) == _at(10, 6, 14) and first.occurrence == _at(9, 6)
    assert Meeting.objects.filter(series=series, occurrence=_at(9, 6)).count() == 1


def test_a_move_bumps_the_sequence_and_keeps_the_slot(conference):
    m = conference.meeting
    moved = meetings.meeting_move(
        actor(conference.coordinator),
        meeting_id=m.pk,
        expected_version=1,
        starts_at=_at(16, 6, 13),
        ends_at=_at(16, 6, 15),
        venue="Town Hall, room 2",
    )
    assert (moved.sequence, moved.version, moved.venue) == (1, 2, "Town Hall, room 2")
    assert moved.occurrence == m.occurrence


@pytest.mark.parametrize(
    ("starts", "ends", "field", "message"),
    [
        (_at(1, 6), _at(1, 6, 12), "starts_at", "The meeting must start in the future"),
        (_at(16, 6, 12), _at(16, 6, 11), "ends_at", "The meeting must end after it starts"),
        (None, None, "starts_at", "Enter the date and time the meeting starts"),
    ],
)
def test_a_move_into_the_past_or_ending_before_it_starts_is_refused(conference, starts, ends, field, message):
    with pytest.raises(ValidationFailed) as caught:
        meetings.meeting_move(
            actor(conference.coordinator),
            meeting_id=conference.meeting.pk,
            expected_version=1,
            starts_at=starts,
            ends_at=ends,
        )
    assert caught.value.errors == {field: [message]}
    conference.meeting.refresh_from_db()
    assert conference.meeting.sequence == 0


def test_a_stale_move_is_refused_saying_who_changed_it(conference):
    who = actor(conference.coordinator)
    meetings.meeting_cancel(who, meeting_id=conference.meeting.pk, expected_version=1, reason="Room unavailable")
    with pytest.raises(StaleVersion, match=r"changed by marac\.coordinator"):
        meetings.meeting_move(
            actor(conference.chair),
            meeting_id=conference.meeting.pk,
            expected_version=1,
            starts_at=_at(16, 6),
            ends_at=_at(16, 6, 12),
        )


def test_cancelling_needs_a_reason_and_a_cancelled_meeting_cannot_move(conference):
    who, pk = actor(conference.coordinator), conference.meeting.pk
    with pytest.raises(ValidationFailed) as caught:
        meetings.meeting_cancel(who, meeting_id=pk, expected_version=1, reason="  ")
    assert caught.value.errors == {"reason": ["Say why the meeting is cancelled"]}
    done = meetings.meeting_cancel(who, meeting_id=pk, expected_version=1, reason="Chair unwell")
    assert (done.status, done.sequence, done.cancelled_reason) == (MeetingStatus.CANCELLED, 1, "Chair unwell")
    with pytest.raises(ValidationFailed, match="cancelled"):
        meetings.meeting_move(who, meeting_id=pk, expected_version=2, starts_at=_at(16, 6), ends_at=_at(16, 6, 12))


def test_only_the_organiser_changes_meetings_and_outsiders_find_nothing(conference, partnership):
    args = {"meeting_id": conference.meeting.pk, "expected_version": 1, "reason": "No"}
    with pytest.raises(PermissionDenied):
        meetings.meeting_cancel(actor(partnership.housing_officer), **args)
    with pytest.raises(NotFound):
        meetings.meeting_cancel(actor(partnership.volunteer), **args)
    with pytest.raises(NotFound):
        meetings.series_create(
            actor(partnership.volunteer),
            forum_id=conference.forum.pk,
            cadence="weekly",
            first_starts_at=_at(9, 6),
            duration_minutes=60,
            venue="x",
        )


def test_series_input_is_checked_field_by_field(conference):
    with pytest.raises(ValidationFailed) as caught:
        _weekly(conference, cadence="daily", duration_minutes=5, venue="", video_link="http://insecure.example")
    assert set(caught.value.errors) == {"cadence", "duration_minutes", "video_link"}
    assert not Meeting.objects.filter(series__isnull=False).exists()


def test_membership_changes_are_dated_and_never_deleted(conference, partnership):
    who = actor(conference.coordinator)
    joined = forum_details.member_add(who, forum_id=conference.forum.pk, agency_id=partnership.voluntary.pk)
    assert joined.starts_at == clock.now() and joined.ends_at is None
    with pytest.raises(ValidationFailed, match="already a member"):
        forum_details.member_add(who, forum_id=conference.forum.pk, agency_id=partnership.voluntary.pk)
    housing = conference.members["housing"]
    with pytest.raises(ValidationFailed) as caught:
        forum_details.member_end(
            who, forum_id=conference.forum.pk, membership_id=housing.pk, last_day=datetime.date(2026, 6, 1)
        )
    assert caught.value.errors == {"last_day": ["The last day must be today or in the future"]}
    ended = forum_details.member_end(
        who, forum_id=conference.forum.pk, membership_id=housing.pk, last_day=datetime.date(2026, 6, 30)
    )
    assert clock.local(ended.ends_at) == datetime.datetime(2026, 7, 1, tzinfo=clock.LONDON)
    assert ForumMembership.objects.filter(pk=housing.pk).exists()


def test_the_representative_must_work_for_the_member_agency_and_confirmation_is_dated(conference, partnership):
    who, mh = actor(conference.coordinator), conference.members["mental_health"]
    contact = {"contact_name": "MH forum inbox", "contact_email": "mh@example.org", "contact_phone": ""}
    args = {"forum_id": conference.forum.pk, "membership_id": mh.pk, **contact}
    with pytest.raises(ValidationFailed) as caught:
        forum_details.member_contact_set(who, representative_id=partnership.housing_officer.pk, confirmed=True, **args)
    assert list(caught.value.errors) == ["representative"]
    saved = forum_details.member_contact_set(who, representative_id=partnership.mh_ig_lead.pk, confirmed=True, **args)
    assert (saved.representative_id, saved.representative_confirmed_on) == (partnership.mh_ig_lead.pk, clock.today())
    unconfirmed = forum_details.member_contact_set(
        who, representative_id=partnership.mh_ig_lead.pk, confirmed=False, **args
    )
    assert unconfirmed.representative_confirmed_on is None
    with pytest.raises(ValidationFailed) as caught:
        forum_details.member_contact_set(
            who, representative_id=None, confirmed=False, **(args | {"contact_email": "not an email"})
        )
    assert list(caught.value.errors) == ["contact_email"]
