"""Display-ready values for the agenda, research, meeting and minutes pages."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from joinedup.core.formatting import format_date, format_datetime
from joinedup.forums.forms_agenda import ResearchForm
from joinedup.forums.models import Meeting
from joinedup.forums.selectors.agenda import CasePage, Line, RunPage, TimeCheck

__all__ = ["format_date"]


def when(meeting: Meeting) -> str:
    return format_datetime(meeting.starts_at)


def duration(minutes: int) -> str:
    """2 h 48 min, 2 hours, 45 min."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    if not rest:
        return f"{hours} hour" if hours == 1 else f"{hours} hours"
    return f"{hours} h {rest} min"


def time_warning(check: TimeCheck) -> str:
    """The warning when the listed cases will not fit the meeting ("" when they will)."""
    if check.fits:
        return ""
    cases = "1 case" if check.cases == 1 else f"{check.cases} cases"
    verb = "needs" if check.cases == 1 else "need"
    return (
        f"{cases} at {check.minutes_per_case} minutes {verb} {duration(check.needed)}; "
        f"the meeting is {duration(check.available)}"
    )


@dataclass
class ResearchRow:
    line: Line
    form: ResearchForm
    sent_at: str


def research_forms(lines: list[Line], posted: ResearchForm | None) -> list[ResearchRow]:
    """One form per listed person: the one just posted (with its errors and text) kept as typed."""
    rows = []
    for line in lines:
        own = line.research[0] if line.research else None
        # Field ids unique on the page, so each label names its own person's box.
        auto_id = f"id_{line.person.pk.hex[:12]}_%s"
        if posted is not None and str(posted.data.get("person")) == str(line.person.pk):
            form = posted
            form.auto_id = auto_id
        else:
            initial: dict[str, Any] = {"person": line.person.pk, "version": own.version if own else 0}
            if own:
                initial |= {"knows": own.knows, "involvement": own.involvement, "risks": own.risks}
            form = ResearchForm(initial=initial, auto_id=auto_id)
        rows.append(ResearchRow(line, form, format_datetime(own.submitted_at) if own else ""))
    return rows


@dataclass
class Task:
    name: str
    href: str
    status: str  # "Completed", "In progress", "Not yet started"
    hint: str = ""


def tasks(page: RunPage) -> list[Task]:
    """The NHS.UK task list for a meeting: confidentiality, attendance, then each case in order."""
    m = page.meeting
    recorded = len(page.attendance)
    out = [
        Task(
            "Read the confidentiality statement",
            reverse("forums:run", kwargs={"meeting_id": m.pk}) + "#confidentiality",
            "Completed" if m.confidentiality_read_at else "Not yet started",
        ),
        Task(
            "Record attendance",
            reverse("forums:attendance", kwargs={"meeting_id": m.pk}),
            "Completed"
            if recorded and recorded >= len(page.members)
            else ("In progress" if recorded else "Not yet started"),
            f"{recorded} of {len(page.members)} agencies recorded",
        ),
    ]
    for line in page.lines:
        item = line.item
        if item.pk and item.discussion_ended_at and line.person.pk in page.discussed:
            status = "Completed"
        elif item.discussion_started_at or line.person.pk in page.discussed:
            status = "In progress"
        else:
            status = "Not yet started"
        out.append(
            Task(
                f"Case {item.position}: {line.person.full_name}",
                reverse("forums:case", kwargs={"meeting_id": m.pk, "item_id": item.pk}),
                status,
                f"{item.get_risk_level_display()} risk, {item.get_kind_display().lower()}"
                + (", repeat" if item.repeat else ""),
            )
        )
    return out


def case_rows(page: CasePage) -> list[dict[str, Any]]:
    item = page.item
    rows = [
        ("Person", page.person.full_name),
        ("Listed as", f"{item.get_kind_display()}, {item.get_risk_level_display().lower()} risk"),
        ("Repeat", "Yes: discussed here in the last 12 months" if item.repeat else "No"),
        ("Discussion started", format_datetime(item.discussion_started_at) or "Not yet"),
        ("Discussion ended", format_datetime(item.discussion_ended_at) or "Not yet"),
    ]
    if item.minutes_taken:
        rows.append(("Time taken", duration(item.minutes_taken)))
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]
