"""Writes to a forum's meeting series and meetings, by the forum's organiser: set a cadence and
generate its meetings, move a meeting, cancel one. Each change queues calendar invitations to the
member agencies once committed."""

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction

from joinedup.audit.services import record_write, snapshot, stale_version
from joinedup.core import clock
from joinedup.core.actor import SYSTEM, Actor
from joinedup.core.errors import NotFound, ValidationFailed
from joinedup.forums import invitations, schedule
from joinedup.forums.models import Meeting, MeetingSeries, MeetingStatus
from joinedup.forums.services.forum_details import organised_forum

logger = logging.getLogger(__name__)

MONTHS_AHEAD = 3
UNSET: Any = object()  # "leave this field as it is"


def _check_place(venue: str, video_link: str, errors: dict[str, str]) -> None:
    if len(venue) > 200:
        errors["venue"] = "The venue must be 200 characters or fewer"
    if video_link:
        try:
            URLValidator(schemes=["https"])(video_link)
        except DjangoValidationError:
            errors["video_link"] = "Enter the video link as a full web address starting https://"
    if not venue and not video_link:
        errors["venue"] = "Enter a venue or a video link, or both"


def _check_times(starts_at: datetime | None, ends_at: datetime | None, errors: dict[str, str]) -> None:
    if starts_at is None:
        errors["starts_at"] = "Enter the date and time the meeting starts"
    elif starts_at <= clock.now():
        errors["starts_at"] = "The meeting must start in the future"
    elif ends_at is None or ends_at <= starts_at:
        errors["ends_at"] = "The meeting must end after it starts"
    elif ends_at - starts_at > timedelta(hours=12):
        errors["ends_at"] = "A meeting can last at most 12 hours"


def series_create(
    actor: Actor,
    *,
    forum_id: uuid.UUID,
    cadence: str,
    first_starts_at: datetime | None,
    duration_minutes: int | None,
    venue: str = "",
    video_link: str = "",
    months: int = MONTHS_AHEAD,
) -> MeetingSeries:
    """Set the forum's cadence from its first meeting, and generate its meetings for `months` ahead."""
    venue, video_link = venue.strip(), video_link.strip()
    errors: dict[str, str] = {}
    if cadence not in schedule.Cadence.values:
        errors["cadence"] = "Choose how often the forum meets"
    if duration_minutes is None or not 15 <= duration_minutes <= 480:
        errors["duration_minutes"] = "The length must be from 15 to 480 minutes"
    end = first_starts_at + timedelta(minutes=duration_minutes or 60) if first_starts_at else None
    _check_times(first_starts_at, end, errors)
    _check_place(venue, video_link, errors)
    if errors:
        raise ValidationFailed({"first_starts_at" if k == "starts_at" else k: v for k, v in errors.items()})
    assert first_starts_at is not None and duration_minutes is not None  # checked above
    with transaction.atomic():
        forum = organised_forum(actor, forum_id, lock=True)
        series = MeetingSeries.objects.create(
            forum=forum,
            rule=schedule.rule_for(cadence, clock.local(first_starts_at).date()),
            first_starts_at=first_starts_at,
            duration_minutes=duration_minutes,
            venue=venue,
            video_link=video_link,
        )
        record_write(actor, "meeting_series_create", series, None)
        _generate(actor, series, months)
    return series


def series_generate(actor: Actor, *, series_id: uuid.UUID, months: int = MONTHS_AHEAD) -> list[Meeting]:
    """Add the series' meetings still missing up to `months` ahead. Safe to repeat: a slot that has a
    meeting (moved or cancelled, even) is never filled again."""
    if not 1 <= months <= 12:
        raise ValidationFailed({"months": "Generate from 1 to 12 months ahead"})
    with transaction.atomic():
        series = MeetingSeries.objects.select_for_update().filter(pk=series_id, active=True).first()
        if series is None:
            raise NotFound("No such meeting series")
        organised_forum(actor, series.forum_id)
        return _generate(actor, series, months)


