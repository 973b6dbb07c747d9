"""Meetings as iCalendar (RFC 5545 / iTIP RFC 5546). Each meeting is its own event with a stable UID,
so a move or a cancellation replaces it in people's calendars by a higher SEQUENCE.

Only when and where: agendas and minutes (person-level data) never go into a calendar file."""

from collections.abc import Iterable

from icalendar import Calendar, Event, vCalAddress

from joinedup.core import clock
from joinedup.forums.models import Meeting, MeetingStatus

PRODID = "-//joinedup//forum meetings//EN"
PUBLISH, REQUEST, CANCEL = "PUBLISH", "REQUEST", "CANCEL"


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@joinedup"


def _event(meeting: Meeting, *, organizer: str = "", attendee: str = "") -> Event:
    event = Event()
    event.add("uid", uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", clock.now())
    event.add("dtstart", meeting.starts_at)  # aware UTC, written with a Z
    event.add("dtend", meeting.ends_at)
    event.add("summary", f"{meeting.forum.name} meeting")
    cancelled = meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if meeting.venue:
        event.add("location", meeting.venue)
    if meeting.video_link:
        event.add("url", meeting.video_link)
    lines = [f"Join by video: {meeting.video_link}"] if meeting.video_link else []
    if cancelled and meeting.cancelled_reason:
        lines.append(f"Cancelled: {meeting.cancelled_reason}")
    lines.append("The agenda and papers are in joinedup.")
    event.add("description", "\n".join(lines))
    if organizer:
        event.add("organizer", vCalAddress(f"mailto:{organizer}"))
    if attendee:
        address = vCalAddress(f"mailto:{attendee}")
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["RSVP"] = "FALSE"
        event.add("attendee", address)
    return event


def calendar(meetings: Iterable[Meeting], *, method: str = PUBLISH, organizer: str = "", attendee: str = "") -> bytes:
    """One calendar holding each meeting as an event (iTIP messages hold one meeting each)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    for meeting in meetings:
        cal.add_component(_event(meeting, organizer=organizer, attendee=attendee))
    return cal.to_ical()
