"""Who may *do* what with crisis contacts (who may read them is sharing.policy's decision)."""

from enum import StrEnum

from joinedup.accounts.roles import RoleCode
from joinedup.core.actor import Actor


class CrisisPermission(StrEnum):
    WORK_CONTACTS = "work_crisis_contacts"  # log, triage, link, refer onwards and close


ROLE_PERMISSIONS: dict[RoleCode, set[CrisisPermission]] = {
    RoleCode.CRISIS_WORKER: {CrisisPermission.WORK_CONTACTS},
}


def has_permission(actor: Actor, permission: CrisisPermission) -> bool:
    if actor.agency_id is None:
        return False
    return any(permission in ROLE_PERMISSIONS.get(RoleCode(r), set()) for r in actor.roles)


def may_work_contacts(actor: Actor) -> bool:
    """A crisis worker of a partner agency: keeps the board and changes its own agency's contacts."""
    return has_permission(actor, CrisisPermission.WORK_CONTACTS)
