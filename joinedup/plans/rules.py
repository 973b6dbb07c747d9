"""Who may *do* what with plans (who may read one is sharing.policy's decision)."""

from joinedup.accounts.rules import Permission, has_permission
from joinedup.core.actor import Actor
from joinedup.plans.models import Plan


def may_write_plans(actor: Actor) -> bool:
    """Staff of a partner agency who may record about people (not volunteers, IG leads or analysts)."""
    return actor.agency_id is not None and has_permission(actor, Permission.RECORD_PEOPLE)


def may_edit(actor: Actor, plan: Plan, *, agency_involved: bool) -> bool:
    """The agency that wrote the plan, the lead agency, or any agency working with the person now:
    a joint plan is kept by the team around the person. Reading it is still the policy's decision."""
    if not may_write_plans(actor):
        return False
    return agency_involved or actor.agency_id in (plan.recorded_by_id, plan.lead_agency_id)
