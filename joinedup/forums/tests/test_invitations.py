"""Invitations: each current member's representative and contact get the meeting as an .ics, a move
raises its SEQUENCE, and a cancellation sends METHOD:CANCEL."""

import datetime

import pytest
import time_machine
from icalendar import Calendar

from joinedup.core import clock
from joinedup.core.tests.helpers import actor
from joinedup.forums.invitations import send_invitations
from joinedup.forums.models import Invitation, Meeting
from joinedup.forums.services import forum_details, meetings

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 8, 9, 0, tzinfo=clock.LONDON)
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.TASKS = IMMEDIATE
    with time_machine.travel(NOW, tick=False):
        yield


def _ics(message) -> Calendar:
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == ("meeting.ics", "text/calendar")
    return Calendar.from_ical(content)


def _event(cal: Calendar):
    return next(iter(cal.walk("VEVENT")))


def test_generated_meetings_invite_every_member_address_once(
    conference, mailoutbox, django_capture_on_commit_callbacks
):
    # The recovery service's contact inbox is also its representative's address: it gets one copy.
    conference.members["substance_use"].contact_email = conference.members["substance_use"].representative.email
    conference.members["substance_use"].save()
    with django_capture_on_commit_callbacks(execute=True):
        series = meetings.series_create(
            actor(conference.coordinator),
            forum_id=conference.forum.pk,
            cadence="monthly",
            first_starts_at=datetime.datetime(2026, 6, 9, 10, tzinfo=clock.LONDON),
            duration_minutes=90,
            video_link="https://video.example.org/risk",
            months=1,
        )
    meeting = Meeting.objects.get(series=series)  # one second Tuesday in the month ahead
    addresses = sorted(m.to[0] for m in mailoutbox)
    assert len(addresses) == len(set(addresses)) == 7  # 4 representatives and 4 inboxes, one shared
    cal = _ics(mailoutbox[0])
    event = _event(cal)
    assert str(cal["METHOD"]) == "REQUEST"
    assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["URL"])) == (
        f"meeting-{meeting.pk}@joinedup",
        0,
        "https://video.example.org/risk",
    )
    assert event.decoded("DTSTART") == datetime.datetime(2026, 6, 9, 9, tzinfo=datetime.UTC)
    assert Invitation.objects.filter(meeting=meeting, sequence=0).count() == 7


def test_a_move_sends_a_higher_sequence_and_a_cancellation_sends_cancel(
    conference, mailoutbox, django_capture_on_commit_callbacks
):
    pk, who = conference.meeting.pk, actor(conference.coordinator)
    send_invitations.call([str(pk)])
    assert len(mailoutbox) == 8
    mailoutbox.clear()
    starts = datetime.datetime(2026, 6, 16, 14, tzinfo=clock.LONDON)
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_move(
            who, meeting_id=pk, expected_version=1, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
        )
    assert len(mailoutbox) == 8
    moved = _ics(mailoutbox[0])
    assert (str(moved["METHOD"]), int(_event(moved)["SEQUENCE"])) == ("REQUEST", 1)
    assert mailoutbox[0].subject.startswith("Moved: ")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_cancel(who, meeting_id=pk, expected_version=2, reason="Chair unwell")
    cancelled = _ics(mailoutbox[0])
    event = _event(cancelled)
    assert (str(cancelled["METHOD"]), str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCEL", "CANCELLED", 2)
    assert set(Invitation.objects.filter(meeting_id=pk).values_list("sequence", "cancelled")) == {(2, True)}
    mailoutbox.clear()
    assert send_invitations.call([str(pk)]) == 0  # a retried task sends nothing twice
    assert mailoutbox == []


def test_a_former_member_is_not_invited_and_a_rolled_back_change_sends_nothing(
    conference, mailoutbox, django_capture_on_commit_callbacks
):
    forum_details.member_end(
        actor(conference.coordinator),
        forum_id=conference.forum.pk,
        membership_id=conference.members["housing"].pk,
        last_day=datetime.date(2026, 6, 8),
    )
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        send_invitations.call([str(conference.meeting.pk)])
    assert len(mailoutbox) == 6
    assert not any("housing" in m.to[0] for m in mailoutbox)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="must end after"):
        meetings.meeting_move(
            actor(conference.coordinator),
            meeting_id=conference.meeting.pk,
            expected_version=1,
            starts_at=NOW + datetime.timedelta(days=3),
            ends_at=NOW + datetime.timedelta(days=2),
        )
    assert mailoutbox == []
