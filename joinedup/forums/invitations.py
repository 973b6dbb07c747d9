"""Calendar invitations to member agencies: each current member's representative and single point of
contact get the meeting (METHOD:REQUEST), or its cancellation (METHOD:CANCEL), as an .ics file.

Sent by a background task after the change is committed; an `Invitation` row per address records
the SEQUENCE sent, so a retried task never sends the same version twice."""

import logging
import uuid
from collections.abc import Iterable

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task

from joinedup.core import clock
from joinedup.core.formatting import format_datetime
from joinedup.forums import ics
from joinedup.forums.models import Invitation, Meeting, MeetingStatus
from joinedup.sharing.models import Forum, ForumMembership
from joinedup.sharing.models.forums import memberships_in_force

logger = logging.getLogger(__name__)


def recipients(forum: Forum) -> list[tuple[uuid.UUID, str]]:
    """(agency, address) for each current member's representative and contact, each address once."""
    seen: set[str] = set()
    found = []
    members = (
        ForumMembership.objects.filter(memberships_in_force(), forum=forum)
        .select_related("representative", "agency")
        .order_by("agency__name")
    )
    for membership in members:
        rep = membership.representative
        addresses = [rep.email if rep and rep.is_active else "", membership.contact_email]
        for address in addresses:
            if address and address.lower() not in seen:
                seen.add(address.lower())
                found.append((membership.agency_id, address))
    return found


def notify(meetings: Iterable[Meeting]) -> None:
    """Queue the invitations once the change that made them is committed (never for a rolled-back one)."""
    ids = [str(m.pk) for m in meetings]
    if ids:
        transaction.on_commit(lambda: send_invitations.enqueue(ids))


def _message(meeting: Meeting, address: str, organizer: str) -> EmailMessage:
    cancelled = meeting.status == MeetingStatus.CANCELLED
    when = format_datetime(meeting.starts_at)
    where = " and ".join(x for x in (meeting.venue, meeting.video_link and "by video") if x)
    if cancelled:
        subject = f"Cancelled: {meeting.forum.name}, {when}"
        body = f"The {meeting.forum.name} meeting on {when} is cancelled. Reason: {meeting.cancelled_reason}"
    else:
        subject = f"{'Moved: ' if meeting.sequence else ''}{meeting.forum.name}, {when}"
        body = f"Please come, or send a deputy, to the {meeting.forum.name} meeting on {when}" + (
            f" ({where})." if where else "."
        )
    body += "\n\nThe calendar file attached updates your calendar. The agenda and papers are in joinedup."
    method = ics.CANCEL if cancelled else ics.REQUEST
    content = ics.calendar([meeting], method=method, organizer=organizer, attendee=address)
    message = EmailMessage(subject, body, None, [address])
    message.attach("meeting.ics", content.decode(), "text/calendar")
    return message


def _send(meeting: Meeting, agency_id: uuid.UUID, address: str, organizer: str) -> bool:
    cancelled = meeting.status == MeetingStatus.CANCELLED
    last = Invitation.objects.filter(meeting=meeting, email=address).first()
    if last and last.sent_at and last.sequence >= meeting.sequence and last.cancelled == cancelled:
        return False  # this version already reached them
    if cancelled and last is None:
        return False  # never invited: nothing in their calendar to cancel
    _message(meeting, address, organizer).send()
    Invitation.objects.update_or_create(
        meeting=meeting,
        email=address,
        defaults={"agency_id": agency_id, "sequence": meeting.sequence, "cancelled": cancelled, "sent_at": clock.now()},
    )
    return True


@task()
def send_invitations(meeting_ids: list[str]) -> int:
    """Send each meeting's current version to every current member's addresses; returns how many went."""
    sent = 0
    meetings = Meeting.objects.filter(pk__in=meeting_ids).select_related("forum__coordinator").order_by("starts_at")
    for meeting in meetings:
        coordinator = meeting.forum.coordinator
        organizer = coordinator.email if coordinator and coordinator.email else ""
        for agency_id, address in recipients(meeting.forum):
            sent += _send(meeting, agency_id, address, organizer)
    logger.info("Sent %s forum meeting invitations", sent)
    return sent