def series_top_up() -> int:
    """Each active series of an active forum generated `MONTHS_AHEAD` ahead again, by the system (the
    morning task), so a forum keeps its calendar without its organiser pressing anything. Returns the
    number of meetings added; a slot that already has a meeting is never filled again."""
    ids = list(MeetingSeries.objects.filter(active=True, forum__active=True).values_list("pk", flat=True))
    added = 0
    for series_id in ids:
        try:
            with transaction.atomic():  # one series at a time: a failure undoes only that series' part
                series = MeetingSeries.objects.select_for_update().filter(pk=series_id, active=True).first()
                if series is not None:
                    added += len(_generate(SYSTEM, series, MONTHS_AHEAD))
        except Exception:  # one broken series must not stop every other forum's calendar
            logger.exception("Meeting series %s could not be topped up", series_id)
    return added


def _generate(actor: Actor, series: MeetingSeries, months: int) -> list[Meeting]:
    now = clock.now()
    starts = schedule.slots(
        series.rule,
        series.first_starts_at,
        after=max(now, series.first_starts_at),
        until=now + relativedelta(months=months),
    )
    taken = set(Meeting.objects.filter(series=series).values_list("occurrence", flat=True))
    length = timedelta(minutes=series.duration_minutes)
    made = []
    for start in starts:
        if start in taken:
            continue
        meeting = Meeting.objects.create(
            forum_id=series.forum_id,
            series=series,
            occurrence=start,
            starts_at=start,
            ends_at=start + length,
            venue=series.venue,
            video_link=series.video_link,
        )
        record_write(actor, "meeting_create", meeting, None)
        made.append(meeting)
    invitations.notify(made)
    return made


def _lock(actor: Actor, meeting_id: uuid.UUID, expected_version: int | None) -> Meeting:
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound("No such meeting")
    organised_forum(actor, meeting.forum_id)
    if expected_version is not None and meeting.version != expected_version:
        raise stale_version(meeting, "meeting")
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationFailed({"": "This meeting is cancelled, so it cannot be changed"})
    if meeting.starts_at <= clock.now():
        raise ValidationFailed({"": "This meeting has already started, so it cannot be changed"})
    return meeting


def _save(actor: Actor, meeting: Meeting, action: str, before: dict[str, Any]) -> Meeting:
    # A higher SEQUENCE makes calendars replace what they hold; `occurrence` stays, keeping the slot.
    meeting.sequence += 1
    meeting.version += 1
    meeting.save()
    record_write(actor, action, meeting, before)
    invitations.notify([meeting])
    return meeting


def meeting_move(
    actor: Actor,
    *,
    meeting_id: uuid.UUID,
    expected_version: int | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
    venue: str = UNSET,
    video_link: str = UNSET,
) -> Meeting:
    """Move a meeting to a new time (and place), in the future."""
    errors: dict[str, str] = {}
    _check_times(starts_at, ends_at, errors)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        meeting = _lock(actor, meeting_id, expected_version)
        place = (
            meeting.venue if venue is UNSET else venue.strip(),
            meeting.video_link if video_link is UNSET else video_link.strip(),
        )
        if place != (meeting.venue, meeting.video_link):  # an unchanged place is not checked again
            _check_place(*place, errors)
        if errors:
            raise ValidationFailed(errors)
        before = snapshot(meeting)
        meeting.starts_at, meeting.ends_at = starts_at, ends_at  # type: ignore[assignment]  # checked above
        meeting.venue, meeting.video_link = place
        return _save(actor, meeting, "meeting_move", before)


def meeting_cancel(actor: Actor, *, meeting_id: uuid.UUID, expected_version: int | None, reason: str) -> Meeting:
    """Cancel a meeting, saying why (the members are told, and their calendars updated)."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed({"reason": "Say why the meeting is cancelled"})
    if len(reason) > 200:
        raise ValidationFailed({"reason": "The reason must be 200 characters or fewer"})
    with transaction.atomic():
        meeting = _lock(actor, meeting_id, expected_version)
        before = snapshot(meeting)
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancelled_reason = reason
        return _save(actor, meeting, "meeting_cancel", before)
