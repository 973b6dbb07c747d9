"""A plan's saved versions as readable text, and what changed between two of them.

Snapshots keep each field as the words a reader sees ("Yes", "3 March 2026", the agency's name), so
an old version reads the same however the code or the agency list changes later.
"""

import difflib
import re
from dataclasses import dataclass
from typing import Any

from joinedup.core.formatting import format_date
from joinedup.plans.models import Goal, Plan

# The plan's own fields, in the order the plan page shows them, with what they are called.
PLAN_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "Title"),
    ("status", "Status"),
    ("lead_agency", "Lead agency"),
    ("review_on", "Review date"),
    ("strengths", "Strengths"),
    ("what_matters", "What matters to the person"),
    ("early_warning_signs", "Early warning signs"),
    ("what_helps", "What helps"),
    ("who_to_contact", "People and services to contact"),
    ("making_safer", "Making my situation safer"),
    ("carer_involved", "A carer is involved"),
    ("carer_name", "Carer"),
    ("carer_assessment_offered", "Carer's assessment offered"),
    ("substantial_difficulty", "Substantial difficulty being involved"),
    ("appropriate_person_to_support", "Someone appropriate to support them"),
    ("advocate_involved", "An advocate is involved"),
    ("advocate_name", "Advocate"),
    ("person_present", "The person was there"),
    ("person_agreed", "The person agreed"),
    ("person_comments", "The person's own comments"),
    ("coproduced_on", "Agreed with the person on"),
)
LABELS = dict(PLAN_FIELDS)
GOAL_FIELDS: tuple[tuple[str, str], ...] = (
    ("description", "Goal"),
    ("target_on", "Target date"),
    ("measure", "How we will know"),
    ("status", "Status"),
)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return format_date(value)
    return str(value)


def plan_text(plan: Plan) -> dict[str, str]:
    """Each of the plan's fields as a reader sees it."""
    shown: dict[str, str] = {}
    for name, _ in PLAN_FIELDS:
        if name == "lead_agency":
            shown[name] = plan.lead_agency.name if plan.lead_agency_id and plan.lead_agency else ""
        elif name in ("status", "person_agreed"):
            shown[name] = getattr(plan, f"get_{name}_display")()
        else:
            shown[name] = _text(getattr(plan, name))
    return shown


def goal_text(goal: Goal) -> dict[str, str]:
    return {
        "id": str(goal.pk),
        "description": goal.description,
        "target_on": _text(goal.target_on),
        "measure": goal.measure,
        "status": goal.get_status_display(),
    }


def snapshot(plan: Plan, goals: list[Goal]) -> dict[str, Any]:
    return {"fields": plan_text(plan), "goals": [goal_text(g) for g in goals]}


def _goal_lines(snap: dict[str, Any]) -> dict[str, str]:
    """Each goal as one block of text, keyed by its id, so a goal's changes compare like a field's."""
    return {
        g["id"]: "\n".join(f"{label}: {g[name]}" for name, label in GOAL_FIELDS if g.get(name))
        for g in snap.get("goals", [])
    }


def changed_labels(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """What a save changed, in words ("Strengths", "Goal added"), for the history list."""
    if before is None:
        return []
    old, new = before["fields"], after["fields"]
    labels = [LABELS[name] for name, _ in PLAN_FIELDS if old.get(name, "") != new.get(name, "")]
    old_goals, new_goals = _goal_lines(before), _goal_lines(after)
    labels += ["Goal added" for key in new_goals if key not in old_goals]
    labels += ["Goal changed" for key in new_goals if key in old_goals and old_goals[key] != new_goals[key]]
    return labels


@dataclass(frozen=True)
class Piece:
    """A run of words: kept as it was, removed, or added."""

    text: str
    change: str  # "same", "removed" or "added"


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    pieces: tuple[Piece, ...]


_WORDS = re.compile(r"\S+|\s+")


def word_diff(before: str, after: str) -> tuple[Piece, ...]:
    """The words removed and added between two texts (whitespace kept, so lines read as written)."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece("".join(old[i1:i2]), "same"))
            continue
        if i2 > i1:
            pieces.append(Piece("".join(old[i1:i2]), "removed"))
        if j2 > j1:
            pieces.append(Piece("".join(new[j1:j2]), "added"))
    return tuple(pieces)


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """Every field and goal that differs between two snapshots, with its words removed and added."""
    changes: list[FieldChange] = []
    for name, label in PLAN_FIELDS:
        old, new = before["fields"].get(name, ""), after["fields"].get(name, "")
        if old != new:
            changes.append(FieldChange(label, old, new, word_diff(old, new)))
    old_goals, new_goals = _goal_lines(before), _goal_lines(after)
    for number, key in enumerate(dict.fromkeys([*old_goals, *new_goals]), start=1):
        old, new = old_goals.get(key, ""), new_goals.get(key, "")
        if old != new:
            changes.append(FieldChange(f"Goal {number}", old, new, word_diff(old, new)))
    return changes
