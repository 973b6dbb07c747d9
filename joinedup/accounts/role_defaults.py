"""The roles a new installation starts with. Ceilings are data: edit the rows, not this file."""

from joinedup.accounts.roles import ROLE_LABELS, RoleCode
from joinedup.core.vocabulary import Category

_ALL = [c.value for c in Category]

DEFAULT_ROLES: dict[RoleCode, dict[str, object]] = {
    RoleCode.PRACTITIONER: {"categories": _ALL, "may_request_emergency_access": True},
    RoleCode.CRISIS_WORKER: {"categories": _ALL, "may_request_emergency_access": True},
    RoleCode.FORUM_COORDINATOR: {"categories": _ALL, "may_request_emergency_access": False},
    RoleCode.MANAGER: {"categories": _ALL, "may_request_emergency_access": True},
    RoleCode.IG_LEAD: {"categories": _ALL, "may_request_emergency_access": False},
    RoleCode.VOLUNTEER: {
        "categories": [Category.IDENTITY, Category.CONTACT, Category.COORDINATION, Category.HOUSING],
        "may_request_emergency_access": False,
    },
    # Aggregates only: no person-level category at all.
    RoleCode.ANALYST: {"categories": [], "may_request_emergency_access": False},
    RoleCode.SYSTEM_ADMIN: {"categories": [], "may_request_emergency_access": False},
}


def role_rows() -> list[dict[str, object]]:
    return [{"code": code.value, "label": ROLE_LABELS[code], **values} for code, values in DEFAULT_ROLES.items()]
