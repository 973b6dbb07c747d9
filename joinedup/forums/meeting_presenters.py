"""Display-ready values for the forum and meeting pages (templates never reach through relations)."""

from dataclasses import dataclass
from typing import Any

from joinedup.core import clock
from joinedup.core.formatting import format_date, format_datetime
from joinedup.forums import schedule
from joinedup.forums.models import Meeting, MeetingStatus
from joinedup.forums.selectors.meetings import ForumView
from joinedup.sharing.models import ForumMembership


def _row(key: str, value: str) -> dict[str, Any]:
    return {"key": {"text": key}, "value": {"text": value or "Not given"}}


def forum_rows(view: ForumView) -> list[dict[str, Any]]:
    f = view.forum
    agreement = f.agreement.title if f.agreement else "None: the forum shares only with consent"
    return [
        _row("Type", f.get_kind_display()),
        _row("Hosted by", f.host.name),
        _row("Sharing agreement", agreement),
        _row("Chair", f.chair.get_full_name() if f.chair else ""),
        _row("Coordinator", f.coordinator.get_full_name() if f.coordinator else ""),
        _row("Time for each case", f"{f.minutes_per_case} minutes"),
        *(_row("Meets", schedule.describe(s.rule) + f", {clock.local(s.first_starts_at):%H:%M}") for s in view.series),
    ]


@dataclass(frozen=True)
class MemberLine:
    id: Any
    agency: str
    representative: str
    confirmed: str
    contact_name: str
    contact_email: str
    contact_phone: str
    dates: str


def member_line(m: ForumMembership) -> MemberLine:
    rep = m.representative
    ended = f", until {format_date(m.ends_at)}" if m.ends_at else ""
    return MemberLine(
        id=m.pk,
        agency=m.agency.name,
        representative=rep.display_name if rep else "",
        confirmed=f"Confirmed {format_date(m.representative_confirmed_on)}" if m.representative_confirmed_on else "",
        contact_name=m.contact_name,
        contact_email=m.contact_email,
        contact_phone=m.contact_phone,
        dates=f"Member from {format_date(m.starts_at)}{ended}",
    )


@dataclass(frozen=True)
class MeetingLine:
    id: Any
    when: str
    until: str
    place: str
    video_link: str
    cancelled: bool
    reason: str
    moved: bool


def meeting_line(m: Meeting) -> MeetingLine:
    return MeetingLine(
        id=m.pk,
        when=format_datetime(m.starts_at),
        until=f"{clock.local(m.ends_at):%H:%M}",
        place=m.venue,
        video_link=m.video_link,
        cancelled=m.status == MeetingStatus.CANCELLED,
        reason=m.cancelled_reason,
        moved=bool(m.occurrence and m.occurrence != m.starts_at),
    )
