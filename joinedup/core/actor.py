"""Who is acting: passed explicitly to every service and selector, never read from a global."""

import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    """A signed-in user as they act now: their agency, team, roles in force, and the request."""

    user_id: uuid.UUID
    username: str
    agency_id: uuid.UUID | None
    agency_name: str
    team_id: uuid.UUID | None
    roles: frozenset[str]
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def has_role(self, role: str) -> bool:
        return role in self.roles


SYSTEM = Actor(
    user_id=uuid.UUID(int=0),
    username="system",
    agency_id=None,
    agency_name="joinedup",
    team_id=None,
    roles=frozenset(),
    request_id="system",
)
"""The actor for scheduled tasks and data generators: recorded as such in the audit trail."""
