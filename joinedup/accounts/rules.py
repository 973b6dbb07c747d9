"""Who may *do* what (reads of person-level data are decided by sharing.policy, not here)."""

from enum import StrEnum

from joinedup.accounts.roles import RoleCode
from joinedup.core.actor import Actor


class Permission(StrEnum):
    SEARCH_PEOPLE = "search_people"
    RECORD_PEOPLE = "record_people"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    VIEW_DASHBOARDS = "view_dashboards"


_CASEWORK = {Permission.SEARCH_PEOPLE, Permission.RECORD_PEOPLE}

ROLE_PERMISSIONS: dict[RoleCode, set[Permission]] = {
    RoleCode.PRACTITIONER: _CASEWORK,
    RoleCode.CRISIS_WORKER: _CASEWORK,
    RoleCode.FORUM_COORDINATOR: _CASEWORK,
    RoleCode.MANAGER: _CASEWORK | {Permission.VIEW_DASHBOARDS},
    RoleCode.IG_LEAD: {Permission.SEARCH_PEOPLE, Permission.VIEW_AUDIT},
    RoleCode.VOLUNTEER: {Permission.SEARCH_PEOPLE},
    RoleCode.ANALYST: {Permission.VIEW_DASHBOARDS},
    RoleCode.SYSTEM_ADMIN: {Permission.MANAGE_USERS},
}


def has_permission(actor: Actor, permission: Permission) -> bool:
    return any(permission in ROLE_PERMISSIONS.get(RoleCode(r), set()) for r in actor.roles)
