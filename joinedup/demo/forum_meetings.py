"""The demo forums' people and calendars: chair and coordinator, each member's representative and
single point of contact, a cadence, and its meetings for the next 3 months. Deterministic from the
day it runs; no invitations are sent (nobody is listening at a demo address)."""

import uuid
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from joinedup.accounts.models import User
from joinedup.accounts.roles import RoleCode
from joinedup.core import clock
from joinedup.forums import schedule
from joinedup.forums.models import Meeting, MeetingSeries
from joinedup.sharing.models import Forum, ForumMembership

# By forum kind: cadence, weekday (0 is Monday), start, length in minutes, venue.
CALENDARS = {
    "co_occurring": ("monthly", 1, time(14, 0), 120, "Northshire Civic Centre, room 3"),
    "distress_pathway": ("fortnightly", 3, time(10, 0), 90, ""),
    "risk_conference": ("weekly", 1, time(10, 0), 180, "Northshire Police HQ, conference room"),
}
MONTHS = 3


def _first(today: datetime, weekday: int, at: time, cadence: str) -> datetime:
    day = today.date() + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    if cadence == "monthly":  # the second such weekday of a month, from next month
        start = (day.replace(day=1) + relativedelta(months=1)).replace(day=1)
        day = start + timedelta(days=(weekday - start.weekday()) % 7 + 7)
    return datetime.combine(day, at, tzinfo=clock.LONDON)


def _staff(agency_id: uuid.UUID, role: RoleCode) -> User | None:
    """The agency's first user with the role, or (for agencies without it) its first user at all."""
    staff = User.objects.filter(agency_id=agency_id).order_by("username")
    return staff.filter(role_grants__role__code=role).first() or staff.first()


def seed_forum_meetings(now: datetime) -> int:
    """Fill in the demo forums' people and calendars; returns how many meetings were made."""
    made = 0
    for forum in Forum.objects.all():
        organiser = _staff(forum.host_id, RoleCode.FORUM_COORDINATOR)
        forum.coordinator = forum.chair = organiser
        forum.save(update_fields=["coordinator", "chair", "updated_at"])
        for membership in ForumMembership.objects.filter(forum=forum, ends_at__isnull=True).select_related("agency"):
            membership.representative = _staff(membership.agency_id, RoleCode.PRACTITIONER)
            membership.representative_confirmed_on = clock.local(membership.starts_at).date()
            slug = (membership.agency.short_name or membership.agency.name).lower().replace(" ", "-")
            membership.contact_name = f"{membership.agency.short_name or membership.agency.name} forum inbox"
            membership.contact_email = f"{slug}.forums@northshire.example"
            membership.save()
        if forum.kind not in CALENDARS:
            continue
        cadence, weekday, at, minutes, venue = CALENDARS[forum.kind]
        first = _first(clock.local(now), weekday, at, cadence)
        video = "" if venue else "https://video.northshire.example/" + forum.kind.replace("_", "-")
        series = MeetingSeries.objects.create(
            forum=forum,
            rule=schedule.rule_for(cadence, first.date()),
            first_starts_at=first,
            duration_minutes=minutes,
            venue=venue,
            video_link=video,
        )
        starts = schedule.slots(series.rule, first, after=first, until=now + relativedelta(months=MONTHS))
        Meeting.objects.bulk_create(
            Meeting(
                forum=forum,
                series=series,
                occurrence=s,
                starts_at=s,
                ends_at=s + timedelta(minutes=minutes),
                venue=venue,
                video_link=video,
            )
            for s in starts
        )
        made += len(starts)
    return made
