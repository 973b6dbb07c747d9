"""Display-ready values for the action pages (templates never reach through relations)."""

from dataclasses import dataclass
from datetime import date

from joinedup.actions.models import Action, ActionCarry, ActionStatus
from joinedup.core.formatting import format_date, format_datetime
from joinedup.sharing.policy import Shown


@dataclass
class ActionItem:
    id: str
    description: str
    person_id: str
    person_name: str
    owner: str
    due: str
    status: str
    tag_colour: str
    overdue: bool
    agreed_at: str
    finished: str
    note: str


def _status(action: Action, today: date) -> tuple[str, str]:
    if action.overdue(today):
        return "Overdue", "red"
    if action.status == ActionStatus.OPEN:
        return "Open", "blue"
    return action.get_status_display(), "green" if action.status == ActionStatus.DONE else "grey"


def owner_text(action: Action) -> str:
    if action.owner_user is not None:
        return f"{action.owner_user.display_name}, {action.owner_agency.name}"
    return action.owner_agency.name


def item(action: Action, today: date) -> ActionItem:
    status, colour = _status(action, today)
    return ActionItem(
        id=str(action.pk),
        description=action.description,
        person_id=str(action.person_id),
        person_name=action.person.full_name,
        owner=owner_text(action),
        due=format_date(action.due_on),
        status=status,
        tag_colour=colour,
        overdue=action.overdue(today),
        agreed_at=action.source_label or action.get_source_display(),
        finished=format_datetime(action.completed_at),
        note=action.completion_note,
    )


def items(shown: list[Shown[Action]], today: date) -> list[ActionItem]:
    return [item(s.record, today) for s in shown]


def split(rows: list[ActionItem]) -> tuple[list[ActionItem], list[ActionItem], list[ActionItem]]:
    """(overdue, open and not yet due, finished), each in the order given."""
    overdue = [r for r in rows if r.overdue]
    still_open = [r for r in rows if r.status == "Open"]
    finished = [r for r in rows if not r.overdue and r.status != "Open"]
    return overdue, still_open, finished


def detail_rows(action: Action, today: date) -> list[dict[str, dict[str, str]]]:
    status, _ = _status(action, today)
    rows = [
        ("What is to be done", action.description),
        ("Who does it", owner_text(action)),
        ("Due", format_date(action.due_on)),
        ("Status", status),
        ("Agreed at", action.source_label or action.get_source_display()),
        ("Set by", action.recorded_by.name),
    ]
    if action.completed_at:
        verb = "Done" if action.status == ActionStatus.DONE else "Cancelled"
        who = action.completed_by.get_full_name() if action.completed_by else ""
        rows.append((verb, f"{format_datetime(action.completed_at)}{', by ' + who if who else ''}"))
        rows.append(("Note", action.completion_note))
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]


def carry_items(carries: list[ActionCarry]) -> list[str]:
    return [
        f"{format_date(c.created_at)}: moved from {format_date(c.previous_due_on)} to {format_date(c.new_due_on)}"
        f" ({c.get_reason_display().lower()}){'. ' + c.note if c.note else ''}"
        for c in carries
    ]
