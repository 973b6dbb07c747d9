"""Who may *do* what with agreed actions (who may read one is sharing.policy's decision)."""

from joinedup.accounts.roles import RoleCode
from joinedup.actions.models import Action
from joinedup.core.actor import Actor


def may_oversee_agency(actor: Actor) -> bool:
    """A manager sees every action their agency owns, to chase what is overdue."""
    return actor.agency_id is not None and actor.has_role(RoleCode.MANAGER)


def may_change(actor: Actor, action: Action) -> bool:
    """Someone of the agency that owns the action, or of the agency that set it."""
    return actor.agency_id is not None and actor.agency_id in (action.owner_agency_id, action.recorded_by_id)
