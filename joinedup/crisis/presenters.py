"""Display-ready values for the crisis pages: board rows, waiting times, outcome tags, summary rows."""

from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse

from joinedup.core import clock
from joinedup.core.formatting import format_date, format_datetime
from joinedup.crisis.models import Channel, CrisisContact, TriageOutcome
from joinedup.crisis.selectors import Board, BoardRow, ContactView
from joinedup.people.models import Person
from joinedup.sharing.policy import Shown

OUTCOME_COLOURS = {
    TriageOutcome.SELF_MANAGEMENT: "green",
    TriageOutcome.DBI_REFERRAL: "purple",
    TriageOutcome.CRISIS_TEAM: "blue",
    TriageOutcome.COMMUNITY_TRIAGE: "aqua-green",
    TriageOutcome.ED_CONVEYANCE: "orange",
    TriageOutcome.OTHER: "grey",
}
# A contact nobody has responded to for this long is flagged on the board.
WAITING_TOO_LONG = timedelta(minutes=15)
NEED_PREVIEW = 140


def duration(gap: timedelta) -> str:
    """ "under a minute", "12 minutes", "1 hour 5 minutes", "2 days 3 hours"."""
    minutes = max(0, int(gap.total_seconds() // 60))
    if minutes < 1:
        return "under a minute"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)

    def unit(n: int, word: str) -> str:
        return f"{n} {word}{'s' * (n != 1)}"

    if days:
        return unit(days, "day") + (f" {unit(hours, 'hour')}" if hours else "")
    if hours:
        return unit(hours, "hour") + (f" {unit(mins, 'minute')}" if mins else "")
    return unit(mins, "minute")


def when(moment: datetime | None, at: datetime) -> str:
    """A time on the board: "14:05" today, "Yesterday 23:40", or a date and time."""
    if moment is None:
        return ""
    local, now = clock.local(moment), clock.local(at)
    if local.date() == now.date():
        return f"{local:%H:%M}"
    if (now.date() - local.date()).days == 1:
        return f"Yesterday {local:%H:%M}"
    return f"{format_date(local)} {local:%H:%M}"


def outcome_tag(contact: CrisisContact) -> dict[str, str]:
    if not contact.triage_outcome:
        return {"text": "Not triaged yet", "classes": "nhsuk-tag--white"}
    outcome = TriageOutcome(contact.triage_outcome)
    return {"text": outcome.label, "classes": f"nhsuk-tag--{OUTCOME_COLOURS[outcome]}"}


def response_text(contact: CrisisContact, at: datetime) -> str:
    if contact.first_response_at is None:
        return f"Waiting {duration(at - contact.received_at)}"
    return f"Responded in {duration(contact.first_response_at - contact.received_at)}"


def who(contact: CrisisContact, person: Shown[Person] | None) -> str:
    """The person's name when linked (and readable); otherwise the caller as described."""
    if person is not None:
        return person.record.full_name
    if contact.person_id is not None:
        return "A person whose name you cannot see"
    return contact.caller_description


def board_row(row: BoardRow, at: datetime) -> dict[str, Any]:
    contact = row.contact.record
    need = contact.presenting_need
    waiting = contact.first_response_at is None
    return {
        "id": contact.pk,
        "href": reverse("crisis:detail", kwargs={"contact_id": contact.pk}),
        "received": when(contact.received_at, at),
        "received_full": format_datetime(contact.received_at),
        "who": who(contact, row.person),
        "unidentified": contact.person_id is None,
        "channel": Channel(contact.channel).label,
        "need": need if len(need) <= NEED_PREVIEW else need[: NEED_PREVIEW - 1].rstrip() + "…",
        "response": response_text(contact, at),
        "waiting": waiting,
        "overdue": waiting and contact.waiting(at) >= WAITING_TOO_LONG,
        "outcome": outcome_tag(contact),
        "handled_by": str(contact.handled_by) if contact.handled_by_id and contact.handled_by else "",
    }


def board_rows(board: Board) -> list[dict[str, Any]]:
    return [board_row(row, board.at) for row in board.rows]


def board_summary(board: Board) -> dict[str, Any]:
    oldest = board.oldest_waiting_at
    return {
        "open": board.total_open,
        "waiting": board.waiting_total,
        "longest_wait": duration(board.at - oldest) if oldest is not None else "",
        "closed_this_shift": board.closed_this_shift,
        "updated": f"{clock.local(board.at):%H:%M}",
    }


def _row(key: str, value: str, *, action: dict[str, str] | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"key": {"text": key}, "value": {"text": value or "Not recorded"}}
    if action:
        row["actions"] = {"items": [action]}
    return row


def contact_rows(view: ContactView, at: datetime) -> list[dict[str, Any]]:
    """The contact as a summary list."""
    c = view.record
    rows = [
        _row("Received", format_datetime(c.received_at)),
        _row("How it came in", Channel(c.channel).label),
    ]
    if c.caller_name:
        rows.append(_row("Who made the contact", c.caller_name))
    if c.caller_description:
        rows.append(_row("Caller as described", c.caller_description))
    if c.callback_number:
        rows.append(_row("Number to call back", c.callback_number))
    rows += [
        _row("What they need", c.presenting_need),
        _row("Response", response_text(c, at)),
        _row("First response", format_datetime(c.first_response_at) if c.first_response_at else "Not yet"),
        _row("Handled by", str(c.handled_by) if c.handled_by_id and c.handled_by else ""),
        _row(
            "Triage outcome",
            TriageOutcome(c.triage_outcome).label if c.triage_outcome else "Not triaged yet",
        ),
    ]
    if c.outcome_detail:
        rows.append(_row("About the outcome", c.outcome_detail))
    if c.notes:
        rows.append(_row("Notes", c.notes))
    if not c.is_open:
        closed_by = str(c.closed_by) if c.closed_by_id and c.closed_by else ""
        rows.append(_row("Closed", f"{format_datetime(c.closed_at)}{f' by {closed_by}' if closed_by else ''}"))
        if c.close_note:
            rows.append(_row("Closing note", c.close_note))
    rows.append(_row("Recorded by", c.recorded_by.name))
    return rows


GROUND_WORDS = {
    "own_agency": "your agency recorded it",
    "involvement": "your agency is working with this person",
    "consent": "the person consented",
    "agreement": "a data sharing agreement allows it",
    "referral": "it was attached to a referral to your agency",
    "emergency": "you have emergency access",
    "record_share": "it was shared with your agency",
}


def why(shown: Shown[Any]) -> str:
    """Why the actor can see the contact, in plain words."""
    reasons = list(shown.reasons) or [GROUND_WORDS.get(str(g), str(g)) for g in sorted(shown.grounds)]
    return "You can see this because " + " and ".join(reasons) + "." if reasons else ""


def referral_items(view: ContactView) -> list[dict[str, str]]:
    return [
        {
            "pathway": s.record.pathway.name,
            "to": s.record.to_agency.name,
            "urgency": s.record.urgency.name,
            "state": s.record.get_state_display(),
            "sent": format_datetime(s.record.sent_at),
        }
        for s in view.referrals
    ]
