"""The person's own copy of their plan: plain English, large type, rendered by WeasyPrint.

A single plan is a page or two, so it is rendered while the user waits (ADR 0008); the view that
serves it has read the plan through the policy, so what is printed is what the reader may see."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string

from joinedup.actions.models import Action, ActionStatus
from joinedup.core.formatting import format_date
from joinedup.plans.models import Goal, GoalStatus, Plan, PlanKind
from joinedup.sharing.policy import Shown

HEADINGS = {
    PlanKind.CARE_SUPPORT: "My care and support plan",
    PlanKind.SAFETY: "My safety plan",
    PlanKind.CRISIS: "My crisis plan",
    PlanKind.DISCHARGE: "My plan for leaving hospital",
}


@dataclass(frozen=True)
class Part:
    heading: str
    text: str


def _parts(plan: Plan) -> list[Part]:
    parts = [Part("My strengths", plan.strengths), Part("What matters to me", plan.what_matters)]
    if plan.has_crisis_sections:
        parts += [
            Part("Signs that things are getting difficult", plan.early_warning_signs),
            Part("What helps, and things I can do", plan.what_helps),
            Part("Who I can contact", plan.who_to_contact),
            Part("Making my situation safer", plan.making_safer),
        ]
    return [p for p in parts if p.text.strip()]


def copy_context(plan: Plan, goals: list[Goal], actions: list[Shown[Action]], today: date) -> dict[str, Any]:
    """Only what the reader may see: the plan, its goals, and the actions the policy returned."""
    kind = PlanKind(plan.kind)
    return {
        "title": HEADINGS[kind],
        "name": plan.person.preferred_name or plan.person.given_name,
        "full_name": plan.person.full_name,
        "parts": _parts(plan),
        "goals": [
            {
                "text": g.description,
                "by": format_date(g.target_on),
                "measure": g.measure,
                "status": g.get_status_display(),
            }
            for g in goals
            if g.status != GoalStatus.NO_LONGER_RELEVANT
        ],
        "actions": [
            {"what": s.record.description, "who": s.record.owner_agency.name, "by": format_date(s.record.due_on)}
            for s in actions
            if s.record.status == ActionStatus.OPEN
        ],
        "review_on": format_date(plan.review_on),
        "comments": plan.person_comments,
        "lead": plan.lead_agency.name if plan.lead_agency else "",
        "printed_on": format_date(today),
    }


def render_copy(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported here: it loads pango, which only this page needs

    html = render_to_string("plans/person_copy_pdf.jinja", context)
    return HTML(string=html).write_pdf(presentational_hints=True)  # type: ignore[no-any-return]
