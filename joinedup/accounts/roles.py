"""The roles a user can hold (DESIGN §1). What each may read is data: `Role.categories`."""

from enum import StrEnum


class RoleCode(StrEnum):
    PRACTITIONER = "practitioner"
    CRISIS_WORKER = "crisis_worker"
    FORUM_COORDINATOR = "forum_coordinator"
    MANAGER = "manager"
    IG_LEAD = "ig_lead"
    ANALYST = "analyst"
    VOLUNTEER = "volunteer"
    SYSTEM_ADMIN = "system_admin"


ROLE_LABELS = {
    RoleCode.PRACTITIONER: "Practitioner",
    RoleCode.CRISIS_WORKER: "Crisis and triage worker",
    RoleCode.FORUM_COORDINATOR: "Forum coordinator or chair",
    RoleCode.MANAGER: "Manager",
    RoleCode.IG_LEAD: "Information governance lead",
    RoleCode.ANALYST: "Analyst or commissioner",
    RoleCode.VOLUNTEER: "Volunteer or peer worker",
    RoleCode.SYSTEM_ADMIN: "System administrator",
}
