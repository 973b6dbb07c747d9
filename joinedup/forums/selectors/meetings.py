"""Reads of forums, their members and meetings. None of it is person-level data, but a forum exists
only for the agencies that host it or sit on it: anyone else gets NotFound."""

import uuid
from dataclasses import dataclass

from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound
from joinedup.forums import rules
from joinedup.forums.models import Meeting, MeetingSeries, MeetingStatus
from joinedup.sharing.models import Forum, ForumMembership
from joinedup.sharing.models.forums import memberships_in_force


@dataclass(frozen=True)
class ForumView:
    forum: Forum
    organises: bool
    members: list[ForumMembership]  # in force now
    former: list[ForumMembership]  # ended, or not started yet
    series: list[MeetingSeries]
    upcoming: list[Meeting]
    recent: list[Meeting]  # the last few held, for their minutes


def forum_list(actor: Actor) -> list[Forum]:
    return list(Forum.objects.filter(rules.forums_of(actor), active=True).select_related("host"))


def _forum(actor: Actor, forum_id: uuid.UUID) -> Forum:
    forum = (
        Forum.objects.filter(rules.forums_of(actor), pk=forum_id)
        .select_related("host", "agreement", "chair", "coordinator")
        .first()
    )
    if forum is None:
        raise NotFound("No such forum")
    return forum


def upcoming_meetings(forum: Forum, limit: int = 20) -> list[Meeting]:
    """Meetings not yet over, cancelled ones included (so people can see what was called off)."""
    return list(Meeting.objects.filter(forum=forum, ends_at__gt=clock.now()).order_by("starts_at")[:limit])


def recent_meetings(forum: Forum, limit: int = 3) -> list[Meeting]:
    """The last meetings that took place (not cancelled), most recent first."""
    over = Meeting.objects.filter(forum=forum, ends_at__lte=clock.now()).exclude(status=MeetingStatus.CANCELLED)
    return list(over.order_by("-starts_at")[:limit])


def forum_get(actor: Actor, *, forum_id: uuid.UUID) -> ForumView:
    forum = _forum(actor, forum_id)
    memberships = list(
        ForumMembership.objects.filter(forum=forum).select_related("agency", "representative").order_by("agency__name")
    )
    current = {m.pk for m in ForumMembership.objects.filter(memberships_in_force(), forum=forum)}
    return ForumView(
        forum=forum,
        organises=rules.organises(actor, forum),
        members=[m for m in memberships if m.pk in current],
        former=[m for m in memberships if m.pk not in current],
        series=list(MeetingSeries.objects.filter(forum=forum, active=True).order_by("created_at")),
        upcoming=upcoming_meetings(forum),
        recent=recent_meetings(forum),
    )


def forum_meetings(actor: Actor, *, forum_id: uuid.UUID) -> tuple[Forum, list[Meeting]]:
    forum = _forum(actor, forum_id)
    return forum, upcoming_meetings(forum, limit=200)


def meeting_get(actor: Actor, *, meeting_id: uuid.UUID) -> Meeting:
    meeting = (
        Meeting.objects.filter(forum__in=Forum.objects.filter(rules.forums_of(actor)), pk=meeting_id)
        .select_related("forum", "series")
        .first()
    )
    if meeting is None:
        raise NotFound("No such meeting")
    return meeting


def may_change_meeting(actor: Actor, meeting: Meeting) -> bool:
    """Whether to offer moving and cancelling: the organiser, for a scheduled meeting still to come."""
    return (
        rules.organises(actor, meeting.forum)
        and meeting.status == MeetingStatus.SCHEDULED
        and meeting.starts_at > clock.now()
    )
