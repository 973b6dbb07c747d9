"""Display-ready values for the plan pages and the person's printed copy."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from joinedup.core.formatting import format_date, format_datetime
from joinedup.plans import history
from joinedup.plans.models import Goal, Plan, PlanVersion
from joinedup.sharing.policy import Shown

NOT_RECORDED = "Not recorded"


def _row(label: str, value: str) -> dict[str, Any]:
    return {"key": {"text": label}, "value": {"text": value or NOT_RECORDED}}


def _section_rows(plan: Plan, names: tuple[str, ...]) -> list[dict[str, Any]]:
    shown = history.plan_text(plan)
    return [_row(history.LABELS[name], shown[name]) for name in names]


ABOUT = ("strengths", "what_matters")
CRISIS = ("early_warning_signs", "what_helps", "who_to_contact", "making_safer")
CARERS = (
    "carer_involved",
    "carer_name",
    "carer_assessment_offered",
    "substantial_difficulty",
    "appropriate_person_to_support",
    "advocate_involved",
    "advocate_name",
)
COPRODUCTION = ("person_present", "person_agreed", "person_comments", "coproduced_on")


def summary_rows(plan: Plan, today: date) -> list[dict[str, Any]]:
    review = format_date(plan.review_on) if plan.review_on else "Not set"
    if plan.review_overdue(today):
        review += " (overdue)"
    return [
        _row("Kind", plan.get_kind_display()),
        _row("Status", plan.get_status_display()),
        _row("Written by", plan.recorded_by.name),
        _row("Lead agency", plan.lead_agency.name if plan.lead_agency else "Not agreed yet"),
        _row("Review date", review),
    ]


def sections(plan: Plan) -> list[tuple[str, list[dict[str, Any]]]]:
    """(heading, summary list rows) for each part of the plan page."""
    parts = [("About the person", _section_rows(plan, ABOUT))]
    if plan.has_crisis_sections:
        parts.append(("If things get difficult", _section_rows(plan, CRISIS)))
    parts += [
        ("Carers and advocacy", _section_rows(plan, CARERS)),
        ("Made with the person", _section_rows(plan, COPRODUCTION)),
    ]
    return parts


def goal_rows(goal: Goal) -> list[dict[str, Any]]:
    return [
        _row("Target date", format_date(goal.target_on)),
        _row("How we will know", goal.measure),
        _row("Status", goal.get_status_display()),
    ]


def saved_goal_rows(goal: Goal) -> list[dict[str, Any]]:
    """The goal as it is saved now, beside the user's kept text after a refused save."""
    return [_row("Goal", goal.description), *goal_rows(goal)]


@dataclass(frozen=True)
class PlanItem:
    id: str
    title: str
    kind: str
    status: str
    review: str
    overdue: bool
    person_id: str
    person_name: str


def items(shown: list[Shown[Plan]], today: date) -> list[PlanItem]:
    return [
        PlanItem(
            id=str(s.record.pk),
            title=s.record.title,
            kind=s.record.get_kind_display(),
            status=s.record.get_status_display(),
            review=format_date(s.record.review_on) if s.record.review_on else "Not set",
            overdue=s.record.review_overdue(today),
            person_id=str(s.record.person_id),
            person_name=s.record.person.full_name,
        )
        for s in shown
    ]


@dataclass(frozen=True)
class VersionItem:
    number: int
    saved: str
    summary: str
    changed: str


def version_items(versions: list[PlanVersion]) -> list[VersionItem]:
    return [
        VersionItem(
            number=v.number,
            saved=f"{v.saved_by_name} ({v.saved_by_agency}), {format_datetime(v.created_at)}",
            summary=v.summary,
            changed=", ".join(v.changed_fields),
        )
        for v in versions
    ]


@dataclass(frozen=True)
class ConflictRow:
    """One field someone else saved while the user was editing: their saved words and the user's."""

    label: str
    theirs: str
    saved_by: str
    yours: str


def conflict_rows(
    plan: Plan, base: dict[str, str] | None, since: list[PlanVersion], yours: dict[str, str], edited: set[str]
) -> list[ConflictRow]:
    """The fields both people changed since the version the user opened (`base`: its fields' text),
    each with what is saved now, who saved it last, and the user's words. A field only one of them
    changed is no conflict; nor is one both changed to the same words. Without a base, every field
    the user sent that differs from what is saved."""
    now = history.plan_text(plan)
    who: dict[str, str] = {}
    for version in since:
        for label in version.changed_fields:
            who[label] = f"{version.saved_by_name} ({version.saved_by_agency}) at {format_datetime(version.created_at)}"
    rows = []
    for name, label in history.PLAN_FIELDS:
        if name not in edited or now[name] == yours[name]:
            continue
        if base is None or now[name] != base.get(name, ""):
            rows.append(ConflictRow(label, now[name], who.get(label, "someone else"), yours[name]))
    return rows
