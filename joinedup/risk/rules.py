"""Who may *do* what with risk assessments and flags (who may read them is sharing.policy's decision)."""

from joinedup.accounts.rules import Permission, has_permission
from joinedup.core.actor import Actor
from joinedup.risk.models import Flag


def may_record(actor: Actor) -> bool:
    """Staff of a partner agency whose role records about people."""
    return actor.agency_id is not None and has_permission(actor, Permission.RECORD_PEOPLE)


def may_end_flag(actor: Actor, flag: Flag) -> bool:
    """The agency that raised a flag ends it: another agency asks them, rather than removing their warning."""
    return may_record(actor) and actor.agency_id == flag.recorded_by_id
